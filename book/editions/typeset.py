"""Typeset the LaTeX that Sphinx wrote into a PDF: xelatex as many times as the book needs.

The passes are decided the way latexmk decides them, without its saved state: xelatex runs
again only while a file it reads back (``.aux``, ``.toc``, ``.out``, the index) changed in the
last pass, so an edit that moves no page reference costs one pass, a clean build two (the first
pass sets an empty index, so its line in the contents stands already; see bookdesign.sty). The
index is made with the program Sphinx configured (makeindex, or xindy with Sphinx's options).
A failure is reported with TeX's own first error line, the chapter and line it comes from,
and the generated ``.tex`` line; TeX's log is kept as ``<build>/latex-failed.log`` (named in
the message), and the files a failed pass may have left half-written are removed, so the next
build starts from a clean slate. Each program runs within a time limit (``BOOK_TEX_SECONDS``,
else :data:`book.limits.TEX_SECONDS`): past it, xelatex is interrupted as Ctrl-C would, so
that TeX names the line it was at; and, where the system limits a child's memory (Linux),
within :data:`book.limits.TEX_MEMORY`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from book import limits
from book.errors import BookError
from book.limits import TEX_MEMORY, TEX_SECONDS

MAX_PASSES = 5
_READ_BACK = (".aux", ".toc", ".out", ".lof", ".lot", ".ind")
_AUXILIARY = (*_READ_BACK, ".idx", ".ilg", ".xdv", ".log", ".fls", ".fdb_latexmk")
_FILE_LINE = re.compile(r"^(?:\./)?(\S+\.\w+):(\d+): (.*)$")  # -file-line-error: any file TeX reads
FAILED_LOG = "latex-failed.log"  # beside the LaTeX folder: the log of the last failed pass
_PAGE_COUNT = re.compile(rb"^\\gdef ?\\@abspage@last\{\d+\}\r?$", re.M)
_DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^}:]+):")


def tex_seconds() -> float:
    """The time limit of one program run: ``BOOK_TEX_SECONDS`` if set (a positive number)."""
    text = os.environ.get("BOOK_TEX_SECONDS", "").strip()
    if not text:
        return TEX_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 1e6:
        raise BookError(
            f"BOOK_TEX_SECONDS must be a number of seconds, not {text!r}",
            hint=f"unset it (the limit is then {TEX_SECONDS} s), or set it to a number",
        )
    return seconds


def tex_environment() -> dict[str, str]:
    """The environment of the book's TeX programs: error lines unwrapped in the log, and a file
    looked up by its exact name only (Sphinx names every file exactly; TeX Live's kpathsea
    otherwise lists the folder to retry each name it did not find in another case)."""
    return {**os.environ, "max_print_line": "10000", "texmf_casefold_search": "0"}


class Typesetter:
    """Runs xelatex (in a thread of its own, beside the HTML and EPUB builds) and can stop it."""

    def __init__(self, latex_dir: Path, name: str, root: Path) -> None:
        self.latex_dir = latex_dir
        self.name = name
        self.root = root
        self.passes = 0
        self.seconds = tex_seconds()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()
        self._timed_out = False

    @property
    def pdf(self) -> Path:
        return self.latex_dir / f"{self.name}.pdf"

    def stop(self) -> None:
        """Stop a running xelatex (the build failed elsewhere, or was interrupted)."""
        self._stopped.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def run(self, say: Callable[[str], None] = print) -> None:
        """Typeset ``<name>.tex`` into ``<name>.pdf``; a BookError says why it could not."""
        for program in ("xelatex", "xdvipdfmx"):
            if not shutil.which(program):
                raise BookError(
                    f"{program} is not installed, so the PDF cannot be made; dist/ was left as it was",
                    hint="run make setup (it installs texlive-xetex), or build html and epub alone",
                )
        try:
            self._no_index_no_placeholder()
            self._passes(say)
            # zlib's own default level: 30 ms less than xdvipdfmx's 9, for a PDF 0.7 % larger
            pdf = ["xdvipdfmx", "-q", "-E", "-z", "6", "-o", f"{self.name}.pdf", f"{self.name}.xdv"]
            self._run(pdf, "xdvipdfmx")
        except BaseException:
            self.keep_log()
            self.clear_auxiliary()
            raise

    @property
    def failed_log(self) -> Path:
        return self.latex_dir.parent / FAILED_LOG

    def keep_log(self) -> None:
        """Keep the failed pass's log as :data:`FAILED_LOG` (a new file, never written through
        a link standing there), before the auxiliary files go."""
        log = self.latex_dir / f"{self.name}.log"
        if not log.is_file():
            return
        tmp = self.failed_log.with_name(f".{FAILED_LOG}.tmp")
        tmp.unlink(missing_ok=True)
        shutil.copyfile(log, tmp)
        os.replace(tmp, self.failed_log)

    def clear_auxiliary(self) -> None:
        """Remove what a failed or killed pass may have left half-written."""
        for suffix in _AUXILIARY:
            (self.latex_dir / f"{self.name}{suffix}").unlink(missing_ok=True)
        self.pdf.unlink(missing_ok=True)

    def _no_index_no_placeholder(self) -> None:
        """A book without index entries gets an empty index file before its first pass, so that
        bookdesign.sty sets no placeholder index there that the second pass would take away."""
        ind, tex = self.latex_dir / f"{self.name}.ind", self.latex_dir / f"{self.name}.tex"
        if not ind.exists() and "\\index{" not in tex.read_text(encoding="utf-8", errors="replace"):
            ind.write_text("", encoding="utf-8")

    def _passes(self, say: Callable[[str], None]) -> None:
        """xelatex until nothing it reads back changes."""
        index_done: str | None = None
        while True:
            self.passes += 1
            before = self._read_back()
            say(f"xelatex pass {self.passes}")
            self._xelatex()
            idx = self.latex_dir / f"{self.name}.idx"
            if idx.exists() and _digest(idx) != index_done:
                self._make_index()
                index_done = _digest(idx)
            if self._read_back() == before:
                return
            if self.passes >= MAX_PASSES:
                say(f"warning: cross-references still change after {MAX_PASSES} xelatex passes")
                return

    def _read_back(self) -> dict[str, str | None]:
        return {s: _digest(self.latex_dir / f"{self.name}{s}") for s in _READ_BACK}

    def _xelatex(self) -> None:
        cmd = [
            "xelatex", "-no-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
            "-no-shell-escape", f"{self.name}.tex",
        ]  # fmt: skip
        returncode = self._run(cmd, "xelatex", check=False)
        if returncode != 0:
            raise self._tex_error(returncode)

    def _make_index(self) -> None:
        idx, ind = f"{self.name}.idx", f"{self.name}.ind"
        rc = (self.latex_dir / "latexmkrc").read_text(encoding="utf-8", errors="replace")
        if "xindy" not in rc:
            self._run(["makeindex", "-q", "-s", "python.ist", "-o", ind, idx], "makeindex")
        elif (self.latex_dir / idx).stat().st_size == 0:
            (self.latex_dir / ind).write_text("", encoding="utf-8")
        else:
            self._run(["xindy", *self._xindy_options(), "-o", ind, idx], "xindy")

    def _xindy_options(self) -> list[str]:
        """XINDYOPTS as Sphinx's generated Makefile sets them."""
        options: list[str] = []
        makefile = self.latex_dir / "Makefile"
        text = makefile.read_text(encoding="utf-8", errors="replace") if makefile.exists() else ""
        for line in text.splitlines():
            match = re.match(r"^(?:export\s+)?XINDYOPTS\s*(\+?=)\s*(.*)$", line)
            if match:
                options = (
                    options + shlex.split(match.group(2))
                    if match.group(1) == "+="
                    else shlex.split(match.group(2))
                )
        return options

    def _run(self, cmd: list[str], label: str, check: bool = True) -> int:
        if self._stopped.is_set():
            raise BookError("the PDF build was stopped")
        self._timed_out = False
        self._proc = proc = subprocess.Popen(
            cmd,
            cwd=self.latex_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=tex_environment(),
        )
        _limit_memory(proc.pid)
        try:
            output, _ = proc.communicate(timeout=self.seconds)
        except subprocess.TimeoutExpired:
            self._timed_out = True
            output = _interrupt(proc)
        self._proc = None
        if self._stopped.is_set():
            raise BookError("the PDF build was stopped")
        if check and proc.returncode != 0:
            text = output.decode("utf-8", "replace").strip().splitlines()
            why = self._limit_hit() or f"failed (exit status {proc.returncode})"
            raise BookError(
                f"{label} {why}; dist/ was left as it was" + (f"\n{text[-1]}" if text else ""),
                self.latex_dir / f"{self.name}.tex",
            )
        return proc.returncode

    def _limit_hit(self) -> str:
        return (
            f"ran longer than its time limit of {self.seconds:g} s, and was stopped"
            if self._timed_out
            else ""
        )

    def _tex_error(self, returncode: int) -> BookError:
        """TeX's first error line, and the chapter and line of the book it comes from."""
        log_path = self.latex_dir / f"{self.name}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        first, file, tex_line, context = _first_error(log.splitlines())
        tex = self.latex_dir / f"{self.name}.tex"
        if not first:
            head = f"xelatex stopped without an error message (exit status {returncode})"
            if returncode < 0:
                head += f"; it may have reached its memory limit of {limits.size(TEX_MEMORY)}"
        elif self._timed_out:
            head = f"xelatex {self._limit_hit()} at this line (an endless loop of macros?)"
        else:
            head = f"xelatex stopped: {first.strip()}"
        source: Path | None = None
        source_line = None
        if file is None or Path(file).name == tex.name:
            source, source_line = self._source_of(tex, tex_line, context)
            where = (
                f"the generated LaTeX {tex.name}:{tex_line}"
                if tex_line
                else f"the generated LaTeX {tex.name}"
            )
        else:  # a file TeX wrote or read back (.aux, .toc, .ind) or a package's
            where = f"{file}:{tex_line}"
        named = _shown(source) if source is not None else _shown(tex)
        return BookError(
            f"{head}\n  in {where}"
            + (f": {context.strip()[:120]}" if context.strip() else "")
            + "; dist/ was left as it was",
            named,
            source_line,
            hint="fix the text at that place; TeX's full log is " + _shown(self.failed_log),
        )

    def _source_of(self, tex: Path, tex_line: int | None, context: str) -> tuple[Path | None, int | None]:
        """The source document (and line) that the given line of the generated LaTeX came from."""
        if tex_line is None or not tex.exists():
            return None, None
        tex_lines = tex.read_text(encoding="utf-8", errors="replace").splitlines()
        docname = None
        for line in reversed(tex_lines[:tex_line]):
            match = _DOC_LABEL.search(line)
            if match:
                docname = match.group(1)
                break
        if docname is None:
            return None, None
        source = next((p for p in sorted(self.root.glob(f"{docname}.*")) if p.is_file()), None)
        if source is None:
            return None, None
        text_line = tex_lines[tex_line - 1] if tex_line <= len(tex_lines) else context
        return source, _find_line(source, context or text_line)


