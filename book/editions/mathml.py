"""Math as MathML in the HTML and EPUB editions (a Sphinx HTML math renderer, ``mathml``).

MyST's ``$…$`` and ``$$…$$`` (dollarmath) and the ``{math}`` role and directive become
MathML with docutils' LaTeX converter: no JavaScript, no network, readable by EPUB 3 reading
systems and by browsers. The EPUB's package document marks each page holding MathML with the
``mathml`` property, as EPUB 3 requires. The PDF typesets the same LaTeX natively.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)
_MANIFEST_ITEM = re.compile(r'(<item id="[^"]+" href="([^"]+\.xhtml)" media-type="application/xhtml\+xml")')


def to_mathml(latex: str, block: bool, node: nodes.Node) -> str:
    """MathML for ``latex``; LaTeX that cannot be converted is shown as written, with a warning."""
    try:
        return tex2mathml(latex, as_block=block)
    except Exception as exc:  # the converter raises SyntaxError and others on unsupported LaTeX
        logger.warning("cannot write this math as MathML (%s): shown as LaTeX", exc, location=node)
        return f'<code class="math">{html.escape(latex)}</code>'


def visit_math(self: Any, node: nodes.math) -> None:
    self.body.append(to_mathml(node.astext(), False, node))
    raise nodes.SkipNode


def visit_math_block(self: Any, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math-display"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})</span>')
    self.body.append(to_mathml(node.astext(), True, node))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def mark_mathml_pages(outdir: Path) -> None:
    """Add ``properties="mathml"`` to the EPUB manifest items whose page holds MathML."""
    opf = outdir / "content.opf"
    text = opf.read_text(encoding="utf-8")

    def mark(match: re.Match[str]) -> str:
        page = outdir / match.group(2)
        if page.exists() and "<math" in page.read_text(encoding="utf-8"):
            return match.group(1) + ' properties="mathml"'
        return match.group(1)

    opf.write_text(_MANIFEST_ITEM.sub(mark, text), encoding="utf-8")


def _install_epub_hook(app: Sphinx) -> None:
    builder = app.builder
    if builder.name != "epub":
        return
    build_content = builder.build_content  # type: ignore[attr-defined]

    def build_content_with_mathml() -> None:
        build_content()
        mark_mathml_pages(Path(builder.outdir))

    builder.build_content = build_content_with_mathml  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_math_block, None))
    app.connect("builder-inited", _install_epub_hook)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
