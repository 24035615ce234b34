"""The book's bibliography: every note and reading list parsed into one deduplicated
``references.bib``, and each note's citation markup.

``build_bibliography(documents)`` parses the notes and the "Further reading" / "Primary
sources" lists (``book.refparse``), merges references to one work (same first-author family
name and year, and one normalised title a word-prefix of the other), resolves short cites
("Deasy 1901", "Ananich and Lebedev, "Sergei Witte"") to the full entry, gives each work a key
(``book.bibkeys``) and applies the hand corrections of ``bib-corrections.toml``.

Corrections file: one TOML table per entry key; each ``field = "value"`` sets a field
(``ENTRYTYPE`` changes the type), ``remove = ["field", ...]`` drops fields. A table naming a key
that does not exist is an error naming the file and line.

Note markup (MyST roles in Pandoc citation syntax, for the citation extension):

* a note that is only citations: ``{cite}`@key, p. 3; see @other```;
* a note with commentary: ``{note}`text [@key, p. 3] more text```; in the commentary text
  ``\\`` ``[`` ``]`` and ``@`` are escaped with a backslash (``\\\\ \\[ \\] \\@``) and a backtick
  becomes ``ʼ`` (U+02BC), in both roles.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

from .bibfiles import HAND_FILE, bib_paths, check_not_edited, ensure_hand_file, read_entries, write_generated
from .bibkeys import first_name_part, norm_title, resolve_collisions, split_names, words
from .citations.syntax import cite_role, format_item, note_role
from .errors import BookError, check_text, read_text, toml_error
from .limits import MAX_FIELD_CHARS
from .model import Document
from .progress import Progress
from .refparse import (
    FIELD_ORDER,
    Reference,
    is_commentary,
    normalise_pages,
    ordered_fields,
    parse_note,
    parse_reference,
)

REFERENCE_LISTS = ("Further reading", "Primary sources")

__all__ = [
    "MAX_REFERENCE",
    "REFERENCE_LISTS",
    "Bibliography",
    "Unresolved",
    "bib_command",
    "book_bibliography",
    "build_bibliography",
    "write_bib",
]


# A note longer than this is not parsed as references: it is kept as text and reported.
MAX_REFERENCE = 1000


@dataclass(frozen=True)
class Unresolved:
    """A note, or a reference in one, that the bibliography could not resolve (kept as text)."""

    document: Path
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"{self.document}:{self.line}: {self.reason}: {shown!r}"


@dataclass
class _Cite:
    work: _Work
    locator: str = ""
    prefix: str = ""

    def source(self) -> str:
        """The citation item as written in a chapter."""
        return format_item(self.work.key, self.prefix, self.locator)


@dataclass
class _Work:
    """The references to one work, and the entry they make."""

    refs: list[Reference]
    entry_type: str = "misc"
    fields: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)
    key: str = ""
    docs: set[str] = field(default_factory=set)  # the documents that give it in full
    hand: bool = False  # an entry of the author's references.bib: cited, never written

    def merge(self) -> None:
        base = max(self.refs, key=lambda r: (len(r.fields), -self.refs.index(r)))
        self.entry_type = base.entry_type
        merged = dict(base.fields)
        for ref in self.refs:
            for k, v in ref.fields.items():
                merged.setdefault(k, v)
        self.fields = ordered_fields(merged)
        for ref in self.refs:
            for p in ref.problems:
                item = ("isbn" if "ISBN" in p else "author", p)
                if item not in self.problems:
                    self.problems.append(item)


def _families(names: str) -> list[str]:
    """Each person's family name, folded, without lowercase particles ("von Ranke" -> "ranke"),
    so that a short form "Ranke, History of the Popes" finds "von Ranke, Leopold"."""
    out = []
    for n in split_names(names):
        if n == "others":
            continue
        family = [t for t in n.split(",")[0].split() if not t[:1].islower()] or n.split(",")[0].split()
        out.append("".join(words(" ".join(family))))
    return out


def _same_work(a: Reference, b: Reference) -> bool:
    fa, fb = first_name_part(a.fields)[0], first_name_part(b.fields)[0]
    if fa != fb or a.fields.get("year", "") != b.fields.get("year", ""):
        return False
    ta, tb = norm_title(a.fields.get("title", "")), norm_title(b.fields.get("title", ""))
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    return long == short or long.startswith(short + " ")


class Bibliography:
    """The deduplicated entries of a set of documents and each note's citations."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, str]] = {}
        self._notes: dict[tuple[str, int], list[str | _Cite]] = {}
        self._lists: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        self._problems: list[tuple[str, str]] = []
        self.hand_keys: set[str] = set()  # keys of the author's entries the notes cite
        self.reports: list[str] = []  # keys kept, replaced or no longer generated
        self.unresolved: list[Unresolved] = []  # notes and references left as text

    def note_markup(self, doc: str, number: int) -> str:
        """The MyST role for note ``number`` of document ``doc`` (see the module docstring)."""
        try:
            parts = self._notes[(doc, number)]
        except KeyError:
            raise KeyError(f"no note {number} in document {doc!r}") from None
        cites = [p for p in parts if isinstance(p, _Cite)]
        texts = [p for p in parts if isinstance(p, str)]
        if cites and all(not t.strip(" .;,") for t in texts):
            return cite_role([c.source() for c in cites])
        segments: list[str | list[str]] = [p if isinstance(p, str) else [p.source()] for p in parts]
        last = segments[-1] if segments else ""
        if cites and isinstance(last, str) and last.rstrip()[-1:].isalnum():
            segments[-1] = last.rstrip() + "."  # commentary ends with a period, as a note does (CMOS 14.24)
        return note_role(segments)

    def reading_list(self, doc: str, name: str) -> list[tuple[str | None, str]]:
        """(key, or None if the item is not a reference; original text) for each list item."""
        return list(self._lists.get((doc, name), []))

    def needs_editor(self) -> list[tuple[str, str]]:
        """(key, reason) for entries an editor should complete or check."""
        return list(self._problems)

    def set_note(self, doc: str, number: int, parts: list[str | _Cite]) -> None:
        self._notes[(doc, number)] = parts

    def set_reading_list(self, doc: str, name: str, items: list[tuple[str | None, str]]) -> None:
        self._lists[(doc, name)] = items

    def add_problem(self, key: str, reason: str) -> None:
        self._problems.append((key, reason))

    def last_cited_work(self, doc: str, number: int) -> _Work | None:
        """The work cited last in the notes of ``doc`` before note ``number`` (for "Ibid.")."""
        for n in range(number - 1, 0, -1):
            cites = [p for p in self._notes.get((doc, n), []) if isinstance(p, _Cite)]
            if cites:
                return cites[-1].work
        return None


