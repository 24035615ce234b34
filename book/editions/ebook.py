"""The EPUB 3 edition's finish: a cover made from the title, accessibility metadata, landmarks,
the index in the navigation, and a language on every content document.

Sphinx's own EPUB 3 builder writes the book; :class:`BookEpubBuilder` only adds to what it
writes, through the builder's own templates (``templates/epub3/``: ``content.opf`` and
``nav.xhtml`` with the additions) and its metadata methods.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import textwrap
import time
import zipfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder, NavPoint
from sphinx.locale import _

from book.citations.domain import citation_domain

from .imprint import IMPRINT_PAGE
from .languages import Words, words

#: the cover's description in an English book (every language's is in book/editions/words/)
COVER_ALT = words("en")["cover_description"]

__all__ = [
    "COVER_ALT",
    "COVER_IMAGE",
    "COVER_PAGE",
    "BookEpubBuilder",
    "cover_alt",
    "make_cover",
    "setup",
    "write_cover",
    "write_epub",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static" / "epub"
COVER_IMAGE = "_static/cover.png"
COVER_PAGE = "book-cover.html"  # the cover page's template, in TEMPLATES
COVER_SIZE = (1600, 2400)
_VIEWPORT = re.compile(r'\n?[ \t]*<meta name="viewport"[^>]*/>')

# What a reader needs to know before opening the book (EPUB Accessibility 1.1, schema.org).
ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),  # the cover
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "index"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
)


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the book's cover, landmarks and accessibility metadata."""

    template_dir = TEMPLATES / "epub3"  # type: ignore[assignment]

    @property
    def said(self) -> Words:
        """The book's own words in its language (the landmarks, the cover's description)."""
        return words(self.config.language)

    def handle_page(
        self,
        pagename: str,
        addctx: dict[str, Any],
        templatename: str = "page.html",
        *,
        outfilename: Path | None = None,
        event_arg: Any = None,
    ) -> None:
        super().handle_page(pagename, addctx, templatename, outfilename=outfilename, event_arg=event_arg)
        _drop_viewport(Path(outfilename or self.get_outfilename(pagename)))

    def handle_finish(self) -> None:
        # a cover page left by the last build would enter the spine twice
        (self.outdir / self.coverpage_name).unlink(missing_ok=True)
        if self.config.epub_cover:
            cover = self.outdir / self.config.epub_cover[0]
            cover.parent.mkdir(parents=True, exist_ok=True)
            self._cover(cover)
        super().handle_finish()

    def _cover(self, target: Path) -> None:
        write_cover(self.config, Path(self.doctreedir), target)

    def build_epub(self) -> None:
        """Write the EPUB file reproducibly (Sphinx's own zip is neither ordered nor dated)."""
        names = ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx", *self.files]
        write_epub(self.outdir / f"{self.config.epub_basename}.epub", self.outdir, names)

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        release = getattr(self.config, "book_release_date", "")
        if release:  # the book's one release date, not the day of the build
            metadata["release_date"] = html.escape(release)
            metadata["date"] = html.escape(f"{release}T00:00:00Z")
        metadata["accessibility"] = [
            *ACCESSIBILITY,
            ("schema:accessibilitySummary", html.escape(self.said["accessibility_summary"])),
        ]
        return metadata

    def build_navlist(self, navnodes: list[dict[str, Any]]) -> list[NavPoint]:
        navlist = super().build_navlist(navnodes)
        if self.use_index:
            navlist.append(NavPoint(html.escape(self.index_title), self._page("genindex"), []))
        return navlist

    def navigation_doc_metadata(self, navlist: list[NavPoint]) -> dict[str, Any]:
        metadata = super().navigation_doc_metadata(navlist)
        metadata["landmarks"] = [(t, h, html.escape(x)) for t, h, x in self.landmarks()]
        metadata["toc_locale"] = html.escape(self.said["contents"])
        metadata["landmarks_locale"] = html.escape(self.said["landmarks"])
        return metadata

    @property
    def index_title(self) -> str:
        return _("Index")  # Sphinx's translation, the one the index page is titled with

    def _page(self, docname: str) -> str:
        return docname + self.out_suffix

    def landmarks(self) -> list[tuple[str, str, str]]:
        """(epub:type, href, text) of the cover, contents, first chapter, glossary, bibliography, index."""
        marks: list[tuple[str, str, str]] = []
        if self.config.epub_cover and self.config.epub_cover[1]:
            marks.append(("cover", self.coverpage_name, self.said["cover"]))
        imprint = next((f for f, _ in self.config.epub_pre_files if f == self._page(IMPRINT_PAGE)), None)
        if imprint:
            marks.append(("copyright-page", imprint, self.said["imprint_page"]))
        root = self.config.root_doc
        marks.append(("toc", self._page(root), self.said["contents"]))
        front = {f for f, _ in self.config.epub_pre_files}
        body = [n["refuri"] for n in self.refnodes if "#" not in n["refuri"] and n["refuri"] not in front]
        first = next((uri for uri in body if uri != self._page(root)), None)
        if first:
            marks.append(("bodymatter", first, self.said["start_of_text"]))
        glossary = sorted({doc for (kind, _), (doc, _id) in _std_objects(self).items() if kind == "term"})
        if glossary:
            marks.append(("glossary", self._page(glossary[0]), self.said["glossary"]))
        bibliography = _bibliography_doc(self)
        if bibliography:
            marks.append(("bibliography", self._page(bibliography), self.said["bibliography"]))
        if self.use_index:
            marks.append(("index", self._page("genindex"), self.index_title))
        return marks


