"""The importer on small samples: documents + outline -> MyST chapters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from book.commands.bibliography import build_bibliography
from book.commands.importer import import_book, paragraph_markup
from book.errors import BookError
from book.sources.model import Paragraph
from book.sources.myst import GENERATED
from book.sources.reader import read_document

from .conftest import ROOT

TINY = ROOT / "tests" / "roots" / "tiny-book"


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    shutil.copytree(TINY, tmp_path / "tiny")
    return tmp_path / "tiny"


def test_marks_become_citation_roles_in_place(book: Path):
    doc = read_document(book / "documents" / "tiny.txt")
    bib = build_bibliography([doc], corrections=None)
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and len(b.marks) == 2)
    markup = paragraph_markup(para, doc, bib)
    assert markup.startswith("The chapter tells how the envoys travelled")
    # [3][4]: two roles back to back, right after the full stop, in mark order
    _head, roles = markup.split("capital.", 1)
    assert roles.startswith("{cite}`@smith2001rivers, pp. 30–31`{cite}`@ivanov1999envoys, p. 7`")


def test_import_writes_parts_chapters_sections_and_back_matter(book: Path):
    written = import_book(book / "outline.toml", book / "chapters")
    names = sorted(p.name for p in written)
    assert names == [
        "back-matter.md", "bibliography.md", "ch-01-a-chapter.md", "ch-02-another-chapter.md", "index.md",
        "introduction.md", "part-1-first-part.md",
    ]  # fmt: skip
    part = (book / "chapters" / "part-1-first-part.md").read_text(encoding="utf-8")
    assert part.startswith(GENERATED) and "# First Part" in part
    assert ":::{toctree}" in part and "ch-01-a-chapter\nch-02-another-chapter" in part
    chapter = (book / "chapters" / "ch-01-a-chapter.md").read_text(encoding="utf-8")
    assert "\n## A Section\n" in chapter
    bibliography = (book / "chapters" / "bibliography.md").read_text(encoding="utf-8")
    assert ":cited:" in bibliography and "## Further reading" in bibliography
    index = (book / "index.md").read_text(encoding="utf-8")
    assert "chapters/introduction" in index and "chapters/part-1-first-part" in index


def test_import_leaves_hand_edited_chapters_alone(book: Path):
    import_book(book / "outline.toml", book / "chapters")
    chapter = book / "chapters" / "ch-01-a-chapter.md"
    edited = "# A Chapter\n\nAn author's own words.\n"
    chapter.write_text(edited, encoding="utf-8")
    with pytest.warns(UserWarning, match="edited by hand"):
        import_book(book / "outline.toml", book / "chapters")
    assert chapter.read_text(encoding="utf-8") == edited


def test_import_is_deterministic(book: Path, tmp_path: Path):
    import_book(book / "outline.toml", book / "chapters")
    first = {p.name: p.read_text(encoding="utf-8") for p in (book / "chapters").iterdir()}
    shutil.rmtree(book / "chapters")
    import_book(book / "outline.toml", book / "chapters")
    assert first == {p.name: p.read_text(encoding="utf-8") for p in (book / "chapters").iterdir()}


def test_the_committed_chapters_are_what_import_writes(tmp_path: Path):
    """The book's generated chapters and the documents agree (hand-edited ones are skipped)."""
    shutil.copytree(ROOT / "documents", tmp_path / "documents")
    shutil.copy(ROOT / "outline.toml", tmp_path / "outline.toml")
    shutil.copy(ROOT / "bib-corrections.toml", tmp_path / "bib-corrections.toml")
    written = import_book(tmp_path / "outline.toml", tmp_path / "chapters")
    for path in written:
        committed = ROOT / path.relative_to(tmp_path)
        text = committed.read_text(encoding="utf-8")
        if text.startswith(GENERATED):
            assert text == path.read_text(encoding="utf-8"), committed


def test_outline_heading_missing_from_the_article(book: Path):
    outline = book / "outline.toml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace('"A Section"', '"A Sektion"'), encoding="utf-8"
    )
    with pytest.raises(BookError) as err:
        import_book(outline, book / "chapters")
    assert f"{outline}:15:" in str(err.value) and "A Sektion" in str(err.value)


def test_outline_section_without_chapter(book: Path):
    outline = book / "outline.toml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace('"A Chapter" = "chapter"', '"A Chapter" = "section"'),
        encoding="utf-8",
    )
    with pytest.raises(BookError, match="no chapter above it"):
        import_book(outline, book / "chapters")
