"""The hostile-input corpus: every case in ``cases.toml`` run as an author would run it.

Error cases start from one imported copy of the tiny book (``tests/roots/tiny-book``), change
one thing (a document, the outline, the corrections, the .bib files, a chapter, or a file made
hostile by ``SPECIAL`` below: FIFOs, folders, symlinks, oversized files), run the command line
and check: the exit status, the first error line naming the file and line with the expected
message, no traceback, and ``dist/`` byte-identical.

Injection cases share one build of ``injection/`` (a tiny book with markup in every field of
the outline and the documents, each field numbered ``alert(N)``) and one draft of
``injection/draft/``; each case checks its field is printed as text in the editions it reaches
(HTML, EPUB, PDF) and is markup nowhere.

Cases of faults during a build (killed builds, locks, full disks) use the same runner: add them
to ``cases.toml`` with ``group = "fault"`` and their setup in ``SPECIAL``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from pypdf import PdfReader

from ..conftest import ROOT

HERE = Path(__file__).resolve().parent
TINY = ROOT / "tests" / "roots" / "tiny-book"
INJECTION = HERE / "injection"
CASES_FILE = HERE / "cases.toml"
PASSWD_LINE = "root:x:0:0"  # what \input{/etc/passwd} would print

pytestmark = pytest.mark.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)


def run_book(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "book", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the cases ---------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    group: str
    run: list[str] = field(default_factory=lambda: ["import"])
    status: int = 1
    where: str = ""  # "file:line:" the first error line names
    message: list[str] = field(default_factory=list)  # also on that line
    hint: str = ""  # in the output (the hint line)
    edits: dict[str, dict] = field(default_factory=dict)  # target -> replace/append/write
    special: str = ""  # a setup from SPECIAL
    check: str = ""  # a check from CHECKS, for cases that succeed
    # injection cases
    alert: int = 0
    shown: list[str] = field(default_factory=list)  # editions that print the field
    exact: list[str] = field(default_factory=list)  # ... every character of it
    book: str = "outline"  # the injection book ("outline") or the draft ("draft")


TARGETS = {
    "outline": "outline.toml",
    "document": "documents/tiny.txt",
    "corrections": "bib-corrections.toml",
    "references": "references.bib",
    "generated": "references-generated.bib",
}


def load_cases() -> list[Case]:
    data = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
    cases = []
    for raw in data["case"]:
        raw = dict(raw)
        edits = {k: raw.pop(k) for k in [*TARGETS, "chapter"] if k in raw}
        message = raw.pop("message", [])
        cases.append(Case(**raw, edits=edits, message=[message] if isinstance(message, str) else message))
    return cases


CASES = load_cases()
ERROR_CASES = [c for c in CASES if c.group != "injection"]
INJECTION_CASES = [c for c in CASES if c.group == "injection"]


def _marks(case: Case) -> list[pytest.MarkDecorator]:
    builds = case.run[0] == "publish" or (case.run[0] == "draft" and case.status == 0)
    return [pytest.mark.sphinx] if builds else []


def _edit(book: Path, target: str, edit: dict) -> None:
    path = next(book.glob("chapters/ch-01-*.md")) if target == "chapter" else book / TARGETS[target]
    if "write" in edit:
        path.write_text(edit["write"], encoding="utf-8")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for old, new in edit.get("replace", []):
        assert old in text, f"{old!r} not in {path.name}"
        text = text.replace(old, new, 1)
    text += edit.get("append", "")
    path.write_text(text, encoding="utf-8")


# --- setups no data file can hold ---------------------------------------------------------


def _document(book: Path) -> Path:
    return book / "documents" / "tiny.txt"


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("text\n", encoding="utf-8")


def _many_headings(book: Path) -> None:
    lines = ["A Long Book", ""] + [f"Heading Number {n}\nA paragraph of text about it." for n in range(2100)]
    _document(book).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _outside_file(book: Path) -> Path:
    outside = book.parent / "outside.txt"
    shutil.copy(_document(book), outside)
    return outside


def _big_document(book: Path) -> None:
    filler = ("A filler paragraph of the big document." * 20 + "\n") * 3000
    text = _document(book).read_text(encoding="utf-8")
    _document(book).write_text(
        text.replace("Notes and References", filler + "Notes and References"), encoding="utf-8"
    )


SPECIAL: dict[str, Callable[[Path], None]] = {
    "latin1-document": lambda b: _document(b).write_bytes(
        _document(b).read_bytes().replace(b"rivers", "rivi\xe8res".encode("latin-1"), 1)
    ),
    "bom-document": lambda b: _document(b).write_bytes(b"\xef\xbb\xbf" + _document(b).read_bytes()),
    "crlf-document": lambda b: _document(b).write_bytes(_document(b).read_bytes().replace(b"\n", b"\r\n")),
    "long-line": lambda b: _document(b).write_text(
        _document(b).read_text(encoding="utf-8").replace("long ago.[1]", "long ago." + "x" * 25_000 + "[1]"),
        encoding="utf-8",
    ),
    "big-document": _big_document,
    "long-note": lambda b: _document(b).write_text(
        _document(b).read_text(encoding="utf-8").replace("p. 7.", "p. 7. " + "More words. " * 600),
        encoding="utf-8",
    ),
    "many-headings": _many_headings,
    "long-title": lambda b: (b / "outline.toml").write_text(
        (b / "outline.toml").read_text(encoding="utf-8").replace("A Tiny Book", "Long " * 1200),
        encoding="utf-8",
    ),
    "fifo-document": lambda b: (_document(b).unlink(), os.mkfifo(_document(b))),
    "folder-document": lambda b: _replace_with_folder(_document(b)),
    "symlink-outside": lambda b: (os.symlink(_outside_file(b), b / "documents" / "link.txt"),),
    "symlink-etc": lambda b: (_document(b).unlink(), os.symlink("/etc/passwd", _document(b))),
    "folder-references": lambda b: _replace_with_folder(b / "references.bib"),
    "folder-generated": lambda b: _replace_with_folder(b / "references-generated.bib"),
    "folder-corrections": lambda b: (b / "bib-corrections.toml").mkdir(),
    "folder-outline": lambda b: _replace_with_folder(b / "outline.toml"),
    "fifo-references": lambda b: ((b / "references.bib").unlink(), os.mkfifo(b / "references.bib")),
    "fifo-draft": lambda b: os.mkfifo(b / "pipe.txt"),
    "out-file": lambda b: (b / "out").write_text("a file\n", encoding="utf-8"),
    "out-not-empty": lambda b: ((b / "out").mkdir(), (b / "out" / "notes.txt").write_text("mine\n")),
    "link-here": lambda b: os.symlink(".", b / "here"),
    "link-up": lambda b: os.symlink("..", b / "up"),
    "link-chapters": lambda b: os.symlink("chapters", b / "chapter-link"),
    "link-documents": lambda b: os.symlink("documents", b / "docs-link"),
    "small-cover": lambda b: _small_cover(b),
    "no-index-page": lambda b: (b / "index.md").unlink(),
    "bib-100000-entries": lambda b: _append(
        b / "references.bib",
        "".join(
            f"@book{{b{n}, author = {{A{n % 997}, B}}, title = {{T{n}}}, year = {1900 + n % 99}}}\n"
            for n in range(100_000)
        ),
    ),
}


def _small_cover(book: Path) -> None:
    """A real image, too narrow for a cover (800 px), named as the outline's cover."""
    from PIL import Image

    Image.new("RGB", (800, 1200), "white").save(book / "cover.png")
    outline = book / "outline.toml"
    text = outline.read_text(encoding="utf-8").replace(
        'filename = "tiny"', 'filename = "tiny"\ncover = "cover.png"'
    )
    outline.write_text(text, encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


# --- hostile input, round 2: chapters, a recursive style, headings by the thousand ---------


def _chapter(book: Path) -> Path:
    return next(book.glob("chapters/ch-01-*.md"))


def _recursive_style(book: Path) -> None:
    """A CSL style whose macro calls itself (Pandoc ran 140 s and reached 23 GB on it)."""
    (book / "loop.csl").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">\n'
        "  <info><title>Loop</title><id>loop</id><updated>2024-01-01T00:00:00+00:00</updated></info>\n"
        '  <macro name="loop"><group><text variable="title"/><text macro="loop"/></group></macro>\n'
        '  <citation><layout><text macro="loop"/></layout></citation>\n'
        '  <bibliography><layout><text macro="loop"/></layout></bibliography>\n'
        "</style>\n",
        encoding="utf-8",
    )
    conf = book / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(
        re.sub(r"(?m)^book_csl_style = .*$", 'book_csl_style = "loop.csl"', text), encoding="utf-8"
    )


