"""Load the .bib files and the CSL style named in conf.py into a ``CitationStore``.

The store lives in the citation domain's data (``CitationDomain.store``), so it is pickled
with the environment and read again only when a .bib file or the style changes. The CSL
engine (citeproc-py, built on lxml) cannot be pickled: it is rebuilt on first use after the
environment is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bibtex import BibDatabase, load_bibfiles
from .csl import CslEngine, StyleNotFound, resolve_style

__all__ = ["CitationStore", "load_store"]

Signature = tuple[object, ...]


@dataclass
class CitationStore:
    """The book's bibliography and its CSL engine (``engine`` is None if the style is bad)."""

    signature: Signature  # the files and settings it was read from
    bibfiles: list[Path]
    database: BibDatabase
    style_name: str
    style_path: Path | None
    style_error: str | None = None
    dependencies: list[Path] = field(default_factory=list)  # files the notes depend on
    _engine: CslEngine | None = field(default=None, repr=False, compare=False)

    @property
    def engine(self) -> CslEngine | None:
        if self._engine is None and self.style_path is not None and self.style_error is None:
            self._engine = CslEngine(self.style_path, list(self.database.items.values()))
        return self._engine

    @property
    def failed(self) -> bool:
        """Whether the .bib files or the style have problems (they fail the build)."""
        return bool(self.database.problems or self.style_error)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_engine"] = None
        return state


def _file_signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def load_store(
    srcdir: str | Path, bibfile_names: list[str], style_name: str, previous: CitationStore | None = None
) -> CitationStore:
    """The .bib files and style of conf.py; ``previous`` again if none of them changed."""
    srcdir = Path(srcdir)
    bibfiles = [(srcdir / name).resolve() for name in bibfile_names]
    signature = (
        tuple(_file_signature(p) for p in bibfiles),
        style_name,
        str(srcdir),
        _file_signature(srcdir / style_name),
    )
    if previous is not None and previous.signature == signature:
        return previous
    database = load_bibfiles(bibfiles)
    store = CitationStore(signature, bibfiles, database, style_name, None, None, list(bibfiles))
    try:
        store.style_path = resolve_style(style_name, srcdir)
        store.dependencies.append(store.style_path)
        store.engine  # noqa: B018  (load it now: a broken style is an error of this build)
    except StyleNotFound as exc:
        store.style_error = str(exc)
    except Exception as exc:  # lxml syntax errors and the like in a custom .csl file
        store.style_error = f"cannot load CSL style {style_name!r}: {exc}"
    return store
