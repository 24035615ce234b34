"""Citations placed as the style wants, from one source: the tiny book tests/roots/styles (its
citations written after the punctuation, before it, side by side, author in text, with
commentary, and a reading list) built in a note, an author-date and a numeric style, and in
German, with no edit of a chapter; every paragraph, note and list compared with what Pandoc's
citeproc makes of the same paragraphs as a Pandoc author writes them (``pandoc.md``), on the
same CSL-JSON and the same style.

What the book does differently is listed in book/citations/README.md ("Differences from
Pandoc's own rendering"); each difference is undone here by name, and nothing else may differ:

* NOTE_PER_CITATION (note styles): roles side by side stay one note each ("it.³,⁴", the
  source documents' own notes), where Pandoc's cluster is one note ("A; B");
* PARENTHESES (note styles): a citation inside ``{note}`` commentary loses Pandoc's parentheses;
* AUTHOR_IN_TEXT (numeric styles): ``{cite:t}`` keeps the author's name before the number
  ("As Perdue [1] argues"); Pandoc prints the number alone ("As [1] argues");
* PERIOD_AFTER_CITATION (in-text styles): a period inside the closing quote moves after the
  citation (“a line of posts” (March 1996, 5).), where Pandoc leaves it in the quotation;
* UNNUMBERED_READING_LIST (numeric styles): a reading list has no numbers (they would read as
  references to the Works cited).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book.citations.bibtex import load_bibfiles
from book.citations.csl import resolve_style
from book.citations.engine import find_pandoc

from .conftest import sphinx_build

pytestmark = pytest.mark.sphinx

ROOT = Path(__file__).parent / "roots" / "styles"
NOTE, AUTHOR_DATE, NUMERIC = "chicago-notes-bibliography", "chicago-author-date", "ieee"
#: how a Pandoc author writes the locator labels in German (citeproc reads them in the locale)
GERMAN_LABELS = {"p.": "S.", "chap.": "Kap.", "vol.": "Bd."}
AUTHORS = {"perdue2009china": "Perdue", "march1996eastern": "March"}  # AUTHOR_IN_TEXT


def sphinx(src: Path, out: Path, style: str, language: str) -> Path:
    """The HTML of ``src`` in ``style`` and ``language``, built in this process into ``out/html``."""
    result = sphinx_build(src, "html", out, {"book_csl_style": style, "language": language})
    assert result.returncode == 0, result.stderr
    return out / "html"


def words(node: object) -> str:
    return " ".join(node.get_text().split())  # type: ignore[attr-defined]


def paragraphs_with_notes(
    soup: BeautifulSoup, marks: str, note_of: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """Each paragraph's text, its note marks as "^", and the texts of its notes in order."""
    out = []
    for paragraph in soup.select(marks.split("|")[0]):
        notes = []
        for mark in paragraph.select(marks.split("|")[1]):
            notes.append(note_of[str(mark["href"]).lstrip("#")])
            mark.replace_with("^")
        out.append((words(paragraph), notes))
    return out


def book_pages(out: Path) -> tuple[list[tuple[str, list[str]]], dict[str, list[str]]]:
    """The placement page's paragraphs with their notes, and the works page's lists."""
    soup = BeautifulSoup((out / "placement.html").read_text(encoding="utf-8"), "html.parser")
    note_of = {}
    for aside in soup.select("aside.footnote"):
        label = aside.select_one("span.label")
        assert label is not None
        label.decompose()
        note_of[str(aside["id"])] = words(aside)
    paragraphs = paragraphs_with_notes(soup, "div.body section > p|a.footnote-reference", note_of)
    works = BeautifulSoup((out / "works.html").read_text(encoding="utf-8"), "html.parser")
    lists = {
        words(s.find("h2")).rstrip("¶ "): [words(p) for p in s.select("p.csl-entry")]
        for s in works.select("section section")
    }
    return paragraphs, lists


