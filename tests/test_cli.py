"""The command line: help for every command and option, --version, the ``book`` script, and
``serve`` with its port and working download links."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from book import __version__
from book.cli import _parser

from .conftest import ROOT, TINY, make_book, run_book

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


def _get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


@pytest.mark.sphinx
def test_serve_previews_with_working_download_links(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    port = 8217
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "serve", "--port", str(port)],
        cwd=book, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        page = b""
        while time.monotonic() < deadline:
            try:
                status, page = _get(f"http://127.0.0.1:{port}/index.html")
                if status == 200 and b"book-downloads" in page:
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(1)
        assert b'href="downloads/tiny.pdf"' in page and b'href="downloads/tiny.epub"' in page
        status, pdf = _get(f"http://127.0.0.1:{port}/downloads/tiny.pdf")
        assert status == 200 and pdf.startswith(b"%PDF")
        status, epub = _get(f"http://127.0.0.1:{port}/downloads/tiny.epub")
        assert status == 200 and epub.startswith(b"PK") and b"application/epub+zip" in epub[:100]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
