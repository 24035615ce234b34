"""Read bibliography files into one database of CSL-JSON items (no Sphinx).

* BibTeX and BibLaTeX (``.bib``), read with bibtexparser v2: ``@string`` macros, the month
  macros and ``#`` concatenation expanded (``"Loop" # " Self"``, ``pub # { Ltd}``, strings of
  an earlier file too, as BibTeX reads its files one after the other); ``crossref`` and
  ``xdata`` resolved as biber resolves them (:mod:`.inherit`), across files; the fields turned
  into CSL by :mod:`.bibcsl`.
* CSL-JSON (``.json``) and CSL-YAML (``.yaml``, ``.yml``), as Zotero and Better BibTeX export
  them (:mod:`.csljson`).

Problems are collected, never raised, each naming its file and line: an entry that cannot be
read, with its cause (the brace left open and the field it swallowed, a missing comma or
``=``); a control character; a file that is not UTF-8 (errors). A key defined twice (in one
file or two) keeps its first entry, as BibTeX does, and a crossref or xdata naming no entry
keeps the entry without the inherited fields (warnings). Reading is linear in the entries.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares.enclosing import RemoveEnclosingMiddleware
from bibtexparser.middlewares.middleware import LibraryMiddleware
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, String

from .bibcsl import MONTHS as MONTHS
from .bibcsl import fields_to_csl
from .bibdiagnose import diagnose
from .inherit import NOT_LISTED, RawEntry, Resolver

__all__ = ["MONTHS", "BibDatabase", "BibProblem", "load_bibfiles", "parse_bibtex"]

#: characters no bibliography file holds: C0 controls but tab and line ends, DEL, C1 controls
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class BibProblem:
    """A problem of a bibliography file: file, 1-based line, message, key if known; a warning
    does not fail the build."""

    path: str
    line: int
    message: str
    key: str | None = None
    warning: bool = False


class Items(Mapping[str, dict[str, Any]]):
    """The CSL-JSON items by key; a .bib entry is converted when first asked for (a book cites
    few of the works its bibliography files hold: converting 5,000 to cite 100 took 1.2 s)."""

    def __init__(self) -> None:
        self.done: dict[str, dict[str, Any]] = {}
        self.todo: dict[str, tuple[str, dict[str, str]]] = {}  # key -> (type, resolved fields)

    def __getitem__(self, key: str) -> dict[str, Any]:
        if key not in self.done:
            entry_type, fields = self.todo.pop(key)
            try:
                self.done[key] = fields_to_csl(key, entry_type, fields)
            except Exception:  # a field pylatexenc cannot decode: the fields as written
                self.done[key] = {"id": key, "type": "document", "title": fields.get("title", key)}
        return self.done[key]

    def __setitem__(self, key: str, item: dict[str, Any]) -> None:
        self.done[key] = item

    def __iter__(self) -> Iterator[str]:
        return iter([*self.done, *self.todo])

    def __len__(self) -> int:
        return len(self.done) + len(self.todo)

    def __contains__(self, key: object) -> bool:
        return key in self.done or key in self.todo


@dataclass
class BibDatabase:
    """The entries of all bibliography files: CSL-JSON items and where each key was defined."""

    items: Items = field(default_factory=Items)
    where: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (path, line)
    problems: list[BibProblem] = field(default_factory=list)
    broken_keys: set[str] = field(default_factory=set)  # keys of entries that failed to parse
    raw: dict[str, RawEntry] = field(default_factory=dict)  # .bib entries as read (xdata too)
    folded: dict[str, str] = field(default_factory=dict)  # lowercase key -> the key defined first
    strings: dict[str, str] = field(default_factory=dict)  # @string macros, lowercase names
    pending: list[str] = field(default_factory=list)  # .bib keys read, not yet converted
    #: warnings about one entry's content (a crossref to no entry, an undefined @string): shown
    #: only if the book uses the entry, as BibTeX and biber report only on the entries cited
    entry_warnings: dict[str, list[BibProblem]] = field(default_factory=dict)

    def __contains__(self, key: object) -> bool:
        return key in self.items

    @property
    def errors(self) -> list[BibProblem]:
        return [p for p in self.problems if not p.warning]

    def add_problem(self, path: str, line: int, message: str, key: str | None = None) -> None:
        self.problems.append(BibProblem(path, line, message, key))
        if key:
            self.broken_keys.add(key)

    def warn(self, path: str, line: int, message: str, key: str | None = None) -> None:
        """A warning; with ``key``, one about that entry, shown only if the entry is used."""
        problem = BibProblem(path, line, message, key, warning=True)
        if key is None:
            self.problems.append(problem)
        else:
            self.entry_warnings.setdefault(key, []).append(problem)

    def claim(self, key: str, path: str, line: int) -> bool:
        """Record ``key`` as defined at ``path:line``; False (and a warning naming both places)
        if it was defined before, in any case: the first definition is used."""
        first = self.folded.get(key.lower())
        if first is None:
            self.folded[key.lower()] = key
            self.where[key] = (path, line)
            return True
        first_path, first_line = self.where.get(first, ("?", 0))
        same = "" if first == key else f" (as {first!r}; keys differ only in case)"
        self.warn(
            path,
            line,
            f"duplicate key {key!r}: first defined at {first_path}:{first_line}{same}; "
            "that entry is used and this one ignored",
        )
        return False

    def finish(self) -> None:
        """Resolve the crossref and xdata of the .bib entries read so far (their problems are
        found now; each is converted to CSL when first used)."""
        resolver = Resolver(
            self.raw, lambda entry, message: self.warn(entry.path, entry.line, message, entry.key)
        )
        for key in self.pending:
            self.items.todo[key] = (self.raw[key].entry_type, resolver.fields(key))
        self.pending.clear()


# --- @string, month macros and # concatenation ---------------------------------------------------

#: BibTeX's month macros (``jan`` …) and the months' names, which biber reads as macros too (the
#: names of :data:`.bibcsl.MONTHS`): the month's English name
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_PIECES = re.compile(r'\\.|[{}"#]')


def _split_concatenation(value: str) -> list[str]:
    """The pieces of ``a # "b" # {c}``, split at ``#`` outside braces and quotes."""
    pieces, depth, quoted, start = [], 0, False, 0
    for match in _PIECES.finditer(value):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(value[start : match.start()])
            start = match.end()
    pieces.append(value[start:])
    return [p.strip() for p in pieces]