def _outline_with_headings(book: Path, count: int, tail: str = "") -> None:
    """The tiny book's outline with ``count`` chapter headings (lines 10 on), then ``tail``."""
    head = '[book]\ntitle = "A Tiny Book"\nauthor = "Test Author"\nfilename = "tiny"\n\n'
    head += '[sources]\ndocuments = ["documents/tiny.txt"]\n\n[headings]\n'
    lines = [f'"Heading Number {n}" = "chapter"' for n in range(count)]
    (book / "outline.toml").write_text(head + "\n".join(lines) + "\n" + tail, encoding="utf-8")


def _ten_thousand_headings(book: Path) -> None:
    """A document of 10,000 headings the outline lists (heading n on line 3 + 4n)."""
    _outline_with_headings(book, 10_000)
    body = "".join(f"Heading Number {n}\n\nA paragraph about it.\n\n" for n in range(10_000))
    _document(book).write_text("A Long Book\n\n" + body, encoding="utf-8")


SPECIAL.update(
    {
        "latin1-chapter": lambda b: _chapter(b).write_bytes(
            _chapter(b).read_bytes() + "\nrivi\xe8res\n".encode("latin-1")
        ),
        "fifo-chapter": lambda b: os.mkfifo(b / "chapters" / "pipe.md"),
        "recursive-csl": _recursive_style,
        "unknown-style": lambda b: (b / "conf.py").write_text(
            (b / "conf.py").read_text(encoding="utf-8") + '\nbook_csl_style = "no-such-style"\n',
            encoding="utf-8",
        ),
        "outline-10000-headings": lambda b: _outline_with_headings(b, 10_000, "\n[extras]\nkey = 1\n"),
        "ten-thousand-headings": _ten_thousand_headings,
    }
)


