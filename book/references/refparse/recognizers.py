"""The reference forms, one recognizer each, tried in order.

A recognizer takes a ``Candidate`` (the cleaned reference text, its trailing locator and the
identifiers already taken out) and returns a ``Reference`` or None to let the next one try. The
order matters: narrow forms (short cites, "Author (Year). Title") come before broad ones
(a bare title). To support a new form, add a function and put it in ``RECOGNIZERS`` at the
place where it should win; the gold tests show what changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .containers import after_quoted_title, author_body, book_tail, cs1_segments
from .dates import parse_date, set_date
from .model import Reference
from .names import is_name_token, parse_names, split_surname_first
from .pages import BARE_LOC, TRAIL_LOC, normalise_locator
from .segments import is_commentary, split_segments
from .titles import title_end, unquote
from .vocab import YEAR


@dataclass
class Candidate:
    """A reference string cleaned of debris and identifiers, its trailing locator split off."""

    whole: str  # the cleaned string, locator included
    text: str  # without the trailing locator, unwrapped from "( )"
    trail: str  # the trailing locator ("p. 5", "45–46") or ""
    extras: dict[str, str]  # identifiers and web notes taken out of the string (isbn, url ...)
    thesis: str  # "phdthesis", "mastersthesis" or ""

    @classmethod
    def from_clean(cls, s: str, extras: dict[str, str], thesis: str) -> Candidate:
        whole, trail = s, ""
        m = TRAIL_LOC.search(s)
        if m and m.start() > 0:
            trail, s = m.group("loc"), s[: m.start()].rstrip(" ,.;:")
        else:
            m = BARE_LOC.search(s)
            if m:
                trail, s = m.group("loc"), s[: m.start()]
        s = s.replace("()", "").strip(" ,")
        pm = re.fullmatch(r"\(([^()]+)\)\.?", s)
        if pm:
            s = pm.group(1)
        return cls(whole, s, trail, extras, thesis)

    def fields(self) -> dict[str, str]:
        """A fresh field dict holding the extras."""
        return dict(self.extras)

    @cached_property
    def surname_first(self) -> tuple[str, str, bool] | None:
        """(names, rest, is editor) when the text starts "Family, Given[, ed.]. ..."."""
        return split_surname_first(self.text)


class Recognizer(NamedTuple):
    name: str
    parse: Callable[[Candidate], Reference | None]
    locates: bool = True  # whether the trailing locator applies (not for "Ibid., 5")


# ---------------------------------------------------------------------------------------------
# short forms: a work given in full elsewhere

_NAMES = r"(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?)"
_LOC = r"(?P<loc>(?:\d+:)?\d+(?:\s*[–-]\s*\d+)?)"


def _short(fields: dict[str, str], loc: str = "") -> Reference:
    return Reference("misc", fields, normalise_locator(loc), kind="short")


def ibid(c: Candidate) -> Reference | None:
    """ "Ibid.", "Ibid., 45"."""
    m = re.fullmatch(r"(?i)ibid\.?(?:,\s*(.*))?", c.whole)
    return Reference("misc", {}, normalise_locator(m.group(1) or ""), kind="ibid") if m else None


def short_author_year_page(c: Candidate) -> Reference | None:
    """Harvard short cite with its page: "Deasy 1901: 3", "Smith and Jones 2001, 45–46"."""
    m = re.fullmatch(rf"{_NAMES},?\s+(?P<year>{YEAR})[a-z]?[,:]\s*{_LOC}\.?", c.text)
    if not m or c.trail or c.extras:
        return None
    names = parse_names(m.group("names"))
    return _short({"author": names, "year": m.group("year")}, m.group("loc")) if names else None


def short_author_title_page(c: Candidate) -> Reference | None:
    """Chicago short note with its page: 'Perdue, China Marches West, 45', 'March, "Eastern", 5'."""
    m = re.fullmatch(rf"{_NAMES},\s*(?P<title>\"[^\"]+\"|[^\"(),]+?),\s*{_LOC}\.?", c.text)
    if not m or c.trail or c.extras or re.search(r"\d{4}", c.text):
        return None
    names = parse_names(m.group("names"))
    return _short({"author": names, "title": unquote(m.group("title"))}, m.group("loc")) if names else None


def short_author_year(c: Candidate) -> Reference | None:
    """Harvard short cite: "Deasy 1901", "(Ananich and Lebedev 2003)", "de Vries et al., 2010"."""
    m = re.fullmatch(
        rf"\(?(?P<names>(?:[^\W\d_][\w'’\-]*\s+)*?[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),?\s+\(?(?P<year>{YEAR})[a-z]?\)?[.,]?",
        c.text,
    )
    if not m or c.extras or len(m.group("names").split()) > 4:
        return None
    tokens = [t for t in m.group("names").replace("et al.", "").split() if t not in ("and", "&")]
    if not all(is_name_token(t) for t in tokens):
        return None
    names = parse_names(m.group("names"))
    if names and all("," not in n for n in names.split(" and ")):
        return _short({"author": names, "year": m.group("year")})
    return None


def short_author_title(c: Candidate) -> Reference | None:
    """Chicago short note, the page split off before: 'Ananich and Lebedev, "Sergei Witte"'."""
    m = re.fullmatch(rf"{_NAMES},\s*(?P<title>\"[^\"]+\"|[^\"(),]+?)[.,]?", c.text)
    if not m or re.search(r"\d{4}", c.text) or c.extras or not c.trail:
        return None
    names = parse_names(m.group("names"))
    return _short({"author": names, "title": unquote(m.group("title"))}) if names else None


# ---------------------------------------------------------------------------------------------
# full references with an author

_AUTHOR_DATE = re.compile(r"^(?P<auth>[^\"()]+?)\s*\((?P<date>[^()]*?\d{4}[^()]*?)\)\.\s*(?P<rest>.+)$")
_APA_AUTHORS = re.compile(
    r"[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*)*, (?:[A-Z]\.[\s-]?)+(?:,? (?:&|and) [^,]+, (?:[A-Z]\.[\s-]?)+)?"
)


def _author_date(c: Candidate) -> Reference | None:
    m = _AUTHOR_DATE.match(c.text)
    if not m or not parse_date(m.group("date"))[0]:
        return None
    auth = parse_names(m.group("auth"), allow_corporate=True)
    if not auth:
        return None
    fields = c.fields()
    fields["author"] = auth
    set_date(fields, m.group("date"))
    etype, loc = cs1_segments(split_segments(m.group("rest")), fields, c.thesis)
    return Reference(etype, fields, loc)


def apa(c: Candidate) -> Reference | None:
    """APA: "Smith, J. A., & Jones, B. (2001). Title. Publisher." (family names, initials)."""
    m = _AUTHOR_DATE.match(c.text)
    if not m or not _APA_AUTHORS.fullmatch(m.group("auth").strip()):
        return None
    return _author_date(c)


def cs1(c: Candidate) -> Reference | None:
    """Wikipedia CS1: "Young, Ernest (1977). Title. Publisher.", "Bank (30 June 2009). "T". Site."."""
    return _author_date(c)


def cs1_no_author(c: Candidate) -> Reference | None:
    """CS1 or web reference led by its quoted title: '"Title". Container. Date.'."""
    m = re.match(r'^"(?P<title>[^"]+)"\.?\s*(?P<rest>.*)$', c.text)
    if not m:
        return None
    fields = c.fields()
    etype, loc = after_quoted_title(title_end(m.group("title")), m.group("rest"), fields)
    return Reference(etype, fields, loc)


def chicago_note(c: Candidate) -> Reference | None:
    """Chicago full note, names given first: 'B. V. Ananich and S. A. Lebedev, "Title," Journal
    12, no. 3 (2001): 45–67', 'R. A. Pierce, Title (Place: Publisher, 1960)'."""
    m = re.match(r'^(?P<auth>[^,"()]+?)(?:,\s*|\.\s+(?="))(?P<rest>.+)$', c.text)
    if not m:
        return None
    auth_text = m.group("auth")
    if not all(len(p.split()) >= 2 for p in re.split(r"\s+(?:and|&)\s+", auth_text)):
        return None
    first = re.match(r"^(.+?)\.\s+\S", m.group("rest"))
    if first and len(first.group(1).split()) <= 3 and all(is_name_token(t) for t in first.group(1).split()):
        return None  # "Amasuno Sárraga, Marcelino V. Title": a bibliography entry, family names first
    auth = parse_names(auth_text)
    return author_body(m.group("rest"), dict(c.fields(), author=auth), c.thesis) if auth else None


