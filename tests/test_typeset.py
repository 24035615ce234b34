"""The PDF's xelatex passes: two for a clean build (the index's contents line already set in the
first), one after an edit that moves no page reference, giving the same bytes as a clean build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import make_book, run_book


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.split("\f")


def _index_page_in_contents(pages: list[str]) -> int:
    contents = next(p for p in pages if re.search(r"^\s*Contents\s*$", p, re.M))
    found = re.search(r"^\s*Index[ .]*?(\d+)\s*$", contents, re.M)
    assert found, contents
    return int(found.group(1))


def _index_page_printed(pages: list[str]) -> int:
    """The folio of the page that opens the index (folios are centred at the foot of an opening)."""
    for page in pages:
        lines = [ln.strip() for ln in page.strip().splitlines() if ln.strip()]
        if lines and lines[0] == "Index":
            return int(lines[-1])
    raise AssertionError("no page opens with the Index heading")


@pytest.mark.sphinx
def test_clean_build_takes_two_passes_and_an_edit_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # comparable bytes
    book = make_book(tmp_path)
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8") + '\n[index]\nterms = ["steppe", "envoys"]\n')
    run_book("import", cwd=book, check=True)

    clean = run_book("publish", "pdf", cwd=book, check=True)
    passes = re.findall(r"xelatex pass (\d+)", clean.stdout + clean.stderr)
    assert passes == ["1", "2"], clean.stdout + clean.stderr
    pages = _pages(book / "dist" / "tiny.pdf")
    assert _index_page_in_contents(pages) == _index_page_printed(pages)
    assert any("steppe" in p and "envoys" in p for p in pages[-2:])

    chapter = next((book / "chapters").glob("*a-chapter*.md"))
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("for months", "for many months", 1), encoding="utf-8")
    edit = run_book("publish", "pdf", cwd=book, check=True)
    assert re.findall(r"xelatex pass (\d+)", edit.stdout + edit.stderr) == ["1"], edit.stdout + edit.stderr
    assert "for many months" in "".join(_pages(book / "dist" / "tiny.pdf"))

    # The one pass after an edit gives the bytes a clean build gives.
    edited_pdf = (book / "dist" / "tiny.pdf").read_bytes()
    shutil.rmtree(book / "_build")
    shutil.rmtree(book / "dist")
    run_book("publish", "pdf", cwd=book, check=True)
    assert (book / "dist" / "tiny.pdf").read_bytes() == edited_pdf


@pytest.mark.sphinx
def test_a_book_without_index_entries_has_no_index(tmp_path: Path):
    book = make_book(tmp_path)  # a book without index entries: no index, still two passes
    first = run_book("publish", "pdf", cwd=book, check=True)
    assert re.findall(r"xelatex pass (\d+)", first.stdout) == ["1", "2"], first.stdout
    assert "Index" not in "".join(_pages(book / "dist" / "tiny.pdf"))
