"""The publisher normalizer: "Place: Publisher", a publisher or a place, "(Place: Publisher, Year)"."""

from __future__ import annotations

import re

from .dates import set_date
from .vocab import PLACES, PUBLISHER_WORD, YEAR


def classify_publisher(text: str, fields: dict[str, str]) -> None:
    """Fill publisher and/or address from "New York: Holt", "Springer", "Montreal"."""
    t = text.strip().strip(".,;").strip()
    if not t:
        return
    if ":" in t:
        addr, pub = (p.strip() for p in t.split(":", 1))
        if addr:
            fields["address"] = addr
        if pub:
            fields["publisher"] = re.sub(r"\s*;\s*", " and ", pub)
        return
    if PUBLISHER_WORD.search(t):
        fields["publisher"] = re.sub(r"\s*;\s*", " and ", t)
    elif t.lower() in PLACES or t.split(",")[0].strip().lower() in PLACES:
        fields["address"] = t
    else:
        fields["publisher"] = re.sub(r"\s*;\s*", " and ", t)


def pub_paren(inner: str, fields: dict[str, str]) -> bool:
    """Parse "(Place: Publisher, Year)", "(Publisher, 2012)", "(1969)". True if it had a year."""
    inner = inner.strip()
    m = re.fullmatch(
        rf"(?:(?P<pub>.*?)[,;]?\s+)?(?P<date>(?:[A-Z][a-z]+\.?\s+)?(?:\d{{1,2}}\s+)?{YEAR}[a-z]?)\.?", inner
    )
    if not m:
        return False
    if not set_date(fields, m.group("date")):
        return False
    if m.group("pub"):
        classify_publisher(m.group("pub"), fields)
    return True
