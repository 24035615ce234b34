"""Sphinx extension: warnings for what makes a poor printed page, naming the file.

- a chapter with no text (only its title): it still gets its page, with a warning;
- a title too long for the title page or the running head: set smaller, or shortened with an
  ellipsis in the head, with a warning naming the outline.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .latexbook import LONG_TITLE

logger = logging.getLogger(__name__)
# A chapter title longer than this is shortened in the running head.
LONG_HEAD = 80


def _check_text(app: Sphinx, doctree: nodes.document) -> None:
    """A document whose sections hold no paragraph, table, list or sub-document."""
    docname = app.env.docname
    if docname == app.config.root_doc:
        return
    sections = list(doctree.findall(nodes.section))
    if not sections:
        return
    body = [
        n
        for n in doctree.findall()
        if isinstance(n, (nodes.paragraph, nodes.table, nodes.list_item, nodes.definition_list, nodes.raw))
        or n.__class__.__name__ in ("toctree", "bibliography_node")
    ]
    toctrees = [n for n in doctree.findall(nodes.Element) if n.tagname == "toctree"]
    if not body and not any(n.get("entries") for n in toctrees):
        title = sections[0][0].astext() if sections[0].children else docname
        logger.warning(
            f"chapter '{title}' has no text: it is printed as a title on its own page",
            location=docname,
            type="book",
            subtype="empty",
        )
    for section in sections[:1]:
        title = section[0].astext()
        if len(title) > LONG_HEAD:
            logger.warning(
                f"title '{title[:40]}…' is {len(title)} characters long: the running head shortens it",
                location=docname,
                type="book",
                subtype="long_title",
            )


def _check_book_title(app: Sphinx) -> None:
    title = str(app.config.project)
    if app.builder.name == "latex" and len(title) > LONG_TITLE:
        logger.warning(
            f"the book's title is {len(title)} characters long: the title page sets it smaller and "
            "the running head shortens it",
            location=app.config.book_outline or None,
            type="book",
            subtype="long_title",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_outline", "", "env", types=[str])
    app.connect("doctree-read", _check_text)
    app.connect("builder-inited", _check_book_title)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
