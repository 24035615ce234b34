"""The book's index, marked while each document is read: every chapter, hand-written or not.

The terms come from ``outline.toml`` and the book's glossaries (the Sphinx setting
``book_index``, made by :func:`book.sources.indexterms.index_spec`); where each stands is
decided by :class:`~book.sources.indexterms.Matcher` (whole words, the longest name, people by
surname). In each paragraph of the text (not in headings, captions, notes or code) every place
a term stands gets an :class:`index_mark`; its first place in the paragraph also gets an
ordinary Sphinx index entry with a target, which the HTML and EPUB indexes link to.

* PDF: every mark is an ``\\index`` (every page that names the term carries the locator;
  makeindex merges a page named twice); a sub-entry sorts by its first place in the book, so
  sub-entries stand in page order; "see" and "see also" come after every locator.
* HTML and EPUB: Sphinx's index, with the links and sub-entries put in reading order.
* A term of ``outline.toml`` that no chapter names is a warning naming the outline's line.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from book.citations.nodes import bibliography_placeholder, pending_citation, pending_note
from book.citations.render import reading_order
from book.sources.indexterms import Matcher, entry_text, sort_key

__all__ = ["MarkIndexTerms", "index_mark", "setup"]

logger = logging.getLogger(__name__)


class index_mark(nodes.Inline, nodes.Element):
    """A place an index heading stands: ``heading``, ``sub`` (a topic, or ""), ``kind`` ("page",
    or "see"/"seealso" with ``target``). Only the PDF writes it; ``rank`` orders sub-entries."""


# No index entry inside these: headings and captions (LaTeX moves them into the contents and
# running heads), notes, code, links and the glossary's own terms (Sphinx indexes those).
_SKIP = (
    nodes.title, nodes.subtitle, nodes.caption, nodes.footnote, nodes.citation, nodes.literal,
    nodes.literal_block, nodes.raw, nodes.comment, nodes.term, nodes.reference, nodes.math,
    nodes.math_block, nodes.target, nodes.rubric, nodes.label, nodes.substitution_definition,
    nodes.field_name, addnodes.pending_xref, addnodes.toctree, addnodes.index, addnodes.desc_signature,
    addnodes.only, index_mark, pending_note, pending_citation,
)  # fmt: skip

_MATCHERS: dict[str, Matcher] = {}


def _matcher(spec: dict[str, Any]) -> Matcher:
    key = repr(sorted(spec.get("forms", {}).items())) + repr(spec.get("folded")) + repr(spec.get("topics"))
    if key not in _MATCHERS:
        _MATCHERS.clear()
        _MATCHERS[key] = Matcher(spec)
    return _MATCHERS[key]


def _paragraph_or_bibliography(node: nodes.Node) -> bool:
    return isinstance(node, nodes.paragraph | bibliography_placeholder)


def _outside(node: nodes.Node, paragraph: nodes.Element) -> bool:
    """Whether ``node`` (in ``paragraph``) lies in something never indexed."""
    current = node.parent
    while current is not None and current is not paragraph:
        if isinstance(current, _SKIP):
            return True
        current = current.parent
    return False


class MarkIndexTerms(SphinxTransform):
    """Mark every place an index term stands in the document's paragraphs (see the module)."""

    default_priority = 700  # after the notes are made (615) and numbered (620)

    def apply(self, **kwargs: Any) -> None:
        spec: dict[str, Any] = self.config.book_index or {}
        found: set[str] = set()
        if spec.get("forms"):
            matcher = _matcher(spec)
            for node in list(self.document.findall(_paragraph_or_bibliography)):
                if isinstance(node, bibliography_placeholder):
                    break  # a bibliography, and what follows it, is not indexed (CMOS 16.110)
                if isinstance(node, nodes.paragraph) and not _outside(node, self.document):
                    self._mark(node, matcher, found)
        hits = self.env.domains["bookindex"].data["hits"]
        hits[self.env.docname] = sorted(found)
        if self.env.docname == self.config.root_doc:
            self._cross_references(spec)

    def _mark(self, paragraph: nodes.Element, matcher: Matcher, found: set[str]) -> None:
        texts = [t for t in paragraph.findall(nodes.Text) if not _outside(t, paragraph)]
        whole = paragraph.astext()
        linked: set[str] = set()
        for text in texts:
            source = str(text)
            hits = matcher.hits(source)
            if not hits:
                continue
            pieces: list[nodes.Node] = []
            position = 0
            for hit in hits:
                pieces.append(nodes.Text(source[position : hit.start]))
                for sub in matcher.topics(hit.heading, whole) or [""]:
                    value = f"{hit.heading}; {sub}" if sub else hit.heading
                    if value not in linked:  # the paragraph's first place: a link in HTML and EPUB
                        linked.add(value)
                        target = f"index-{self.env.new_serialno('index')}"
                        entry = addnodes.index(entries=[("single", value, target, "", None)], inline=True)
                        entry["book_term"] = True
                        pieces += [nodes.target("", "", ids=[target]), entry]
                    pieces.append(index_mark(heading=hit.heading, sub=sub, kind="page"))
                found.add(hit.heading)
                position = hit.start
            pieces.append(nodes.Text(source[position:]))
            text.parent.replace(text, [p for p in pieces if not isinstance(p, nodes.Text) or str(p)])

    def _cross_references(self, spec: dict[str, Any]) -> None:
        """The outline's "see" and "see also" entries, kept with the book's root document."""
        entries = [("see", f"{key}; {target}", "", "", None) for key, target in spec.get("see", {}).items()]
        entries += [
            ("seealso", f"{heading}; {target}", "", "", None)
            for heading, targets in spec.get("see_also", {}).items()
            for target in targets
        ]
        if entries:
            node = addnodes.index(entries=entries, inline=False)
            node["book_term"] = True
            self.document += node


