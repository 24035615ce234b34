"""Faults during a build, on the tiny book: nothing lost, every failure one message, and a build
that recovers. Also: the same sources give the same bytes, and a rebuild with nothing changed
touches nothing.

One published copy of the tiny book (three editions, ``SOURCE_DATE_EPOCH`` set) is shared;
each test copies it (hard links for the big files are not needed: the book is tiny) and breaks
one thing: a swap killed between its two renames, a symlinked, read-only or full ``dist/``,
``dist`` a file, two builds at once, a build killed during xelatex, xelatex missing, a
truncated doctree and an edited output in ``_build/``, a TeX error.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .faults import NAME, book_cmd, chapter, copy_of, edit, env, ok, one_error, publish_tiny, run, snapshot

pytestmark = pytest.mark.sphinx


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_tiny(tmp_path_factory, "faults")


@pytest.fixture
def book(published: Path, tmp_path: Path) -> Path:
    return copy_of(published, tmp_path)


# --- the same sources, the same bytes; nothing changed, nothing done ---------------------------


def test_two_clean_builds_give_identical_bytes(published: Path, tmp_path: Path):
    again = tmp_path / "again"
    shutil.copytree(published, again, ignore=shutil.ignore_patterns("_build", "dist"))
    ok(run(again, "publish", "html", "epub", "pdf"))
    first, second = snapshot(published / "dist"), snapshot(again / "dist")
    assert {f"{NAME}.pdf", f"{NAME}.epub", "html/index.html"} <= set(first)
    assert first == second


def test_nothing_changed_rewrites_nothing(book: Path):
    files = [p for p in (book / "dist").rglob("*") if p.is_file()]
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}
    proc = ok(run(book, "publish", "html", "epub", "pdf"))
    assert "up to date" in proc.stdout and "xelatex" not in proc.stdout
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files} == before


# --- dist/: killed swaps, links, files, read-only, full ----------------------------------------


def test_swap_killed_between_its_renames_is_finished_by_the_next_run(book: Path):
    before = snapshot(book / "dist")
    # The state a kill between the two renames leaves: the journal, the old dist/ moved
    # aside, the complete new one staged, no dist/.
    shutil.copytree(book / "dist", book / ".dist.new")
    (book / "dist").rename(book / ".dist.old")
    (book / ".dist.swap").touch()
    ok(run(book, "publish", "html"))  # a later `make html` must not lose the PDF and EPUB
    assert snapshot(book / "dist") == before
    assert not [p.name for p in book.iterdir() if p.name.startswith(".dist")]


def test_swap_killed_before_the_journal_keeps_the_old_dist(book: Path):
    before = snapshot(book / "dist")
    (book / "dist").rename(book / ".dist.old")  # no journal: the staging was not complete
    (book / ".dist.new").mkdir()
    ok(run(book, "publish", "html"))
    assert snapshot(book / "dist") == before
    assert not [p.name for p in book.iterdir() if p.name.startswith(".dist")]


def test_symlinked_dist_is_updated_through_its_link(book: Path, tmp_path: Path):
    webroot = tmp_path / "www" / "book"
    webroot.parent.mkdir()
    shutil.move(book / "dist", webroot)
    (book / "dist").symlink_to(webroot)
    edit(book, "A sentence for the web root.")
    ok(run(book, "publish", "html"))
    assert (book / "dist").is_symlink() and (book / "dist").resolve() == webroot
    page = next((webroot / "html" / "chapters").glob("ch-01-*.html")).read_text(encoding="utf-8")
    assert "A sentence for the web root." in page
    assert (webroot / f"{NAME}.pdf").exists()  # the editions not rebuilt stay
    ok(run(book, "publish", "html"))  # and later runs keep working


def test_dist_that_is_a_file_is_one_clear_error(book: Path):
    (book / "out").write_text("not a folder\n", encoding="utf-8")
    proc = run(book, "publish", "html", "--dist", "out")
    one_error(proc, "", "out: error:", "is a file")
    assert (book / "out").read_text(encoding="utf-8") == "not a folder\n"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system of its own (skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip("mounting a small file system needs privileges this machine does not give")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_is_one_clear_error_and_keeps_dist(book: Path, small_disk: Path):
    (small_disk / "dist").mkdir()
    (small_disk / "dist" / "keep.txt").write_text("the last good edition\n", encoding="utf-8")
    edit(book, "A sentence for a full disk.")
    proc = run(book, "publish", "html", "--dist", str(small_disk / "dist"))
    one_error(proc, "", "no space left")
    assert [p.name for p in small_disk.iterdir()] == ["dist"]
    assert snapshot(small_disk / "dist") == {
        "keep.txt": hashlib.sha256(b"the last good edition\n").hexdigest()
    }


def test_read_only_dist_is_one_clear_error(book: Path, small_disk: Path):
    (small_disk / "dist").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = run(book, "publish", "html", "--dist", str(small_disk / "dist"))
    one_error(proc, "", "cannot write", "read-only")
    assert not (small_disk / ".dist.new").exists()


# --- builds that must recover ----------------------------------------------------------------


def test_two_builds_at_once_wait_for_each_other(book: Path):
    edit(book, "A sentence for two builds.")
    first = subprocess.Popen(
        book_cmd("publish", "html"), cwd=book, env=env(), stdout=subprocess.PIPE, text=True
    )
    assert first.stdout is not None
    for line in first.stdout:  # the first build holds the lock once it reads the sources
        if "reading the sources" in line:
            break
    second = run(book, "publish", "html")
    rest = first.communicate()[0]
    assert first.returncode == 0, rest
    ok(second)
    assert "another build of this book is running" in second.stdout
    page = next((book / "dist" / "html" / "chapters").glob("ch-01-*.html")).read_text(encoding="utf-8")
    assert "A sentence for two builds." in page


def _xelatex_in_session(session: int) -> bool:
    """Whether an xelatex process of the session ``session`` is running (read from /proc; an
    ended one not yet reaped is not)."""
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if (
            comm.startswith("xelatex") and rest[0] != "Z" and int(rest[3]) == session
        ):  # state ppid pgrp session
            return True
    return False


def _kill_when(book: Path, trigger: str, group: bool = True) -> int:
    """Start a PDF build and kill it, with its xelatex (``group``) or alone, once ``trigger`` is
    printed and its xelatex runs; the build's session."""
    proc = subprocess.Popen(
        book_cmd("publish", "pdf"),
        cwd=book,
        env=env(),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if trigger in line:
            deadline = time.monotonic() + 30
            while not _xelatex_in_session(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.01)
            if group:
                os.killpg(
                    proc.pid, signal.SIGKILL
                )  # the build and its xelatex, as a kill of the whole job would
            else:
                os.kill(proc.pid, signal.SIGKILL)  # the build alone, as kill -9 would
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it was killed"
    return proc.pid


def test_build_killed_during_xelatex_does_not_break_later_builds(book: Path):
    before = snapshot(book / "dist")
    edit(book, "A sentence typeset twice.")
    _kill_when(book, "xelatex pass")
    assert snapshot(book / "dist") == before
    ok(run(book, "publish", "pdf"))
    assert "A sentence typeset twice." in pdf_text(book / "dist" / f"{NAME}.pdf")


def test_build_killed_alone_during_xelatex_leaves_no_xelatex_waiting(book: Path):
    """kill -9 of the build alone: its xelatex waits on nothing, ends its pass and exits."""
    before = snapshot(book / "dist")
    edit(book, "A sentence typeset after a kill.")
    session = _kill_when(book, "xelatex pass", group=False)
    assert snapshot(book / "dist") == before
    deadline = time.monotonic() + 120
    while _xelatex_in_session(session) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _xelatex_in_session(session), "the killed build left an xelatex running"
    ok(run(book, "publish", "pdf"))
    assert "A sentence typeset after a kill." in pdf_text(book / "dist" / f"{NAME}.pdf")


def test_missing_xelatex_is_one_clear_error_and_does_not_break_later_builds(book: Path, tmp_path: Path):
    before = snapshot(book / "dist")
    edit(book, "A sentence without TeX.")
    bare = tmp_path / "bin"
    bare.mkdir()
    proc = run(book, "publish", "pdf", PATH=str(bare))
    one_error(proc, "", "xelatex is not installed")
    assert snapshot(book / "dist") == before
    ok(run(book, "publish", "pdf"))
    assert "A sentence without TeX." in pdf_text(book / "dist" / f"{NAME}.pdf")


def test_damaged_cache_is_rebuilt_never_published(book: Path):
    text = pdf_text(book / "dist" / f"{NAME}.pdf")
    doctree = next((book / "_build" / "doctrees" / "chapters").glob("ch-01-*.doctree"))
    doctree.write_bytes(doctree.read_bytes()[:100])  # truncated
    page = next((book / "_build" / "html" / "chapters").glob("ch-02-*.html"))
    page.write_text(
        page.read_text(encoding="utf-8").replace("<body", "<body data-x='TAMPERED'"), encoding="utf-8"
    )
    tex = next((book / "_build" / "latex").glob("*.tex"))
    tex.write_text(
        tex.read_text(encoding="utf-8").replace(
            "\\begin{document}", "\\AtBeginDocument{TAMPEREDTEX}\\begin{document}", 1
        ),
        encoding="utf-8",
    )
    source = next((book / "chapters").glob("ch-02-*.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\nA sentence to rebuild.\n", encoding="utf-8")
    proc = ok(run(book, "publish", "html", "pdf"))
    assert "does not match its record" in proc.stdout
    new_text = pdf_text(book / "dist" / f"{NAME}.pdf")
    body = "the envoys travelled for months"  # chapter 1's text, read from the truncated doctree
    assert body in text and body in new_text
    assert "TAMPEREDTEX" not in new_text and "A sentence to rebuild." in new_text
    published = next((book / "dist" / "html" / "chapters").glob("ch-02-*.html")).read_text(encoding="utf-8")
    assert "TAMPERED" not in published and "A sentence to rebuild." in published


def test_tex_error_names_the_chapter_line_and_tex_first_error(book: Path):
    before = snapshot(book / "dist")
    lines = chapter(book).read_text(encoding="utf-8").splitlines()
    lines += ["", "```{raw} latex", r"\undefinedbookmacro", "```"]
    chapter(book).write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run(book, "publish", "html", "pdf")
    one_error(proc, "", "Undefined control sequence", "chapters/ch-01-")
    first = next(line for line in proc.stderr.splitlines() if "error:" in line)
    assert first.startswith(f"{chapter(book).relative_to(book)}:{len(lines) - 1}: error: xelatex stopped"), (
        first
    )
    assert "xelatex failed" not in proc.stderr
    assert snapshot(book / "dist") == before
    assert not (book / ".dist.new").exists()  # nothing staged is left beside dist/
    chapter(book).write_text("\n".join(lines[:-4]) + "\n", encoding="utf-8")
    ok(run(book, "publish", "pdf"))  # fixed: the next build works
