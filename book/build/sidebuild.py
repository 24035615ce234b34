"""The later builders in a child process, beside xelatex.

The first builder of a build reads the changed sources, saves the environment and writes the
LaTeX; from then on every builder only reads the environment and writes its own output
folder. So :func:`fork` starts a child process (a copy of this one: nothing is imported or
read twice) that runs the other builders, HTML and EPUB, while the parent typesets the PDF.
The child's warnings come back to the parent, which shows each once; its failure is the
parent's. Where ``fork`` is unavailable the builders run in turn.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from book.errors import BookError

__all__ = ["Child", "fork", "forking"]


def forking() -> bool:
    """Whether builders can run in a child process here: on Linux, in a process with no other
    thread (a thread holding a lock at the fork would leave it held in the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class Child:
    """A running child build; :meth:`wait` for its warnings, :meth:`stop` it on failure."""

    def __init__(self, pid: int, report: int) -> None:
        self.pid = pid
        self._report = report
        self._done = False

    def wait(self) -> list[str]:
        """The child's warnings, once it has ended; its error raised here."""
        with os.fdopen(self._report, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(self.pid, 0)
        self._done = True
        report = json.loads(data) if data else {}
        if report.get("error"):
            raise BookError(**report["error"])
        if report.get("crash"):
            raise RuntimeError(f"a builder failed in the child process:\n{report['crash']}")
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
            raise KeyboardInterrupt
        if os.waitstatus_to_exitcode(status) != 0:
            raise BookError(
                f"the build of the other editions stopped (exit status {os.waitstatus_to_exitcode(status)})",
                hint="run make again; if it stops again, report it",
            )
        return list(report.get("warnings", []))

    def stop(self) -> None:
        """End the child (the parent failed): it must not write on once the build is over."""
        if self._done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        self._done = True
        os.close(self._report)


def fork(run: Callable[[list[str]], None]) -> Child:
    """Run ``run`` in a child process and return at once. ``run`` is given a list to append
    its warnings to (the parent shows them); it returns normally or raises."""
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return Child(pid, read)
    os.close(read)  # the child: it ends here, whatever happens
    report: dict[str, Any] = {"warnings": []}
    code = 1
    try:
        run(report["warnings"])
        code = 0
    except BookError as exc:
        report["error"] = {"message": exc.message, "file": exc.file, "line": exc.line, "hint": exc.hint}
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        report["crash"] = traceback.format_exc()
    finally:
        try:
            with os.fdopen(write, "wb") as handle:
                handle.write(json.dumps(report).encode())
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
