"""A work's short title for shortened notes, when its entry gives none (CMOS 18, 14.30).

The short title is the main title (before a colon, or after a closing "?" or "!") without a
trailing date range ("…, 1860–1917") or an initial English article ("An initial A or The is
usually omitted"): "Dragon Roars Back", "Cambridge History of China". One of more than four
words keeps at most its first four, in the title's own order, ending where a phrase ends
(before "and", "of", "in" … or at a comma) and never on such a word: "Russian General Staff",
"Boundaries and Trade", "Travels from St Petersburg". A ``shorttitle`` in the .bib entry
always wins.

Titles may hold CSL's HTML-like markup (``<span class="nocase">…</span>``, ``<i>``): words are
counted on the visible text and the markup cut with them is closed again.
"""

from __future__ import annotations

import re

__all__ = ["MAX_WORDS", "short_title"]

#: CMOS 14.30: "a short title … of no more than four words"
MAX_WORDS = 4

#: the initial articles a short title drops (English: another language's title keeps its own)
ARTICLES = frozenset(["a", "an", "the"])
#: words a short title does not end on, and before which a phrase ends (English, and the
#: commonest articles, prepositions and conjunctions of German, French, Spanish and Italian)
_FUNCTION_TEXT = """
    and or nor but of in on at to from by with without into onto upon over under between among
    against toward towards through during before after since until about as via versus vs per than
    for its their his her our your this that these those
    der die das ein eine und oder von vom zu zum zur im am mit für auf aus bei nach über unter
    le la les l un une et ou de du des au aux en dans sur pour par avec sans chez
    el los las y o del al con sin por para sobre il lo gli e di da dei delle nel nella
"""
FUNCTION_WORDS = ARTICLES | frozenset(_FUNCTION_TEXT.split())

_TAG = re.compile(r"<[^>]*>")
_MAIN_END = re.compile(r":\s|(?<=[?!])\s")
_TRAILING_DATES = re.compile(r",\s*(?:c(?:a)?\.\s*)?\d{3,4}s?(?:\s*[-–—]\s*\d{2,4}s?)?\s*$")
_EDGE_PUNCTUATION = "\"'‘’“”«»()[],;.!?"


def _visible(raw: str) -> tuple[str, list[int]]:
    """The text outside markup tags, and for each of its characters its index in ``raw``."""
    text: list[str] = []
    where: list[int] = []
    last = 0
    for tag in [*_TAG.finditer(raw), None]:
        end = tag.start() if tag else len(raw)
        text.append(raw[last:end])
        where.extend(range(last, end))
        last = tag.end() if tag else end
    return "".join(text), where


def _unclosed(text: str) -> list[str]:
    """The opening tags of ``text`` that it does not close, outermost first."""
    stack: list[str] = []
    for tag in _TAG.findall(text):
        if tag.startswith("</"):
            if stack:
                stack.pop()
        elif not tag.endswith("/>"):
            stack.append(tag)
    return stack


def _slice(raw: str, start: int, end: int) -> str:
    """``raw[start:end]`` with the markup it cuts through opened and closed again."""
    piece = "".join(_unclosed(raw[:start])) + raw[start:end]
    closing = [f"</{tag[1:].split(None, 1)[0].rstrip('>')}>" for tag in reversed(_unclosed(piece))]
    return piece + "".join(closing)


def _bare(word: str) -> str:
    return word.strip(_EDGE_PUNCTUATION).lower()


def _cut(words: list[str]) -> int:
    """How many of ``words`` (more than MAX_WORDS) the short title keeps: the most, at most
    MAX_WORDS, that end a phrase; else the most that do not end on a function word."""
    bare = [_bare(w) for w in words]
    content = [k for k in range(1, MAX_WORDS + 1) if bare[k - 1] not in FUNCTION_WORDS]
    ends = [k for k in content if words[k - 1][-1] in ",;" or bare[k] in FUNCTION_WORDS]
    return max(ends or content or [MAX_WORDS])


def short_title(title: str) -> str:
    """The short title of ``title`` (see the module docstring)."""
    text, where = _visible(title)
    main = _MAIN_END.search(text)
    end = main.start() if main else len(text)
    dates = _TRAILING_DATES.search(text[:end])
    end = dates.start() if dates else end
    spans = [m.span() for m in re.finditer(r"\S+", text[:end])]
    if not spans:
        return title
    words = [text[a:b] for a, b in spans]
    if len(words) > 1 and _bare(words[0]) in ARTICLES:
        spans, words = spans[1:], words[1:]
    if len(words) > MAX_WORDS:
        spans = spans[: _cut(words)]
    start, stop = spans[0][0], spans[-1][1]
    while stop > start and text[stop - 1] in ",;":
        stop -= 1
    return _slice(title, where[start], where[stop - 1] + 1)