# --- checks for cases that succeed --------------------------------------------------------


def _chapter_text(book: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(book.glob("chapters/*.md")))


def _bib_reads_back(book: Path, *expected: str) -> None:
    from book.citations.bibtex import load_bibfiles

    database = load_bibfiles([book / "references-generated.bib"])
    assert not database.problems, database.problems
    titles = [item.get("title", "") for item in database.items.values()]
    for text in expected:
        assert any(text in t for t in titles), f"{text!r} not in {titles}"


def _macros_expanded(book: Path) -> None:
    """@string macros and # concatenation read as BibTeX reads them, in the build's reader."""
    from book.citations.bibtex import load_bibfiles

    database = load_bibfiles([book / "references.bib"])
    item = database.items["selfloop2000"]
    assert (item["title"], item["publisher"]) == ("Loop Self", "Pub Ltd"), item
    assert item["issued"] == {"date-parts": [[2000, 3]]} and not database.problems, database.problems


CHECKS: dict[str, Callable[[Path], None]] = {
    "bib-macros-expanded": _macros_expanded,
    "no-bom": lambda b: (
        (
            "\ufeff" not in _chapter_text(b) + (b / "index.md").read_text(encoding="utf-8")
            and "The lead paragraph" in _chapter_text(b)
        )
        or pytest.fail("byte-order mark kept")
    ),
    "crlf-headings": lambda b: (
        ("\r" not in _chapter_text(b) and "# A Chapter\n" in _chapter_text(b))
        or pytest.fail("CRLF document read wrongly")
    ),
    "percent-dash-title": lambda b: _bib_reads_back(b, "Loans Rose 50% in 1912--1914 in the North"),
    "backslash-title": lambda b: _bib_reads_back(b, "Rivers of the North\\"),
    "brace-title": lambda b: _bib_reads_back(b, "Rivers {of the North", "Envoys} and Emperors"),
    "see-also-literal": lambda b: _see_also_literal(b),
    "heading-keeps-hash": lambda b: _heading_keeps_hash(b),
}


