"""Chicago 18 in the book's default style, and no editorial query in print.

A tiny book (tests/roots/chicago-notes) whose notes are notes of the flagship's source
document, copied as they stand, goes through ``book bib``, ``book import`` and ``book
publish``; its three editions are read back. The flagship's editions are read back too.

* An incomplete reference (a work the source cites only as "Deasy 1901, pp. 356–357") prints
  what is known in the style's form ("Deasy 1901, 356–57."; "Deasy. 1901." in Works cited),
  and the build warns, naming the entry's file and line and the correction that completes it.
* Short titles have at most four words (CMOS 14.30): "Marshall, *Russian General Staff*, 79."
* The place of publication is kept where the source gives it; editors come before the
  edition ("ed. Pál Nyíri and Joana Breidenbach, illustrated ed.").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.citations.bibtex import load_bibfiles
from book.citations.shorttitle import short_title
from book.editions.bibcheck import incomplete_message
from book.references.shortforms import completion

from .conftest import ROOT, complete_book, run_book, sphinx_build
from .golden_notes import clean, html_notes, html_works_cited, squash

BOOK = ROOT / "tests" / "roots" / "chicago-notes"
DEASY_TITLE = "A Title the Editor Supplies"  # test data: the source gives none

NOTES = {
    "introduction": [
        "Alexis Krausse, Russia in Asia: A Record and a Study, 1558–1899 "
        "(New York: Henry Holt and Company, 1899), 71.",  # the place the source gives
    ],
    "ch-01-a-chapter": [
        "Alex Marshall, The Russian General Staff and Asia, 1860–1917 (Routledge, 2006), 78.",
        "Marshall, Russian General Staff, 79.",  # CMOS 14.30's own example
        "Joana Breidenbach, China Inside Out: Contemporary Chinese Nationalism and Transnationalism, "
        "ed. Pál Nyíri and Joana Breidenbach, illustrated ed. (Central European University Press, 2005), "
        "89, accessed March 18, 2012.",  # editors, then the edition
        "Deasy 1901, 356–57.",  # what the source gives, in the style's form
        "John King Fairbank, The Cambridge History of China: Late Chʻing, 1800–1911, pt. 2 "
        "(Cambridge University Press, 1978), 94.",
        "Fairbank, Cambridge History of China, pt. 2, p. 96.",
    ],
    "ch-02-another-chapter": [
        "Suisheng Zhao, The Dragon Roars Back: Transformational Leaders and Dynamics of Chinese Foreign "
        "Policy (Stanford, California: Stanford University Press, 2023), 212, "
        "https://doi.org/10.1515/9781503634152.",
        "Zhao, Dragon Roars Back, 212.",  # an initial article is omitted
        "Deasy 1901, 356–57.",
    ],
}
WORKS = [
    "Breidenbach, Joana. China Inside Out: Contemporary Chinese Nationalism and Transnationalism. "
    "Edited by Pál Nyíri and Joana Breidenbach. Illustrated ed. Central European University Press, 2005. "
    "Accessed March 18, 2012.",
    "Deasy. 1901.",
    "Fairbank, John King. The Cambridge History of China: Late Chʻing, 1800–1911. Pt. 2. "
    "Cambridge University Press, 1978.",
    "Krausse, Alexis. Russia in Asia: A Record and a Study, 1558–1899. New York: Henry Holt and Company, 1899.",
    "Marshall, Alex. The Russian General Staff and Asia, 1860–1917. Routledge, 2006.",
    "Zhao, Suisheng. The Dragon Roars Back: Transformational Leaders and Dynamics of Chinese Foreign Policy. "
    "Stanford, California: Stanford University Press, 2023. https://doi.org/10.1515/9781503634152.",
]
QUERY = re.compile(r"incomplete|no title", re.I)  # an editorial query's words


# -- short titles (CMOS 14.30) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("The Russian General Staff and Asia, 1860–1917", "Russian General Staff"),
        ("Boundaries and trade in the early modern world: Negotiations at Nerchinsk", "Boundaries and trade"),
        ("The Presidency of Yuan Shih-K'ai", "Presidency of Yuan Shih-K'ai"),
        ("The Cambridge History of China: Late Chʻing, 1800–1911", "Cambridge History of China"),
        ("The Dragon Roars Back: Transformational Leaders", "Dragon Roars Back"),
        ("China inside out: contemporary Chinese nationalism", "China inside out"),
        ("Travels from St Petersburg in Russia to diverse parts of Asia", "Travels from St Petersburg"),
        ("China and the International System, 1840–1949: Power, Presence", "China"),
        ("The Black Death, 1346–1353: The Complete History", "Black Death"),
        ("Who Killed Kirov? The Kremlin's Greatest Mystery", "Who Killed Kirov?"),
        ("Die Welt der Zaren und Kaiser von Russland", "Die Welt der Zaren"),  # its own article kept
        (
            '<span class="nocase">The Russian General Staff</span> and Asia',
            '<span class="nocase">Russian General Staff</span>',
        ),
        ("<i>Pravda</i> and the Press in the Nineteenth Century", "<i>Pravda</i> and the Press"),
        (
            'The <span class="nocase">Russian General Staff and Asia</span>',
            '<span class="nocase">Russian General Staff</span>',
        ),
    ],
)
def test_short_title_has_at_most_four_words(title: str, short: str) -> None:
    assert short_title(title) == short
    assert len(re.sub(r"<[^>]*>", "", short).split()) <= 4


def test_every_generated_entry_has_a_short_title_of_four_words_at_most() -> None:
    """The flagship's 90 entries: a short title from the source ("Sergei Witte") or made by the
    rule, never longer than four words."""
    database = load_bibfiles([ROOT / "references-generated.bib"])
    titled = {k: v for k, v in database.items.items() if v.get("title")}
    assert len(titled) == 89  # all but deasy1901
    long = {k: v["title-short"] for k, v in titled.items() if len(v["title-short"].split()) > 4}
    assert not long, long


# -- the incomplete reference's warning --------------------------------------------------------


def test_the_fix_is_a_table_of_the_corrections_file() -> None:
    item = {
        "id": "deasy1901",
        "type": "document",
        "author": [{"family": "Deasy"}],
        "issued": {"date-parts": [[1901]]},
    }
    generated = incomplete_message("deasy1901", item, "/book/references-generated.bib")
    assert generated.startswith("incomplete reference 'deasy1901' (Deasy 1901): the sources give no title")
    snippet = generated.split("add to bib-corrections.toml\n", 1)[1].rsplit("\nthen run", 1)[0]
    assert tomllib.loads(snippet.replace("…", DEASY_TITLE)) == {"deasy1901": {"title": DEASY_TITLE}}
    hand = incomplete_message("doe:2001", item, "/book/references.bib")
    assert hand.endswith("add its title to the entry 'doe:2001' in references.bib")
    assert tomllib.loads(completion("doe:2001").replace("…", "T")) == {"doe:2001": {"title": "T"}}


# -- the tiny book -------------------------------------------------------------------------------


def _run(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_book(*args, cwd=book, check=True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The tiny book built into dist/ (all three editions), and what the build printed."""
    book = tmp_path_factory.mktemp("chicago") / "book"
    shutil.copytree(BOOK, book)
    complete_book(book)
    proc = _run(book, "publish", "html", "epub", "pdf")
    return book, proc.stderr


