"""The PDF's font set-up follows the scripts of the book's text: xeCJK and Russian hyphenation
only where CJK or Cyrillic characters occur (each costs time in every xelatex pass)."""

from __future__ import annotations

import shutil
from pathlib import Path

from book.editions.latexbook import CJK_FONTS, CYRILLIC_HYPHENATION, LATIN_FONTS, fonts, scripts_of
from book.sources.outline import load_outline

from .conftest import TINY


def _book(tmp_path: Path, text: str) -> Path:
    book = tmp_path / "book"
    shutil.copytree(TINY, book)
    (book / "chapters").mkdir()
    (book / "chapters" / "ch.md").write_text(f"# A chapter\n\n{text}\n", encoding="utf-8")
    return book


def test_latin_text_loads_neither(tmp_path: Path):
    book = _book(tmp_path, "Nerchinsk and Kyakhta, 1689.")
    assert scripts_of(book) == frozenset()
    assert fonts(load_outline(book / "outline.toml")) == LATIN_FONTS


def test_cjk_and_cyrillic_in_chapters(tmp_path: Path):
    book = _book(tmp_path, "The treaty (尼布楚条约), Нерчинский договор.")
    assert scripts_of(book) == {"cjk", "cyrillic"}
    setup = fonts(load_outline(book / "outline.toml"))
    assert CJK_FONTS in setup and CYRILLIC_HYPHENATION in setup


def test_scripts_in_a_bibliography_count(tmp_path: Path):
    book = _book(tmp_path, "Latin only.")
    (book / "references.bib").write_text("@book{a, title = {中俄关系史}}\n", encoding="utf-8")
    assert scripts_of(book) == {"cjk"}


def test_a_russian_book_needs_no_switch_to_russian(tmp_path: Path):
    book = _book(tmp_path, "Нерчинский договор.")
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8").replace('language = "en"', 'language = "ru"'))
    assert fonts(load_outline(outline)) == LATIN_FONTS
