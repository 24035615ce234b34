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

from book.editions.languages import Words, book_language, words
from book.references.bibfiles import HAND_FILE, check_not_edited, ensure_hand_file
from book.sources import myst
from book.sources.contents import index_page, is_generated, write_contents
from book.sources.model import Document, Heading, Paragraph
from book.sources.outline import LEVELS, Outline, load_outline
from book.sources.reader import SourceWarning, looks_like_heading, read_document

from .bibliography import Bibliography, Unresolved, book_bibliography, write_bib

#: the reading lists of the source documents, and the key of each one's heading in the book's words
READING_LISTS = {"Further reading": "further_reading", "Primary sources": "primary_sources"}


@dataclass
class Page:
    """One Sphinx document to write: a part page or a chapter."""

    name: str  # file stem under chapters/
    title: str
    level: int  # 1 part, 2 chapter
    body: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    written: bool = True  # False for a hand-written chapter only listed in the contents


def import_book(outline_path: Path, out: Path) -> list[Path]:
    """Write the chapters for the book the outline describes; returns the files written. A book
    of hand-written chapters (no documents) gets its index.md and bibliography page."""
    outline = load_outline(outline_path)
    if not outline.documents:
        return write_contents(outline, words(outline.language)["download_this_book"])
    return write_chapters(outline, out)


def write_chapters(
    outline: Outline,
    out: Path,
    chapter_per_document: bool | None = None,
    bib_file: Path | None = None,
    unresolved: list[Unresolved] | None = None,
) -> list[Path]:
    """Read the outline's documents and write the book's MyST pages into ``out``.

    With ``chapter_per_document`` (default: the outline's ``[sources] chapter_per_document``)
    each source document becomes one chapter (its headings its sections); otherwise the outline's headings make parts, chapters and sections. The
    bibliography is the book's (``book_bibliography``: corrections, the author's own
    entries, the keys generated before); with ``bib_file`` the generated entries are also
    written there. The notes and references it could not resolve are added to ``unresolved``.
    """
    said = words(book_language(outline).code)
    summary = read_document(outline.summary, strict=outline.strict) if outline.summary else None
    sources = [read_document(p, headings=outline.headings, strict=outline.strict) for p in outline.sources]
    for doc in sources:
        _check_headings(outline, doc, require_all=len(sources) == 1)
    bib = book_bibliography([d for d in (summary, *sources) if d is not None], outline.path.parent)
    if unresolved is not None:
        unresolved.extend(bib.unresolved)
    if bib_file is not None:
        check_not_edited(bib_file)
        write_bib(bib, bib_file)
        ensure_hand_file(bib_file.parent / HAND_FILE)
    if chapter_per_document is None:
        chapter_per_document = outline.chapter_per_document
    if chapter_per_document:
        pages = _pages_per_document(outline, summary, sources, bib)
    else:
        pages = _pages(outline, summary, sources[0], bib)
    bibliography = _bibliography_page([d for d in (summary, *sources) if d], bib, said)
    if not any(p.name == "back-matter" for p in pages):
        bibliography.level = LEVELS["part"]  # no parts: a top-level entry
    if bibliography.body:
        pages.append(bibliography)
    else:  # no notes and no reading lists: no bibliography
        _drop_child(pages, bibliography.name)
    front = [Page(name, "", LEVELS["part"], written=False) for name in outline.front_matter]
    pages = front + pages
    _check_hand_chapters(outline, out, pages)
    return _write(out, outline, pages)


def _check_hand_chapters(outline: Outline, out: Path, pages: list[Page]) -> None:
    """Every chapter the outline lists must exist; a hand-written chapter listed nowhere is
    added to the contents (before the bibliography) with a warning, never dropped."""
    for name in (*outline.front_matter, *outline.back_matter):
        if not (out / f"{name}.md").exists():
            line = outline.line_of(f'"{name}"')
            warnings.warn(
                f"{outline.path}:{line}: chapter '{name}' is listed but "
                f"{out.name}/{name}.md does not exist yet: write it before the build",
                SourceWarning,
                stacklevel=3,
            )
    listed = {p.name for p in pages} | {c for p in pages for c in p.children}
    listed |= _hand_toctree_entries(out)
    for path in sorted(out.glob("*.md")):
        if path.stem in listed or is_generated(path):
            continue
        warnings.warn(
            f"{path}: a chapter written by hand that {outline.path.name} lists nowhere; added to the "
            "contents before the bibliography (list it under [front_matter] or [back_matter] "
            "chapters to place it)",
            SourceWarning,
            stacklevel=3,
        )
        hand = Page(path.stem, "", LEVELS["part"], written=False)
        at = next((i for i, p in enumerate(pages) if p.name in ("bibliography", "back-matter")), len(pages))
        pages.insert(at, hand)