def _epub_texts(dist: Path) -> dict[str, str]:
    (epub,) = dist.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")}


def _epub_notes(dist: Path) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for name, xhtml in _epub_texts(dist).items():
        soup = BeautifulSoup(xhtml, "html.parser")
        for aside in soup.find_all("aside", attrs={"epub:type": "footnote"}):
            label = aside.find("span", class_="label")
            if label:
                label.decompose()
            notes.setdefault(Path(name).stem, []).append(clean(aside.get_text()))
    return notes


def _pdf_text(dist: Path) -> str:
    (pdf,) = dist.glob("*.pdf")
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


@pytest.mark.sphinx
def test_incomplete_reference_is_a_warning_naming_its_fix(tiny: tuple[Path, str]) -> None:
    book, stderr = tiny
    bib = (book / "references-generated.bib").read_text(encoding="utf-8").splitlines()
    line = bib.index("@misc{deasy1901,") + 1
    assert (
        f"references-generated.bib:{line}: WARNING: incomplete reference 'deasy1901' (Deasy 1901): "
        "the sources give no title"
    ) in stderr
    assert (
        '; to complete it, add to bib-corrections.toml\n    [deasy1901]\n    title = "…"\nthen run `make bib`'
        in stderr
    )
    assert stderr.count("incomplete reference") == 1  # once, not once per edition
    assert "Traceback" not in stderr


@pytest.mark.sphinx
def test_no_editorial_query_in_any_edition(tiny: tuple[Path, str]) -> None:
    dist = tiny[0] / "dist"
    html = " ".join(
        BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text()
        for p in (dist / "html").rglob("*.html")
    )
    epub = " ".join(BeautifulSoup(x, "html.parser").get_text() for x in _epub_texts(dist).values())
    for edition, text in (("html", html), ("epub", epub), ("pdf", _pdf_text(dist))):
        assert not QUERY.search(text), (edition, QUERY.search(text))
        assert squash("Deasy 1901, 356–57.") in squash(text), edition


