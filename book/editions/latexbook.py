"""The printed book: Sphinx's LaTeX settings and the front matter's strings, from the outline.

The page design itself is ``book/editions/latex/bookdesign.sty``; this module fills in the strings it
sets (title broken into lines, copyright page, PDF metadata). Every outline string goes into
LaTeX through ``tex_escape`` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from book.sources.outline import Outline
from book.sources.rights import TRIMS
from book.sources.safetext import latex_text

from .imprint import Run, imprint, rights_line
from .languages import words
from .xmp import Metadata, pdf_specials

DESIGN = Path(__file__).resolve().parent / "latex" / "bookdesign.sty"

# Noto covers Latin with diacritics, Greek and Cyrillic; xeCJK takes Chinese, Japanese and
# Korean characters to Noto CJK. Quotes, dashes and the ellipsis stay with the Latin text
# (xeCJK would otherwise set them as full-width CJK punctuation). xeCJK costs about 0.4 s of
# every xelatex pass, so a book loads it only when its text has such characters
# (:func:`scripts_of`).
LATIN_FONTS = r"""
\setmainfont{Noto Serif}[Ligatures=TeX]
\setsansfont{Noto Sans}[Ligatures=TeX]
\setmonofont{Noto Sans Mono}
"""
CJK_FONTS = r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
\xeCJKDeclareCharClass{Default}{"2013, "2014, "2018, "2019, "201C, "201D, "2026, "00B7}
"""
LATEX_FONTS = LATIN_FONTS + CJK_FONTS  # every script: for a book whose text is not known

_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")
_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_TEXT_FILES = {".md", ".rst", ".txt", ".bib", ".toml"}  # where scripts_of looks

# Russian words inside a book in another language are hyphenated with Russian patterns: the
# language switches at every change into and out of Cyrillic script.
CYRILLIC_HYPHENATION = r"""
\setotherlanguage{russian}
\usepackage[Cyrillics]{ucharclasses}
\newcount\bookmainlanguage
\AtBeginDocument{\bookmainlanguage=\language}
\setTransitionsForCyrillics{\language=\csname l@russian\endcsname\relax}{\language=\bookmainlanguage}
"""

# Longest title line (in characters) the title page sets at full size, and the longest title
# set at all before the size steps down.
TITLE_LINE = 22
LONG_TITLE = 60
SUBTITLE_LINE = 38
# Words a title line should not end with.
_WEAK_ENDS = {"a", "an", "the", "and", "or", "&", "и", "в", "на", "с", "et", "und", "y"}
# Punctuation after which a title breaks naturally.
_STRONG_ENDS = (":", "·", "—", ";", ",")


def tex_escape(text: str) -> str:
    """The one way an outline string gets into LaTeX: every special character escaped."""
    return latex_text(" ".join(text.split()))


def title_lines(text: str, width: int = TITLE_LINE) -> list[str]:
    """Break a title where a designer would: balanced lines, none ending on a weak word."""
    words = text.split()
    if _width(text) <= width or len(words) < 2:
        return [text]
    best: tuple[float, list[str]] | None = None
    for count in range(2, min(len(words), 4) + 1):
        for lines in _splits(words, count):
            widths = [_width(line) for line in lines]
            longest = max(widths)
            badness = longest + (longest - min(widths)) / 4
            badness += sum(12 for line in lines[:-1] if line.split()[-1].lower() in _WEAK_ENDS)
            badness += 15 * (count - 2)  # fewer lines are better
            badness -= sum(10 for line in lines[:-1] if line.endswith(_STRONG_ENDS))
            if longest > width * 1.3:
                badness += 40
            if best is None or badness < best[0]:
                best = (badness, lines)
    return best[1] if best else [text]


