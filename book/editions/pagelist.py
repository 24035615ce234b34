"""The printed book's page numbers in the EPUB: page-break markers and a ``page-list``.

While each document is read, :class:`PageMarks` puts a mark at the start of every paragraph of
the text and every :data:`WORDS` words in it (not in notes or headings); the bibliography's
entries get one when they are filled in. Each mark has a key that is the same in every
edition. In the PDF a mark writes its key and the page it lands on into the ``.aux`` file
(``\\bookpage`` in ``bookdesign.sty``, which also records the folio of every page shipped out,
``\\bookfolio``); in the EPUB it is an XML comment, and the HTML has none.

Once xelatex has typeset the book, :func:`finish_epub` reads the ``.aux`` and finishes the
EPUB's XHTML: each printed page gets a ``doc-pagebreak`` marker with its folio at the first
mark (or labelled section) that lies on it; a page without one (a blank page, a part title)
is marked with the next. The navigation document gets the ``page-list``, the package the
page source (``dc:source``, the PDF's identifier) and the accessibility features, and the
EPUB is zipped again. Finishing again after another typesetting replaces the markers.
"""

from __future__ import annotations

import html
import re
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from .ebook import write_epub

__all__ = ["PageMarks", "finish_epub", "page_mark", "setup"]

WORDS = 16  # a mark every so many words: a page's marker stands at most this far into it
_SKIP = (
    nodes.footnote, nodes.citation, nodes.title, nodes.caption, nodes.literal_block, nodes.raw,
    nodes.comment, nodes.term, nodes.substitution_definition,
)  # fmt: skip
_WORD = re.compile(r"\S+")


class page_mark(nodes.Inline, nodes.Element):
    """A place whose printed page the EPUB records: ``key``."""


def _document_key(docname: str) -> str:
    return f"{zlib.crc32(docname.encode('utf-8')):08x}"


def _in_text(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP):
            return False
        parent = parent.parent
    return True


class PageMarks(SphinxTransform):
    """Marks in every paragraph of the text (see the module)."""

    default_priority = 710

    def apply(self, **kwargs: Any) -> None:
        prefix = _document_key(self.env.docname)
        count = 0
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if not _in_text(paragraph):
                continue
            count += 1
            paragraph.insert(0, page_mark(key=f"{prefix}.{count}"))
            words = 0
            for text in [c for c in paragraph.children if isinstance(c, nodes.Text)]:
                source, pieces, start = str(text), [], 0
                for word in _WORD.finditer(source):
                    words += 1
                    if words % WORDS == 0 and word.start() > 0:
                        count += 1
                        pieces += [
                            nodes.Text(source[start : word.start()]),
                            page_mark(key=f"{prefix}.{count}"),
                        ]
                        start = word.start()
                if pieces:
                    text.parent.replace(text, [*pieces, nodes.Text(source[start:])])


class BibliographyMarks(SphinxPostTransform):
    """A mark on each entry of a bibliography (its entries are made when the page is written)."""

    default_priority = 10  # after the citations' BibliographyTransform (5)
    builders = ("latex", "epub")

    def run(self, **kwargs: Any) -> None:
        for entry in self.document.findall(nodes.paragraph):
            if "csl-entry" in entry["classes"] and entry["ids"]:
                entry.insert(0, page_mark(key=f"bib.{entry['ids'][0]}"))


def _visit_html(translator: Any, node: page_mark) -> None:
    if translator.builder.name == "epub":
        translator.body.append(f"<!--pm {node['key']}-->")
    raise nodes.SkipNode


def _visit_latex(translator: Any, node: page_mark) -> None:
    translator.body.append(rf"\bookpagemark{{{node['key']}}}")
    raise nodes.SkipNode


def _skip(translator: Any, node: page_mark) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        page_mark,
        html=(_visit_html, None),
        latex=(_visit_latex, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_transform(PageMarks)
    app.add_post_transform(BibliographyMarks)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# -- finishing the EPUB once the PDF is typeset ---------------------------------------------------

_FOLIO = re.compile(r"^\\bookfolio\{([^}]*)\}", re.M)
_PAGE = re.compile(r"^\\bookpage\{([^}]*)\}\{([^}]*)\}", re.M)
_LABEL = re.compile(r"^\\newlabel\{([^}]*)\}\{\{[^{}]*\}\{([^{}]*)\}", re.M)
_MARK = re.compile(r"<!--pm ([^ ]+)-->")
_ELEMENT = re.compile(r'<(section|p)\b[^>]*?\bid="([^"]+)"[^>]*>')
_ASIDE = re.compile(r"<aside\b.*?</aside>", re.S)
_MAIN = re.compile(r'<div class="body" role="main">')
_BREAK = re.compile(r'<span class="book-page"[^>]*></span>')
_PAGE_LIST = re.compile(r'\s*<nav epub:type="page-list".*?</nav>', re.S)
_SOURCE = re.compile(r"\s*<!-- page source -->.*?<!-- /page source -->", re.S)
_FEATURES = ("pageBreakMarkers", "pageNavigation")


@dataclass
class Pages:
    """What the ``.aux`` says: the folio of every page in print order, of every mark and label."""

    folios: list[str] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)  # mark key or "docname:id" -> folio

    @classmethod
    def read(cls, aux: Path) -> Pages:
        text = aux.read_text(encoding="utf-8", errors="replace")
        pages = cls(list(dict.fromkeys(_FOLIO.findall(text))))
        for key, folio in [*_LABEL.findall(text), *_PAGE.findall(text)]:
            pages.places.setdefault(key, folio)
        return pages


