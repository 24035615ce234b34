"""Strip what is not the reference (wiki debris, archive links) and take out the identifiers.

The words of a link whose address was lost ("online", "excerpt", "full text online", "online
book review") are not the reference either, but they are the source's own remark on it: they
come back as :data:`REMARK` (``fields["remark"]``, taken off by ``parse_reference``), and an
archive remark keeps its link's label ("online, archived August 9, 2019, at the Wayback
Machine")."""

from __future__ import annotations

import re

from .dates import DATE_WORDS, parse_date
from .identifiers import take_identifiers
from .vocab import YEAR

_WAYBACK = re.compile(
    rf"(?:\b(?P<label>(?:[Ff]ull text\s+)?[Oo]nline)\s+)?\bArchived(?:\s+\(PDF\))?\s+{DATE_WORDS}\s+at the Wayback Machine\.?"
)

#: the field that carries the words of lost links out of :func:`extract_extras`
REMARK = "remark"


_ARCHIVED = re.compile(rf"\bArchived(?:\s+\(PDF\))?\s+from the original\s+on\s+({DATE_WORDS})\.?")


_MODIFIED = re.compile(rf"\b(?:[Ll]ast modified|[Uu]pdated|[Pp]ublished)(?:\s+on)?\s+({DATE_WORDS})\.?")
_RETRIEVED = re.compile(rf"\b(?:[Rr]etrieved|[Aa]ccessed)(?:\s+on)?\s+({DATE_WORDS})\.?")


_THESIS = re.compile(
    r"\((?:(?P<ma>M\.?A\.?|M\.?Sc?\.?|Master'?s)\s+)?(?P<phd>(?:Ph\.?\s?D\.?|Doctoral|PhD)\s+)?"
    r"(?P<kind>[Tt]hesis|[Dd]issertation)\)"
)


_THESIS_PAREN = re.compile(
    rf"\((?P<kind>(?:Ph\.?\s?D\.?|Doctoral|M\.?A\.?|Master'?s)\s+(?:diss\.|dissertation|thesis)),\s*"
    rf"(?P<school>[^()]+?),\s*(?P<year>{YEAR})\)"
)


_TRAILING_DEBRIS = re.compile(
    r"[\s,;.]*\b(?:full text(?: online)?|online(?:\s+(?:free|(?:book\s+)?reviews?|edition|version))?|"
    r"excerpt(?:\s+and text search)?|(?:online\s+)?book review|free online)\s*[.,;]?\s*$"
)


_WIKI_DEBRIS = re.compile(r"\{\{[^{}]*\}\}|:?\s*CS1 maint:.*$|\(\s*link\s*\)")


def is_debris(line: str) -> bool:
    """A line that is only wiki debris ("{{cite news}}", ": CS1 maint: ...")."""
    return not _WIKI_DEBRIS.sub("", line).strip(" :.,;")