def build_bibliography(
    documents: list[Document],
    corrections: Path | None = None,
    hand: dict[str, dict[str, str]] | None = None,
    previous: dict[str, dict[str, str]] | None = None,
    rekey: bool = False,
) -> Bibliography:
    """Parse, merge and key every reference of ``documents``; apply ``corrections``.

    ``hand`` holds the author's own entries (``references.bib``): a work they already have is
    cited by their key and not generated. ``previous`` holds the entries generated last time:
    a work keeps its old key (reported) unless ``rekey``.
    """
    builder = _Builder(hand or {})
    progress = Progress("parsing the notes and reading lists", sum(len(d.notes) for d in documents))
    for doc in documents:
        builder.read_notes(doc, progress)
        builder.read_lists(doc)
    builder.merge()
    bib = Bibliography()
    for (doc_name, number), parts in builder.notes.items():
        bib.set_note(doc_name, number, builder.citations(bib, doc_name, number, parts))
    list_works = {
        k: [((builder.resolve(r, k[0]) if r is not None else None), text) for r, text in items]
        for k, items in builder.lists.items()
    }
    all_works, hand_works = builder.works + builder.incomplete, builder.hand_works
    for w, key in zip(all_works, resolve_collisions([w.fields for w in all_works]), strict=True):
        w.key = key
    reports = _keep_keys(all_works, hand_works, previous or {}, rekey)
    for (doc_name, name), witems in list_works.items():
        bib.set_reading_list(doc_name, name, [((w.key if w else None), text) for w, text in witems])
    touched = _apply_corrections([w for w in all_works if not w.hand], corrections)
    bib.reports = reports
    bib.unresolved = builder.unresolved
    bib.hand_keys = {w.key for w in all_works + hand_works if w.hand}
    for w in sorted(all_works, key=lambda w: w.key):
        if w.hand:
            continue
        bib.entries[w.key] = {"ENTRYTYPE": w.entry_type, **w.fields}
        for fld, reason in w.problems + _check(w):
            if fld not in touched.get(w.key, set()):
                bib.add_problem(w.key, reason)
    return bib


