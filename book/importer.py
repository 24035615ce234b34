"""``python -m book import``: documents + outline -> MyST chapter drafts in ``chapters/``.

The summary becomes the Overview chapter, the article's lead the Introduction, its headings
parts, chapters and sections as the outline says, each note mark a citation role, and the
reading lists the back matter. Generated files carry a marker line; a file without it (edited
by hand, or never generated, like the glossary) is never overwritten.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import myst
from .bibliography import Bibliography, build_bibliography
from .errors import BookError
from .model import Document, Heading, Paragraph
from .outline import LEVELS, Outline, load_outline
from .reader import SourceWarning, looks_like_heading, read_document

READING_LISTS = ("Further reading", "Primary sources")
BACK_MATTER_HANDWRITTEN = ("glossary", "timeline")


@dataclass
class Page:
    """One Sphinx document to write: a part page or a chapter."""

    name: str  # file stem under chapters/
    title: str
    level: int  # 1 part, 2 chapter
    body: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    index_terms: set[str] = field(default_factory=set)


def import_book(outline_path: Path, out: Path) -> list[Path]:
    """Write the chapters for the book the outline describes; returns the files written."""
    outline = load_outline(outline_path)
    documents = [read_document(p) for p in outline.documents if p != outline.article]
    article = read_document(outline.article, headings=outline.headings)
    _check_headings(outline, article)
    bib = build_bibliography([*documents, article])
    pages = _pages(outline, documents, article, bib)
    return _write(out, outline, pages, article, bib)


def _check_headings(outline: Outline, article: Document) -> None:
    found = {b.text for b in article.blocks if isinstance(b, Heading)}
    for text in outline.headings:
        if text not in found:
            raise outline.error(
                f"heading '{text}' is not a line of {outline.article.name}",
                f'"{text}"',
                hint="copy the heading line exactly from the document, or remove the entry",
            )
    for block in article.blocks:
        if isinstance(block, Paragraph) and not block.marks and looks_like_heading(block.text):
            warnings.warn(
                f"{article.path}:{block.line}: '{block.text}' looks like a heading but is not in "
                f"{outline.path.name}; it is kept as a paragraph",
                SourceWarning,
                stacklevel=2,
            )


def paragraph_markup(block: Paragraph, doc: Document, bib: Bibliography) -> str:
    """A paragraph as MyST: escaped text with each note mark replaced by its citation role."""
    out: list[str] = []
    pos = 0
    for mark in block.marks:
        out.append(myst.escape(block.text[pos : mark.offset]) if pos == 0 else myst.escape_inline(block.text[pos : mark.offset]))
        out.append(bib.note_markup(doc.name, mark.number))
        pos = mark.offset
    rest = block.text[pos:]
    out.append(myst.escape(rest) if pos == 0 else myst.escape_inline(rest))
    return "".join(out)


def _pages(outline: Outline, documents: list[Document], article: Document, bib: Bibliography) -> list[Page]:
    titles = outline.titles
    pages = [Page("overview", titles["overview"], LEVELS["part"])]
    summary = Page("summary", "Summary", LEVELS["chapter"])
    for doc in documents:
        summary.body += [paragraph_markup(b, doc, bib) for b in doc.blocks if isinstance(b, Paragraph)]
    intro = Page("introduction", titles["introduction"], LEVELS["chapter"])
    pages[0].children = [summary.name, intro.name]
    pages += [summary, intro]

    current = intro
    part: Page | None = None
    parts = 0
    chapters = 0
    terms = outline.index_terms
    for block in article.blocks:
        if isinstance(block, Paragraph):
            current.body.append(paragraph_markup(block, article, bib))
            current.index_terms |= {t for t in terms if re.search(rf"\b{re.escape(t)}\b", block.text)}
            continue
        if block.text in outline.editorial_parts or block.level == LEVELS["part"]:
            parts += 1
            title = outline.editorial_parts.get(block.text, block.text)
            part = Page(f"part-{parts}-{myst.slug(title)}", title, LEVELS["part"])
            pages.append(part)
            current = part
        if block.level == LEVELS["chapter"]:
            chapters += 1
            current = Page(f"ch-{chapters:02d}-{myst.slug(block.text)}", block.text, LEVELS["chapter"])
            assert part is not None  # the outline's first heading is a part
            part.children.append(current.name)
            pages.append(current)
        elif block.level > LEVELS["chapter"]:
            current.body.append(myst.heading(block.level - 1, block.text))
    back = Page("back-matter", "Back Matter", LEVELS["part"])
    back.children = [*BACK_MATTER_HANDWRITTEN, "bibliography"]
    pages.append(back)
    pages.append(_bibliography_page(article, bib))
    return pages


def _bibliography_page(article: Document, bib: Bibliography) -> Page:
    page = Page("bibliography", "Bibliography", LEVELS["chapter"])
    page.body.append(myst.heading(2, "Works Cited"))
    page.body.append(myst.directive("bibliography", options={"cited": ""}))
    for name in READING_LISTS:
        items = bib.reading_list(article.name, name)
        if not items:
            continue
        page.body.append(myst.heading(2, name))
        keys = [key for key, _ in items if key]
        if keys:
            page.body.append(myst.directive("bibliography", options={"keys": " ".join(keys)}))
        others = [text for key, text in items if not key]
        if others:
            page.body.append("\n".join(f"- {myst.escape_inline(t)}" for t in others) + "\n")
    see_also = article.lists.get("See also", [])
    if see_also:
        page.body.append(myst.heading(2, "See Also"))
        page.body.append("\n".join(f"- {myst.escape_inline(item.text)}" for item in see_also) + "\n")
    return page


def _render(page: Page) -> str:
    parts = [myst.GENERATED, "", myst.heading(1, page.title, label=page.name)]
    if page.index_terms:
        parts.append(myst.directive("index", ", ".join(sorted(page.index_terms))))
    parts += page.body
    if page.children:
        parts.append(myst.toctree(page.children, maxdepth=2))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def _write(out: Path, outline: Outline, pages: list[Page], article: Document, bib: Bibliography) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for page in pages:
        written += _write_file(out / f"{page.name}.md", _render(page))
    top = [f"{out.name}/{p.name}" for p in pages if p.level == LEVELS["part"]]
    written += _write_file(out.parent / "index.md", _index_page(outline, top))
    for stale in out.glob("*.md"):
        if stale not in written and _is_generated(stale):
            stale.unlink()
    return written


def _index_page(outline: Outline, parts: list[str]) -> str:
    name = outline.filename
    links = (
        '<p class="book-downloads">Download this book: '
        f'<a class="reference download" href="downloads/{name}.pdf" download>PDF</a> · '
        f'<a class="reference download" href="downloads/{name}.epub" download>EPUB</a></p>'
    )
    # The PDF and EPUB are copied into the HTML site's downloads/ when the editions are published.
    downloads = "::::{only} builder_html\n" + myst.directive("raw", "html", body=links) + "::::\n"
    body = [
        myst.GENERATED,
        "",
        myst.heading(1, outline.title),
        f"*{myst.escape_inline(outline.subtitle)}*\n" if outline.subtitle else "",
        downloads,
        myst.toctree(parts, maxdepth=2),
    ]
    return "\n".join(b.rstrip("\n") + "\n" for b in body if b)


def _is_generated(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline().rstrip("\n") == myst.GENERATED
    except OSError:
        return False


def _write_file(path: Path, text: str) -> list[Path]:
    if path.exists() and not _is_generated(path):
        warnings.warn(f"{path}: edited by hand (no marker line), left as it is", SourceWarning, stacklevel=2)
        return [path]
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return [path]


__all__ = ["import_book", "paragraph_markup", "BookError"]
