"""Input limits: past them the pipeline stops with a message naming the limit, never hangs.

The real book's largest document is 54 KB with 2,200-character lines; the limits leave a wide
margin and keep the worst case (a document at every limit) to minutes, not hours.
"""

from __future__ import annotations

MAX_FILE_BYTES = 2_000_000  # a source document, outline.toml, bib-corrections.toml, references.bib
MAX_BIB_BYTES = 10_000_000  # references.bib (hand-kept bibliographies grow larger)
MAX_LINE_CHARS = 20_000  # one line (a paragraph) of a document
MAX_FIELD_CHARS = 5_000  # one note, reading-list item, heading or outline value
MAX_HEADINGS = 2_000  # headings of one document (each may become a chapter)
MAX_NOTES = 10_000  # notes of one document


# The programs the build runs, bounded (their messages name the limit and where it was hit):
TEX_SECONDS = 300  # one xelatex pass (the flagship book's takes under 5 s); BOOK_TEX_SECONDS changes it
TEX_MEMORY = 4_000_000_000  # xelatex's address space, where the system limits a child's (Linux)
# Pandoc (citeproc) has its own, in book/citations/engine.py: the citations stand alone.


def size(n: int) -> str:
    """``2000000`` -> ``'2.0 MB'``."""
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"
