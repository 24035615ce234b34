"""Work around gaps of citeproc-py 0.11 so that CSL 1.0.2 styles render as specified.

1. ``<name initialize="false">`` is ignored: citeproc-py initialises given names whenever
   ``initialize-with`` is set, so Chicago notes read "K. T. Young" instead of
   "Kenneth T. Young". :func:`apply` wraps ``citeproc.model.Name.initialize`` (a no-op for
   names without ``initialize="false"``).
2. ``<label variable="edition"/>`` prints its term even when the item has no such variable
   (the spec renders a label only for a non-empty variable), so Chicago notes for newspapers
   end in "Edition". :func:`apply` wraps ``citeproc.model.Label.process`` to render nothing
   then. These two wrappers are the only global changes; both are idempotent.
3. ``punctuation-in-quote`` (en-US: "Title," not "Title",) is not implemented:
   :func:`punctuation_in_quote` moves commas and periods inside closing quotes afterwards.
4. ``<if disambiguate="true">`` is not evaluated and so always *true* (the test list is
   empty), which adds disambiguation detail to every short note. citeproc-py does no
   disambiguation, so :func:`fix_style` rewrites the test on the loaded style tree into one
   that is always false (per style object, nothing global).
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

__all__ = ["apply", "fix_style", "punctuation_in_quote"]

_NEVER = "book-citations-never-set"  # a CSL variable name no item has


def _initialize_false(given: str, mark: str) -> str:
    """CSL ``initialize="false"``: keep given names, only punctuate existing initials."""
    parts = []
    for part in given.split(" "):
        if re.fullmatch(r"[^\W\d_]\.?", part) and part[:1].isupper():
            parts.append(part[0] + mark.rstrip())
        else:
            parts.append(part)
    return " ".join(parts)


def apply() -> None:
    """Install the ``initialize="false"`` fix once per process."""
    original = model.Name.initialize
    if getattr(original, "_book_citations", False):
        return

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if str(self.get("initialize", "true")).lower() == "false":
            return _initialize_false(given, mark)
        return original(self, given, mark, context)

    initialize._book_citations = True  # type: ignore[attr-defined]
    model.Name.initialize = initialize

    label_process = model.Label.process

    def process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        if variable is None:
            own = self.get("variable")
            if own == "locator":
                if not item.has_locator:
                    return None
            elif own and own.replace("-", "_") not in item.reference:
                return None
        return label_process(self, item, variable, *args, **kwargs)

    model.Label.process = process


def punctuation_in_quote(text: str, close_quotes: str = "\u201d") -> str:
    """Move a comma or period that follows a closing quote inside it (“Title”, → “Title,”)."""

    def move(match: re.Match[str]) -> str:
        before, quotes, mark = match.groups()
        if before in ".?!":  # “Why?”, → “Why?” (the quoted text already ends in a stop)
            return before + quotes
        return before + mark + quotes

    return re.sub(f"(.)([{close_quotes}]+)([.,])", move, text)


def fix_style(root: Any) -> None:
    """Make every ``disambiguate="true"`` test of a loaded style false (in place)."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.get("disambiguate") is None:
            continue
        del element.attrib["disambiguate"]
        variables = element.get("variable")
        element.set("variable", f"{variables} {_NEVER}" if variables else _NEVER)
