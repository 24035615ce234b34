"""book.build.incremental: after an edit, every edition shows the new section and table numbers,
not only the one whose builder read the edited chapter (the tiny book, all three editions with
``book publish``; the HTML alone in this process, with ``sphinx.testing``)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import make_book, run_book

TABLE = """
:::{{table}} {caption}
:name: {name}

| Year | Entry |
| --- | --- |
| 1689 | {caption} |
:::
"""


def _numbers(book: Path) -> dict[str, str]:
    """How each edition refers to the second chapter's table ({numref})."""
    dist = book / "dist"
    html = next((dist / "html" / "chapters").glob("ch-02-*.html")).read_text(encoding="utf-8")
    with zipfile.ZipFile(next(dist.glob("*.epub"))) as epub:
        name = next(n for n in epub.namelist() if "/ch-02-" in n)
        xhtml = epub.read(name).decode()
    pdf = subprocess.run(
        ["pdftotext", str(next(dist.glob("*.pdf"))), "-"], capture_output=True, text=True, check=True
    ).stdout
    return {
        edition: next((w for w in ("Table 2", "Table 3") if f"See {w}" in " ".join(text.split())), "none")
        for edition, text in (("html", _text(html)), ("epub", _text(xhtml)), ("pdf", pdf))
    }


def _text(markup: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser").get_text(" ")


@pytest.mark.sphinx
def test_a_table_added_to_one_chapter_renumbers_the_next_in_every_edition(tmp_path: Path):
    book = make_book(tmp_path)
    first = next((book / "chapters").glob("ch-01-*.md"))
    second = next((book / "chapters").glob("ch-02-*.md"))
    with first.open("a", encoding="utf-8") as handle:
        handle.write(TABLE.format(caption="Envoys", name="tab-envoys"))
    with second.open("a", encoding="utf-8") as handle:
        handle.write(TABLE.format(caption="Rivers", name="tab-rivers") + "\nSee {numref}`tab-rivers`.\n")
    run_book("publish", cwd=book, check=True)
    assert _numbers(book) == {"html": "Table 2", "epub": "Table 2", "pdf": "Table 2"}

    with first.open("a", encoding="utf-8") as handle:  # one edit, to the first chapter only
        handle.write(TABLE.format(caption="Letters", name="tab-letters"))
    run_book("publish", cwd=book, check=True)
    assert _numbers(book) == {"html": "Table 3", "epub": "Table 3", "pdf": "Table 3"}


@pytest.mark.sphinx("html", testroot="tiny-book", srcdir="incremental-renamed")
def test_a_renamed_chapter_is_renamed_on_every_page(app, make_app, app_params):  # type: ignore[no-untyped-def]
    app.build()
    book = app.srcdir
    chapter = next((book / "chapters").glob("ch-02-*.md"))
    lines = chapter.read_text(encoding="utf-8").splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
    old = lines[heading][2:]
    lines[heading] = "# A Renamed Chapter"
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = make_app(*app_params.args, **app_params.kwargs)  # a second build over the first one's cache
    again.build()
    assert "1 changed" in again.status.getvalue()  # it was an incremental build
    pages = sorted(again.outdir.rglob("*.html"))
    stale = [p.name for p in pages if old in _text(p.read_text(encoding="utf-8"))]
    assert not stale, f"the old title {old!r} is still on {stale}"
    others = [p for p in pages if p.stem not in (chapter.stem, "search", "genindex")]
    assert all("A Renamed Chapter" in _text(p.read_text(encoding="utf-8")) for p in others)


@pytest.mark.sphinx
def test_an_edited_book_is_byte_for_byte_the_book_built_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The build cache only makes a build faster: after edits of every kind an incremental
    build publishes the same bytes, in all three editions, as a clean build of the same
    sources."""
    import filecmp
    import shutil

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = make_book(tmp_path / "edited")
    run_book("publish", cwd=book, check=True)
    first = next((book / "chapters").glob("ch-01-*.md"))
    second = next((book / "chapters").glob("ch-02-*.md"))
    with first.open("a", encoding="utf-8") as handle:  # a table, an index entry, a sentence
        handle.write(TABLE.format(caption="Envoys", name="tab-envoys"))
        handle.write("\nThe envoys reached {index}`Kyakhta` in the spring.\n")
    lines = second.read_text(encoding="utf-8").splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[heading] = "# A Renamed Chapter"
    lines += ["", "See {numref}`tab-envoys`."]
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_book("publish", cwd=book, check=True)

    fresh = tmp_path / "fresh"
    shutil.copytree(book, fresh, ignore=shutil.ignore_patterns("_build", "dist"))
    run_book("publish", cwd=fresh, check=True)
    compared = filecmp.dircmp(book / "dist", fresh / "dist")
    different: list[str] = []

    def walk(cmp: filecmp.dircmp[str], where: str) -> None:
        different.extend(f"{where}{name}" for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(compared, "")
    assert not different, f"the edited book differs from a fresh build in {different}"


@pytest.mark.sphinx("html", testroot="tiny-book", srcdir="incremental-style")
def test_a_style_sheet_of_the_books_own_reaches_the_site_and_its_changes_too(app, make_app, app_params):  # type: ignore[no-untyped-def]
    """A style sheet of the book's own (``html_static_path``) reaches the site when it is
    added and when it changes."""
    app.build()
    book = app.srcdir
    (book / "style").mkdir()
    (book / "style" / "house.css").write_text("p { color: black; }\n", encoding="utf-8")
    with (book / "conf.py").open("a", encoding="utf-8") as handle:
        handle.write('\nhtml_static_path = ["style"]\n')
    make_app(*app_params.args, **app_params.kwargs).build()
    published = app.outdir / "_static" / "house.css"
    assert published.read_text(encoding="utf-8") == "p { color: black; }\n"

    (book / "style" / "house.css").write_text("p { color: navy; }\n", encoding="utf-8")
    make_app(*app_params.args, **app_params.kwargs).build()
    assert published.read_text(encoding="utf-8") == "p { color: navy; }\n"
