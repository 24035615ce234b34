"""The date normalizer: "30 June 2009", "December 2016", "2022-02-04" -> year and ISO date."""

from __future__ import annotations

import re

from book.citations.bibtex import MONTHS  # the one list of month names (BibTeX's)

from .vocab import YEAR

DATE_WORDS = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|[A-Z][a-z]+\s+\d{4}|\d{4})"


def parse_date(text: str) -> tuple[str, str]:
    """(year, ISO date or "") for "30 June 2009", "December 2016", "2022-02-04", "1977"..."""
    t = text.strip().strip(".,")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return m.group(1), t
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", t)
    if m and m.group(2).lower() in MONTHS:
        return m.group(3), f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", t)
    if m and m.group(1).lower() in MONTHS:
        return m.group(3), f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", t)
    if m and m.group(1).lower() in MONTHS:
        return m.group(2), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
    m = re.search(rf"(?<!\d)({YEAR})(?!\d)", t)
    return (m.group(1), "") if m else ("", "")


def set_date(fields: dict[str, str], text: str) -> bool:
    year, iso = parse_date(text)
    if not year:
        return False
    fields["year"] = year
    if iso:
        fields["date"] = iso
    return True
