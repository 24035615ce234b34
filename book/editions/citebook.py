"""How to cite the book itself: the ``book-citation`` directive writes its reference in the
book's CSL style (Chicago) and as a BibTeX entry, from the book's own settings."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from book.citations.csl import read_style, resolve_style
from book.citations.engine import CiteprocError, csl_locale, punctuation_in_quote, render_parsed
from book.citations.inlines import to_nodes

from .languages import words

__all__ = ["BookCitationDirective", "book_bibtex", "book_csl_item", "setup"]


def _year(release_date: str) -> int:
    """The year of publication: the outline's release date, else ``SOURCE_DATE_EPOCH``, else
    the build's year (a book with neither has no fixed date to cite)."""
    found = re.match(r"\s*(\d{4})\b", release_date)
    if found:
        return int(found.group(1))
    return time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year


def book_key(author: str, title: str, year: int) -> str:
    words = [w for w in re.findall(r"[a-z]+", f"{author} {title}".lower()) if w not in {"the", "a", "an"}]
    return "".join(words[:1]) + str(year) + "".join(re.findall(r"[a-z]+", title.lower())[:1])


def book_csl_item(title: str, author: str, publisher: str, year: int) -> dict[str, Any]:
    """The book as a CSL-JSON item (an editorial body as the author is a literal name)."""
    return {
        "id": "book",
        "type": "book",
        "title": title,
        "author": [{"literal": author}],
        "publisher": publisher,
        "issued": {"date-parts": [[year]]},
    }


def book_bibtex(key: str, title: str, author: str, publisher: str, year: int, edition: str) -> str:
    """The book as a BibTeX entry (bibtexparser writes it)."""
    fields = [("author", "{" + author + "}"), ("title", title), ("publisher", publisher), ("year", str(year))]
    if edition:
        fields.append(("edition", edition))
    library = bibtexparser.Library([Entry("book", key, [Field(k, v) for k, v in fields])])
    layout = BibtexFormat()
    layout.indent = "  "
    return bibtexparser.write_string(library, bibtex_format=layout).strip()


class BookCitationDirective(SphinxDirective):
    """``:::{book-citation}``: the book's reference in the book's CSL style, then in BibTeX,
    introduced in the book's language."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        config = self.config
        title, author = config.epub_title or config.project, config.epub_author or config.author
        publisher, year = config.epub_publisher or author, _year(config.book_release_date)
        style = resolve_style(str(config.book_csl_style), Path(self.env.srcdir))
        said = words(config.language)
        entry = nodes.paragraph(classes=["book-citation"])
        locale = csl_locale(config.language)
        entry.extend(
            to_nodes(self._reference(style, title, author, publisher, year), punctuation_in_quote(locale))
        )
        bibtex = book_bibtex(book_key(author, title, year), title, author, publisher, year, config.release)
        return [
            nodes.paragraph("", said("in_the_books_style", style=read_style(style).title or style.stem)),
            nodes.block_quote("", entry),
            nodes.paragraph("", said["as_bibtex"]),
            # the PDF wraps long lines; its fonts have no visible-space sign to mark the wrap
            nodes.raw("", r"\sphinxsetup{verbatimvisiblespace={}}", format="latex"),
            nodes.literal_block(bibtex, bibtex, language="bibtex", classes=["book-bibtex"]),
        ]

    def _reference(self, style: Path, title: str, author: str, publisher: str, year: int) -> list[Any]:
        """The book's bibliography entry, rendered by the book's CSL processor (pandoc citeproc)."""
        folder = Path(self.env.doctreedir) / "bookcite"
        folder.mkdir(parents=True, exist_ok=True)
        references = folder / "this-book.json"
        item = json.dumps([book_csl_item(title, author, publisher, year)], ensure_ascii=False)
        if not references.is_file() or references.read_text(encoding="utf-8") != item:
            references.write_text(item, encoding="utf-8")
        request = {
            "csl": str(style),
            "references": str(references),
            "lang": csl_locale(self.config.language),
            "units": [{"id": "bib:book", "paras": [], "nocite": ["book"], "bibliography": True}],
        }
        try:
            entries = render_parsed(request, folder).bibliographies["bib:book"]
        except CiteprocError as exc:
            raise self.error(str(exc)) from None
        return entries[0][1]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_release_date", "", "env", types=frozenset({str}))
    app.add_directive("book-citation", BookCitationDirective)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
