"""Where a citation stands against the punctuation of the text, whichever way the author wrote it.

An author may write a citation before the punctuation it belongs to (Pandoc's way: ``the
frontier {cite}`@k`.``) or after it, where the source documents' note marks stand (``the
frontier.{cite}`@k```). The style decides where it goes, from either:

* a note mark (a note style's citation, a ``{note}`` in any style, a superscript number) touches
  the word before it and follows the punctuation: "the frontier.¹" (:func:`place_marks`);
* a citation in the text (author-date "(Perdue 2009, 100)", numeric "[7]") follows the word
  after a space and stands before the punctuation: "the frontier (Perdue 2009, 100)."
  (:func:`place_in_text`).

Pandoc's citeproc does the first for the first form (``notes-after-punctuation``); the second
form it leaves as written, an in-text citation glued after the full stop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docutils import nodes

__all__ = ["place_in_text", "place_marks", "sibling_after"]

#: punctuation that trades places with a citation (Pandoc moves these after a note mark)
_LEADING = re.compile(r"[.,;:!?]+")
#: the text before an in-text citation: (space)(punctuation)(closing quotes)(space) at its end
_TRAILING = re.compile("(\\s*)([.,;:!?]+)([\u201d\u2019\"']*)\\s*$")
#: after these an in-text citation needs no space: "(see [7])"
_OPENING = "([{\u201c\u2018\u201e\u00ab/\u2014\u2013-"


def _index(node: nodes.Node) -> int:
    """The node's place among its siblings, by identity (text nodes equal by value)."""
    return next(i for i, child in enumerate(node.parent.children) if child is node)


def _before(node: nodes.Node) -> nodes.Node | None:
    at = _index(node)
    return node.parent[at - 1] if at else None


def sibling_after(node: nodes.Node) -> nodes.Node | None:
    """The next sibling, found by identity (docutils' own search takes the first text node of
    the same value)."""
    at = _index(node) + 1
    return node.parent[at] if at < len(node.parent.children) else None


def _set_text(text: nodes.Node, value: str) -> None:
    """Replace a text node's text; an empty one goes."""
    parent, at = text.parent, _index(text)
    if value:
        parent[at] = nodes.Text(value)
    else:
        del parent[at]


def _insert(node: nodes.Node, offset: int, text: str) -> None:
    """A text node just before (offset 0) or after (1) ``node``."""
    node.parent.insert(_index(node) + offset, nodes.Text(text))


def _strip_space_before(node: nodes.Node) -> None:
    before = _before(node)
    if isinstance(before, nodes.Text) and str(before) != str(before).rstrip():
        _set_text(before, str(before).rstrip())


def _punctuation_before(start: nodes.Node, end: nodes.Node) -> None:
    """Punctuation right after ``end`` moves before ``start`` (a run of marks)."""
    after = sibling_after(end)
    if not isinstance(after, nodes.Text):
        return
    match = _LEADING.match(str(after))
    if match is None:
        return
    punctuation = match.group(0)
    _set_text(after, str(after)[len(punctuation) :])
    before = _before(start)
    if isinstance(before, nodes.Text):
        _set_text(before, str(before) + punctuation)
    else:
        _insert(start, 0, punctuation)


def place_marks(marks: Sequence[nodes.Node]) -> None:
    """Note marks: each touches the word before it, and punctuation right after a run of marks
    (side by side) moves before the run: "the frontier {cite}`@a`{cite}`@b`." → "the frontier.¹ ²"."""
    ours = {id(mark) for mark in marks}
    for mark in marks:
        _strip_space_before(mark)
    for mark in marks:
        if mark.parent is None or id(sibling_after(mark)) in ours:
            continue  # not the last of its run
        start = mark
        while (previous := _before(start)) is not None and id(previous) in ours:
            start = previous
        _punctuation_before(start, mark)


def place_in_text(citation: nodes.Node) -> None:
    """An in-text citation: after the word and a space, before the punctuation the author may
    have put before it ("frontier.(Perdue 2009)" → "frontier (Perdue 2009)."). A comma or period
    inside closing quotes moves out after the citation (“a line” (Perdue 2009).); a question or
    exclamation mark there belongs to the quotation and stays."""
    before = _before(citation)
    moved = ""
    if isinstance(before, nodes.Text):
        text = str(before)
        match = _TRAILING.search(text)
        if match and (not match.group(3) or match.group(2) in (".", ",")):
            moved = match.group(1) + match.group(2)
            text = text[: match.start()] + match.group(3)
        text = text.rstrip()
        if text and text[-1] not in _OPENING:
            text += " "
        elif not text and _before(before) is not None:
            text = " "  # after an element: "*Title* (Perdue 2009)"
        _set_text(before, text)
    elif before is not None:
        _insert(citation, 0, " ")
    if moved:
        after = sibling_after(citation)
        if isinstance(after, nodes.Text):
            _set_text(after, moved + str(after))
        else:
            _insert(citation, 1, moved)