@pytest.mark.sphinx
def test_notes_and_works_cited_in_chicago_18_in_every_edition(tiny: tuple[Path, str]) -> None:
    dist = tiny[0] / "dist"
    html = {}
    for page, _, text in html_notes(dist):
        html.setdefault(page, []).append(text)
    assert html == NOTES
    assert html_works_cited(dist) == WORKS
    assert _epub_notes(dist) == NOTES
    pdf = squash(_pdf_text(dist))
    assert [n for notes in NOTES.values() for n in notes if squash(n) not in pdf] == []
    assert [w for w in WORKS if squash(w) not in pdf] == []


@pytest.mark.sphinx
def test_the_correction_completes_the_reference(tiny: tuple[Path, str], tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(tiny[0], book, ignore=shutil.ignore_patterns("_build", "dist"))
    (book / "bib-corrections.toml").write_text(f'[deasy1901]\ntitle = "{DEASY_TITLE}"\n', encoding="utf-8")
    _run(book, "bib")
    built = sphinx_build(book, "html", book / "_build")  # the HTML alone, in this process
    assert built.returncode == 0, built.stderr
    assert "incomplete reference" not in built.stderr
    notes = [text for page, _, text in html_notes(book / "_build") if page == "ch-01-a-chapter"]
    assert notes[3] == f"Deasy, “{DEASY_TITLE},” 1901, 356–57."  # a @misc: a document
    assert f"Deasy. “{DEASY_TITLE}.” 1901." in html_works_cited(book / "_build")


# -- the flagship ---------------------------------------------------------------------------------

# Its short notes (CMOS 14.30: at most four words of the main title, an initial article omitted)
FLAGSHIP_SHORT = [
    "Young, Presidency of Yuan Shih-K’ai, 182, 183.",
    "Perdue, “Boundaries and Trade.”",
    "Breidenbach, China Inside Out, 90.",
    "Marshall, Russian General Staff, 79.",
    "Marshall, Russian General Staff, 80.",
    "Marshall, Russian General Staff, 85.",
    "Fairbank, Cambridge History of China, pt. 2, p. 96.",
    "Scott, China, 111–12.",
    "Fairbank, Cambridge History of China, pt. 2, p. 95.",
    "Ananich and Lebedev, “Sergei Witte,” 109–31.",
    "Ananich and Lebedev, “Sergei Witte,” 109–31.",
    "Zhao, Dragon Roars Back, 212.",
]


@pytest.mark.edition
def test_flagship_short_notes_places_and_editors(book_dist: Path) -> None:
    texts = [t.split(". “")[0].rstrip(".") + "." if ". “" in t else t for _, _, t in html_notes(book_dist)]
    short = [
        t for t in texts if re.match(r"[A-Z][\w’-]+( and [A-Z][\w’-]+)?, [^(]*$", t) and "accessed" not in t
    ]
    assert short == FLAGSHIP_SHORT
    krausse = next(t for t in texts if t.startswith("Alexis Krausse"))
    assert "(New York: Henry Holt and Company, 1899), 71." in krausse
    zhao = next(t for t in texts if t.startswith("Suisheng Zhao"))
    assert "(Stanford, California: Stanford University Press, 2023), 212" in zhao
    breidenbach = [t for t in texts if t.startswith("Joana Breidenbach")]
    assert len(breidenbach) == 2
    assert all(", ed. Pál Nyíri and Joana Breidenbach, illustrated ed. (Central" in t for t in breidenbach)
    works = html_works_cited(book_dist)
    assert "Deasy. 1901." in works
    assert any("Edited by Pál Nyíri and Joana Breidenbach. Illustrated ed. Central" in w for w in works)


@pytest.mark.edition
def test_flagship_prints_no_editorial_query(book_dist: Path) -> None:
    html = [t for _, _, t in html_notes(book_dist)] + html_works_cited(book_dist)
    with zipfile.ZipFile(next(book_dist.glob("*.epub"))) as z:
        epub = " ".join(
            BeautifulSoup(z.read(n).decode("utf-8"), "html.parser").get_text()
            for n in z.namelist()
            if n.endswith(".xhtml")
        )
    pdf = _pdf_text(book_dist)
    assert [t for t in html if QUERY.search(t)] == []
    assert not QUERY.search(epub) and not QUERY.search(pdf)
    assert "Deasy 1901, 356–57." in html
