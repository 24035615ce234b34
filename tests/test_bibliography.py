"""Tests of book.commands.bibliography (dedup, keys, corrections, markup) and the bib/refs commands."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from book.commands.bibliography import book_bibliography, build_bibliography, entries_to_bibtex, write_bib
from book.errors import BookError
from book.references.bibkeys import key_candidates, resolve_collisions
from book.sources.model import Document, ListItem, Note
from book.sources.reader import read_document

from .conftest import ARTICLE, ROOT, SUMMARY, run_book

DOC = ARTICLE.stem


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [read_document(ARTICLE), read_document(SUMMARY)]


@pytest.fixture(scope="module")
def bib(docs: list[Document]):
    return build_bibliography(docs, corrections=ROOT / "bib-corrections.toml")


def _key(bib, number: int) -> str:
    markup = bib.note_markup(DOC, number)
    return markup.split("@", 1)[1].split(",", 1)[0].split("`", 1)[0].split("]", 1)[0]


def _doc(name: str, notes: list[str], further: list[str] | None = None) -> Document:
    doc = Document(Path(f"{name}.txt"), name)
    doc.notes = [Note(i + 1, t, i + 1) for i, t in enumerate(notes)]
    if further:
        doc.lists["Further reading"] = [ListItem(t, i + 1) for i, t in enumerate(further)]
    return doc


def test_one_entry_per_work(bib) -> None:
    assert len({_key(bib, n) for n in (23, 24, 25, 26)}) == 1  # Alex Marshall
    assert _key(bib, 3) == _key(bib, 4) == "young1977presidency"
    assert len({_key(bib, n) for n in (16, 17, 40)}) == 1  # Breidenbach p. 89, p. 90
    assert _key(bib, 9) == _key(bib, 12) == "perdue2010boundaries"  # written differently
    assert bib.entries["perdue2010boundaries"]["volume"] == "43"  # merged from note 9
    further = dict(
        (text.split(".")[0].split(" (")[0], key) for key, text in bib.reading_list(DOC, "Further reading")
    )
    assert further["Elleman, Bruce"] == _key(bib, 44) == "elleman2016diplomacy"
    assert further["Cheng, Tianfang"] == _key(bib, 43)
    assert further["Fischer, Louis"] == _key(bib, 42)
    assert bib.entries[_key(bib, 43)]["publisher"] == "Public Affairs Press"  # filled from the list


def test_typed_entries_and_fields(bib) -> None:
    e = bib.entries
    assert e["young1977presidency"]["ENTRYTYPE"] == "book" and "pages" not in e["young1977presidency"]
    assert e["shioya2019treaty"]["ENTRYTYPE"] == "article" and e["shioya2019treaty"]["pages"] == "147--158"
    assert e["zhang2010sino"]["ENTRYTYPE"] == "incollection"
    assert e["po2013conceptualizing"]["ENTRYTYPE"] == "thesis"  # "(Thesis)": no degree invented
    assert e["po2013conceptualizing"]["type"] == "thesis"
    assert e["moslems1951urged"] == {
        "ENTRYTYPE": "article",
        "title": "Moslems Urged To Resist Russia",
        "journal": "Christian Science Monitor",
        "year": "1951",
        "date": "1951-09-25",
        "urldate": "2017-07-06",
        "note": "archived from the original on November 4, 2012",
    }
    assert e["marshall2006russian"]["date"] == "2006-11-22"
    assert (
        e["international1996atlas"]["author"]
        == "{International Council for Philosophy and Humanistic Studies}"
    )
    assert "isbn" not in e["krausse1899russia"]


def test_note_markup(bib) -> None:
    assert bib.note_markup(DOC, 3) == "{cite}`@young1977presidency, pp. 182, 183`"
    assert bib.note_markup(DOC, 24) == "{cite}`@marshall2006russian, p. 79`"
    assert bib.note_markup(DOC, 6) == (
        "{note}`The section down to the Treaty of Nerchinsk is largely a summary of [@march1996eastern], "
        "who in turn summarizes [@mancall1971russia].`"
    )
    # a comma sets off the citation whose remark ("OCR reprint") would read as the subject
    assert bib.note_markup(DOC, 10) == "{note}`[@bell1808travels], has a record of this journey.`"
    assert bib.entries["bell1808travels"]["note"] == "OCR reprint"
    assert bib.note_markup(DOC, 16).startswith(  # the quoted passage is set as a quotation
        "{note}`[@breidenbach2005china, p. 89]. “Probably the first clash"
    )
    assert bib.note_markup(DOC, 16).endswith("removed from Askold Island …”`")  # no dangling comma
    assert "‘Manzy’" in bib.note_markup(DOC, 16)  # nested quotes single
    assert bib.note_markup(DOC, 17).startswith("{note}`[@breidenbach2005china, p. 90]. “… in the Gulf")
    assert bib.note_markup(DOC, 36) == "{cite}`@ananich2005sergei, pp. 109–131`"  # short cite keeps pages
    assert bib.note_markup(DOC, 32) == "{cite}`@deasy1901, pp. 356–357`"
    for n in range(1, 61):
        markup = bib.note_markup(DOC, n)
        assert (
            "CS1" not in markup
            and "{{" not in markup
            and "Retrieved" not in markup
            and "Wayback" not in markup
        )


def test_words_of_lost_links_are_kept(bib) -> None:
    """ "online", "excerpt" ... whose URLs are gone stay the source's remark: after the citation
    in a note, in the annotation of a reading-list item, with the archive remark they label."""
    assert bib.note_markup(DOC, 9) == "{cite}`@perdue2010boundaries, online`"
    assert bib.note_markup(DOC, 37) == "{cite}`@miller1904russian, online`"
    assert bib.note_markup(DOC, 12) == "{cite}`@perdue2010boundaries`"  # the source says it in note 9 only
    e = bib.entries
    assert "annotation" not in e["perdue2010boundaries"]  # a note's remark is not the work's
    assert e["urbansky2020beyond"]["annotation"] == "a comprehensive history; excerpt"
    assert e["cheng1957history"]["annotation"] == "online free"
    assert e["miller2021we"]["annotation"] == "online book review"
    assert e["ananich2005sergei"]["note"] == "online, archived August 9, 2019, at the Wayback Machine"
    assert e["jersild2014sino"]["note"] == "full text online, archived August 7, 2020, at the Wayback Machine"
    assert (
        "annotation" not in e["rozman1985mirror"] and "annotation" not in e["fischer1969russia"]
    )  # nothing added


def test_short_form_keeps_the_sources_short_title(bib) -> None:
    """Notes 36/37 ("Ananich and Lebedev, "Sergei Witte" pp. 109–131"): the source's short title
    becomes the work's, for the short notes; no other entry gets one it did not give."""
    assert bib.entries["ananich2005sergei"]["shorttitle"] == "Sergei Witte"
    assert [k for k, e in bib.entries.items() if "shorttitle" in e] == ["ananich2005sergei"]