class IndexHits(Domain):
    """Which index headings each document names (for the warning about terms found nowhere)."""

    name = "bookindex"
    label = "Book index"
    initial_data = {"hits": {}}  # noqa: RUF012 (Sphinx copies it per environment)

    def clear_doc(self, docname: str) -> None:
        self.data["hits"].pop(docname, None)

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            self.data["hits"][docname] = otherdata["hits"].get(docname, [])


def _check_terms(app: Sphinx, env: BuildEnvironment) -> None:
    """An outline term that no document names: a warning naming its line of the outline."""
    spec = app.config.book_index or {}
    named = {h for hits in env.domains["bookindex"].data["hits"].values() for h in hits}
    forms = spec.get("forms", {})
    for term, line in spec.get("terms", {}).items():
        if forms.get(term) not in named:
            logger.warning(
                "index term '%s' occurs nowhere in the text; it is left out of the index",
                term,
                location=f"{spec.get('outline', 'outline.toml')}:{line}",
                type="book",
                subtype="index",
            )


class LatexIndex(SphinxPostTransform):
    """The PDF's index, written by the marks alone: each place of a term (the paragraph's first
    entry would repeat one), the entries Sphinx makes itself (a glossary's terms, an author's
    ``{index}`` roles) in the same form, so that one heading is one entry; sub-entries ranked
    by their first place in the book; the outline's cross-references last, after every page."""

    default_priority = 20
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(addnodes.index)):
            if node.get("book_term"):
                node.parent.remove(node)
            else:
                self._as_marks(node)
        ranks: dict[tuple[str, str], int] = {}
        for mark in self.document.findall(index_mark):
            if mark["sub"]:
                mark["rank"] = ranks.setdefault((mark["heading"], mark["sub"]), len(ranks) + 1)
        spec: dict[str, Any] = self.config.book_index or {}
        see = {key: [target] for key, target in spec.get("see", {}).items()}
        crossrefs = [
            index_mark(heading=heading, sub="", kind=kind, target=target)
            for kind, refs in (("see", see), ("seealso", spec.get("see_also", {})))
            for heading, targets in refs.items()
            for target in targets
        ]
        if crossrefs:  # bookdesign.sty: written with a page number past every real one
            self.document += nodes.raw("", r"{\bookcrossrefs", format="latex")
            self.document.extend(crossrefs)
            self.document += nodes.raw("", "}%\n", format="latex")

    def _as_marks(self, node: addnodes.index) -> None:
        """Sphinx's own single entries as marks; one on a glossary's term goes to the start of its
        definition (inside the term, LaTeX writes it to the index file in another form)."""
        singles = [e for e in node["entries"] if e[0] == "single"]
        if not singles:
            return
        marks = []
        for _kind, value, *_ in singles:
            heading, _, sub = value.partition(";")
            marks.append(index_mark(heading=entry_text(heading), sub=entry_text(sub), kind="page"))
        parent = node.parent
        at = parent.index(node)
        rest = [e for e in node["entries"] if e[0] != "single"]
        if rest:
            node["entries"] = rest
            at += 1
        else:
            parent.remove(node)
        if not isinstance(parent, nodes.term):
            parent[at:at] = marks
            return
        definition = next(iter(parent.parent.findall(nodes.definition)), None)
        paragraph = next(iter(definition.findall(nodes.paragraph)), None) if definition is not None else None
        if paragraph is not None:
            paragraph[0:0] = marks
        else:
            parent.parent.extend(marks)


