"""Sphinx extension: a warning for each incomplete reference the book cites, with its fix.

An entry with no title (a work the sources cite only by author and year, "Deasy 1901, pp.
356–357", and never in full) is printed as far as it is known, in the style's form ("Deasy
1901, 356–57." in the note, "Deasy. 1901." in Works cited): no editorial query reaches the
page. The build says instead, naming the entry's file and line, which correction completes
it: the ``bib-corrections.toml`` table for a generated entry, the author's own entry in
``references.bib`` otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from book.citations.domain import citation_domain
from book.references.bibfiles import GENERATED_FILE
from book.references.shortforms import CORRECTIONS, completion

__all__ = ["incomplete_message", "setup"]

logger = logging.getLogger(__name__)

#: CSL types that have no title by nature (a letter, an interview, a law)
_UNTITLED_TYPES = {
    "personal_communication", "interview", "bill", "hearing", "legal_case", "legislation",
    "regulation", "treaty",
}  # fmt: skip


def _known(item: dict[str, Any]) -> str:
    """What the entry gives instead of a title: "Deasy 1901"."""
    names = item.get("author") or item.get("editor") or []
    name = (names[0].get("family") or names[0].get("literal", "")) if names else ""
    year = str((item.get("issued", {}).get("date-parts") or [[""]])[0][0])
    return " ".join(p for p in (name, year) if p) or "no author or year either"


def incomplete_message(key: str, item: dict[str, Any], bibfile: str) -> str:
    """The warning for the entry ``key`` (a CSL item) of ``bibfile``, which has no title."""
    said = f"incomplete reference {key!r} ({_known(item)}): the sources give no title, so the notes and Works cited print only what is known"
    if Path(bibfile).name == GENERATED_FILE:
        table = completion(key).replace("\n", "\n    ")
        return f"{said}; to complete it, add to {CORRECTIONS}\n    {table}\nthen run `make bib`"
    return f"{said}; to complete it, add its title to the entry {key!r} in {Path(bibfile).name}"


def _check_incomplete(app: Sphinx, env: BuildEnvironment) -> None:
    """env-updated: warn once per cited or listed entry that has no title."""
    domain = citation_domain(env)
    database = domain.store.database
    used = set(database.items) if domain.lists_all else domain.cited_keys | domain.listed_keys
    for key in sorted(used & set(database.items)):
        item = database.items[key]
        if item.get("title") or item.get("type") in _UNTITLED_TYPES or key not in database.where:
            continue
        path, line = database.where[key]
        logger.warning(
            incomplete_message(key, item, str(path)),
            location=f"{path}:{line}", type="book", subtype="incomplete",
        )  # fmt: skip


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book.citations")
    app.connect("env-updated", _check_incomplete)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