def test_short_cite_without_full_reference_needs_editor(bib) -> None:
    # what the source gives, and no editorial query for the notes and Works cited to print
    assert bib.entries["deasy1901"] == {"ENTRYTYPE": "misc", "author": "Deasy", "year": "1901"}
    todo = dict(bib.needs_editor())
    assert "deasy1901" in todo and "krausse1899russia" in todo
    assert 'bib-corrections.toml: [KEY] title = "…"' in todo["deasy1901"]  # the fix
    assert "mauldin2022putin" not in todo  # fixed by bib-corrections.toml


def test_reading_list_keys(bib) -> None:
    primary = bib.reading_list(DOC, "Primary sources")
    assert [k for k, _ in primary] == ["radchenko2007summit", "westad1996fighting", None]
    assert bib.reading_list(SUMMARY.stem, "Further reading") == []


def test_escapes_in_commentary() -> None:
    doc = _doc(
        "x", ["Hans Müller, Die Russen am Amur, 1902, which has a note on [sic] emails like a@b and `code`."]
    )
    bib = build_bibliography([doc], corrections=None)
    assert bib.note_markup("x", 1) == (
        "{note}`[@muller1902russen], which has a note on \\[sic\\] emails like a\\@b and ʼcodeʼ.`"
    )


def test_keys_stable_when_an_entry_is_added(docs: list[Document]) -> None:
    before = build_bibliography(docs, corrections=None).entries
    extra = _doc(
        "extra",
        [
            "Perdue, Peter C. (2009). China Marches West: The Qing Conquest of Central Eurasia. Harvard University Press.",
            "Zhang, Wei (1999). A New Book on the Amur. Beijing: Example Press.",
            "Young, Ernest (1977). Another Work Entirely. Example Press.",
        ],
    )
    after = build_bibliography([*docs, extra], corrections=None).entries
    assert "zhang1999new" in after and "young1977another" in after
    assert all(key in after and after[key] == entry for key, entry in before.items())