class _Builder:
    """The works of a set of documents, as their notes and reading lists are read."""

    def __init__(self, hand: dict[str, dict[str, str]]) -> None:
        self.works: list[_Work] = []
        self.incomplete: list[_Work] = []  # author-year short forms with no full reference
        self.notes: dict[tuple[str, int], list[str | Reference]] = {}
        self.lists: dict[tuple[str, str], list[tuple[Reference | None, str]]] = {}
        self.unresolved: list[Unresolved] = []
        self.where: dict[tuple[str, int], tuple[Path, int]] = {}
        self.by_ref: dict[int, _Work] = {}
        self.hand_works = [
            _Work(
                [],
                f.get("ENTRYTYPE", "misc"),
                {k: v for k, v in f.items() if k != "ENTRYTYPE"},
                key=k,
                hand=True,
            )
            for k, f in hand.items()
        ]

    def add(self, ref: Reference, doc: str) -> None:
        """A full reference: to the work it names, or a new work."""
        for w in self.works:
            if _same_work(w.refs[0], ref):
                w.refs.append(ref)
                w.docs.add(doc)
                return
        self.works.append(_Work([ref], docs={doc}))

    def merge(self) -> None:
        """Merge each work's references into its entry (once every document is read)."""
        for w in self.works:
            w.merge()
        self.by_ref = {id(r): w for w in self.works for r in w.refs}

    def read_notes(self, doc: Document, progress: Progress) -> None:
        for note in doc.notes:
            progress.step()
            self.where[(doc.name, note.number)] = (doc.path, note.line)
            if len(note.text) > MAX_REFERENCE:
                self.unresolved.append(
                    Unresolved(
                        doc.path,
                        note.line,
                        note.text,
                        f"note of {len(note.text):,} characters: kept as text, not parsed",
                    )
                )
                self.notes[(doc.name, note.number)] = [note.text]
                continue
            parts = _set_quotation(parse_note(note.text), note.text)
            self.notes[(doc.name, note.number)] = parts
            for p in parts:
                if isinstance(p, Reference) and p.kind == "full":
                    self.add(p, doc.name)

    def read_lists(self, doc: Document) -> None:
        for name in REFERENCE_LISTS:
            items = [
                (self._list_item(doc, item.text, item.line), item.text) for item in doc.lists.get(name, [])
            ]
            if items:
                self.lists[(doc.name, name)] = items

    def _list_item(self, doc: Document, raw: str, line: int) -> Reference | None:
        text = raw.replace("\n", " ")
        if len(text) > MAX_REFERENCE:
            self.unresolved.append(
                Unresolved(doc.path, line, text, f"list item of {len(text):,} characters: kept as text")
            )
            return None
        if is_commentary(text):
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = parse_reference(text)
        if ref.kind == "full":
            self.add(ref, doc.name)
        return ref if ref.kind in ("full", "short") else None

    def resolve(self, ref: Reference, doc: str) -> _Work | None:
        """The work a reference names; an incomplete work for an author-year short form with no
        full reference ("Deasy 1901"); None for another short form with no full reference."""
        if id(ref) in self.by_ref:
            return self.by_ref[id(ref)]
        same_doc = [w for w in self.works if doc in w.docs]
        work = (
            _resolve_short(ref, same_doc)
            or _resolve_short(ref, self.works)
            or _resolve_short(ref, self.hand_works)
            or _resolve_short(ref, self.incomplete)
        )
        if work is None:
            work = _incomplete_work(ref)
            if work is None:
                return None
            self.incomplete.append(work)
        work.refs.append(ref)
        self.by_ref[id(ref)] = work
        return work

    def _unresolved(self, doc: str, number: int, ref: Reference, why: str) -> None:
        self.unresolved.append(Unresolved(*self.where[(doc, number)], ref.raw.strip(), why))

    def citations(
        self, bib: Bibliography, doc: str, number: int, parts: list[str | Reference]
    ) -> list[str | _Cite]:
        """A note's parts with each reference replaced by a citation of its work."""
        out: list[str | _Cite] = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            elif p.kind == "ibid":
                out.append(self._ibid(bib, doc, number, p))
            else:
                out.append(self._cite(doc, number, p))
        return out

    def _ibid(self, bib: Bibliography, doc: str, number: int, p: Reference) -> str | _Cite:
        prev = bib.last_cited_work(doc, number)
        if prev is None:
            self._unresolved(
                doc, number, p, "“Ibid.” with no citation before it in the chapter: kept as text"
            )
            return p.raw
        return _Cite(prev, p.locator, p.prefix)

    def _cite(self, doc: str, number: int, p: Reference) -> str | _Cite:
        work = self.resolve(p, doc)
        if work is None:
            self._unresolved(doc, number, p, "short form with no full reference in the book: kept as text")
            return p.raw
        if work in self.incomplete:
            self._unresolved(
                doc,
                number,
                p,
                "short form with no full reference in the book: "
                "an entry marked incomplete (no title) until a correction completes it",
            )
        return _Cite(work, p.locator, p.prefix)  # a short cite keeps its pages, even all of them


