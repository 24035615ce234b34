"""The DOCX manuscript: the book as a Word file for a publisher's copyeditor, made with Pandoc.

:class:`DocxBuilder` is a Sphinx builder over the same environment as the other editions: the
same chapters, read once, with the citations and bibliographies already rendered by citeproc
from the book's CSL-JSON (:mod:`book.citations`), so the notes are the very notes of the PDF,
EPUB and HTML. It walks the chapters in reading order and writes them as Pandoc's document
tree (``<name>.json``: no text is ever read as markup), which ``pandoc`` turns into
``<name>.docx`` (:func:`make_docx`; the build runs it beside the other builders, as it runs
xelatex): chapter and section titles in Word's heading styles (a part "Heading 1" when
the book has parts), notes as Word footnotes, the bibliographies in the "Bibliography" style
with a hanging indent, tables, figures and equations as Word's own. The index, the page marks
and anything meant for one edition only (raw HTML or LaTeX) stay out.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder

from book.citations.engine import find_pandoc
from book.errors import BookError

from .imprint import imprint

__all__ = ["DocxBuilder", "PandocTree", "make_docx", "setup"]

Json = dict[str, Any]

HANGING = 720  # the bibliography's hanging indent, in twentieths of a point (half an inch)
REFERENCE = "reference.docx"  # the Word styles, beside the tree


def _el(kind: str, content: Any = None) -> Json:
    return {"t": kind} if content is None else {"t": kind, "c": content}


def _attr(
    ident: str = "", classes: list[str] | None = None, pairs: list[list[str]] | None = None
) -> list[Any]:
    return [ident, classes or [], pairs or []]


_SPACE = re.compile(r"(\s+)")
_INLINE_WRAP: dict[type, str] = {
    nodes.emphasis: "Emph",
    nodes.title_reference: "Emph",
    nodes.strong: "Strong",
    nodes.subscript: "Subscript",
    nodes.superscript: "Superscript",
}
_CLASS_WRAP = {"smallcaps": "SmallCaps", "underline": "Underline", "strikeout": "Strikeout"}
_SKIP = (
    nodes.target, nodes.comment, nodes.raw, nodes.substitution_definition, nodes.system_message,
    nodes.footnote, nodes.citation, addnodes.index, addnodes.toctree, nodes.label, nodes.pending,
)  # fmt: skip


class PandocTree:
    """One document's doctree as Pandoc blocks, its headings shifted by ``depth``."""

    def __init__(
        self, doctree: nodes.document, depth: int, srcdir: Path, numbers: dict[str, str] | None = None
    ) -> None:
        self.depth = depth
        self.srcdir = srcdir
        self.numbers = numbers or {}  # a figure's or table's id -> "Figure 1"
        self.footnotes = {i: f for f in doctree.findall(nodes.footnote) for i in f["ids"]}
        self.level = 0

    # -- blocks ----------------------------------------------------------------------------
    def blocks(self, node: nodes.Node) -> list[Json]:
        out: list[Json] = []
        for child in node.children:
            out += self.block(child)
        return out

    def block(self, node: nodes.Node) -> list[Json]:
        if isinstance(node, _SKIP) or _invisible(node):
            return []
        for kind, method in _BLOCKS:
            if isinstance(node, kind):
                return method(self, node)
        if isinstance(node, nodes.container) and "bibliography" in node["classes"]:
            return [_el("Div", [_attr(pairs=[["custom-style", "Bibliography"]]), self.blocks(node)])]
        if isinstance(node, nodes.Text | nodes.TextElement):
            return [_el("Para", self.inline(node) if isinstance(node, nodes.Text) else self.inlines(node))]
        return self.blocks(node)  # compound, container, topic, sidebar, ...: their content

    def _para(self, node: nodes.Element) -> list[Json]:
        return [_el("Para", self.inlines(node))]

    def _bullets(self, node: nodes.Element) -> list[Json]:
        return [_el("BulletList", [self.blocks(item) for item in node.children])]

    def _numbers(self, node: nodes.Element) -> list[Json]:
        style = [int(node.get("start", 1)), _el("Decimal"), _el("Period")]
        return [_el("OrderedList", [style, [self.blocks(item) for item in node.children]])]

    def _definitions(self, node: nodes.Element) -> list[Json]:
        return [_el("DefinitionList", [self._definition(item) for item in node.children])]

    def _code(self, node: nodes.Element) -> list[Json]:
        return [_el("CodeBlock", [_attr(), node.astext()])]

    def _display_math(self, node: nodes.Element) -> list[Json]:
        number = [_el("Space"), _el("Str", f"({node['number']})")] if node.get("number") else []
        return [_el("Para", [_el("Math", [_el("DisplayMath"), node.astext()]), *number])]

    def _quote(self, node: nodes.Element) -> list[Json]:
        return [_el("BlockQuote", self.blocks(node))]

    def _lines(self, node: nodes.Element) -> list[Json]:
        return [_el("LineBlock", [self.inlines(line) for line in node.findall(nodes.line)])]

    def _rule(self, node: nodes.Element) -> list[Json]:
        return [_el("HorizontalRule")]

    def _rubric(self, node: nodes.Element) -> list[Json]:
        return [_el("Para", [_el("Strong", self.inlines(node))])]

    def _admonition(self, node: nodes.Element) -> list[Json]:
        title = node.next_node(nodes.title)
        heading = self.inlines(title) if title else [_el("Str", node.tagname.capitalize())]
        return [_el("Div", [_attr(), [_el("Para", [_el("Strong", heading)]), *self.blocks(node)]])]

    def _lone_image(self, node: nodes.Element) -> list[Json]:
        return [_el("Para", self._image(node))]

    def _section(self, node: nodes.section) -> list[Json]:
        self.level += 1
        try:
            out: list[Json] = []
            title = node.next_node(nodes.title)
            if title is not None and self.level + self.depth >= 1:
                level = min(self.level + self.depth, 6)
                ident = node["ids"][0] if node["ids"] else ""
                out.append(_el("Header", [level, _attr(ident), self.inlines(title)]))
            for child in node.children:
                if child is not title:
                    out += self.block(child)
            return out
        finally:
            self.level -= 1

    def _definition(self, item: Any) -> list[Any]:
        terms = [c for c in item.children if isinstance(c, nodes.term | nodes.field_name)]
        term: list[Json] = []
        for found in terms:
            term += ([_el("LineBreak")] if term else []) + self.inlines(found)
        bodies = [c for c in item.children if isinstance(c, nodes.definition | nodes.field_body)]
        return [term, [self.blocks(body) for body in bodies]]

    def _table(self, node: nodes.table) -> Json:
        title = node.next_node(nodes.title)
        caption = [_el("Plain", self._numbered(node, title))] if title is not None else []
        group = node.next_node(nodes.tgroup)
        specs = [c for c in group.children if isinstance(c, nodes.colspec)] if group else []
        total = sum(int(c.get("colwidth", 1)) for c in specs) or 1
        colspecs = [[_el("AlignDefault"), _el("ColWidth", int(c.get("colwidth", 1)) / total)] for c in specs]
        head = next((c for c in group.children if isinstance(c, nodes.thead)), None) if group else None
        body = next((c for c in group.children if isinstance(c, nodes.tbody)), None) if group else None
        return _el(
            "Table",
            [
                _attr(),
                [None, caption],
                colspecs,
                [_attr(), self._rows(head)],
                [[_attr(), 0, [], self._rows(body)]],
                [_attr(), []],
            ],
        )

    def _rows(self, part: Any) -> list[Any]:
        rows = []
        for row in part.children if part is not None else []:
            cells = [
                [
                    _attr(),
                    _el("AlignDefault"),
                    1 + int(e.get("morerows", 0)),
                    1 + int(e.get("morecols", 0)),
                    self.blocks(e),
                ]
                for e in row.children
            ]
            rows.append([_attr(), cells])
        return rows

    def _figure(self, node: nodes.figure) -> Json:
        caption = node.next_node(nodes.caption)
        image = node.next_node(nodes.image)
        content = [_el("Plain", self._image(image))] if image is not None else []
        legend = [b for c in node.children if isinstance(c, nodes.legend) for b in self.blocks(c)]
        captioned = [_el("Plain", self._numbered(node, caption))] if caption is not None else []
        ident = node["ids"][0] if node["ids"] else ""
        return _el("Figure", [_attr(ident), [None, captioned], content + legend])

    def _numbered(self, node: nodes.Element, caption: nodes.Element) -> list[Json]:
        """A caption with the number the other editions give it ("Figure 1 The river ...")."""
        number = next((self.numbers[i] for i in node["ids"] if i in self.numbers), "")
        return [*_text(number + " "), *self.inlines(caption)] if number else self.inlines(caption)

    def _image(self, node: Any) -> list[Json]:
        uri = node["uri"]
        candidates: dict[str, str] = node.get("candidates", {})
        if "*" in uri or uri not in candidates.values():
            uri = next(
                (candidates[m] for m in ("image/png", "image/jpeg", "image/gif") if m in candidates), uri
            )
        path = uri if "://" in uri else str(self.srcdir / uri)
        alt = [_el("Str", node["alt"])] if node.get("alt") else []
        return [_el("Image", [_attr(), alt, [path, ""]])]

    # -- inlines ---------------------------------------------------------------------------
    def inlines(self, node: nodes.Node) -> list[Json]:
        out: list[Json] = []
        for child in node.children:
            out += self.inline(child)
        return out

    def inline(self, node: nodes.Node) -> list[Json]:
        if isinstance(node, nodes.Text):
            return _text(str(node))
        if isinstance(node, _SKIP) or _invisible(node):
            return []
        if type(node) in _INLINE_WRAP:
            return [_el(_INLINE_WRAP[type(node)], self.inlines(node))]
        for kind, method in _INLINES:
            if isinstance(node, kind):
                return method(self, node)
        return self.inlines(node) if isinstance(node, nodes.Element) else _text(node.astext())

    def _code_inline(self, node: nodes.Element) -> list[Json]:
        return [_el("Code", [_attr(), node.astext()])]

    def _math_inline(self, node: nodes.Element) -> list[Json]:
        return [_el("Math", [_el("InlineMath"), node.astext()])]

    def _note(self, node: nodes.Element) -> list[Json]:
        """A note mark: the note itself, a Word footnote."""
        footnote = self.footnotes.get(node.get("refid", ""))
        if footnote is None:
            return []
        return [
            _el(
                "Note",
                [b for c in footnote.children if not isinstance(c, nodes.label) for b in self.block(c)],
            )
        ]

    def _link(self, node: nodes.Element) -> list[Json]:
        uri = node.get("refuri", "")
        if "://" not in uri:  # a link inside the book: its text
            return self.inlines(node)
        return [_el("Link", [_attr(), self.inlines(node), [uri, ""]])]

    def _span(self, node: nodes.Element) -> list[Json]:
        wrap = next((_CLASS_WRAP[c] for c in node["classes"] if c in _CLASS_WRAP), None)
        return [_el(wrap, self.inlines(node))] if wrap else self.inlines(node)


