"""outline.toml's rights, attributions, release date, edition, trim size and cover: read and
checked (a BookError naming the line), and worded for the copyright page (unit tests)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from book.editions.imprint import imprint, rights_line
from book.editions.languages import words
from book.editions.latexbook import PAGE_DESIGNS, latex_settings, preamble
from book.errors import BookError
from book.sources.outline import load_outline
from book.sources.rights import NOT_STATED, TRIMS, licence_of

from .conftest import ROOT, TINY


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    return book


def outline_with(book: Path, text: str, replace: tuple[str, str] | None = None) -> Path:
    path = book / "outline.toml"
    body = path.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in body
        body = body.replace(*replace)
    path.write_text(body + text, encoding="utf-8")
    return path


def error_of(path: Path) -> BookError:
    with pytest.raises(BookError) as caught:
        load_outline(path)
    return caught.value


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# -- licences ----------------------------------------------------------------------------------


def test_licence_ids_are_spdx_and_their_address_derived():
    assert licence_of("CC-BY-SA-4.0").url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert licence_of("CC-BY-SA-4.0").name == "CC BY-SA 4.0"
    assert licence_of("CC-BY-NC-ND-3.0-DE").url == "https://creativecommons.org/licenses/by-nc-nd/3.0/de/"
    assert licence_of("CC0-1.0").url == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert licence_of("MIT").url == "https://spdx.org/licenses/MIT.html"


def test_rights_and_attribution_are_read(tiny: Path):
    path = outline_with(
        tiny,
        '\n[rights]\nholder = "A Holder"\nlicence = "cc-by-sa-4.0"\n'
        '\n[attribution."documents/tiny.txt"]\ntitle = "Rivers"\nsite = "A Site"\n'
        'url = "https://example.org/a"\nlicence = "Not stated"\n',
    )
    outline = load_outline(path)
    assert (outline.rights_holder, outline.licence) == ("A Holder", "CC-BY-SA-4.0")  # canonical spelling
    (attribution,) = outline.attributions
    assert attribution.title == "Rivers" and attribution.licence == NOT_STATED
    assert outline.attribution(outline.sources[0]) == attribution


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        (
            '\n[rights]\nlicence = "CC-BY-FOO-9"\n',
            "licence =",
            "not a licence id on the SPDX list: 'CC-BY-FOO-9'",
        ),
        ('\n[rights]\nlicence = "MIT OR Apache-2.0"\n', "licence =", "not a licence id on the SPDX list"),
        ('\n[rights]\nlicence = "not stated"\n', "licence =", "not a licence id on the SPDX list"),
        ('\n[attribution."documents/tiny.txt"]\ntitle = "T"\n', "[attribution.", "needs 'licence'"),
        ('\n[attribution."documents/tiny.txt"]\nlicence = "GPL-99"\n', "licence =", "SPDX list"),
        ('\n[attribution."documents/tiny.txt"]\nlicense = "MIT"\n', "license =", "unknown key 'license'"),
        (
            '\n[attribution."documents/tiny.txt"]\nlicence = "MIT"\nurl = "example.org"\n',
            "url =",
            "web address",
        ),
        ('\n[attribution."outline.toml"]\nlicence = "MIT"\n', "[attribution.", "not a source document"),
        ('\n[attribution."documents/gone.txt"]\nlicence = "MIT"\n', "[attribution.", "not found"),
        ('\n[print]\ntrim = "b5"\n', "trim =", "not a trim size this book can be set in: 'b5'"),
    ],
)
def test_bad_rights_trim_and_attribution_name_the_line(tiny: Path, text: str, needle: str, message: str):
    path = outline_with(tiny, text)
    error = error_of(path)
    assert error.line == line_of(path, needle), str(error)
    assert message in str(error)


def test_unknown_licence_and_trim_say_what_is_accepted(tiny: Path):
    error = error_of(outline_with(tiny, '\n[rights]\nlicence = "CC-BY-FOO"\n'))
    assert "CC-BY-SA-4.0" in str(error.hint) and "spdx.org/licenses" in str(error.hint)
    other = tiny.parent / "other"
    shutil.copytree(TINY, other)
    error = error_of(outline_with(other, '\n[print]\ntrim = "A4"\n'))
    assert '"a5", "6x9in", "royal", "letter"' in str(error.hint)


# -- the release date and the edition ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"2026-13-45"', "is not a real date: '2026-13-45'"),
        ('"2026-02-30"', "is not a real date"),
        ('"Spring 2026"', "must be a date written YYYY-MM-DD"),
        ("2026-11-23T10:00:00", "must be a date"),
        ("20261123", "must be a date"),
    ],
)
def test_a_date_that_is_not_a_real_date_names_the_line(tiny: Path, value: str, message: str):
    path = outline_with(tiny, "", ('filename = "tiny"', f'filename = "tiny"\ndate = {value}'))
    error = error_of(path)
    assert error.line == line_of(path, "date =") and message in str(error)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_an_edition_that_is_not_a_finite_number_is_refused(tiny: Path, value: str):
    path = outline_with(tiny, "", ('filename = "tiny"', f'filename = "tiny"\nedition = {value}'))
    error = error_of(path)
    assert error.line == line_of(path, "edition =") and "must be a finite number" in str(error)


@pytest.mark.parametrize(("value", "edition"), [("2", "2"), ("2.5", "2.5"), ('"Second"', "Second")])
def test_an_edition_is_text_or_a_finite_number(tiny: Path, value: str, edition: str):
    path = outline_with(tiny, "", ('filename = "tiny"', f'filename = "tiny"\nedition = {value}'))
    assert load_outline(path).edition == edition


def test_the_release_day_is_the_outlines_else_source_date_epoch(tiny: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert load_outline(tiny / "outline.toml").release_day == dt.date(2023, 11, 14)
    path = outline_with(
        tiny, "", ('filename = "tiny"', 'filename = "tiny"\ndate = 2026-11-23')
    )  # a TOML date
    outline = load_outline(path)
    assert outline.date == "2026-11-23" and outline.release_day == dt.date(2026, 11, 23)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert load_outline(TINY / "outline.toml").release_day is None


# -- the cover ---------------------------------------------------------------------------------


def test_cover_must_be_an_image_wide_enough(tiny: Path):
    from PIL import Image

    path = outline_with(tiny, "", ('filename = "tiny"', 'filename = "tiny"\ncover = "cover.jpg"'))
    (tiny / "cover.jpg").write_text("not an image\n", encoding="utf-8")
    error = error_of(path)
    assert error.line == line_of(path, "cover =") and "cover 'cover.jpg' is not an image" in str(error)
    assert "JPEG or PNG image at least 1,400 pixels wide" in str(error.hint)
    Image.new("RGB", (900, 1350), "white").save(tiny / "cover.jpg", "JPEG")
    error = error_of(path)
    assert "is 900 pixels wide; a cover needs 1,400" in str(error) and error.line == line_of(path, "cover =")
    Image.new("RGB", (1600, 2400), "white").save(tiny / "cover.jpg", "JPEG")
    assert load_outline(path).cover == tiny / "cover.jpg"
    (tiny / "cover.jpg").unlink()
    assert "cover image 'cover.jpg' not found" in str(error_of(path))


# -- the words of the copyright page -----------------------------------------------------------


def test_the_flagships_copyright_page_has_rights_licence_and_sources_no_file_names():
    outline = load_outline(ROOT / "outline.toml")
    text = preamble(outline)
    copyright_page = text[
        text.index(r"\renewcommand\bookrights") : text.index(r"\renewcommand\booktitlesize")
    ]
    assert "© 2026 Sino" in copyright_page and "CC BY" in copyright_page
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in copyright_page
    assert "Retrieved 2019" in copyright_page and "Licence: not stated in the document." in copyright_page
    assert (
        ".txt" not in copyright_page and "README" not in copyright_page and "documents/" not in copyright_page
    )
    assert rights_line(outline).startswith(
        "© 2026 Sino-Russian Relations Book Project. This book is licensed"
    )
    # every source document is attributed, none with a licence the documents do not give
    assert {a.document.resolve() for a in outline.attributions} == {p.resolve() for p in outline.documents}
    assert all(a.licence == NOT_STATED and not a.url and not a.author for a in outline.attributions)


def test_the_imprints_words_come_from_the_catalogue():
    outline = load_outline(ROOT / "outline.toml")
    book = imprint(outline)
    printed = " ".join(
        [*("".join(t for t, _ in p) for p in book.rights + book.sources), book.publisher, book.edition]
    )
    english = words("en")
    for key in ("licence_not_stated", "published_by", "edition", "licensed_under", "copyright_year"):
        fixed = english[key].split("{")[0].strip()
        assert fixed in printed, key
    assert book.date == "23 November 2026" and book.sources_head == english["sources_of_the_text"]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("de", ["© 2026 Holder.", "Dieses Buch steht unter der Lizenz CC BY-SA 4.0: ", "Quellen des Textes",
                "Lizenz: im Dokument nicht angegeben.", "Ausgabe ", "23. November 2026"]),
        ("fr", ["© Holder, 2026.", "Ce livre est diffusé sous la licence CC BY-SA 4.0\u00a0: ",
                "Sources du texte", "Licence\u00a0: non indiquée dans le document.", "Édition ", "23 novembre 2026"]),
        ("zh", ["© 2026 Holder。本书采用CC BY-SA 4.0许可协议：", "正文来源", "许可协议：文档中未注明。", "2026年11月23日"]),
    ],
)  # fmt: skip
def test_the_imprint_speaks_the_books_language(tiny: Path, language: str, said: list[str]):
    outline_with(tiny, "", ('language = "en"', f'language = "{language}"\ndate = "2026-11-23"'))
    path = outline_with(
        tiny,
        '\n[rights]\nholder = "Holder"\nlicence = "CC-BY-SA-4.0"\n'
        '\n[attribution."documents/tiny.txt"]\nlicence = "not stated"\n',
    )
    book = imprint(load_outline(path))
    printed = "".join(t for p in book.rights + book.sources for t, _ in p)
    printed += " ".join(["", book.sources_head, book.edition, book.date])
    for words_of_the_language in said:
        assert words_of_the_language in printed, (language, words_of_the_language)
    for english in ("Licence:", "licensed under", "Sources of the text", "Edition", "23 November 2026"):
        assert english not in printed, (language, english)


def test_each_trim_size_has_a_page_design():
    assert set(PAGE_DESIGNS) == set(TRIMS)


def test_citation_cff_says_what_the_outline_says():
    outline = load_outline(ROOT / "outline.toml")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for record in (cff, cff["preferred-citation"]):
        assert record["license"] == outline.licence
        assert str(record["date-released"]) == outline.date
    assert cff["preferred-citation"]["copyright"] == rights_line(outline)  # references only have it


def test_latex_settings_set_the_trim(tiny: Path):
    path = outline_with(tiny, '\n[print]\ntrim = "royal"\n')
    settings = latex_settings(load_outline(path))["latex_elements"]
    assert "paperwidth=156.0mm,paperheight=234.0mm" in settings["geometry"]
    assert settings["pointsize"] == "11pt"
