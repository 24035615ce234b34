"""``crossref`` and ``xdata``: the fields an entry takes from another, as biber takes them.

The rules are biber's defaults (biblatex manual, appendix "Default Crossref Setup"): a child
inherits every field of its parent that it lacks, except those no entry inherits (``ids``,
``crossref``, ``xref``, ``entryset``, ``entrysubtype``, ``execute``, ``label``, ``options``,
``presort``, ``related*``, ``shorthand*``, ``sortkey``), and for the type pairs below the
parent's title becomes the child's ``booktitle`` (or ``maintitle``, ``journaltitle``) and its
short and sorting titles are not inherited. An ``@incollection``, ``@inbook`` or
``@inproceedings`` whose parent is of no listed type (a BibTeX ``@book`` parent of an
``@incollection``) takes the parent's title as its ``booktitle`` too, as BibTeX's styles print
it. ``xdata = {a, b}`` copies every field of the ``@xdata`` entries named that the entry lacks,
before its crossref is resolved. Resolution is memoized per key and linear in the entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NOT_LISTED", "RawEntry", "Resolver"]

#: entry types that are data for others, never works of the bibliography
NOT_LISTED = {"xdata", "set"}

NEVER = {
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options",
    "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
    "shorthandintro", "sortkey",
}  # fmt: skip
_SKIP_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")
_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_IN = {"inbook", "bookinbook", "suppbook"}
_IN_COLLECTION = {"incollection", "inreference", "suppcollection"}

#: (parent types, child types, field → the child's field(s)); skipped: the short titles
RULES: list[tuple[set[str], set[str], dict[str, tuple[str, ...]]]] = [
    ({"mvbook", "book"}, _IN, {"author": ("author", "bookauthor")}),
    ({"mvbook"}, {"book", *_IN}, {k: (v,) for k, v in _MAIN.items()}),
    ({"mvcollection", "mvreference"}, {"collection", "reference", *_IN_COLLECTION},
     {k: (v,) for k, v in _MAIN.items()}),
    ({"mvproceedings"}, {"proceedings", "inproceedings"}, {k: (v,) for k, v in _MAIN.items()}),
    ({"book"}, _IN, {k: (v,) for k, v in _BOOK.items()}),
    ({"collection", "reference"}, _IN_COLLECTION, {k: (v,) for k, v in _BOOK.items()}),
    ({"proceedings"}, {"inproceedings"}, {k: (v,) for k, v in _BOOK.items()}),
    ({"periodical"}, {"article", "suppperiodical"},
     {"title": ("journaltitle",), "subtitle": ("journalsubtitle",)}),
]  # fmt: skip
#: children that print their parent's title as the book they are in
_CONTAINED = {*_IN, *_IN_COLLECTION, "inproceedings", "conference"}


@dataclass(frozen=True)
class RawEntry:
    """One entry as read: its type and fields (names lowercase), and where it stands."""

    key: str
    entry_type: str
    fields: dict[str, str]
    path: str
    line: int


def inherited(parent_type: str, child_type: str, parent: dict[str, str]) -> dict[str, str]:
    """The fields a ``child_type`` entry takes from a ``parent_type`` parent's ``parent`` fields."""
    mapping: dict[str, tuple[str, ...]] = {}
    skip = set(NEVER)
    for sources, targets, fields in RULES:
        if parent_type in sources and child_type in targets:
            for name, to in fields.items():
                mapping[name] = (*mapping.get(name, ()), *to)
            if "title" in fields:
                skip.update(_SKIP_TITLES)
    if "title" not in mapping and child_type in _CONTAINED:
        mapping.update({k: (v,) for k, v in _BOOK.items()})
        skip.update(_SKIP_TITLES)
    out: dict[str, str] = {}
    for name, value in parent.items():
        if name in skip:
            continue
        for target in mapping.get(name, (name,)):
            out.setdefault(target, value)
    return out


def _keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


class Resolver:
    """The fields of each entry with its xdata and crossref resolved, memoized.

    ``warn(entry, message)`` is told of a crossref or xdata key that names no entry, and of a
    loop (an entry that is its own ancestor)."""

    def __init__(self, entries: dict[str, RawEntry], warn: Callable[[RawEntry, str], None]) -> None:
        self.entries = entries
        self.folded = {key.lower(): key for key in entries}
        self.warn = warn
        self.done: dict[str, dict[str, str]] = {}
        self.busy: set[str] = set()

    def find(self, key: str) -> RawEntry | None:
        found = self.entries.get(key)
        if found is None and key.lower() in self.folded:  # biber matches keys case-insensitively here
            found = self.entries[self.folded[key.lower()]]
        return found

    def fields(self, key: str) -> dict[str, str]:
        if key in self.done:
            return self.done[key]
        entry = self.entries[key]
        if key in self.busy:
            self.warn(entry, f"entry {key!r} inherits from itself (a crossref or xdata loop)")
            return dict(entry.fields)
        self.busy.add(key)
        fields = dict(entry.fields)
        for other in _keys(fields.get("xdata", "")):
            source = self._source(entry, "xdata", other)
            if source is not None:
                for name, value in self.fields(source.key).items():
                    if name not in NEVER:
                        fields.setdefault(name, value)
        parent_key = fields.get("crossref", "").strip()
        if parent_key:
            parent = self._source(entry, "crossref", parent_key)
            if parent is not None:
                for name, value in inherited(
                    parent.entry_type, entry.entry_type, self.fields(parent.key)
                ).items():
                    fields.setdefault(name, value)
        self.busy.discard(key)
        self.done[key] = fields
        return fields

    def _source(self, entry: RawEntry, kind: str, key: str) -> RawEntry | None:
        source = self.find(key)
        if source is None:
            self.warn(
                entry,
                f"entry {entry.key!r} has {kind} {key!r}, but no bibliography file has an entry "
                f"{key!r}; its fields are not inherited",
            )
        return source
