"""The real book, built once per test run into a temporary folder, read back edition by edition."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.sources.model import Paragraph
from book.sources.outline import load_outline
from book.sources.reader import read_document

from .conftest import ARTICLE, ROOT, SUMMARY
from .text_measure import coverage, epub_files, html_site_text, pdf_text

pytestmark = pytest.mark.edition
OUTLINE = load_outline(ROOT / "outline.toml")
NAME = OUTLINE.filename
MARKS = 62


@pytest.fixture(scope="module")
def dist(book_dist: Path) -> Path:
    return book_dist


@pytest.fixture(scope="module")
def pdf(dist: Path) -> str:
    return pdf_text(dist / f"{NAME}.pdf")


@pytest.fixture(scope="module")
def epub(dist: Path) -> dict[str, str]:
    return epub_files(dist / f"{NAME}.epub")


def source_paragraphs() -> list[str]:
    return [
        b.text for path in (SUMMARY, ARTICLE) for b in read_document(path).blocks if isinstance(b, Paragraph)
    ]


def chapter_pages(dist: Path) -> list[Path]:
    return sorted((dist / "html" / "chapters").glob("*.html"))


def html_notes(page: Path) -> list[str]:
    """The footnote numbers of a page, in reading order of their references."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    # sphinx-book-theme turns each footnote into a margin note: a numbered label, then the note.
    refs = soup.select("article a.footnote-reference, article label.margin-toggle[for^=sidenote-role]")
    return [r.get_text(strip=True).strip("[]") for r in refs]


# -- all editions --------------------------------------------------------------------------


def test_editions_are_in_dist(dist: Path):
    assert (dist / "html" / "index.html").is_file()
    assert (dist / f"{NAME}.pdf").stat().st_size > 100_000
    assert (dist / f"{NAME}.epub").stat().st_size > 50_000
    assert not any(p.name.endswith((".new", ".old")) for p in dist.parent.iterdir())


def test_landing_page_links_download_pdf_and_epub(dist: Path):
    soup = BeautifulSoup((dist / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.select("a[download]")}
    assert links == {f"downloads/{NAME}.pdf", f"downloads/{NAME}.epub"}
    for href in links:
        assert (dist / "html" / href).stat().st_size > 50_000


# -- notes -------------------------------------------------------------------------------------


def test_html_one_footnote_per_mark_numbered_per_chapter(dist: Path):
    total = 0
    for page in chapter_pages(dist):
        numbers = html_notes(page)
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)], page.name
        total += len(numbers)
    assert total == MARKS


def test_epub_notes_are_noterefs_and_footnote_asides(epub: dict[str, str]):
    refs = sum(len(re.findall(r'epub:type="noteref"', text)) for text in epub.values())
    notes = sum(len(re.findall(r'<aside[^>]*epub:type="footnote"', text)) for text in epub.values())
    assert refs == notes == MARKS


def test_pdf_has_the_notes_text(pdf: str):
    flat = " ".join(pdf.split())
    # Note 6 (commentary), notes 16 and 17 (quoted passages), note 32 (a short cite)
    for phrase in (
        "largely a summary of",
        "Probably the first clash",
        "raided three Russian villages",
        "Deasy",
    ):
        assert phrase in flat, phrase
    assert "Routledge" in flat  # Alex Marshall's first citation is the full note


