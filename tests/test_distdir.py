"""Publishing into dist/: a file not written since it was published is linked, not copied, and
a rewritten one is copied afresh (dist/ never shares a file with the build folder)."""

from __future__ import annotations

import os
from pathlib import Path

from book.build.distdir import swap_in


def _built(tmp_path: Path) -> Path:
    html = tmp_path / "_build" / "html"
    (html / "_static").mkdir(parents=True)
    (html / "_static" / "theme.css").write_text("body {}\n", encoding="utf-8")
    (html / "page.html").write_text("<p>first</p>\n", encoding="utf-8")
    return html


def test_unchanged_files_are_linked_and_changed_ones_copied(tmp_path: Path):
    html = _built(tmp_path)
    dist = tmp_path / "dist"
    swap_in(dist, {"html": html}, "book")
    css_inode = os.stat(dist / "html" / "_static" / "theme.css").st_ino

    (html / "page.html").write_text("<p>second</p>\n", encoding="utf-8")  # rewritten by a build
    os.utime(html / "page.html", ns=(10**18, 10**18))
    swap_in(dist, {"html": html}, "book")

    assert (dist / "html" / "page.html").read_text(encoding="utf-8") == "<p>second</p>\n"
    assert os.stat(dist / "html" / "_static" / "theme.css").st_ino == css_inode  # linked
    for name in ("page.html", "_static/theme.css"):  # never the build folder's own file
        assert os.stat(dist / "html" / name).st_ino != os.stat(html / name).st_ino


def test_a_file_rewritten_in_place_with_its_old_size_and_time_is_copied(tmp_path: Path):
    html = _built(tmp_path)
    dist = tmp_path / "dist"
    swap_in(dist, {"html": html}, "book")
    page = html / "page.html"
    then = page.stat().st_mtime_ns
    page.write_text("<p>frist</p>\n", encoding="utf-8")  # the same size ...
    os.utime(page, ns=(then, then))  # ... and the same time: compared by content
    swap_in(dist, {"html": html}, "book")
    assert (dist / "html" / "page.html").read_text(encoding="utf-8") == "<p>frist</p>\n"
