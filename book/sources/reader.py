"""Read a plain-text source document into the model of ``book.sources.model``.

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

from book.errors import BookError, read_text
from book.limits import MAX_FIELD_CHARS, MAX_HEADINGS, MAX_LINE_CHARS, MAX_NOTES

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
    strict: bool = True,
) -> Document:
    """Read ``path`` into a Document.

    ``headings`` maps heading text to level (from the outline); when given, only those lines are
    headings. Without it, heading lines and their levels are guessed. A note mark with no note
    is an error; with ``strict=False`` a warning, and the mark stays in the text as written.
    """
    path = Path(path)
    lines = read_text(path).split("\n")  # line numbers as editors count them (not splitlines)
    _check_lengths(path, lines)
    if not any(line.strip() for line in lines):
        raise BookError("the document is empty", path, hint="give a document with text")
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
    _check_marks(doc, strict)
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


def _check_headings(path: Path, blocks: list[Heading | Paragraph]) -> None:
    """At most :data:`MAX_HEADINGS` headings: checked before their levels are worked out."""
    headings = [b for b in blocks if isinstance(b, Heading)]
    if len(headings) > MAX_HEADINGS:
        raise BookError(
            f"{len(headings):,} headings; the limit is {MAX_HEADINGS:,}",
            path,
            headings[MAX_HEADINGS].line,
            hint="split the document (limits in book/limits.py)",
        )


def _check_counts(doc: Document) -> None:
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
    _check_headings(path, blocks)
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
    """Guess heading levels from the whole document's pattern; each Heading gets its ``why``.

    * A heading directly followed by another opens a section with subsections: the next one is
      one level deeper (a run of headings is a chain of parents).
    * Such a parent after text starts a new top-level section (level 1).
    * A heading with text before and after it is where the pattern decides: it continues the
      current group (same level as the heading before) unless it looks more like the
      document's top-level headings (the first heading and the parents of groups) and not at
      all like the group's subsections, sharing at least two marks with a top-level heading
      (a year, a number first, brackets, a pair "X and Y"), or when the group's subsections all
      have a year, a number first or brackets and it has none ("Spring 1348", "Summer 1348",
      then "Mortality"). Then it is top-level again.
    * Numbered headings ("2.", "2.1", "II.") take the depth of their number, whatever else.
    """
    numbered = _numbered_levels(blocks)
    if numbered is not None:
        return numbered
    heads = [i for i, b in enumerate(blocks) if isinstance(b, Heading)]
    if not heads:
        return blocks

    def is_heading(i: int) -> bool:
        return 0 <= i < len(blocks) and isinstance(blocks[i], Heading)

    result: list[Heading | Paragraph] = list(blocks)
    tops: list[Heading] = []
    group: tuple[Heading, list[Heading]] | None = None  # (parent, its subsections so far)
    previous: Heading | None = None
    for i in heads:
        block = blocks[i]
        assert isinstance(block, Heading)
        if is_heading(i - 1):
            parent = result[i - 1]
            assert isinstance(parent, Heading)
            level, why = parent.level + 1, f"directly after '{parent.text}': its subsection"
        elif is_heading(i + 1):
            level, why = 1, "text before it and a heading right after: a top-level section with subsections"
        else:
            level, why = _level_between_texts(block, previous, group, tops)
        heading = Heading(block.text, block.line, level, why)
        result[i] = heading
        if level == 1 and (previous is None or is_heading(i + 1)):
            tops.append(heading)  # known to be top-level by the structure alone
        if is_heading(i - 1) and not is_heading(i - 2):
            parent = result[i - 1]
            assert isinstance(parent, Heading)
            group = (parent, [heading])
        elif group is not None and level > group[0].level:
            group[1].append(heading)
        elif group is not None and level <= group[0].level:
            group = None if not is_heading(i + 1) else group
        previous = heading
    return result


def _level_between_texts(
    block: Heading, previous: Heading | None, group: tuple[Heading, list[Heading]] | None, tops: list[Heading]
) -> tuple[int, str]:
    """The level of a heading with text before and after it."""
    if previous is None:
        return 1, "the first heading, with text of its own"
    if group is None:
        return previous.level, f"same level as '{previous.text}' (no section with subsections before it)"
    return _level_in_group(block, group, tops, previous)


def _level_in_group(
    block: Heading, group: tuple[Heading, list[Heading]], tops: list[Heading], previous: Heading
) -> tuple[int, str]:
    """The level of a heading with text before and after it, inside a group of subsections:
    top-level again if it looks like the top-level headings and not like the subsections."""
    parent, members = group
    like_sub = max(_resemblance(block.text, m.text) for m in members)
    like_top = max((_resemblance(block.text, t.text) for t in tops), default=0)
    if like_top >= 2 and like_sub == 0:
        top = next(t for t in tops if _resemblance(block.text, t.text) == like_top)
        return parent.level, f"looks like the top-level '{top.text}' more than like '{members[0].text}'"
    shared = [
        all(f) for f in zip(*(_shape(m.text)[:3] for m in members), strict=False)
    ]  # years, numbers, brackets
    if any(shared) and not any(a and b for a, b in zip(shared, _shape(block.text), strict=False)):
        marks = ", ".join(name for name, on in zip(_MARK_NAMES, shared, strict=False) if on)
        return (
            parent.level,
            f"unlike the subsections of '{parent.text}' (they all have {marks}): top-level again",
        )
    return previous.level, f"same level as '{previous.text}': continues the subsections of '{parent.text}'"


_NUMBER = re.compile(r"^(?:(\d+(?:\.\d+)*)\.?|([IVXLC]+)\.)\s+\S")
_MARK_NAMES = ("a year", "a number first", "brackets", "a pair or a subtitle")


def _numbered_levels(blocks: list[Heading | Paragraph]) -> list[Heading | Paragraph] | None:
    """Levels from section numbers, when most headings are numbered; else None."""
    heads = [b for b in blocks if isinstance(b, Heading)]
    numbers = [_NUMBER.match(h.text) for h in heads]
    if len(heads) < 2 or sum(1 for m in numbers if m) * 5 < len(heads) * 4:
        return None
    result: list[Heading | Paragraph] = []
    level = 1
    for block in blocks:
        if isinstance(block, Heading):
            m = _NUMBER.match(block.text)
            if m:
                level = len(m.group(1).split(".")) if m.group(1) else 1
                why = f"numbered '{(m.group(1) or m.group(2))}': level {level}"
            else:
                why = f"not numbered: same level as the heading before ({level})"
            block = Heading(block.text, block.line, level, why)
        result.append(block)
    return result


def _shape(text: str) -> tuple[bool, ...]:
    return (
        bool(re.search(r"\b1\d{3}s?\b|\b20\d{2}s?\b", text)),  # a year
        text[:1].isdigit(),  # a number first
        "(" in text,  # a bracket
        bool(re.search(r" and |, |: ", text)),  # a pair, a list, a subtitle
    )


def _resemblance(a: str, b: str) -> int:
    """How many marks (a year, a number first, a bracket, a pair) two headings share."""
    return sum(1 for x, y in zip(_shape(a), _shape(b), strict=False) if x and y)


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


def _keep_missing_marks(doc: Document, block: Paragraph) -> Paragraph:
    """The paragraph with each mark that has no note put back as text ("[7]"), and a warning."""
    text, marks, shift = block.text, [], 0
    for mark in block.marks:
        if doc.note(mark.number) is not None:
            marks.append(Mark(mark.number, mark.offset + shift))
            continue
        at = mark.offset + shift
        literal = f"[{mark.number}]"
        doc.marks_without_notes.append((block.line, mark.number))
        text = text[:at] + literal + text[at:]
        shift += len(literal)
        warnings.warn(
            f"{doc.path}:{block.line}: note mark [{mark.number}] has no note in the notes list "
            f"({len(doc.notes)} note{'s' if len(doc.notes) != 1 else ''}); kept in the text as {literal}",
            SourceWarning,
            stacklevel=3,
        )
    return Paragraph(text, block.line, tuple(marks))


def _check_marks(doc: Document, strict: bool = True) -> None:
    """Every mark needs a note; a note no mark uses is worth a warning."""
    used: dict[int, int] = {}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            if not strict and any(doc.note(m.number) is None for m in block.marks):
                block = doc.blocks[index] = _keep_missing_marks(doc, block)
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
    for before, note in zip(doc.notes, doc.notes[1:], strict=False):
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
