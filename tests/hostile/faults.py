"""What the fault tests share: the tiny book published once per module, and running
``python -m book`` in a copy of it as an author would (``SOURCE_DATE_EPOCH`` set)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, complete_book

TINY = ROOT / "tests" / "roots" / "tiny-book"
EPOCH = "1700000000"
NAME = "tiny"


def book_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "book", *args]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1", **extra}


def run(
    book: Path, *args: str, prefix: tuple[str, ...] = (), **extra: str
) -> subprocess.CompletedProcess[str]:
    """``python -m book ARGS`` in ``book`` (after ``prefix``, a command that runs it)."""
    return subprocess.run(
        [*prefix, *book_cmd(*args)], cwd=book, capture_output=True, text=True, env=env(**extra), timeout=600
    )


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def one_error(proc: subprocess.CompletedProcess[str], first: str = "", *needles: str) -> str:
    """A failed run's first line that mentions an error: one error, starting with ``first``;
    ``needles`` anywhere in what it printed. Returns that line."""
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    line = next(line for line in proc.stderr.splitlines() if "error" in line)
    assert line.count("error:") == 1 and line.startswith(first), proc.stderr
    for needle in needles:
        assert needle in proc.stderr, f"{needle!r} not in:\n{proc.stderr}"
    return line


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` and the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def chapter(book: Path, number: int = 1) -> Path:
    return next((book / "chapters").glob(f"ch-0{number}-*.md"))


def edit(book: Path, sentence: str) -> None:
    with chapter(book).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{sentence}\n")


def publish_tiny(factory: pytest.TempPathFactory, name: str) -> Path:
    """The tiny book, its chapters imported and its three editions published."""
    book = factory.mktemp(name) / "tiny"
    shutil.copytree(TINY, book)
    complete_book(book)
    ok(run(book, "publish", "html", "epub", "pdf"))
    return book


def copy_of(published: Path, tmp_path: Path) -> Path:
    """A test's own copy of the published book."""
    copy = tmp_path / "tiny"
    shutil.copytree(published, copy, symlinks=True)
    return copy
