"""Shared fixtures: the repository root, small helpers to run the command line, the real book
built once per session, and the guard that keeps unmarked (unit) tests from building.

Test tiers: unmarked = a unit test (no Sphinx, no LaTeX: ``make test-fast``);
``@pytest.mark.sphinx`` builds a tiny book; ``@pytest.mark.edition`` builds or reads the real
book (through ``book_dist``). An unmarked test that starts Sphinx or LaTeX fails.

Tiny books are built in this process with ``sphinx.testing`` (as Sphinx and its extensions test
themselves): ``@pytest.mark.sphinx("html", testroot="tiny-book", srcdir="...")`` with the
``app`` fixture builds a copy of ``tests/roots/tiny-book``, or ``sphinx_build`` runs one
``SphinxTestApp`` and returns what ``python -m sphinx`` would (status, warnings, exit status).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .guard import unit_guard

pytest_plugins = ("sphinx.testing.fixtures",)

# epubcheck is a short Java run: with the quick compiler alone it takes half the time.
os.environ.setdefault("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")

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


def complete_book(book: Path) -> Path:
    """Give the book in ``book`` (an outline and its documents) the project's conf.py, its
    bibliography and its chapters: what ``book bib`` and ``book import`` write, in this process."""
    from book.commands.bibliography import bib_command
    from book.commands.importer import import_book
    from book.references.bibfiles import GENERATED_FILE
    from book.sources.outline import load_outline

    shutil.copy(ROOT / "conf.py", book / "conf.py")
    with warnings.catch_warnings():  # what the commands would print (an index term found nowhere)
        warnings.simplefilter("ignore")
        bib_command(load_outline(book / "outline.toml").documents, book / GENERATED_FILE)
        import_book(book / "outline.toml", book / "chapters")
    return book


def make_book(tmp_path: Path) -> Path:
    """A copy of the tiny book with the project's conf.py, its bibliography and chapters made."""
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    return complete_book(book)


@dataclass
class Built:
    """One Sphinx build in this process: what ``python -m sphinx`` would print and return."""

    returncode: int
    stdout: str
    stderr: str


def sphinx_build(
    srcdir: Path, builder: str, builddir: Path, confoverrides: dict[str, Any] | None = None, parallel: int = 0
) -> Built:
    """Build ``srcdir`` with ``builder`` into ``builddir/<builder>`` (doctrees in
    ``builddir/doctrees``) with ``SphinxTestApp``; an exception is exit status 2, its message
    the last line of the warnings (as the command line prints it)."""
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_escape_sequences

    status, warning = io.StringIO(), io.StringIO()
    app = None
    try:
        app = SphinxTestApp(
            builder, srcdir=srcdir, builddir=builddir, confoverrides=confoverrides,
            status=status, warning=warning, parallel=parallel,
        )  # fmt: skip
        app.build()
        code = app.statuscode
    except Exception as error:
        warning.write(f"{type(error).__name__}: {error}\n")
        code = 2
    finally:
        if app is not None:
            app.cleanup()
    return Built(code, strip_escape_sequences(status.getvalue()), strip_escape_sequences(warning.getvalue()))


@pytest.fixture(scope="session")
def rootdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sphinx.testing's test roots: ``test-NAME`` for each Sphinx project in ``tests/roots``,
    completed (conf.py, bibliography, chapters) when it is a book with only an outline and its
    documents (the project's conf.py alone when its chapters are written by hand).
    ``@pytest.mark.sphinx(..., testroot="NAME", srcdir="...")`` copies one."""
    base = tmp_path_factory.mktemp("roots")
    for folder in sorted((ROOT / "tests" / "roots").iterdir()):
        if (folder / "conf.py").exists() or (folder / "outline.toml").exists():
            copy = shutil.copytree(
                folder, base / f"test-{folder.name}", ignore=shutil.ignore_patterns("_build")
            )
            if (copy / "conf.py").exists():
                continue
            if (copy / "chapters").exists():  # written by hand
                shutil.copy(ROOT / "conf.py", copy / "conf.py")
            else:
                complete_book(copy)
    return base


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book's editions (HTML, EPUB, PDF and the DOCX manuscript), built once per test run (share it: it is the slow part)."""
    from book.build.publish import publish

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # the workers of one run (pytest-xdist) share one build: publish's build lock lets the
        # first build it and the others find it up to date
        base = base.parent
    base = base / "book"
    base.mkdir(exist_ok=True)
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
