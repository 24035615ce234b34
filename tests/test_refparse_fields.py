"""The reference parser's field normalizers (dates, pages and locators, identifiers, titles) as
a contract: exact outputs for the forms the sources use, and for near misses."""

from __future__ import annotations

import pytest

from book.references.refparse.dates import parse_date, set_date
from book.references.refparse.identifiers import _isbn_ok, normalise_isbn, take_identifiers
from book.references.refparse.pages import normalise_locator, normalise_pages
from book.references.refparse.titles import take_edition, title_end, title_volume, unquote

DATES = [
    ("30 June 2009", ("2009", "2009-06-30")),
    ("30 June, 2009", ("2009", "2009-06-30")),
    ("3 Sept. 2001", ("2001", "2001-09-03")),
    ("December 2016", ("2016", "2016-12")),
    ("Dec. 2016", ("2016", "2016-12")),
    ("May 15, 2014", ("2014", "2014-05-15")),
    ("Sept 3 2001", ("2001", "2001-09-03")),
    ("2022-02-04", ("2022", "2022-02-04")),
    ("1977", ("1977", "")),
    (" 1977. ", ("1977", "")),
    ("c. 1850", ("1850", "")),
    ("Spring 2007", ("2007", "")),
    ("13 Foo 2001", ("2001", "")),
    ("no year", ("", "")),
    ("19771", ("", "")),
    ("2109", ("", "")),
    ("1499", ("", "")),
    ("Foo 2001", ("2001", "")),
    ("March 5, 1999.", ("1999", "1999-03-05")),
    ("1 jan 2000", ("2000", "2000-01-01")),
]
SET_DATES = [
    ("30 June 2009", (True, {"year": "2009", "date": "2009-06-30"})),
    ("1977", (True, {"year": "1977"})),
    ("none", (False, {})),
    ("December 2016", (True, {"year": "2016", "date": "2016-12"})),
]
PAGES = [
    ("147–158", "147--158"),
    ("105–82", "105--182"),
    ("105-182", "105--182"),
    ("1000-05", "1000--1005"),
    ("113+", "113+"),
    (" 12 — 14 ", "12--14"),
    ("12—14", "12--14"),
    ("5", "5"),
    ("p. 5", "p. 5"),
    ("xiv–xx", "xiv--xx"),
    ("3 - 4,", "3--4"),
    ("99–100", "99--100"),
]
LOCATORS = [
    ("p. 78", "p. 78"),
    ("pp. 182, 183", "pp. 182, 183"),
    ("pp. 79–", "p. 79"),
    ("pp. 79-", "p. 79"),
    ("45", "p. 45"),
    ("xiv", "p. xiv"),
    ("pp. 23-50", "pp. 23–50"),
    ("pages 3–4", "pp. 3–4"),
    ("page 5", "p. 5"),
    ("P. 7", "p. 7"),
    ("Pages 7", "p. 7"),
    ("5–6", "pp. 5–6"),
    ("3, 5", "pp. 3, 5"),
    ("", ""),
    (" ; ", ""),
    ("p.5", "p. 5"),
    ("pp 12", "p. 12"),
    ("12-", "p. 12"),
    ("iv", "p. iv"),
]
ISBNS = [
    ("0-19-280265-2", None),
    ("978-0-19-280265-2", None),
    ("0-8047-3380-X", None),
    ("080473380x", None),
    ("9780192802653", None),
    ("0192802651", None),
    ("019280265", None),
    ("978 0 19 280265 2", None),
    ("abc", None),
    ("97801928026521", None),
    ("0-19-280265-2 ", None),
]
ISBN_OK = [
    ("0192802652", False),
    ("019280265X", False),
    ("9780192802652", False),
    ("9780192802653", False),
    ("12345", False),
    ("080473380X", False),
    ("080473380x", False),
    ("978019280265X", False),
]
IDS = [
    ("Title. doi:10.1000/xyz123. More", ("Title.  . More", {"doi": "10.1000/xyz123"}, [])),
    ("See https://doi.org/10.1/abc, ok", ("See  , ok", {"url": "https://doi.org/10.1/abc"}, [])),
    ("At https://example.org/a. Next", ("At  . Next", {"url": "https://example.org/a"}, [])),
    ("ISBN 0-19-280265-2.", (" ", {}, ["invalid ISBN 0-19-280265-2 (check digit): not written"])),
    (
        "ISBN-13: 978-0-19-280265-3 x",
        ("  x", {}, ["invalid ISBN 978-0-19-280265-3 (check digit): not written"]),
    ),
    ("ISSN 1234-5678. OCLC 99887766.", ("   ", {"issn": "1234-5678", "oclc": "99887766"}, [])),
    ("ISSN: 0000-000X", (" ", {"issn": "0000-000X"}, [])),
    ("plain", ("plain", {}, [])),
    (
        "http://x.org/y; ISBN 978-0-19-280265-2",
        (" ;  ", {"url": "http://x.org/y"}, ["invalid ISBN 978-0-19-280265-2 (check digit): not written"]),
    ),
]
TITLE_END = [
    ("Title.", "Title"),
    ("Title,", "Title"),
    ("U.S.", "U.S."),
    ("A History of the U.S.S.R.", "A History of the U.S.S.R."),
    (' "Quoted," ', '"Quoted,"'),
    ('"Quoted."', '"Quoted."'),
    ("x", "x"),
    ("Title, Volume 2", "Title, Volume 2"),
    ("Title, Vol. 3, Part 1", "Title, Vol. 3, Part 1"),
    ("Title Vol 4 Pt. 2", "Title Vol 4 Pt. 2"),
    ("Volume 2", "Volume 2"),
    ("Title (2nd ed.)", "Title (2nd ed.)"),
    ("Title (Revised edition)", "Title (Revised edition)"),
    ("Title (ed.)", "Title (ed.)"),
    ("Plain", "Plain"),
]
UNQUOTE = [
    ("Title.", "Title"),
    ("Title,", "Title"),
    ("U.S.", "U.S"),
    ("A History of the U.S.S.R.", "A History of the U.S.S.R"),
    (' "Quoted," ', "Quoted"),
    ('"Quoted."', "Quoted"),
    ("x", "x"),
    ("Title, Volume 2", "Title, Volume 2"),
    ("Title, Vol. 3, Part 1", "Title, Vol. 3, Part 1"),
    ("Title Vol 4 Pt. 2", "Title Vol 4 Pt. 2"),
    ("Volume 2", "Volume 2"),
    ("Title (2nd ed.)", "Title (2nd ed.)"),
    ("Title (Revised edition)", "Title (Revised edition)"),
    ("Title (ed.)", "Title (ed.)"),
    ("Plain", "Plain"),
]
TITLE_VOLUME = [
    ("Title.", ("Title.", {})),
    ("Title,", ("Title,", {})),
    ("U.S.", ("U.S.", {})),
    ("A History of the U.S.S.R.", ("A History of the U.S.S.R.", {})),
    (' "Quoted," ', (' "Quoted," ', {})),
    ('"Quoted."', ('"Quoted."', {})),
    ("x", ("x", {})),
    ("Title, Volume 2", ("Title", {"volume": "2"})),
    ("Title, Vol. 3, Part 1", ("Title", {"volume": "3", "part": "1"})),
    ("Title Vol 4 Pt. 2", ("Title", {"volume": "4", "part": "2"})),
    ("Volume 2", ("Volume 2", {})),
    ("Title (2nd ed.)", ("Title (2nd ed.)", {})),
    ("Title (Revised edition)", ("Title (Revised edition)", {})),
    ("Title (ed.)", ("Title (ed.)", {})),
    ("Plain", ("Plain", {})),
]
EDITION = [
    ("Title.", ("Title.", {})),
    ("Title,", ("Title,", {})),
    ("U.S.", ("U.S.", {})),
    ("A History of the U.S.S.R.", ("A History of the U.S.S.R.", {})),
    (' "Quoted," ', (' "Quoted," ', {})),
    ('"Quoted."', ('"Quoted."', {})),
    ("x", ("x", {})),
    ("Title, Volume 2", ("Title, Volume 2", {})),
    ("Title, Vol. 3, Part 1", ("Title, Vol. 3, Part 1", {})),
    ("Title Vol 4 Pt. 2", ("Title Vol 4 Pt. 2", {})),
    ("Volume 2", ("Volume 2", {})),
    ("Title (2nd ed.)", ("Title", {"edition": "2nd"})),
    ("Title (Revised edition)", ("Title", {"edition": "Revised ed."})),
    ("Title (ed.)", ("Title (ed.)", {})),
    ("Plain", ("Plain", {})),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_parse_date(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), SET_DATES)