def _hand_toctree_entries(out: Path) -> set[str]:
    """Chapter names listed in the toctrees of hand-written pages (and a hand-written index)."""
    names: set[str] = set()
    for path in [*out.glob("*.md"), out.parent / "index.md"]:
        if not path.exists() or is_generated(path):
            continue
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"[:`]{3,}\{toctree\}(.*?)\n[:`]{3,}", text, re.S):
            for line in block.splitlines():
                line = line.strip()
                if line and not line.startswith(":"):
                    names.add(Path(line).stem)
    return names


def _drop_child(pages: list[Page], name: str) -> None:
    """Take ``name`` out of every page's contents."""
    for page in pages:
        if name in page.children:
            page.children.remove(name)


def _fill(page: Page, doc: Document, bib: Bibliography) -> Page:
    """Add every paragraph of ``doc`` to ``page``."""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(page, block, doc, bib)
    return page


def _check_headings(outline: Outline, doc: Document, require_all: bool) -> None:
    found = {b.text for b in doc.blocks if isinstance(b, Heading)}
    for text in outline.headings:
        if require_all and text not in found:
            raise outline.error(
                f"heading '{text}' is not a line of {doc.path.name}",
                f'"{text}"',
                hint="copy the heading line exactly from the document, or remove the entry",
            )
    for block in doc.blocks:
        if isinstance(block, Paragraph) and not block.marks and looks_like_heading(block.text):
            warnings.warn(
                f"{doc.path}:{block.line}: '{block.text}' looks like a heading but is not in "
                f"{outline.path.name}; it is kept as a paragraph",
                SourceWarning,
                stacklevel=2,
            )


def paragraph_markup(block: Paragraph, doc: Document, bib: Bibliography) -> str:
    """A paragraph as MyST: escaped text, each note mark replaced by its citation role. (Index
    terms are marked when the book is built, in every chapter: book/editions/bookindex.py.)"""
    # (offset, order, markup, end): notes in order
    events = [(m.offset, n, bib.note_markup(doc.name, m.number), m.offset) for n, m in enumerate(block.marks)]
    out, position = [], 0
    for start, _, markup, end in events:
        piece = block.text[position:start]
        out += [myst.escape(piece) if position == 0 else myst.escape_inline(piece), markup]
        position = end
    rest = block.text[position:]
    out.append(myst.escape(rest) if position == 0 else myst.escape_inline(rest))
    return "".join(out)


def _pages(outline: Outline, summary: Document | None, article: Document, bib: Bibliography) -> list[Page]:
    """Parts, chapters and sections as the outline says; the lead is the Introduction."""
    has_parts = outline.has_parts
    pages: list[Page] = []
    intro = Page("introduction", _title(outline, "introduction"), LEVELS["chapter"])
    if summary is not None:
        overview = _fill(Page("summary", _title(outline, "summary"), LEVELS["chapter"]), summary, bib)
        if has_parts:
            top = Page(
                "overview", _title(outline, "overview"), LEVELS["part"], children=[overview.name, intro.name]
            )
            pages.append(top)
        else:
            overview.title = _title(outline, "overview")
            overview.level = LEVELS["part"]  # a top-level entry
        pages.append(overview)
    pages.append(intro)
    if not has_parts or summary is None:
        intro.level = LEVELS["part"]  # a top-level entry of the contents

    current, part = intro, None
    parts = chapters = 0
    for block in article.blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(current, block, article, bib)
            continue
        if block.text in outline.editorial_parts or block.level == LEVELS["part"]:
            parts += 1
            title = outline.editorial_parts.get(block.text, block.text)
            part = current = Page(f"part-{parts}-{myst.slug(title)}", title, LEVELS["part"])
            pages.append(part)
        if block.level == LEVELS["chapter"]:
            chapters += 1
            current = Page(f"ch-{chapters:02d}-{myst.slug(block.text)}", block.text, LEVELS["chapter"])
            if part is not None:
                part.children.append(current.name)
            else:
                current.level = LEVELS["part"]  # no parts: chapters are the top level
            pages.append(current)
        elif block.level > LEVELS["chapter"]:
            current.body.append(myst.heading(block.level - 1, block.text))
    if not intro.body:  # a document with no lead has no introduction
        pages.remove(intro)
        _drop_child(pages, intro.name)
    return pages + _back_matter(outline, has_parts)


