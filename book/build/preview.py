"""The HTML edition kept warm for the live preview (``python -m book serve``).

One Sphinx application lives as long as the preview: each save calls its ``build()`` again,
which reads only the documents that changed (Sphinx's own incremental build over its
environment) and writes their pages. A change Sphinx cannot take into a running application
(``conf.py``, ``outline.toml``, a ``.bib`` file, a CSL style, a style sheet, a template) starts
a new application over the same build folder, which reads again what the change touched. A build that raised starts afresh too (Sphinx drops its saved
environment then).

Errors are those of the last build that read a document: a document whose reading logged an
error is read again at every build until it is fixed (so that its error stays shown), and the
pages of removed documents are deleted, so that the preview never serves a chapter the book no
longer has.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from book.errors import BookError

from .publish import _application, _book_error, _Early, _SphinxLog

# What a running application does not read again by itself: its configuration (conf.py,
# outline.toml), the bibliography and its style, the templates and static files of the site.
_SETTINGS = {".py", ".toml", ".bib", ".csl", ".css", ".js", ".html"}


@dataclass
class Outcome:
    """One build: its errors (``file:line: ERROR: message``, empty when it succeeded), the
    documents it read, the pages it removed, and how long it took."""

    errors: list[str]
    read: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    restarted: bool = False


class Preview:
    """The book in ``root`` as HTML in ``outdir``, with its environment in ``doctrees``."""

    def __init__(self, root: Path, outdir: Path, doctrees: Path) -> None:
        self.root, self.outdir, self.doctrees = root, outdir, doctrees
        self.app: Any = None
        self.errors: list[str] = []
        self._stack: contextlib.ExitStack | None = None
        self._log = _SphinxLog(root)
        self._read: list[str] = []
        self._removed: list[str] = []
        self._erred: set[str] = set()

    # -- the application --------------------------------------------------------------------

    def _start(self) -> None:
        """A new Sphinx application (reading conf.py again)."""
        from sphinx.util import console
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.close()
        console.nocolor()
        early = _Early()
        stack = contextlib.ExitStack()
        stack.enter_context(patch_docutils(self.root))
        stack.enter_context(docutils_namespace())  # undone when this application goes
        stack.callback(self._log.detach)
        self._stack = stack
        try:
            app = _application(self._log, early)(
                self.root, self.root, self.outdir, self.doctrees, "html",
                status=None, warning=early, parallel=0,
            )  # fmt: skip
        finally:  # what Sphinx said before the log took over (reading conf.py)
            early.show(self.root)
        app.connect("env-get-outdated", self._outdated)
        app.connect("env-before-read-docs", self._before_read, priority=1000)
        self.app = app

    def close(self) -> None:
        """End the application (a new one is started by the next build)."""
        if self._stack is not None:
            self._stack.close()
        self._stack, self.app = None, None

    def _outdated(self, app: Any, env: Any, added: Any, changed: Any, removed: Any) -> list[str]:
        """env-get-outdated: note the removed documents; read again those that had errors."""
        self._removed = sorted(removed)
        return sorted(self._erred - set(removed))

    def _before_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self._read = list(docnames)

    # -- a build ----------------------------------------------------------------------------

    def needs_restart(self, changed: list[Path]) -> bool:
        """Whether a change is one only a new application takes in (see the module's text)."""
        return self.app is None or any(path.suffix.lower() in _SETTINGS for path in changed)

    def build(self, changed: list[Path] | None = None) -> Outcome:
        """Build the pages that ``changed`` (paths; None: whatever is out of date) made stale."""
        started = time.perf_counter()
        restarted = changed is None or self.needs_restart(changed)
        self._read, self._removed = [], []
        self._log.errors = []
        try:
            if restarted:
                self._start()
            self.app.statuscode = 0
            self.app.build()
        except Exception as exc:  # the next build starts afresh
            self.close()
            self._erred = set()
            self.errors = [_describe(exc, self._log.errors).replace(f"{self.root}{os.sep}", "")]
            return Outcome(self.errors, self._read, [], time.perf_counter() - started, restarted)
        self._drop_pages(self._removed)
        if self._read or restarted:  # a build that read nothing leaves the errors as they were
            self.errors = list(dict.fromkeys(self._log.errors))
            self._erred = {
                doc for doc in self._read if any(_names(line, self.root, doc) for line in self.errors)
            }
        return Outcome(self.errors, self._read, self._removed, time.perf_counter() - started, restarted)

    def _drop_pages(self, removed: list[str]) -> None:
        suffix = self.app.builder.out_suffix if self.app is not None else ".html"
        for doc in removed:
            page = self.outdir / f"{doc}{suffix}"
            if page.is_file():
                page.unlink()


def _names(line: str, root: Path, doc: str) -> bool:
    """Whether the error ``line`` is about the document ``doc``."""
    return line.startswith((f"{doc}.", f"{doc}:", str(root / doc)))


def _describe(exc: Exception, logged: list[str]) -> str:
    cause = exc if isinstance(exc, BookError) else _book_error(exc)
    if cause is not None:
        return str(cause)
    detail = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip()[-2000:]
    return "\n".join([*dict.fromkeys(logged), f"ERROR: {detail}"])
