"""Turn pending notes into numbered footnotes (or in-text citations), and fill in the
rendered citations and bibliographies when each page is written."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .domain import citation_domain
from .engine import csl_locale, punctuation_in_quote
from .inlines import to_nodes
from .loader import CitationStore
from .nodes import bibliography_placeholder, pending_citation, pending_note
from .placement import place_in_text, place_marks, sibling_after
from .render import bibliography_unit
from .report import report_error
from .syntax import CiteItem

__all__ = ["BibliographyTransform", "CitationFootnotes", "FillCitations"]

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


def _request_item(item: CiteItem, mode: str) -> dict[str, str]:
    """One cited work for the engine: citeproc labels the locator in the book's locale."""
    request = {
        "key": item.key,
        "mode": "SuppressAuthor" if item.suppress_author else mode,
        "prefix": item.prefix.strip(),
        "suffix": item.suffix,
    }
    if item.locator:
        request.update(label=item.label or "page", locator=item.locator)
    return request


def _is_space(node: nodes.Node | None) -> bool:
    return isinstance(node, nodes.Text) and not str(node).strip()


def _cluster(pendings: list[pending_note]) -> list[pending_note]:
    """In-text styles: ``{cite}`` roles side by side (nothing but space between) are one
    citation, "(Britannica, n.d.-a; n.d.-b)", not "(…)(…)". The first role takes the others'
    works; the roles that remain, in order."""
    kept: list[pending_note] = []
    merged: set[int] = set()
    for pending in pendings:
        if id(pending) in merged:
            continue
        kept.append(pending)
        if pending["kind"] != "cite":
            continue
        following = sibling_after(pending)
        while following is not None:
            gap = following if _is_space(following) else None
            other = sibling_after(gap) if gap is not None else following
            if not (isinstance(other, pending_note) and other["kind"] == "cite"):
                break
            pending["segments"] = [pending["segments"][0] + other["segments"][0]]
            if gap is not None:
                gap.parent.remove(gap)
            following = sibling_after(other)
            other.parent.remove(other)
            merged.add(id(other))
    return kept


def _expand_sets(items: list[CiteItem], store: CitationStore) -> list[CiteItem]:
    """A cited biblatex ``@set`` stands for its members (``entryset``), cited together as biber
    cites them: the set's prefix goes to the first member, its locator and suffix to the last."""
    out: list[CiteItem] = []
    for item in items:
        raw = store.database.raw.get(item.key)
        members = [k.strip() for k in raw.fields.get("entryset", "").split(",") if k.strip()] if raw else []
        if raw is None or raw.entry_type != "set" or not members:
            out.append(item)
            continue
        for i, member in enumerate(members):
            first, last = i == 0, i == len(members) - 1
            out.append(
                CiteItem(
                    key=member,
                    prefix=item.prefix if first else "",
                    suffix=item.suffix if last else "",
                    label=item.label if last else None,
                    locator=item.locator if last else None,
                    suppress_author=item.suppress_author,
                )
            )
    return out