def test_set_date(text: str, expected: tuple[bool, dict[str, str]]) -> None:
    fields: dict[str, str] = {}
    assert (set_date(fields, text), fields) == expected


@pytest.mark.parametrize(("text", "expected"), PAGES)
def test_normalise_pages(text: str, expected: str) -> None:
    assert normalise_pages(text) == expected


@pytest.mark.parametrize(("text", "expected"), LOCATORS)
def test_normalise_locator(text: str, expected: str) -> None:
    assert normalise_locator(text) == expected


@pytest.mark.parametrize(("text", "expected"), ISBNS)
def test_normalise_isbn(text: str, expected: str | None) -> None:
    assert normalise_isbn(text) == expected


@pytest.mark.parametrize(("digits", "expected"), ISBN_OK)
def test_isbn_check_digit(digits: str, expected: bool) -> None:
    assert _isbn_ok(digits) is expected


@pytest.mark.parametrize(("text", "expected"), IDS)
def test_take_identifiers(text: str, expected: tuple[str, dict[str, str], list[str]]) -> None:
    fields: dict[str, str] = {}
    problems: list[str] = []
    assert (take_identifiers(text, fields, problems), fields, problems) == expected


@pytest.mark.parametrize(("text", "expected"), TITLE_END)
def test_title_end(text: str, expected: str) -> None:
    assert title_end(text) == expected


@pytest.mark.parametrize(("text", "expected"), UNQUOTE)
def test_unquote(text: str, expected: str) -> None:
    assert unquote(text) == expected


@pytest.mark.parametrize(("text", "expected"), TITLE_VOLUME)
def test_title_volume(text: str, expected: tuple[str, dict[str, str]]) -> None:
    fields: dict[str, str] = {}
    assert (title_volume(text, fields), fields) == expected


@pytest.mark.parametrize(("text", "expected"), EDITION)
def test_take_edition(text: str, expected: tuple[str, dict[str, str]]) -> None:
    fields: dict[str, str] = {}
    assert (take_edition(text, fields), fields) == expected
