"""Strip what is not the reference (wiki debris, archive links, "online") and take out the identifiers."""

from __future__ import annotations

import re

from .dates import DATE_WORDS, parse_date
from .identifiers import _DOI, _ISBN, _ISSN, _OCLC, _URL, normalise_isbn
from .vocab import YEAR

_WAYBACK = re.compile(
    rf"(?:\b[Oo]nline\s+)?\bArchived(?:\s+\(PDF\))?\s+{DATE_WORDS}\s+at the Wayback Machine\.?"
)


_ARCHIVED = re.compile(rf"\bArchived(?:\s+\(PDF\))?\s+from the original\s+on\s+({DATE_WORDS})\.?")


_RETRIEVED = re.compile(rf"\b(?:[Rr]etrieved|[Aa]ccessed)(?:\s+on)?\s+({DATE_WORDS})\.?")


_THESIS = re.compile(
    r"\((?:(?P<ma>M\.?A\.?|M\.?Sc?\.?|Master'?s)\s+)?(?:(?:Ph\.?\s?D\.?|Doctoral|PhD)\s+)?"
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


def extract_extras(s: str) -> tuple[str, dict[str, str], list[str], str]:
    """Remove debris and identifiers; return (text, fields, problems, thesis kind)."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    s = _WIKI_DEBRIS.sub(" ", s)
    s = _WAYBACK.sub(" ", s)
    m = _ARCHIVED.search(s)
    if m:
        fields["note"] = f"Archived from the original on {m.group(1)}"
        s = s[: m.start()] + " " + s[m.end() :]
    m = _RETRIEVED.search(s)
    if m:
        year, iso = parse_date(m.group(1))
        fields["urldate"] = iso or year
        s = s[: m.start()] + " " + s[m.end() :]
    m = _DOI.search(s)
    if m:
        fields["doi"] = m.group(1)
        s = s[: m.start()] + " " + s[m.end() :]
    m = _URL.search(s)
    if m:
        fields["url"] = m.group(0)
        s = s[: m.start()] + " " + s[m.end() :]
    m = _ISBN.search(s)
    if m:
        isbn = normalise_isbn(m.group(1))
        if isbn is None:
            problems.append(f"invalid ISBN {m.group(1).strip()} (check digit): not written")
        else:
            fields["isbn"] = isbn
        s = s[: m.start()] + " " + s[m.end() :]
    for rx, name in ((_ISSN, "issn"), (_OCLC, "oclc")):
        m = rx.search(s)
        if m:
            fields[name] = m.group(1)
            s = s[: m.start()] + " " + s[m.end() :]
    thesis = ""
    m = _THESIS_PAREN.search(s)
    if m:
        thesis = "mastersthesis" if re.match(r"M", m.group("kind")) else "phdthesis"
        fields["school"] = m.group("school").strip()
        fields["year"] = m.group("year")
        s = s[: m.start()] + "()" + s[m.end() :]
    m = _THESIS.search(s) if not thesis else None
    if m:
        thesis = "mastersthesis" if m.group("ma") else "phdthesis"
        s = s[: m.start()] + " " + s[m.end() :]
    s = re.sub(r"\s*\((?:PDF|pdf|online)\)", "", s)
    while True:
        t = _TRAILING_DEBRIS.sub("", s)
        if t == s:
            break
        s = t
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s+([.,;:])", r"\1", s)
    s = re.sub(r",(?:\s*,)+", ",", s)
    s = re.sub(r"[,;]\s*\.", ".", s)
    s = re.sub(r"\.(?:\s*\.)+(?!\.)", ".", s).strip().rstrip(",;").strip()
    return s, fields, problems, thesis