class CitationFootnotes(SphinxTransform):
    """Each role becomes its own auto-numbered footnote, or text in an in-text style.

    ``{cite}`` and ``{cite:t}`` are footnotes in a note style and text in an in-text style
    ("(Perdue 2009, 100)"); ``{note}`` (commentary) is a footnote in every style. Runs while
    the document is read, before docutils numbers footnotes (priority 620) and before MyST
    sorts them (618), so citation notes and ordinary ``[^x]`` footnotes share one sequence
    1, 2, 3, ... in reading order, restarting in every document. The citations themselves
    are placeholders (:class:`pending_citation`) until the page is written.
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
        note_style = store.style.note if store.style else True
        superscript = bool(store.style and store.style.superscript)
        if not note_style:
            pendings = _cluster(pendings)
        taken = set(self.document.nameids)
        self._cid = 0
        serial = 0
        marks: list[nodes.Node] = []  # note marks, and superscript citations
        in_text: list[nodes.Node] = []  # citations in the text ("(Perdue 2009)", "[7]")
        for pending in pendings:
            kind = pending["kind"]
            if kind == "note":
                paragraph = self._commentary(pending, store)
            else:
                items = self._known_items(pending["segments"][0], pending, store)
                mode = "AuthorInText" if kind == "cite:t" else "NormalCitation"
                text, note = self._citation(items, mode, pending, in_note=False)
                if not note_style or note is None:
                    pending.replace_self(text)
                    if kind == "cite" and note is not None:
                        (marks if superscript else in_text).append(text)
                    continue
                paragraph = nodes.paragraph("", "", note)
                if kind == "cite:t":
                    pending.parent.insert(pending.parent.index(pending), text)
            serial += 1
            while f"{NAME_PREFIX}{serial}" in taken:
                serial += 1
            marks.append(self._make_footnote(pending, paragraph, f"{NAME_PREFIX}{serial}"))
        place_marks(marks)
        for citation in in_text:
            place_in_text(citation)
        self._sort_footnotes()
        self._separate_adjacent_marks()

    def _next_cid(self) -> str:
        self._cid += 1
        return f"{self.env.docname}#{self._cid}"

    def _citation(
        self, items: list[CiteItem], mode: str, pending: pending_note, in_note: bool
    ) -> tuple[nodes.Node, nodes.Node | None]:
        """(text part, note part) placeholders of one citation; records it for the engine."""
        fallback = "; ".join(f"[{item.key}]" for item in items)
        if not items:
            return nodes.Text(fallback), None
        cid = self._next_cid()
        element = {"t": "cite", "id": cid, "items": [_request_item(i, mode) for i in items]}
        if not in_note:
            citation_domain(self.env).note_request(self.env.docname, element)
        self._last_element = element

        def placeholder(part: str) -> pending_citation:
            node = pending_citation("", cid=cid, part=part, in_note=in_note, fallback=fallback)
            node.source, node.line = pending.source, pending.line
            return node

        return placeholder("text"), placeholder("note")

    def _commentary(self, pending: pending_note, store: CitationStore) -> nodes.paragraph:
        paragraph = nodes.paragraph()
        content: list[dict[str, Any]] = []
        for segment in pending["segments"]:
            if isinstance(segment, str):
                paragraph += nodes.Text(segment)
                content.append({"t": "text", "s": segment})
                continue
            items = self._known_items(segment, pending, store)
            text, _ = self._citation(items, "NormalCitation", pending, in_note=True)
            paragraph += text
            if items:
                content.append(self._last_element)
        if any(element["t"] == "cite" for element in content):
            element = {"t": "note", "id": self._next_cid(), "content": content}
            citation_domain(self.env).note_request(self.env.docname, element)
        return paragraph

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
        domain = citation_domain(self.env)
        for item in _expand_sets(items, store):
            if item.key in store.database:
                known.append(item)
            elif item.key in store.database.broken_keys:
                continue  # its .bib entry is broken: reported with the .bib file's line
            elif item.key in store.database.raw:  # an @xdata entry, or a @set without members
                kind = store.database.raw[item.key].entry_type
                report_error(
                    self.env, f"{item.key!r} is a @{kind} entry, data for others: not a work", pending
                )
            else:
                report_error(self.env, f"unknown citation key {item.key!r}", pending)
        domain.note_cited(self.env.docname, [item.key for item in known])
        return known

    def _make_footnote(
        self, pending: pending_note, paragraph: nodes.paragraph, name: str
    ) -> nodes.footnote_reference:
        """The footnote holding ``paragraph``, at the end of the document; its mark replaces
        ``pending`` (returned)."""
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
        return reference

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


def _strip_parentheses(inlines: list[Any]) -> list[Any]:
    """Drop the parentheses a note style's citeproc puts around a citation inside a note."""
    if not inlines:
        return inlines
    first, last = inlines[0], inlines[-1]
    if (
        first.get("t") == "Str"
        and last.get("t") == "Str"
        and first["c"].startswith("(")
        and last["c"].endswith(")")
    ):
        inlines = list(inlines)
        if first is last:
            inlines[0] = {"t": "Str", "c": first["c"][1:-1]}
        else:
            inlines[0] = {"t": "Str", "c": first["c"][1:]}
            inlines[-1] = {"t": "Str", "c": last["c"][:-1]}
        inlines = [i for i in inlines if not (i.get("t") == "Str" and i["c"] == "")]
    return inlines


