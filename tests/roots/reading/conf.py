"""The reading tests' tiny book: the project's own settings, from outline.toml."""

from pathlib import Path

from book.editions.sphinxconf import book_settings

globals().update(book_settings(Path(__file__).resolve().parent / "outline.toml"))
book_csl_style = "chicago-notes-bibliography"
