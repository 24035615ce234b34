"""The HTML edition's finish: page titles, description and Open Graph metadata, the download
menu offering the book's PDF and EPUB, links to the index and glossary in the navigation, the
book's stylesheet (notes at every width, print), and no source comments in what is shipped.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

from . import ebook, sidenotes
from .languages import words

__all__ = ["DropSourceComments", "setup"]

STATIC = Path(__file__).resolve().parent / "static" / "site"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DESCRIPTION_LENGTH = 200
_VIEWPORT = re.compile(r'\s*<meta name="viewport"[^>]*/?>')
# Sphinx's basic layout writes this viewport; pydata-sphinx-theme writes its own as well
_BASIC_VIEWPORT = '\n    <meta name="viewport" content="width=device-width, initial-scale=1.0" />'
_THEME_LEFTOVERS = ("_static/webpack-macros.html", "_static/sbt-webpack-macros.html")
# the theme's sidebar toggles (a chevron icon only): named after the entry they open
_TOGGLE = re.compile(
    r'(?P<link><a class="[^"]*reference internal[^"]*" href="[^"]*">(?P<text>[^<]*)</a>)<details(?P<attrs>[^>]*)><summary>'
)
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.S)


class DropSourceComments(SphinxTransform):
    """Drop HTML comments of the sources (the importer's marker line) from every edition."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split() and not _COMMENT.sub("", raw.astext()).strip():
                raw.parent.remove(raw)


def _builder_inited(app: Sphinx) -> None:
    if app.builder.name not in ("html", "dirhtml"):
        return
    app.config.html_static_path = [*app.config.html_static_path, str(STATIC)]  # not the shared default
    app.add_css_file("book-site.css")


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Metadata and navigation of one page (the theme's own context is already there)."""
    context["metatags"] = _VIEWPORT.sub("", context.get("metatags", ""))  # the theme writes one
    if app.builder.name not in ("html", "dirhtml"):
        return
    # the page's title is HTML (escaped text); html_title, the book's, is plain text as written
    title, book = _plain(context.get("title") or ""), " ".join((context.get("docstitle") or "").split())
    # "China and Russia", not "China and Russia — China and Russia" (templates/layout.html)
    context["book_page_title"] = title if title == book or not book else f"{title} — {book}"
    description = _description(app, pagename, doctree)
    site = app.config.project
    meta = {
        "description": description,
        "og:title": title or site,
        "og:description": description,
        "og:type": "book" if pagename == app.config.root_doc else "article",
        "og:site_name": site,
        "og:locale": (app.config.language or "en").replace("-", "_"),
    }
    meta.update(_social_card(app, context))
    tags = list(meta.items())
    if doctree is not None or pagename == app.config.root_doc:
        tags += _citation_tags(app, pagename, title, context)
    context["metatags"] += "".join(
        f'\n    <meta {"property" if k.startswith("og:") else "name"}="{k}" content="{html.escape(v)}" />'
        for k, v in tags
        if v
    )
    _download_menu(app, context)


def _social_card(app: Sphinx, context: dict[str, Any]) -> dict[str, str]:
    """Open Graph's image: the book's cover (the author's, else the one drawn from the title)."""
    image = _cover_name(app)
    base = app.config.html_baseurl.rstrip("/")
    url = f"{base}/{image}" if base else context["pathto"](image, 1)
    return {
        "og:image": url,
        "og:image:alt": ebook.cover_alt(app.config),
        "twitter:card": "summary_large_image",
    }


def _cover_name(app: Sphinx) -> str:
    return app.config.epub_cover[0] if app.config.epub_cover else ebook.COVER_IMAGE


def _citation_tags(app: Sphinx, pagename: str, title: str, context: dict[str, Any]) -> list[tuple[str, str]]:
    """Google Scholar's and Zotero's citation_* tags: the book on its landing page, a chapter of
    it (citation_inbook_title) on every other page."""
    config = app.config
    book = config.epub_title or config.project
    tags = [("citation_title", book if pagename == config.root_doc else title)]
    if pagename != config.root_doc:
        tags.append(("citation_inbook_title", book))
    tags += [
        ("citation_author", config.epub_author or config.author),
        ("citation_publication_date", config.book_release_date.replace("-", "/")),
        ("citation_publisher", config.epub_publisher),
        ("citation_language", config.language or "en"),
    ]
    if pagename == config.root_doc:
        tags.append(("citation_pdf_url", context["pathto"](f"downloads/{config.epub_basename}.pdf", 1)))
    return tags


def _nav_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Before the theme renders its sidebar: the links to the back of the book."""
    if app.builder.name in ("html", "dirhtml"):
        context["book_back_links"] = _back_links(app, context)
        context["book_back_label"] = words(app.config.language)["back_of_the_book"]


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _description(app: Sphinx, pagename: str, doctree: Any) -> str:
    """The page's first paragraph, cut at a word; the book's description on the landing page."""
    text = ""
    if pagename == app.config.root_doc or doctree is None:
        text = app.config.epub_description or ""
    else:
        for paragraph in doctree.findall(nodes.paragraph):
            if not _in_note(paragraph):
                text = paragraph.astext()
                break
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _in_note(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.footnote, sidenotes.chapter_notes)):
            return True
        parent = parent.parent
    return False


def _download_menu(app: Sphinx, context: dict[str, Any]) -> None:
    """The theme's download menu offers the book's PDF and EPUB, not the page's source."""
    name = app.config.epub_basename
    pathto = context["pathto"]
    said = words(app.config.language)
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        group["tooltip"] = said["download_the_book"]
        group["buttons"] = [
            {
                "type": "link",
                "url": pathto(f"downloads/{name}.{ext}", 1),
                "text": label,
                "tooltip": said("download_as", format=label),
                "icon": icon,
                "label": f"download-{ext}-button",
            }
            for ext, label, icon in (("pdf", "PDF", "fas fa-file-pdf"), ("epub", "EPUB", "fas fa-book"))
        ]


def _back_links(app: Sphinx, context: dict[str, Any]) -> list[tuple[str, str]]:
    """(href, text) of the index, the glossary and the citation page, for the sidebar, in the
    book's words ("Index" in Sphinx's own translation, the one its index page is titled with)."""
    pathto = context["pathto"]
    env = app.builder.env
    said = words(app.config.language)
    links = []
    terms = sorted(
        {doc for (kind, _name), (doc, _id) in env.domains.standard_domain.objects.items() if kind == "term"}
    )
    if terms:
        links.append((pathto(terms[0]), said["glossary"]))
    if getattr(app.builder, "use_index", False):
        links.append((pathto("genindex"), _("Index")))
    cite = [doc for doc in env.found_docs if doc.rsplit("/", 1)[-1] == "cite"]
    if cite:
        links.append((pathto(cite[0]), said["cite_this_book"]))
    return links


def _finish_pages(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: one viewport per page (the theme's), a name for each sidebar toggle, no leftovers."""
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(app.outdir)
    # the themes' unrendered Jinja macro files and an empty _sources/ are no part of the site
    for leftover in _THEME_LEFTOVERS:
        (outdir / leftover).unlink(missing_ok=True)
    ebook.write_cover(app.config, Path(app.doctreedir), outdir / _cover_name(app))  # the social card
    sources = outdir / "_sources"
    if sources.is_dir() and not any(sources.rglob("*.*")):
        shutil.rmtree(sources)
    said = words(app.config.language)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = _TOGGLE.sub(
            lambda match: _named_toggle(match, said("show_or_hide", title=_plain(match["text"]))), text
        )
        if _BASIC_VIEWPORT in fixed and fixed.count('<meta name="viewport"') > 1:
            fixed = fixed.replace(_BASIC_VIEWPORT, "", 1)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _named_toggle(match: re.Match[str], label: str) -> str:
    name = html.escape(label)
    return f'{match["link"]}<details{match["attrs"]}><summary aria-label="{name}">'


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book.editions.sidenotes")
    if str(TEMPLATES) not in app.config.templates_path:
        # a new list: appending would change Sphinx's default for every later application
        app.config.templates_path = [*app.config.templates_path, str(TEMPLATES)]
    app.add_transform(DropSourceComments)
    app.connect("builder-inited", _builder_inited)
    # after sphinx-book-theme's header buttons (501)
    app.connect("html-page-context", _nav_context, priority=400)
    app.connect("html-page-context", _page_context, priority=600)
    app.connect("build-finished", _finish_pages)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
