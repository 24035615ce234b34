"""What a build depends on, and what it left behind: content hashes that decide what to rebuild.

* :func:`input_hashes` — one hash per edition over everything that edition is made from: the
  book's own files (chapters, ``index.md``, bibliography, corrections, outline, ``conf.py``,
  CSL styles, documents), this package's code, the installed Python packages, Python itself,
  ``SOURCE_DATE_EPOCH``; and, for the PDF, the TeX programs, formats and fonts.
* :class:`BuildState` — ``<build>/state.json``: the hashes of the last build's inputs, of every
  cache file under ``<build>/`` and of every file it published. A cache whose files do not
  match their hashes (a killed build, an edited or truncated file, another package version, a
  link or pipe put there) is thrown away before Sphinx or xelatex can use it, so the cache
  only ever makes a build faster; a ``state.json`` that is not what a build writes (damaged,
  nested too deep, of the wrong types) counts as no record at all. The record lives beside
  the cache: it catches damage, not a forgery made with it (see SECURITY.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from book.errors import BookError, read_bytes

STATE_FILE = "state.json"
MAX_STATE_BYTES = 64_000_000  # a 100-chapter book's state is under 1 MB
_HEX = re.compile(r"[0-9a-f]{64}")
FORMAT = 2  # bump when the state's layout or the build's structure changes

# Folders of a book's project that are not the book: tools, caches, outputs, tests.
_SKIP_DIRS = {"_build", "dist", "tests", "__pycache__", "node_modules", "venv", "build"}
# Top-level files of a repository that describe the project rather than make the book.
_SKIP_TOP = {"README.md", "BENCHMARKS.md", "SECURITY.md", "CHANGELOG.md", "LICENSE", "Makefile"}
_SKIP_TOP_SUFFIX = (".egg-info", ".lock")
# the files beside outline.toml a build reads: chapters, settings, bibliographies, documents, a cover
_TOP_SUFFIXES = {
    ".md",
    ".py",
    ".toml",
    ".bib",
    ".csl",
    ".json",
    ".yaml",
    ".yml",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
}
PACKAGE = Path(__file__).resolve().parent.parent
_TEX_PROGRAMS = ("xelatex", "xdvipdfmx", "makeindex", "xindy")
_TEX_TREES = ("/var/lib/texmf", "/etc/texmf", "/usr/share/texlive/texmf-dist/ls-R")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "~/.fonts", "~/.local/share/fonts")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(*parts: Any) -> str:
    """sha256 of JSON-serialisable ``parts`` (anything else by its ``str``)."""
    return _sha(json.dumps(parts, sort_keys=True, default=str).encode())


def file_hash(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(folder: Path, skip: set[Path]) -> Iterator[Path]:
    """Regular files under ``folder``, sorted; hidden and skipped folders left out."""
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not d.endswith(".egg-info")
            and here / d not in skip
        )
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith((".pyc", "~")):
                yield here / name


def book_files(root: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """The files of the book's project that a build may read (everything but tools and outputs)."""
    skipped = {Path(p).resolve() for p in skip}
    out = []
    for path in _files(root, skipped):
        top = path.parent == root
        if top and (path.name in _SKIP_TOP or path.name.endswith(_SKIP_TOP_SUFFIX)):
            continue
        if top and path.suffix not in _TOP_SUFFIXES:
            continue
        out.append(path)
    return out


