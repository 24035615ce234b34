"""Shared fixtures: the repository root, small helpers to run the command line, the real book
built once per session, and the guard that keeps unmarked (unit) tests from building.

Test tiers: unmarked = a unit test (no Sphinx, no LaTeX: ``make test-fast``);
``@pytest.mark.sphinx`` builds a tiny book; ``@pytest.mark.edition`` builds or reads the real
book (through ``book_dist``). An unmarked test that starts Sphinx or LaTeX fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .guard import unit_guard

ROOT = Path(__file__).resolve().parent.parent
GUARD = Path(__file__).resolve().parent / "guard"

ARTICLE = ROOT / "documents" / "002_9aef5bfc947affa5.txt"
SUMMARY = ROOT / "documents" / "000_e0286a2cb8b088ad.txt"
TINY = ROOT / "tests" / "roots" / "tiny-book"


def run_book(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``python -m book ARGS`` as a user would, with the project importable."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(GUARD)])}
    proc = subprocess.run(
        [sys.executable, "-m", "book", *args], cwd=cwd, capture_output=True, text=True, env=env
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"book {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_book(tmp_path: Path) -> Path:
    """A copy of the tiny book with the project's conf.py, its bibliography and chapters made."""
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    run_book("bib", cwd=book, check=True)
    run_book("import", cwd=book, check=True)
    return book


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book's editions (HTML, EPUB, PDF and the DOCX manuscript), built once per test run (share it: it is the slow part)."""
    from book.build.publish import publish

    base = tmp_path_factory.mktemp("book")
    publish(["html", "epub", "pdf", "docx"], base / "dist", root=ROOT, build=base / "_build")
    return base / "dist"


def pytest_configure(config: pytest.Config) -> None:
    unit_guard.install()
    unit_guard.install_sphinx()


def _is_unit(item: pytest.Item) -> bool:
    return not any(item.get_closest_marker(name) for name in ("sphinx", "edition"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """While an unmarked test runs (setup, call, teardown), builds are refused."""
    if _is_unit(item):
        os.environ[unit_guard.FLAG] = "1"
    try:
        yield
    finally:
        os.environ.pop(unit_guard.FLAG, None)
