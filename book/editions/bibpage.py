"""The heading of the generated bibliography page: the style's and the language's.

A note style lists a "Bibliography", an author-date or numeric style "References", MLA "Works
Cited" (the names the styles' manuals use), in the book's language: the message catalogue's
``bibliography``, ``references`` and ``works_cited`` (:func:`.languages.words`; English for a
language the book cannot be written in). ``[bibliography] title`` in outline.toml names any
heading. The page (:mod:`book.sources.contents`) marks its heading line; ``source-read`` puts the
heading there, so a change of style or language is a change of heading.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

from book.citations.domain import citation_domain
from book.sources.contents import HEADING_MARK

from .languages import words

__all__ = ["heading", "setup"]


def heading(language: str, note: bool, style_name: str) -> str:
    """The bibliography's heading for a style (note or not, MLA by name) in ``language``."""
    said = words(language)
    if "modern-language-association" in style_name or re.search(r"(^|/)mla\b", style_name):
        return said["works_cited"]
    return said["bibliography"] if note else said["references"]


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if HEADING_MARK not in source[0]:
        return
    store = citation_domain(app.env).store
    note = store.style.note if store.style else True
    style = str(store.style_path or store.style_name)
    title = heading(app.config.language or "en", note, style)
    source[0] = re.sub(
        rf"^{re.escape(HEADING_MARK)}\n#[^\n]*", lambda _: f"# {title}", source[0], count=1, flags=re.M
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
