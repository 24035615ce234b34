"""The build folder as the build reads it back: ``state.json`` checked value by value before it
decides anything, and every cache file covered by its record (book/build/buildstate.py); the
lock file and the staging folder are the build's own, whatever stands there
(book/build/distdir.py). Unit tests: no Sphinx, no LaTeX."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from book.build import buildstate, distdir
from book.build.buildstate import FOREIGN, STATE_FILE, BuildState

from .conftest import ROOT

DIGEST = "a" * 64


def _state(build: Path, text: str | bytes) -> BuildState:
    build.mkdir(exist_ok=True)
    path = build / STATE_FILE
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return BuildState.load(build)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 200_000 + "]" * 200_000, "not the JSON a build writes"),  # RecursionError once
        ('{"toolchain": ', "not the JSON a build writes"),
        (b"\xff\xfe{}", "not the JSON a build writes"),
        ('{"toolchain": "t", "cache": [], "editions": {}}', "not a table of file hashes"),
        ('{"toolchain": "t", "cache": {"html/x": "not a digest"}, "editions": {}}', "not a table of file hashes"),
        ('{"toolchain": "t", "cache": {}, "editions": {"html": 3}}', "not a table of hashes"),
        ('{"toolchain": "t", "cache": {}, "editions": {"_dist": {"files": [1]}}}', "not a table of hashes"),
        ('{"toolchain": 1, "cache": {}, "editions": {}}', "not a table of file hashes"),
        ('{"toolchain": "t", "cache": {}}', "not the record a build writes"),
        ("[]", "not the record a build writes"),
        ("1" * 5000, "not the JSON a build writes"),  # past Python's digit limit
    ],
    ids=["nested", "truncated", "not-utf8", "cache-list", "cache-value", "edition-value", "files-list",
         "toolchain-number", "missing-key", "array", "long-number"],
)  # fmt: skip
def test_a_forged_or_damaged_state_is_no_record(tmp_path: Path, text: str, problem: str) -> None:
    state = _state(tmp_path / "_build", text)
    assert problem in state.problem
    assert (state.toolchain, state.cache, state.editions) == ("", {}, {})


def test_a_state_that_is_not_a_regular_file_is_no_record(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    os.mkfifo(build / STATE_FILE)  # read as a file, it would wait for a writer for ever
    assert "not a regular file" in BuildState.load(build).problem
    BuildState("t", {}, {}).save(build)  # a file replaces it
    assert BuildState.load(build) == BuildState("t", {}, {})
    (build / STATE_FILE).unlink()
    (build / STATE_FILE).mkdir()
    assert BuildState.load(build).problem
    BuildState.forget(build)
    assert not (build / STATE_FILE).exists()


def test_a_huge_state_is_not_read(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    with open(build / STATE_FILE, "wb") as handle:
        handle.truncate(buildstate.MAX_STATE_BYTES + 1)
    assert "larger than the limit" in BuildState.load(build).problem


def test_saving_never_writes_through_a_link(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    (build / STATE_FILE).symlink_to(victim)
    for leftover in (".state.json.tmp", "state.json.tmp"):
        (build / leftover).symlink_to(victim)
    state = BuildState("t", {"html/a": DIGEST}, {"html": {"inputs": "x"}})
    state.save(build)
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert not (build / STATE_FILE).is_symlink() and BuildState.load(build) == state
    assert stat.S_IMODE((build / STATE_FILE).stat().st_mode) == 0o644


def test_a_link_pipe_or_hard_link_in_the_cache_never_matches_a_record(tmp_path: Path) -> None:
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "page.html").write_text("<p>built</p>\n", encoding="utf-8")
    clean = buildstate.snapshot(html)
    assert set(clean) == {"page.html"} and FOREIGN not in clean.values()
    outside = tmp_path / "outside.txt"
    outside.write_text("the user's file\n", encoding="utf-8")
    for name, make in {
        "link.html": lambda p: p.symlink_to(outside),  # a builder writing here would write outside
        "dir-link": lambda p: p.symlink_to(tmp_path),
        "pipe": os.mkfifo,
        "hard.html": lambda p: os.link(outside, p),
    }.items():
        make(html / name)
        found = buildstate.snapshot(html)
        assert found[name] == FOREIGN, name
        (html / name).unlink()
    linked = tmp_path / "_build" / "epub"
    linked.symlink_to(html)
    assert buildstate.snapshot(linked) == {".": FOREIGN}
    # no record can hold the mark: a state whose cache lists it is no record at all
    forged = {"toolchain": "t", "cache": {"html/link.html": FOREIGN}, "editions": {}}
    assert _state(tmp_path / "_build", json.dumps(forged)).problem


def test_published_files_are_compared_by_content(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "html").mkdir(parents=True)
    page = dist / "html" / "page.html"
    page.write_text("<p>published</p>\n", encoding="utf-8")
    (dist / "html" / "downloads").mkdir()
    os.link(page, dist / "html" / "downloads" / "copy.html")  # dist/ shares files by hard links
    before = buildstate.published(dist)
    st = page.stat()
    page.write_text("<p>PUBLISHED</p>\n", encoding="utf-8")  # the same size ...
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))  # ... and the same time
    assert buildstate.published(dist) != before
    assert FOREIGN not in before.values()


def test_the_lock_file_is_the_builds_own(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    (build / distdir.LOCK_NAME).symlink_to(victim)  # the lock is truncated and written
    with distdir.build_lock(build, print):
        pass
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert (build / distdir.LOCK_NAME).is_file() and not (build / distdir.LOCK_NAME).is_symlink()
    (build / distdir.LOCK_NAME).unlink()
    (build / distdir.LOCK_NAME).mkdir()
    with distdir.build_lock(build, print):
        assert (build / distdir.LOCK_NAME).is_file()


def test_a_read_only_leftover_is_removed(tmp_path: Path) -> None:
    stage = tmp_path / ".dist.new"
    (stage / "html" / "sub").mkdir(parents=True)
    (stage / "html" / "sub" / "page.html").write_text("x", encoding="utf-8")
    kept = tmp_path / "kept.txt"
    kept.write_text("a published file\n", encoding="utf-8")
    os.link(kept, stage / "html" / "kept.txt")
    kept.chmod(0o444)
    for folder in (stage / "html" / "sub", stage / "html", stage):
        folder.chmod(0o500)
    _remove_as_a_user(stage)
    assert not stage.exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o444  # a file's mode, shared with dist/, untouched


def _remove_as_a_user(path: Path) -> None:
    """``remove_tree(path)``, without root's power to ignore permissions (root runs it in a
    process that gave that power up), so that a read-only folder stops it as it stops a user."""
    if os.geteuid() != 0:
        distdir.remove_tree(path)
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root ignores permissions, and setpriv is not installed to give that up")
    code = "import sys; from pathlib import Path; from book.build.distdir import remove_tree; remove_tree(Path(sys.argv[1]))"
    subprocess.run(
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--", sys.executable, "-c", code, str(path)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def test_ctrl_c_while_publishing_lets_the_swap_finish(capsys: pytest.CaptureFixture[str]) -> None:
    """Between the two renames of the swap, Ctrl-C is held back until the swap is done (the
    build then says it came too late); before and after, it interrupts as usual."""
    from book.build.publish import _interrupts_deferred

    done = []
    with _interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("the swap")
    assert done == ["the swap"]
    assert "interrupted while publishing" in capsys.readouterr().out
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
