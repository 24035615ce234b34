"""The PDF's hyphenation in the book's language: TeX's patterns for it must be installed.

Sphinx sets up the book's language for LaTeX (polyglossia; babel for French). Without the
language's hyphenation patterns in TeX's formats xelatex only writes a line in its log and sets
the whole book unhyphenated, and babel even drops a language it has no support for (a French
book's contents headed "Contents"). So a PDF build first looks in TeX's list of the patterns
its formats hold (``language.dat``, found by ``kpsewhich``) and stops, naming the Debian package
to install, when the book's language is not there (:func:`check_patterns`, on the LaTeX
builder's start); after xelatex, its log is read for the same complaint (:func:`check_log`).

``make`` installs that package: the Makefile asks ``python3 -m book.editions.hyphenation
outline.toml`` which Debian package the outline's language needs (this module and what it
imports at its top use the standard library only: it runs before the virtual environment exists).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from book.errors import BookError
from book.sources.tomllines import key_line

from .languages import LANGUAGES, Language, UnknownLanguage, language

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["check_log", "check_patterns", "missing_support", "package_for", "pattern_names"]

#: what xelatex's log says when a language has no patterns, or no LaTeX support at all
_NO_PATTERNS = re.compile(
    r"No hyphenation patterns were (?:pre)?loaded for\s*(?:\(\w+\)\s*)?(?:the language\s*)?[`'](\w+)'"
    r"|You haven't specified a language as a class or package\s*(?:\(\w+\)\s*)?option\. I'll load 'nil'"
)


#: LaTeX's names of the languages (polyglossia's and babel's), as xelatex's log names them
LATEX_NAMES = {"english": "en", "german": "de", "ngerman": "de", "french": "fr", "spanish": "es",
               "italian": "it", "russian": "ru"}  # fmt: skip


def _kpsewhich(name: str) -> Path | None:
    """Where TeX finds the file ``name``; None if nowhere (or no TeX)."""
    program = shutil.which("kpsewhich")
    if program is None:
        return None
    found = subprocess.run([program, name], capture_output=True, text=True).stdout.strip()
    return Path(found) if found else None


def pattern_names(language_dat: str) -> set[str]:
    """The names of the patterns a ``language.dat`` loads (synonyms, "=name", too)."""
    names = set()
    for line in language_dat.splitlines():
        word = line.split("%", 1)[0].split()
        if word:
            names.add(word[0].lstrip("=").lower())
    return names


def missing_support(lang: Language, language_dat: str | None, found: set[str] | None = None) -> str | None:
    """What TeX lacks for ``lang`` ("hyphenation patterns", "LaTeX's support"), or None.
    ``language_dat``: the text of TeX's list of patterns; ``found``: the LaTeX files it has of
    those ``lang`` needs (looked up with kpsewhich when None)."""
    if lang.patterns and language_dat is not None and lang.patterns not in pattern_names(language_dat):
        return "hyphenation patterns"
    have = found if found is not None else {name for name in lang.tex_files if _kpsewhich(name)}
    if any(name not in have for name in lang.tex_files):
        return "LaTeX's support"
    return None


def _error(lang: Language, what: str, outline: Path | None) -> BookError:
    package = lang.package or "the TeX hyphenation patterns for the language"
    return BookError(
        f"the PDF needs TeX's {what} for {lang.name}, the book's language, and they are not "
        f"installed: the book would be printed without hyphenation",
        outline,
        _language_line(outline),
        hint=f"install the Debian package {package} (make does: sudo apt-get install {package}), "
        "then build again",
    )


def _language_line(outline: Path | None) -> int | None:
    if outline is None or not outline.is_file():
        return None
    return key_line(outline.read_text(encoding="utf-8", errors="replace"), "book", "language")


def check_patterns(app: Sphinx) -> None:
    """builder-inited: a PDF in a language TeX cannot hyphenate stops before it is written."""
    if app.builder.name != "latex":
        return
    try:
        lang = language(app.config.language or "en")
    except UnknownLanguage:
        return  # not a book's outline (book_settings refuses those): LaTeX's own behaviour
    outline = Path(app.config.book_outline) if getattr(app.config, "book_outline", "") else None
    dat = _kpsewhich("language.dat")
    what = missing_support(lang, dat.read_text(encoding="utf-8", errors="replace") if dat else None)
    if what:
        raise _error(lang, what, outline)


def check_log(log: Path, tag: str, outline: Path | None) -> None:
    """After xelatex: a BookError if its log says a language of the book (its own, ``tag``, or
    Russian for its Cyrillic words) went unhyphenated."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    match = _NO_PATTERNS.search(text)
    if match is None:
        return
    named = LATEX_NAMES.get((match.group(1) or "").lower())
    try:
        lang = LANGUAGES[named] if named else language(tag)
    except UnknownLanguage:
        return
    raise _error(lang, "hyphenation patterns", outline)


def package_for(outline: Path) -> str:
    """The Debian package with the hyphenation patterns of the outline's language ("" if none
    is needed, or the outline names no language this book can be written in)."""
    try:
        with outline.open("rb") as handle:
            tag = tomllib.load(handle).get("book", {}).get("language", "en")
        return language(str(tag)).package or ""
    except (OSError, tomllib.TOMLDecodeError, UnknownLanguage, AttributeError):
        return ""  # the build says what is wrong with the outline


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", check_patterns)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":  # python3 -m book.editions.hyphenation outline.toml (the Makefile)
    print(package_for(Path(sys.argv[1] if len(sys.argv) > 1 else "outline.toml")))
