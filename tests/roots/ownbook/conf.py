"""A book of hand-written chapters, as `python -m book new` makes one."""

from pathlib import Path

from book.editions.sphinxconf import book_settings

globals().update(book_settings(Path(__file__).resolve().parent / "outline.toml"))

book_csl_style = "chicago-notes-bibliography"
book_citation_ibid = False
