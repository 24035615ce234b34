"""The citation forms authors use, locator labels, in-text styles and bad style input, on the
tiny book tests/roots/citeforms (HTML builds in this process, with ``SphinxTestApp``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import Built, sphinx_build

pytestmark = pytest.mark.sphinx

ROOT = Path(__file__).parent / "roots" / "citeforms"


def build(src: Path, out: Path, builder: str = "html", **overrides: str) -> Built:
    """Build ``src`` into ``out/<builder>`` (doctrees in ``out/doctrees``), in this process."""
    return sphinx_build(src, builder, out, overrides)


def page(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def text(node: object) -> str:
    return " ".join(node.get_text().split())  # type: ignore[attr-defined]


def footnotes(soup: BeautifulSoup) -> list[str]:
    notes = []
    for aside in soup.select("aside.footnote"):
        label = aside.select_one("span.label")
        if label:
            label.decompose()
        notes.append(text(aside))
    return notes


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("citeforms") / "src"
    shutil.copytree(ROOT, dest)
    return dest


@pytest.fixture(scope="module")
def notes_build(src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notes")
    result = build(src, out)
    assert result.returncode == 0, result.stderr
    return out / "html"


@pytest.fixture(scope="module")
def intext_build(src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("intext")
    result = build(src, out, book_csl_style="chicago-author-date")
    assert result.returncode == 0, result.stderr
    return out / "html"


def test_note_style_forms_and_locator_labels(notes_build: Path) -> None:
    soup = page(notes_build, "forms")
    body = text(soup.select_one("section"))
    # author in text (the full name on first mention, as Chicago and Pandoc do), the rest in the note
    assert "As Peter C. Perdue[1] argues" in body
    assert footnotes(soup) == [
        "China Marches West: The Qing Conquest of Central Eurasia (Harvard University Press, 2009), 100.",
        "China Marches West, 101.",  # -@key: the author is already named
        "See Ernest Young, The Presidency of Yuan Shih-K’ai (University of Michigan Press, 1977), "
        "chap. 2; G. Patrick March, Eastern Destiny: Russia in Asia and the North Pacific (1996), sec. 3.",
        "International Council for Philosophy and Humanistic Studies, Atlas of Languages, vol. 2, pt. 1 "
        "(Walter de Gruyter, 1996), vol. 2.",
        "International Council for Philosophy and Humanistic Studies, Atlas of Languages, vol. 2, pt. 1, n. 14.",
        "International Council for Philosophy and Humanistic Studies, Atlas of Languages, vol. 2, pt. 1, fig. 1.",
        "International Council for Philosophy and Humanistic Studies, Atlas of Languages, vol. 2, pt. 1, para. 5.",
        "On the trade see Young, Presidency of Yuan Shih-K’ai, 5, who calls it “small”; compare "
        "The Canadian Spectator (1878), 1:462.",
        "Deasy 1901, 356–57.",  # no title given: what is known, in the author-date form
        "“Embassy History,” www.embassy.example, accessed March 30, 2020, archived from the original "
        "on March 9, 2022.",
        "Shu Guang Zhang, “The Sino–Soviet Alliance and the Cold War in Asia, 1954–1962,” in The Cambridge "
        "History of the Cold War, vol. 1, ed. Melvyn P. Leffler and Odd Arne Westad (2010).",
        "“Russian Empire,” Encyclopedia Britannica, accessed August 27, 2019.",
    ]
    # a website's name in italics, like a periodical's
    assert soup.select("aside.footnote")[-1].select_one("em").get_text() == "Encyclopedia Britannica"


def test_works_cited_files_title_works_among_the_others(notes_build: Path) -> None:
    entries = [text(p) for p in page(notes_build, "works").select("p.csl-entry")]
    assert [e.split(" ")[0] for e in entries] == [
        "The",  # The Canadian Spectator, filed under C
        "Deasy.",  # no title given: author and year, and no editorial query
        "Encyclopedia",  # a web page without author files under its site (CMOS 14.104)
        "International",
        "March,",
        "Perdue,",
        "www.embassy.example.",  # a web page without author files under its site (CMOS 14.104)
        "Young,",
        "Zhang,",
    ]
    assert entries[1] == "Deasy. 1901."
    # the website's name in italics; a chapter keeps its page range (as CMOS 17 printed it)
    assert page(notes_build, "works").select_one("#bib-britannica em").get_text() == "Encyclopedia Britannica"
    assert entries[-1] == (
        "Zhang, Shu Guang. “The Sino–Soviet Alliance and the Cold War in Asia, 1954–1962.” In The Cambridge "
        "History of the Cold War, vol. 1, edited by Melvyn P. Leffler and Odd Arne Westad, 353–75. 2010."
    )
    assert entries[6] == (
        "www.embassy.example. “Embassy History.” Accessed March 30, 2020. "
        "Archived from the original on March 9, 2022."
    )
    css = (notes_build / "_static" / "bookcite.css").read_text(encoding="utf-8")
    assert "text-indent: -2em" in css  # hanging indents
    assert "bookcite.css" in (notes_build / "works.html").read_text(encoding="utf-8")


def test_in_text_style_puts_citations_in_the_text(intext_build: Path) -> None:
    soup = page(intext_build, "forms")
    body = text(soup.select_one("section"))
    assert "As Perdue (2009, 100) argues" in body
    assert "Perdue names the trade routes (2009, 101)." in body  # -@key: the year only, before the stop
    assert "(see Young 1977, chap. 2; March 1996, sec. 3)" in body
    assert "(International Council for Philosophy and Humanistic Studies 1996, vol. 2)" in body
    # only the commentary is a footnote, its citations in the style's in-text form
    assert footnotes(soup) == [
        "On the trade see (Young 1977, 5), who calls it “small”; compare (Canadian Spectator 1878, 462)."
    ]
    entries = [text(p) for p in page(intext_build, "works").select("p.csl-entry")]
    assert entries[0].startswith("The Canadian Spectator. 1878.")
    assert any(e.startswith("Perdue, Peter C. 2009. China Marches West") for e in entries)


def test_bad_locator_label_and_invalid_csl_name_file_and_line(src: Path, tmp_path: Path) -> None:
    bad = tmp_path / "src"
    shutil.copytree(src, bad)
    forms = bad / "forms.md"
    forms.write_text(forms.read_text(encoding="utf-8") + "\nBad label.{cite}`@perdue2009china, chp. 3`\n")
    (bad / "broken.csl").write_text('<?xml version="1.0"?>\n<style xmlns="x">\n<citation>\n</style>\n')
    result = build(bad, tmp_path / "out", book_csl_style="broken.csl")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    line = (
        forms.read_text(encoding="utf-8").splitlines().index("Bad label.{cite}`@perdue2009china, chp. 3`") + 1
    )
    assert re.search(
        rf"forms\.md:{line}: ERROR: malformed citation .*unknown locator label 'chp\.'", result.stderr
    )
    assert re.search(r"broken\.csl:4: ERROR: book_csl_style: not well-formed XML", result.stderr), (
        result.stderr
    )


def test_unknown_style_names_the_style_and_what_to_do(src: Path, tmp_path: Path) -> None:
    result = build(src, tmp_path / "out", book_csl_style="chicago-author-dat")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "unknown CSL style 'chicago-author-dat'" in result.stderr
    assert "did you mean 'chicago-author-date'" in result.stderr
    assert "set book_csl_style in conf.py" in result.stderr


def test_rendered_once_for_all_builders(src: Path, tmp_path: Path) -> None:
    """Two builders sharing the doctree cache (as make does): one pandoc rendering, reused."""
    doctrees = tmp_path / "doctrees"
    first = build(src, tmp_path)
    assert first.returncode == 0, first.stderr
    cache = doctrees / "bookcite"
    renderings = [p for p in cache.glob("*.json") if p.name not in ("references.json", "request.json")]
    assert len(renderings) == 1
    stamp = renderings[0].stat().st_mtime_ns
    second = build(src, tmp_path, "text")
    assert second.returncode == 0, second.stderr
    again = [p for p in cache.glob("*.json") if p.name not in ("references.json", "request.json")]
    assert again == renderings and again[0].stat().st_mtime_ns == stamp  # nothing rendered again
    written = " ".join((tmp_path / "text" / "forms.txt").read_text(encoding="utf-8").split())
    assert "China Marches West*, 101." in written  # the second builder fills in the same rendering