class ExpandMacros(LibraryMiddleware):
    """bibtexparser middleware: expand ``@string`` macros, the month macros and ``#``
    concatenation in fields and strings, in file order; every expanded value is enclosed in
    braces for ``RemoveEnclosingMiddleware``. Undefined macros are kept as written and named in
    the entry's ``parser_metadata["undefined"]``."""

    def __init__(self, strings: dict[str, str]) -> None:
        super().__init__(allow_inplace_modification=True)
        self.strings = strings

    @classmethod
    def metadata_key(cls) -> str:
        return "book-expand-macros"

    def expand(self, value: str, undefined: list[str]) -> str:
        out = []
        for piece in _split_concatenation(value):
            if piece[:1] in ('"', "{") and piece[-1:] == piece[:1].replace("{", "}"):
                out.append(piece[1:-1])
            elif piece.isdigit():
                out.append(piece)
            elif piece.lower() in self.strings:
                out.append(self.strings[piece.lower()])
            elif piece.lower() in MONTHS:
                out.append(_MONTH_NAMES[MONTHS[piece.lower()] - 1])
            else:
                undefined.append(piece)
                out.append(piece)
        return "".join(out)

    def transform(self, library: Library) -> Library:
        for block in library.blocks:
            if isinstance(block, String):
                value = self.expand(block.value, [])
                self.strings[block.key.lower()] = value
                block.value = "{" + value + "}"
            elif isinstance(block, Entry):
                undefined: list[str] = []
                for fld in block.fields:
                    value = fld.value
                    if isinstance(value, str) and (value[:1] not in ('"', "{") or "#" in value):
                        fld.value = "{" + self.expand(value, undefined) + "}"
                if undefined:
                    block.parser_metadata["undefined"] = undefined
        return library


# --- reading ------------------------------------------------------------------------------------

_MERGED = re.compile(r"\n\s*([A-Za-z][\w-]*)\s*=\s*[{\"0-9]")


def _merged_field(entry: Entry) -> tuple[int, str, str] | None:
    """(lines after the entry's first, the field before, the field swallowed) where a missing
    comma merged two fields."""
    for fld in entry.fields:
        value = fld.value if isinstance(fld.value, str) else ""
        match = _MERGED.search(value)
        if match:
            offset = (fld.start_line or entry.start_line or 0) - (entry.start_line or 0)
            return offset + value.count("\n", 0, match.start()) + 1, fld.key, match.group(1)
    return None


def _failed_key(raw: str | None) -> str | None:
    match = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", raw or "")
    return match.group(1) if match else None


def check_control(text: str, path: str, database: BibDatabase) -> bool:
    """True if ``text`` holds no control character; else a problem naming its line."""
    bad = CONTROL.search(text)
    if bad is None:
        return True
    line = text.count("\n", 0, bad.start()) + 1
    database.add_problem(
        path,
        line,
        f"control character U+{ord(bad.group()):04X} in a bibliography file; the file is not "
        "read (delete the character: bibliography files hold text only)",
    )
    return False