def _width(text: str) -> int:
    """Width in Latin letters: a Chinese, Japanese or Korean character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _splits(words: list[str], count: int) -> list[list[str]]:
    if count == 1:
        return [[" ".join(words)]]
    out = []
    for cut in range(1, len(words) - count + 2):
        for rest in _splits(words[cut:], count - 1):
            out.append([" ".join(words[:cut]), *rest])
    return out


def _pdf_date(outline: Outline) -> str:
    """The PDF's creation date: the release day (1980-01-01 without one), never the clock."""
    day = outline.release_day or dt.date(1980, 1, 1)
    return f"D:{day:%Y%m%d}000000Z"


def tex_url(url: str) -> str:
    """A web address for ``\\sphinxhref``'s first argument, escaped as Sphinx escapes its own
    (``LaTeXTranslator.encode_uri``: its text escaping, less three replacements)."""
    return (
        latex_text(url)
        .replace(r"\textasciitilde{}", "~")
        .replace(r"\sphinxhyphen{}", "-")
        .replace(r"\textquotesingle{}", "'")
    )


def tex_runs(runs: list[Run]) -> str:
    """A paragraph of the imprint: each run escaped (tex_escape), a run with an address a link."""
    out = []
    for text, url in runs:
        escaped = tex_escape(text)
        escaped = (" " if text[:1].isspace() else "") + escaped + (" " if text[-1:].isspace() else "")
        if url and text == url:  # an address printed as such: it breaks at its slashes
            out.append(rf"\sphinxurl{{{tex_url(url)}}}")
        else:
            out.append(rf"\sphinxhref{{{tex_url(url)}}}{{{escaped}}}" if url else escaped)
    return "".join(out)


def _paragraphs(paragraphs: list[list[Run]]) -> str:
    return r"\par ".join(tex_runs(runs) for runs in paragraphs)


def preamble(outline: Outline) -> str:
    """The preamble lines that give bookdesign.sty the book's strings and the PDF its metadata."""
    title = outline.title
    lines = title_lines(title)
    size = r"\Huge" if len(title) <= LONG_TITLE else r"\LARGE"
    sub = title_lines(outline.subtitle, width=SUBTITLE_LINE) if outline.subtitle else []
    said = words(outline.language)
    printed = imprint(outline)  # the date in the book's language: the outline's, else SOURCE_DATE_EPOCH
    values = {
        "booktitle": tex_escape(title),
        "booktitlelines": r"\\".join(tex_escape(line) for line in lines),
        "booksubtitlelines": r"\\".join(tex_escape(line) for line in sub),
        "bookauthor": tex_escape(outline.author),
        "bookpublisher": tex_escape(outline.publisher),
        "bookrights": _paragraphs(printed.rights),
        "booksourceshead": tex_escape(printed.sources_head),
        "booksources": _paragraphs(printed.sources),
        "bookedition": tex_escape(printed.edition),
        "bookdate": tex_escape(printed.date),
        # the book's words on the copyright and contents pages
        "bookpublishedby": tex_escape(printed.publisher),
        "bookprinting": tex_escape(said["printing"]),
        "bookcontentsname": tex_escape(said["contents"]),
    }
    day = outline.release_day or dt.date(1980, 1, 1)
    meta = Metadata(
        title=outline.full_title,
        author=outline.author,
        subject=outline.subtitle or outline.title,
        keywords=tuple(outline.index_terms),
        language=outline.language,
        publisher=outline.publisher,
        rights=rights_line(outline),
        licence_url=printed.licence_url,
        # Fixed dates and identifiers: the same sources give the same PDF, byte for byte.
        date=f"{day:%Y-%m-%d}T00:00:00Z",
        document_id=f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'book:{outline.filename}')}",
        instance_id=f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'book:{outline.filename}:{outline.edition}')}",
    )
    out = [r"\usepackage{bookdesign}"]
    out += [rf"\renewcommand\{name}{{{value}}}" for name, value in values.items()]
    out.append(rf"\renewcommand\booktitlesize{{{size}}}")
    pdf_date = _pdf_date(outline)
    out.append(
        rf"\hypersetup{{pdflang={{{tex_escape(outline.language)}}}, "
        rf"pdfcreationdate={{{pdf_date}}}, pdfmoddate={{{pdf_date}}}}}"
    )
    out.append(pdf_specials(meta))
    return "\n".join(out) + "\n"