def _same_entry(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two entries' fields describe one work (first author, year, title)."""
    if first_name_part(a)[0] != first_name_part(b)[0] or a.get("year", "") != b.get("year", ""):
        return False
    ta, tb = norm_title(a.get("title", "")), norm_title(b.get("title", ""))
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    return long == short or long.startswith(short + " ")


def _keep_keys(
    works: list[_Work], hand: list[_Work], previous: dict[str, dict[str, str]], rekey: bool
) -> list[str]:
    """Give works the author's keys and their earlier keys; report what changed (see
    ``book.bibfiles``)."""
    reports: list[str] = []
    hand_by_key = {w.key: w for w in hand}
    for w in works:
        same = hand_by_key.get(w.key) or next((h for h in hand if _same_entry(h.fields, w.fields)), None)
        if same is not None:
            if same.key != w.key:
                reports.append(f"{w.key}: your entry {same.key!r} in references.bib is used instead")
            w.key, w.hand = same.key, True
    taken = {w.key for w in works}
    free = {k: f for k, f in previous.items() if k not in taken}
    for w in works:
        if w.hand or w.key in previous:
            continue
        old = next((k for k, f in free.items() if _same_entry(f, w.fields)), None)
        if old is None:
            continue
        del free[old]
        if rekey:
            reports.append(f"{old}: renamed {w.key!r} (--rekey); update the chapters that cite {old!r}")
        else:
            reports.append(f"{old}: key kept (its fields now give {w.key!r}; --rekey renames it)")
            w.key = old
    for key in sorted(free):
        reports.append(f"{key}: no longer generated (no note or reading list gives this work)")
    return reports


def _set_quotation(parts: list[str | Reference], text: str) -> list[str | Reference]:
    """A passage on the lines after a note's reference is a quotation from the cited work (as
    the source's citation template prints its quote): set it in quotation marks, nested quotes
    single; a passage cut off mid-sentence gets an ellipsis, never a dangling comma."""
    if "\n" not in text.strip() or not parts or not isinstance(parts[-1], str):
        return parts
    passage = " ".join(text.strip().split("\n", 1)[1].split())
    if not passage or not " ".join(parts[-1].split()).endswith(passage):
        return parts
    body = re.sub(r'"([^"]*)"', "\u2018\\1\u2019", passage)
    if body[:1].islower():
        body = "\u2026 " + body
    if body.endswith((",", ";", ":")):
        body = body[:-1].rstrip() + " \u2026"
    return [*parts[:-1], f". \u201c{body}\u201d"]


def _incomplete_work(ref: Reference) -> _Work | None:
    """A work cited only in an author-year short form: an entry marked as incomplete in the
    note and Works cited (its ``note``), and reported with the correction that completes it."""
    fields = {k: v for k, v in ref.fields.items() if k in ("author", "year", "title")}
    if "author" not in fields or "year" not in fields:
        return None
    missing = [name for name in ("title",) if name not in fields]
    if not missing:
        return None
    fields["note"] = "incomplete reference: the source gives no title"
    work = _Work([], "misc", fields)
    work.problems.append(
        (
            "title",
            f"cited only in short form ({ref.raw.strip()!r}): no full reference found; "
            'complete it in bib-corrections.toml: [KEY] title = "..." remove = ["note"]',
        )
    )
    return work


def _same_pages(locator: str, pages: str) -> bool:
    body = re.sub(r"^pp?\.\s*", "", locator)
    return bool(pages) and normalise_pages(body) == pages


def _resolve_short(ref: Reference, works: list[_Work]) -> _Work | None:
    """The work a short cite names: same family names (in order), and the same year or a
    title that begins with the short title's words."""
    fams = _families(ref.fields.get("author", ""))
    year = ref.fields.get("year", "")
    short_title = ref.fields.get("title", "")
    for w in works:
        wf = _families(w.fields.get("author", "") or w.fields.get("editor", ""))
        if not fams or wf[: len(fams)] != fams:
            continue
        if year and w.fields.get("year") != year:
            continue
        if short_title and not _abbreviates(short_title, w.fields.get("title", "")):
            continue
        return w
    return None


_ARTICLES = frozenset(
    [
        "the",
        "a",
        "an",
        "der",
        "die",
        "das",
        "le",
        "la",
        "les",
        "l",
        "el",
        "il",
        "lo",
        "un",
        "une",
        "ein",
        "eine",
    ]
)


def _abbreviates(short: str, title: str) -> bool:
    """Whether ``short`` is a short title of ``title``: its words begin the title's (a leading
    article aside), or all its significant words stand in the title in the same order."""
    sw, tw = words(short), words(title)
    if not sw:
        return True
    if sw[0] in _ARTICLES:
        sw = sw[1:]
    if tw and tw[0] in _ARTICLES:
        tw = tw[1:]
    if tw[: len(sw)] == sw:
        return True
    rest = iter(tw)
    return all(any(w == t for t in rest) for w in sw) and len(sw) >= 2


def _check(w: _Work) -> list[tuple[str, str]]:
    """Generic checks on a finished entry."""
    out: list[tuple[str, str]] = []
    names = split_names(w.fields.get("author", ""))
    if len(names) > 1:
        bare = [n for n in names if "," not in n and not n.startswith("{") and n != "others"]
        if bare:
            out.append(("author", f"author list looks garbled: {', '.join(bare)} has no given name"))
    if w.entry_type not in ("online", "misc") and "year" not in w.fields:
        out.append(("year", "no year"))
    return out


def _apply_corrections(works: list[_Work], path: Path | None) -> dict[str, set[str]]:
    """Apply the corrections file; return key -> fields it set or removed."""
    touched: dict[str, set[str]] = {}
    if path is None or not Path(path).exists():
        return touched
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, path, hint="fix the syntax (see the comments at the top)") from None
    by_key = {w.key: w for w in works}
    for key, changes in data.items():
        line = _table_line(text, key)
        if key not in by_key:
            raise BookError(
                f"correction for unknown key {key!r}",
                path,
                line,
                hint="keys are listed in references.bib; rename or delete this table",
            )
        if not isinstance(changes, dict):
            raise BookError(f"{key!r} must be a table of fields", path, line)
        _check_correction(path, text, key, changes)
        w = by_key[key]
        for fld in changes.get("remove", []):
            w.fields.pop(fld, None)
            touched.setdefault(key, set()).add(fld)
        for fld, value in changes.items():
            if fld == "remove":
                continue
            if fld == "ENTRYTYPE":
                w.entry_type = value
            else:
                w.fields[fld] = value
            touched.setdefault(key, set()).add(fld)
    return touched