def pdf_source(name: str) -> str:
    """The PDF's identifier (its XMP document ID, :mod:`.latexbook`) as the EPUB's page source."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'book:{name}')}"


def _candidates(text: str, docname: str, pages: Pages) -> list[tuple[int, str]]:
    """(offset, folio) of the places in an XHTML page whose printed page is known, in order:
    the marks and the labelled sections and paragraphs, none inside a note."""
    notes = [m.span() for m in _ASIDE.finditer(text)]
    found: list[tuple[int, str]] = []
    for match in _MARK.finditer(text):
        if match.group(1) in pages.places:
            found.append((match.end(), pages.places[match.group(1)]))
    for match in _ELEMENT.finditer(text):
        label = f"{docname}:{match.group(2)}"
        if label in pages.places:
            found.append((match.end() if match.group(1) == "p" else match.start(), pages.places[label]))
    special = {"index": "contents", "genindex": "genindex"}.get(docname)
    main = _MAIN.search(text)
    if special in pages.places and main:
        found.append((main.end(), pages.places[special]))
    return sorted(f for f in found if not any(s <= f[0] < e for s, e in notes))


def _marker(folio: str) -> str:
    folio = html.escape(folio)
    return (
        f'<span class="book-page" epub:type="pagebreak" role="doc-pagebreak" '
        f'id="book-page-{folio}" aria-label="{folio}"></span>'
    )


def finish_epub(folder: Path, aux: Path | None, name: str) -> int:
    """Put the printed pages of ``aux`` into the EPUB built in ``folder`` (see the module) and
    zip it again as ``<name>.epub`` if anything changed; the number of pages listed. Without an
    ``aux`` (an EPUB built without the PDF), the markers of an earlier build are taken out."""
    pages = Pages.read(aux) if aux is not None and aux.is_file() else Pages()
    order = {folio: n for n, folio in enumerate(pages.folios)}
    opf = (folder / "content.opf").read_text(encoding="utf-8")
    manifest = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [manifest[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf) if i in manifest]
    done, listed, changed = -1, [], False
    for href in spine:
        path = folder / href
        before = path.read_text(encoding="utf-8")
        text = _BREAK.sub("", before)
        inserts: list[tuple[int, str]] = []
        for offset, folio in _candidates(text, href.removesuffix(".xhtml"), pages):
            at = order.get(folio, -1)
            if at <= done:
                continue
            new = pages.folios[done + 1 : at + 1]
            inserts.append((offset, "".join(_marker(f) for f in new)))
            listed += [(f, f"{href}#book-page-{html.escape(f)}") for f in new]
            done = at
        for offset, markup in reversed(inserts):
            text = text[:offset] + markup + text[offset:]
        changed |= _write(path, before, text)
    changed |= _page_list(folder / "nav.xhtml", listed)
    changed |= _package(folder / "content.opf", pdf_source(name) if listed else "")
    epub = folder / f"{name}.epub"
    if changed and epub.is_file():
        with zipfile.ZipFile(epub) as archive:
            names = archive.namelist()
        write_epub(epub, folder, names)
    return len(listed)


def _write(path: Path, before: str, text: str) -> bool:
    if text == before:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _page_list(nav: Path, listed: list[tuple[str, str]]) -> bool:
    before = nav.read_text(encoding="utf-8")
    text = _PAGE_LIST.sub("", before)
    if listed:
        items = "".join(f'\n        <li><a href="{href}">{html.escape(f)}</a></li>' for f, href in listed)
        block = (
            '\n    <nav epub:type="page-list" id="page-list" hidden="hidden">'
            f"\n      <h2>Pages</h2>\n      <ol>{items}\n      </ol>\n    </nav>"
        )
        text = text.replace("\n  </body>", block + "\n  </body>", 1)
    return _write(nav, before, text)


def _package(opf: Path, source: str) -> bool:
    """The page source and the page-navigation features in the package's metadata."""
    before = opf.read_text(encoding="utf-8")
    text = _SOURCE.sub("", before)
    if source:
        lines = [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in _FEATURES]
        lines.append(f'<dc:source id="page-source">{html.escape(source)}</dc:source>')
        lines.append('<meta refines="#page-source" property="source-of">pagination</meta>')
        block = "\n    <!-- page source -->\n    " + "\n    ".join(lines) + "\n    <!-- /page source -->"
        text = text.replace("\n  </metadata>", block + "\n  </metadata>", 1)
    return _write(opf, before, text)