_BLOCKS: list[tuple[type, Any]] = [
    (nodes.section, PandocTree._section),
    (nodes.paragraph, PandocTree._para),
    (nodes.bullet_list, PandocTree._bullets),
    (nodes.enumerated_list, PandocTree._numbers),
    (nodes.definition_list, PandocTree._definitions),
    (nodes.field_list, PandocTree._definitions),
    (nodes.literal_block, PandocTree._code),
    (nodes.math_block, PandocTree._display_math),
    (nodes.block_quote, PandocTree._quote),
    (nodes.line_block, PandocTree._lines),
    (nodes.transition, PandocTree._rule),
    (nodes.table, lambda self, node: [self._table(node)]),
    (nodes.figure, lambda self, node: [self._figure(node)]),
    (nodes.image, PandocTree._lone_image),
    (nodes.rubric, PandocTree._rubric),
    (nodes.Admonition, PandocTree._admonition),
]
_INLINES: list[tuple[type, Any]] = [
    (nodes.literal, PandocTree._code_inline),
    (nodes.math, PandocTree._math_inline),
    (nodes.footnote_reference, PandocTree._note),
    (nodes.reference, PandocTree._link),
    (nodes.image, PandocTree._image),
    (nodes.inline, PandocTree._span),
]


def _invisible(node: nodes.Node) -> bool:
    """The book's own marks (index places, page marks): nothing to print."""
    return type(node).__name__ in ("index_mark", "page_mark")