def scripts_of(root: Path) -> frozenset[str]:
    """The scripts beyond Latin ("cjk", "cyrillic") in the text a book sets: its chapters, its
    bibliographies and its TOML files (outline, corrections)."""
    found: set[str] = set()
    chapters = root / "chapters"
    files = [*sorted(chapters.rglob("*")), *sorted(root.glob("*.bib")), *sorted(root.glob("*.toml"))]
    for path in files:
        if path.suffix not in _TEXT_FILES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "cjk" not in found and _CJK.search(text):
            found.add("cjk")
        if "cyrillic" not in found and _CYRILLIC.search(text):
            found.add("cyrillic")
    return frozenset(found)


def fonts(outline: Outline) -> str:
    """The font set-up: Noto, plus xeCJK and Russian hyphenation where the book's text needs them."""
    scripts = scripts_of(outline.path.parent)
    out = LATIN_FONTS
    if "cjk" in scripts:
        out += CJK_FONTS
    if "cyrillic" in scripts and not outline.language.startswith("ru"):
        out += CYRILLIC_HYPHENATION
    return out


@dataclass(frozen=True)
class PageDesign:
    """A trim size's type size and margins, chosen so that body lines hold 60-75 characters of
    Noto Serif (measured on the PDF's text: tests/test_press_print.py)."""

    pointsize: str
    hmargin: str  # inner and outer
    vmargin: str  # top and bottom


# [print] trim (TRIMS in book/sources/rights.py gives each one's width and height)
PAGE_DESIGNS = {
    "a5": PageDesign("10pt", "1.7cm,1.7cm", "1.9cm,2.1cm"),
    "6x9in": PageDesign("10pt", "1.9cm,1.9cm", "2.0cm,2.3cm"),
    "royal": PageDesign("11pt", "1.8cm,1.8cm", "2.1cm,2.4cm"),
    "letter": PageDesign("12pt", "1.5in,1.5in", "1in,1.1in"),
}


def page_geometry(trim: str) -> str:
    """The paper size for the geometry package (the class's own sizes miss 6 × 9 in and royal)."""
    width, height = TRIMS[trim]
    return rf"\usepackage[paperwidth={width}mm,paperheight={height}mm]{{geometry}}"


def latex_settings(outline: Outline) -> dict[str, Any]:
    """Sphinx's LaTeX settings for the printed book."""
    design = PAGE_DESIGNS[outline.trim]
    return {
        "latex_engine": "xelatex",
        "latex_documents": [
            # Sphinx inserts the title and author as LaTeX markup: escape them.
            (
                "index",
                f"{outline.filename}.tex",
                tex_escape(outline.full_title),
                tex_escape(outline.author),
                "manual",
                True,
            )
        ],
        "latex_toplevel_sectioning": "part" if outline.has_parts else "chapter",
        "latex_use_xindy": False,
        "latex_show_urls": "no",
        "latex_table_style": ["booktabs"],  # rules above and below, no shaded rows
        "latex_domain_indices": False,
        "latex_additional_files": [str(DESIGN)],
        "book_outline": str(outline.path),
        "latex_elements": {
            "papersize": "",  # the trim size: geometry below
            "geometry": page_geometry(outline.trim),
            "pointsize": design.pointsize,
            # Two-sided; chapters open on the next page, recto or verso (README: "Page design").
            "extraclassoptions": "twoside,openany",
            "fontpkg": fonts(outline),
            "releasename": "Edition",
            # Black text and links: this PDF is for print.
            "sphinxsetup": (
                f"hmargin={{{design.hmargin}}}, vmargin={{{design.vmargin}}}, HeaderFamily=\\normalfont\\bfseries, "
                "TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0}, "
                "VerbatimColor={rgb}{1,1,1}, VerbatimBorderColor={rgb}{0,0,0}"
            ),
            "fncychap": "",
            "preamble": preamble(outline),
            "maketitle": r"\bookfrontmatter",
            "tableofcontents": r"\booktableofcontents",
        },
    }
