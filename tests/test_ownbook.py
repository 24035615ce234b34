"""Any author's own book: ``python -m book new``, hand-written chapters, real bibliography files.

Unit tests read the files `new` writes, the contents of a book of hand-written chapters, and
the bibliography files of ``tests/roots/ownbook/`` (crossref, xdata, @string and ``#``, month
macros, BibLaTeX dates, a duplicate key, a crossref to no entry, CSL-JSON and CSL-YAML). The
``sphinx`` tests build a new book with `make`, and the root book, and read the editions back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from book.citations.bibtex import BibDatabase, load_bibfiles, parse_bibtex
from book.citations.engine import parse_result, render
from book.citations.inlines import plain_text
from book.errors import BookError
from book.sources.contents import hand_chapters, write_contents
from book.sources.outline import load_outline

from .conftest import ROOT, run_book

OWN = ROOT / "tests" / "roots" / "ownbook"


def _copy(tmp_path: Path) -> Path:
    book = tmp_path / "ownbook"
    shutil.copytree(OWN, book, ignore=shutil.ignore_patterns("_build", "dist", "index.md", "bibliography.md"))
    return book


def _database() -> BibDatabase:
    return load_bibfiles([OWN / "references.bib", OWN / "references.json"])


# --- python -m book new ---------------------------------------------------------------------


def test_new_makes_a_book_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my-book"
    proc = run_book("new", str(folder), "--title", "Rivers & Empires", "--author", "A. Historian",
                    "--language", "fr")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for name in ("outline.toml", "conf.py", "chapters/01-introduction.md", "references.bib", "README.md",
                 "Makefile", "index.md"):  # fmt: skip
        assert (folder / name).is_file(), name
    outline = load_outline(folder / "outline.toml")
    assert (outline.title, outline.author, outline.language) == ("Rivers & Empires", "A. Historian", "fr")
    assert outline.documents == [] and outline.filename == "rivers-empires"
    assert "@" not in (folder / "references.bib").read_text(encoding="utf-8")  # empty: no entry
    assert not (folder / "chapters" / "bibliography.md").exists()  # nothing cited yet
    assert f"PY ?= {sys.executable}" in (folder / "Makefile").read_text(
        encoding="utf-8"
    )  # the tool's own Python
    assert "chapters/01-introduction" in (folder / "index.md").read_text(encoding="utf-8")
    assert not list(folder.glob("*.toml"))[1:] and not (folder / "bib-corrections.toml").exists()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine\n", encoding="utf-8")
    proc = run_book("new", str(tmp_path / "taken"))
    assert proc.returncode == 1
    assert "taken: error: the folder is not empty (1 item)" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]  # nothing written
    bad = run_book("new", str(tmp_path / "x"), "--language", "not a tag")
    assert bad.returncode == 1 and "--language must be a language tag" in bad.stderr


def test_help_lists_new() -> None:
    proc = run_book("--help")
    assert re.search(r"^\s+new\s+start a new book", proc.stdout, re.M), proc.stdout


# --- the contents of a book of hand-written chapters ----------------------------------------


def test_chapters_in_file_name_order_or_as_listed(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    outline = load_outline(book / "outline.toml")
    assert hand_chapters(outline, book / "chapters") == ["a-steppe", "b-rivers", "c-archives"]
    written = write_contents(outline)
    assert written == [book / "chapters" / "bibliography.md", book / "index.md"]
    toc = (book / "index.md").read_text(encoding="utf-8")
    assert toc.index("chapters/a-steppe") < toc.index("chapters/b-rivers") < toc.index("chapters/c-archives")
    assert toc.index("chapters/c-archives") < toc.index("chapters/bibliography")  # last
    listed = (book / "outline.toml").read_text(
        encoding="utf-8"
    ) + '\n[chapters]\norder = ["c-archives", "a-steppe"]\n'
    (book / "outline.toml").write_text(listed, encoding="utf-8")
    outline = load_outline(book / "outline.toml")
    assert hand_chapters(outline, book / "chapters") == ["c-archives", "a-steppe"]  # the list rules
    write_contents(outline)
    toc = (book / "index.md").read_text(encoding="utf-8")
    assert "b-rivers" not in toc and toc.index("c-archives") < toc.index("a-steppe")
    (book / "outline.toml").write_text(
        listed.replace('"a-steppe"]', '"a-steppe", "d-missing"]'), encoding="utf-8"
    )
    with pytest.raises(BookError, match=r"\[chapters\] order lists 'd-missing'") as error:
        write_contents(load_outline(book / "outline.toml"))
    assert error.value.line == listed.splitlines().index('order = ["c-archives", "a-steppe"]') + 1


def test_bibliography_page_only_when_something_is_cited(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    page = book / "chapters" / "bibliography.md"
    write_contents(load_outline(book / "outline.toml"))
    text = page.read_text(encoding="utf-8")
    assert ":cited:" in text and "% heading: the style's and the language's" in text
    for chapter in ("a-steppe", "b-rivers"):  # no citation left (one stays in a comment)
        (book / "chapters" / f"{chapter}.md").write_text("# Plain\n\nNo citation.\n", encoding="utf-8")
    write_contents(load_outline(book / "outline.toml"))
    assert not page.exists()
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8") + '\n[bibliography]\nlist = "all"\ntitle = "Sources"\n',
                       encoding="utf-8")  # fmt: skip
    write_contents(load_outline(outline))
    text = page.read_text(encoding="utf-8")
    assert ":all:" in text and "# Sources" in text and "% heading" not in text
    (book / "chapters" / "mine.md").write_text("# Works\n\n```{bibliography}\n:all:\n```\n", encoding="utf-8")
    write_contents(load_outline(outline))
    assert not page.exists()  # the author's own bibliography page stands for it


# --- bibliography files as authors have them --------------------------------------------------


def test_crossref_inherits_as_biber_does() -> None:
    items = _database().items
    chapter = items["chapter1999"]
    assert chapter["type"] == "chapter"
    assert (
        chapter["container-title"] == 'Essays on the <span class="nocase">Kazakh</span> Steppe'
    )  # title → booktitle
    assert [e["family"] for e in chapter["editor"]] == ["Doe", "Roe"]  # the editors, inherited
    assert chapter["publisher"] == "Chapel Hill University Press"  # @string and #, inherited
    assert chapter["publisher-place"] == "Chapel Hill"
    assert chapter["issued"] == {"date-parts": [[1999, 3]]}  # year and month macro, inherited
    assert chapter["title"] == "Caravans" and chapter["page"] == "10-30"  # its own fields stay


def test_xdata_strings_dates_and_newspapers() -> None:
    items = _database().items
    assert items["perdue2005"]["publisher"] == "Harvard University Press"  # from @xdata
    assert items["perdue2005"]["publisher-place"] == "Cambridge, MA"
    assert "hupress" not in items  # @xdata is data, not a work
    assert items["perdue2010"]["container-title"] == "Journal of Steppe History"  # "…" # "…" # {…}
    assert items["perdue2010"]["issued"] == {"date-parts": [[2010]], "circa": True}  # 2010~
    assert items["hup2005"]["issued"] == {"date-parts": [[2005, 4]]}
    times = items["times1905"]
    assert times["type"] == "article-newspaper" and times["issued"] == {"date-parts": [[1905, 9, 6]]}
    assert times["accessed"] == {"date-parts": [[2020, 1, 2]]} and times["container-title"] == "The Times"
    assert items["zotero2014"]["title"] == "A Manuscript of the Steppe"  # CSL-JSON


def test_duplicate_key_is_a_warning_naming_both_places() -> None:
    database = _database()
    assert database.items["hup2005"]["title"] == "Presidency"  # the first definition is used
    text = (OWN / "references.bib").read_text(encoding="utf-8").splitlines()
    first, second = (n for n, line in enumerate(text, 1) if line.startswith("@book{hup2005"))
    duplicate = [p for p in database.problems if "duplicate key 'hup2005'" in p.message]
    assert len(duplicate) == 1 and duplicate[0].warning and duplicate[0].line == second
    assert f"first defined at {OWN / 'references.bib'}:{first}" in duplicate[0].message
    assert not database.errors  # nothing fails the build


def test_crossref_to_no_entry_is_a_warning_for_the_entries_used() -> None:
    database = _database()
    (problem,) = database.entry_warnings["chapter2003"]
    assert (
        problem.warning and "crossref 'nowhere2003'" in problem.message and "'chapter2003'" in problem.message
    )
    assert database.items["chapter2003"]["container-title"] == "Ports of Asia"  # kept without inheriting
    assert "uncited1990" in database.entry_warnings  # reported only if the book uses it
    assert not [p for p in database.problems if "crossref" in p.message]


def test_duplicate_keys_across_files_and_formats(tmp_path: Path) -> None:
    yaml = tmp_path / "references.yaml"
    yaml.write_text("---\nreferences:\n- id: perdue2005\n  type: book\n  title: A Third\n"
                    "- id: yaml2020\n  type: book\n  title: From YAML\n  author:\n"
                    "  - family: Perdue\n    given: Peter C\n...\n", encoding="utf-8")  # fmt: skip
    database = load_bibfiles([OWN / "references.bib", yaml])
    assert database.items["perdue2005"]["title"] == "China Marches West"
    (problem,) = [p for p in database.problems if "'perdue2005'" in p.message]
    assert problem.path == str(yaml) and problem.line == 3 and "references.bib:" in problem.message
    assert database.items["yaml2020"]["author"] == [{"family": "Perdue", "given": "Peter C."}]


def test_one_author_spelled_two_ways(tmp_path: Path) -> None:
    """ "Peter C" and "Peter C." are one author: an author-date style adds no given names to
    tell "them" apart, and MLA's bibliography replaces the name of his second work with a dash
    (with the two spellings: "(Peter C. Perdue 2005)", and the name twice)."""
    from book.citations.csl import resolve_style

    items = _database().items
    assert (
        items["perdue2005"]["author"]
        == items["perdue2010"]["author"]
        == [{"family": "Perdue", "given": "Peter C."}]
    )
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([items["perdue2005"], items["perdue2010"]]), encoding="utf-8")
    cites = [
        [{"t": "cite", "id": f"c{k}", "items": [{"key": k, "prefix": "", "suffix": ""}]}]
        for k in ("perdue2005", "perdue2010")
    ]

    def rendered(style: str) -> tuple[list[str], list[str]]:
        request = {"csl": str(resolve_style(style, ROOT)), "references": str(refs),
                   "units": [{"id": "b", "paras": cites, "bibliography": True}]}  # fmt: skip
        result = parse_result(render(request))
        notes = [plain_text(c.get("text") or c.get("note") or []) for c in result.citations.values()]
        return notes, [plain_text(e) for _, e in result.bibliographies["b"]]

    assert rendered("chicago-author-date")[0] == ["(Perdue 2005)", "(Perdue [2010?])"]
    assert rendered("modern-language-association")[1][1].startswith("———. China Marches West")


def test_unreadable_entries_name_line_and_cause(tmp_path: Path) -> None:
    text = (
        "@book{ok1, title = {Fine}}\n"  # 1
        "@book{open1,\n  title = {An unclosed {title},\n  year = 2000,\n}\n"  # 2-5
        "@book{comma1,\n  title = {No comma}\n  year = {2000},\n}\n"  # 6-9
        "@book{equals1,\n  title {No equals},\n}\n"  # 10-12
        '@book{quote1,\n  title = "An open quote,\n  year = 2000,\n}\n'  # 13-16
    )
    database = parse_bibtex(text, "refs.bib")
    found = {p.key: (p.line, p.message) for p in database.errors}
    assert (
        found["open1"][0] == 3
        and "unbalanced braces: the '{' opened at this line in field 'title'" in found["open1"][1]
    )
    assert "still open where field 'year' begins" in found["open1"][1]
    assert found["comma1"] == (
        8,
        "cannot read BibTeX entry 'comma1': a missing comma before field 'year' (after field 'title')",
    )
    assert found["equals1"][0] == 11 and "field 'title' has no '='" in found["equals1"][1]
    assert found["quote1"][0] == 14 and "unbalanced quotes" in found["quote1"][1]
    assert "ok1" in database.items and "?" not in " ".join(
        m for _, m in found.values()
    )  # causes, not guesses


def test_control_characters_and_undefined_strings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_text("@book{a, title = {Fine}}\n@book{b, title = {Bell\x07}}\n", encoding="utf-8")
    database = load_bibfiles([bad])
    (problem,) = database.errors
    assert (problem.line, problem.warning) == (2, False) and "control character U+0007" in problem.message
    assert not database.items  # the file is refused
    database = parse_bibtex("@book{c, title = nosuchstring # { Tail}, month = sept}\n", "x.bib")
    assert database.items["c"]["title"] == "nosuchstring Tail"
    assert "which no @string defines" in database.entry_warnings["c"][0].message


def test_csl_json_errors_name_their_line(tmp_path: Path) -> None:
    broken = tmp_path / "references.json"
    broken.write_text(
        '[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]\n', encoding="utf-8"
    )
    (problem,) = load_bibfiles([broken]).errors
    assert problem.line == 3 and "not CSL-JSON" in problem.message


# --- real builds ---------------------------------------------------------------------------


@pytest.mark.sphinx
def test_a_new_book_builds_three_editions_with_make(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    run_book("new", str(folder), "--title", "A Fresh Book", check=True)
    proc = subprocess.run(["make"], cwd=folder, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (folder / "dist" / "a-fresh-book.pdf").stat().st_size > 1000
    assert "fonts lack" not in proc.stderr, proc.stderr  # the example chapter's code: every glyph there
    assert (folder / "dist" / "a-fresh-book.epub").stat().st_size > 1000
    page = (folder / "dist" / "html" / "chapters" / "01-introduction.html").read_text(encoding="utf-8")
    assert "This is the first chapter." in page and "To cite a work" not in page  # comments stay out
    assert not list(folder.glob(".venv*")) and not (folder / "node_modules").exists()


def _notes(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", n)).split())
            for n in re.findall(r'<span class="sidenote">(.*?)</span>\s*</span>', html, re.S)]  # fmt: skip


def _entries(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", e)).split())
            for e in re.findall(r'<p class="csl-entry"[^>]*>(.*?)</p>', html, re.S)]  # fmt: skip


@pytest.mark.sphinx
def test_hand_written_book_with_real_bibliography_files(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    proc = run_book("publish", "html", cwd=book)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = book / "dist" / "html"
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 2, warnings  # the duplicate key, and the bad crossref of a cited entry
    assert any(
        re.match(
            r"references\.bib:\d+: WARNING: duplicate key 'hup2005': first defined at references\.bib:\d+", w
        )
        for w in warnings
    )
    assert any("'chapter2003' has crossref 'nowhere2003'" in w for w in warnings)
    assert not any("uncited1990" in w or "not cited" in w for w in warnings)  # uncited: silent
    page = html / "chapters" / "bibliography.html"
    assert re.search(r"<h1>Bibliography<", page.read_text(encoding="utf-8"))
    entries = _entries(page)
    assert len(entries) == 6 and "" not in entries  # the works cited only (the manuscript: notes only)
    assert (
        "Smith, John. “Caravans.” In Essays on the Kazakh Steppe, edited by Jane Doe and Richard Roe. Chapel Hill University Press, 1999."
        in entries
    )
    assert entries[1:3] == [
        "Perdue, Peter C. “Boundaries and Trade.” Journal of Steppe History 43 ([2010?]): 1–20.",
        "Perdue, Peter C. China Marches West. Harvard University Press, 2005.",
    ]  # one author, spelled two ways in the .bib: his works by title
    assert "Reporter, Anne. “Peace Signed at Portsmouth.” The Times (London), September 6, 1905." in entries
    assert _notes(html / "chapters" / "a-steppe.html")[1].startswith(
        "2John Doe, “A Manuscript of the Steppe,”"
    )
    order = re.findall(r'href="chapters/([a-z-]+)\.html"', (html / "index.html").read_text(encoding="utf-8"))
    assert list(dict.fromkeys(order)) == ["a-steppe", "b-rivers", "c-archives", "bibliography"]


@pytest.mark.sphinx
def test_style_language_and_listing_are_one_line_each(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    conf = book / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('"chicago-notes-bibliography"', '"apa"'), encoding="utf-8"
    )
    outline = book / "outline.toml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace('language = "en"', 'language = "fr"'), encoding="utf-8"
    )
    proc = run_book("publish", "html", cwd=book)
    assert proc.returncode == 0, proc.stderr
    page = book / "dist" / "html" / "chapters" / "bibliography.html"
    assert "<h1>Références<" in page.read_text(encoding="utf-8")  # APA's heading, in French
    assert any(e.startswith("Reporter, A. (1905, septembre 6). Peace Signed at Portsmouth. The Times")
               for e in _entries(page)), _entries(page)  # fmt: skip
    outline.write_text(
        outline.read_text(encoding="utf-8") + '\n[bibliography]\nlist = "all"\n', encoding="utf-8"
    )
    proc = run_book("publish", "html", cwd=book)
    assert proc.returncode == 0, proc.stderr
    assert len(_entries(page)) == 10  # every entry (the @xdata is none)


@pytest.mark.sphinx
def test_unknown_key_names_the_chapter_and_leaves_dist(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    run_book("publish", "html", cwd=book, check=True)
    before = {p: p.read_bytes() for p in (book / "dist").rglob("*") if p.is_file()}
    chapter = book / "chapters" / "c-archives.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nA claim.{cite}`@nosuchkey2000`\n", encoding="utf-8"
    )
    proc = run_book("publish", "html", cwd=book)
    assert proc.returncode == 1
    assert re.search(
        r"chapters/c-archives\.md:7: ERROR: unknown citation key 'nosuchkey2000'", proc.stderr
    ), proc.stderr
    assert {p: p.read_bytes() for p in (book / "dist").rglob("*") if p.is_file()} == before
