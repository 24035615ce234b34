"""Begin the PDF's first xelatex pass before Sphinx has written the LaTeX.

Reading the preamble (fonts, Sphinx's packages, the page design) is about half of an xelatex
pass, and after an edit to a chapter it is the same as in the last build. So, when the last
build left its ``.tex`` and ``.aux``, xelatex starts at once on that preamble, reading the
support files from a copy taken before Sphinx rewrites them, and then waits on named pipes
for the body. As soon as Sphinx knows which documents it reads or writes again
(:meth:`EarlyPass.send_ahead`), the last build's body up to the first of them goes down the
first pipe, and xelatex typesets those chapters while the LaTeX is written. Once Sphinx has
written the new ``.tex``, :meth:`EarlyPass.finish` sends the rest of the body through the
second pipe only if the new preamble and every support file are byte for byte those the
early pass read, and the new body begins with what was sent ahead; otherwise the pass is
stopped and thrown away. Either way the PDF is the one a pass started afresh would give: TeX
read the same bytes in the same order (split between two files at the start of a document,
where no group, argument or conditional is open).

The files of the early pass (its driver, the pipes and the copy) live in ``<build>/early``,
outside the cached build folders, and are removed when the pass ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable, Collection
from pathlib import Path

__all__ = ["EarlyPass", "tex_environment"]

_BEGIN = "\\begin{document}\n"
# Files a preamble may load from the LaTeX folder (Sphinx's and the book's packages).
_SUPPORT = (".sty", ".cls", ".cfg", ".def", ".fd", ".clo", ".ldf", ".tex")
# XeTeX reads the first bytes of a file to guess its encoding and cannot seek back on a pipe:
# the body starts with a comment line for those bytes to fall on.
_PAD = b"%" * 32 + b"\n"
_PIPES = ("ahead", "body")  # the body's part sent ahead, then the rest
# The pipes' ends this process holds are not a forked child's: it closes them.
_PARENT_ONLY: set[int] = set()
_STEP = re.compile(r"^\\sphinxstepscope$", re.M)
_DOC = re.compile(r"\\label\{\\detokenize\{([^}]*?)::doc\}\}")


def tex_environment(**extra: str) -> dict[str, str]:
    """The environment of the book's TeX programs: error lines unwrapped in the log, and a
    file looked up by its exact name only. TeX Live's kpathsea otherwise lists the folder
    to retry every name it did not find (a few thousand lookups per pass) with another case:
    0.1 s of each xelatex pass, for files Sphinx always names exactly."""
    return {**os.environ, "max_print_line": "10000", "texmf_casefold_search": "0", **extra}


class EarlyPass:
    """An xelatex pass begun on the last build's preamble, waiting for the new body."""

    def __init__(
        self, proc: subprocess.Popen[bytes], folder: Path, latex_dir: Path, name: str, last: str, preamble: str,
        pipes: dict[str, int],
    ):  # fmt: skip
        self.proc = proc
        self.folder = folder
        self.latex_dir = latex_dir
        self.name = name
        self.preamble = preamble
        self.last_body = last[len(preamble) :]  # the last build's body, to send ahead from
        self.ahead = ""  # the part of it sent ahead
        self._pipes = pipes
        self._unsent = b""  # what of that part the pipe had no room for yet

    @classmethod
    def start(cls, latex_dir: Path, name: str, folder: Path) -> EarlyPass | None:
        """Begin the pass, or None when there is no last build to start from."""
        shutil.rmtree(folder, ignore_errors=True)  # what a killed build may have left
        tex, aux = latex_dir / f"{name}.tex", latex_dir / f"{name}.aux"
        if not (tex.is_file() and aux.is_file() and shutil.which("xelatex") and hasattr(os, "mkfifo")):
            return None
        text = tex.read_text(encoding="utf-8", errors="replace")
        if _BEGIN not in text:
            return None
        preamble = text[: text.index(_BEGIN) + len(_BEGIN)]
        (folder / "support").mkdir(parents=True)
        for path in _support_files(latex_dir, name):
            shutil.copyfile(path, folder / "support" / path.name)
        pipes = {}
        for pipe in _PIPES:
            os.mkfifo(folder / pipe)
            # this process holds each pipe open, to write and to read, so that neither side
            # waits for the other to open it; a forked child closes its copies
            pipes[pipe] = os.open(folder / pipe, os.O_RDWR | os.O_NONBLOCK)
            _PARENT_ONLY.add(pipes[pipe])
        driver = folder / "driver.tex"
        here = os.path.relpath(folder, latex_dir)  # "../early": no character TeX would misread
        inputs = "".join(f"\\csname @@input\\endcsname{{{here}/{pipe}}}" for pipe in _PIPES)
        driver.write_text(preamble + inputs + "\n", encoding="utf-8")
        inputs = os.environ.get("TEXINPUTS", "")
        env = tex_environment(TEXINPUTS=f"{here}/support{os.pathsep}{inputs}")  # the copy first
        cmd = [
            "xelatex", "-no-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
            "-no-shell-escape", f"-jobname={name}", f"{here}/driver.tex",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            cwd=latex_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            preexec_fn=_ends_with_parent(),  # the process has no other thread yet
        )
        return cls(proc, folder, latex_dir, name, text, preamble, pipes)

    def send_ahead(self, changed: Collection[str]) -> None:
        """Send the last build's body, up to the first document in ``changed`` (those Sphinx
        reads or writes again), for xelatex to typeset while the new LaTeX is written: as
        much as the pipe holds now, the rest with the new body."""
        if self.ahead or "ahead" not in self._pipes:
            return
        self.ahead = self.last_body[: _unchanged_part(self.last_body, changed)]
        if not self.ahead:
            return
        data = _PAD + self.ahead.encode("utf-8")
        fd = self._pipes["ahead"]
        resize = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux: a larger pipe, where allowed
        if resize is not None:
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, resize, min(len(data), 1 << 20))
        try:
            self._unsent = data[os.write(fd, data) :]
        except BlockingIOError:
            self._unsent = data

    @property
    def documents_ahead(self) -> int:
        """How many documents were sent ahead."""
        return len(_STEP.findall(self.ahead))

    def finish(self, stopped: threading.Event) -> str | None:
        """Send the new body and wait. None if the pass ran to a clean end on inputs equal to
        those of a fresh pass, else why it was not used (run a fresh pass then)."""
        try:
            tex = (self.latex_dir / f"{self.name}.tex").read_text(encoding="utf-8")
            if not tex.startswith(self.preamble) or not self._same_support_files():
                return "the preamble or its packages changed"
            body = tex[len(self.preamble) :]
            if not body.startswith(self.ahead):
                return "a chapter it had begun on changed"
            ahead = self._unsent if self.ahead else _PAD
            rest = _PAD + body[len(self.ahead) :].encode("utf-8")
            if not (self._send("ahead", ahead, stopped) and self._send("body", rest, stopped)):
                return "it stopped before the end"  # a fresh pass reports the error, if any
            if self.proc.wait() != 0:
                return "it stopped before the end"
            return None
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop the pass (if it still runs) and remove its files."""
        for pipe in list(self._pipes):
            self._close(pipe)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _close(self, pipe: str) -> None:
        fd = self._pipes.pop(pipe, None)
        if fd is not None:
            _PARENT_ONLY.discard(fd)
            os.close(fd)

    def _same_support_files(self) -> bool:
        copy = self.folder / "support"
        now = {p.name: p for p in _support_files(self.latex_dir, self.name)}
        then = {p.name: p for p in copy.iterdir()}
        return now.keys() == then.keys() and all(now[n].read_bytes() == then[n].read_bytes() for n in now)

    def _send(self, pipe: str, data: bytes, stopped: threading.Event) -> bool:
        """Write the rest of a pipe's bytes as xelatex reads them, wait until it has read all,
        then close this process's end: xelatex reads the end of the file there (False if it
        ended first, or the build was stopped)."""
        fd = self._pipes[pipe]
        view = memoryview(data)
        while True:
            if view and not stopped.is_set():
                with contextlib.suppress(BlockingIOError):
                    view = view[os.write(fd, view) :]
            if not view and _unread(fd) == 0:  # all read (xelatex may have ended since): it
                self._close(pipe)  # had the pipe open, so closing this end loses nothing
                return True
            if stopped.is_set() or self.proc.poll() is not None:
                return False
            select.select([], [fd] if view else [], [], 0.005)


def _unchanged_part(body: str, changed: Collection[str]) -> int:
    """How much of ``body`` comes before the first document in ``changed``: up to the
    ``\\sphinxstepscope`` line Sphinx writes before each document, where no group, argument
    or conditional is open. Never past the last document, so that the rest of the body, with
    its end, always follows; 0 if the root document (whose label comes first) changed."""
    root = _DOC.search(body)
    if root is None or root.group(1) in changed:
        return 0
    cut = 0
    for step in _STEP.finditer(body):
        cut = step.start()
        label = _DOC.search(body, step.end())
        if label is None or label.group(1) in changed:
            break
    return cut


def _support_files(latex_dir: Path, name: str) -> list[Path]:
    return sorted(
        p for p in latex_dir.iterdir() if p.suffix in _SUPPORT and p.name != f"{name}.tex" and p.is_file()
    )


def _unread(fd: int) -> int:
    """How many bytes written into a pipe are not read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def _ends_with_parent() -> Callable[[], None] | None:
    """For a child process on Linux: it is killed when this process ends (a killed build leaves
    no xelatex behind, waiting on its pipes)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def arm() -> None:  # in the child, before it becomes xelatex
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent ended before the signal was set
            os._exit(1)

    return arm


def _close_in_child() -> None:
    for fd in list(_PARENT_ONLY):
        with contextlib.suppress(OSError):
            os.close(fd)
    _PARENT_ONLY.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)
