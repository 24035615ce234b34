"""``python -m book new DIR``: a new book of hand-written chapters, ready to build.

DIR gets ``outline.toml`` (title, author, language; no source documents), ``conf.py``,
``chapters/01-introduction.md``, an empty ``references.bib``, a README, a Makefile that runs
this tool's own Python (no second environment) and the ``index.md`` the build keeps current.
DIR must be new or empty: nothing is ever overwritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from book.editions.languages import words
from book.errors import BookError, check_text
from book.limits import MAX_FIELD_CHARS
from book.sources import myst
from book.sources.contents import write_contents
from book.sources.outline import LANGUAGE, load_outline

__all__ = ["new_book"]


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string (JSON's escapes are TOML's)


OUTLINE = """\
# The book's outline: its title, author and language, and the order of its chapters.

[book]
title = {title}
author = {author}
language = {language}              # a language tag: "en", "fr", "de", "zh-Hans" ...
filename = "{filename}"   # dist/{filename}.pdf and .epub

# The chapters are the MyST files in chapters/, in file-name order. To choose the order,
# list them (file names without .md):
# [chapters]
# order = ["01-introduction", "02-rivers"]

# The bibliography files are every .bib file here, and references.json or references.yaml
# (CSL-JSON, CSL-YAML, as Zotero exports them). The bibliography page lists the works cited;
# list = "all" lists every entry; title = "…" names the page (default: the style's heading).
# [bibliography]
# files = ["references.bib", "zotero.json"]
# list = "all"
"""

CONF = '''\
"""Sphinx configuration of the book: the title, author, language and chapters come from
outline.toml; below are the settings an author may want to change."""

from pathlib import Path

from book.editions.sphinxconf import book_settings

globals().update(book_settings(Path(__file__).resolve().parent / "outline.toml"))

# How citations look: a CSL style name ("chicago-notes-bibliography-book", "chicago-author-date",
# "apa", "modern-language-association", "harvard-cite-them-right", ...) or a path to a .csl
# file. A note style makes footnotes; an in-text style puts citations in the text.
book_csl_style = "chicago-notes-bibliography-book"
# "Ibid." for a work cited twice in a row (with a style that has an ibid form).
book_citation_ibid = False
# Print a .bib entry's annote/annotation field after it in the bibliography (an annotated list).
book_print_annotations = False
'''

CHAPTER = """\
# Introduction

This is the first chapter. Every MyST Markdown file in `chapters/` is a chapter of the book,
in file-name order: add `02-next-chapter.md` and build again.

% To cite a work, put its entry in references.bib (or any .bib file here, or a Zotero export
% named references.json) and write {cite}`@key, p. 12` after the sentence: the citation
% becomes a footnote, and a bibliography page lists every work cited.
"""

REFERENCES = """\
% The book's bibliography: BibTeX or BibLaTeX entries (every .bib file in this folder is read).
"""

README = """\
# {title}

A book in three editions (PDF, EPUB, HTML), made with `python -m book new`.

| command | what it does |
| --- | --- |
| `make` | build all three editions into `dist/` |
| `make html`, `make epub`, `make pdf` | one edition |
| `make docx` | a DOCX manuscript with Word footnotes, for a publisher's copyeditor |
| `make serve` | preview the HTML at http://127.0.0.1:8000, rebuilt on every save |

- **Chapters**: MyST Markdown files in `chapters/`, in file-name order (or as `[chapters]
  order` in `outline.toml` lists them).
- **Citations**: {{cite}}`@key, p. 12` in a chapter; the entries in `references.bib` (any
  `.bib` file here, or `references.json` / `references.yaml` from Zotero).
- **Style**: `book_csl_style` in `conf.py`. **Language**: `language` in `outline.toml`.
"""

MAKEFILE = """\
# Builds this book with the Python of the tool that made it (`python -m book new`).
PY ?= {python}

all: ; $(PY) -m book publish html epub pdf
html epub pdf docx: ; $(PY) -m book publish $@
serve: ; $(PY) -m book serve
clean: ; rm -rf _build dist
.PHONY: all html epub pdf docx serve clean
"""


def _check(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise BookError(f"{what} is empty")
    if "\n" in value or len(value) > MAX_FIELD_CHARS:
        raise BookError(f"{what} must be one line of at most {MAX_FIELD_CHARS:,} characters")
    return check_text(value, None, None, what)


def _refuse_non_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise BookError("is a file, not a folder", folder, hint="name a new folder for the book")
    if folder.is_dir() and any(folder.iterdir()):
        count = sum(1 for _ in folder.iterdir())
        raise BookError(
            f"the folder is not empty ({count} item{'s' if count != 1 else ''}); "
            "a new book goes into a new or empty folder",
            folder,
            hint="choose another folder: `new` never overwrites files",
        )


def new_book(folder: Path, title: str | None = None, author: str | None = None, language: str = "en") -> Path:
    """Make a new book in ``folder`` (new or empty); returns the outline's path."""
    title = _check(
        title or folder.name.replace("-", " ").replace("_", " ").strip().title() or "Untitled", "--title"
    )
    author = _check(author or "Anonymous", "--author")
    if not LANGUAGE.fullmatch(language):
        raise BookError(f'--language must be a language tag such as "en" or "zh-Hans": {language!r}')
    _refuse_non_empty(folder)
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    filename = myst.slug(title) or "book"
    files = {
        "outline.toml": OUTLINE.format(
            title=_toml(title), author=_toml(author), language=_toml(language), filename=filename
        ),
        "conf.py": CONF,
        "chapters/01-introduction.md": CHAPTER,
        "references.bib": REFERENCES,
        "README.md": README.format(title=title),
        "Makefile": MAKEFILE.format(python=sys.executable),
        ".gitignore": "_build/\ndist/\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    outline = load_outline(folder / "outline.toml")
    write_contents(outline, words(outline.language)["download_this_book"])
    return outline.path