def _tree_digest(paths: Iterable[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + _content(path).encode())
    return digest.hexdigest()


def _content(path: Path) -> str:
    """sha256 of a regular file; what else stands there (a pipe would block the read for ever,
    a dangling link cannot be read), said in words: the build that reads it reports it."""
    try:
        if stat.S_ISREG(os.stat(path).st_mode):
            return file_hash(path)
        return "not a regular file"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def toolchain_hash() -> str:
    """This package's code, the installed Python packages (name and version) and Python."""
    installed = []
    for entry in sys.path:
        if os.path.isdir(entry):
            installed += [n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info"))]
    package = _tree_digest(_files(PACKAGE, set()), PACKAGE)
    return _sha("\n".join([sys.version, package, *sorted(installed), str(FORMAT)]).encode())


def stat_line(path: str | os.PathLike[str]) -> str:
    """A file's path, size and modification time ("path -" if it is not there)."""
    try:
        st = os.stat(path)
    except OSError:
        return f"{path} -"
    return f"{path} {st.st_size} {st.st_mtime_ns}"


def tex_hash() -> str:
    """The TeX programs, formats and trees, and the font folders (by size and time)."""
    found = [shutil.which(p) for p in _TEX_PROGRAMS]
    lines = [
        stat_line(os.path.realpath(f)) if f else f"{p} -" for p, f in zip(_TEX_PROGRAMS, found, strict=True)
    ]
    for tree in _TEX_TREES:
        lines.append(stat_line(tree))
        if os.path.isdir(tree):
            for dirpath, _dirs, files in os.walk(tree):
                lines += [stat_line(os.path.join(dirpath, f)) for f in sorted(files) if f.endswith(".fmt")]
    for folder in _FONT_DIRS:
        for dirpath, dirnames, _ in os.walk(os.path.expanduser(folder)):
            dirnames.sort()
            lines.append(stat_line(dirpath))
    return _sha("\n".join(lines).encode())


def input_hashes(
    root: Path, editions: Iterable[str], skip: Iterable[Path] = (), toolchain: str | None = None
) -> dict[str, str]:
    """One content hash per edition of everything it is made from."""
    root = root.resolve()
    common = _sha(
        "\n".join(
            [
                _tree_digest(book_files(root, skip), root),
                toolchain or toolchain_hash(),
                "SOURCE_DATE_EPOCH=" + os.environ.get("SOURCE_DATE_EPOCH", ""),
            ]
        ).encode()
    )
    editions = list(editions)
    tex = tex_hash() if "pdf" in editions else ""
    return {e: _sha(f"{e}\n{common}\n{tex if e == 'pdf' else ''}".encode()) for e in editions}


@dataclass
class BuildState:
    """``<build>/state.json``: inputs and outputs of the last build, by content hash."""

    toolchain: str = ""
    cache: dict[str, str] = field(default_factory=dict)  # build-relative path → sha256
    editions: dict[str, dict[str, object]] = field(default_factory=dict)

    problem: str = field(default="", compare=False)  # why the state on disk was not usable

    @classmethod
    def load(cls, build: Path) -> BuildState:
        """The state of the last build; an empty one if there is none, or if the file is
        damaged or not what a build writes (``problem`` says why): its cache is then unknown."""
        path = build / STATE_FILE
        if not path.exists() and not path.is_symlink():
            return cls()
        try:
            data = json.loads(read_bytes(path, MAX_STATE_BYTES))
        except BookError as exc:
            return cls(problem=exc.message)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            return cls(problem="not the JSON a build writes")
        problem = _state_problem(data)
        if problem:
            return cls(problem=problem)
        return cls(data["toolchain"], data["cache"], data["editions"])

    def save(self, build: Path) -> None:
        data = {"toolchain": self.toolchain, "cache": self.cache, "editions": self.editions}
        write_atomic(build / STATE_FILE, json.dumps(data, indent=1, sort_keys=True))

    @staticmethod
    def forget(build: Path) -> None:
        """Drop the state while a build runs: a build killed now leaves no trusted cache."""
        path = build / STATE_FILE
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _state_problem(data: object) -> str:
    """What makes ``data`` unlike a state a build wrote ("" if nothing): the record is
    checked value by value before it decides anything."""
    if not isinstance(data, dict) or set(data) != {"toolchain", "cache", "editions"}:
        return "not the record a build writes"
    if not isinstance(data["toolchain"], str) or not _digests(data["cache"]):
        return "its cache record is not a table of file hashes"
    editions = data["editions"]
    if not isinstance(editions, dict) or not all(
        isinstance(name, str) and isinstance(entry, dict) and all(_entry_value(v) for v in entry.values())
        for name, entry in editions.items()
    ):
        return "its record of the editions is not a table of hashes"
    return ""


def _digests(value: object) -> bool:
    """Whether ``value`` is a table of relative paths to sha256 digests."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and _HEX.fullmatch(v) for k, v in value.items()
    )


def _entry_value(value: object) -> bool:
    """A value of an edition's record: a hash or a path, or a table of texts (what it published)."""
    return isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def write_atomic(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, through a new file of its own (never through a link
    or a file that stands there)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Seen = dict[Path, tuple[tuple[int, int, int, int], str]]
FOREIGN = "not a file a build writes"  # a link, a pipe, a hard link: never a recorded digest


def snapshot(folder: Path, seen: Seen | None = None) -> dict[str, str]:
    """sha256 of every file under the cache folder ``folder`` by its relative path (``{}`` if
    it is absent).

    An entry no build writes (a symbolic link, a device or pipe, a file with other hard links,
    or ``folder`` itself a link) is listed as :data:`FOREIGN`, which no record holds: the
    cache then does not match, and is thrown away before a builder can read it or write
    through it. ``seen`` (filled in as files are read) holds digests taken earlier in this
    process, with each file's inode, size and times: a file whose are all unchanged is not
    read again.
    """
    if folder.is_symlink():
        return {".": FOREIGN}
    return _digest_tree(folder, seen, strict=True)


def published(folder: Path, seen: Seen | None = None) -> dict[str, str]:
    """sha256 of every regular file under ``folder`` (``dist/``, where editions share files
    by hard links), and each symbolic link's target: what decides whether it still holds what
    was published."""
    return _digest_tree(folder, seen, strict=False)


def file_digest(path: Path, seen: Seen) -> str:
    """sha256 of the file ``path``, read once in this process unless it changed since."""
    st = path.stat()
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    known = seen.get(path)
    if known is None or known[0] != stamp:
        known = seen[path] = (stamp, file_hash(path))
    return known[1]


def _digest_tree(folder: Path, seen: Seen | None, strict: bool) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    seen = {} if seen is None else seen
    digests: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if (here / d).is_symlink()]):
            path = here / name
            rel = str(path.relative_to(folder))
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                digests[rel] = FOREIGN if strict else "link " + os.readlink(path)
            elif not stat.S_ISREG(st.st_mode) or (strict and st.st_nlink > 1):
                digests[rel] = FOREIGN
            else:
                digests[rel] = file_digest(path, seen)
    return digests