def harvard(c: Candidate) -> Reference | None:
    """Harvard, names family first and the year in brackets without a full stop after it:
    "Smith, J. (2001) Title. Place: Publisher." (with the full stop, CS1 reads it first)."""
    if not c.surname_first:
        return None
    names, rest, editor = c.surname_first
    m = re.match(r"^\((?P<date>[^()]*\d{4}[^()]*)\)\.?\s*(?P<rest>.+)$", rest)
    if not m:
        return None
    fields = c.fields()
    fields["editor" if editor else "author"] = names
    set_date(fields, m.group("date"))
    qm = re.match(r"^'(?P<title>.+?)',\s+(?P<after>.+)$", m.group("rest"))
    if qm:  # an article or chapter: "'Title', Journal, 1(1), pp. 27–61"
        etype, loc = after_quoted_title(title_end(qm.group("title")), qm.group("after"), fields)
        return Reference(etype, fields, loc)
    etype, loc = cs1_segments(split_segments(m.group("rest")), fields, c.thesis)
    return Reference(etype, fields, loc)


def _surname_first_body(c: Candidate) -> Reference | None:
    if not c.surname_first:
        return None
    names, rest, editor = c.surname_first
    fields = c.fields()
    fields["editor" if editor else "author"] = names
    return author_body(rest, fields, c.thesis)


