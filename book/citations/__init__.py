"""Citations as footnotes for the book: one footnote per citation, formatted by a CSL style.

Public surface (see README.md in this folder):

* roles ``{cite}``, ``{cite:t}`` and ``{note}`` (:mod:`.roles`), directive ``bibliography``
  (:mod:`.directives`);
* conf values ``book_bibfiles``, ``book_csl_style``, ``book_citation_ibid``, ``book_warn_uncited``,
  ``book_print_annotations``;
* :func:`setup` (Sphinx calls it; the Sphinx wiring is in :mod:`.extension`, imported only
  then, so that :mod:`.syntax`, :mod:`.engine` and :mod:`.bibtex` can be used without
  loading Sphinx).

Modules: :mod:`.syntax` parses the citation text, :mod:`.bibtex` turns .bib files into CSL-JSON,
:mod:`.csl` finds and checks the style, :mod:`.engine` renders with Pandoc's citeproc,
:mod:`.render` renders the whole book once after reading, :mod:`.inlines` turns the result
into docutils nodes, :mod:`.transforms` makes footnotes and fills citations and
bibliographies, :mod:`.domain` keeps env data,
:mod:`.epub` marks notes for e-readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["setup"]
__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx (``extensions = ["book.citations"]``)."""
    from .extension import setup as setup_extension

    return setup_extension(app)
