"""Sphinx extension: warnings for what makes a poor printed page, naming the file.

- a chapter with no text (only its title): it still gets its page, with a warning;
- a title too long for the title page or the running head: set smaller, or shortened with an
  ellipsis in the head, with a warning naming the outline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .latexbook import LONG_TITLE

logger = logging.getLogger(__name__)
# A chapter title longer than this is shortened in the running head.
LONG_HEAD = 80


# Nodes that are no text of their own: a chapter made only of these has no text.
_STRUCTURE = (
    nodes.section,
    nodes.title,
    nodes.Text,
    nodes.target,
    nodes.comment,
    nodes.system_message,
    addnodes.index,
)


def _check_text(app: Sphinx, doctree: nodes.document) -> None:
    """A chapter (a document other than the root) with nothing in it but its title."""
    docname = app.env.docname
    sections = list(doctree.findall(nodes.section))
    if docname == app.config.root_doc or not sections:
        return
    title = sections[0][0].astext() if sections[0].children else docname
    where = f"{app.env.doc2path(docname)}:1"  # with a line: Sphinx keeps the location as it is
    if not any(not isinstance(n, _STRUCTURE) for n in doctree.findall() if n is not doctree):
        logger.warning(
            f"chapter '{title}' has no text: it is printed as a title on its own page",
            location=where, type="book", subtype="empty",
        )  # fmt: skip
    if len(title) > LONG_HEAD:
        logger.warning(
            f"title '{title[:40]}…' is {len(title)} characters long: the running head shortens it",
            location=where, type="book", subtype="long_title",
        )  # fmt: skip


def _check_book_title(app: Sphinx) -> None:
    title = str(app.config.project)
    outline = Path(app.config.book_outline) if app.config.book_outline else None
    if app.builder.name == "latex" and len(title) > LONG_TITLE:
        line = 1
        if outline and outline.is_file():
            lines = outline.read_text(encoding="utf-8").splitlines()
            line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith("title")), 1)
        logger.warning(
            f"the book's title is {len(title)} characters long: the title page sets it smaller and "
            "the running head shortens it",
            location=f"{outline or 'outline.toml'}:{line}", type="book", subtype="long_title",
        )  # fmt: skip


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_outline", "", "env", types=[str])
    app.connect("doctree-read", _check_text)
    app.connect("builder-inited", _check_book_title)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
