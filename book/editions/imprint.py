"""The imprint: who holds the rights, under which licence, where the text comes from, who
published it, which edition and when. One structure for the three editions: the PDF's
copyright page (``latexbook``), the EPUB's imprint page and ``dc:rights`` (``ebook``), the HTML's
footer and rights page (``site``).

Every word the imprint prints is in the book's language, from the message catalogue
(``book/editions/words/``, :func:`.languages.words`); the rest comes from ``outline.toml``.
A web address stands in the catalogue's sentences as ``{url}``: it becomes a link.
"""

from __future__ import annotations

import html
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from book.sources.outline import Outline
from book.sources.reader import read_document
from book.sources.rights import Attribution, licence_of

from .languages import Words, words

__all__ = ["IMPRINT_PAGE", "Imprint", "Run", "imprint", "rights_line", "setup"]

IMPRINT_PAGE = "imprint"  # the imprint's page in the HTML and the EPUB (imprint.html, imprint.xhtml)

Run = tuple[str, str]  # (text, link address or "")


@dataclass(frozen=True)
class Imprint:
    """The imprint's paragraphs, each a list of runs of text (a run with an address is a link)."""

    title: str
    rights: list[list[Run]] = field(default_factory=list)  # ©, licence, scope, [book] rights
    sources: list[list[Run]] = field(default_factory=list)  # one paragraph per source document
    publisher: str = ""
    edition: str = ""
    date: str = ""
    licence_url: str = ""  # the book's licence (rel="license", XMP WebStatement)
    sources_head: str = ""  # the sources' heading, in the book's language
    rights_page: str = ""  # the HTML's imprint page's title, linked from every footer


def imprint(outline: Outline) -> Imprint:
    """The book's imprint from its outline, in the book's language."""
    said = words(outline.language)
    day = outline.release_day
    licence = licence_of(outline.licence) if outline.licence else None
    return Imprint(
        title=outline.full_title,
        rights=_rights(said, outline),
        sources=[_source(said, outline, document) for document in outline.documents],
        publisher=said("published_by", publisher=outline.publisher) if outline.publisher else "",
        edition=said("edition", edition=outline.edition),
        date=said.date(day) if day else "",
        licence_url=licence.url if licence else "",
        sources_head=said["sources_of_the_text"],
        rights_page=said["rights_page"],
    )


def _rights(said: Words, outline: Outline) -> list[list[Run]]:
    """The rights' paragraphs: ©, licence, what they cover, the outline's own ``[book] rights``."""
    day = outline.release_day
    rights: list[list[Run]] = []
    if outline.rights_holder:
        key = "copyright_year" if day else "copyright"
        rights.append([(said(key, year=str(day.year) if day else "", holder=outline.rights_holder), "")])
    if outline.licence:
        licence = licence_of(outline.licence)
        rights.append(_linked(said, "licensed_under", licence.url, licence=licence.name))
    if outline.rights_scope:
        rights.append([(said("rights_scope", scope=outline.rights_scope.rstrip(".。")), "")])
    if outline.rights:
        rights.append([(outline.rights, "")])
    return rights


def _linked(said: Words, key: str, url: str, **values: str) -> list[Run]:
    """The sentence ``key`` as runs, its ``{url}`` a link to ``url``."""
    before, after = said(key, url="\0", **values).split("\0")
    return [run for run in ((before, ""), (url, url), (after, "")) if run[0]]


def _source(said: Words, outline: Outline, document: Path) -> list[Run]:
    """One source document's credit: as its attribution says, else by its own title."""
    attribution = outline.attribution(document)
    if attribution is None:
        title = _own_title(document)
        head = said("source", title=title) if title else said["untitled_source"]
        return _sentences([[(head, "")], [(said["source_not_recorded"], "")]])
    return _credit(said, attribution, attribution.title or _own_title(document))


def _credit(said: Words, a: Attribution, title: str) -> list[Run]:
    """“Title,” by Author, Site. Address. Licence: … Note. (The title is the attribution's, else
    the document's own first line.)"""
    if a.author:
        by = (
            said("by_author_at_site", author=a.author, site=a.site)
            if a.site
            else said("by_author", author=a.author)
        )
    else:
        by = a.site
    if title:
        head = said("source_by", title=title, by=by) if by else said("source", title=title)
    else:
        head = said("untitled_source_by", by=by) if by else said["untitled_source"]
    sentences: list[list[Run]] = [[(head, "")]]
    if a.url:
        sentences.append(_linked(said, "source_address", a.url))
    licence = a.licence_info
    if licence:
        sentences.append(_linked(said, "source_licence", licence.url, licence=licence.name))
    else:
        sentences.append([(said["licence_not_stated"], "")])
    if a.note:
        sentences.append([(a.note, "")])
    return _sentences(sentences)