def known_fields() -> frozenset[str]:
    """The BibTeX fields the citation extension reads, and those the reference parser writes."""
    from .citations import bibtex

    read = {*bibtex.TEXT_FIELDS, *bibtex.RAW_FIELDS, *bibtex.NAME_FIELDS}
    read |= {"booktitle", "number", "school", "institution", "organization", "langid", "entrysubtype"}
    read |= {"year", "month", "day", "date", "urldate"}
    return frozenset(read | set(FIELD_ORDER))


def _check_correction(path: Path, text: str, key: str, changes: dict) -> None:
    """Every field of a correction known and a text (a typo is an error, not a new field)."""
    from .citations.bibtex import TYPE_MAP

    fields = known_fields()
    for fld, value in changes.items():
        line = _field_line(text, key, fld)
        if fld == "remove":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BookError(f'{key}.remove must be a list of field names: ["note", ...]', path, line)
            names = value
        elif fld == "ENTRYTYPE":
            if not isinstance(value, str) or value.lower() not in {*TYPE_MAP, "misc"}:
                raise BookError(
                    f"{key}.ENTRYTYPE: unknown entry type {value!r}",
                    path,
                    line,
                    hint="use one of: " + ", ".join(sorted({*TYPE_MAP, "misc"})),
                )
            continue
        else:
            if not isinstance(value, str):
                raise BookError(f"{key}.{fld} must be a string", path, line)
            check_text(value, path, line, f"{key}.{fld}")
            if len(value) > MAX_FIELD_CHARS:
                raise BookError(f"{key}.{fld} is longer than the limit of {MAX_FIELD_CHARS:,} characters",
                                path, line)  # fmt: skip
            names = [fld]
        for name in names:
            if name not in fields:
                close = difflib.get_close_matches(name, sorted(fields), n=1)
                raise BookError(
                    f"{key}: unknown BibTeX field {name!r}",
                    path,
                    line,
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else "known fields: " + ", ".join(sorted(fields)),
                )