def _first_error(lines: list[str]) -> tuple[str, str | None, int | None, str]:
    """TeX's first error in its log: the message, the file and line it names (``-file-line-error``
    form, or the ``l.N`` line after a "! ..." message) and the text of that line."""
    for i, line in enumerate(lines):
        match = _FILE_LINE.match(line)
        if not (match or line.startswith("! ")):
            continue
        first = match.group(3) if match else line[2:]
        file = match.group(1) if match else None
        tex_line = int(match.group(2)) if match else None
        context = ""
        for following in lines[i + 1 : i + 12]:
            found = re.match(r"^l\.(\d+) ?(.*)$", following)
            if found:
                tex_line = tex_line or int(found.group(1))
                context = found.group(2)
                break
        return first, file, tex_line, context
    return "", None, None, ""


def _interrupt(proc: subprocess.Popen[bytes]) -> bytes:
    """Stop a program past its time limit: first as Ctrl-C would (xelatex then writes where it
    was into its log), then for good; what it printed."""
    if sys.platform != "win32":
        proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    return proc.communicate()[0]


def _limit_memory(pid: int) -> None:
    """Limit a running child's address space to :data:`TEX_MEMORY`, where the system can
    (``resource.prlimit``: Linux); elsewhere only its time is limited."""
    try:
        import resource
    except ImportError:
        return
    prlimit = getattr(resource, "prlimit", None)
    if prlimit is None:
        return
    try:
        _soft, hard = prlimit(pid, resource.RLIMIT_AS)
        limit = TEX_MEMORY if hard == resource.RLIM_INFINITY else min(TEX_MEMORY, hard)
        prlimit(pid, resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):  # the program has ended already, or the system refuses
        pass


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _find_line(source: Path, tex_text: str) -> int | None:
    """The line of ``source`` holding the longest run of plain words of ``tex_text``."""
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    verbatim = tex_text.strip()
    if verbatim:  # raw LaTeX in the source is copied as it is
        hits = [n for n, line in enumerate(lines, 1) if line.strip() == verbatim]
        if hits:
            return hits[0]
    words = re.findall(r"[^\W\d_][\w'’-]*", re.sub(r"\\[A-Za-z@]+|[{}]", " ", tex_text))
    for size in range(min(len(words), 6), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if size == 1 and len(phrase) < 5:
                continue
            hits = [n for n, line in enumerate(lines, 1) if phrase in " ".join(line.split())]
            if len(hits) == 1 or (hits and size > 1):
                return hits[0]
    return None


def _digest(path: Path) -> str | None:
    """The hash of what a pass reads back from ``path`` (None if it is missing).

    The document's page count, which LaTeX records in the ``.aux`` for packages that print
    it, is left out: the book prints it nowhere, and the index growing from the empty one of
    a first pass to its full length must not cost another pass.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(_PAGE_COUNT.sub(b"", data)).hexdigest()
