"""One spelling per person: given names with their initials written alike.

A bibliography gathered over years spells one author two ways ("Perdue, Peter C" in one entry,
"Perdue, Peter C." in another). Citeproc compares names as written, so the two were two
authors: the bibliography repeated the name instead of the 3-em dash, and author-date styles
added given names to tell "them" apart. A lone initial gets its period, and run-together
initials are spaced ("P.C." → "P. C."), in BibTeX and CSL-JSON items alike.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["normalize_given", "normalize_item_names"]

#: a lone capital letter (Latin, Greek or Cyrillic) as a word of its own: an initial
_BARE_INITIAL = re.compile(r"(?<![\w.'’-])([A-ZÀ-ÖØ-ÞΑ-ΩА-Я])(?![\w.'’-])")
#: initials written together ("P.C.", "J.-P.")
_JOINED = re.compile(r"(?<=[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]\.)(?=[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]\.)")

NAME_VARIABLES = (
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "interviewer",
    "recipient",
    "reviewed-author",
    "editorial-director",
    "illustrator",
    "original-author",
)


def normalize_given(given: str) -> str:
    """``Peter C`` → ``Peter C.``; ``P.C.`` → ``P. C.``; anything else as written."""
    given = _BARE_INITIAL.sub(r"\1.", given)
    return _JOINED.sub(" ", given)


def normalize_item_names(item: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item with the given names of all its name variables normalized."""
    for variable in NAME_VARIABLES:
        names = item.get(variable)
        if not isinstance(names, list):
            continue
        for name in names:
            if isinstance(name, dict) and isinstance(name.get("given"), str):
                name["given"] = normalize_given(name["given"])
    return item
