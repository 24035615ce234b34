"""The real book's index, its EPUB page list and its DOCX manuscript, read back from ``book_dist``.

* the index: every page of the text that names an indexed name (or a person's surname, or
  another form of a term) carries the locator, and every locator's page names the term;
  cross-references and sub-entries as the outline says, in page order;
* the EPUB: a page-list of the printed pages, every target there, each marker where its page
  begins;
* the DOCX: the notes of the EPUB as Word footnotes, the titles as Word headings, the
  bibliography with a hanging indent.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book.sources.indexterms import Matcher, book_glossary, index_spec
from book.sources.outline import load_outline

from . import docx_read
from .conftest import ROOT
from .pdf_index import Entry, joined, read_index, unindexed_pages, unnamed_locators
from .pdf_read import Page, read_pages

pytestmark = pytest.mark.edition
OUTLINE = load_outline(ROOT / "outline.toml")
NAME = OUTLINE.filename
SPEC = index_spec(OUTLINE, book_glossary(ROOT))


@pytest.fixture(scope="module")
def pdf(book_dist: Path) -> Path:
    return book_dist / f"{NAME}.pdf"


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[Page]:
    """The PDF's pages, read once for the module."""
    return read_pages(pdf)


@pytest.fixture(scope="module")
def entries(pdf: Path) -> list[Entry]:
    """The printed index, read once for the module."""
    return read_index(pdf)


@pytest.fixture(scope="module")
def epub(book_dist: Path) -> dict[str, str]:
    with zipfile.ZipFile(book_dist / f"{NAME}.epub") as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xhtml", ".opf"))
        }


def _bibliography_page(pages: list[Page]) -> str:
    return next(p.label for p in pages if p.label.isdigit() and p.body and p.body[0].text == "Bibliography")


# -- the index ------------------------------------------------------------------------------------


def test_every_page_naming_an_indexed_name_carries_its_locator(pages: list[Page], entries: list[Entry]):
    """Surnames ("Stalin"), other forms ("Mao", "KMT"), glossary terms in the text: all indexed."""
    missing = unindexed_pages(pages, entries, Matcher(SPEC), last=_bibliography_page(pages))
    assert missing == []


def test_every_locator_is_a_page_that_names_the_term(pages: list[Page], entries: list[Entry]):
    """Each locator's page names the heading, or a form of it (a surname alone, "KMT")."""
    assert len(entries) > 50 and sum(len(e.locators) for e in entries) > 200
    assert unnamed_locators(pages, entries, SPEC["forms"]) == []


def test_a_longer_name_is_no_hit_and_surnames_index_the_person(pages: list[Page], entries: list[Entry]):
    texts = {p.label: joined(p.text) for p in pages}
    gulf = [label for label, text in texts.items() if "Peter the Great Gulf" in text]
    assert gulf, "the text names the Peter the Great Gulf"
    index = {(e.heading, e.sub): e for e in entries}
    assert not set(gulf) & set(index[("Peter the Great", "")].locators)
    last = int(_bibliography_page(pages))
    alone = {
        label
        for label, text in texts.items()
        if label.isdigit()
        and int(label) < last
        and re.search(r"\bStalin\b", text)
        and "Joseph Stalin" not in text
    }
    assert alone and alone <= set(index[("Stalin, Joseph", "")].locators)


def test_cross_references_and_topics_as_the_outline_says(entries: list[Entry]):
    see = {e.heading: e.see for e in entries if e.see}
    also = {e.heading: e.see_also for e in entries if e.see_also}
    assert see == {"KMT": "Kuomintang", "CPC": "CCP"}
    assert also["Manchuria"] == "Chinese Eastern Railway" and also["Treaty of Kyakhta"] == "Kyakhta"
    subs = [e for e in entries if e.heading == "Manchuria" and e.sub]
    assert [e.sub for e in subs] == list(OUTLINE.index_topics["Manchuria"]), "sub-entries in page order"
    firsts = [min(int(p) for p in e.locators) for e in subs]
    assert firsts == sorted(firsts)
    titles = {title for title, level in OUTLINE.headings.items() if level == 2}
    assert not any(e.sub in titles for e in entries), "no chapter title is a sub-entry"