def _heading_keeps_hash(book: Path) -> None:
    """CommonMark drops a heading's closing run of #: the escaped heading keeps it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(_chapter_text(book))
    headings = [t.content for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open"]
    assert any(h.replace("\\", "") == "A Section ##" for h in headings), headings


def _see_also_literal(book: Path) -> None:
    """The See also items stay list items of text: no heading, nested list or quote."""
    from markdown_it import MarkdownIt

    text = (book / "chapters" / "bibliography.md").read_text(encoding="utf-8")
    see_also = text[text.index("## See Also") :]
    tokens = [t.type for t in MarkdownIt("commonmark").parse(see_also)]
    assert tokens.count("heading_open") == 1 and tokens.count("list_item_open") == 3, tokens
    assert "ordered_list_open" not in tokens and "blockquote_open" not in tokens, tokens


# --- error cases ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny book with its chapters imported, and a dist/ that no failing run may touch.

    The dist/ stands for a published site (no Sphinx build here: the cases that build are
    marked ``sphinx``); any change to it, a file replaced or removed, fails the case.
    """
    book = tmp_path_factory.mktemp("hostile") / "book"
    shutil.copytree(TINY, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    for args in (["bib"], ["import"]):
        proc = run_book(*args, cwd=book)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    (book / "dist" / "html").mkdir(parents=True)
    (book / "dist" / "html" / "index.html").write_text("<p>the published site</p>\n", encoding="utf-8")
    (book / "dist" / "tiny.pdf").write_bytes(b"%PDF-1.5 the published PDF\n")
    (book / "dist" / "tiny.epub").write_bytes(b"PK the published EPUB\n")
    return book


def error_line(stderr: str, where: str) -> str:
    """The first error line naming ``where`` (a failed build also says that it failed)."""
    lines = [line for line in stderr.splitlines() if re.search(r"\berror\b", line, re.I)]
    return next((line for line in lines if where in line), "")


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=_marks(c)) for c in ERROR_CASES]
)  # fmt: skip
def test_hostile_input(case: Case, base_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(base_book, book, symlinks=True)
    for target, edit in case.edits.items():
        _edit(book, target, edit)
    if case.special:
        SPECIAL[case.special](book)
    before = snapshot(book / "dist")
    whole = (snapshot(book), sorted(os.listdir(tmp_path))) if case.group == "dist-target" else None
    proc = run_book(*case.run, cwd=book, timeout=120)
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    assert proc.returncode == case.status, output
    if case.status:
        line = error_line(proc.stderr, case.where)
        assert line, f"no error line names {case.where!r}:\n{proc.stderr}"
        for needle in case.message:
            assert needle in line, f"{needle!r} not in the error line:\n{proc.stderr}"
        assert case.hint in proc.stderr, proc.stderr
    if case.check:
        CHECKS[case.check](book)
    assert snapshot(book / "dist") == before, "dist/ changed"
    if whole is not None:
        assert (snapshot(book), sorted(os.listdir(tmp_path))) == whole, "the book's folder changed"
    if case.special == "out-not-empty":
        assert (book / "out" / "notes.txt").read_text() == "mine\n" and sorted(os.listdir(book / "out")) == [
            "notes.txt"
        ]


# --- injection: one build of the injected book, one draft ---------------------------------


@dataclass
class Editions:
    html: dict[str, str]  # page -> HTML
    epub: dict[str, str]  # file -> XHTML / OPF / NCX
    tex: str
    pdf_text: str
    pdf_meta: dict[str, str]
    bookmarks: list[str]

    @cached_property
    def soups(self) -> dict[str, BeautifulSoup]:
        return {name: BeautifulSoup(page, "html.parser") for name, page in {**self.html, **self.epub}.items()}

    @cached_property
    def _texts(self) -> dict[str, str]:
        """The visible text of each edition (HTML and EPUB parsed), whitespace removed."""
        html = [self.soups[n].get_text() for n in self.html]
        epub = [self.soups[n].get_text() for n in self.epub]
        pdf = [self.pdf_text, *self.pdf_meta.values(), *self.bookmarks]
        return {k: re.sub(r"\s+", "", " ".join(v)) for k, v in (("html", html), ("epub", epub), ("pdf", pdf))}

    @cached_property
    def _raws(self) -> dict[str, str]:
        return {
            "html": "\n".join(self.html.values()),
            "epub": "\n".join(self.epub.values()),
            "pdf": self.text("pdf"),
        }

    def text(self, edition: str) -> str:
        return self._texts[edition]

    def raw(self, edition: str) -> str:
        return self._raws[edition]


def read_editions(dist: Path, name: str, tex: Path | None) -> Editions:
    html = {str(p.relative_to(dist)): p.read_text(encoding="utf-8") for p in (dist / "html").rglob("*.html")}
    with zipfile.ZipFile(dist / f"{name}.epub") as zf:
        epub = {
            n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))
        }
    pdf = dist / f"{name}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    reader = PdfReader(pdf)
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}

    def walk(items: list) -> list[str]:
        return [t for i in items for t in (walk(i) if isinstance(i, list) else [i.title])]

    latex = tex.read_text(encoding="utf-8") if tex else ""
    return Editions(html, epub, latex, text, meta, walk(reader.outline))


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Editions]:
    """The injection book built (three editions) and drafted (three editions), once each."""
    base = tmp_path_factory.mktemp("injected")
    book = base / "book"
    shutil.copytree(INJECTION, book, ignore=shutil.ignore_patterns("draft-*"))
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    for args in (["bib"], ["import"], ["publish", "html", "epub", "pdf"]):
        proc = run_book(*args, cwd=book)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    # The draft's documents: a hostile first line (the title), a hostile file name (the
    # chapter title of a document without a title line) and a hostile --author.
    docs = base / "documents"
    docs.mkdir()
    first = docs / "first.txt"
    shutil.copy(INJECTION / "draft-title.txt", first)
    second = docs / "x<img src=x onerror=alert(302)>.txt"
    shutil.copy(INJECTION / "draft-untitled.txt", second)
    proc = run_book("draft", str(first), str(second), "--out", str(base / "draft"), "--author", DRAFT_AUTHOR,
                    cwd=base)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    name = next((base / "draft").glob("*.pdf")).stem
    return {
        "outline": read_editions(book / "dist", "injected", book / "_build" / "latex" / "injected.tex"),
        "draft": read_editions(base / "draft", name, None),  # its LaTeX is not kept
    }