def mla(c: Candidate) -> Reference | None:
    """MLA: 'Family, Given. "Title." Container, vol. 4, no. 2, 2001, pp. 3–9.'."""
    if not re.search(r'^[^"]*\. "[^"]+\."? [^"]+, vol\. \d', c.text):
        return None
    return _surname_first_body(c)


def chicago_bibliography(c: Candidate) -> Reference | None:
    """Chicago bibliography and reading lists, names family first: "Lüthi, Lorenz M. Title
    (2008)", "Westad, Odd Arne, ed. Title. Place: Publisher, 1998", 'Family, Given. "Title."...'."""
    return _surname_first_body(c)


# ---------------------------------------------------------------------------------------------
# no author


def dated_segments(c: Candidate) -> Reference | None:
    """No author, CS1-like: "Title, Volume 1. 1878.", "Title. Publisher. 2001."."""
    segs = split_segments(c.text)
    if len(segs) < 2 or not any(re.fullmatch(rf"{YEAR}", g) or parse_date(g)[1] for g in segs[1:]):
        return None
    fields = c.fields()
    etype, loc = cs1_segments(segs, fields, c.thesis)
    return Reference(etype, fields, loc)


def book_no_author(c: Candidate) -> Reference | None:
    """No author, a title with publication data: "Title (Place, Year)", "Title. Publisher, Year."."""
    fields = c.fields()
    etype, annotation = book_tail(c.text, fields)
    if not etype:
        return None
    if annotation:
        fields["annotation"] = annotation
    return Reference(etype, fields)


def bare_title(c: Candidate) -> Reference | None:
    """A capitalised title alone (reported as a problem); commentary is not a title."""
    s = c.text
    if (
        is_commentary(s)
        or not s
        or not (s[0].isupper() or s[0].isdigit() or unicodedata.category(s[0]) == "Lo")
    ):
        return None
    if len(s.split()) >= 2 and not re.search(r"[.;]\s", s):
        fields = c.fields()
        fields["title"] = s.rstrip(".")
        return Reference("misc", fields, problems=["a bare title: no author, year or publisher"])
    return None


RECOGNIZERS: list[Recognizer] = [
    Recognizer("ibid", ibid, locates=False),
    Recognizer("short form: author year page", short_author_year_page),
    Recognizer("short form: author title page", short_author_title_page),
    Recognizer("short form: author year", short_author_year),
    Recognizer("short form: author title", short_author_title),
    Recognizer("APA", apa),
    Recognizer("CS1", cs1),
    Recognizer("CS1 without author", cs1_no_author),
    Recognizer("Chicago note", chicago_note),
    Recognizer("Harvard", harvard),
    Recognizer("MLA", mla),
    Recognizer("Chicago bibliography", chicago_bibliography),
    Recognizer("no author, dated segments", dated_segments),
    Recognizer("no author, book", book_no_author),
    Recognizer("bare title", bare_title),
]
