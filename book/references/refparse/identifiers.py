"""The identifier normalizer: ISBN (checked, ISBN-13), DOI, URL, ISSN, OCLC."""

from __future__ import annotations

import re


def _isbn_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def normalise_isbn(text: str) -> str | None:
    """ISBN-13 digits for a valid ISBN-10 or ISBN-13, else None."""
    digits = re.sub(r"[\s\-–]", "", text).upper()
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", digits) or not _isbn_ok(digits):
        return None
    if len(digits) == 13:
        return digits
    core = "978" + digits[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+?)(?=[.,;]?(?:\s|$))", re.I)


_URL = re.compile(r"\bhttps?://\S+?(?=[.,;]?(?:\s|$))")


_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*([\dXx][\dXx\s\-–]{8,16}[\dXx])\b\.?")


_ISSN = re.compile(r"\bISSN:?\s*(\d{4}-?\d{3}[\dXx])\b\.?")


_OCLC = re.compile(r"\bOCLC:?\s*(\d+)\b\.?")


def take_identifiers(s: str, fields: dict[str, str], problems: list[str]) -> str:
    """Move the DOI, URL, ISBN (checked), ISSN and OCLC number of ``s`` to ``fields``."""
    for rx, name, group in ((_DOI, "doi", 1), (_URL, "url", 0)):
        m = rx.search(s)
        if m:
            fields[name] = m.group(group)
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
    return s
