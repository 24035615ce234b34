"""A tiny book for tests/test_citation_styles.py: the same citations written before and after
the punctuation, side by side, author in text, with commentary, and a reading list. The style
and the language are switched with ``-D book_csl_style=...`` and ``-D language=...``;
``pandoc.md`` holds the same paragraphs as a Pandoc author writes them."""

project = "Citation Styles"
author = "Test Author"
copyright = "2024, Test Author"
language = "en"
root_doc = "index"
exclude_patterns = ["_build", "pandoc.md"]
extensions = ["myst_parser", "book.citations"]
book_bibfiles = ["refs.bib"]
book_csl_style = "chicago-notes-bibliography"
html_theme = "basic"
