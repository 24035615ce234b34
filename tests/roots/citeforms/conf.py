"""A tiny book for tests/test_citation_forms.py: the citation forms, locator labels, an
incomplete entry and a title-filed work; the style is switched with ``-D book_csl_style=...``."""

project = "Citation Forms"
author = "Test Author"
copyright = "2024, Test Author"
language = "en"
root_doc = "index"
exclude_patterns = ["_build"]
extensions = ["myst_parser", "book.citations"]
book_bibfiles = ["refs.bib"]
book_csl_style = "chicago-notes-bibliography-book"
html_theme = "basic"