def _pages_per_document(
    outline: Outline,
    summary: Document | None,
    sources: list[Document],
    bib: Bibliography,
) -> list[Page]:
    """One chapter per source document, its headings its sections."""
    pages: list[Page] = []
    if summary is not None:
        summary_page = Page("summary", _title(outline, "overview"), LEVELS["part"])
        pages.append(_fill(summary_page, summary, bib))
    for number, doc in enumerate(sources, 1):
        title = doc.title or doc.path.stem.replace("_", " ").replace("-", " ").title()
        page = Page(f"ch-{number:02d}-{myst.slug(title)}", title, LEVELS["part"])
        # The document's top heading level makes the chapter's sections (##), whatever the
        # outline calls it.
        top = min((b.level for b in doc.blocks if isinstance(b, Heading)), default=1)
        for block in doc.blocks:
            if isinstance(block, Paragraph):
                _add_paragraph(page, block, doc, bib)
            else:
                page.body.append(myst.heading(min(block.level - top + 2, 6), block.text))
        pages.append(page)
    return pages + _back_matter(outline, has_parts=False)


def _add_paragraph(page: Page, block: Paragraph, doc: Document, bib: Bibliography) -> None:
    page.body.append(paragraph_markup(block, doc, bib))


def _title(outline: Outline, key: str) -> str:
    """A generated page's title: the outline's ``[titles]``, else the book's words."""
    return outline.titles.get(key) or words(outline.language)[key]


def _back_matter(outline: Outline, has_parts: bool) -> list[Page]:
    if has_parts:
        back = Page("back-matter", words(outline.language)["back_matter"], LEVELS["part"])
        back.children = [*outline.back_matter, "bibliography"]
        return [back]
    return [Page(name, "", LEVELS["part"], written=False) for name in outline.back_matter]


def _bibliography_page(documents: list[Document], bib: Bibliography, said: Words) -> Page:
    page = Page("bibliography", said["bibliography"], LEVELS["chapter"])
    if any(doc.notes for doc in documents):
        page.body.append(myst.heading(2, said["works_cited"]))
        page.body.append(myst.directive("bibliography", options={"cited": ""}))
    for name, heading in READING_LISTS.items():
        items = [item for doc in documents for item in bib.reading_list(doc.name, name)]
        if not items:
            continue
        page.body.append(myst.heading(2, said[heading]))
        keys = [key for key, _ in items if key]
        if keys:
            page.body.append(myst.directive("bibliography", options={"keys": " ".join(dict.fromkeys(keys))}))
        others = [text for key, text in items if not key]
        if others:
            page.body.append("\n".join(f"- {myst.escape(t)}" for t in others) + "\n")
    see_also = [item for doc in documents for item in doc.lists.get("See also", [])]
    if see_also:
        page.body.append(myst.heading(2, said["see_also"]))
        page.body.append("\n".join(f"- {myst.escape(item.text)}" for item in see_also) + "\n")
    return page


def _render(page: Page) -> str:
    parts = [myst.GENERATED, ""]
    if page.name == "back-matter":  # in print, the back matter has no part page of its own
        parts.append(myst.directive("raw", "latex", body=r"\bookbackmatter"))
    parts += [myst.heading(1, page.title, label=page.name), *page.body]
    if page.children:
        parts.append(myst.toctree(page.children, maxdepth=2))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def _write(out: Path, outline: Outline, pages: list[Page]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for page in pages:
        if page.written:
            written += _write_file(out / f"{page.name}.md", _render(page))
    top = [f"{out.name}/{p.name}" for p in pages if p.level == LEVELS["part"]]
    label = words(outline.language)["download_this_book"]
    written += _write_file(out.parent / "index.md", index_page(outline, top, label))
    kept = set(written)
    for stale in out.glob("*.md"):
        if stale not in kept and is_generated(stale):
            stale.unlink()
    return written


def _write_file(path: Path, text: str) -> list[Path]:
    if path.exists() and not is_generated(path):
        warnings.warn(f"{path}: edited by hand (no marker line), left as it is", SourceWarning, stacklevel=2)
        return [path]
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return [path]


__all__ = ["import_book", "paragraph_markup", "write_chapters"]