def _field_line(text: str, key: str, field: str) -> int | None:
    """The line of ``field`` in the table ``[key]`` (else the table's line)."""
    start = _table_line(text, key)
    if start is None:
        return None
    lines = text.splitlines()
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if re.match(r"^\s*\[", line):
            break
        if re.match(r'^\s*"?' + re.escape(field) + r'"?\s*=', line):
            return number
    return start


def _table_line(text: str, key: str) -> int | None:
    rx = re.compile(r'^\s*\[\s*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*\]")
    for i, line in enumerate(text.splitlines(), 1):
        if rx.match(line):
            return i
    return None


# Fields the citation extension reads verbatim (no LaTeX decoding): kept as they are, with
# the three characters BibTeX's syntax cannot hold percent-encoded.
RAW_FIELDS = frozenset({"url", "doi", "isbn", "issn", "urldate", "eprint", "file"})
NAME_FIELDS = frozenset({"author", "editor", "translator"})
_TEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
    }
)


def bib_text(field: str, value: str) -> str:
    """A field's plain text as a BibTeX value the citation extension reads back unchanged.

    Field values are text (from the documents or bib-corrections.toml), never LaTeX: ``%``
    would start a comment, ``--`` become a dash, a trailing ``\\`` or a lone brace break the
    entry. Two forms the reference parser writes on purpose stay: ``--`` in ``pages`` and a
    corporate name wholly in braces in a name list.
    """
    if field in RAW_FIELDS:
        return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    if field in NAME_FIELDS:
        return " and ".join(_bib_name(name) for name in _split_names(value))
    text = value.translate(_TEX_SPECIAL)
    if field == "pages":
        return text
    while "--" in text:  # "1912--1914" stays two hyphens (TeX would make an en dash)
        text = text.replace("--", "-{}-")
    return text


