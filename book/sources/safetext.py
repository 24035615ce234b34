"""Text from the documents, the outline and the bibliography, made inert for each output.

Every such string is text, never markup, whatever field it sits in: one escaping function per
output, used wherever such a string leaves the pipeline's own code.

* MyST (the chapters): ``book.sources.myst.escape``.
* LaTeX (title, author, PDF metadata): ``latex_text`` (Sphinx's own LaTeX escaping).
* HTML templates: the themes print some strings from the configuration and the page titles
  without escaping them (``docstitle``, ``root_title``, ``pagetitle``, ``author``,
  ``version``...). As a Sphinx extension this module escapes them in every page's template
  context, as ``markupsafe.Markup`` so that templates which do escape them (``|e``) leave them
  as they are.
* BibTeX (``references.bib``): ``book.references.bibtexout.bib_text``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.util import texescape

# Template context values that hold plain text (not rendered HTML, unlike ``title`` or ``body``).
TEXT_CONTEXT = (
    "docstitle", "shorttitle", "pagetitle", "root_title", "project", "author", "copyright",
    "version", "release", "last_updated",
)  # fmt: skip


def latex_text(text: str) -> str:
    """``text`` for a LaTeX document: every TeX special character printed as itself."""
    texescape.init()  # Sphinx fills its maps when its LaTeX builder starts; idempotent
    return texescape.escape(text, "xelatex")


def html_text(text: str) -> Markup:
    """``text`` for HTML: escaped, and marked as such (templates do not escape it twice)."""
    return escape(text)


def _escape_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = html_text(value)


def setup(app: Sphinx) -> dict[str, Any]:
    # After the themes (priority 500/501), which add ``root_title`` and ``pagetitle``.
    app.connect("html-page-context", _escape_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
