"""The languages a book can be written in, and the book's own words in each.

``language`` in ``outline.toml`` (a tag such as "de", "fr-CA" or "zh-Hans") names one of
:data:`LANGUAGES` by its first part; it sets Sphinx's ``language`` (the words Sphinx and the
theme translate themselves: "Index", "Search", "Fig. 3"), the CSL locale of the citations
(terms, quotation marks, dates: "S. 27", „…“, « … »), the TeX hyphenation patterns of the PDF
(:mod:`.hyphenation`), and the book's own words: the contents, the bibliography's headings, the
copyright page, the HTML sidebar and download labels, the EPUB landmarks.

The book's own words are in one message catalogue: a data file per language in ``words/``
(``de.toml``, ``fr.toml``, ...), keyed by meaning (``works_cited``, ``published_by``), with
``{placeholders}`` the build fills in. English (``en.toml``) is the fallback: a key missing in
another language's file is taken from it, so a new key can be added in English first.
Every edition takes its words from :func:`words`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from book.errors import BookError

if TYPE_CHECKING:
    from book.sources.outline import Outline

__all__ = ["LANGUAGES", "Language", "UnknownLanguage", "Words", "book_language", "language", "words"]

WORDS = Path(__file__).resolve().parent / "words"


@dataclass(frozen=True)
class Language:
    """A language a book can be written in."""

    code: str  # the primary language subtag, and the name of its words file: "de"
    name: str  # its English name, for messages: "German"
    sphinx: str  # Sphinx's language (its own translations): "de", "zh_CN"
    patterns: str | None  # the hyphenation patterns' name in TeX's language.dat; None: none needed
    package: str | None  # the Debian package with the patterns and LaTeX's support for the language
    tex_files: tuple[str, ...] = ()  # LaTeX files Sphinx's language set-up loads, from ``package``


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "en", "english", None),
        Language("de", "German", "de", "ngerman", "texlive-lang-german"),
        Language("fr", "French", "fr", "french", "texlive-lang-french", ("french.ldf",)),
        Language("es", "Spanish", "es", "spanish", "texlive-lang-spanish"),
        Language("it", "Italian", "it", "italian", "texlive-lang-italian"),
        Language("ru", "Russian", "ru", "russian", "texlive-lang-cyrillic"),
        # Chinese is set by xeCJK, which breaks lines between characters: no patterns
        Language("zh", "Chinese (simplified)", "zh_CN", None, "texlive-lang-chinese"),
    )
}
_TRADITIONAL = re.compile(r"zh-(?:hant|tw|hk|mo)\b", re.I)


class UnknownLanguage(ValueError):
    """A language tag no :class:`Language` of :data:`LANGUAGES` answers to."""


def supported() -> str:
    return ", ".join(f"{code} ({lang.name})" for code, lang in LANGUAGES.items())


def language(tag: str) -> Language:
    """The :class:`Language` of a tag ("de", "de-CH", "zh-Hans", "zh_CN"); :class:`UnknownLanguage`
    for any other."""
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    if primary not in LANGUAGES or _TRADITIONAL.match(tag.replace("_", "-")):
        raise UnknownLanguage(f"unknown language {tag!r}")
    return LANGUAGES[primary]


def sphinx_language(tag: str) -> str:
    """Sphinx's ``language`` for a tag: "de-CH" → "de_CH" (Sphinx falls back to "de" for its
    own words), "zh" or "zh-Hans" → "zh_CN"."""
    found = language(tag)
    if found.code == "zh":
        return found.sphinx
    region = re.search(r"[-_]([A-Za-z]{2})$", tag.strip())
    return f"{found.sphinx}_{region.group(1).upper()}" if region else found.sphinx


def book_language(outline: Outline) -> Language:
    """The outline's language, or a BookError naming its line and the languages supported."""
    try:
        return language(outline.language)
    except UnknownLanguage as exc:
        raise BookError(
            f"{exc}: the book's words, its citations and the PDF's hyphenation exist for "
            f"these languages only: {supported()}",
            outline.path,
            outline.key_line("book", "language"),
            hint='set language to one of them, for example language = "de"; a region may follow ("de-CH")',
        ) from None


@dataclass(frozen=True)
class Words:
    """The book's own words in one language (English where its file has no such key)."""

    language: Language
    texts: dict[str, str]
    months: tuple[str, ...]

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def __call__(self, key: str, **values: str) -> str:
        """The words of ``key`` with its ``{placeholders}`` filled in."""
        return self.texts[key].format(**values)

    def date(self, day: dt.date) -> str:
        """A date as this language writes it: "23 November 2026", "23. November 2026"."""
        number = self.texts.get("day_one", "1") if day.day == 1 else str(day.day)
        return self("date", day=number, month=self.months[day.month - 1], year=str(day.year))

    def listing(self, items: Sequence[str]) -> str:
        """Items as a list in a sentence: "A, B and C"."""
        if len(items) < 2:
            return "".join(items)
        return self["list_separator"].join(items[:-1]) + self["list_last"] + items[-1]

    def quoted(self, text: str) -> str:
        """A title in this language's quotation marks: “A”, „A“, « A »."""
        return self["quote"].replace("{}", text)


def _read(code: str) -> dict[str, object]:
    with (WORDS / f"{code}.toml").open("rb") as handle:
        return tomllib.load(handle)


@functools.cache
def words(tag: str | None) -> Words:
    """The book's words for a language tag (an outline's or Sphinx's: "de", "zh_CN"); English
    for none, or for a language the book cannot be written in (:func:`book_language` has
    refused such a book's outline already)."""
    try:
        lang = language(tag or "en")
    except UnknownLanguage:
        lang = LANGUAGES["en"]
    english = _read("en")
    own = _read(lang.code) if lang.code != "en" else english
    merged = {**english, **own}
    months = merged.pop("months")
    assert isinstance(months, list) and len(months) == 12, f"{lang.code}.toml: months must list 12 names"
    return Words(lang, {k: str(v) for k, v in merged.items()}, tuple(str(m) for m in months))