def test_collisions_resolved_from_the_entries_themselves() -> None:
    a = {"author": "Smith, J.", "year": "2000", "title": "History of Siberia"}
    b = {"author": "Smith, J.", "year": "2000", "title": "History of Manchuria"}
    assert key_candidates(a)[0] == "smith2000history"
    assert resolve_collisions([a, b]) == ["smith2000historysiberia", "smith2000historymanchuria"]
    assert resolve_collisions([b, a]) == ["smith2000historymanchuria", "smith2000historysiberia"]


def test_corrections_applied_and_bad_key_is_an_error(docs: list[Document], tmp_path: Path) -> None:
    fix = tmp_path / "fix.toml"
    fix.write_text('[young1977presidency]\naddress = "Ann Arbor"\nremove = ["publisher"]\n', encoding="utf-8")
    entry = build_bibliography(docs, corrections=fix).entries["young1977presidency"]
    assert entry["address"] == "Ann Arbor" and "publisher" not in entry
    fix.write_text(
        '# comment\n\n[young1977presidency]\nyear = "1977"\n\n[nosuchkey2000]\nyear = "2000"\n',
        encoding="utf-8",
    )
    with pytest.raises(BookError) as info:
        build_bibliography(docs, corrections=fix)
    assert info.value.file == str(fix) and info.value.line == 6 and "nosuchkey2000" in str(info.value)


def test_committed_corrections_fix_note_58(bib) -> None:
    assert bib.entries["mauldin2022putin"]["author"] == (
        "Mauldin, William and Deng, Chao and Simmons, Ann M. and Gershkovich, Evan"
    )


def test_deterministic_and_committed_file_is_current(docs: list[Document], tmp_path: Path) -> None:
    one, two = tmp_path / "one.bib", tmp_path / "two.bib"
    write_bib(book_bibliography(docs, ROOT), one)
    write_bib(book_bibliography(list(docs), ROOT), two)
    assert one.read_bytes() == two.read_bytes()
    committed = (ROOT / "references-generated.bib").read_bytes()
    assert one.read_bytes() == committed, "run python -m book bib and commit"


def test_bibtex_is_readable_by_bibtexparser(bib) -> None:
    import bibtexparser

    library = bibtexparser.parse_string(entries_to_bibtex(bib.entries))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == list(bib.entries)


def test_refs_json_shape(tmp_path: Path) -> None:
    src = tmp_path / "refs.txt"
    src.write_text(
        "Young, Ernest (1977). The Presidency of Yuan Shih-K'ai. University of Michigan Press. pp. 182, 183.\n\n"
        'Shioya, Akifumi (2019). "The Treaty of Ghulja reconsidered". Journal of Eurasian Studies. 10 (2): 147–158.\n',
        encoding="utf-8",
    )
    proc = run_book("refs", str(src), "--json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [set(r) for r in rows] == [{"entry", "locator"}] * 2
    assert rows[0]["entry"]["ENTRYTYPE"] == "book" and rows[0]["entry"]["ID"] == "young1977presidency"
    assert rows[0]["locator"] == "pp. 182, 183" and rows[1]["locator"] == ""
    assert rows[1]["entry"]["pages"] == "147--158"
    plain = run_book("refs", str(src))
    assert (
        plain.stdout.startswith("@book{young1977presidency,") and "@article{shioya2019treaty," in plain.stdout
    )


def test_refs_garbage_lines_become_misc_with_warning(tmp_path: Path) -> None:
    src = tmp_path / "refs.txt"
    src.write_text(
        "this line is only prose, which is not a reference of any kind.\n~~ ## ~~\n", encoding="utf-8"
    )
    proc = run_book("refs", str(src), "--json")
    assert proc.returncode == 0
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["entry"]["ENTRYTYPE"] for r in rows] == ["misc", "misc"]
    assert "prose" in rows[0]["entry"]["note"]
    assert proc.stderr.count("warning:") == 2 and "Traceback" not in proc.stderr


def test_refs_non_utf8_file_is_one_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "latin1.txt"
    src.write_bytes("Müller, Hans (1902). Die Russen am Amur.\n".encode("latin-1"))
    proc = run_book("refs", str(src))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and str(src) in errors[0] and "UTF-8" in errors[0]
