"""The publisher's settings in the three editions of a tiny book (tests/roots/press): rights,
licence and sources, one release date, the author's cover, the trim sizes, the PDF's bookmarks,
citation tags, and a title with "<" in it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.sources.outline import load_outline
from book.sources.rights import TRIMS

from .conftest import ROOT, complete_book
from .press_measure import body_line_lengths

pytestmark = pytest.mark.sphinx
PRESS = ROOT / "tests" / "roots" / "press"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE_URL = "https://example.org/wiki/Rivers?x=1&y=2#top"


def run(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "book", *args],
        cwd=book,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(book)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def write_cover(path: Path, size: tuple[int, int] = (1600, 2400)) -> None:
    from PIL import Image

    Image.new("RGB", size, (120, 30, 40)).save(path)


def copy_press(folder: Path) -> Path:
    book = folder / "press"
    shutil.copytree(PRESS, book)
    write_cover(book / "cover.png")
    return complete_book(book)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = copy_press(tmp_path_factory.mktemp("press"))
    run(book, "publish", "html", "epub", "pdf")
    return book


def pdf_text(pdf: Path, first: int, last: int) -> str:
    args = ["pdftotext", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def epub_files(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book / "dist" / "press.epub") as archive:
        return {n: archive.read(n) for n in archive.namelist()}


# -- rights and sources ------------------------------------------------------------------------


def test_copyright_page_names_rights_licence_and_sources_not_files(book: Path):
    page = pdf_text(book / "dist" / "press.pdf", 4, 4)
    flat = " ".join(page.split())
    assert "© 2025 Test Author." in flat
    assert f"This book is licensed under CC BY 4.0: {LICENCE_URL}." in flat
    assert "The rights and the licence cover the arrangement and the glossary." in flat
    assert "“A Long Article about Rivers,” by Jane Writer, Example Encyclopedia." in flat
    assert SOURCE_URL in flat.replace(" ", "")
    assert "Licence: CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/." in flat
    assert "Licence: not stated in the document." in flat  # the second document gives none
    assert "Edition 2" in flat and "14 March 2025" in flat and "Published by Test Press" in flat
    assert ".txt" not in flat and "README" not in flat and "documents/" not in flat
    # the licence and the source's address are links
    annots = PdfReader(book / "dist" / "press.pdf").pages[3].get("/Annots", [])
    links = {str(a.get_object()["/A"].get("/URI")) for a in annots}
    assert {LICENCE_URL, SOURCE_URL} <= links, links


def test_epub_rights_date_and_imprint_page(book: Path):
    files = epub_files(book)
    opf = files["content.opf"].decode()
    rights = re.search(r"<dc:rights>([^<]*)</dc:rights>", opf).group(1)
    assert (
        rights.startswith("© 2025 Test Author. This book is licensed under CC BY 4.0: ")
        and LICENCE_URL in rights
    )
    assert "<dc:date>2025-03-14</dc:date>" in opf
    assert '<meta property="dcterms:modified">2025-03-14T00:00:00Z</meta>' in opf
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    ids = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    assert [ids[i] for i in spine[:3]] == ["epub-cover.xhtml", "imprint.xhtml", "index.xhtml"]
    nav = files["nav.xhtml"].decode()
    assert '<a epub:type="copyright-page" href="imprint.xhtml">Copyright</a>' in nav
    assert re.search(r'epub:type="bodymatter" href="(?!imprint)', nav)
    imprint = files["imprint.xhtml"].decode()
    assert 'epub:type="copyright-page"' in imprint and f'href="{LICENCE_URL}" rel="license"' in imprint
    assert "A Long Article about Rivers" in imprint and "Jane Writer" in imprint


def test_epub_cover_is_the_authors_image(book: Path):
    files = epub_files(book)
    opf = files["content.opf"].decode()
    assert re.search(r'<item [^>]*href="_static/cover.png"[^>]*properties="cover-image"', opf)
    assert files["_static/cover.png"] == (book / "cover.png").read_bytes()
    assert (
        'alt="Cover of The &lt;River&gt; Book: Rights, Sources and Trim"'
        in files["epub-cover.xhtml"].decode()
    )


def test_html_every_page_has_the_licence_in_its_footer(book: Path):
    site = book / "dist" / "html"
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        footer = soup.select_one("footer p.book-rights")
        assert footer is not None, page
        assert footer.select_one('a[rel="license"]')["href"] == LICENCE_URL, page
        assert "© 2025 Test Author." in footer.get_text(), page
        rights_page = footer.select("a")[-1]["href"]
        if page.name == "imprint.html":
            assert rights_page == "#"
        else:
            assert (page.parent / rights_page).resolve() == (site / "imprint.html").resolve()
    imprint = (site / "imprint.html").read_text(encoding="utf-8")
    assert "Jane Writer" in imprint and "Example Encyclopedia" in imprint and "not stated" in imprint


def test_html_citation_tags_social_card_and_title_with_angle_brackets(book: Path):
    site = book / "dist" / "html"
    full_title = "The <River> Book: Rights, Sources and Trim"
    for path in [site / "index.html", *sorted((site / "chapters").glob("ch-*.html"))]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = {m.get("name") or m.get("property"): m["content"] for m in soup.select("meta[content]")}
        assert meta["citation_author"] == "Test Author"
        assert meta["citation_publication_date"] == "2025/03/14"
        assert meta["citation_publisher"] == "Test Press" and meta["citation_language"] == "en"
        if path.name == "index.html":
            assert meta["citation_title"] == full_title and "citation_inbook_title" not in meta
            assert meta["citation_pdf_url"] == "downloads/press.pdf"
            assert soup.title.get_text() == "The <River> Book"
        else:
            assert meta["citation_inbook_title"] == full_title
            assert meta["citation_title"] == soup.select_one("h1").get_text().strip("#¶ ")
            assert soup.title.get_text().endswith(" — The <River> Book"), soup.title.get_text()
        card = (path.parent / meta["og:image"]).resolve()
        assert card.read_bytes() == (book / "cover.png").read_bytes()


def test_one_release_date_in_every_edition(book: Path):
    reader = PdfReader(book / "dist" / "press.pdf")
    assert reader.metadata["/CreationDate"].startswith("D:20250314")
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert "<xmp:CreateDate>2025-03-14T00:00:00Z</xmp:CreateDate>" in raw
    assert f"<xmpRights:WebStatement>{LICENCE_URL}</xmpRights:WebStatement>" in raw
    assert "14 March 2025" in pdf_text(book / "dist" / "press.pdf", 4, 4)
    assert "<dc:date>2025-03-14</dc:date>" in epub_files(book)["content.opf"].decode()


# -- the PDF: bookmarks and trim sizes ---------------------------------------------------------


def outline_titles(pdf: Path) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(PdfReader(pdf).outline, 0)
    return out


def test_pdf_bookmarks_back_matter_at_the_top_level(book: Path):
    marks = outline_titles(book / "dist" / "press.pdf")
    top = [title for depth, title in marks if depth == 0]
    assert top[-3:] == ["Glossary", "Bibliography", "Index"], marks
    part = [title for depth, title in marks if depth == 1]
    assert "A Long Chapter" in part and "Glossary" not in part


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_trim_size_sets_the_page_and_a_measure_of_60_to_75_characters(
    trim: str, book: Path, tmp_path: Path
) -> None:
    if trim == "a5":
        folder = book
    else:
        folder = tmp_path / "press"
        shutil.copytree(book, folder, ignore=shutil.ignore_patterns("_build", "dist"))
        outline = folder / "outline.toml"
        outline.write_text(outline.read_text().replace('trim = "a5"', f'trim = "{trim}"'), encoding="utf-8")
        assert load_outline(outline).trim == trim
        run(folder, "publish", "pdf")
    pdf = folder / "dist" / "press.pdf"
    box = PdfReader(pdf).pages[0].mediabox
    width, height = TRIMS[trim]
    assert abs(float(box.width) - width / 25.4 * 72) < 1 and abs(float(box.height) - height / 25.4 * 72) < 1
    lengths = body_line_lengths(pdf)
    assert len(lengths) >= 40, lengths
    median = sorted(lengths)[len(lengths) // 2]
    assert 60 <= median <= 75, (trim, median)
