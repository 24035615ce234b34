"""The whole path on a tiny book (tests/roots/tiny-book), and what bad input does to it.

Each test copies the tiny book into a temporary folder with the project's conf.py, then runs
the steps as an author would: ``book bib``, ``book import``, ``book publish``. The HTML alone is
built in this process: with ``sphinx.testing``'s ``app`` (the tiny book as a test root), or with
``publish`` itself where what ``dist/`` holds after a failure is the point.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book.build.publish import publish
from book.errors import BookError

from .conftest import ROOT, TINY, make_book, run_book


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = make_book(tmp_path_factory.mktemp("published"))
    publish(["html"], book / "dist", root=book)
    return book


def snapshot(dist: Path) -> dict[str, str]:
    return {
        str(p.relative_to(dist)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in dist.rglob("*")
        if p.is_file()
    }


def assert_one_clear_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert errors, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, f"{needle!r} not in:\n{proc.stderr}"


def sidenote_numbers(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [r.get_text(strip=True) for r in soup.select("article label.margin-toggle[for^=sidenote-role]")]


def failure(book: Path) -> str:
    """The one error a failing HTML build of ``book`` reports (as ``publish`` raises it)."""
    with pytest.raises(BookError) as raised:
        publish(["html"], book / "dist", root=book)
    message = str(raised.value)
    assert "Traceback" not in message and "error" in message.lower(), message
    return message


@pytest.mark.sphinx("html", testroot="tiny-book", srcdir="pipeline-notes")
def test_tiny_book_publishes_one_note_per_mark(app):  # type: ignore[no-untyped-def]
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    chapters = app.outdir / "chapters"
    counts = {p.stem: sidenote_numbers(p) for p in chapters.glob("*.html")}
    assert sum(len(v) for v in counts.values()) == 6  # six marks, note 3 used twice
    assert all(v == [str(i) for i in range(1, len(v) + 1)] for v in counts.values())
    chapter = next(p for p in chapters.glob("ch-01-*.html"))
    text = " ".join(BeautifulSoup(chapter.read_text(encoding="utf-8"), "html.parser").get_text().split())
    assert "Envoys and Emperors" in text and "Rivers of the North" in text


@pytest.mark.sphinx
def test_rebuild_after_unknown_key_fails_and_keeps_dist(published: Path, tmp_path: Path):
    book = tmp_path / "copy"
    shutil.copytree(published, book)
    before = snapshot(book / "dist")
    chapter = next((book / "chapters").glob("ch-02-*.md"))
    lines = chapter.read_text(encoding="utf-8").splitlines()
    lines += ["", "A new claim.{cite}`@nosuchwork1999, p. 3`"]
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = failure(book)
    assert f"{chapter.relative_to(book)}:{len(lines)}" in message and "nosuchwork1999" in message, message
    assert snapshot(book / "dist") == before


@pytest.mark.sphinx
def test_broken_bib_fails_naming_file_and_line(published: Path, tmp_path: Path):
    book = tmp_path / "copy"
    shutil.copytree(published, book)
    before = snapshot(book / "dist")
    bib = book / "references.bib"
    line = len(bib.read_text(encoding="utf-8").splitlines()) + 3  # the line of the brace left open
    with bib.open("a", encoding="utf-8") as fh:
        fh.write("\n@book{broken2000,\n  title = {An unclosed title,\n  year = 2000\n")
    message = failure(book)
    assert (
        f"references.bib:{line}: ERROR: cannot read BibTeX entry 'broken2000': unbalanced braces" in message
    ), message
    assert snapshot(book / "dist") == before


def test_missing_source_document(tmp_path: Path):
    book = make_book(tmp_path)
    (book / "documents" / "tiny.txt").unlink()
    proc = run_book("publish", "html", cwd=book)
    assert_one_clear_error(proc, "outline.toml:10:", "documents/tiny.txt", "not found")
    assert not (book / "dist").exists()


def test_broken_outline_entry(tmp_path: Path):
    book = make_book(tmp_path)
    outline = book / "outline.toml"
    outline.write_text(
        outline.read_text(encoding="utf-8") + '"A Heading Nowhere" = "chapter"\n', encoding="utf-8"
    )
    line = len(outline.read_text(encoding="utf-8").splitlines())
    proc = run_book("import", cwd=book)
    assert_one_clear_error(proc, f"outline.toml:{line}:", "A Heading Nowhere")


def test_mark_without_note(tmp_path: Path):
    book = make_book(tmp_path)
    doc = book / "documents" / "tiny.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("signed them long ago.[1]", "signed them long ago.[9]"),
        encoding="utf-8",
    )
    proc = run_book("import", cwd=book)
    assert_one_clear_error(proc, "documents/tiny.txt:1:", "[9]")


def test_non_utf8_document(tmp_path: Path):
    book = make_book(tmp_path)
    doc = book / "documents" / "tiny.txt"
    doc.write_bytes(doc.read_bytes().replace(b"rivers", "rivi\xe8res".encode("latin-1"), 1))
    proc = run_book("import", cwd=book)
    assert_one_clear_error(proc, "documents/tiny.txt:1:", "UTF-8")


HOSTILE = r"A hostile line: <script>alert('x')</script> and \input{/etc/passwd} then \write18{touch pwned} & 100% $x$."


@pytest.mark.sphinx
def test_hostile_text_comes_out_literally(tmp_path: Path):
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    doc = book / "documents" / "tiny.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("First Part\n", f"First Part\n{HOSTILE}\n", 1),
        encoding="utf-8",
    )
    run_book("bib", cwd=book, check=True)
    run_book("import", cwd=book, check=True)
    run_book("publish", "html", "pdf", cwd=book, check=True)
    part = next((book / "dist" / "html" / "chapters").glob("part-1-*.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in part and "&lt;script&gt;alert(" in part
    pdf = subprocess.run(
        ["pdftotext", str(book / "dist" / "tiny.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert r"\input{/etc/passwd}" in pdf and r"\write18{touch pwned}" in pdf
    assert not list(book.rglob("pwned"))


def test_make_installs_nothing_the_second_time():
    proc = subprocess.run(["make", "-s", "system"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "installing" not in proc.stdout, proc.stdout


@pytest.mark.sphinx
def test_chapter_in_no_table_of_contents_is_an_error_naming_it(tmp_path: Path):
    from book.commands.importer import import_book
    from book.sources.reader import SourceWarning

    book = make_book(tmp_path)
    stray = book / "chapters" / "stray.md"
    stray.write_text("# A Stray Chapter\n\nListed nowhere.\n", encoding="utf-8")
    message = failure(book)
    assert "chapters/stray.md" in message and "chapter in no table of contents" in message, message
    assert not (book / "dist").exists()
    # `import` never drops a hand-written chapter: it joins the contents, with a warning
    with pytest.warns(SourceWarning, match="stray.md: a chapter written by hand"):
        import_book(book / "outline.toml", book / "chapters")
    assert stray.read_text(encoding="utf-8").startswith("# A Stray Chapter")
    assert "chapters/stray" in (book / "index.md").read_text(encoding="utf-8")
    publish(["html"], book / "dist", root=book)


def test_adding_a_chapter_is_one_step(tmp_path: Path):
    book = make_book(tmp_path)
    (book / "chapters" / "preface.md").write_text("# Preface\n\nBy hand.\n", encoding="utf-8")
    outline = book / "outline.toml"
    outline.write_text(
        outline.read_text(encoding="utf-8") + '\n[front_matter]\nchapters = ["preface"]\n', encoding="utf-8"
    )
    proc = run_book("import", cwd=book)
    assert proc.returncode == 0 and "preface" not in proc.stderr
    index = (book / "index.md").read_text(encoding="utf-8")
    assert index.index("chapters/preface") < index.index("chapters/introduction")
