"""A tiny book for tests/test_citations.py: two chapters, a bibliography and a reading list."""

project = "Citation Test Book"
version = release = "1.0"
author = "Test Author"
copyright = "2024, Test Author"
language = "en"
root_doc = "index"
exclude_patterns = ["_build"]

extensions = ["myst_parser", "book.citations"]

book_bibfiles = ["refs.bib"]
book_csl_style = "chicago-notes-bibliography"
book_citation_ibid = False

html_theme = "sphinx_book_theme"
html_theme_options = {"use_sidenotes": True}
# The theme appends its components to templates_path: a list of this book's own, not Sphinx's
# default (shared by every application the tests build in one process).
templates_path: list[str] = []

epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
# Sphinx writes epub_uid (not epub_identifier) as the NCX dtb:uid; epubcheck wants the two equal
epub_identifier = epub_uid = "citetest-2f8a7c1e"
epub_show_urls = "no"
epub_exclude_files = ["search.html"]
epub_description = "A test book"

latex_engine = "xelatex"
latex_documents = [("index", "citetest.tex", project, author, "manual", True)]
from book.editions.sphinxconf import LATEX_FONTS  # noqa: E402  (the book's fonts: Noto, xeCJK)

latex_elements = {
    "fontpkg": LATEX_FONTS,
    "fncychap": "",
}
latex_domain_indices = False
