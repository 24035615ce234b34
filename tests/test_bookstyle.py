"""The book's CSL style file is what book/citations/bookstyle.py makes of the upstream Chicago style."""

from __future__ import annotations

from book.citations.bookstyle import BOOK_STYLE, make_book_style


def test_style_file_is_made_from_upstream() -> None:
    style = BOOK_STYLE.read_text(encoding="utf-8")
    assert style == make_book_style(), "run: python -m book.citations.bookstyle"
    assert '<text macro="source-monographic-locator-bib"/>' in style  # a chapter's pages in its entry
    assert (
        style.count(
            '<text font-style="italic" text-case="title" variable="container-title"/>\n'
            "          <!-- avoid possible"
        )
        == 1
    )  # website names in italics
