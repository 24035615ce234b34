"""Faults in the build folder and in the programs the build runs, on the tiny book: what
``_build/`` holds is used only when it is what the build wrote, ``dist/`` is compared by its
content, Ctrl-C and a TeX failure say what happened, and xelatex stops at its time limit naming
the chapter and line it was at.

One published copy of the tiny book is shared (as in ``test_build_faults``); each test copies
it and breaks one thing: a ``state.json`` nested 100,000 deep, a link planted in the HTML cache,
a published page edited in place with its size and time kept, a configuration change (Sphinx
then leaves ``.buildinfo.bak``), a read-only staging folder left behind, Ctrl-C during
xelatex, a TeX error, an endless macro.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .faults import NAME, book_cmd, chapter, copy_of, edit, env, ok, one_error, publish_tiny, run, snapshot

pytestmark = pytest.mark.sphinx


def page(folder: Path, number: int = 1) -> Path:
    return next((folder / "html" / "chapters").glob(f"ch-0{number}-*.html"))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_tiny(tmp_path_factory, "cache-faults")


@pytest.fixture
def book(published: Path, tmp_path: Path) -> Path:
    return copy_of(published, tmp_path)


# --- _build/: used only when it is what the build wrote -------------------------------------


def test_a_state_nested_deep_is_one_line_and_a_clean_build(book: Path):
    state = book / "_build" / "state.json"
    state.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # gave RecursionError
    edit(book, "A sentence after a forged state.")
    proc = ok(run(book, "publish", "html"))
    said = [line for line in proc.stdout.splitlines() if "state.json" in line]
    assert said == ["==> _build/state.json: not the JSON a build writes; starting from a clean cache"], (
        proc.stdout
    )
    assert "A sentence after a forged state." in page(book / "dist").read_text(encoding="utf-8")
    assert state.read_text(encoding="utf-8").startswith("{")  # the build's own record again


def test_a_link_planted_in_the_cache_is_never_published(book: Path, tmp_path: Path):
    secret = tmp_path / "secret.html"
    secret.write_text("<p>NOT-THE-BOOKS-SECRET</p>\n", encoding="utf-8")
    planted = book / "_build" / "html" / "chapters" / "planted.html"
    planted.symlink_to(secret)  # the record does not list it; it was left out of the check
    edit(book, "A sentence after a planted link.")
    proc = ok(run(book, "publish", "html"))
    assert "does not match its record" in proc.stdout
    assert not (book / "dist" / "html" / "chapters" / "planted.html").exists()
    assert not any(
        "NOT-THE-BOOKS-SECRET" in p.read_text(errors="replace") for p in (book / "dist").rglob("*.html")
    )
    assert secret.read_text(encoding="utf-8") == "<p>NOT-THE-BOOKS-SECRET</p>\n"
    assert "A sentence after a planted link." in page(book / "dist").read_text(encoding="utf-8")


def test_a_published_page_edited_in_place_is_published_again(book: Path):
    published = page(book / "dist")
    built = published.read_bytes()
    st = published.stat()
    published.write_bytes(built.replace(b"envoys", b"ENVOYS"))  # the same size ...
    os.utime(published, ns=(st.st_atime_ns, st.st_mtime_ns))  # ... and the same time
    proc = ok(run(book, "publish", "html", "epub", "pdf"))
    assert "up to date" not in proc.stdout and "xelatex" not in proc.stdout  # nothing rebuilt
    assert page(book / "dist").read_bytes() == built
    again = ok(run(book, "publish", "html", "epub", "pdf"))
    assert "up to date" in again.stdout


def test_sphinx_build_info_backup_is_not_published(book: Path):
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8").replace("A Tiny Book", "A Retitled Book"), "utf-8")
    ok(run(book, "publish", "html"))
    assert (book / "_build" / "html" / ".buildinfo.bak").exists()  # Sphinx's, after a setting changed
    assert not [p.name for p in (book / "dist" / "html").iterdir() if p.name.startswith(".buildinfo")]


def _without_root_override() -> tuple[str, ...]:
    """A prefix that runs a command as root without the power to ignore permissions, so that a
    read-only folder stops it as it stops any user (nothing when not root)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root ignores permissions, and setpriv is not installed to give that up")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--")


