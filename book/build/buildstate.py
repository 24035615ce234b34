"""What a build depends on, and what it left behind: content hashes that decide what to rebuild.

* :func:`input_hashes` — one hash per edition over everything that edition is made from: the
  book's own files (chapters, ``index.md``, bibliography, corrections, outline, ``conf.py``,
  CSL styles, documents), this package's code, the installed Python packages, Python itself,
  ``SOURCE_DATE_EPOCH``; and, for the PDF, the TeX programs, formats and fonts.
* :class:`BuildState` — ``<build>/state.json``: the hashes of the last build's inputs, of every
  cache file under ``<build>/`` and of every file it published. A cache file whose hash does
  not match (a killed build, an edited or truncated file, another package version) is thrown
  away before Sphinx or xelatex can use it, so the cache only ever makes a build faster.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "state.json"
FORMAT = 1  # bump when the state's layout or the build's structure changes

# Folders of a book's project that are not the book: tools, caches, outputs, tests.
_SKIP_DIRS = {"_build", "dist", "tests", "__pycache__", "node_modules", "venv", "build"}
# Top-level files of a repository that describe the project rather than make the book.
_SKIP_TOP = {"README.md", "BENCHMARKS.md", "SECURITY.md", "CHANGELOG.md", "LICENSE", "Makefile"}
_SKIP_TOP_SUFFIX = (".egg-info", ".lock")
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
        if top and path.suffix not in {".md", ".py", ".toml", ".bib", ".csl", ".json", ".yaml", ".yml", ".txt"}:
            continue
        out.append(path)
    return out


def _tree_digest(paths: Iterable[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + bytes.fromhex(file_hash(path)))
    return digest.hexdigest()


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

    @classmethod
    def load(cls, build: Path) -> BuildState:
        try:
            data = json.loads((build / STATE_FILE).read_text(encoding="utf-8"))
            return cls(data["toolchain"], dict(data["cache"]), dict(data["editions"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, build: Path) -> None:
        data = {"toolchain": self.toolchain, "cache": self.cache, "editions": self.editions}
        tmp = build / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, build / STATE_FILE)

    @staticmethod
    def forget(build: Path) -> None:
        """Drop the state while a build runs: a build killed now leaves no trusted cache."""
        (build / STATE_FILE).unlink(missing_ok=True)


Seen = dict[Path, tuple[tuple[int, int, int, int], str]]


def snapshot(folder: Path, seen: Seen | None = None) -> dict[str, str]:
    """sha256 of every file under ``folder`` by its relative path (``{}`` if it is absent).

    ``seen`` (filled in as files are read) holds digests taken earlier in this process, with
    each file's inode, size and times: a file whose are all unchanged is not read again.
    """
    if not folder.is_dir():
        return {}
    seen = {} if seen is None else seen
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        st = path.stat()
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = seen.get(path)
        if known is None or known[0] != stamp:
            known = seen[path] = (stamp, file_hash(path))
        digests[str(path.relative_to(folder))] = known[1]
    return digests


def stat_snapshot(folder: Path, names: Iterable[str]) -> dict[str, list[int]]:
    """(size, mtime) of files under ``folder``: a cheap check that published files are untouched."""
    out = {}
    for name in names:
        try:
            st = (folder / name).stat()
        except OSError:
            continue
        out[name] = [st.st_size, st.st_mtime_ns]
    return out
