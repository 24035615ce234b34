"""Placeholder nodes: what roles and the directive leave in the doctree until transforms run."""

from __future__ import annotations

from docutils import nodes

__all__ = ["bibliography_placeholder", "pending_citation", "pending_note"]


class pending_note(nodes.Inline, nodes.Element):
    """A ``{cite}``, ``{cite:t}`` or ``{note}`` role; replaced while the document is read.

    ``kind``: "cite", "cite:t" or "note"; ``segments``: list of ``str`` (verbatim note text)
    and ``list[CiteItem]`` (citations).
    """


class pending_citation(nodes.Inline, nodes.Element):
    """One rendered citation's place, filled when the page is written (all documents are
    read and rendered by then).

    ``cid``: the citation's id in the book's rendering; ``part``: "text" (what goes in the
    running text or inside a commentary note) or "note" (the footnote of a note style);
    ``in_note``: a citation inside commentary (a note style's parentheses are dropped);
    ``fallback``: text shown if the rendering is missing.
    """


class bibliography_placeholder(nodes.General, nodes.Element):
    """A ``bibliography`` directive; replaced by the entries when the page is written.

    ``mode``: "cited", "all" or "keys"; ``keys``: the keys listed for "keys".
    """
