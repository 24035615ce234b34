"""The Sphinx settings of a book, derived from its outline (title, author, language, sources).

The repository's ``conf.py`` and every drafted book's ``conf.py`` call ``book_settings`` and
then set what an editor may want to change (the CSL style, "Ibid.").
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from book.sources.contents import bibliography_files, write_contents
from book.sources.cover import cover_suffix
from book.sources.outline import Outline, load_outline
from book.sources.reader import read_document

from .ebook import COVER_IMAGE, COVER_PAGE
from .imprint import IMPRINT_PAGE, rights_line
from .languages import book_language, sphinx_language, words
from .latexbook import LATEX_FONTS as LATEX_FONTS  # the fonts, for tiny test books
from .latexbook import latex_settings

#: English captions; another language takes Sphinx's own translations ("Abb. %s", "Tableau %s")
ENGLISH_CAPTIONS = {
    "figure": "Figure %s",
    "table": "Table %s",
    "code-block": "Listing %s",
    "section": "Section %s",
}


def book_settings(outline_path: str | Path) -> dict[str, Any]:
    """All Sphinx settings for the book described by ``outline_path``; a language the book
    cannot be written in is a BookError naming the outline's line."""
    outline = load_outline(outline_path)
    book_language(outline)
    # a book of hand-written chapters: its index.md and bibliography page
    write_contents(outline, words(outline.language)["download_this_book"])
    return {
        **_common(outline),
        **_html(outline),
        **_epub(outline),
        **_latex(outline),
    }


def _common(outline: Outline) -> dict[str, Any]:
    return {
        "project": outline.title,
        "author": outline.author,
        "language": sphinx_language(outline.language),
        "root_doc": "index",
        "version": outline.edition,
        "release": outline.edition,
        # Everything in the repository that is not the book stays out of it, and Sphinx does
        # not even walk those folders (node_modules alone took 0.45 s of every build).
        "include_patterns": ["index.md", "chapters/**"],
        "exclude_patterns": ["_*", ".*", "dist", "node_modules", "tests", "documents", "book", "README.md"],
        "extensions": [
            "myst_parser",
            "book.build.incremental",
            "book.citations",
            "book.sources.safetext",
            "book.sources.chaptertext",
            "book.editions.toccheck",
            "book.editions.mathml",
            "book.editions.printchecks",
            "book.editions.site",
            "book.editions.ebook",
            "book.editions.citebook",
            "book.editions.imprint",
            "book.editions.bibcheck",
            "book.editions.hyphenation",
            "book.editions.bibpage",
        ],
        "suppress_warnings": ["toc.not_included"],  # book.editions.toccheck makes it an error
        # ::: fences; $…$ and $$…$$ math (MathML in HTML and EPUB, LaTeX in the PDF)
        "myst_enable_extensions": ["colon_fence", "dollarmath"],
        "html_math_renderer": "mathml",
        # Figures, tables and equations are numbered; {numref} cites them as "Figure 1", "Table 1".
        "numfig": True,
        "numfig_secnum_depth": 0,  # 1, 2, 3... through the book, the same in every edition
        "numfig_format": ENGLISH_CAPTIONS if book_language(outline).code == "en" else {},
        "math_numfig": True,
        "myst_heading_anchors": 3,
        "myst_footnote_transition": False,  # no rule above the notes: they are page or side notes
        # The author's own entries first, the generated ones last (book/sources/contents.py).
        "book_bibfiles": [str(p.relative_to(outline.path.parent)) for p in bibliography_files(outline)],
        # the one release date of every edition (the outline's, else SOURCE_DATE_EPOCH)
        "book_release_date": outline.release_day.isoformat() if outline.release_day else "",
        "copyright": rights_line(outline),
    }


def _html(outline: Outline) -> dict[str, Any]:
    return {
        "html_theme": "sphinx_book_theme",
        "html_title": outline.title,
        "html_theme_options": {
            "use_sidenotes": True,
            "show_toc_level": 2,
            "home_page_in_toc": True,
            # the rights and licence (book/editions/imprint.py) rather than the theme's copyright line
            "footer_content_items": ["author.html", "book-rights.html", "last-updated.html"],
        },
        # the theme's sidebar, then links to the index, the glossary and the citation page
        "html_sidebars": {
            "**": [
                "navbar-logo.html",
                "search-button-field.html",
                "book-sidebar-nav-bs.html",  # sbt-sidebar-nav.html, rendered once (see the file)
                "book-back-links.html",
            ]
        },
        "html_copy_source": False,
        "html_show_sourcelink": False,
    }


def _epub(outline: Outline) -> dict[str, Any]:
    summary = read_document(outline.summary) if outline.summary else None
    description = " ".join(b.text for b in summary.blocks) if summary else outline.full_title
    identifier = f"book-{uuid.uuid5(uuid.NAMESPACE_URL, f'book:{outline.filename}').hex}"
    return {
        "epub_basename": outline.filename,
        "epub_title": outline.full_title,
        "epub_author": outline.author,
        "epub_language": outline.language,
        "epub_publisher": outline.publisher or outline.author,
        "epub_copyright": rights_line(outline),  # dc:rights
        # the imprint page (book/editions/imprint.py), after the cover and before the contents
        "epub_pre_files": [(f"{IMPRINT_PAGE}.xhtml", words(outline.language)["imprint_page"])],
        "epub_guide": [
            ("toc", "index.xhtml", words(outline.language)["contents"])
        ],  # not the imprint, the first page
        # toc.ncx carries epub_uid as the book's identifier: both must be the same XML name.
        "epub_identifier": identifier,
        "epub_scheme": "uuid",
        "epub_uid": identifier,
        "epub_description": description,
        "epub_show_urls": "no",
        "epub_tocdepth": 3,
        # Sphinx's basic theme ships these; no page of the e-book uses them.
        "epub_exclude_files": [
            "search.html",
            "_static/basic.css",
            "_static/minus.png",
            "_static/plus.png",
        ],
        # the author's cover ([book] cover), else one made from the title (book/editions/ebook.py)
        "epub_cover": (
            f"_static/cover{cover_suffix(outline.cover)}" if outline.cover else COVER_IMAGE,
            COVER_PAGE,
        ),
        "book_cover": str(outline.cover.resolve()) if outline.cover else "",
    }


def _latex(outline: Outline) -> dict[str, Any]:
    # the printed book: book/editions/latexbook.py, book/editions/latex/bookdesign.sty
    return latex_settings(outline)