def parse_bibtex(
    text: str, path: str, database: BibDatabase | None = None, finish: bool = True
) -> BibDatabase:
    """Add the entries of one .bib file's text to ``database`` (a new one if None); with
    ``finish``, convert them (``load_bibfiles`` converts once after the last file)."""
    database = database if database is not None else BibDatabase()
    if not check_control(text, path, database):
        return database
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its messages are reported as BibProblems, with file:line
    try:
        stack = [ExpandMacros(database.strings), RemoveEnclosingMiddleware(allow_inplace_modification=True)]
        library = bibtexparser.parse_string(text, parse_stack=stack)
    finally:
        quiet.setLevel(level)
    firsts = {}
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            firsts[block.key] = line
            continue
        offset, message = diagnose(block.raw or "", str(getattr(block, "error", "") or ""))
        key = _failed_key(block.raw)
        what = f"BibTeX entry {key!r}" if key else "BibTeX block"
        database.add_problem(path, line + offset, f"cannot read {what}: {message}", key)
    for entry in library.entries:
        _add_entry(entry, path, database)
        if entry.key in firsts:  # bibtexparser set the second definition aside: the same warning
            database.claim(entry.key, path, firsts.pop(entry.key))
    if finish:
        database.finish()
    return database


def _add_entry(entry: Entry, path: str, database: BibDatabase) -> None:
    line = (entry.start_line or 0) + 1
    merged = _merged_field(entry)
    if merged is not None:
        offset, before, name = merged
        database.add_problem(
            path,
            line + offset,
            f"cannot read BibTeX entry {entry.key!r}: a missing comma before field {name!r} "
            f"(after field {before!r})",
            entry.key,
        )
        return
    for name in entry.parser_metadata.get("undefined", []):
        database.warn(
            path,
            line,
            f"entry {entry.key!r} uses {name!r}, which no @string defines; kept as written",
            entry.key,
        )
    entry_type = entry.entry_type.lower()
    fields = {f.key.lower(): f.value for f in entry.fields if isinstance(f.value, str)}
    if not database.claim(entry.key, path, line):
        return
    database.raw[entry.key] = RawEntry(entry.key, entry_type, fields, path, line)
    if entry_type in NOT_LISTED:
        database.where.pop(entry.key, None)  # data for other entries, never a work of its own
    else:
        database.pending.append(entry.key)


#: the largest bibliography file read (hand-kept bibliographies grow large; this stops a runaway file)
MAX_BIB_BYTES = 10_000_000


def _read_regular_file(path: Path, limit: int) -> bytes | str:
    """The bytes of a regular file of at most ``limit`` bytes, or why it cannot be read.

    Folders, devices and FIFOs are refused before anything is read (a FIFO is opened without
    blocking), so a named pipe fails at once instead of hanging the build."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        return "is a folder, not a file"
    except OSError as exc:
        return f"cannot read file: {exc.strerror}"
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        return f"is {kind}, not a regular file"
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            return f"cannot read file: {exc.strerror}"
    if len(data) > limit:
        return f"file is larger than the limit of {limit / 1_000_000:.1f} MB"
    return data


def read_bibfile_text(path: Path, database: BibDatabase) -> str | None:
    """A bibliography file's text (UTF-8, a byte-order mark dropped), or None with a problem."""
    if not Path(path).exists():
        database.add_problem(str(path), 0, "bibliography file not found")
        return None
    data = _read_regular_file(Path(path), MAX_BIB_BYTES)
    if isinstance(data, str):
        database.add_problem(str(path), 0, data)
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        database.add_problem(str(path), line, "not UTF-8 text")
        return None


def load_bibfiles(paths: list[Path]) -> BibDatabase:
    """Read all bibliography files into one database: ``.bib`` (BibTeX, BibLaTeX), ``.json``
    (CSL-JSON), ``.yaml``/``.yml`` (CSL-YAML); problems are collected, not raised."""
    from .csljson import parse_csl

    database = BibDatabase()
    # The entries make no reference cycles, but the collector's full passes walk all of them:
    # with it on, reading grew faster than the file (20,000 entries took 6.4 times as long as
    # 4,000, against 5.4 times with it off). Off while reading, back on after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            text = read_bibfile_text(Path(path), database)
            if text is None:
                continue
            if Path(path).suffix.lower() in (".json", ".yaml", ".yml"):
                parse_csl(text, str(path), database)
            else:
                parse_bibtex(text, str(path), database, finish=False)
        database.finish()
    finally:
        if collecting:
            gc.enable()
    return database
