"""Begin the PDF's first xelatex pass before Sphinx has written the LaTeX.

Reading the preamble (fonts, Sphinx's packages, the page design) is about half of an xelatex
pass, and after an edit to a chapter it is the same as in the last build. So, when the last
build left its ``.tex`` and ``.aux``, xelatex starts at once on that preamble, reading the
support files from a copy taken before Sphinx rewrites them, and then waits on a named pipe
for the body. Once Sphinx has written the new ``.tex``, :meth:`EarlyPass.finish` sends the
body through the pipe only if the new preamble and every support file are byte for byte
those the early pass read; otherwise the pass is stopped and thrown away. Either way the PDF
is the one a pass started afresh would give: TeX read the same bytes in the same order.

The files of the early pass (its driver, the pipe and the copy) live in ``<build>/early``,
outside the cached build folders, and are removed when the pass ends.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

__all__ = ["EarlyPass", "tex_environment"]

_BEGIN = "\\begin{document}\n"
# Files a preamble may load from the LaTeX folder (Sphinx's and the book's packages).
_SUPPORT = (".sty", ".cls", ".cfg", ".def", ".fd", ".clo", ".ldf", ".tex")
# XeTeX reads the first bytes of a file to guess its encoding and cannot seek back on a pipe:
# the body starts with a comment line for those bytes to fall on.
_PAD = b"%" * 32 + b"\n"


def tex_environment(**extra: str) -> dict[str, str]:
    """The environment of the book's TeX programs: error lines unwrapped in the log, and a
    file looked up by its exact name only. TeX Live's kpathsea otherwise lists the folder
    to retry every name it did not find (a few thousand lookups per pass) with another case:
    0.1 s of each xelatex pass, for files Sphinx always names exactly."""
    return {**os.environ, "max_print_line": "10000", "texmf_casefold_search": "0", **extra}


class EarlyPass:
    """An xelatex pass begun on the last build's preamble, waiting for the new body."""

    def __init__(
        self, proc: subprocess.Popen[bytes], folder: Path, latex_dir: Path, name: str, preamble: str
    ):
        self.proc = proc
        self.folder = folder
        self.latex_dir = latex_dir
        self.name = name
        self.preamble = preamble

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
        os.mkfifo(folder / "body")
        driver = folder / "driver.tex"
        here = os.path.relpath(folder, latex_dir)  # "../early": no character TeX would misread
        driver.write_text(preamble + f"\\csname @@input\\endcsname{{{here}/body}}\n", encoding="utf-8")
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
        )
        return cls(proc, folder, latex_dir, name, preamble)

    def finish(self, stopped: threading.Event) -> str | None:
        """Send the new body and wait. None if the pass ran to a clean end on inputs equal to
        those of a fresh pass, else why it was not used (run a fresh pass then)."""
        try:
            tex = (self.latex_dir / f"{self.name}.tex").read_text(encoding="utf-8")
            if not tex.startswith(self.preamble) or not self._same_support_files():
                return "the preamble or its packages changed"
            if not self._send(tex[len(self.preamble) :].encode("utf-8"), stopped) or self.proc.wait() != 0:
                return "it stopped before the end"  # a fresh pass reports the error, if any
            return None
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop the pass (if it still runs) and remove its files."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _same_support_files(self) -> bool:
        copy = self.folder / "support"
        now = {p.name: p for p in _support_files(self.latex_dir, self.name)}
        then = {p.name: p for p in copy.iterdir()}
        return now.keys() == then.keys() and all(now[n].read_bytes() == then[n].read_bytes() for n in now)

    def _send(self, body: bytes, stopped: threading.Event) -> bool:
        """Write the body into the pipe once xelatex opens it (False if xelatex ended first)."""
        while True:
            if stopped.is_set():
                return False
            try:
                fd = os.open(self.folder / "body", os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                if self.proc.poll() is not None:
                    return False  # it stopped in the preamble: the fresh pass reports why
                time.sleep(0.005)
        os.set_blocking(fd, True)
        try:
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(_PAD + body)
        except BrokenPipeError:
            return False
        return True


def _support_files(latex_dir: Path, name: str) -> list[Path]:
    return sorted(
        p for p in latex_dir.iterdir() if p.suffix in _SUPPORT and p.name != f"{name}.tex" and p.is_file()
    )
