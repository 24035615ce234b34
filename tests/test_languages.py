"""The book's language everywhere: the message catalogue (book/editions/words/), the language
of ``outline.toml`` checked, the TeX hyphenation patterns the PDF needs (book/editions/
hyphenation.py, and how ``make`` learns which to install), then the German and French tiny
books (tests/roots/german-book, french-book) published and read back: their PDF (contents,
copyright page, notes, index, hyphenation), HTML (sidebar and download labels) and EPUB
(landmarks, cover)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import string
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from book.editions.hyphenation import check_log, missing_support, package_for, pattern_names
from book.editions.languages import (
    LANGUAGES,
    WORDS,
    UnknownLanguage,
    book_language,
    language,
    sphinx_language,
    words,
)
from book.errors import BookError
from book.sources.outline import load_outline

from .conftest import ROOT, run_book

ROOTS = ROOT / "tests" / "roots"


# -- the catalogue ------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_word_with_its_placeholders() -> None:
    english = tomllib.loads((WORDS / "en.toml").read_text(encoding="utf-8"))
    assert set(LANGUAGES) == {"en", "de", "fr", "es", "it", "ru", "zh"}
    for code in LANGUAGES:
        own = tomllib.loads((WORDS / f"{code}.toml").read_text(encoding="utf-8"))
        assert not set(own) - set(english) - {"day_one"}, code  # no key English lacks
        # the same as English in these languages: taken from English
        assert set(english) - set(own) <= {"list_separator"}, code
        for key, text in own.items():
            if isinstance(text, str) and key in english:
                assert _placeholders(text) == _placeholders(str(english[key])), (code, key)
                assert text.strip() and (text.strip() == text or key.startswith("list_")), (code, key)
        assert len(own["months"]) == 12, code


def test_dates_lists_and_quotations_as_each_language_writes_them() -> None:
    day, first = dt.date(2026, 11, 23), dt.date(2026, 11, 1)
    assert words("en").date(day) == "23 November 2026"
    assert words("de").date(day) == "23. November 2026"
    assert words("fr").date(first) == "1er novembre 2026"
    assert words("es").date(day) == "23 de noviembre de 2026"
    assert words("ru").date(day) == "23 ноября 2026 г."
    assert words("zh_CN").date(day) == "2026年11月23日"
    assert words("de").listing(["A", "B", "C"]) == "A, B und C"
    assert words("zh").listing(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert words("de").quoted("Titel") == "„Titel“" and words("fr").quoted("Titre") == "«\u00a0Titre\u00a0»"
    assert words("de")("published_by", publisher="X") == "Verlag: X"
    assert words("xx")["contents"] == "Contents"  # not a book's language: English


def test_language_tags_and_sphinxs_language() -> None:
    assert language("de-CH").code == "de" and sphinx_language("de-CH") == "de_CH"
    assert sphinx_language("zh") == sphinx_language("zh-Hans") == "zh_CN"
    assert sphinx_language("fr") == "fr" and language("zh_CN").code == "zh"
    for tag in ("xx", "zh-Hant", "zh-TW", "english"):
        with pytest.raises(UnknownLanguage):
            language(tag)


def test_an_unknown_language_names_the_outline_line_and_the_languages(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "german-book", book)
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8").replace('"de"', '"xx"'), encoding="utf-8")
    with pytest.raises(BookError) as caught:
        book_language(load_outline(outline))
    line = next(
        n for n, text in enumerate(outline.read_text().splitlines(), 1) if text.startswith("language")
    )
    assert caught.value.line == line
    message = str(caught.value)
    assert f"outline.toml:{line}: error: unknown language 'xx'" in message
    for listed in (
        "en (English)",
        "de (German)",
        "fr (French)",
        "es (Spanish)",
        "it (Italian)",
        "ru (Russian)",
    ):
        assert listed in message
    assert "zh (Chinese" in message


# -- hyphenation --------------------------------------------------------------------------------

LANGUAGE_DAT = """% language.dat of a TeX without German
english hyphen.tex % do not change!
=usenglish
french loadhyph-fr.tex
russian loadhyph-ru.tex
"""
# what xelatex wrote on this machine before texlive-lang-german and -french were installed
POLYGLOSSIA_LOG = """Package polyglossia Warning: No hyphenation patterns were loaded for `german'
(polyglossia)                I will use \\language=\\l@nohyphenation instead on input line 12.
"""
BABEL_LOG = """Package babel Info: You haven't specified a language as a class or package
(babel)             option. I'll load 'nil'. Reported on input line 4406.
"""


def test_the_patterns_tex_has_and_what_a_language_lacks() -> None:
    assert pattern_names(LANGUAGE_DAT) == {"english", "usenglish", "french", "russian"}
    assert missing_support(LANGUAGES["de"], LANGUAGE_DAT) == "hyphenation patterns"
    assert missing_support(LANGUAGES["fr"], LANGUAGE_DAT, found=set()) == "LaTeX's support"
    assert missing_support(LANGUAGES["fr"], LANGUAGE_DAT, found={"french.ldf"}) is None
    assert missing_support(LANGUAGES["en"], LANGUAGE_DAT) is None
    assert missing_support(LANGUAGES["zh"], LANGUAGE_DAT) is None  # no patterns: xeCJK breaks lines


@pytest.mark.parametrize(
    ("log", "tag", "package"),
    [(POLYGLOSSIA_LOG, "de", "texlive-lang-german"), (BABEL_LOG, "fr", "texlive-lang-french")],
)
def test_an_unhyphenated_pdf_is_an_error_naming_the_package(
    tmp_path: Path, log: str, tag: str, package: str
) -> None:
    path = tmp_path / "book.log"
    path.write_text("This is XeTeX\n" + log, encoding="utf-8")
    outline = tmp_path / "outline.toml"
    outline.write_text(f'[book]\ntitle = "T"\nlanguage = "{tag}"\n', encoding="utf-8")
    with pytest.raises(BookError) as caught:
        check_log(path, tag, outline)
    assert caught.value.line == 3 and package in str(caught.value)
    path.write_text("This is XeTeX\nOutput written on book.pdf (9 pages).\n", encoding="utf-8")
    check_log(path, tag, outline)  # nothing said: no error


def test_make_installs_the_patterns_of_the_outlines_language(tmp_path: Path) -> None:
    outline = tmp_path / "outline.toml"
    for tag, package in (
        ("de", "texlive-lang-german"),
        ("it-CH", "texlive-lang-italian"),
        ("en", ""),
        ("xx", ""),
    ):
        outline.write_text(f'[book]\ntitle = "T"\nlanguage = "{tag}"\n', encoding="utf-8")
        assert package_for(outline) == package
    outline.write_text('[book]\ntitle = "T"\nlanguage = "es"\n', encoding="utf-8")
    # the Makefile asks the system's python3 (no virtual environment yet), then lists the package
    asked = subprocess.run(
        ["python3", "-m", "book.editions.hyphenation", str(outline)], cwd=ROOT, capture_output=True, text=True
    )
    assert asked.stdout.strip() == "texlive-lang-spanish", asked.stderr
    dry = subprocess.run(
        ["make", "-n", "system", f"OUTLINE={outline}"], cwd=ROOT, capture_output=True, text=True
    )
    assert "texlive-lang-spanish" in dry.stdout and "texlive-lang-german" in dry.stdout


# -- the German and French books ----------------------------------------------------------------


def publish(name: str, dest: Path, language: str | None = None) -> subprocess.CompletedProcess[str]:
    """A copy of a tiny book of tests/roots, imported and published (all three editions)."""
    book = dest / name
    shutil.copytree(ROOTS / name, book)
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    if language:
        outline = book / "outline.toml"
        text = re.sub(
            r'(?m)^language = ".*"', f'language = "{language}"', outline.read_text(encoding="utf-8")
        )
        outline.write_text(text, encoding="utf-8")
    run_book("bib", cwd=book, check=True)
    run_book("import", cwd=book, check=True)
    return run_book("publish", "html", "epub", "pdf", cwd=book)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def hyphenated(text: str, source: str) -> list[str]:
    """Words the PDF breaks at a line's end with a hyphen ("Flussschiff-" + "fahrts…"), found
    whole in the source text (a hyphen of the text itself is no break)."""
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for line, following in itertools.pairwise(lines):
        head, tail = re.search(r"(\w+)-$", line), re.match(r"(\w+)", following)
        if head and tail and head.group(1) + tail.group(1) in source:
            found.append(head.group(1) + tail.group(1))
    return found


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("german")
    result = publish("german-book", base)
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "german-book"


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("french")
    result = publish("french-book", base)
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "french-book"


@pytest.mark.sphinx
def test_the_german_pdf_speaks_german_and_is_hyphenated(german: Path) -> None:
    text = pdf_text(german / "dist" / "kleines-buch.pdf")
    flat = " ".join(text.split())
    for said in ("Inhalt", "Verlag: Testverlag", "Ausgabe 1.0", "23. November 2026", "Druck: 10 9 8",
                 "© 2026 Test Autorin.", "Dieses Buch steht unter der Lizenz CC BY 4.0:", "Quellen des Textes",
                 "„Ein kleiner Text“, von Test Autorin, Testarchiv.", "Lizenz: CC BY-SA 4.0,",
                 "Literaturverzeichnis", "Zitierte Werke", "Weiterführende Literatur", "Stichwortverzeichnis",
                 "„Forts on the Frontier“", "Nr. 3", "zugegriffen 27. August 2019"):  # fmt: skip
        assert said in flat, said
    for english in (
        "Contents",
        "Published by",
        "Printing",
        "licensed under",
        "Sources of the text",
        "Licence",
    ):
        assert english not in flat, english
    assert "klein.txt" not in flat  # the copyright page names no file
    source = (german / "documents" / "klein.txt").read_text(encoding="utf-8")
    assert hyphenated(text, source), "no word of the German text is hyphenated"
    log = (german / "_build" / "latex" / "kleines-buch.log").read_text(encoding="utf-8", errors="replace")
    assert "No hyphenation patterns" not in log and "ngerman" in log


@pytest.mark.sphinx
def test_the_french_pdf_speaks_french_and_is_hyphenated(french: Path) -> None:
    text = pdf_text(french / "dist" / "petit-livre.pdf")
    flat = " ".join(text.split()).replace("\u00a0", " ")
    for said in ("Table des matières", "Publié par Éditions de test", "Édition 1.0", "1er novembre 2026",
                 "Impression : 10 9 8", "Ouvrages cités", "Lectures complémentaires", "« Forts on the Frontier »",
                 "© Autrice de test, 2026.", "Sources du texte",
                 "Un document sans titre. Son auteur, son adresse et sa licence ne sont pas consignés."):  # fmt: skip
        assert said in flat, said
    assert "Contents" not in flat and "Published by" not in flat and "Sources of the text" not in flat
    assert "petit.txt" not in flat  # the copyright page names no file
    source = (french / "documents" / "petit.txt").read_text(encoding="utf-8")
    assert hyphenated(text, source), "no word of the French text is hyphenated"
    log = (french / "_build" / "latex" / "petit-livre.log").read_text(encoding="utf-8", errors="replace")
    assert "I'll load 'nil'" not in log and "french.ldf" in log


@pytest.mark.sphinx
def test_the_german_site_and_ebook_speak_german(german: Path) -> None:
    index = (german / "dist" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in index
    assert 'aria-label="Anhang des Buches"' in index  # the sidebar's back of the book
    assert ">Stichwortverzeichnis</a>" in index  # Sphinx's own word for the index
    assert (
        'title="Das Buch als PDF herunterladen"' in index and 'aria-label="Das Buch herunterladen"' in index
    )
    assert "Dieses Buch herunterladen:" in index
    assert "Show or hide" not in index and "Download the book" not in index
    # every page's footer: the copyright line, the licence and the rights page, in German
    assert "© 2026 Test Autorin. Dieses Buch steht unter der Lizenz CC BY 4.0:" in index
    assert 'href="imprint.html">Rechte und Quellen</a>' in index
    rights = (german / "dist" / "html" / "imprint.html").read_text(encoding="utf-8")
    assert ">Rechte und Quellen</h1>" in rights and ">Quellen des Textes</h2>" in rights
    assert "„Ein kleiner Text“, von Test Autorin, Testarchiv." in rights and "Licence" not in rights
    bibliography = (german / "dist" / "html" / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    assert "Zitierte Werke" in bibliography and "„Forts on the Frontier“" in bibliography
    with zipfile.ZipFile(german / "dist" / "kleines-buch.epub") as epub:
        nav = epub.read("nav.xhtml").decode()
        cover = epub.read("epub-cover.xhtml").decode()
        opf = epub.read("content.opf").decode()
        imprint = epub.read("imprint.xhtml").decode()
    landmarks = re.findall(r'<a epub:type="([\w-]+)" href="[^"]*">([^<]*)</a>', nav)
    assert landmarks == [("cover", "Umschlag"), ("copyright-page", "Impressum"), ("toc", "Inhalt"),
                         ("bodymatter", "Beginn des Textes"), ("bibliography", "Literaturverzeichnis"),
                         ("index", "Stichwortverzeichnis")]  # fmt: skip
    assert "<h2>Orientierungspunkte</h2>" in nav and 'xml:lang="de"' in nav
    assert 'alt="Umschlag: Titel und Autor des Buches, in Schrift gesetzt"' in cover
    assert "Ein reines Textbuch" in opf
    assert ">Impressum</h1>" in imprint and "Verlag: Testverlag" in imprint and "23. November 2026" in imprint
    assert "<dc:rights>© 2026 Test Autorin. Dieses Buch steht unter der Lizenz CC BY 4.0:" in opf


@pytest.mark.sphinx
def test_the_french_site_and_ebook_speak_french(french: Path) -> None:
    index = (french / "dist" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in index and 'aria-label="Fin de l’ouvrage"' in index
    assert 'title="Télécharger le livre en EPUB"' in index and "Télécharger ce livre\u00a0:" in index
    with zipfile.ZipFile(french / "dist" / "petit-livre.epub") as epub:
        nav = epub.read("nav.xhtml").decode()
    assert ">Table des matières</a>" in nav and ">Couverture</a>" in nav and "<h2>Repères</h2>" in nav


def _has_patterns(lang: str) -> bool:
    found = shutil.which("kpsewhich") and subprocess.run(
        ["kpsewhich", "language.dat"], capture_output=True, text=True
    )
    if not found or not found.stdout.strip():
        return False
    return LANGUAGES[lang].patterns in pattern_names(Path(found.stdout.strip()).read_text(errors="replace"))


@pytest.mark.sphinx
@pytest.mark.skipif(_has_patterns("it"), reason="Italian patterns installed: no language here lacks them")
def test_a_language_without_patterns_stops_the_pdf_naming_the_package(tmp_path: Path) -> None:
    book = tmp_path / "german-book"
    result = publish("german-book", tmp_path, language="it")
    assert result.returncode == 1
    first = next(line for line in result.stderr.splitlines() if "error:" in line)
    line = next(
        n
        for n, t in enumerate((book / "outline.toml").read_text().splitlines(), 1)
        if t.startswith("language")
    )
    assert f"outline.toml:{line}: error: the PDF needs TeX's hyphenation patterns for Italian" in first, first
    assert "texlive-lang-italian" in result.stderr and "Traceback" not in result.stderr
    assert not (book / "dist").exists()  # nothing published
    assert run_book("publish", "html", cwd=book).returncode == 0  # the site needs no patterns


def test_sys_path_of_the_makefile_probe_has_no_third_party_import() -> None:
    """The Makefile runs the probe with the system's python3, before the venv exists: it may
    import nothing outside the standard library and the project's own modules."""
    probe = "import sys, book.editions.hyphenation as h; print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils', 'pypandoc', 'bibtexparser')))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
