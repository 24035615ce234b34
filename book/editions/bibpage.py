"""The heading of the generated bibliography page: the style's and the language's.

A note style lists a "Bibliography", an author-date or numeric style "References", MLA "Works
Cited" (the names the styles' manuals use), each in the book's language where this table
knows it (English otherwise; ``[bibliography] title`` in outline.toml names any heading).
The page (:mod:`book.sources.contents`) marks its heading line; ``source-read`` puts the
heading there, so a change of style or language is a change of heading.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

from book.citations.domain import citation_domain
from book.sources.contents import HEADING_MARK

__all__ = ["HEADINGS", "heading", "setup"]

#: language → (note style, author-date or numeric style, MLA)
HEADINGS = {
    "en": ("Bibliography", "References", "Works Cited"),
    "fr": ("Bibliographie", "Références", "Ouvrages cités"),
    "de": ("Bibliographie", "Literaturverzeichnis", "Zitierte Werke"),
    "es": ("Bibliografía", "Referencias", "Obras citadas"),
    "it": ("Bibliografia", "Riferimenti bibliografici", "Opere citate"),
    "pt": ("Bibliografia", "Referências", "Obras citadas"),
    "nl": ("Bibliografie", "Referenties", "Geciteerde werken"),
    "sv": ("Bibliografi", "Referenser", "Citerade verk"),
    "da": ("Bibliografi", "Referencer", "Citerede værker"),
    "nb": ("Bibliografi", "Referanser", "Siterte verk"),
    "pl": ("Bibliografia", "Bibliografia", "Cytowane prace"),
    "cs": ("Bibliografie", "Literatura", "Citovaná díla"),
    "ru": ("Библиография", "Список литературы", "Цитируемые работы"),
    "uk": ("Бібліографія", "Список літератури", "Цитовані праці"),
    "zh": ("参考文献", "参考文献", "引用文献"),
    "ja": ("参考文献", "参考文献", "引用文献"),
    "ko": ("참고 문헌", "참고 문헌", "인용 문헌"),
}


def heading(language: str, note: bool, style_name: str) -> str:
    """The bibliography's heading for a style (note or not, MLA by name) in ``language``."""
    names = HEADINGS.get(language.lower().split("-")[0].split("_")[0], HEADINGS["en"])
    if "modern-language-association" in style_name or re.search(r"(^|/)mla\b", style_name):
        return names[2]
    return names[0] if note else names[1]


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