def _sentences(sentences: list[list[Run]]) -> list[Run]:
    """Sentences in a paragraph, each after the last one's :func:`_gap`."""
    runs: list[Run] = []
    for sentence in sentences:
        if runs and _gap(runs[-1][0]):
            text, url = runs[-1]
            runs[-1:] = [(text, url), (" ", "")] if url else [(text + " ", "")]
        runs += sentence
    return runs


def _gap(text: str) -> str:
    """The space after a sentence: none after a full-width stop (Chinese "。")."""
    return "" if unicodedata.east_asian_width(text[-1:] or " ") in ("F", "W") else " "


def _own_title(document: Path) -> str:
    with warnings.catch_warnings():  # the build reports the documents' problems itself
        warnings.simplefilter("ignore")
        return read_document(document, strict=False).title


def rights_line(outline: Outline) -> str:
    """The rights in one line of plain text (EPUB ``dc:rights``, the PDF's XMP ``dc:rights``)."""
    text = "".join(t for t, _ in _sentences(_rights(words(outline.language), outline)))
    return text or outline.publisher or outline.author


# -- the imprint page and the footer (HTML and EPUB) -----------------------------------------


def html_runs(runs: list[Run], licence_url: str = "") -> str:
    """A paragraph's runs as HTML: text escaped, an address a link (the book's licence rel="license")."""
    out = []
    for text, url in runs:
        if not url:
            out.append(html.escape(text))
            continue
        rel = ' rel="license"' if url == licence_url else ""
        out.append(f'<a class="reference external" href="{html.escape(url)}"{rel}>{html.escape(text)}</a>')
    return "".join(out)


def imprint_body(printed: Imprint) -> str:
    """The imprint page's content: what the PDF's copyright page prints, less the printing line."""

    def para(runs: list[Run], cls: str = "") -> str:
        return f"<p{f' class={cls!r}' if cls else ''}>{html_runs(runs, printed.licence_url)}</p>"

    parts = [para([(printed.title, "")], "book-imprint-title"), *(para(p) for p in printed.rights)]
    if printed.sources:
        parts.append(f'<h2 id="book-imprint-sources">{html.escape(printed.sources_head)}</h2>')
        parts += [para(p, "book-imprint-source") for p in printed.sources]
    parts += [para([(line, "")]) for line in (printed.publisher, printed.edition, printed.date) if line]
    return "\n".join(parts).replace("class='", 'class="').replace("'>", '">')


def footer_rights(printed: Imprint, rights_page: str) -> str:
    """Every HTML page's footer: the copyright line, the licence (rel="license") and a link to
    the rights page with the sources."""
    first = printed.rights[:2]
    gap = _gap(first[-1][-1][0]) if first else ""
    more = f'<a class="reference internal" href="{html.escape(rights_page)}">{html.escape(printed.rights_page)}</a>'
    return html_runs(_sentences(first), printed.licence_url) + gap + more


def _outline(app: Sphinx) -> Outline | None:
    from book.sources.outline import load_outline

    path = getattr(app.config, "book_outline", "")
    return load_outline(path) if path else None


def _collect_pages(app: Sphinx) -> Any:
    outline = _outline(app) if app.builder.name in ("html", "dirhtml", "epub") else None
    if outline is None:
        return []
    printed = imprint(outline)
    title = words(outline.language)["imprint_page"] if app.builder.name == "epub" else printed.rights_page
    context = {"title": title, "book_imprint": imprint_body(printed)}
    return [(IMPRINT_PAGE, context, "book-imprint.html")]


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in ("html", "dirhtml"):
        return
    if "book_imprint" not in app.env.temp_data:
        _env_updated(app, app.env)
    printed = app.env.temp_data["book_imprint"]
    if printed is not None:
        context["book_footer_rights"] = footer_rights(printed, context["pathto"](IMPRINT_PAGE))
        context["book_licence_url"] = printed.licence_url


def _env_updated(app: Sphinx, env: Any) -> None:
    """Once a build has read its sources: the imprint, for every page's footer."""
    outline = _outline(app) if app.builder.name in ("html", "dirhtml") else None
    env.temp_data["book_imprint"] = imprint(outline) if outline else None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-updated", _env_updated)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("html-page-context", _page_context)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
