"""Read a plain-text source document into the model of ``book.model``.

The form: an optional title line, lead paragraphs, bare heading lines, paragraphs with ``[n]``
note marks, then a "Notes and References" list (items start with "- ↑" or, for a note used by
several marks, "- 1 2") and optional lists ("See also", "Further reading", "Primary sources").
Text has no markup for heading levels: callers pass the levels (from the outline), or the
reader guesses them (a heading directly followed by another heading is its parent).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from pathlib import Path

from .errors import BookError, read_text
from .limits import MAX_FIELD_CHARS, MAX_HEADINGS, MAX_LINE_CHARS, MAX_NOTES
from .model import Document, Heading, ListItem, Mark, Note, Paragraph

NOTES_HEADINGS = {"notes and references", "notes", "references", "notes and citations", "citations"}
LIST_HEADINGS = {
    "see also": "See also",
    "further reading": "Further reading",
    "primary sources": "Primary sources",
    "bibliography": "Further reading",
}
MARK = re.compile(r"\[(\d+)\]")
# "- ↑ text", "- 1 2 text" (a note used by two marks), "- ^ text"
NOTE_ITEM = re.compile(r"^-\s+(?:(↑|\^)|((?:\d+\s+)*\d+)(?=\s+\D))\s*(.*)$")
# A note that starts in the middle of a line: "... (link) - ↑ Buckley, Chris ..."
INLINE_NOTE_START = re.compile(r"\s+-\s+(?=↑\s)")
# Web cruft that ends a page's text ("Read more about ...", then unrelated quotations).
CRUFT_START = re.compile(r"^(Read more about\b|Famous quotes containing\b)")
SENTENCE_END = re.compile(r"[.!?:;,\"'”’)\]]$")


class SourceWarning(UserWarning):
    """Something in a source document an editor should look at (not fatal)."""


def looks_like_heading(line: str) -> bool:
    """A bare heading line: short, no note marks, no sentence punctuation at the end."""
    text = line.strip()
    if not text or text.startswith("- ") or MARK.search(text):
        return False
    if len(text.split()) > 12 or len(text) > 90 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith(")"):  # "Treaty of Nerchinsk (1689)"
        return text.count("(") == text.count(")")
    return not SENTENCE_END.search(text)


def read_document(
    path: str | Path,
    headings: Mapping[str, int] | None = None,
    title: str | None = None,
) -> Document:
    """Read ``path`` into a Document.

    ``headings`` maps heading text to level (from the outline); when given, only those lines are
    headings. Without it, heading lines and their levels are guessed.
    """
    path = Path(path)
    lines = read_text(path).split("\n")  # line numbers as editors count them (not splitlines)
    _check_lengths(path, lines)
    lines = _strip_web_cruft(lines)
    start, doc_title = _find_title(lines)
    doc = Document(path=path, title=title or doc_title or "")

    body_end = len(lines)
    for i in range(start, len(lines)):
        key = lines[i].strip().lower()
        if key in NOTES_HEADINGS or key in LIST_HEADINGS:
            body_end = i
            break
    doc.blocks = _read_body(path, lines, start, body_end, headings)
    _read_back_matter(path, lines, body_end, doc)
    _check_counts(doc)
    _check_marks(doc)
    return doc


def _check_lengths(path: Path, lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise BookError(
                f"line of {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}",
                path,
                number,
                hint="is this a text document? (limits in book/limits.py)",
            )


def _check_counts(doc: Document) -> None:
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    if len(headings) > MAX_HEADINGS:
        raise BookError(
            f"{len(headings):,} headings; the limit is {MAX_HEADINGS:,}",
            doc.path,
            headings[MAX_HEADINGS].line,
            hint="split the document (limits in book/limits.py)",
        )
    if len(doc.notes) > MAX_NOTES:
        raise BookError(
            f"{len(doc.notes):,} notes; the limit is {MAX_NOTES:,}",
            doc.path,
            doc.notes[MAX_NOTES].line,
            hint="split the document (limits in book/limits.py)",
        )
    items = [(n.text, n.line) for n in doc.notes] + [(i.text, i.line) for v in doc.lists.values() for i in v]
    for text, line in items:
        if len(text) > MAX_FIELD_CHARS:
            raise BookError(
                f"note or list item of {len(text):,} characters; the limit is {MAX_FIELD_CHARS:,}",
                doc.path,
                line,
                hint='is a line missing its "- " start? (limits in book/limits.py)',
            )


def _strip_web_cruft(lines: list[str]) -> list[str]:
    """Drop what a web page appends after its text: from a "Read more about ..." line on.

    This is the one place the pipeline drops source text (the summary document ends with a
    "Read more about" link and unrelated quotations).
    """
    for i, line in enumerate(lines):
        if CRUFT_START.match(line.strip()):
            return lines[:i]
    return lines


def _find_title(lines: list[str]) -> tuple[int, str | None]:
    """A first short line followed by a blank line is the title; a repeat of it is dropped."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if len(nonblank) < 2:
        return 0, None
    first = nonblank[0]
    if not (first + 1 < len(lines) and not lines[first + 1].strip() and looks_like_heading(lines[first])):
        return 0, None
    title = lines[first].strip()
    start = first + 1
    following = nonblank[1]
    if lines[following].strip().lower() == title.lower():
        start = following + 1
    return start, title