def _latex_escape(translator: Any, value: str) -> str:
    """An index entry's text as Sphinx's LaTeX writer escapes it (so entries merge with its own)."""
    value = translator.encode(value)
    value = value.replace(r"\{", r"\sphinxleftcurlybrace{}").replace(r"\}", r"\sphinxrightcurlybrace{}")
    value = value.replace('"', '""').replace("@", '"@').replace("!", '"!')
    return value.replace("|", r"\textbar{}")


def _latex_style(text: str) -> str:
    from sphinx.writers.latex import EXTRA_RE

    match = EXTRA_RE.match(text)
    return match.expand(r"\\spxentry{\1}\\spxextra{\2}") if match else rf"\spxentry{{{text}}}"


def visit_mark_latex(translator: Any, node: index_mark) -> None:
    """``\\index{key@text}``: the key letters and digits only, so that makeindex files the entries
    letter by letter (CMOS 16.58: "Li–Lobanov Treaty" after "Lifan Yuan"), in any case."""
    heading = _latex_escape(translator, node["heading"])
    entry = f"{_latex_escape(translator, sort_key(node['heading']))}@{_latex_style(heading)}"
    if node["kind"] in ("see", "seealso"):
        target = _latex_escape(translator, node["target"])
        translator.body.append(rf"\index{{{entry}|{node['kind']}{{{target}}}}}")
    elif node["sub"]:
        sub = _latex_style(_latex_escape(translator, node["sub"]))
        translator.body.append(rf"\index{{{entry}!{node['rank']:05d}@{sub}}}")
    else:
        translator.body.append(rf"\index{{{entry}}}")
    raise nodes.SkipNode


def skip_mark(translator: Any, node: index_mark) -> None:
    raise nodes.SkipNode


_ANCHOR = re.compile(r"#index-(\d+)$")


def _reading_order(app: Sphinx) -> dict[str, int]:
    """Each document's place in the book (the tables of contents from the root), by its URI."""
    order = reading_order(app.env)
    return {app.builder.get_relative_uri("genindex", doc): n for n, doc in enumerate(order)}


def _genindex_in_reading_order(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The HTML and EPUB index: each entry's links, and its sub-entries, in reading order (Sphinx
    sorts links by URI and sub-entries by name); cross-references ("see also") last."""
    if not pagename.startswith("genindex") or "genindexentries" not in context:
        return
    places = _reading_order(app)

    def place(link: tuple[Any, str]) -> tuple[int, int]:
        uri, _, _ = link[1].partition("#")
        anchor = _ANCHOR.search(link[1])
        return places.get(uri, len(places)), int(anchor.group(1)) if anchor else 0

    for _letter, entries in context["genindexentries"]:
        for _name, (targets, subitems, _key) in entries:
            targets.sort(key=place)
            for _sub, links in subitems:
                links.sort(key=place)
            subitems.sort(
                key=lambda pair: min((place(link) for link in pair[1]), default=(len(places) + 1, 0))
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_index", {}, "env", dict)
    app.add_node(
        index_mark,
        html=(skip_mark, None),
        latex=(visit_mark_latex, None),
        text=(skip_mark, None),
        man=(skip_mark, None),
        texinfo=(skip_mark, None),
    )
    app.add_domain(IndexHits)
    app.add_transform(MarkIndexTerms)
    app.add_post_transform(LatexIndex)
    app.connect("env-check-consistency", _check_terms)
    app.connect("html-page-context", _genindex_in_reading_order)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
