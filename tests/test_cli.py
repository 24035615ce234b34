"""The command line: help for every command and option, --version, the ``book`` script, and
``make serve``'s port (the preview itself: tests/test_preview.py)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

from book import __version__
from book.cli import _parser

from .conftest import ROOT, TINY, run_book

COMMANDS = ("new", "import", "bib", "refs", "publish", "draft", "serve")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_help_describes_every_command_and_option() -> None:
    proc = run_book("--help")
    assert proc.returncode == 0
    for name in COMMANDS:
        assert f"    {name} " in proc.stdout, name
    subs = _subparsers(_parser("book"))
    assert set(subs) == set(COMMANDS)
    for name, sub in subs.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        text = run_book(name, "--help").stdout
        for action in sub._actions:
            for option in action.option_strings:
                assert option in text, (name, option)


def test_version_matches_the_package() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in meta["project"]["dynamic"]
    proc = run_book("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"python -m book {__version__}"


def test_console_script_works_the_same() -> None:
    script = Path(sys.executable).parent / "book"
    assert script.exists(), "the book console script is installed by make setup (pyproject [project.scripts])"
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert (
        proc.stdout.replace("usage: book", "usage: python -m book").replace(
            "'book COMMAND", "'python -m book COMMAND"
        )
        == run_book("--help").stdout
    )
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"book {__version__}"
    bad = subprocess.run([str(script), "publish", "nonsense"], capture_output=True, text=True, cwd=TINY)
    assert bad.returncode == 1 and "unknown edition nonsense" in bad.stderr and "Traceback" not in bad.stderr


def test_makefile_serve_takes_port() -> None:
    proc = subprocess.run(
        ["make", "-n", "serve", "PORT=8123"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "-m book serve --port 8123" in proc.stdout
