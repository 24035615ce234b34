"""``make bib`` keeps the author's work: hand entries in references.bib, hand edits of the
generated file, and the keys chapters already cite (book.references.bibfiles, book.commands.bibliography)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from book.commands.bibliography import build_bibliography
from book.references.bibfiles import GENERATED_FILE, HAND_FILE, read_entries
from book.sources.reader import read_document

from .conftest import ROOT, run_book

TINY = ROOT / "tests" / "roots" / "tiny-book"
HAND_ENTRY = """
@book{hand2020added,
  author = {Hand, Ann},
  title = {A Book Added by Hand},
  year = {2020},
}
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    return dest


def bib(book: Path, *args: str):
    return run_book("bib", *args, cwd=book)


def test_hand_entries_survive_make_bib(book: Path) -> None:
    first = bib(book)
    assert first.returncode == 0, first.stderr
    hand = book / HAND_FILE
    assert hand.exists() and "never writes this file" in hand.read_text(encoding="utf-8")
    hand.write_text(hand.read_text(encoding="utf-8") + HAND_ENTRY, encoding="utf-8")
    before = hand.read_bytes()
    again = bib(book)
    assert again.returncode == 0, again.stderr
    assert hand.read_bytes() == before
    generated = read_entries(book / GENERATED_FILE)
    assert "hand2020added" not in generated and "smith2001rivers" in generated


def test_hand_entry_replaces_the_generated_one_with_its_key(book: Path) -> None:
    assert bib(book).returncode == 0
    fixed = read_entries(book / GENERATED_FILE)["smith2001rivers"]
    assert fixed["title"] == "Rivers of the North: A History"
    (book / HAND_FILE).write_text(
        "@book{smith2001rivers,\n  author = {Smith, John},\n  title = {Rivers of the North},\n"
        "  subtitle = {A History},\n  publisher = {Oxford University Press},\n  year = {2001},\n}\n",
        encoding="utf-8",
    )
    proc = bib(book)
    assert proc.returncode == 0, proc.stderr
    assert "smith2001rivers" not in read_entries(book / GENERATED_FILE)
    assert "1 of yours" in proc.stderr


def test_hand_entry_for_the_same_work_is_cited_by_its_key() -> None:
    doc = read_document(TINY / "documents" / "tiny.txt", headings={})
    hand = {"smithRivers": {"ENTRYTYPE": "book", "author": "Smith, John", "title": "Rivers of the North",
                            "year": "2001"}}  # fmt: skip
    result = build_bibliography([doc], hand=hand)
    assert "@smithRivers, p. 12" in result.note_markup(doc.name, 1)
    assert not any(k.startswith("smith") for k in result.entries)
    assert any("smithRivers" in line for line in result.reports)


def test_edited_generated_file_is_not_overwritten(book: Path) -> None:
    assert bib(book).returncode == 0
    generated = book / GENERATED_FILE
    edited = generated.read_text(encoding="utf-8").replace("Envoys and Emperors", "Envoys and Khans")
    generated.write_text(edited, encoding="utf-8")
    proc = bib(book)
    assert proc.returncode == 1
    assert f"{GENERATED_FILE}:" in proc.stderr and "edited by hand" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert generated.read_text(encoding="utf-8") == edited


def test_a_key_that_would_change_is_kept_and_reported() -> None:
    doc = read_document(TINY / "documents" / "tiny.txt", headings={})
    fresh = build_bibliography([doc])
    assert "ivanov1999envoys" in fresh.entries
    previous = dict(fresh.entries)
    previous["ivanovEnvoys"] = previous.pop("ivanov1999envoys")
    previous["gone2000"] = {"ENTRYTYPE": "book", "title": "A Work No Note Cites", "year": "2000"}
    kept = build_bibliography([doc], previous=previous)
    assert "ivanovEnvoys" in kept.entries and "ivanov1999envoys" not in kept.entries
    assert "@ivanovEnvoys, p. 7" in kept.note_markup(doc.name, 4)
    assert any("ivanovEnvoys: key kept" in r and "ivanov1999envoys" in r for r in kept.reports)
    assert any(r.startswith("gone2000: no longer generated") for r in kept.reports)
    renamed = build_bibliography([doc], previous=previous, rekey=True)
    assert "ivanov1999envoys" in renamed.entries
    assert any("renamed" in r for r in renamed.reports)


def test_short_forms_find_names_with_particles_and_suffixes() -> None:
    from book.sources.model import Document, Note

    doc = Document(Path("plague.txt"), "plague")
    doc.notes = [
        Note(
            1,
            "Leopold von Ranke, The History of the Popes, trans. E. Foster, 3 vols. (London: Bohn, 1847), 1:73.",
            5,
        ),
        Note(2, "Samuel K. Cohn Jr., The Black Death Transformed (London: Arnold, 2002), 41.", 6),
        Note(3, "Ranke, History of the Popes, 2:14.", 7),
        Note(4, "Cohn, Black Death Transformed, 44.", 8),
        Note(5, "Cohn 2002, p. 45.", 9),
    ]
    result = build_bibliography([doc])
    assert len(result.entries) == 2  # two works, however often cited
    ranke, cohn = (result.note_markup("plague", n) for n in (1, 2))
    assert result.note_markup("plague", 3) == ranke.replace("1:73", "2:14")
    assert result.note_markup("plague", 4) == cohn.replace("p. 41", "p. 44")
    assert result.note_markup("plague", 5) == cohn.replace("p. 41", "p. 45")
    assert result.unresolved == []