def test_html_index_links_and_sub_entries_in_reading_order(book_dist: Path):
    soup = BeautifulSoup((book_dist / "html" / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    item = next(
        li for li in soup.select("table.indextable li") if li.contents[0].get_text().strip() == "Manchuria"
    )
    subs = [" ".join(li.get_text(" ").split()).split(" ,")[0] for li in item.select("ul li")]
    assert (
        subs[:4] == list(OUTLINE.index_topics["Manchuria"]) and subs[-1] == "see also Chinese Eastern Railway"
    )
    stalin = next(
        li for li in soup.select("table.indextable li") if li.get_text().startswith("Stalin, Joseph")
    )
    docs = [a["href"].split("#")[0] for a in stalin.find_all("a", recursive=False)]
    assert (
        docs[:2] == ["chapters/summary.html", "chapters/summary.html"]
        and "chapters/introduction.html" in docs
    )


# -- the EPUB's page list --------------------------------------------------------------------


def _page_list(epub: dict[str, str]) -> list[tuple[str, str]]:
    nav = re.search(r'<nav epub:type="page-list".*?</nav>', epub["nav.xhtml"], re.S)
    assert nav, "no page-list in the navigation document"
    return [(label, href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group())]


def test_epub_page_list_has_the_printed_pages_and_every_target(epub: dict[str, str], pages: list[Page]):
    listed = _page_list(epub)
    printed = [p.label for p in pages]
    assert len({label for label, _ in listed} & set(printed)) >= 0.95 * len(printed)
    assert [label for label, _ in listed] == [p for p in printed if p in dict(listed)], "in print order"
    for label, href in listed:
        name, _, anchor = href.partition("#")
        assert f'id="{anchor}"' in epub[name], href
        marker = re.search(rf'<span [^>]*id="{re.escape(anchor)}"[^>]*>', epub[name]).group()
        assert 'epub:type="pagebreak"' in marker and 'role="doc-pagebreak"' in marker
        assert f'aria-label="{label}"' in marker
    opf = epub["content.opf"]
    assert re.search(r'<dc:source id="page-source">urn:uuid:[0-9a-f-]+</dc:source>', opf)
    assert "pageNavigation" in opf and "pageBreakMarkers" in opf


def test_epub_page_markers_stand_where_the_printed_page_begins(epub: dict[str, str], pages: list[Page]):
    """A marker inside a paragraph is followed by words printed on its page."""
    texts = {p.label: re.sub(r"\s", "", joined(p.text)) for p in pages}
    checked = right = 0
    for text in epub.values():
        for match in re.finditer(r'aria-label="([^"]+)"></span>', text):
            opened = max((m.start() for m in re.finditer(r"<p[ >]", text[: match.start()])), default=-1)
            if opened <= text.rfind("</p>", 0, match.start()):
                continue  # a marker before a title, or for a page without text of its own
            paragraph = text[match.end() : text.find("</p>", match.end())]
            following = BeautifulSoup(paragraph, "html.parser").get_text(" ")
            words = re.sub(r"\s", "", " ".join(following.split()[:4]))
            checked += 1
            right += words[:20] in texts[match.group(1)]
    assert checked > 15 and right >= 0.9 * checked, f"{right} of {checked}"


# -- the DOCX manuscript ---------------------------------------------------------------------


def _epub_notes(path: Path) -> list[str]:
    notes = []
    with zipfile.ZipFile(path) as archive:
        opf = archive.read("content.opf").decode()
        items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
        for idref in re.findall(r'<itemref idref="([^"]+)"', opf):
            soup = BeautifulSoup(archive.read(items[idref]), "html.parser")
            for aside in soup.select("aside.footnote"):
                for label in aside.select(".label"):
                    label.extract()
                notes.append(re.sub(r"\s", "", aside.get_text()))
    return notes


def test_docx_notes_are_word_footnotes_and_the_same_as_the_epub(book_dist: Path):
    docx = book_dist / f"{NAME}.docx"
    notes = [re.sub(r"\s", "", note) for note in docx_read.footnotes(docx)]
    epub = _epub_notes(book_dist / f"{NAME}.epub")
    assert len(epub) > 50 and notes == epub
    assert docx_read.footnote_marks(docx) == len(notes)


def test_docx_titles_are_word_headings_and_works_cited_hang(book_dist: Path):
    docx = book_dist / f"{NAME}.docx"
    paragraphs = docx_read.paragraphs(docx)
    headings: dict[str, list[str]] = {}
    for style, text in paragraphs:
        if style.startswith("Heading"):
            headings.setdefault(style, []).append(text.replace("\u2019", "'"))
    parts = [t for t, level in OUTLINE.headings.items() if level == 1]
    chapters = [t for t, level in OUTLINE.headings.items() if level == 2]
    assert set(parts) <= set(headings["Heading1"]) and set(chapters) <= set(headings["Heading2"])
    assert {"Glossary", "Bibliography"} <= set(headings["Heading2"]) and "Works Cited" in headings["Heading3"]
    assert sum(1 for style, _ in paragraphs if style == "Bibliography") > 60
    indent = docx_read.indent(docx, "Bibliography")
    assert int(indent["hanging"]) > 0 and indent["left"] == indent["hanging"]
