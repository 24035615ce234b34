"""The book's rights, its sources' attributions, its release date and its trim size, as
``outline.toml`` gives them: each value checked where it is read (a BookError naming the line).

``[rights]`` names the rights holder and the book's licence (an SPDX id; its address is
derived); each ``[attribution."documents/…"]`` table says where a source document comes from:
its title, author or site, address and licence, or ``licence = "not stated"`` where the document
gives none. Nothing here is printed: the editions word it (``book/editions/imprint.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from book.errors import BookError

__all__ = [
    "NOT_STATED",
    "TRIMS",
    "Attribution",
    "Licence",
    "check_date",
    "check_edition",
    "check_licence",
    "check_trim",
    "licence_of",
    "release_day",
]

NOT_STATED = "not stated"  # an attribution's licence where the document gives none
LICENCE_HINT = (
    'use an SPDX licence id such as "CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0" or "MIT" '
    "(the list: https://spdx.org/licenses/)"
)
# Trim sizes the printed book is set in: name -> (width, height) in millimetres.
TRIMS: dict[str, tuple[float, float]] = {
    "a5": (148.0, 210.0),
    "6x9in": (152.4, 228.6),
    "royal": (156.0, 234.0),
    "letter": (215.9, 279.4),
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CC = re.compile(r"CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)(?:-([A-Za-z]+))?")


@dataclass(frozen=True)
class Licence:
    """A licence on the SPDX list: its id, the name a reader knows and its address."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Attribution:
    """Where one source document comes from, as far as the document itself says."""

    document: Path
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    licence: str = NOT_STATED  # an SPDX id, or NOT_STATED
    note: str = ""  # what the document evidently is, in the editor's words

    @property
    def licence_info(self) -> Licence | None:
        return None if self.licence == NOT_STATED else licence_of(self.licence)


def licence_of(spdx_id: str) -> Licence:
    """The licence ``spdx_id`` (already checked): Creative Commons ids read "CC BY-SA 4.0" and
    lead to the licence's deed; any other id leads to its page on the SPDX list."""
    cc = _CC.fullmatch(spdx_id)
    if cc:
        kind, version, port = cc.group(1).lower(), cc.group(2), cc.group(3)
        url = f"https://creativecommons.org/licenses/{kind}/{version}/" + (f"{port.lower()}/" if port else "")
        return Licence(spdx_id, f"CC {cc.group(1)} {version}" + (f" {port}" if port else ""), url)
    if spdx_id == "CC0-1.0":
        return Licence(spdx_id, "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    return Licence(spdx_id, spdx_id, f"https://spdx.org/licenses/{spdx_id}.html")


def check_licence(value: object, path: Path, line: int | None, what: str, not_stated: bool) -> str:
    """An SPDX licence id, in its canonical spelling (or NOT_STATED where ``not_stated``)."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    hint = LICENCE_HINT + (f', or "{NOT_STATED}" where the document gives none' if not_stated else "")
    if not isinstance(value, str) or not value.strip():
        raise BookError(f"{what} must be a licence id", path, line, hint=hint)
    if not_stated and value.strip().lower() == NOT_STATED:
        return NOT_STATED
    try:
        canonical = str(canonicalize_license_expression(value.strip()))
    except InvalidLicenseExpression:
        canonical = ""
    if not canonical or " " in canonical or canonical.startswith("LicenseRef-"):
        raise BookError(f"{what} is not a licence id on the SPDX list: {value!r}", path, line, hint=hint)
    return canonical


def check_date(value: object, path: Path, line: int | None, what: str) -> str:
    """A real calendar date, written YYYY-MM-DD (or a TOML date): returned in ISO form."""
    hint = 'write the release date as YYYY-MM-DD, e.g. date = "2026-11-23"'
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise BookError(f"{what} must be a date", path, line, hint=hint)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not _DATE.fullmatch(value.strip()):
        raise BookError(f"{what} must be a date written YYYY-MM-DD, not {value!r}", path, line, hint=hint)
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise BookError(f"{what} is not a real date: {value!r}", path, line, hint=hint) from None


def check_edition(value: object, path: Path, line: int | None, what: str) -> str:
    """The edition: text, or a finite number (``nan`` and ``inf`` are no edition)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        kind = {bool: "true/false", list: "a list", dict: "a table"}.get(type(value), "a date")
        raise BookError(
            f"{what} must be text or a number, not {kind}", path, line, hint='e.g. edition = "2.0"'
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise BookError(
            f"{what} must be a finite number, not {value}", path, line, hint='e.g. edition = "2.0"'
        )
    return str(value)


def check_trim(value: object, path: Path, line: int | None, what: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in TRIMS:
        shown = value if isinstance(value, str) else type(value).__name__
        raise BookError(
            f"{what} is not a trim size this book can be set in: {shown!r}",
            path,
            line,
            hint="use one of: " + ", ".join(f'"{name}"' for name in TRIMS) + " (royal is 156 × 234 mm)",
        )
    return value.strip().lower()


def release_day(date: str) -> dt.date | None:
    """The release day: the outline's date (checked when it was read), else
    ``SOURCE_DATE_EPOCH``, else none (never the day of the build)."""
    if date:
        return dt.date.fromisoformat(date)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return None
