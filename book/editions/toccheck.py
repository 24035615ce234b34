"""A Sphinx extension: a chapter in no table of contents is an error naming its file.

Sphinx only warns about such a document ("document isn't included in any toctree"), and the
chapter silently disappears from the PDF and the EPUB. Here it stops the build instead.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def check_contents(app: Sphinx, env: BuildEnvironment) -> None:
    """Report every document that no toctree lists (the root and orphans excepted)."""
    included = {child for children in env.toctree_includes.values() for child in children}
    for docname in sorted(env.found_docs):
        if docname == app.config.root_doc or docname in included:
            continue
        if "orphan" in env.metadata.get(docname, {}):
            continue
        logger.error(
            "chapter in no table of contents: list '%s' under [front_matter] or [back_matter] "
            "chapters in outline.toml (then run python -m book import), or in a toctree",
            docname.rsplit("/", 1)[-1],
            location=docname,
            type="book",
            subtype="toc",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-check-consistency", check_contents)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
