"""EPUB 3 pop-up notes: ``epub:type="noteref"`` links (superscript numbers) and ``epub:type="footnote"``
asides whose label links back to the mark."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

__all__ = ["EpubNotesMixin", "install_epub_translator"]


class EpubNotesMixin:
    """Mixed into the epub builder's HTML5 translator; only the two footnote tags change."""

    body: list[str]
    settings: Any
    starttag: Any  # the translator's

    def visit_footnote(self, node: nodes.footnote) -> None:
        label_style = self.settings.footnote_references
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append(f'<div class="footnote-list {label_style}">\n')
        self.body.append(
            self.starttag(
                node,
                "aside",
                classes=[node.tagname, label_style],
                role="doc-footnote",
                **{"epub:type": "footnote"},
            )
        )

    def depart_footnote(self, node: nodes.footnote) -> None:
        self.body.append("</aside>\n")
        if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
            self.body.append("</div>\n")

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        # A superscript number, no brackets: e-readers show the note itself on activation.
        self.body.append(
            self.starttag(
                node,
                "a",
                suffix="",
                classes=["footnote-reference"],
                role="doc-noteref",
                href="#" + node["refid"],
                **{"epub:type": "noteref"},
            )
        )
        self.body.append("<sup>")

    def depart_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.body.append("</sup></a>")


def install_epub_translator(app: Sphinx) -> None:
    """On ``builder-inited``: wrap whatever translator the epub builder would use."""
    if app.builder.name != "epub":
        return
    base = app.registry.get_translator_class(app.builder)
    if issubclass(base, EpubNotesMixin):
        return
    translator = type(f"EpubNotes{base.__name__}", (EpubNotesMixin, base), {})
    app.set_translator("epub", translator, override=True)
