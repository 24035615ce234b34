"""The titles normalizer: closing punctuation, quotes, a trailing volume or edition."""

from __future__ import annotations

import re


def title_end(t: str) -> str:
    """Drop a title's closing "." or "," but keep an abbreviation's ("U.S.")."""
    t = t.strip()
    if re.search(r"(?:\b[A-Z]\.){2,}$", t):
        return t
    return t.rstrip(".,").strip()


def unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        s = s[1:-1]
    return s.strip().rstrip(",.").strip()


def title_volume(title: str, fields: dict[str, str]) -> str:
    """Move a trailing ", Volume 2, Part 1" (or ", pt. 2") of a book title to volume/part."""
    m = re.search(r",?\s*(?:Volume|Vol\.?)\s*(\d+)(?:,?\s*(?:Part|Pt\.?)\s*(\d+))?$", title)
    if m and m.start() > 0:
        fields["volume"] = m.group(1)
        if m.group(2):
            fields["part"] = m.group(2)
        return title[: m.start()].strip()
    m = re.search(r",\s*(?:Part|[Pp]t\.)\s*(\d+)$", title)
    if m and m.start() > 0:
        fields["part"] = m.group(1)
        return title[: m.start()].strip()
    return title


def take_edition(title: str, fields: dict[str, str]) -> str:
    m = re.search(r"\s*\(([^()]*?)\s+(?:ed\.|edition)\)$", title)
    if m:
        # "2nd" stays a number the style writes as "2nd ed."; a word keeps its "ed." ("illustrated ed.")
        edition = m.group(1)
        fields["edition"] = edition if re.fullmatch(r"\d+(?:st|nd|rd|th)?", edition) else f"{edition} ed."
        return title[: m.start()].strip()
    return title


_YEAR_RANGE = re.compile(r"(?<![\w\-–])(1[0-9]{3}|20[0-9]{2})-([0-9]{2}|[0-9]{4})(?![\w\-–])")


def year_ranges(title: str) -> str:
    """A range of years in a title takes an en dash, as Chicago sets number ranges (CMOS 6.83):
    "Diplomatic Relations, 1917-27" → "1917–27"; "430-r" or "U.S.-China" stay as they are."""
    return _YEAR_RANGE.sub("\\1\u2013\\2", title)
