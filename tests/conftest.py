"""Shared fixtures: the repository root and small helpers to run the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "documents" / "002_9aef5bfc947affa5.txt"
SUMMARY = ROOT / "documents" / "000_e0286a2cb8b088ad.txt"


def run_book(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``python -m book ARGS`` as a user would, with the project importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "book", *args], cwd=cwd, capture_output=True, text=True, env=env
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"book {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book's three editions, built once per test run (share it: it is the slow part)."""
    from book.publish import publish

    base = tmp_path_factory.mktemp("book")
    publish(["html", "epub", "pdf"], base / "dist", root=ROOT, build=base / "_build")
    return base / "dist"
