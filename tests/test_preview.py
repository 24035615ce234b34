"""The live preview (``python -m book serve``): the real command on a free port, read with real
HTTP requests, a real WebSocket and Chromium.

One preview of a tiny book serves the whole module; the tests edit the book in turn, as an
author does while it runs: an edit shows on the served page, a broken chapter's error shows in
the browser and the next save takes it away, a deleted and a renamed chapter leave it serving.
It answers only its own address (DNS rebinding: a foreign ``Host`` or ``Origin`` is refused)
and no path with ``..``. Every wait has a generous limit that only a broken preview reaches.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT, make_book

pytestmark = pytest.mark.sphinx
CHROMIUM = "/usr/bin/chromium"
LIMIT = 120  # seconds: what only a preview that never updates reaches


@dataclass
class Served:
    book: Path
    url: str
    port: int
    proc: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def raw(self, target: str, host: str | None = None) -> int:
        """The status of a GET of ``target`` exactly as written (no client normalises it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest("GET", target, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        connection.endheaders()
        status = connection.getresponse().status
        connection.close()
        return status

    def wait_for(self, path: str, test: Callable[[int, str], bool]) -> tuple[int, str]:
        deadline = time.monotonic() + LIMIT
        while True:
            status, page = self.get(path)
            if test(status, page):
                return status, page
            assert self.proc.poll() is None, "the preview stopped:\n" + "".join(self.output)
            if time.monotonic() > deadline:
                pytest.fail(f"{path} never passed the check; the preview said:\n{''.join(self.output)}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    book = make_book(tmp_path_factory.mktemp("preview"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "serve", "--port", str(free_port())],
        cwd=book, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if "serving the HTML edition at" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        ready.wait(timeout=600)
        match = next(
            (re.search(r"at (http://([\d.]+):(\d+)/)", line) for line in output if " at http" in line), None
        )
        assert match, "the preview did not start:\n" + "".join(output)
        yield Served(book, match.group(1), int(match.group(3)), proc, output)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def free_port() -> int:
    """A port no one listens on now (the system's choice for port 0, given back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _chapter(book: Path, pattern: str) -> Path:
    return next((book / "chapters").glob(pattern))


def test_it_listens_on_loopback_only_and_links_the_downloads(served: Served) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    status, page = served.get("index.html")
    assert status == 200
    assert 'href="downloads/tiny.pdf"' in page and 'href="downloads/tiny.epub"' in page
    with urllib.request.urlopen(served.url + "downloads/tiny.pdf", timeout=30) as response:
        assert response.read().startswith(b"%PDF")
    with urllib.request.urlopen(served.url + "downloads/tiny.epub", timeout=30) as response:
        epub = response.read()
    assert epub.startswith(b"PK") and b"application/epub+zip" in epub[:100]
    assert served.get("downloads/tiny.tex")[0] == 404  # only the two editions
    elsewhere = _an_address_not_loopback()
    if elsewhere:
        with pytest.raises(OSError):
            socket.create_connection((elsewhere, served.port), timeout=5).close()


def _an_address_not_loopback() -> str | None:
    """An address of this machine other than 127.0.0.1, if it has one."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is looked up
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_a_saved_edit_is_on_the_served_page_and_open_pages_are_told_to_reload(served: Served) -> None:
    from websockets.sync.client import connect

    chapter = _chapter(served.book, "ch-02-*.md")
    page = f"chapters/{chapter.stem}.html"
    with connect(f"ws://127.0.0.1:{served.port}/_preview/reload", origin=served.url.rstrip("/")) as ws:
        with chapter.open("a", encoding="utf-8") as handle:
            handle.write("\nA sentence written while the preview ran.\n")
        assert ws.recv(timeout=LIMIT) == "reload"
    served.wait_for(page, lambda status, text: "A sentence written while the preview ran." in text)


def test_a_broken_chapter_shows_its_error_in_the_browser_and_the_next_save_recovers(served: Served) -> None:
    from playwright.sync_api import sync_playwright

    chapter = _chapter(served.book, "ch-01-*.md")
    good = chapter.read_text(encoding="utf-8")
    line = len(good.splitlines()) + 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            tab = browser.new_page()
            tab.goto(served.url + f"chapters/{chapter.stem}.html")
            tab.wait_for_function("document.readyState === 'complete'")
            chapter.write_text(good + "\nA claim.{cite}`see @, p. 3`\n", encoding="utf-8")
            banner = tab.locator("#book-preview-errors")
            banner.wait_for(state="visible", timeout=LIMIT * 1000)  # the page reloaded by itself
            text = banner.inner_text()
            assert f"chapters/{chapter.name}:{line}" in text, text
            assert "ERROR" in text and "Traceback" not in text

            chapter.write_text(good + "\nA claim now well cited.\n", encoding="utf-8")
            banner.wait_for(state="detached", timeout=LIMIT * 1000)
            assert "A claim now well cited." in tab.locator("main").inner_text()
        finally:
            browser.close()
    assert served.proc.poll() is None


def test_a_new_bibliography_entry_and_its_citation_show(served: Served) -> None:
    """A change to the bibliography (read when the application starts) and a chapter citing it."""
    with (served.book / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n@book{newwork2020,\n  author = {Doe, Jane},\n  title = {A Work Added While Previewing},\n"
                     "  publisher = {Riverside Press},\n  year = {2020}\n}\n")  # fmt: skip
    chapter = _chapter(served.book, "ch-01-*.md")
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write("\nA claim on a new work.{cite}`@newwork2020, p. 4`\n")
    _, page = served.wait_for(
        f"chapters/{chapter.stem}.html", lambda status, text: "A Work Added While Previewing" in text
    )
    assert "book-preview-errors" not in page


def test_a_deleted_chapter_and_a_renamed_one_leave_it_serving(served: Served) -> None:
    doomed = _chapter(served.book, "ch-02-*.md")
    page = f"chapters/{doomed.stem}.html"
    assert served.get(page)[0] == 200
    saved = doomed.read_text(encoding="utf-8")
    doomed.unlink()
    served.wait_for(page, lambda status, text: status == 404)
    assert served.get("index.html")[0] == 200

    renamed = doomed.with_name("ch-02-renamed.md")
    renamed.write_text(saved, encoding="utf-8")  # the chapter back under a new name: in no contents
    _, index = served.wait_for("index.html", lambda status, text: "book-preview-errors" in text)
    assert "ch-02-renamed" in index and "chapter in no table of contents" in index
    listing = next(  # the part whose table of contents lists the chapter
        p
        for p in (served.book / "chapters").glob("part-*.md")
        if doomed.stem in p.read_text(encoding="utf-8")
    )
    listing.write_text(
        listing.read_text(encoding="utf-8").replace(doomed.stem, renamed.stem), encoding="utf-8"
    )
    served.wait_for("index.html", lambda status, text: status == 200 and "book-preview-errors" not in text)
    status, text = served.get(f"chapters/{renamed.stem}.html")
    assert status == 200 and "book-preview-errors" not in text


def test_pages_are_never_sent_half_written(served: Served) -> None:
    """Pages asked for while builds rewrite every page (a part renamed again and again) arrive
    whole: a build waits for the pages being sent, a request waits for the build."""
    part = _chapter(served.book, "part-1-*.md")
    text = part.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            for page in ("index.html", f"chapters/{part.stem}.html", "genindex.html"):
                try:
                    status, body = served.get(page)
                    assert status == 200 and body.rstrip().endswith("</script>"), (status, body[-200:])
                    answered[0] += 1
                except Exception as error:  # a page cut short, a connection dropped
                    failures.append(repr(error)[:300])

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for asker in askers:
        asker.start()
    try:
        for number in range(1, 9):
            part.write_text(text.replace(heading, f"{heading} {number}"), encoding="utf-8")
            served.wait_for(
                "index.html", lambda status, page, number=number: f"{heading[2:]} {number}" in page
            )
    finally:
        stop.set()
        for asker in askers:
            asker.join()
        part.write_text(text, encoding="utf-8")
    assert answered[0] and not failures, failures[:3]
    served.wait_for("index.html", lambda status, page: f"{heading[2:]} 8" not in page)


def test_it_answers_only_its_own_address(served: Served) -> None:
    own = served.url.rstrip("/")
    assert served.get("index.html", {"Host": "evil.example"})[0] in (400, 403)
    assert served.get("index.html", {"Host": f"evil.example:{served.port}"})[0] in (400, 403)
    assert served.get("index.html", {"Origin": "http://evil.example"})[0] == 403
    assert served.get("index.html", {"Origin": f"http://127.0.0.1:{served.port + 1}"})[0] == 403
    assert served.get("index.html", {"Host": f"localhost:{served.port}", "Origin": own})[0] == 200
    assert asyncio.run(_websocket_status(served.port, "http://evil.example")) == 403
    assert asyncio.run(_websocket_status(served.port, own, host="evil.example")) in (400, 403)
    assert asyncio.run(_websocket_status(served.port, own)) == 101


def test_it_refuses_every_dotdot(served: Served) -> None:
    secret = served.book.parent / "secret.txt"
    secret.write_text("not for the web\n", encoding="utf-8")
    for target in (
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/chapters/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/chapters/%2e%2e/index.html",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
    ):
        assert served.raw(target) == 400, target
    assert served.raw("/index.html") == 200


async def _websocket_status(port: int, origin: str, host: str | None = None) -> int:
    """The status a WebSocket handshake gets (101: accepted)."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    headers = {"Host": host} if host else None
    try:
        async with connect(
            f"ws://127.0.0.1:{port}/_preview/reload", origin=origin, additional_headers=headers
        ):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


def test_a_book_broken_from_the_start_is_served_with_its_error(tmp_path: Path) -> None:
    """The downloads cannot be built, the first build fails: the preview still starts and shows why."""
    book = make_book(tmp_path)
    chapter = _chapter(book, "ch-01-*.md")
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write("\nA claim.{cite}`@nosuchwork1999, p. 3`\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "serve", "--port", str(free_port())],
        cwd=book, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "serving the HTML edition at" in line:
                break
        url = re.search(r"at (http://[\d.]+:\d+/)", lines[-1])
        assert url, "".join(lines)
        with urllib.request.urlopen(url.group(1) + "index.html", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert "book-preview-errors" in page and "nosuchwork1999" in page
        assert "the download links need a build that succeeds" in "".join(lines)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def test_a_folder_without_a_book_or_a_port_in_use_is_one_clear_error(served: Served, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for folder, port, message in (
        (tmp_path, str(free_port()), "no conf.py here"),
        (served.book, str(served.port), f"cannot listen on 127.0.0.1:{served.port}"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "book", "serve", "--port", port, "--no-downloads"],
            cwd=folder, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