def _text(text: str) -> list[Json]:
    out: list[Json] = []
    for piece in _SPACE.split(text):
        if not piece:
            continue
        out.append(_el("Space") if piece.isspace() else _el("Str", piece))
    return out


@functools.cache
def _api_version(pandoc: str) -> list[int]:
    """The version of Pandoc's document tree that this pandoc reads."""
    out = subprocess.run(
        [pandoc, "-f", "markdown", "-t", "json"], input="", capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout)["pandoc-api-version"])


def reference_docx(pandoc: str, folder: Path) -> Path:
    """Pandoc's own Word styles with a hanging indent on "Bibliography" (cached in ``folder``)."""
    version = ".".join(map(str, _api_version(pandoc)))
    path = folder / f"reference-{version}-{HANGING}-1980.docx"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    data = subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    partial = path.with_suffix(".part")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/styles.xml":
                content = _hanging_bibliography(content.decode("utf-8")).encode("utf-8")
            # dated 1980-01-01: pandoc keeps these dates in the manuscript (same sources, same bytes)
            out.writestr(
                zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED
            )
    os.replace(partial, path)
    return path


def _hanging_bibliography(styles: str) -> str:
    indent = f'<w:pPr><w:ind w:left="{HANGING}" w:hanging="{HANGING}" /></w:pPr>'
    style = re.compile(r'(<w:style w:type="paragraph" w:styleId="Bibliography">.*?)<w:pPr\s*/>', re.S)
    if style.search(styles):
        return style.sub(lambda m: m.group(1) + indent, styles, count=1)
    added = (
        '<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography" />'
        f'<w:basedOn w:val="Normal" /><w:qFormat />{indent}</w:style>'
    )
    return styles.replace("</w:styles>", added + "</w:styles>")


