"""Pandoc's inline AST (JSON, as :mod:`.engine` returns it) → docutils inline nodes.

Text from the .bib never becomes markup: each Sphinx writer escapes the text nodes itself.
Emphasis, strong, small caps, super- and subscripts become their docutils nodes, links
become references (so LaTeX can break long URLs), quotation marks are already curly.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes

__all__ = ["plain_text", "to_nodes"]

_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}
_WRAPPERS: dict[str, tuple[type[nodes.TextElement], tuple[str, ...]]] = {
    "Emph": (nodes.emphasis, ()),
    "Strong": (nodes.strong, ()),
    "SmallCaps": (nodes.inline, ("smallcaps",)),
    "Superscript": (nodes.superscript, ()),
    "Subscript": (nodes.subscript, ()),
    "Underline": (nodes.inline, ("underline",)),
    "Strikeout": (nodes.inline, ("strikeout",)),
}


def _append_text(parent: nodes.Element, text: str) -> None:
    if text:
        parent += nodes.Text(text)  # adjacent texts are merged once the tree is made (_merge_texts)


def _merge_texts(element: nodes.Element) -> None:
    """Join adjacent text nodes, in ``element`` and below: one pass, not one join per word."""
    children: list[nodes.Node] = []
    pending: list[str] = []
    for child in element.children:
        if isinstance(child, nodes.Text):
            pending.append(str(child))
            continue
        if pending:
            children.append(nodes.Text("".join(pending)))
            pending = []
        if isinstance(child, nodes.Element):
            _merge_texts(child)
        children.append(child)
    if pending:
        children.append(nodes.Text("".join(pending)))
    element.children = []
    element.extend(children)


def _add(parent: nodes.Element, inlines: list[Any]) -> None:
    for inline in inlines:
        kind = inline["t"]
        content = inline.get("c")
        if kind == "Str":
            _append_text(parent, content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            _append_text(parent, " ")
        elif kind in _WRAPPERS:
            cls, classes = _WRAPPERS[kind]
            node = cls("", "", classes=list(classes))
            _add(node, content)
            parent += node
        elif kind == "Quoted":
            open_, close = _QUOTES.get(content[0]["t"], ("\u201c", "\u201d"))
            _append_text(parent, open_)
            _add(parent, content[1])
            _append_text(parent, close)
        elif kind == "Link":
            url = content[2][0]
            node = nodes.reference("", "", refuri=url, classes=["csl-url"])
            _add(node, content[1])
            parent += node
        elif kind == "Span":
            csl_classes = [c for c in content[0][1] if c.startswith("csl-")]
            if csl_classes:
                node = nodes.inline("", "", classes=csl_classes)
                _add(node, content[1])
                parent += node
            else:
                _add(parent, content[1])
        elif kind == "Cite":
            _add(parent, content[1])
        elif kind in ("Code", "Math"):
            _append_text(parent, content[-1])
        # Note, RawInline, Image: nothing in rendered citations


# Pandoc puts a comma or period inside the outer closing quote only (’,”); Chicago (6.9) puts
# it inside both: ‘Special Relationship,’”
_NESTED_CLOSE = re.compile("(\u2019)([.,])(\u201d)")


def _punctuation_in_nested_quotes(parent: nodes.Element) -> None:
    for text in list(parent.findall(nodes.Text)):
        fixed = _NESTED_CLOSE.sub(r"\2\1\3", str(text))
        if fixed != str(text):
            text.parent.replace(text, nodes.Text(fixed))


def to_nodes(inlines: list[Any], in_quote: bool = True) -> list[nodes.Node]:
    """Inline AST → a list of docutils inline nodes (adjacent text merged). ``in_quote``: the
    locale puts a comma or period inside closing quotes (American English), inside both."""
    root = nodes.inline()
    _add(root, inlines)
    _merge_texts(root)
    if in_quote:
        _punctuation_in_nested_quotes(root)
    children = list(root.children)
    root.children = []
    for child in children:
        child.parent = None
    return children


def plain_text(inlines: list[Any]) -> str:
    """The text of an inline AST, without markup."""
    return "".join(node.astext() for node in to_nodes(inlines))