def _bib_name(name: str) -> str:
    if name.startswith("{") and name.endswith("}") and "{" not in name[1:-1] and "}" not in name[1:-1]:
        return "{" + bib_text("name", name[1:-1]) + "}"  # a corporate name
    return bib_text("name", name)


def _split_names(value: str) -> list[str]:
    """Split a name list on " and " outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    return names


def bibtex_format() -> bibtexparser.BibtexFormat:
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = "auto"
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    return fmt


def entries_to_bibtex(entries: dict[str, dict[str, str]], header: str | None = None) -> str:
    """BibTeX text for ``entries`` (key -> fields with ENTRYTYPE), in the given order."""
    library = bibtexparser.Library()
    if header:
        library.add(model.ImplicitComment(header))
    for key, fields in entries.items():
        library.add(
            model.Entry(
                fields["ENTRYTYPE"],
                key,
                [model.Field(k, bib_text(k, v)) for k, v in fields.items() if k not in ("ENTRYTYPE", "ID")],
            )
        )
    return bibtexparser.write_string(library, bibtex_format=bibtex_format())


def write_bib(bib: Bibliography, path: Path) -> None:
    """Write the generated entries to ``path`` (atomically, with the checksum of
    ``book.bibfiles``; same input, same bytes)."""
    write_generated(entries_to_bibtex(bib.entries), path)


def book_bibliography(documents: list[Document], folder: Path, rekey: bool = False) -> Bibliography:
    """The bibliography of the book in ``folder``: its corrections, the author's own entries
    (``references.bib``) and the keys generated last time (``references-generated.bib``)."""
    hand_path, generated_path = bib_paths(folder)
    return build_bibliography(
        documents,
        corrections=folder / "bib-corrections.toml",
        hand=read_entries(hand_path),
        previous=read_entries(generated_path) if generated_path.exists() else {},
        rekey=rekey,
    )


def bib_command(documents: list[Path], out: Path, rekey: bool = False) -> list[str]:
    """``python -m book bib``: rebuild the generated file ``out`` from ``documents`` (the
    author's ``references.bib`` beside it is read, never written); return the report lines."""
    from .reader import read_document

    out = Path(out)
    check_not_edited(out)
    docs = [read_document(p) for p in documents]
    bib = book_bibliography(docs, out.parent, rekey=rekey)
    write_bib(bib, out)
    ensure_hand_file(bib_paths(out.parent)[0])
    report = [f"{out}: {len(bib.entries)} entries; {len(bib.hand_keys)} of yours in {HAND_FILE}"]
    report += [f"  {line}" for line in bib.reports]
    report += [f"warning: {item}" for item in bib.unresolved]
    todo = bib.needs_editor()
    if todo:
        report.append(f"{len(todo)} need an editor (fix in bib-corrections.toml or {HAND_FILE}):")
        report += [f"  {key}: {reason.replace('[KEY]', f'[{key}]')}" for key, reason in todo]
    return report
