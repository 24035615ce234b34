"""A book of hand-written chapters: its contents, its landing page and its bibliography page.

A book whose outline names no source documents is made of the MyST files in ``chapters/``:
those ``[chapters] order`` lists, in that order, else every ``chapters/*.md`` in file-name
order (a chapter another chapter lists in its own toctree stays there). :func:`write_contents`
writes what such a book needs and the author need not: ``index.md`` (the title, the download
links, the table of contents) and, whenever a chapter cites anything (or ``[bibliography]
list = "all"`` and a bibliography file has entries), ``chapters/bibliography.md`` listing the
works, last in the contents. Both carry the generated-file marker: a file without it (the
author's own ``index.md``, a chapter of the same name) is never overwritten, and a chapter
of the author's with a ``{bibliography}`` directive stands for the page. The page's heading
follows the style and the language (:mod:`book.editions.bibpage`) unless ``[bibliography]
title`` names it.

The bibliography files: ``[bibliography] files``, else every ``.bib`` file beside the outline
(``references.bib`` first, ``references-generated.bib`` last: an author's entry wins) and
``references.json``, ``references.yaml`` or ``references.yml`` (CSL-JSON, CSL-YAML).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from book.errors import BookError

from . import myst
from .outline import Outline

__all__ = [
    "BIBLIOGRAPHY_PAGE",
    "HEADING_MARK",
    "bibliography_files",
    "hand_chapters",
    "index_page",
    "write_contents",
]

BIBLIOGRAPHY_PAGE = "bibliography"  # chapters/bibliography.md
#: the comment before the generated page's heading: book.editions.bibpage puts the style's there
HEADING_MARK = "% heading: the style's and the language's"
CSL_FILES = ("references.json", "references.yaml", "references.yml")

_CITES = re.compile(r"\{(?:cite(?::[tp])?|note)\}`[^`]*@")
_BIBLIOGRAPHY_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{bibliography\}", re.MULTILINE)
_TOCTREE = re.compile(r"^[ \t]*([:`]{3,})\{toctree\}[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_ENTRY = re.compile(r"^\s*@(?!string\b|comment\b|preamble\b)\w+\s*[{(]", re.IGNORECASE | re.MULTILINE)


def is_generated(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline().rstrip("\n") == myst.GENERATED
    except (OSError, UnicodeDecodeError):
        return False


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # the build reads it again and names the problem


def bibliography_files(outline: Outline) -> list[Path]:
    """The book's bibliography files, in the order their entries win (the first definition)."""
    base = outline.path.parent
    if outline.bibliography_files:
        files = []
        for name in outline.bibliography_files:
            path = (base / name).resolve()
            line = outline.line_of(f'"{name}"')
            if not path.is_relative_to(base.resolve()):
                raise BookError(
                    f"bibliography file '{name}' lies outside the book's folder", outline.path, line
                )
            if not path.exists():
                raise BookError(
                    f"bibliography file '{name}' not found",
                    outline.path,
                    line,
                    hint="fix the name or the path",
                )
            files.append(base / name)
        return files
    bib = sorted(
        base.glob("*.bib"),
        key=lambda p: (p.name != "references.bib", p.name == "references-generated.bib", p.name),
    )
    return [*bib, *(base / name for name in CSL_FILES if (base / name).exists())]


def hand_chapters(outline: Outline, chapters: Path) -> list[str]:
    """The chapters of a book of hand-written chapters, in order (file stems under ``chapters``)."""
    if outline.chapters:
        return list(outline.chapters)
    files = [p for p in sorted(chapters.glob("*.md")) if not is_generated(p)]
    nested = {name for p in files for name in _toctree_entries(_read(p))}
    return [p.stem for p in files if p.stem not in nested]


def _toctree_entries(text: str) -> set[str]:
    names = set()
    for match in _TOCTREE.finditer(text):
        for line in match.group(2).splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                names.add(Path(line).stem)
    return names


_LITERAL = re.compile(
    r"^[ \t]*%[^\n]*$|^[ \t]*(`{3,}|~{3,})(?!\{)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL
)


