"""The printed book read back page by page: front matter, page design, numbering, the index."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.sources.outline import load_outline

from .conftest import ROOT
from .pdf_index import read_index
from .pdf_read import Page, normalized, read_pages

pytestmark = pytest.mark.edition
OUTLINE = load_outline(ROOT / "outline.toml")
NAME = OUTLINE.filename
ROMAN = re.compile(r"^[ivxlc]+$")


@pytest.fixture(scope="module")
def pdf(book_dist: Path) -> Path:
    return book_dist / f"{NAME}.pdf"


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[Page]:
    return read_pages(pdf)


def first_body_page(pages: list[Page]) -> Page:
    return next(p for p in pages if p.label == "1")


# -- front matter ------------------------------------------------------------------------------


def test_page_labels_roman_then_arabic_from_one_and_unique(pages: list[Page]):
    labels = [p.label for p in pages]
    assert len(set(labels)) == len(labels), "a page label repeats"
    body = labels.index("1")
    assert body >= 4 and all(ROMAN.match(label) for label in labels[:body])
    assert labels[body:] == [str(n) for n in range(1, len(labels) - body + 1)]
    assert body % 2 == 0, "page 1 must be a recto"


def test_half_title_then_title_page(pages: list[Page]):
    half = pages[0]
    assert [ln.text for ln in half.lines] == [OUTLINE.title]
    title_page = next(p for p in pages[1:4] if p.lines)
    text = " ".join(ln.text for ln in title_page.lines)
    assert title_page.lines[0].text == OUTLINE.title
    assert OUTLINE.subtitle in text and OUTLINE.author in text and OUTLINE.publisher.upper() in text.upper()
    assert not re.search(r"\b20\d\d\b", text), "the title page prints no date"


def test_copyright_page(pages: list[Page]):
    page = next(p for p in pages if ROMAN.match(p.label) and "Printing" in p.text)
    text = normalized(page.text)
    assert page.label == "iv"
    assert f"© 2026 {OUTLINE.rights_holder}." in text
    assert f"Published by {OUTLINE.publisher}" in text
    assert f"Edition {OUTLINE.edition}" in text
    assert "23 November 2026" in text  # outline.toml's date, not the day of the build
    for document in OUTLINE.documents:  # the sources by their attribution, not by file name
        assert document.name not in text
    assert "History of Sino-Russian Relations" in text  # the summary's own title


def test_contents_in_front_matter(pages: list[Page]):
    contents = next(p for p in pages if p.body and p.body[0].text == "Contents")
    assert ROMAN.match(contents.label)


# -- page design ---------------------------------------------------------------------------------


def test_blank_pages_are_few_and_bare(pages: list[Page]):
    blank = [p for p in pages if p.blank]
    assert len(blank) <= 0.10 * len(pages), [p.label for p in blank]
    bare = [p.label for p in blank if p.lines]
    assert not bare, f"blank pages with a head or folio: {bare}"


def test_running_heads_book_title_on_versos_chapter_on_rectos(pages: list[Page]):
    headed = [p for p in pages if p.head and not ROMAN.match(p.label)]
    assert len(headed) > len(pages) / 4  # chapter openers carry only a folio at the foot
    for page in headed:
        folio, *title = page.head if page.head[0].text.isdigit() else page.head[::-1]
        assert folio.text == page.label, f"p. {page.label}: folio {folio.text}"
        title_text = " ".join(ln.text for ln in title)
        if int(page.label) % 2 == 0:
            assert title_text == OUTLINE.title, f"verso {page.label}: {title_text}"
            assert folio.x < page.width / 3, "verso folio at the outer (left) edge"
        else:
            assert title_text and title_text != OUTLINE.title, f"recto {page.label}: {title_text}"
            assert folio.x > page.width * 2 / 3, "recto folio at the outer (right) edge"


def test_folios_never_share_a_line_with_text(pages: list[Page]):
    for page in pages:
        for line in page.foot:
            assert line.text == page.label, f"p. {page.label}: footer line {line.text!r}"


def test_parts_and_chapters_unnumbered_everywhere(pages: list[Page], book_dist: Path):
    text = "\n".join(p.text for p in pages)
    assert not re.search(r"\b(Chapter|Part) [0-9IVX]+\b", text)
    contents = "\n".join(p.text for p in pages if ROMAN.match(p.label))
    for title in ("Glossary", "Timeline", "Bibliography", "Index"):
        assert re.search(rf"^{title}\b", contents, re.M), title
    soup = BeautifulSoup((book_dist / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for link in soup.select("nav a, .toctree-wrapper a"):
        assert not re.match(r"^\d+(\.\d+)*\.? ", link.get_text(strip=True)), link.get_text(strip=True)


def test_back_matter_has_no_part_page(pages: list[Page]):
    assert not any(ln.text == "Back Matter" for p in pages for ln in p.lines)


# -- print-ready ---------------------------------------------------------------------------------


def test_metadata_in_info_and_xmp(pdf: Path):
    reader = PdfReader(pdf)
    info = reader.metadata
    assert info.title == OUTLINE.full_title
    assert info.author == OUTLINE.author
    assert info.subject == OUTLINE.subtitle
    assert "Mao Zedong" in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == OUTLINE.language
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    for value in (OUTLINE.full_title, OUTLINE.author, "Mao Zedong", f">{OUTLINE.language}<"):
        assert value in xmp, value


def test_text_and_links_are_black(pdf: Path):
    reader = PdfReader(pdf)
    colours = set()
    for page in reader.pages:
        data = page.get_contents().get_data().decode("latin-1")
        colours |= set(re.findall(r"([\d.]+ [\d.]+ [\d.]+) (?:rg|RG)\b", data))
    neutral = {c for c in colours if len({float(v) for v in c.split()}) == 1}  # black, greys, white
    assert colours == neutral and "0 0 0" in colours, colours - neutral


# -- index ---------------------------------------------------------------------------------------


# Every locator's page names its term, every page naming a term has its locator:
# tests/test_indexer_editions.py.


def test_index_inverts_personal_names_and_has_sub_entries(pdf: Path):
    entries = read_index(pdf)
    headings = {e.heading for e in entries}
    assert {"Stalin, Joseph", "Khrushchev, Nikita", "Mao Zedong", "Peter the Great"} <= headings
    assert "Joseph Stalin" not in headings
    assert sum(1 for e in entries if e.heading == "Manchuria" and e.sub) >= 3


def test_index_in_the_body_font(pdf: Path, pages: list[Page]):
    reader = PdfReader(pdf)
    start = next(p for p in reversed(pages) if p.body and p.body[0].text == "Index")
    for page in reader.pages[start.number - 1 :]:
        fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
        assert not any("Mono" in f for f in fonts), fonts


def test_index_in_html_and_epub_links_to_the_paragraph(book_dist: Path):
    page = book_dist / "html" / "genindex.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = [a for a in soup.select("table.indextable a") if "Stalin, Joseph" in a.get_text()]
    links = links or [a for a in soup.select("table.indextable li") if "Stalin, Joseph" in a.get_text()]
    assert links, "no Stalin, Joseph in genindex.html"
    anchors = soup.select("table.indextable a[href*='#index-']")
    assert len(anchors) > 60
    for a in anchors[:20]:
        target, _, fragment = a["href"].partition("#")
        html = (page.parent / target).read_text(encoding="utf-8")
        assert f'id="{fragment}"' in html, a["href"]
    listing = subprocess.run(
        ["unzip", "-l", str(book_dist / f"{NAME}.epub")], capture_output=True, text=True, check=True
    ).stdout
    assert "genindex.xhtml" in listing


def test_no_page_holds_only_notes(pages: list[Page]):
    """Notes are set smaller than the text: every page of the text has lines of text size."""
    heights = Counter(round(ln.height, 1) for p in pages for ln in p.body if not ROMAN.match(p.label))
    text_size = heights.most_common(1)[0][0]
    for page in pages:
        if page.body and not ROMAN.match(page.label):
            assert any(ln.height >= text_size - 1 for ln in page.body), f"p. {page.label}: notes only"
