"""``make bench``'s live preview: ``python -m book serve`` running on a copy of the book, timed
from saving a sentence in a chapter to the served page showing it, as a browser sees it (the
preview's WebSocket says reload, the page is fetched and has the sentence)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from websockets.typing import Origin

LIMIT = 120.0  # seconds: a preview that takes longer is broken, not slow


def _free_port() -> int:
    """A port no one listens on now (the system's choice for port 0, given back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LivePreview:
    """The preview of ``book`` (its first build done), until :meth:`close`."""

    def __init__(self, book: Path, env: dict[str, str]) -> None:
        self.book = book
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "book", "serve", "--port", str(_free_port()), "--no-downloads"],
            cwd=book, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.output: list[str] = []
        ready = threading.Event()
        threading.Thread(target=self._read, args=(ready,), daemon=True).start()
        ready.wait(timeout=600)
        found = re.search(r"at (http://127\.0\.0\.1:(\d+)/)", "".join(self.output))
        if found is None:
            self.close()
            raise RuntimeError("the preview did not start:\n" + "".join(self.output)[-3000:])
        self.url, self.port = found.group(1), int(found.group(2))

    def _read(self, ready: threading.Event) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if "serving the HTML edition at" in line:
                ready.set()
        ready.set()

    def save_to_served(self, chapter: Path, number: int) -> tuple[float, float]:
        """Append a sentence to ``chapter``: (seconds until the served page shows it, CPU
        seconds the preview spent meanwhile)."""
        from websockets.sync.client import connect

        sentence = f"A sentence the live preview must show, number {number}."
        page = f"{self.url}chapters/{chapter.stem}.html"
        origin = cast("Origin", self.url.rstrip("/"))
        with connect(f"ws://127.0.0.1:{self.port}/_preview/reload", origin=origin) as ws:
            cpu = self._cpu()
            start = time.perf_counter()
            with chapter.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{sentence}\n")
            while True:
                waited = time.perf_counter() - start
                if waited > LIMIT or self.proc.poll() is not None:
                    raise RuntimeError(f"{page} did not show the sentence:\n{''.join(self.output)[-3000:]}")
                ws.recv(timeout=LIMIT - waited)  # "reload": what a browser's page acts on
                with urllib.request.urlopen(page, timeout=LIMIT) as response:
                    if sentence in response.read().decode("utf-8", "replace"):
                        return time.perf_counter() - start, self._cpu() - cpu

    def _cpu(self) -> float:
        """CPU seconds (user and system) the preview process has used, where /proc tells."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_memory(self) -> int:
        """The preview's peak resident memory (KiB), where /proc tells; else 0."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) if found else 0

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=60)