def test_read_only_dist_then_a_read_only_leftover_staging_folder(book: Path):
    prefix = _without_root_override()
    before = snapshot(book / "dist")
    edit(book, "A sentence for a read-only dist.")
    folders = [book / "dist", *[p for p in (book / "dist").rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        one_error(
            run(book, "publish", "html", prefix=prefix), "", "permission denied", "dist/ was left as it was"
        )
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert snapshot(book / "dist") == before
    assert not (book / ".dist.new").exists()
    # what a killed build of an earlier version left: a staging copy of a read-only dist/
    stage = book / ".dist.new"
    shutil.copytree(book / "dist", stage)
    for folder in sorted((p for p in [stage, *stage.rglob("*")] if p.is_dir()), reverse=True):
        folder.chmod(0o555)
    ok(run(book, "publish", "html", prefix=prefix))
    assert not [p.name for p in book.iterdir() if p.name.startswith(".dist")]
    assert "A sentence for a read-only dist." in page(book / "dist").read_text(encoding="utf-8")


# --- Ctrl-C ----------------------------------------------------------------------------------


def test_ctrl_c_during_the_pdf_is_interrupted_dist_unchanged(book: Path):
    before = snapshot(book / "dist")
    edit(book, "A sentence typeset after Ctrl-C.")
    proc = subprocess.Popen(
        book_cmd("publish"), cwd=book, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if "xelatex pass 1" in line:
            time.sleep(0.2)
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the build and its xelatex
            break
    _, errors = proc.communicate(timeout=120)
    assert proc.returncode == 130, errors
    assert errors.strip().splitlines() == ["interrupted, dist/ unchanged"], errors
    assert snapshot(book / "dist") == before
    assert not [p.name for p in book.iterdir() if p.name.startswith(".dist")]
    ok(run(book, "publish"))
    assert "A sentence typeset after Ctrl-C." in page(book / "dist").read_text(encoding="utf-8")


# --- TeX: its own error, a log that is still there, a time limit -------------------------------


def _raw_latex(book: Path, tex: str) -> int:
    """Add a raw LaTeX block to chapter 1; the line of ``tex`` in it."""
    lines = chapter(book).read_text(encoding="utf-8").splitlines()
    lines += ["", "```{raw} latex", tex, "```"]
    chapter(book).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _named_log(proc: subprocess.CompletedProcess[str], book: Path) -> str:
    hint = next(line for line in proc.stderr.splitlines() if "hint:" in line)
    assert hint.endswith("TeX's full log is _build/latex-failed.log"), hint
    return (book / "_build" / "latex-failed.log").read_text(encoding="utf-8", errors="replace")


def test_a_tex_error_names_a_log_that_exists(book: Path):
    before = snapshot(book / "dist")
    line = _raw_latex(book, r"\undefinedbookmacro")
    proc = run(book, "publish", "pdf")
    where = f"{chapter(book).relative_to(book)}:{line}: error: xelatex stopped: Undefined control sequence."
    one_error(proc, where)
    assert "Undefined control sequence" in _named_log(proc, book)
    assert not (book / "_build" / "latex" / f"{NAME}.log").exists()  # a failed pass's files go
    assert snapshot(book / "dist") == before


def test_a_tex_error_read_back_from_the_aux_is_tex_own_error(book: Path):
    """An error TeX meets in a file it wrote (here the .aux) is named, not the log's last line."""
    before = snapshot(book / "dist")
    _raw_latex(book, r"\makeatletter\immediate\write\@auxout{\string\bookbadauxmacro}\makeatother")
    proc = run(book, "publish", "pdf")
    one_error(
        proc, "_build/latex/tiny.tex: error: xelatex stopped: Undefined control sequence.", f"in {NAME}.aux:"
    )
    assert r"\bookbadauxmacro" in proc.stderr
    assert r"\bookbadauxmacro" in _named_log(proc, book)
    assert snapshot(book / "dist") == before


def test_an_endless_macro_stops_at_the_time_limit_naming_chapter_and_line(book: Path):
    before = snapshot(book / "dist")
    line = _raw_latex(book, r"\def\bookloop{\bookloop}\bookloop")
    proc = run(book, "publish", "pdf", BOOK_TEX_SECONDS="5")
    where = f"{chapter(book).relative_to(book)}:{line}: error: xelatex ran longer than its time limit of 5 s"
    one_error(proc, where, r"\def\bookloop{\bookloop}\bookloop", "dist/ was left as it was")
    assert snapshot(book / "dist") == before
    chapter(book).write_text(chapter(book).read_text(encoding="utf-8").split("\n```{raw}")[0] + "\n", "utf-8")
    ok(run(book, "publish", "pdf", BOOK_TEX_SECONDS="5"))  # the limit leaves a real pass alone


def test_a_time_limit_that_is_not_a_number_is_one_error(book: Path):
    edit(book, "A sentence for a bad setting.")
    proc = run(book, "publish", "pdf", BOOK_TEX_SECONDS="ten")
    one_error(proc, "error: BOOK_TEX_SECONDS must be a number of seconds, not 'ten'")