def _read_body(
    path: Path, lines: list[str], start: int, end: int, headings: Mapping[str, int] | None
) -> list[Heading | Paragraph]:
    blocks: list[Heading | Paragraph] = []
    for i in range(start, end):
        text = lines[i].strip()
        if not text:
            continue
        if headings is not None:
            if text in headings:
                blocks.append(Heading(text, i + 1, headings[text]))
                continue
        elif looks_like_heading(text):
            blocks.append(Heading(text, i + 1, 0))
            continue
        blocks.append(_paragraph(text, i + 1))
    if headings is None:
        blocks = _guess_levels(blocks)
    return blocks


def _paragraph(text: str, line: int) -> Paragraph:
    marks: list[Mark] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in MARK.finditer(text):
        out.append(text[pos : m.start()])
        length += m.start() - pos
        marks.append(Mark(int(m.group(1)), length))
        pos = m.end()
    out.append(text[pos:])
    return Paragraph("".join(out), line, tuple(marks))


def _guess_levels(blocks: list[Heading | Paragraph]) -> list[Heading | Paragraph]:
    """Guess heading levels: a heading directly followed by another heading is its parent.

    A run of headings is a chain of parents: the first is level 1 and each one after it one
    deeper; any other heading keeps the level of the heading before it (level 1 at the start).
    """
    result: list[Heading | Paragraph] = []
    level = 1
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            prev = result[-1] if result else None
            if isinstance(prev, Heading):  # the heading before is this one's parent
                level = prev.level + 1
            elif isinstance(nxt, Heading):  # a parent that opens a new run
                level = 1
            block = Heading(block.text, block.line, level)
        result.append(block)
    return result


def _read_back_matter(path: Path, lines: list[str], start: int, doc: Document) -> None:
    section: str | None = None
    for i in range(start, len(lines)):
        raw = lines[i].rstrip()
        text = raw.strip()
        if not text:
            continue
        key = text.lower()
        if key in NOTES_HEADINGS:
            section = "notes"
            continue
        if key in LIST_HEADINGS:
            section = LIST_HEADINGS[key]
            doc.lists.setdefault(section, [])
            continue
        if section == "notes":
            first, *rest = INLINE_NOTE_START.split(text)
            _add_note_line(path, first, i + 1, doc)
            for part in rest:  # a note that starts in the middle of the line
                _add_note_line(path, "- " + part, i + 1, doc)
        elif section is not None:
            items = doc.lists[section]
            if text.startswith("- "):
                items.append(ListItem(text[2:].strip(), i + 1))
            elif items:
                last = items[-1]
                items[-1] = ListItem(f"{last.text}\n{text}", last.line)


def _add_note_line(path: Path, text: str, line: int, doc: Document) -> None:
    m = NOTE_ITEM.match(text)
    if m:
        uses = len(m.group(2).split()) if m.group(2) else 1
        doc.notes.append(Note(len(doc.notes) + 1, m.group(3).strip(), line, uses))
    elif doc.notes:
        last = doc.notes[-1]
        doc.notes[-1] = Note(last.number, f"{last.text}\n{text}", last.line, last.uses)
    else:
        raise BookError(
            "text before the first note of the notes list",
            path,
            line,
            hint='each note starts with "- ↑ " (or "- 1 2 " for a note used twice)',
        )


def _check_marks(doc: Document) -> None:
    """Every mark needs a note; a note no mark uses is worth a warning."""
    used: dict[int, int] = {}
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            for mark in block.marks:
                if doc.note(mark.number) is None:
                    raise BookError(
                        f"note mark [{mark.number}] has no note in the notes list "
                        f"({len(doc.notes)} note{'s' if len(doc.notes) != 1 else ''})",
                        doc.path,
                        block.line,
                        hint=f"add note {mark.number} to the notes list, or remove the mark",
                    )
                used[mark.number] = used.get(mark.number, 0) + 1
    unused = [note for note in doc.notes if note.number not in used]
    if unused:
        _check_duplicated_note(doc, unused[0])
    for note in doc.notes:
        if note.number not in used:
            warnings.warn(
                f"{doc.path}:{note.line}: note {note.number} is cited by no mark in the text",
                SourceWarning,
                stacklevel=2,
            )


def _check_duplicated_note(doc: Document, unused: Note) -> None:
    """A note line repeated word for word, with a note left over, shifts every later note."""
    for before, note in zip(doc.notes, doc.notes[1:]):
        if note.text == before.text and note.uses == before.uses:
            raise BookError(
                f"note {note.number} repeats note {before.number} word for word and note "
                f"{unused.number} is cited by no mark: a duplicated line would shift every later "
                "note to the wrong mark",
                doc.path,
                note.line,
                hint="delete the repeated line (a note used by several marks starts with their "
                'count: "- 1 2 ...")',
            )