def _needs_bibliography(outline: Outline, texts: list[str]) -> bool:
    texts = [_LITERAL.sub("", text) for text in texts]  # comments and code blocks cite nothing
    if any(_BIBLIOGRAPHY_DIRECTIVE.search(text) for text in texts):
        return False  # the author's own bibliography page
    if any(_CITES.search(text) for text in texts):
        return True
    if outline.bibliography_list != "all":
        return False
    for path in bibliography_files(outline):
        text = _read(path)
        if _ENTRY.search(text) if path.suffix == ".bib" else re.search(r"\bid\b", text):
            return True
    return False


def bibliography_page(outline: Outline) -> str:
    title = outline.bibliography_title or "Bibliography"
    option = {"all": ""} if outline.bibliography_list == "all" else {"cited": ""}
    mark = "" if outline.bibliography_title else HEADING_MARK + "\n"
    parts = [myst.GENERATED, "", f"({BIBLIOGRAPHY_PAGE})=\n{mark}# {myst.escape(title)}\n",
             myst.directive("bibliography", options=option)]  # fmt: skip
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


#: the download links' label in English; the callers pass the book's language's (book.editions.languages)
DOWNLOAD_LABEL = "Download this book:"


def index_page(outline: Outline, entries: list[str], download_label: str = DOWNLOAD_LABEL) -> str:
    """The landing page: the title, the subtitle, the download links and the contents."""
    name = outline.filename
    links = (
        f'<p class="book-downloads">{html.escape(download_label)} '
        f'<a class="reference download" href="downloads/{name}.pdf" download>PDF</a> · '
        f'<a class="reference download" href="downloads/{name}.epub" download>EPUB</a></p>'
    )
    # The PDF and EPUB are copied into the HTML site's downloads/ when the editions are published.
    downloads = "::::{only} builder_html\n" + myst.directive("raw", "html", body=links) + "::::\n"
    body = [
        myst.GENERATED,
        "",
        myst.heading(1, outline.title),
        f"*{myst.escape_inline(outline.subtitle)}*\n" if outline.subtitle else "",
        downloads,
        myst.toctree(entries, maxdepth=2),
    ]
    return "\n".join(b.rstrip("\n") + "\n" for b in body if b)


def _write(path: Path, text: str) -> bool:
    """Write a generated file unless the author's file stands there; True if it is ours."""
    if path.exists() and not is_generated(path):
        return False
    if _read(path) != text:
        path.write_text(text, encoding="utf-8", newline="\n")
    return True


def write_contents(outline: Outline, download_label: str = DOWNLOAD_LABEL) -> list[Path]:
    """For a book of hand-written chapters (no source documents): write ``index.md`` and the
    bibliography page as needed; the files written or kept. Nothing for a book made from
    documents (``python -m book import`` writes those)."""
    if outline.documents:
        return []
    base = outline.path.parent
    chapters = base / "chapters"
    names = hand_chapters(outline, chapters)
    for name in outline.chapters:
        if not (chapters / f"{name}.md").exists():
            raise BookError(
                f"[chapters] order lists '{name}', but chapters/{name}.md does not exist",
                outline.path,
                outline.line_of(f'"{name}"'),
                hint="write the chapter, or take it out of the list",
            )
    if not names and not (base / "index.md").exists():
        raise BookError(
            "the book has no chapters",
            chapters,
            None,
            hint="write chapters/01-introduction.md (any MyST file)",
        )
    page = chapters / f"{BIBLIOGRAPHY_PAGE}.md"
    texts = [_read(chapters / f"{name}.md") for name in names]
    ours = []
    if _needs_bibliography(outline, texts) and _write(page, bibliography_page(outline)):
        ours.append(page)
        names = [n for n in names if n != BIBLIOGRAPHY_PAGE] + [BIBLIOGRAPHY_PAGE]
    elif page.exists() and is_generated(page):
        page.unlink()  # nothing cited any more
    index = base / "index.md"
    if _write(index, index_page(outline, [f"chapters/{name}" for name in names], download_label)):
        ours.append(index)
    return ours