DRAFT_AUTHOR = "Draft Author <script>alert(303)</script><img src=x onerror=alert(303)> \\input{/etc/passwd}"


def payload(n: int) -> str:
    """The markup every injected field carries (see injection/outline.toml)."""
    return f"<script>alert({n})</script><img src=x onerror=alert({n})> \\input{{/etc/passwd}} 50% $x$ #_~^ {{b}} 1912--1914"


@pytest.mark.sphinx
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in INJECTION_CASES])
def test_injection_is_text(case: Case, injected: dict[str, Editions]) -> None:
    editions = injected[case.book]
    alert = f"alert({case.alert})"
    for edition in ("html", "epub", "pdf"):
        raw = editions.raw(edition)
        if edition in case.shown:
            assert alert.lower() in raw.lower(), f"{alert} not in the {edition} edition"
        if edition != "pdf":  # markup nowhere: no raw tag in any page (the PDF prints them)
            assert f"<script>{alert}" not in raw, f"{alert} is a script element in the {edition} edition"
            assert not re.search(rf"<img[^<>]*onerror={re.escape(alert)}", raw, re.I), edition
    if case.exact:
        full = re.sub(r"\s+", "", payload(case.alert))
        for edition in case.exact:
            text = editions.text(edition).replace("–", "--")  # typographic dashes
            assert full in text, f"the {edition} edition lost characters of {alert}"
    for name, soup in editions.soups.items():
        for tag in soup.find_all(True):
            assert not (tag.name == "script" and alert in (tag.string or "")), name
            assert not any(a.startswith("on") and alert in str(v) for a, v in tag.attrs.items()), name
    assert "\\input{/etc/passwd}" not in editions.tex  # escaped: \textbackslash{}input\{...
    assert PASSWD_LINE not in editions.pdf_text


def test_corpus_size() -> None:
    groups = {c.group for c in CASES}
    assert (
        len(CASES) >= 60 and {"document", "injection", "references", "outline", "config", "draft"} <= groups
    )
