"""The citation markup ({cite}, {note}) is written and read by one module, book.citations.syntax:
what the writers produce, the parsers read back unchanged."""

from __future__ import annotations

import warnings

import pytest

from book.citations.syntax import (
    CiteItem,
    cite_role,
    escape_note_text,
    format_item,
    note_role,
    parse_citation,
    parse_note,
)
from book.commands.bibliography import build_bibliography
from book.sources.reader import read_document

from .conftest import ARTICLE, ROOT, SUMMARY

ITEMS = [  # (key, prefix, locator as the source gives it) -> the item parsed back
    (
        ("young1977presidency", "", "pp. 182, 183"),
        CiteItem("young1977presidency", "", "", "page", "182, 183"),
    ),
    (("march1996eastern", "see", "p. 5"), CiteItem("march1996eastern", "see ", "", "page", "5")),
    (("mancall1971russia", "cf.", "chap. 3"), CiteItem("mancall1971russia", "cf. ", "", "chapter", "3")),
    (("deasy1901", "", "356–357"), CiteItem("deasy1901", "", "", "page", "356–357")),
    (("a:b-c_d.e", "", ""), CiteItem("a:b-c_d.e", "", "", None, None)),
    (("perdue2005china", "", "p. 79; 80"), CiteItem("perdue2005china", "", "", "page", "79, 80")),
    # the source's words after a citation ("online"): its suffix, with or without a locator
    (("perdue2010b", "", "", "online"), CiteItem("perdue2010b", "", ", online", None, None)),
    (
        ("chang1990", "see", "p. 5", "online free"),
        CiteItem("chang1990", "see ", ", online free", "page", "5"),
    ),
]


def _inner(role: str) -> str:
    assert role.endswith("`") and role.count("`") == 2, role
    return role[role.index("`") + 1 : -1]


@pytest.mark.parametrize(("written", "parsed"), ITEMS)
def test_cite_role_round_trip(written: tuple[str, ...], parsed: CiteItem) -> None:
    role = cite_role([format_item(*written)])
    assert role.startswith("{cite}`")
    assert parse_citation(_inner(role)) == [parsed]


def test_cite_role_with_several_items_round_trip() -> None:
    role = cite_role([format_item(*written) for written, _ in ITEMS])
    assert parse_citation(_inner(role)) == [parsed for _, parsed in ITEMS]


TEXTS = [
    "The section is largely a summary of ",
    ", who notes [sic] and [1] and [...] in brackets",
    " an @ sign, a\\backslash, \\[ already escaped, mail a@b.org",
    " a `tick` and a\nline break",
    " ends here.",
]


def test_note_role_round_trip() -> None:
    segments: list[str | list[str]] = []
    expected: list[str | list[CiteItem]] = []
    for text, (written, parsed) in zip(TEXTS, ITEMS, strict=False):
        segments += [text, [format_item(*written)]]
        expected += [text.replace("`", "ʼ").replace("\n", " "), [parsed]]
    segments.append(TEXTS[-1])
    expected.append(TEXTS[-1])
    expected[0] = str(expected[0]).lstrip()
    role = note_role(segments)
    assert role.startswith("{note}`")
    assert parse_note(_inner(role)) == expected


def test_escaped_note_text_is_read_back_literally() -> None:
    for text in ("[@notakey]", "\\", "\\\\[", "@", "[x] @y [z]"):
        assert parse_note(escape_note_text(text)) == [text]


def test_every_note_of_the_book_reads_back() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = [read_document(ARTICLE), read_document(SUMMARY)]
        bib = build_bibliography(docs, corrections=ROOT / "bib-corrections.toml")
    notes = cites = 0
    for doc in docs:
        for note in doc.notes:
            role = bib.note_markup(doc.name, note.number)
            inner = _inner(role)
            segments = [parse_citation(inner)] if role.startswith("{cite}") else parse_note(inner)
            keys = [item.key for s in segments if isinstance(s, list) for item in s]
            unresolved = any(u.document == doc.path and u.line == note.line for u in bib.unresolved)
            assert (keys or unresolved) and set(keys) <= set(bib.entries), role
            for text in (s for s in segments if isinstance(s, str)):
                assert escape_note_text(text) in inner  # the text reads back as written
            notes += 1
            cites += len(keys)
    assert notes == 60 and cites >= 60
