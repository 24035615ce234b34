"""The book's bibliography: every note and reading list parsed into one deduplicated
``references.bib``, and each note's citation markup.

``build_bibliography(documents)`` parses the notes and the "Further reading" / "Primary
sources" lists (``book.references.refparse``), merges references to one work (same first-author family
name and year, and one normalised title a word-prefix of the other), resolves short cites
("Deasy 1901", "Ananich and Lebedev, "Sergei Witte"") to the full entry, gives each work a key
(``book.references.bibkeys``) and applies the hand corrections of ``bib-corrections.toml``.

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

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from book.citations.syntax import cite_role, note_role
from book.progress import Progress
from book.references.bibcorrections import apply_corrections
from book.references.bibfiles import (
    HAND_FILE,
    bib_paths,
    check_not_edited,
    ensure_hand_file,
    read_entries,
    write_generated,
)
from book.references.bibkeys import first_name_part, norm_title, resolve_collisions
from book.references.bibtexout import entries_to_bibtex
from book.references.refparse import (
    Reference,
    is_commentary,
    parse_note,
    parse_reference,
)
from book.references.shortforms import incomplete_work, keep_short_title, resolve_short, set_quotation
from book.references.works import Cite, Work, check_work, same_work
from book.sources.model import Document

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


class Bibliography:
    """The deduplicated entries of a set of documents and each note's citations."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, str]] = {}
        self._notes: dict[tuple[str, int], list[str | Cite]] = {}
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
        cites = [p for p in parts if isinstance(p, Cite)]
        texts = [p for p in parts if isinstance(p, str)]
        if cites and all(not t.strip(" .;,") for t in texts):
            return cite_role([c.source() for c in cites])
        segments: list[str | list[str]] = []
        for i, p in enumerate(parts):
            if isinstance(p, Cite):
                segments.append([p.source()])
            else:
                segments.append(_set_off(p, parts[i - 1]) if i else p)
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

    def set_note(self, doc: str, number: int, parts: list[str | Cite]) -> None:
        self._notes[(doc, number)] = parts

    def set_reading_list(self, doc: str, name: str, items: list[tuple[str | None, str]]) -> None:
        self._lists[(doc, name)] = items

    def add_problem(self, key: str, reason: str) -> None:
        self._problems.append((key, reason))

    def last_cited_work(self, doc: str, number: int) -> Work | None:
        """The work cited last in the notes of ``doc`` before note ``number`` (for "Ibid.")."""
        for n in range(number - 1, 0, -1):
            cites = [p for p in self._notes.get((doc, n), []) if isinstance(p, Cite)]
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
    touched = apply_corrections([w for w in all_works if not w.hand], corrections)
    bib.reports = reports
    bib.unresolved = builder.unresolved
    bib.hand_keys = {w.key for w in all_works + hand_works if w.hand}
    for w in sorted(all_works, key=lambda w: w.key):
        if w.hand:
            continue
        bib.entries[w.key] = {"ENTRYTYPE": w.entry_type, **w.fields}
        for fld, reason in w.problems + check_work(w):
            if fld not in touched.get(w.key, set()):
                bib.add_problem(w.key, reason)
    return bib


class _Builder:
    """The works of a set of documents, as their notes and reading lists are read."""

    def __init__(self, hand: dict[str, dict[str, str]]) -> None:
        self.works: list[Work] = []
        self.incomplete: list[Work] = []  # author-year short forms with no full reference
        self.notes: dict[tuple[str, int], list[str | Reference]] = {}
        self.lists: dict[tuple[str, str], list[tuple[Reference | None, str]]] = {}
        self.unresolved: list[Unresolved] = []
        self.where: dict[tuple[str, int], tuple[Path, int]] = {}
        self.by_ref: dict[int, Work] = {}
        self.hand_works = [
            Work(
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
            if same_work(w.refs[0], ref):
                w.refs.append(ref)
                w.docs.add(doc)
                return
        self.works.append(Work([ref], docs={doc}))

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
            parts = set_quotation(parse_note(note.text), note.text)
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
            if ref.remark:  # a reading list's "online", "excerpt": part of the item's annotation
                annotation = ref.fields.get("annotation", "")
                ref.fields["annotation"] = f"{annotation}; {ref.remark}" if annotation else ref.remark
            self.add(ref, doc.name)
        return ref if ref.kind in ("full", "short") else None

    def resolve(self, ref: Reference, doc: str) -> Work | None:
        """The work a reference names; an incomplete work for an author-year short form with no
        full reference ("Deasy 1901"); None for another short form with no full reference."""
        if id(ref) in self.by_ref:
            return self.by_ref[id(ref)]
        same_doc = [w for w in self.works if doc in w.docs]
        work = (
            resolve_short(ref, same_doc)
            or resolve_short(ref, self.works)
            or resolve_short(ref, self.hand_works)
            or resolve_short(ref, self.incomplete)
        )
        if work is None:
            work = incomplete_work(ref)
            if work is None:
                return None
            self.incomplete.append(work)
        work.refs.append(ref)
        keep_short_title(ref, work)
        self.by_ref[id(ref)] = work
        return work

    def _unresolved(self, doc: str, number: int, ref: Reference, why: str) -> None:
        self.unresolved.append(Unresolved(*self.where[(doc, number)], ref.raw.strip(), why))

    def citations(
        self, bib: Bibliography, doc: str, number: int, parts: list[str | Reference]
    ) -> list[str | Cite]:
        """A note's parts with each reference replaced by a citation of its work."""
        out: list[str | Cite] = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            elif p.kind == "ibid":
                out.append(self._ibid(bib, doc, number, p))
            else:
                out.append(self._cite(doc, number, p))
        return out

    def _ibid(self, bib: Bibliography, doc: str, number: int, p: Reference) -> str | Cite:
        prev = bib.last_cited_work(doc, number)
        if prev is None:
            self._unresolved(
                doc, number, p, "“Ibid.” with no citation before it in the chapter: kept as text"
            )
            return p.raw
        return Cite(prev, p.locator, p.prefix, p.remark)

    def _cite(self, doc: str, number: int, p: Reference) -> str | Cite:
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
                "an entry of its author and year alone (no title) until a correction completes it",
            )
        # a short cite keeps its pages, even all of them; the source's "online" follows it
        return Cite(work, p.locator, p.prefix, p.remark)


def _set_off(text: str, before: str | Cite) -> str:
    """Commentary that goes on with the sentence after a citation ending in a remark of its
    entry's ``note`` ("John Bell, *Travels* (Edinburgh, 1808), OCR reprint has a record"): a
    comma sets the citation off, so the remark does not read as the subject (CMOS 6.31)."""
    if isinstance(before, Cite) and before.work.fields.get("note") and re.match(r"\s+[a-z]", text):
        return "," + text
    return text


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
    works: list[Work], hand: list[Work], previous: dict[str, dict[str, str]], rekey: bool
) -> list[str]:
    """Give works the author's keys and their earlier keys; report what changed (see
    ``book.references.bibfiles``)."""
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


def write_bib(bib: Bibliography, path: Path) -> None:
    """Write the generated entries to ``path`` (atomically, with the checksum of
    ``book.references.bibfiles``; same input, same bytes)."""
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
    from book.sources.reader import read_document

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
