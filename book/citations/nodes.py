"""Placeholder nodes: what roles and the directive leave in the doctree until transforms run."""

from __future__ import annotations

from docutils import nodes

__all__ = ["bibliography_placeholder", "pending_note"]


class pending_note(nodes.Inline, nodes.Element):
    """A ``{cite}`` or ``{note}`` role; replaced by a footnote while the document is read.

    ``segments``: list of ``str`` (verbatim note text) and ``list[CiteItem]`` (citations).
    """


class bibliography_placeholder(nodes.General, nodes.Element):
    """A ``bibliography`` directive; replaced by the entries when the page is written.

    ``mode``: "cited", "all" or "keys"; ``keys``: the keys listed for "keys".
    """
