"""Russian and Chinese in all three editions: tests/roots/scripts built once, read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .pdf_read import normalized, read_pages

pytestmark = pytest.mark.sphinx
SCRIPTS = ROOT / "tests" / "roots" / "scripts"


def run(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "book", *args], cwd=book, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    book = tmp_path_factory.mktemp("scripts") / "scripts"
    shutil.copytree(SCRIPTS, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    run(book, "bib")
    imported = run(book, "import")
    run(book, "publish", "html", "epub", "pdf")
    return book, imported.stdout + imported.stderr


def test_an_index_term_found_nowhere_is_a_warning_naming_the_outline(book):
    _, output = book
    assert "outline.toml:19: index term 'Albazin' occurs nowhere in the text" in output


def test_pdf_has_every_glyph_and_breaks_lines_by_script(book):
    folder, _ = book
    log = (folder / "_build" / "latex" / "scripts.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert "Overfull \\hbox" not in log and "Underfull \\hbox" not in log
    pages = read_pages(folder / "dist" / "scripts.pdf")
    text = normalized("\n".join(p.text for p in pages))
    for passage in (
        "Нерчинский договор 1689 года был первым договором между Россией и Китаем",
        "Пётр Иванов, Послы и императоры",  # a note
        "是清朝与俄国于一六八九年签订的第一个边界条约",
        "王明, 中俄关系史",  # a note
        "Пётр I Великий, 2",  # the index
    ):
        assert passage.replace(" ", "") in text.replace(" ", ""), passage
    title_page = next(p for p in pages[1:4] if p.lines)
    assert [ln.text for ln in title_page.lines[:2]] == ["Россия и Китай ·", "中国与俄罗斯"]
    lines = [ln for p in pages for ln in p.body]
    hyphenated = [ln.text for ln in lines if len(ln.text) > 2 and ln.text.endswith("-")]
    assert any("\u0400" <= t[-2] <= "\u04ff" for t in hyphenated), "Russian words are hyphenated"
    chinese = [ln.text for ln in lines if "\u4e00" <= ln.text[:1] <= "\u9fff" or ln.text.startswith("《")]
    assert len(chinese) >= 3, "the Chinese paragraph breaks between characters"
    fonts = subprocess.run(
        ["pdffonts", str(folder / "dist" / "scripts.pdf")], capture_output=True, text=True
    ).stdout
    assert "NotoSerifCJK" in fonts.replace(" ", "") and "NotoSerif-Regular" in fonts


def test_epub_and_html_carry_both_scripts(book):
    folder, _ = book
    with zipfile.ZipFile(folder / "dist" / "scripts.epub") as epub:
        text = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
        assert "genindex.xhtml" in " ".join(epub.namelist())
    html = "".join(p.read_text(encoding="utf-8") for p in (folder / "dist" / "html").rglob("*.html"))
    for edition in (text, html):
        for passage in ("Нерчинский договор 1689 года", "康熙帝派遣索额图", "Пётр I Великий", "王明"):
            assert passage in edition, passage


LONG_TITLE = (
    "A Very Long Title for a Very Small Book, Which Goes On and On About Rivers, Forts, Envoys, "
    "Letters and Treaties Well Past Any Sensible Length"
)


def test_long_title_and_empty_chapter_warn_and_still_print(tmp_path: Path):
    book = tmp_path / "tiny"
    shutil.copytree(ROOT / "tests" / "roots" / "tiny-book", book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    outline = (book / "outline.toml").read_text(encoding="utf-8")
    outline = outline.replace('title = "A Tiny Book"', f'title = "{LONG_TITLE}"')
    outline = outline.replace(
        '"Another Chapter" = "chapter"', '"Another Chapter" = "chapter"\n"Empty Chapter" = "chapter"'
    )
    (book / "outline.toml").write_text(outline, encoding="utf-8")
    doc = book / "documents" / "tiny.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace(
            "Notes and References", "Empty Chapter\nNotes and References"
        ),
        encoding="utf-8",
    )
    run(book, "bib")
    run(book, "import")
    output = run(book, "publish", "pdf")
    messages = output.stdout + output.stderr
    assert f"outline.toml:3: WARNING: the book's title is {len(LONG_TITLE)} characters long" in messages
    assert "ch-03-empty-chapter.md:1: WARNING: chapter 'Empty Chapter' has no text" in messages
    assert "Bibliography' has no text" not in messages
    pages = read_pages(book / "dist" / "tiny.pdf")
    title_page = next(p for p in pages[1:4] if p.lines)
    assert len(title_page.lines) >= 3 and title_page.lines[0].text.startswith("A Very Long Title")
    heads = [ln.text for p in pages for ln in p.head if not ln.text.isdigit()]
    assert heads and all(len(h) < 80 for h in heads), heads  # shortened with an ellipsis
    assert any(ln.text == "Empty Chapter" for p in pages for ln in p.body)