def make_docx(folder: Path, name: str) -> Path:
    """``<name>.docx`` from the tree the builder wrote in ``folder`` (a BookError if pandoc fails)."""
    target = folder / f"{name}.docx"
    cmd = [find_pandoc(), "-f", "json", "-t", "docx", "--reference-doc", str(folder / REFERENCE)]
    cmd += ["-o", str(target), str(folder / f"{name}.json")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or "315532800"}
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env)
    if proc.returncode != 0:
        target.unlink(missing_ok=True)
        raise BookError(
            f"pandoc could not write the DOCX; dist/ was left as it was\n{proc.stderr.strip()[-500:]}",
            folder / f"{name}.json",
        )
    return target


class DocxBuilder(Builder):
    """Writes the whole book as ``<name>.docx`` (see the module)."""

    name = "docx"
    format = "docx"
    epilog = "The manuscript is in %(outdir)s."
    supported_image_types = ["image/png", "image/jpeg", "image/gif"]  # noqa: RUF012 (Sphinx's API)

    def get_outdated_docs(self) -> str:
        return "the whole book"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Any) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def write_documents(self, docnames: Any) -> None:
        """The book as Pandoc's tree, ``<name>.json``, with the Word styles it is to take
        (``reference.docx``); :func:`make_docx` makes the Word file from them."""
        blocks: list[Json] = []
        for docname, depth in self._reading_order():
            doctree = self.env.get_and_resolve_doctree(docname, self, tags=self.tags)
            blocks += PandocTree(doctree, depth - 1, Path(self.srcdir), self._numbers(docname)).blocks(
                doctree
            )
        pandoc = find_pandoc()
        tree = {"pandoc-api-version": _api_version(pandoc), "meta": self._meta(), "blocks": blocks}
        outdir = Path(self.outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        name = self.config.epub_basename or "book"
        (outdir / f"{name}.json").write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
        shutil.copyfile(reference_docx(pandoc, Path(self.doctreedir) / "bookdocx"), outdir / REFERENCE)

    def _numbers(self, docname: str) -> dict[str, str]:
        """The numbers of a document's figures and tables, as the other editions print them."""
        out = {}
        for figtype, numbers in self.env.toc_fignumbers.get(docname, {}).items():
            prefix = self.config.numfig_format.get(figtype)
            for ident, number in numbers.items():
                if prefix:
                    out[ident] = prefix % ".".join(map(str, number))
        return out

    def _reading_order(self) -> list[tuple[str, int]]:
        """The book's documents below the root, in reading order, with their depth in the contents."""
        order: list[tuple[str, int]] = []
        seen: set[str] = set()

        def visit(doc: str, depth: int) -> None:
            if doc in seen:
                return
            seen.add(doc)
            if depth:
                order.append((doc, depth))
            for child in self.env.toctree_includes.get(doc, []):
                visit(child, depth + 1)

        visit(self.config.root_doc, 0)
        return order

    def _meta(self) -> Json:
        def text(value: str) -> Json:
            return _el("MetaInlines", _text(value))

        meta = {"title": text(self.config.project), "lang": text(self.config.language or "en")}
        outline = _outline(self.config)
        if outline is not None:
            meta["title"] = text(outline.title)
            if outline.subtitle:
                meta["subtitle"] = text(outline.subtitle)
            date = imprint(outline).date  # as the copyright page prints it, in the book's language
            if date:
                meta["date"] = text(date)
        if self.config.author:
            meta["author"] = _el("MetaList", [text(self.config.author)])
        return meta


def _outline(config: Any) -> Any:
    path = getattr(config, "book_outline", "")
    if not path or not Path(path).is_file():
        return None
    from book.sources.outline import load_outline

    return load_outline(path)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(DocxBuilder)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