def _punctuation_inside_quotes(node: nodes.Element) -> None:
    """A comma or period of the note text right after a citation ending in a closing quote
    goes inside the quote (en-US and Chicago: “Eastern Destiny,” who …)."""
    following = node.next_node(descend=False, siblings=True)
    if not isinstance(following, nodes.Text) or following[:1] not in (",", "."):
        return
    texts = list(node.findall(nodes.Text))
    if not texts or not texts[-1].rstrip().endswith(("\u201d", "\u2019")):
        return
    last = texts[-1]
    stripped = str(last).rstrip()
    mark = following[0]
    closing = len(stripped) - len(stripped.rstrip("\u201d\u2019"))
    before = stripped[: len(stripped) - closing]
    inside = before if before.endswith((".", "?", "!")) else before + mark
    last.parent.replace(last, nodes.Text(inside + stripped[len(stripped) - closing :]))
    following.parent.replace(following, nodes.Text(str(following)[1:]))


class FillCitations(SphinxPostTransform):
    """Put each rendered citation in its placeholder (the rendering is in the environment)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(pending_citation))
        if not placeholders:
            return
        domain = citation_domain(self.env)
        store = domain.store
        note_style = store.style.note if store.style else True
        in_quote = punctuation_in_quote(csl_locale(self.config.language))
        for placeholder in placeholders:
            cid = placeholder["cid"]  # "docname#n": LaTeX writes all documents as one tree
            parts = domain.rendered(cid.rsplit("#", 1)[0]).get(cid)
            if parts is None:
                placeholder.replace_self(nodes.Text(placeholder["fallback"]))
                continue
            inlines = parts[placeholder["part"]]
            if placeholder["in_note"] and note_style:
                inlines = _strip_parentheses(inlines)
            node = nodes.inline("", "", *to_nodes(inlines, in_quote), classes=["csl-citation"])
            parent = placeholder.parent
            placeholder.replace_self(node)
            if placeholder["in_note"] and in_quote:
                _punctuation_inside_quotes(node)
            if (
                isinstance(parent, nodes.paragraph)
                and parent.children[0] is node
                and isinstance(parent.parent, nodes.footnote)
            ):
                _capitalize_first(node)  # a note that starts with a citation starts with a capital


class BibliographyTransform(SphinxPostTransform):
    """Fill each ``bibliography`` with the entries rendered in the CSL style's layout and order."""

    default_priority = 5  # before other post-transforms (e.g. the theme's footnote handling)

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(bibliography_placeholder))
        if not placeholders:
            return
        store = citation_domain(self.env).store
        bibliographies = citation_domain(self.env).bibliographies
        in_quote = punctuation_in_quote(csl_locale(self.config.language))
        used_ids: set[str] = set(self.document.ids)
        for placeholder in placeholders:
            mode = placeholder["mode"]
            container = nodes.container(classes=["bibliography", f"bibliography-{mode}", "csl-bib-body"])
            if store.style is not None and not store.style.has_bibliography:
                logger.error(
                    "bibliography: the CSL style has no bibliography layout; choose another book_csl_style",
                    location=placeholder,
                    type="book",
                    subtype="citation",
                )
            for key, inlines in bibliographies.get(bibliography_unit(mode, list(placeholder["keys"])), []):
                entry = nodes.paragraph("", "", classes=["csl-entry"])
                anchor = nodes.make_id(f"bib-{key}")
                if anchor not in used_ids:  # a work in two lists is one anchor, the first
                    used_ids.add(anchor)
                    entry["ids"].append(anchor)
                entry.extend(to_nodes(inlines, in_quote))
                container += entry
            placeholder.replace_self(container)
