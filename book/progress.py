"""Progress of a long phase on stderr: silent when it is quick, a line every few seconds if not."""

from __future__ import annotations

import sys
import time


class Progress:
    """``Progress("parsing the notes", 3800)``, then ``.step()`` once per item done.

    Nothing is printed for a phase that ends within ``after`` seconds (the usual case); past
    that, one line every ``every`` seconds: ``parsing the notes: 1,200/3,800``.
    """

    def __init__(self, label: str, total: int, after: float = 2.0, every: float = 5.0) -> None:
        self.label, self.total, self.every = label, total, every
        self.done = 0
        self._next = time.monotonic() + after

    def step(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now >= self._next:
            print(f"    {self.label}: {self.done:,}/{self.total:,}", file=sys.stderr, flush=True)
            self._next = now + self.every