def _cut(s: str, m: re.Match[str], put: str = " ") -> str:
    return s[: m.start()] + put + s[m.end() :]


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def _date_words(text: str) -> str:
    """An ISO or day-month date as Chicago writes it ("March 9, 2022"); other text as it is."""
    _, iso = parse_date(text)
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{_MONTH_NAMES[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
    return text.strip()


def _take_web_notes(s: str, fields: dict[str, str]) -> str:
    """ "Archived from the original on X" and "Archived X at the Wayback Machine" to ``note``
    (the date in words), "Retrieved X" to ``urldate``."""
    m = _WAYBACK.search(s)
    date = re.search(rf"Archived(?:\s+\(PDF\))?\s+({DATE_WORDS})", m.group(0)) if m else None
    if m and date:
        words = _date_words(date.group(1))
        comma = "," if "," in words else ""  # "August 9, 2019, at the ..."
        label = f"{m.group('label').lower()}, " if m.group("label") else ""  # the archived link's words
        fields["note"] = f"{label}archived {words}{comma} at the Wayback Machine"
    s = _WAYBACK.sub(" ", s)
    m = _ARCHIVED.search(s)
    if m:
        fields["note"] = f"archived from the original on {_date_words(m.group(1))}"
        s = _cut(s, m)
    m = _RETRIEVED.search(s)
    if m:
        year, iso = parse_date(m.group(1))
        fields["urldate"] = iso or year
        s = _cut(s, m)
    m = _MODIFIED.search(s)
    if m:  # Chicago "last modified March 26, 2019": the page's own date
        year, iso = parse_date(m.group(1))
        fields["year"] = year
        if iso and len(iso) > 4:
            fields["date"] = iso
        s = _cut(s, m)
    return s


# Chicago bibliography "PhD diss., School, 2006." and APA "[Doctoral dissertation, School]"
_THESIS_BARE = re.compile(
    rf"(?:(?<=[.,\"]\s)|(?<=^))(?P<kind>(?:Ph\.?\s?D\.?|Doctoral|M\.?A\.?|Master'?s)\s+(?:diss\.|dissertation|thesis)),\s*"
    rf"(?P<school>[^()\[\]]+?),\s*(?P<year>{YEAR})\.?$"
)
_THESIS_BRACKET = re.compile(
    r"\s*\[(?P<kind>(?:Doctoral|Master'?s) (?:dissertation|thesis)),\s*(?P<school>[^\[\]]+?)\]"
)


def _take_thesis(s: str, fields: dict[str, str]) -> tuple[str, str]:
    """ "(PhD diss., School, 1970)", "(PhD thesis)", "(Thesis)", "PhD diss., School, 2006." or
    "[Doctoral dissertation, School]": (text, "phdthesis", "mastersthesis", "thesis" or "")."""
    m = _THESIS_PAREN.search(s) or _THESIS_BARE.search(s)
    if m:
        fields["school"] = m.group("school").strip()
        fields["year"] = m.group("year")
        return _cut(s, m, "()"), "mastersthesis" if re.match(r"M", m.group("kind")) else "phdthesis"
    m = _THESIS_BRACKET.search(s)
    if m:
        fields["school"] = m.group("school").strip()
        return _cut(s, m), "mastersthesis" if m.group("kind").startswith("M") else "phdthesis"
    m = _THESIS.search(s)
    if m and (m.group("ma") or m.group("phd")):
        return _cut(s, m), "mastersthesis" if m.group("ma") else "phdthesis"
    if m:  # "(Thesis)": which degree the source does not say
        fields["type"] = m.group("kind").lower()
        return _cut(s, m), "thesis"
    return s, ""


def _tidy(s: str, fields: dict[str, str]) -> str:
    """Take off the trailing words of lost links ("online", "excerpt": into ``fields[REMARK]``,
    as the source has them) and drop "(PDF)"; close up spaces and doubled punctuation."""
    s = re.sub(r"\s*\((?:PDF|pdf)\)", "", s)
    words: list[str] = []
    if re.search(r"\s*\(online\)", s):
        s, words = re.sub(r"\s*\(online\)", "", s), ["online"]
    while True:
        m = _TRAILING_DEBRIS.search(s)
        if m is None or not m.group(0).strip(" ,;."):
            break
        words.insert(0, m.group(0).strip(" ,;."))
        s = s[: m.start()]
    if words:
        fields[REMARK] = "; ".join(words)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s+([.,;:])", r"\1", s)
    s = re.sub(r",(?:\s*,)+", ",", s)
    s = re.sub(r"[,;]\s*\.", ".", s)
    return re.sub(r"\.(?:\s*\.)+(?!\.)", ".", s).strip().rstrip(",;").strip()


def extract_extras(s: str) -> tuple[str, dict[str, str], list[str], str]:
    """Remove debris and identifiers; return (text, fields, problems, thesis kind)."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    s = _take_web_notes(_WIKI_DEBRIS.sub(" ", s), fields)
    s = take_identifiers(s, fields, problems)
    s, thesis = _take_thesis(s, fields)
    return _tidy(s, fields), fields, problems, thesis
