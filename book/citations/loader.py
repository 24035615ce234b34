"""Load the .bib files and the CSL style named in conf.py, once per process and build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sphinx.config import Config

from .bibtex import BibDatabase, load_bibfiles
from .csl import CslEngine, StyleNotFound, resolve_style

__all__ = ["CitationStore", "get_store"]


@dataclass
class CitationStore:
    """The book's bibliography and its CSL engine (``engine`` is None if the style is bad)."""

    bibfiles: list[Path]
    database: BibDatabase
    engine: CslEngine | None
    style_path: Path | None
    style_error: str | None = None
    dependencies: list[Path] = field(default_factory=list)  # files the notes depend on


_CACHE: dict[tuple[object, ...], CitationStore] = {}


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def get_store(srcdir: str | Path, config: Config) -> CitationStore:
    """The .bib files and style of conf.py, read once per process while they are unchanged."""
    srcdir = Path(srcdir)
    bibfiles = [(srcdir / name).resolve() for name in config.book_bibfiles]
    style_name = str(config.book_csl_style)
    key = (tuple(_signature(p) for p in bibfiles), style_name, str(srcdir))
    if key in _CACHE:
        return _CACHE[key]
    database = load_bibfiles(bibfiles)
    engine = style_path = style_error = None
    try:
        style_path = resolve_style(style_name, srcdir)
        engine = CslEngine(style_path, list(database.items.values()))
    except StyleNotFound as exc:
        style_error = str(exc)
    except Exception as exc:  # lxml syntax errors and the like in a custom .csl file
        style_error = f"cannot load CSL style {style_name!r}: {exc}"
    dependencies = list(bibfiles)
    if style_path is not None:
        dependencies.append(style_path)
    store = CitationStore(bibfiles, database, engine, style_path, style_error, dependencies)
    _CACHE.clear()  # keep one: the files of the build at hand
    _CACHE[key] = store
    return store
