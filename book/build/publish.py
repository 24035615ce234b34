"""Build the editions under ``_build/`` and only then swap them into ``dist/``.

One environment: Sphinx reads the sources once into the doctree cache, then each builder
writes from it. The first builder writes the LaTeX, so that xelatex
(:mod:`book.editions.typeset`, a program of its own) typesets while the HTML and the EPUB are
written. An edition whose inputs have the same content hash as at its last build is not rebuilt, and a ``dist/`` that already holds it
is not touched (:mod:`.buildstate`); the build cache is checked against its recorded hashes
before it is used, and thrown away if anything in it differs. Publishing is one build at a
time and crash-safe (:mod:`.distdir`). Sphinx's messages are read from its logging, in this
process; any error fails the build, names file and line, and leaves ``dist/`` as it was.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from book.editions.hyphenation import check_log
from book.editions.languages import words
from book.errors import BookError
from book.sources.contents import write_contents
from book.sources.outline import Outline, load_outline

from . import buildstate, distdir
from .buildstate import BuildState

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from book.editions.typeset import Typesetter


@dataclass(frozen=True)
class Edition:
    """One edition: the Sphinx builder that writes it (its output folder under ``_build/`` is
    named for the builder), and what ``dist/`` gets of it: ``product``, under that folder, as
    ``published`` (``{name}`` is the book's file name)."""

    builder: str
    product: str
    published: str


#: the editions, in the order the command line and the messages name them; adding an edition
#: is a line here, its builder's settings (``book.editions.sphinxconf``) and a make target
EDITIONS: dict[str, Edition] = {
    "html": Edition("html", "", "html"),
    "epub": Edition("epub", "{name}.epub", "{name}.epub"),
    "pdf": Edition("latex", "{name}.pdf", "{name}.pdf"),
    "docx": Edition("docx", "{name}.docx", "{name}.docx"),
}
#: the order they are built in: the PDF first, so that xelatex typesets while the others are
#: written, and the DOCX next, so that Pandoc makes it meanwhile
_BUILD_ORDER = ("pdf", "docx", "html", "epub")


def publish(editions: list[str], dist: Path, root: Path | None = None, build: Path | None = None) -> int:
    """Build ``editions`` (of html, epub, pdf, docx) and publish them into ``dist``."""
    root = (root or Path.cwd()).resolve()
    build = Path(build).resolve() if build else root / "_build"
    unknown = sorted(set(editions) - set(EDITIONS))
    if unknown:
        raise BookError(f"unknown edition {', '.join(unknown)}", hint=f"choose from {', '.join(EDITIONS)}")
    editions = [e for e in EDITIONS if e in editions] or list(EDITIONS)
    outline = load_outline(root / "outline.toml")
    name = outline.filename
    dist = Path(dist)
    dist_path = dist if dist.is_absolute() else root / dist
    distdir.refuse_book_folder(dist_path, root, build, _source_folders(outline, build, dist_path), shown=dist)
    if outline.documents and not (root / "index.md").exists():
        raise BookError(
            "the chapters have not been written from the outline's documents yet (no index.md)",
            root / "outline.toml",
            hint="run python -m book import (make import), then publish again",
        )
    # a book of hand-written chapters: its index.md and bibliography page
    write_contents(outline, words(outline.language)["download_this_book"])
    started = time.monotonic()
    with distdir.build_lock(build, _say):
        target = distdir.resolve_target(dist_path)
        try:
            distdir.recover(target, _say)
            built = _publish_locked(editions, target, root, build, name, dist_path)
        except OSError as exc:
            raise distdir.describe_os_error(exc, dist) from None
    if built is None:
        _say(f"{dist}/ is up to date ({', '.join(editions)}): nothing to do")
    else:
        what = f"built {', '.join(built)}; " if built else ""
        _say(f"{what}published {', '.join(editions)} into {dist}/ in {time.monotonic() - started:.1f} s")
    return 0


def _source_folders(outline: Outline, build: Path, dist: Path) -> set[Path]:
    """The folders holding a file the book is made from (the outline's documents, the chapters,
    the bibliography, ...), the build folder among them; what lies in ``dist`` is not a source."""
    root = outline.path.parent
    files = [*buildstate.book_files(root, skip=[build, dist]), *outline.documents]
    return {build, root / "chapters", *(path.parent for path in files)}


def _publish_locked(
    editions: list[str], target: Path, root: Path, build: Path, name: str, dist_path: Path
) -> list[str] | None:
    """Build what changed and publish; None if ``dist/`` was already up to date."""
    toolchain = buildstate.toolchain_hash()
    hashes = buildstate.input_hashes(root, editions, skip=[build, target, dist_path], toolchain=toolchain)
    if "epub" in hashes:  # the EPUB's page list comes from the PDF built with it, if any
        hashes["epub"] = buildstate.digest(hashes["epub"], hashes.get("pdf"))
    state = BuildState.load(build)
    seen: buildstate.Seen = {}  # the digests taken, each file read once unless it changes
    current = [e for e in editions if state.editions.get(e, {}).get("inputs") == hashes[e]]
    published = state.editions.get("_dist", {})
    if (
        current == editions
        and published.get("target") == _where(target, root)
        and buildstate.published(target, seen) == published.get("files")
    ):
        return None
    try:
        if state.toolchain != toolchain or _cache_files(build, seen) != state.cache:
            if state.problem:
                _say(
                    f"{_where(build / buildstate.STATE_FILE, root)}: {state.problem}; starting from a clean cache"
                )
            elif state.cache or any((build / folder).exists() for folder in _CACHE_DIRS):
                _say("the build cache does not match its record; starting from a clean cache")
            _wipe(build)
            seen.clear()
            state = BuildState()
            current = []
        todo = [e for e in editions if e not in current]
        BuildState.forget(build)  # a build killed from here on leaves no trusted cache
        if todo:
            _build(todo, root, build, name, pages="pdf" in editions)
        cache = _cache_files(build, seen)
    except BaseException:
        distdir.drop_staging(target)
        raise
    with _interrupts_deferred():  # a Ctrl-C now lets the swap finish: dist/ is never half-published
        distdir.swap_in(target, _products(editions, build, name), name, same=_same(seen))
        recorded = {e: v for e, v in state.editions.items() if e in EDITIONS}
        recorded.update({e: {"inputs": hashes[e]} for e in editions})
        recorded["_dist"] = {"target": _where(target, root), "files": buildstate.published(target, seen)}
        BuildState(toolchain, cache, recorded).save(build)
    return todo


def _same(seen: buildstate.Seen) -> distdir.Same:
    """Whether two files hold the same bytes, by their digests (each file read once)."""
    return lambda first, second: buildstate.file_digest(first, seen) == buildstate.file_digest(second, seen)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C (in the main thread) until the block is done; then say it came too late."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
        if caught:
            _say("interrupted while publishing: the swap was finished, so dist/ holds the new editions")


def _products(editions: list[str], build: Path, name: str) -> dict[str, Path]:
    """What ``dist/`` gets of each edition (dist-relative name → built file or folder)."""
    return {
        EDITIONS[e].published.format(name=name): build
        / EDITIONS[e].builder
        / EDITIONS[e].product.format(name=name)
        for e in editions
    }


def _where(target: Path, root: Path) -> str:
    """A folder or file as recorded and shown: relative to the book if inside it (the book may
    move)."""
    return str(target.relative_to(root)) if target.is_relative_to(root) else str(target)


#: what the builders read back or publish
_CACHE_DIRS = ("doctrees", *(edition.builder for edition in EDITIONS.values()))


def _cache_files(
    build: Path, seen: buildstate.Seen | None = None, folders: tuple[str, ...] = _CACHE_DIRS
) -> dict[str, str]:
    """sha256 of every file of the build cache (or of ``folders`` in it), by its path under
    ``build``."""
    return {
        f"{folder}/{name}": digest
        for folder in folders
        for name, digest in buildstate.snapshot(build / folder, seen).items()
        if not name.endswith(".tmp")
    }


_OBSOLETE = ("regex", "templates")  # caches of earlier versions (one held pickles): read by nothing


def _wipe(build: Path) -> None:
    for folder in (*_CACHE_DIRS, *_OBSOLETE):
        distdir.remove_tree(build / folder)


def _say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _build(editions: list[str], root: Path, build: Path, name: str, pages: bool = False) -> None:
    """Run the builders of ``editions`` over one environment. The first reads the sources and
    writes its edition; when that is the LaTeX, xelatex typesets it while the others write, and
    pandoc makes the DOCX from the tree its builder wrote (:mod:`book.editions.docx`) likewise.
    With ``pages``, the EPUB then gets the PDF's page numbers (:mod:`book.editions.pagelist`)."""
    first, *rest = [e for e in _BUILD_ORDER if e in editions]
    log = _SphinxLog(root)
    _say(f"reading the sources; writing the {first} edition")
    _sphinx(EDITIONS[first].builder, root, build, log, progress=True)
    typesetter, threads, failure = None, list[threading.Thread](), list[BaseException]()
    if first == "pdf":
        from book.editions.typeset import Typesetter

        typesetter = Typesetter(build / "latex", name, root)
        threads.append(threading.Thread(target=_typeset, args=(typesetter, failure), daemon=True))
        threads[-1].start()
    try:
        for edition in rest:
            _say(f"writing the {edition} edition")
            _sphinx(EDITIONS[edition].builder, root, build, log, progress=False)
            if edition == "docx":
                threads.append(threading.Thread(target=_docx, args=(build, name, failure), daemon=True))
                threads[-1].start()
        if first == "docx":
            _docx(build, name, failure)
        for thread in threads:
            thread.join()
    except BaseException:
        if typesetter is not None:
            typesetter.stop()
        raise
    if failure:
        raise failure[0]
    if "epub" in editions:  # the page list, or without the PDF none (an earlier one taken out)
        from book.editions.pagelist import finish_epub

        finish_epub(build / "epub", build / "latex" / f"{name}.aux" if pages else None, name)


def _docx(build: Path, name: str, failure: list[BaseException]) -> None:
    from book.editions.docx import make_docx

    try:
        make_docx(build / "docx", name)
    except BaseException as exc:
        failure.append(exc)


def _typeset(typesetter: Typesetter, failure: list[BaseException]) -> None:
    try:
        typesetter.run(lambda message: _say(f"PDF: {message}"))
        log = typesetter.latex_dir / f"{typesetter.name}.log"
        _report_missing_glyphs(log)
        outline = typesetter.root / "outline.toml"
        check_log(log, load_outline(outline).language, outline)
    except BaseException as exc:
        failure.append(exc)


def _report_missing_glyphs(log: Path) -> None:
    import re

    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    missing = sorted(set(re.findall(r"Missing character: There is no (.) ", text)))
    if missing:
        print(f"warning: the PDF's fonts lack these characters: {' '.join(missing)}", file=sys.stderr)


class _SphinxLog(logging.Handler):
    """Sphinx's warnings and errors as log records: each warning shown once, errors kept."""

    def __init__(self, root: Path) -> None:
        super().__init__(logging.WARNING)
        self.root = str(root) + os.sep
        self.shown: set[str] = set()
        self.errors: list[str] = []

    def attach(self, app: Any) -> None:
        from sphinx.util import logging as sphinx_logging

        self.filters = []
        self.addFilter(sphinx_logging.WarningSuppressor(app))
        self.addFilter(sphinx_logging.WarningLogRecordTranslator(app))
        logging.getLogger(sphinx_logging.NAMESPACE).addHandler(self)

    def detach(self) -> None:
        from sphinx.util import logging as sphinx_logging

        logging.getLogger(sphinx_logging.NAMESPACE).removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        message = _one_type_suffix(record, logging.LogRecord.getMessage(record))
        location = getattr(record, "location", None)
        level = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        line = f"{location}: {level}: {message}" if location else f"{level}: {message}"
        line = line.replace(self.root, "")
        if record.levelno >= logging.ERROR:
            self.errors.append(line)
        else:
            self.show(line)

    def show(self, line: str) -> None:
        """Print a warning, unless an earlier builder printed it."""
        if line not in self.shown:
            self.shown.add(line)
            print(line, file=sys.stderr, flush=True)


def _one_type_suffix(record: logging.LogRecord, message: str) -> str:
    """The message with its warning type once: Sphinx's own handler and this one each append
    it to the same record ("… [ref.ref] [ref.ref]"), so one warning read as several."""
    kind = ".".join(p for p in (getattr(record, "type", None), getattr(record, "subtype", None)) if p)
    if not kind:
        return message
    suffix = f" [{kind}]"
    while message.endswith(suffix):
        message = message[: -len(suffix)]
    return message + suffix


class _Early(io.StringIO):
    """Sphinx's warning stream: what it says before the log is attached (reading conf.py);
    after that, the log has every warning (Sphinx would write each once more here)."""

    attached = False

    def write(self, text: str) -> int:
        return len(text) if self.attached else super().write(text)

    def show(self, root: Path) -> None:
        """Print what Sphinx said here, paths relative to the book."""
        if self.getvalue().strip():
            print(self.getvalue().rstrip().replace(f"{root}{os.sep}", ""), file=sys.stderr)


def _application(log: _SphinxLog, early: _Early) -> type[Sphinx]:
    """Sphinx's application class whose messages go to ``log`` once its extensions are set up
    (before that, reading conf.py, to ``early``)."""
    from sphinx.application import Sphinx

    class App(Sphinx):
        def preload_builder(self, name: str) -> None:  # after extensions, before the builder's setup
            log.attach(self)
            early.attached = True
            super().preload_builder(name)

    return App


class _Progress(io.TextIOBase):
    """Sphinx's status stream: its progress lines ("reading sources... [ 40%] ...") shown."""

    def __init__(self) -> None:
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.replace("\r", "\n").split("\n")
        for line in lines:
            if "%]" in line:
                print(f"    {line.strip()}", flush=True)
        return len(text)


def _sphinx(builder: str, root: Path, build: Path, log: _SphinxLog, progress: bool) -> None:
    """One Sphinx builder, in this process, over the shared doctree cache."""
    from sphinx.util import console
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    console.nocolor()
    log.errors = []
    early = _Early()
    app = None
    try:
        with patch_docutils(root), docutils_namespace():  # each app its own docutils registry
            app = _application(log, early)(
                root, root, build / builder, build / "doctrees", builder,
                status=cast("IO[str]", _Progress()) if progress else None, warning=early,
                parallel=_jobs(),
            )  # fmt: skip
            app.build()
    except BookError:
        raise
    except Exception as exc:
        cause = _book_error(exc)
        if cause is not None:
            raise cause from None
        if isinstance(exc, OSError):
            raise
        detail = getattr(exc, "message", None) or str(exc)
        raise BookError(
            f"the {builder} build failed; dist/ was left as it was\n{detail.strip()[-2000:]}",
            hint="fix the file and line named above, then run make again",
        ) from None
    finally:
        log.detach()
        early.show(root)
    if log.errors or app.statuscode:
        detail = "\n".join(dict.fromkeys(log.errors)) or "Sphinx reported a failure"
        raise BookError(
            f"the {builder} build failed; dist/ was left as it was\n{detail}",
            hint="fix the file and line named above, then run make again",
        )


def _jobs() -> int:
    return int(os.environ.get("BOOK_JOBS", "0"))


def _book_error(error: BaseException) -> BookError | None:
    """A BookError that Sphinx wrapped (raised in conf.py or an extension), if any."""
    exc: BaseException | None = error
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, BookError):
            return exc
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig_exc", None)
    return None
