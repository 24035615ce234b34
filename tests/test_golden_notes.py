"""The book's 62 notes and its Works cited, as checked by hand (tests/gold/notes.txt), are what
all three editions print: a change to any note shows here as a readable diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from book.sources.outline import load_outline

from .conftest import ROOT
from .golden_notes import epub_notes, epub_works_cited, html_notes, html_works_cited, read_golden, squash

pytestmark = pytest.mark.edition
NAME = load_outline(ROOT / "outline.toml").filename
NOTES, WORKS = read_golden()


def test_golden_file_has_every_note_and_work():
    assert len(NOTES) == 62
    assert len(WORKS) == 50  # every work the notes cite
    deasy = next(text for _, _, text in NOTES if text.startswith("Deasy"))
    assert deasy == "Deasy 1901, 356–57."  # what the source gives, no editorial query


def test_html_notes_and_works_cited_are_the_golden_ones(book_dist: Path):
    assert html_notes(book_dist) == NOTES
    assert html_works_cited(book_dist) == WORKS


def test_epub_notes_and_works_cited_are_the_golden_ones(book_dist: Path):
    (epub,) = book_dist.glob("*.epub")
    by_page: dict[str, list[str]] = {}
    for page, _, text in NOTES:
        by_page.setdefault(page, []).append(text)
    assert epub_notes(epub) == by_page
    assert epub_works_cited(epub) == WORKS


def test_pdf_has_every_golden_note_and_work(book_dist: Path):
    text = squash("".join(page.extract_text() or "" for page in PdfReader(book_dist / f"{NAME}.pdf").pages))
    missing = [t for _, _, t in NOTES if squash(t) not in text] + [w for w in WORKS if squash(w) not in text]
    assert not missing, missing[:3]
