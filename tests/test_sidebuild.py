"""book.build.sidebuild: the later builders run in a forked child; its warnings and failures come
back to the parent. Real processes: the unit tests fork this one; the tiny book is built
through the command line, all three editions."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from book import sidebuild
from book.errors import BookError

from .conftest import make_book, run_book

pytestmark = pytest.mark.skipif(not sidebuild.forking(), reason="the builders fork only on Linux")


def test_the_childs_warnings_come_back_in_order():
    child = sidebuild.fork(lambda held: held.extend(["WARNING: one", "WARNING: two"]))
    assert child.wait() == ["WARNING: one", "WARNING: two"]


def test_the_child_is_another_process(tmp_path: Path):
    child = sidebuild.fork(lambda held: (tmp_path / "pid").write_text(str(os.getpid())))
    child.wait()
    assert int((tmp_path / "pid").read_text()) not in (os.getpid(), 0)


def test_a_book_error_in_the_child_is_raised_in_the_parent_as_it_was():
    def fail(held: list[str]) -> None:
        raise BookError("no such work", file="chapters/ch-01.md", line=3, hint="fix the key")

    with pytest.raises(BookError) as raised:
        sidebuild.fork(fail).wait()
    assert str(raised.value) == "chapters/ch-01.md:3: error: no such work\n  hint: fix the key"


def test_a_crash_in_the_child_comes_back_with_its_traceback():
    def crash(held: list[str]) -> None:
        raise ValueError("an unexpected state")

    with pytest.raises(RuntimeError, match="ValueError: an unexpected state"):
        sidebuild.fork(crash).wait()


def test_a_child_that_dies_fails_the_build():
    with pytest.raises(BookError, match="stopped"):
        sidebuild.fork(lambda held: os._exit(3)).wait()


def test_stop_ends_a_child_still_running():
    child = sidebuild.fork(lambda held: time.sleep(120))
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 30
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)  # ended and reaped


def test_no_fork_while_other_threads_run():
    import threading

    alone = sidebuild.forking()  # False already if the test run left a thread behind
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert not sidebuild.forking()
    finally:
        done.set()
        thread.join()
    assert sidebuild.forking() == alone


@pytest.mark.sphinx
def test_a_warning_of_every_builder_is_shown_once_and_all_editions_are_built(tmp_path: Path):
    book = make_book(tmp_path)
    chapter = next((book / "chapters").glob("ch-01-*.md"))
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write("\nSee {ref}`no-such-section`.\n")  # each builder resolves it, and warns
    proc = run_book("publish", cwd=book)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "no-such-section" in line]
    assert len(warnings) == 1, proc.stderr
    assert f"{chapter.relative_to(book)}:" in warnings[0]
    for edition in ("writing the html edition", "writing the epub edition", "xelatex pass"):
        assert edition in proc.stdout
    dist = book / "dist"
    assert (dist / "html" / "index.html").is_file()
    assert len(list(dist.glob("*.epub"))) == 1 and len(list(dist.glob("*.pdf"))) == 1
