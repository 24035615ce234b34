"""Russian and Chinese in all three editions: tests/roots/scripts built once, read back."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, complete_book, run_book
from .pdf_read import normalized, read_pages

pytestmark = pytest.mark.sphinx
SCRIPTS = ROOT / "tests" / "roots" / "scripts"


def run(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_book(*args, cwd=book, check=True)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    book = tmp_path_factory.mktemp("scripts") / "scripts"
    shutil.copytree(SCRIPTS, book)
    complete_book(book)
    built = run(book, "publish", "html", "epub", "pdf")
    return book, built.stdout + built.stderr


def test_an_index_term_found_nowhere_is_a_warning_naming_the_outline(book):
    _, output = book  # the build looks in every chapter (the import saw only the documents)
    assert "outline.toml:19: WARNING: index term 'Albazin' occurs nowhere in the text" in output


def test_pdf_has_every_glyph_and_breaks_lines_by_script(book):
    folder, _ = book
    log = (folder / "_build" / "latex" / "scripts.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert "Overfull \\hbox" not in log and "Underfull \\hbox" not in log
    pages = read_pages(folder / "dist" / "scripts.pdf")
    text = normalized("\n".join(p.text for p in pages))
    for passage in (
        "Нерчинский договор 1689 года был первым договором между Россией и Китаем",
        "Пётр Иванов, Послы и императоры",  # a note
        "是清朝与俄国于一六八九年签订的第一个边界条约",
        "王明, 中俄关系史",  # a note
        "Пётр I Великий, 2",  # the index
    ):
        assert passage.replace(" ", "") in text.replace(" ", ""), passage
    title_page = next(p for p in pages[1:4] if p.lines)
    assert [ln.text for ln in title_page.lines[:2]] == ["Россия и Китай ·", "中国与俄罗斯"]
    lines = [ln for p in pages for ln in p.body]
    hyphenated = [ln.text for ln in lines if len(ln.text) > 2 and ln.text.endswith("-")]
    assert any("\u0400" <= t[-2] <= "\u04ff" for t in hyphenated), "Russian words are hyphenated"
    chinese = [ln.text for ln in lines if "\u4e00" <= ln.text[:1] <= "\u9fff" or ln.text.startswith("《")]
    assert len(chinese) >= 3, "the Chinese paragraph breaks between characters"
    fonts = subprocess.run(
        ["pdffonts", str(folder / "dist" / "scripts.pdf")], capture_output=True, text=True
    ).stdout
    assert "NotoSerifCJK" in fonts.replace(" ", "") and "NotoSerif-Regular" in fonts


def test_epub_and_html_carry_both_scripts(book):
    folder, _ = book
    with zipfile.ZipFile(folder / "dist" / "scripts.epub") as epub:
        text = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
        assert "genindex.xhtml" in " ".join(epub.namelist())
    html = "".join(p.read_text(encoding="utf-8") for p in (folder / "dist" / "html").rglob("*.html"))
    for edition in (text, html):
        for passage in ("Нерчинский договор 1689 года", "康熙帝派遣索额图", "Пётр I Великий", "王明"):
            assert passage in edition, passage


# Wraps each run of Cyrillic or of CJK text in a span of its own, so that Chromium reports the
# fonts of exactly those characters; runs that are not drawn (a collapsed menu) are left out.
RUNS = r"""() => {
  const run = /([\u0400-\u04ff]+|[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const t of texts) {
    const parts = t.data.split(run);
    if (parts.length < 2 || t.parentElement.closest("script, style")) continue;
    const spans = parts.map((s, i) => {
      if (i % 2 === 0) return document.createTextNode(s);
      const span = document.createElement("span");
      span.textContent = s;
      return span;
    });
    t.replaceWith(...spans);
    spans.forEach((s, i) => { if (i % 2 && s.getClientRects().length) s.className = "glyph-run"; });
  }
  return [...document.querySelectorAll("span.glyph-run")].map(s => [s.textContent, s.getClientRects().length]);
}"""


def charset(postscript_name: str) -> set[int]:
    """The code points of an installed font, as fontconfig lists them."""
    listed = subprocess.run(
        ["fc-list", f":postscriptname={postscript_name}", "--format", "%{charset}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")[0]
    points: set[int] = set()
    for span in listed.split():
        first, _, last = span.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        yield browser
        browser.close()


def test_html_and_epub_draw_every_cyrillic_and_chinese_glyph_and_wrap_at_390_px(
    book, chromium, tmp_path: Path
):
    folder, _ = book
    with zipfile.ZipFile(folder / "dist" / "scripts.epub") as epub:
        epub.extractall(tmp_path)
    pages = sorted((folder / "dist" / "html").rglob("*.html")) + sorted(tmp_path.rglob("*.xhtml"))
    pages = [p for p in pages if p.name not in ("search.html", "nav.xhtml", "epub-cover.xhtml")]
    fonts_seen: dict[str, set[str]] = {"cyrillic": set(), "chinese": set()}
    covered: dict[str, set[int]] = {}
    wrapped = checked = 0
    page = chromium.new_page(viewport={"width": 390, "height": 800})
    cdp = page.context.new_cdp_session(page)
    for path in pages:
        page.goto(path.as_uri())
        width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"{path.name} overflows 390 px: {width}"
        runs = page.evaluate(RUNS)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "span.glyph-run"})
        assert len(nodes["nodeIds"]) == len(runs)
        for node, (text, lines) in zip(nodes["nodeIds"], runs, strict=True):
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            where = f"{path.name}: {text!r} drawn with {fonts}"
            assert sum(f["glyphCount"] for f in fonts) == len(text), where
            for font in fonts:
                name = font["postScriptName"]
                assert "LastResort" not in name and not font["isCustomFont"], where
                if name not in covered:
                    covered[name] = charset(name)
            having = set().union(*(covered[f["postScriptName"]] for f in fonts))
            assert {ord(c) for c in text} <= having, where  # no .notdef box (tofu)
            script = "cyrillic" if "\u0400" <= text[0] <= "\u04ff" else "chinese"
            fonts_seen[script].update(f["familyName"] for f in fonts)
            checked += len(text)
            wrapped += script == "chinese" and len(text) > 40 and lines > 1
        cdp.send("CSS.disable")
        cdp.send("DOM.disable")
    assert fonts_seen["chinese"] == {"Noto Sans CJK SC", "Noto Serif CJK SC"}, fonts_seen
    assert fonts_seen["cyrillic"] <= {"Noto Sans", "Noto Serif"}, fonts_seen
    assert checked > 1000, checked  # characters checked, both editions
    assert wrapped >= 2, "the long Chinese paragraph wraps in the HTML and in the EPUB"
    page.close()


LONG_TITLE = (
    "A Very Long Title for a Very Small Book, Which Goes On and On About Rivers, Forts, Envoys, "
    "Letters and Treaties Well Past Any Sensible Length"
)


def test_long_title_and_empty_chapter_warn_and_still_print(tmp_path: Path):
    book = tmp_path / "tiny"
    shutil.copytree(ROOT / "tests" / "roots" / "tiny-book", book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    outline = (book / "outline.toml").read_text(encoding="utf-8")
    outline = outline.replace('title = "A Tiny Book"', f'title = "{LONG_TITLE}"')
    outline = outline.replace(
        '"Another Chapter" = "chapter"', '"Another Chapter" = "chapter"\n"Empty Chapter" = "chapter"'
    )
    (book / "outline.toml").write_text(outline, encoding="utf-8")
    doc = book / "documents" / "tiny.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace(
            "Notes and References", "Empty Chapter\nNotes and References"
        ),
        encoding="utf-8",
    )
    run(book, "bib")
    run(book, "import")
    output = run(book, "publish", "pdf")
    messages = output.stdout + output.stderr
    assert f"outline.toml:3: WARNING: the book's title is {len(LONG_TITLE)} characters long" in messages
    assert "ch-03-empty-chapter.md:1: WARNING: chapter 'Empty Chapter' has no text" in messages
    assert "Bibliography' has no text" not in messages
    pages = read_pages(book / "dist" / "tiny.pdf")
    title_page = next(p for p in pages[1:4] if p.lines)
    assert len(title_page.lines) >= 3 and title_page.lines[0].text.startswith("A Very Long Title")
    heads = [ln.text for p in pages for ln in p.head if not ln.text.isdigit()]
    assert heads and all(len(h) < 80 for h in heads), heads  # shortened with an ellipsis
    assert any(ln.text == "Empty Chapter" for p in pages for ln in p.body)