def test_pdf_footnotes_are_real_footnotes(dist: Path):
    tex = next((dist.parent / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert tex.count(r"\begin{footnote}") == MARKS


# -- text -------------------------------------------------------------------------------------


def test_every_paragraph_is_in_the_html(dist: Path):
    share, per = coverage(source_paragraphs(), html_site_text(dist / "html"))
    assert share >= 0.98, f"{share:.3f}; weakest: {sorted(per)[:3]}"


def test_every_paragraph_is_in_the_pdf(pdf: str):
    share, per = coverage(source_paragraphs(), pdf)
    assert share >= 0.95, f"{share:.3f}; weakest: {sorted(per)[:3]}"


def test_web_cruft_is_not_in_the_book(dist: Path, pdf: str):
    site = html_site_text(dist / "html")
    for text in (site, pdf):
        assert "Read more about" not in text and "Gertrude Stein" not in text


# -- PDF -------------------------------------------------------------------------------------


def test_pdf_metadata_bookmarks_and_fonts(dist: Path):
    reader = PdfReader(dist / f"{NAME}.pdf")
    meta = reader.metadata
    assert meta.title == OUTLINE.full_title and meta.author == OUTLINE.author
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Imperial period" in top and "1755–1917" in top  # unnumbered, as in the EPUB and HTML
    log = next((dist.parent / "_build" / "latex").glob("*.log")).read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert "write18 enabled" not in log  # no shell escape, not even TeX Live's restricted one


def test_pdf_renders_special_characters(pdf: str):
    for text in ("Chʻing", "Sükhbaatar", "1755–1917"):
        assert text in pdf, text


# -- EPUB ------------------------------------------------------------------------------------


def test_epub_metadata(epub: dict[str, str]):
    opf = next(text for name, text in epub.items() if name.endswith(".opf"))
    for tag in (
        "dc:title",
        "dc:creator",
        "dc:language",
        "dc:identifier",
        "dc:date",
        "dc:rights",
        "dc:description",
    ):
        assert re.search(rf"<{tag}[^>]*>[^<]+</{tag}>", opf), tag
    assert "Prior to the 1600s" in opf  # the summary is the e-book's description


# -- HTML --------------------------------------------------------------------------------------


def test_html_search_index_has_the_text(dist: Path):
    index = (dist / "html" / "searchindex.js").read_text(encoding="utf-8")
    assert "nerchinsk" in index.lower()
    assert (dist / "html" / "search.html").is_file()


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def test_html_search_works_in_chromium(dist: Path, tmp_path: Path):
    """The site's search (JavaScript) finds the chapters that name a treaty."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.fail("chromium is missing: run make (it installs Debian's chromium)")
    url = (dist / "html" / "search.html").as_uri() + "?q=Nerchinsk"
    proc = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    soup = BeautifulSoup(proc.stdout, "html.parser")
    results = [a.get_text(" ", strip=True) for a in soup.select("#search-results ul.search li a")]
    assert any("Treaty of Nerchinsk" in r or "South to the Amur" in r for r in results), proc.stdout[-2000:]


# -- the same notes in every edition -------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def html_note_texts(dist: Path) -> dict[str, list[str]]:
    """Chapter -> its notes' text, in order, from the HTML margin notes."""
    notes = {}
    for page in chapter_pages(dist):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        spans = soup.select("article span.sidenote")
        for span in spans:
            if span.sup:
                span.sup.decompose()
        if spans:
            notes[page.stem] = [_clean(s.get_text()) for s in spans]
    return notes


def epub_note_texts(epub: dict[str, str]) -> dict[str, list[str]]:
    notes = {}
    for name, text in epub.items():
        soup = BeautifulSoup(text, "html.parser")
        asides = soup.find_all("aside", attrs={"epub:type": "footnote"})
        for aside in asides:
            aside.find("span", class_="label").decompose()
        if asides:
            notes[Path(name).stem] = [_clean(a.get_text()) for a in asides]
    return notes


def test_notes_are_the_same_in_html_and_epub(dist: Path, epub: dict[str, str]):
    html = html_note_texts(dist)
    assert sum(len(v) for v in html.values()) == MARKS
    assert html == epub_note_texts(epub)


def test_pdf_notes_are_numbered_per_chapter_like_the_html(dist: Path):
    tex = next((dist.parent / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    per_chapter = [
        re.findall(r"\\begin\{footnote\}\[(\d+)\]", chunk) for chunk in re.split(r"\\(?:chapter|part)\{", tex)
    ]
    numbers = [[int(n) for n in chunk] for chunk in per_chapter if chunk]
    html = [len(v) for v in html_note_texts(dist).values()]
    assert sorted(len(n) for n in numbers) == sorted(html)
    assert all(n == list(range(1, len(n) + 1)) for n in numbers)


def test_notes_as_a_historian_expects(dist: Path):
    notes = html_note_texts(dist)
    game = next(v for k, v in notes.items() if "great-game" in k)
    marshall = [n for n in game if "Russian General Staff" in n]
    assert len(marshall) == 4
    assert "Routledge" in marshall[0] and marshall[0].endswith("78.")  # full on first mention
    assert [n.endswith(f"{p}.") for n, p in zip(marshall[1:], (79, 80, 85), strict=False)] == [True] * 3
    assert all("Routledge" not in n and n.startswith("Marshall,") for n in marshall[1:])  # short after
    intro = notes["introduction"]
    young = [n for n in intro if "Yuan Shih" in n]
    assert len(young) == 2 and "182" in young[0] and "182" in young[1]  # adjacent marks: two notes
    imperial = next(v for k, v in notes.items() if k.startswith("part-1-"))
    assert imperial[0].startswith("The section down to the Treaty of Nerchinsk is largely a summary of")
    encroach = next(v for k, v in notes.items() if "encroachment" in k)
    assert "Probably the first clash" in encroach[1] and "raided three Russian villages" in encroach[2]
    assert any(n.startswith("Deasy") and "356–57" in n for n in game)  # no full reference: still a note
