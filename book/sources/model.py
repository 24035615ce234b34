"""The document model: what a plain-text source document holds once read.

A source document is a run of lines: lead paragraphs, bare heading lines, paragraphs with
``[n]`` note marks, then a "Notes and References" list and optional reading lists
("See also", "Further reading", "Primary sources"). ``book.sources.reader`` fills these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Mark:
    """One ``[n]`` note mark in a paragraph: the note's number and where it stood."""

    number: int
    offset: int  # character offset of the mark in Paragraph.text (marks removed)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's text with its note marks taken out (their places kept in ``marks``)."""

    text: str
    line: int  # 1-based line in the source file
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A bare heading line; ``level`` is 1 (part or top), 2 (chapter), 3 (section)..."""

    text: str
    line: int
    level: int = 1
    why: str = field(default="", compare=False)  # how a guessed level was chosen


@dataclass(frozen=True)
class Note:
    """One item of the "Notes and References" list.

    ``text`` keeps continuation lines (a quoted passage after the reference) joined by "\\n".
    ``uses`` is how many marks point at it (the list writes "1 2" for a note used twice).
    """

    number: int
    text: str
    line: int
    uses: int = 1


@dataclass(frozen=True)
class ListItem:
    """An item of a reading list ("Further reading", "Primary sources", "See also")."""

    text: str
    line: int


Block = Heading | Paragraph


@dataclass
class Document:
    """A whole source document."""

    path: Path
    title: str
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    lists: dict[str, list[ListItem]] = field(default_factory=dict)  # list name -> items
    marks_without_notes: list[tuple[int, int]] = field(default_factory=list)  # (line, number), kept as text

    @property
    def name(self) -> str:
        """A short id for the document (its file stem)."""
        return self.path.stem

    def note(self, number: int) -> Note | None:
        return next((n for n in self.notes if n.number == number), None)
