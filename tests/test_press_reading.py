"""The flagship's editions read back for issue 22's press and reader details: rights and sources
in every edition, one release date, the PDF's bookmarks and measure, citation tags, and the
HTML in Chromium at 390 to 2560 px in light and dark mode (axe-core, note marks, line length,
margin notes)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.editions.imprint import rights_line
from book.sources.outline import load_outline
from book.sources.rights import licence_of

from .conftest import ROOT
from .press_measure import PROBE, body_line_lengths

pytestmark = pytest.mark.edition
OUTLINE = load_outline(ROOT / "outline.toml")
NAME = OUTLINE.filename
LICENCE = licence_of(OUTLINE.licence)
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def html(book_dist: Path) -> Path:
    return book_dist / "html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


def site_pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


def chapter_pages(html: Path) -> list[Path]:
    return sorted((html / "chapters").glob("*.html"))


# -- the PDF -----------------------------------------------------------------------------------


def test_pdf_copyright_page_rights_licence_and_honest_sources(book_dist: Path):
    pdf = book_dist / f"{NAME}.pdf"
    pages = [p.extract_text() for p in PdfReader(pdf).pages[:6]]
    page = " ".join(next(p for p in pages if "Printing" in p).split())
    assert "© 2026 Sino-Russian Relations Book Project." in page
    assert f"CC BY-SA 4.0: {LICENCE.url}" in page
    assert "“History of Sino-Russian Relations.” Licence: not stated in the document." in page
    assert "An untitled document. Licence: not stated in the document." in page
    assert "“Archived from the original”" in page and "online encyclopedia" in page
    assert "23 November 2026" in page
    for gone in (".txt", "README", "documents/", "see README", "compiled from the source documents"):
        assert gone not in page, gone


def test_pdf_bookmarks_put_the_back_matter_at_the_top_level(book_dist: Path):
    tree = PdfReader(book_dist / f"{NAME}.pdf").outline
    top = [item.title for item in tree if not isinstance(item, list)]
    assert top[-5:] == ["Glossary", "Timeline", "Cite This Book", "Bibliography", "Index"], top
    at = next(
        i for i, item in enumerate(tree) if not isinstance(item, list) and item.title == "Russian Federation"
    )
    last_part = tree[at + 1]  # the part's children follow it
    assert [item.title for item in last_part if not isinstance(item, list)] == [
        "China and the Russian Federation"
    ]


def test_pdf_body_lines_hold_60_to_75_characters(book_dist: Path):
    lengths = body_line_lengths(book_dist / f"{NAME}.pdf")
    median = sorted(lengths)[len(lengths) // 2]
    assert len(lengths) > 200 and 60 <= median <= 75, median


def test_one_release_date_in_the_pdf_epub_and_html(book_dist: Path, html: Path):
    reader = PdfReader(book_dist / f"{NAME}.pdf")
    day = OUTLINE.date.replace("-", "")
    assert reader.metadata["/CreationDate"].startswith(f"D:{day}")
    assert (
        f"<xmp:CreateDate>{OUTLINE.date}T00:00:00Z</xmp:CreateDate>"
        in reader.xmp_metadata.stream.get_data().decode()
    )
    with zipfile.ZipFile(book_dist / f"{NAME}.epub") as archive:
        opf = archive.read("content.opf").decode()
    assert f"<dc:date>{OUTLINE.date}</dc:date>" in opf
    index = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select_one('meta[name="citation_publication_date"]')["content"] == OUTLINE.date.replace(
        "-", "/"
    )


# -- the EPUB ----------------------------------------------------------------------------------


def test_epub_rights_and_imprint_page(book_dist: Path):
    with zipfile.ZipFile(book_dist / f"{NAME}.epub") as archive:
        opf = archive.read("content.opf").decode()
        nav = archive.read("nav.xhtml").decode()
        imprint = archive.read("imprint.xhtml").decode()
    rights = re.search(r"<dc:rights>([^<]*)</dc:rights>", opf).group(1)
    assert rights == rights_line(OUTLINE).replace("&", "&amp;")
    ids = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [ids[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
    assert spine[:3] == ["epub-cover.xhtml", "imprint.xhtml", "index.xhtml"]
    assert '<a epub:type="copyright-page" href="imprint.xhtml">Copyright</a>' in nav
    assert f'href="{LICENCE.url}" rel="license"' in imprint and "Sources of the text" in imprint


# -- the HTML ----------------------------------------------------------------------------------


def test_html_footer_of_every_page_names_the_licence(html: Path):
    pages = site_pages(html)
    assert len(pages) > 25
    for path in pages:
        footer = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("p.book-rights")
        assert footer is not None, path
        assert footer.select_one('a[rel="license"]')["href"] == LICENCE.url, path
        assert footer.get_text().startswith("© 2026 Sino-Russian Relations Book Project."), path
    rights = (html / "imprint.html").read_text(encoding="utf-8")
    assert "online encyclopedia" in rights and "not stated in the document" in rights


def test_html_citation_tags_on_the_landing_page_and_every_chapter(html: Path):
    for path in [html / "index.html", *chapter_pages(html)]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tags = {m["name"]: m["content"] for m in soup.select('meta[name^="citation_"]')}
        assert tags["citation_author"] == OUTLINE.author, path.name
        assert tags["citation_publisher"] == OUTLINE.publisher and tags["citation_language"] == "en"
        assert tags["citation_publication_date"] == "2026/11/23"
        book_title = tags["citation_title"] if path.name == "index.html" else tags["citation_inbook_title"]
        assert book_title == OUTLINE.full_title, path.name
        assert soup.select_one('meta[property="og:image"]')["content"].endswith("_static/cover.png")


def test_axe_clean_in_dark_mode_at_390_and_1400_px_on_every_page(browser, html: Path):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for width in (390, 1400):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark")
        page = context.new_page()
        for path in site_pages(html):
            page.goto(path.as_uri())
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            # the theme fades its colours in: measure the page as it stands, not mid-transition
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in ("critical", "serious"):
                    found.append((width, path.name, v["id"], v["nodes"][0]["target"]))
        context.close()
    assert found == []


# Every chapter is opened once per width and measured once (PROBE: the widest body line, each
# visible margin note's distance below its mark, the marks that begin a line); the tests below
# read the measures.
WIDTHS = (390, 768, 1024, 1200, 1280, 1440, 2560)


@pytest.fixture(scope="module")
def probes(browser, html: Path) -> dict[int, dict[str, dict]]:
    """width -> chapter page -> {"widest", "far", "alone", "marks", "listed"}."""
    measured: dict[int, dict[str, dict]] = {}
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        measured[width] = {}
        for path in chapter_pages(html):
            page.goto(path.as_uri())
            probe = page.evaluate(PROBE)
            probe["marks"] = page.locator("a.book-note-mark").count()
            probe["listed"] = page.locator("section.book-notes li:visible").count()
            measured[width][path.name] = probe
        page.close()
    return measured


def test_note_marks_never_start_a_line(probes):
    alone = [
        (width, name, mark)
        for width in WIDTHS
        for name, probe in probes[width].items()
        for mark in probe["alone"]
    ]
    assert alone == []


def test_body_lines_hold_at_most_80_characters_from_768_to_2560_px(probes):
    widest = {w: max(p["widest"] for p in probes[w].values()) for w in WIDTHS if w >= 768}
    assert all(40 < n <= 80 for n in widest.values()), widest


def test_margin_notes_stand_within_one_screen_of_their_marks(probes):
    # at 1024 px the margin is too narrow: the notes are in the list at the chapter's end
    for name, probe in probes[1024].items():
        assert probe["far"] == [], name
        assert probe["listed"] == probe["marks"], name
    # from 1200 px each note stands in the margin, less than a screen below its mark
    for width, height in ((1200, 800), (1440, 900), (2560, 1440)):
        far = {name: probe["far"] for name, probe in probes[width].items()}
        assert all(0 <= d < height for each in far.values() for d in each), (width, far)
        assert sum(len(f) for f in far.values()) > 50


def test_citation_cff_licence_and_date_are_the_outlines():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"license: {OUTLINE.licence}" in text and f"date-released: {OUTLINE.date}" in text
    assert subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", "CITATION.cff"],
                          capture_output=True).returncode == 0  # fmt: skip
