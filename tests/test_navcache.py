"""book.editions.navcache: the theme's navigation is made once per change, not once per build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from book.editions.navcache import _Cache

from .conftest import GUARD, ROOT, make_book, run_book


def test_the_recorded_html_is_reused_while_the_input_is_the_same(tmp_path: Path):
    cache = _Cache(tmp_path / "navigation.json")
    made: list[str] = []

    def make(html: str):  # type: ignore[no-untyped-def]
        return lambda: made.append(html) or html

    assert cache.get("ch-01", "sidebar", "key-1", make("<ul>one</ul>")) == "<ul>one</ul>"
    cache.save({"ch-01"})
    again = _Cache(tmp_path / "navigation.json")
    assert again.get("ch-01", "sidebar", "key-1", make("<ul>other</ul>")) == "<ul>one</ul>"
    assert again.get("ch-01", "sidebar", "key-2", make("<ul>two</ul>")) == "<ul>two</ul>"
    assert made == ["<ul>one</ul>", "<ul>two</ul>"]


def test_pages_gone_from_the_book_are_dropped(tmp_path: Path):
    cache = _Cache(tmp_path / "navigation.json")
    cache.get("ch-01", "sidebar", "k", lambda: "<ul/>")
    cache.get("old-chapter", "sidebar", "k", lambda: "<ul/>")
    cache.get("genindex", "sidebar", "k", lambda: "<ul/>")  # a page of the build, not a document
    cache.save({"ch-01", "old-chapter"})
    assert set(_Cache(tmp_path / "navigation.json").pages) == {"ch-01", "old-chapter", "genindex"}
    later = _Cache(tmp_path / "navigation.json")
    later.get("genindex", "sidebar", "k", lambda: "<ul/>")
    later.save({"ch-01"})  # old-chapter was removed from the book
    assert set(_Cache(tmp_path / "navigation.json").pages) == {"ch-01", "genindex"}


# Counts the theme's CSS-selector compilations in a build (soupsieve's patterns are the cost).
_COUNT = """
import sys
import soupsieve.css_parser as css
compiled = []
original = css.CSSParser.process_selectors
def counted(self, *args, **kwargs):
    compiled.append(self.pattern)
    return original(self, *args, **kwargs)
css.CSSParser.process_selectors = counted
from book.cli import main
code = main(["publish", "html"])
print("selectors compiled:", len(compiled))
sys.exit(code)
"""


@pytest.mark.sphinx
def test_an_edit_to_one_chapter_makes_no_navigation_anew(tmp_path: Path):
    book = make_book(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(GUARD)])}

    def build() -> str:
        proc = subprocess.run(
            [sys.executable, "-c", _COUNT], cwd=book, env=env, capture_output=True, text=True, check=True
        )
        return proc.stdout

    assert "selectors compiled: 0" not in build()  # a first build makes the navigation
    chapter = next((book / "chapters").glob("ch-01-*.md"))
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added to the chapter.\n")
    out = build()
    assert "selectors compiled: 0" in out, out
    page = next((book / "dist" / "html" / "chapters").glob("ch-01-*.html")).read_text(encoding="utf-8")
    assert "A sentence added to the chapter." in page and "bd-sidenav" in page
    run_book("publish", "html", cwd=book, check=True)  # and the book is current
