"""Load the .bib files and the CSL style named in conf.py into a ``CitationStore``.

The store lives in the citation domain's data (``CitationDomain.store``), so it is pickled
with the environment and read again only when a .bib file or the style changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .bibtex import BibDatabase, load_bibfiles
from .csl import CslStyle, StyleInvalid, StyleNotFound, read_style, resolve_style

__all__ = ["CitationStore", "load_store"]

Signature = tuple[object, ...]


@dataclass
class CitationStore:
    """The book's bibliography and its CSL style (``style`` is None if the style is bad)."""

    signature: Signature  # the files and settings it was read from
    bibfiles: list[Path]
    database: BibDatabase
    style_name: str
    style_path: Path | None
    style: CslStyle | None = None
    style_error: str | None = None
    style_error_location: str | None = None  # "file.csl:12" for a broken style file
    dependencies: list[Path] = field(default_factory=list)  # files the notes depend on

    @property
    def failed(self) -> bool:
        """Whether the .bib files or the style have problems (they fail the build)."""
        return bool(self.database.errors or self.style_error)


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
    store = CitationStore(signature, bibfiles, database, style_name, None, dependencies=list(bibfiles))
    try:
        store.style_path = resolve_style(style_name, srcdir)
        store.dependencies.append(store.style_path)
        store.style = read_style(store.style_path)
    except StyleNotFound as exc:
        store.style_error = f"{exc}; set book_csl_style in conf.py to a style name or a .csl file"
    except StyleInvalid as exc:
        store.style_error_location = f"{exc.path}:{exc.line or 1}"  # a bare path would read as a document
        store.style_error = f"{exc.message}; fix the file or choose another book_csl_style"
    except OSError as exc:
        store.style_error = f"cannot read CSL style {style_name!r}: {exc.strerror}"
    return store
