"""Turn pending notes into numbered footnotes, and bibliography placeholders into entries."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .csl import NoteRenderer, to_nodes
from .domain import citation_domain
from .loader import CitationStore
from .nodes import bibliography_placeholder, pending_note
from .positions import PositionTracker
from .report import report_error
from .syntax import CiteItem

__all__ = ["BibliographyTransform", "CitationFootnotes"]

logger = logging.getLogger(__name__)

NAME_PREFIX = "bookcite-note-"


def _capitalize_first(node: nodes.Element) -> None:
    """Capitalize the first letter of a note (CSL processors do this for note styles)."""
    for text in node.findall(nodes.Text):
        if text.strip():
            stripped = text.lstrip()
            if stripped[0].islower():
                new = nodes.Text(text[: len(text) - len(stripped)] + stripped[0].upper() + stripped[1:])
                text.parent.replace(text, new)
            return


class CitationFootnotes(SphinxTransform):
    """Each ``{cite}``/``{note}`` becomes its own auto-numbered docutils footnote.

    Runs while the document is read, before docutils numbers footnotes (priority 620) and
    before MyST sorts them (618), so citation notes and ordinary ``[^x]`` footnotes share one
    sequence 1, 2, 3, ... in reading order, restarting in every document.
    """

    default_priority = 615

    def apply(self, **kwargs: Any) -> None:
        pendings = list(self.document.findall(pending_note))
        if not pendings:
            return
        domain = citation_domain(self.env)
        store = domain.store
        for path in store.dependencies:
            self.env.note_dependency(path)
        renderer = NoteRenderer(store.engine) if store.engine else None
        tracker = PositionTracker(ibid=bool(self.config.book_citation_ibid))
        taken = set(self.document.nameids)
        serial = 0
        for pending in pendings:
            paragraph = nodes.paragraph()
            segments = pending["segments"]
            for index, segment in enumerate(segments):
                if isinstance(segment, str):
                    paragraph += nodes.Text(segment)
                    continue
                items = self._known_items(segment, pending, store)
                domain.note_cited(self.env.docname, [item.key for item in items])
                if not items or renderer is None:
                    paragraph += nodes.Text("; ".join(f"[{item.key}]" for item in segment))
                    continue
                positions = tracker.positions([item.key for item in items])
                rendered = nodes.inline("", "", classes=["csl-citation"])
                later = segments[index + 1 :]
                ends_note = all(isinstance(s, str) and not s.strip() for s in later)
                rendered.extend(to_nodes(renderer.citation(items, positions, ends_note)))
                if index == 0:  # a note that starts with a citation starts with a capital
                    _capitalize_first(rendered)
                paragraph += rendered
            serial += 1
            while f"{NAME_PREFIX}{serial}" in taken:
                serial += 1
            self._make_footnote(pending, paragraph, f"{NAME_PREFIX}{serial}")
        self._sort_footnotes()
        self._separate_adjacent_marks()

    def _separate_adjacent_marks(self) -> None:
        """Two note marks side by side read as one number ("34"): put a superscript comma between."""
        for reference in list(self.document.findall(nodes.footnote_reference)):
            following = reference.next_node(descend=False, siblings=True)
            if isinstance(following, nodes.footnote_reference):
                reference.parent.insert(
                    reference.parent.index(reference) + 1,
                    nodes.superscript("", ",", classes=["note-separator"]),
                )

    def _known_items(
        self, items: list[CiteItem], pending: pending_note, store: CitationStore
    ) -> list[CiteItem]:
        known = []
        for item in items:
            if item.key in store.database:
                known.append(item)
            elif item.key in store.database.broken_keys:
                continue  # its .bib entry is broken: reported with the .bib file's line
            else:
                report_error(self.env, f"unknown citation key {item.key!r}", pending)
        return known

    def _make_footnote(self, pending: pending_note, paragraph: nodes.paragraph, name: str) -> None:
        document = self.document
        footnote = nodes.footnote("", paragraph, auto=1, classes=["bookcite-note"])
        footnote["names"].append(name)
        footnote.source, footnote.line = pending.source, pending.line
        paragraph.source, paragraph.line = pending.source, pending.line
        document.note_autofootnote(footnote)
        document.note_explicit_target(footnote, footnote)
        reference = nodes.footnote_reference(pending.rawsource, auto=1, refname=name)
        reference.source, reference.line = pending.source, pending.line
        document.note_autofootnote_ref(reference)
        document.note_footnote_ref(reference)
        pending.replace_self(reference)
        document += footnote

    def _sort_footnotes(self) -> None:
        """Order auto-numbered footnotes by their first reference in the text."""
        document = self.document
        order = {id(ref): i for i, ref in enumerate(document.findall(nodes.footnote_reference))}
        document.autofootnote_refs.sort(key=lambda ref: order.get(id(ref), len(order)))
        first_ref: dict[str, int] = {}
        for i, ref in enumerate(document.autofootnote_refs):
            if "refname" in ref:
                first_ref.setdefault(ref["refname"], i)

        def key(footnote: nodes.footnote) -> int:
            names = footnote["names"]
            return first_ref.get(names[0], len(first_ref)) if names else len(first_ref)

        document.autofootnotes.sort(key=key)


class BibliographyTransform(SphinxPostTransform):
    """Fill each ``bibliography`` with entries in the CSL style's bibliography layout.

    Runs when a page is written (all documents are read by then), so ``:cited:`` sees the
    citations of the whole book, also after parallel or incremental reads.
    """

    default_priority = 5  # before other post-transforms (e.g. the theme's footnote handling)

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(bibliography_placeholder))
        if not placeholders:
            return
        domain = citation_domain(self.env)
        store = domain.store
        used_ids: set[str] = set(self.document.ids)
        for placeholder in placeholders:
            mode = placeholder["mode"]
            if mode == "all":
                keys = list(store.database.items)
            elif mode == "keys":
                keys = [key for key in placeholder["keys"] if key in store.database]
            else:
                keys = sorted(key for key in domain.cited_keys if key in store.database)
            container = nodes.container(classes=["bibliography", f"bibliography-{mode}"])
            if store.engine is not None and keys:
                try:
                    entries = store.engine.bibliography(keys)
                except ValueError as exc:  # the style has no bibliography layout
                    entries = []
                    logger.error(
                        f"bibliography: {exc}", location=placeholder, type="book", subtype="citation"
                    )
                for key, marked in entries:
                    entry = nodes.paragraph("", "", classes=["csl-entry"])
                    anchor = nodes.make_id(f"bib-{key}")
                    if anchor not in used_ids:  # a work in two lists is one anchor, the first
                        used_ids.add(anchor)
                        entry["ids"].append(anchor)
                    entry.extend(to_nodes(marked))
                    container += entry
            placeholder.replace_self(container)