def pandoc(
    markdown: str, refs: Path, style: str, language: str
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Pandoc's paragraphs of ``markdown`` with their notes, and its bibliography (HTML read back)."""
    command = [find_pandoc(), "-f", "markdown", "-t", "html", "--wrap=none", "--citeproc",
               f"--bibliography={refs}", f"--csl={resolve_style(style, ROOT)}", "-M", f"lang={language}"]  # fmt: skip
    proc = subprocess.run(command, input=markdown, capture_output=True, text=True, check=True)
    soup = BeautifulSoup(proc.stdout, "html.parser")
    note_of = {}
    for item in soup.select("section.footnotes li"):
        for back in item.select("a.footnote-back"):
            back.decompose()
        note_of[str(item["id"])] = words(item)
    bibliography = [words(entry) for entry in soup.select("div.csl-entry")]
    for block in soup.select("section.footnotes, div#refs"):
        block.decompose()
    return paragraphs_with_notes(soup, "p|a.footnote-ref", note_of), bibliography


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("styles") / "src"
    shutil.copytree(ROOT, dest)
    return dest


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book's own CSL-JSON of refs.bib, for Pandoc too (so that only the rendering differs)."""
    path = tmp_path_factory.mktemp("refs") / "refs.json"
    database = load_bibfiles([ROOT / "refs.bib"])
    path.write_text(json.dumps(list(database.items.values()), ensure_ascii=False), encoding="utf-8")
    return path


def source_paragraphs() -> list[str]:
    text = (ROOT / "placement.md").read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if p.strip() and not p.startswith("#")]


def pandoc_source(language: str) -> str:
    text = (ROOT / "pandoc.md").read_text(encoding="utf-8")
    if language == "de":
        for english, german in GERMAN_LABELS.items():
            text = re.sub(rf"(?<=[, \[]){re.escape(english)} (?=\d)", f"{german} ", text)
    return text


def expected_paragraph(pandoc_text: str, source: str, style: str) -> str:
    """Pandoc's paragraph with the book's listed differences made."""
    if style == NUMERIC and "{cite:t}" in source:  # AUTHOR_IN_TEXT
        key = re.search(r"\{cite:t\}`@([\w-]+)", source)
        assert key is not None
        pandoc_text = pandoc_text.replace(" [", f" {AUTHORS[key.group(1)]} [", 1)
    if style != NOTE:  # PERIOD_AFTER_CITATION
        pandoc_text = re.sub(r"\.\u201d (\([^)]*\)|\[[^\]]*\])$", "\u201d \\1.", pandoc_text)
    return pandoc_text


def compare(out: Path, refs: Path, style: str, language: str) -> int:
    """Compare the book's placement page and lists with Pandoc's; the number of paragraphs."""
    paragraphs, lists = book_pages(out)
    theirs, their_bibliography = pandoc(pandoc_source(language), refs, style, language)
    sources = source_paragraphs()
    assert len(paragraphs) == len(theirs) == len(sources)
    for (mine, mine_notes), (pandoc_text, pandoc_notes), source in zip(
        paragraphs, theirs, sources, strict=True
    ):
        if style == NOTE and len(mine_notes) > 1:  # NOTE_PER_CITATION
            mine = mine.replace("^,^", "^")
            mine_notes = ["; ".join(n.removesuffix(".") for n in mine_notes[:-1]) + "; " + mine_notes[-1]]
        if style == NOTE and "{note}" in source:  # PARENTHESES
            pandoc_notes = [re.sub(r"\((.*?)\)", r"\1", n) for n in pandoc_notes]
        assert mine == expected_paragraph(pandoc_text, source, style)
        assert mine_notes == pandoc_notes, source
    assert lists["Works Cited"] == their_bibliography
    _, reading = pandoc("---\nnocite: '@zhang2010sino, @spectator1878'\n---\n", refs, style, language)
    if style == NUMERIC:  # UNNUMBERED_READING_LIST
        reading = [re.sub(r"^\[\d+\] ", "", entry) for entry in reading]
    assert lists["Further Reading"] == reading
    return len(paragraphs)


@pytest.mark.parametrize(
    ("style", "language"),
    [(NOTE, "en"), (AUTHOR_DATE, "en"), (NUMERIC, "en"), (NOTE, "de"), (AUTHOR_DATE, "de")],
)
def test_each_style_places_the_citations_as_pandoc_does(
    src: Path, refs: Path, tmp_path: Path, style: str, language: str
) -> None:
    html = sphinx(src, tmp_path / "out", style, language)
    assert compare(html, refs, style, language) == 11