def write_cover(config: Any, doctreedir: Path, target: Path) -> None:
    """The cover image at ``target``: the author's (``[book] cover``), else one drawn once for a
    title, an author and the fonts found (cached beside the doctrees; a change to this
    package's code empties that cache, see buildstate)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if config.book_cover:
        shutil.copyfile(config.book_cover, target)
        return
    key = "\n".join([config.epub_title, config.epub_author, *map(_font_stamp, _COVER_FONTS)])
    cached = doctreedir / "bookcover" / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.png"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.stem}.part.png")
        make_cover(config.epub_title, config.epub_author, partial)
        os.replace(partial, cached)
    shutil.copyfile(cached, target)


def cover_alt(config: Any) -> str:
    """The cover's text alternative, in the book's language: what the drawn cover shows (it only
    sets the title and author in type; the book's metadata names them); the author's cover by
    its title."""
    said = words(config.language)
    return said("cover_of", title=config.epub_title) if config.book_cover else said["cover_description"]


def _drop_viewport(page: Path) -> None:
    """E-readers ignore a viewport in reflowable books (epubcheck says so): the basic theme writes one."""
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    lean = _VIEWPORT.sub("", text)
    if lean != text:
        page.write_text(lean, encoding="utf-8")


def _std_objects(builder: Epub3Builder) -> dict[tuple[str, str], tuple[str, str]]:
    return builder.env.domains.standard_domain.objects  # (kind, name) -> (docname, labelid)


def _bibliography_doc(builder: Epub3Builder) -> str | None:
    docs = (
        list(citation_domain(builder.env).bibliography_docs("cited"))
        if "bookcite" in builder.env.domains
        else []
    )
    if not docs:
        docs = [d for d in builder.env.found_docs if d.rsplit("/", 1)[-1] == "bibliography"]
    return sorted(docs)[0] if docs else None


def write_epub(path: Path, folder: Path, names: list[str]) -> None:
    """Zip ``names`` (paths under ``folder``) into the EPUB ``path``: ``mimetype`` first and
    stored, the rest in name order, every entry dated ``SOURCE_DATE_EPOCH`` (or 1980-01-01),
    no file modes; the same files give the same bytes."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800") or 315532800)
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    partial = path.with_name(f"{path.name}.tmp")
    with zipfile.ZipFile(partial, "w") as out:
        for name in sorted(set(names), key=lambda n: (n != "mimetype", n)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            out.writestr(info, (folder / name).read_bytes())
    os.replace(partial, path)


def make_cover(title: str, author: str, path: Path) -> None:
    """A cover image that only sets the title and author in type (PNG, 1600 x 2400)."""
    from PIL import Image, ImageDraw

    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, (28, 43, 64))
    draw = ImageDraw.Draw(image)
    ink, accent = (246, 241, 229), (201, 162, 39)
    main, _, sub = title.partition(": ")
    draw.rectangle((120, 120, width - 120, height - 120), outline=accent, width=6)
    y = 520
    y = _centred(draw, main, _font(_COVER_FONTS[0], 132), ink, y, width, 16)
    draw.line((width // 2 - 220, y + 60, width // 2 + 220, y + 60), fill=accent, width=6)
    y += 160
    if sub:
        y = _centred(draw, sub, _font(_COVER_FONTS[1], 84), ink, y, width, 28)
    _centred(draw, author, _font(_COVER_FONTS[2], 72), accent, height - 420, width, 36)
    image.save(path, optimize=True)


_COVER_FONTS = (
    "NotoSerif-Bold.ttf",
    "NotoSerif-Italic.ttf",
    "NotoSans-Regular.ttf",
)  # title, subtitle, author


def _font_stamp(name: str) -> str:
    """Which file Pillow takes for the font ``name`` (path, size, time), or "-" if none."""
    font = _font(name, 12)
    path = getattr(font, "path", None)
    if not isinstance(path, str) or not os.path.isfile(path):
        return f"{name} -"
    st = os.stat(path)
    return f"{name} {path} {st.st_size} {st.st_mtime_ns}"


def _font(name: str, size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(name, size)
    except OSError:  # the Noto fonts are missing: Pillow's own scalable font
        return ImageFont.load_default(size)


def _centred(
    draw: Any, text: str, font: Any, fill: tuple[int, int, int], y: int, width: int, chars: int
) -> int:
    """Draw ``text`` wrapped to ``chars`` characters a line, centred; returns the y below it."""
    for line in textwrap.wrap(text, chars) or [""]:
        left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - (right - left)) // 2, y), line, font=font, fill=fill)
        y += int((bottom - top) * 1.35)
    return y


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Every content document declares its language, in both ``lang`` and ``xml:lang``."""
    if app.builder.name != "epub":
        return
    lang = html.escape(app.config.epub_language or app.config.language or "en")
    context["html_tag"] = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}">'
    )
    if templatename == COVER_PAGE:
        context["cover_alt"] = cover_alt(app.config)
        context["cover_label"] = words(app.config.language)["cover"]


def _builder_inited(app: Sphinx) -> None:
    if app.builder.name == "epub":
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC)]  # not the shared default
        app.add_css_file("book-epub.css")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(BookEpubBuilder, override=True)
    app.add_config_value("book_cover", "", "env", types=frozenset({str}))  # the author's cover image
    app.connect("builder-inited", _builder_inited)
    if str(TEMPLATES) not in app.config.templates_path:
        # a new list: appending would change Sphinx's default for every later application
        app.config.templates_path = [*app.config.templates_path, str(TEMPLATES)]
    app.connect("html-page-context", _page_context)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
