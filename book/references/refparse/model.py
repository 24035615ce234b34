"""The parsed reference, its warning class and the order of its BibTeX fields."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReferenceWarning(UserWarning):
    """A string that is not a reference (kept as a @misc with its raw text)."""


@dataclass
class Reference:
    """One parsed reference string."""

    entry_type: str
    fields: dict[str, str]
    locator: str = ""
    kind: str = "full"  # "full", "short" (cites a work given elsewhere), "ibid", "none"
    prefix: str = ""  # "see", "cf." ... before the citation
    raw: str = ""
    problems: list[str] = field(default_factory=list)  # for the editor (bad ISBN ...)
    remark: str = ""  # the words of a lost link after the reference ("online", "excerpt")


FIELD_ORDER = [
    "author",
    "editor",
    "title",
    "booktitle",
    "journal",
    "edition",
    "series",
    "volume",
    "part",
    "number",
    "pages",
    "school",
    "organization",
    "address",
    "publisher",
    "year",
    "date",
    "isbn",
    "issn",
    "oclc",
    "doi",
    "url",
    "urldate",
    "note",
    "annotation",
]


def ordered_fields(fields: dict[str, str]) -> dict[str, str]:
    out = {k: fields[k] for k in FIELD_ORDER if fields.get(k)}
    for k in sorted(fields):
        if k not in out and fields[k]:
            out[k] = fields[k]
    return out
