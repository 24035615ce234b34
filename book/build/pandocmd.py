"""Turn the book's MyST sources into one Pandoc Markdown file, for the Pandoc comparison.

``make bench`` builds the same book with Pandoc (HTML, EPUB and a PDF through xelatex, with the
same ``references.bib`` and CSL style) to compare build times. The conversion follows the
toctree from ``index.md``, shifts headings by their depth in it, and maps the MyST markup the
chapters use onto Pandoc's: ``{cite}`` → ``[@key, p. 1]`` (a note
style makes it a footnote), ``{note}`` → an inline note,
``(label)=`` → a heading identifier, ``{glossary}`` → a definition list, ``{bibliography}`` →
the ``#refs`` division (reading lists become ``nocite`` entries); index entries, ``{only}``
blocks and comments are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_FENCE = re.compile(r"^(:{3,})\{(\w+)\}\s*(.*)$")
_LABEL = re.compile(r"^\(([^)]+)\)=\s*$")
_HEADING = re.compile(r"^(#+)\s")
_CITE = re.compile(r"\{cite\}`([^`]*)`")
_NOTE = re.compile(r"\{note\}`([^`]*)`")


@dataclass
class PandocBook:
    """The converted book: Markdown text, its title, and the keys listed without citation."""

    title: str
    markdown: str
    nocite: list[str] = field(default_factory=list)


def convert(root: Path) -> PandocBook:
    """The book under ``root`` (its ``index.md`` and toctree) as Pandoc Markdown."""
    state = _State(root)
    lines = (root / "index.md").read_text(encoding="utf-8").splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    body = _document(state, root / "index.md", depth=-1)
    return PandocBook(title, "\n".join(body) + "\n", state.nocite)


class _State:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.nocite: list[str] = []


def _document(state: _State, path: Path, depth: int) -> list[str]:
    """One source file, its toctree children inlined; headings shifted by ``depth``."""
    out: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    label = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("<!--"):
            continue
        if match := _LABEL.match(line):
            label = match.group(1)
            continue
        if match := _FENCE.match(line):
            fence, name, argument = match.groups()
            block: list[str] = []
            while i < len(lines) and lines[i].strip() != fence:
                block.append(lines[i])
                i += 1
            i += 1
            out += _directive(state, path, depth, name, argument, block)
            continue
        if match := _HEADING.match(line):
            level = len(match.group(1)) + depth
            if level < 1:  # the book's title: it goes into the metadata
                continue
            line = "#" * level + line[len(match.group(1)) :]
            if label:
                line += f" {{#{label}}}"
            label = None
        out.append(_inline(line))
    return out


def _directive(
    state: _State, path: Path, depth: int, name: str, argument: str, block: list[str]
) -> list[str]:
    options = [line for line in block if line.startswith(":")]
    content = [line for line in block if not line.startswith(":")]
    if name == "toctree":
        out: list[str] = []
        for entry in (line.strip() for line in content):
            if entry:
                out += ["", *_document(state, path.parent / f"{entry}.md", depth + 1), ""]
        return out
    if name == "bibliography":
        for option in options:
            if option.startswith(":keys:"):
                state.nocite += option.split()[1:]
        return ["", "::: {#refs}", ":::", ""] if any(o.startswith(":cited:") for o in options) else []
    if name == "glossary":
        out = []
        for line in content:
            if line.startswith("  "):
                out += [f":   {_inline(line.strip())}", ""]
            elif line.strip():
                out.append(line.strip())
        return out
    return []  # index entries, {only} blocks and raw HTML stay out


def _inline(line: str) -> str:
    line = _CITE.sub(lambda m: _cites(m.group(1)), line)
    return _NOTE.sub(lambda m: f"^[{m.group(1)}]", line)


def _cites(text: str) -> str:
    """``see @a, p. 5; @b`` → ``[see @a, p. 5; @b]``: Pandoc's grammar, brackets added."""
    return f"[{text.strip()}]"


def pandoc_commands(book: Path, out: Path) -> list[list[str]]:
    """The pandoc command lines that build the same book's HTML, EPUB and PDF (for make bench)."""
    import runpy

    import pypandoc

    from book.citations.csl import resolve_style
    from book.sources.outline import load_outline

    conf = runpy.run_path(str(book / "conf.py"))
    style = str(conf.get("book_csl_style", "chicago-notes-bibliography"))
    csl = str(resolve_style(style, book))  # the very file the book's own build uses
    outline = load_outline(book / "outline.toml")
    converted = convert(book)
    out.mkdir(parents=True, exist_ok=True)
    source = out / "book.md"
    source.write_text(converted.markdown, encoding="utf-8")
    meta = out / "meta.yaml"
    nocite = ", ".join(f"'@{k}'" for k in converted.nocite)
    meta.write_text(
        "\n".join(
            [
                f"title: {_yaml(outline.title)}",
                f"subtitle: {_yaml(outline.subtitle or '')}",
                f"author: {_yaml(outline.author)}",
                f"lang: {outline.language}",
                "mainfont: Noto Serif",
                "sansfont: Noto Sans",
                "monofont: Noto Sans Mono",
                "CJKmainfont: Noto Serif CJK SC",
                "papersize: a5",
                "fontsize: 10pt",
                "documentclass: book",
                "fontfamily: fontspec",  # instead of lmodern, which xelatex does not need
                f"nocite: [{nocite}]",
                "",
            ]
        ),
        encoding="utf-8",
    )
    bibs = [str(book / b) for b in conf.get("book_bibfiles", ["references.bib"])]
    common = [
        pypandoc.get_pandoc_path(),
        str(source),
        "--metadata-file",
        str(meta),
        "--toc",
        "--citeproc",
        "--csl",
        csl,
    ]
    for bib in bibs:
        common += ["--bibliography", bib]
    name = outline.filename
    return [
        [*common, "-s", "-o", str(out / f"{name}.html")],
        [*common, "-o", str(out / f"{name}.epub")],
        [
            *common, "--top-level-division=part", "--pdf-engine=xelatex",
            "--pdf-engine-opt=-no-shell-escape", "-o", str(out / f"{name}.pdf"),
        ],
    ]  # fmt: skip


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
