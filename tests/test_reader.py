"""The plain-text reader, on the real documents and on small samples."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from book.errors import BookError
from book.sources.model import Heading, Paragraph
from book.sources.reader import SourceWarning, read_document

from .conftest import ARTICLE, SUMMARY


def marks(doc):
    return [m.number for b in doc.blocks if isinstance(b, Paragraph) for m in b.marks]


def test_article_notes_and_marks():
    doc = read_document(ARTICLE)
    assert len(doc.notes) == 60
    assert len(marks(doc)) == 62
    assert marks(doc).count(36) == 2 and marks(doc).count(57) == 2
    assert doc.note(36).uses == 2 and doc.note(57).uses == 2
    # Note 59 starts in the middle of the line that ends note 58.
    assert doc.note(59).text.startswith("Buckley, Chris")
    assert doc.note(58).line == doc.note(59).line - 2
    # A note over several lines keeps its quoted passage.
    assert "Probably the first clash" in doc.note(16).text
    assert "Askold Island" in doc.note(16).text
    assert {k: len(v) for k, v in doc.lists.items()} == {
        "See also": 9,
        "Further reading": 41,
        "Primary sources": 3,
    }


def test_mark_positions_keep_text_whole():
    doc = read_document(ARTICLE)
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.marks and b.marks[0].number == 10)
    assert para.text[: para.marks[0].offset].endswith("Lev Izmailov")
    assert "[" not in para.text


def test_summary_title_and_web_cruft_dropped():
    doc = read_document(SUMMARY)
    assert doc.title == "History of Sino-Russian Relations"
    texts = [b.text for b in doc.blocks]
    assert len(texts) == 4 and all(isinstance(b, Paragraph) for b in doc.blocks)
    assert texts[0].startswith("Prior to the 1600s")
    assert not any("Read more" in t or "Gertrude Stein" in t for t in texts)


def test_outline_levels_are_used(tmp_path: Path):
    doc = read_document(ARTICLE, headings={"Imperial period": 1, "Early contacts": 3})
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert [(h.text, h.level) for h in heads] == [("Imperial period", 1), ("Early contacts", 3)]


def test_guessed_levels(tmp_path: Path):
    src = tmp_path / "doc.txt"
    src.write_text(
        "Lead paragraph.\nHistory\nEarly days\nSome text.[1]\nLater days\nMore text.\n"
        "Notes and References\n- ↑ Smith, John (2001). A Book. Press.\n",
        encoding="utf-8",
    )
    doc = read_document(src)
    heads = [(b.text, b.level) for b in doc.blocks if isinstance(b, Heading)]
    assert heads == [("History", 1), ("Early days", 2), ("Later days", 2)]


def test_mark_without_note_names_file_line_and_mark(tmp_path: Path):
    src = tmp_path / "doc.txt"
    src.write_text("First.\nSecond with a mark.[2]\nNotes and References\n- ↑ A note.\n", encoding="utf-8")
    with pytest.raises(BookError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read_document(src)
    assert f"{src}:2:" in str(err.value) and "[2]" in str(err.value)


def test_note_never_cited_warns(tmp_path: Path):
    src = tmp_path / "doc.txt"
    src.write_text("Text.[1]\nNotes and References\n- ↑ One.\n- ↑ Two.\n", encoding="utf-8")
    with pytest.warns(SourceWarning, match="note 2 is cited by no mark"):
        read_document(src)


def test_non_utf8_names_file_and_line(tmp_path: Path):
    src = tmp_path / "latin1.txt"
    src.write_bytes("Line one.\nCaf\xe9 line two.\n".encode("latin-1"))
    with pytest.raises(BookError) as err:
        read_document(src)
    assert f"{src}:2:" in str(err.value) and "UTF-8" in str(err.value)
