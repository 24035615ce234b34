"""Parse the text of the ``{cite}`` and ``{note}`` roles (pure functions, no Sphinx).

The grammar is Pandoc's bracketed citation syntax:

* ``{cite}`` content is one citation *without* the brackets: items separated by ``;``,
  each ``[prefix ]@key[, locator][ suffix]``, e.g. ``see @march1996eastern, p. 5; also @mancall1971``.
* ``{note}`` content is free text in which every bracket group holding an ``@key``
  (``[see @key, p. 3; @other]``) is a citation; everything else is kept verbatim.

A locator starts with a label (``p.``, ``pp.``, ``chap.``, ...) or a number; its label is mapped
to a CSL locator type (``page``, ``chapter``, ...); a number without label is a ``page``.
Text after a comma that is neither becomes the item's suffix (``@key, my emphasis``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "LOCATOR_LABELS",
    "CitationSyntaxError",
    "CiteItem",
    "cite_role",
    "escape_note_text",
    "format_item",
    "note_role",
    "parse_citation",
    "parse_note",
]

#: Locator labels (lower case, as written in a citation) and the CSL locator type each maps to.
LOCATOR_LABELS: dict[str, str] = {
    "p.": "page",
    "pp.": "page",
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "chap.": "chapter",
    "chaps.": "chapter",
    "ch.": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "sec.": "section",
    "secs.": "section",
    "§": "section",
    "§§": "section",
    "section": "section",
    "vol.": "volume",
    "vols.": "volume",
    "volume": "volume",
    "bk.": "book",
    "bks.": "book",
    "book": "book",
    "pt.": "part",
    "pts.": "part",
    "part": "part",
    "fig.": "figure",
    "figs.": "figure",
    "figure": "figure",
    "n.": "note",
    "nn.": "note",
    "note": "note",
    "notes": "note",
    "col.": "column",
    "cols.": "column",
    "column": "column",
    "para.": "paragraph",
    "paras.": "paragraph",
    "¶": "paragraph",
    "¶¶": "paragraph",
    "l.": "line",
    "ll.": "line",
    "line": "line",
    "lines": "line",
    "v.": "verse",
    "vv.": "verse",
    "verse": "verse",
    "no.": "issue",
    "nos.": "issue",
    "fol.": "folio",
    "fols.": "folio",
    "folio": "folio",
    "op.": "opus",
    "opp.": "opus",
    "s.v.": "sub-verbo",
    "s.vv.": "sub-verbo",
    "sv": "sub-verbo",
    "art.": "article",
    "arts.": "article",
    "tbl.": "table",
    "table": "table",
    "app.": "appendix",
    "appendix": "appendix",
}

# Pandoc's citation keys: a letter, digit or _ first and last, and between them also the
# punctuation :.#$%&-+?<>~/ (DBLP's "DBLP:journals/corr/Name20", biblatex's "baez/online")
KEY_CHARS = r"A-Za-z0-9_\-:.#$%&+?<>~/"
_KEY = re.compile(rf"@([A-Za-z0-9_](?:[{KEY_CHARS}]*[A-Za-z0-9_])?)")
# a locator value: one or more numbers (arabic or roman, with letters such as 45n3), ranges and lists
_NUMBER = r"(?:(?:[0-9]+:)?[0-9][0-9A-Za-z]*|[ivxlcdmIVXLCDM]+\b)"  # "45", "1:73" (volume:page), "xiv"
_VALUE = re.compile(
    rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?(?:\s*(?:,|&|\band\b)\s*{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?)*"
)
_LABEL = re.compile(r"(§§|§|¶¶|¶|[A-Za-z]+(?:\.[A-Za-z]+)*\.?)\s*")
# an '@' that starts a citation key: at the start or after a space, bracket, ';' or '-'
_CITE_AT = re.compile(r"(?:(?<=^)|(?<=[\s\[;\-]))@")


class CitationSyntaxError(ValueError):
    """A malformed citation; ``column`` is the 0-based offset in the role text."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class CiteItem:
    """One cited work: key, optional prefix/suffix text and locator (CSL label + value)."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str | None = None  # a CSL locator type such as "page" or "chapter"
    locator: str | None = None  # the value, e.g. "79–80" or "23–50, 75–76"
    suppress_author: bool = False  # ``-@key``: the author is named in the text already


_UNKNOWN_LABEL = re.compile(r"([A-Za-z]+\.)\s*[0-9ivxlcdmIVXLCDM]")


def _parse_locator(text: str, offset: int = 0) -> tuple[str | None, str | None, str]:
    """Split the text after ``@key,`` into (label, locator, suffix).

    An abbreviation followed by a number that is no known label (``chp. 3``) is an error:
    it would otherwise print as text that reads like a page.
    """
    stripped = text.lstrip()
    match = _LABEL.match(stripped)
    unknown = _UNKNOWN_LABEL.match(stripped)
    if unknown and unknown.group(1).lower() not in LOCATOR_LABELS:
        known = ", ".join(sorted({k for k in LOCATOR_LABELS if k.endswith(".")}))
        raise CitationSyntaxError(
            f"unknown locator label {unknown.group(1)!r}; use one of {known} (or a bare number for a page)",
            offset + len(text) - len(stripped),
        )
    if match and match.group(1).lower() in LOCATOR_LABELS:
        rest = stripped[match.end() :]
        value = _VALUE.match(rest)
        if value:
            return LOCATOR_LABELS[match.group(1).lower()], value.group(0), rest[value.end() :]
        # a label followed by something that is not a number: take the next word as value
        word = re.match(r"\S+(?:\s*[-–—]\s*\S+)?", rest)
        if word:
            return LOCATOR_LABELS[match.group(1).lower()], word.group(0).rstrip(",;"), rest[word.end() :]
    value = _VALUE.match(stripped)
    if value and (stripped[value.end() :] == "" or not stripped[value.end()].isalpha()):
        return "page", value.group(0), stripped[value.end() :]
    return None, None, "," + text  # no locator: the whole text (with its comma) is the suffix


def _parse_item(text: str, offset: int) -> CiteItem:
    """Parse one ``[prefix ]@key[, locator][ suffix]`` item; ``offset`` is for error columns."""
    if not text.strip():
        raise CitationSyntaxError("empty citation item (a ';' with nothing after it?)", offset)
    at = [m.start() for m in _CITE_AT.finditer(text)]
    if not at:
        raise CitationSyntaxError(f"no '@key' in citation item {text.strip()!r}", offset)
    if len(at) > 1:
        raise CitationSyntaxError(
            f"two '@' keys in one citation item {text.strip()!r} (separate items with ';')",
            offset + at[1],
        )
    start = at[0]
    match = _KEY.match(text, start)
    if not match:
        raise CitationSyntaxError(
            f"'@' without a citation key in {text.strip()!r} (keys use letters, digits, _ and :.#$%&-+?<>~/)",
            offset + start,
        )
    prefix = text[:start]
    suppress = prefix.endswith("-") and (len(prefix) == 1 or prefix[-2].isspace())
    prefix = (prefix[:-1] if suppress else prefix).strip()
    key = match.group(1)
    rest = text[match.end() :]
    label = locator = None
    if rest.startswith(","):
        label, locator, suffix = _parse_locator(rest[1:], offset + match.end() + 1)
    else:
        suffix = rest
    suffix = suffix.rstrip()
    if suffix and not suffix.startswith((",", " ")):
        raise CitationSyntaxError(
            f"unexpected text {suffix!r} after citation key '@{key}'", offset + match.end()
        )
    return CiteItem(
        key=key,
        prefix=prefix + " " if prefix else "",
        suffix=suffix,
        label=label,
        locator=locator,
        suppress_author=suppress,
    )


def parse_citation(text: str, offset: int = 0) -> list[CiteItem]:
    """Parse one citation (the content of ``{cite}``, or of one ``[...]`` group) into items.

    Raises :class:`CitationSyntaxError` for brackets, empty items, or ``@`` without a key.
    """
    for i, char in enumerate(text):
        if char in "[]":
            raise CitationSyntaxError(
                f"unexpected {char!r} in a citation (write {{cite}}`@key, p. 3` without brackets)",
                offset + i,
            )
    if not text.strip():
        raise CitationSyntaxError("empty citation", offset)
    items: list[CiteItem] = []
    position = 0
    for part in text.split(";"):
        items.append(_parse_item(part, offset + position))
        position += len(part) + 1
    return items


def _is_citation_group(content: str) -> bool:
    return bool(_CITE_AT.search(content))


_ESCAPED = re.compile(r"\\([\[\]@\\])")


def _unescape(text: str) -> str:
    """Pandoc's backslash escapes in note text: ``\\[``, ``\\]``, ``\\@`` and ``\\\\`` are literal."""
    return _ESCAPED.sub(r"\1", text)


def _bracket_groups(text: str) -> Iterator[tuple[int, int]]:
    """(index of '[', index of its ']') for each outermost bracket group, skipping backslash
    escapes; raises :class:`CitationSyntaxError` for unbalanced brackets."""
    depth = 0
    open_at = -1
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and text[i + 1 : i + 2] in ("[", "]", "@", "\\"):
            escaped = True
        elif char == "[":
            if depth == 0:
                open_at = i
            depth += 1
        elif char == "]":
            if depth == 0:
                raise CitationSyntaxError("unbalanced brackets: ']' without '['", i)
            depth -= 1
            if depth == 0:
                yield open_at, i
    if depth:
        raise CitationSyntaxError("unbalanced brackets: '[' without ']'", open_at)


def parse_note(text: str) -> list[str | list[CiteItem]]:
    """Split note text into verbatim strings and citations (lists of items), in order.

    Bracket groups with no ``@key`` in them (``[sic]``, ``[...]``) stay text; ``\\[``, ``\\]``,
    ``\\@`` and ``\\\\`` are literal characters. Raises :class:`CitationSyntaxError` for
    unbalanced brackets or a malformed citation group.
    """
    segments: list[str | list[CiteItem]] = []
    last = 0  # start of the text not yet emitted
    for open_at, close_at in _bracket_groups(text):
        content = text[open_at + 1 : close_at]
        if not _is_citation_group(content):
            continue
        if "[" in content:
            raise CitationSyntaxError("nested brackets in a citation", open_at)
        if open_at > last:
            segments.append(_unescape(text[last:open_at]))
        segments.append(parse_citation(content, open_at + 1))
        last = close_at + 1
    if last < len(text):
        segments.append(_unescape(text[last:]))
    return segments


# -- writing: the markup parse_citation and parse_note read back -------------------------------


def format_item(key: str, prefix: str = "", locator: str = "", suffix: str = "") -> str:
    """One citation item as written: ``see @key, p. 5`` or, with a suffix (a remark that
    follows the citation, such as the source's "online"), ``@key, p. 5, online``. A backtick
    would end the role and a ';' start another item, so they become ``ʼ`` and ``,``."""
    text = (prefix + " " if prefix else "") + "@" + key
    for part in (locator, suffix):
        if part:
            text += ", " + part.replace("`", "ʼ").replace(";", ",")
    return text


def cite_role(items: list[str]) -> str:
    """A note holding citations only: ``{cite}`@a, p. 3; see @b```."""
    return "{cite}`" + "; ".join(items) + "`"


def escape_note_text(text: str) -> str:
    """Commentary text for ``{note}``: backslash-escape ``\\ [ ] @``; a backtick becomes ``ʼ``."""
    text = text.replace("`", "ʼ").replace("\n", " ")
    return re.sub(r"([\\\[\]@])", r"\\\1", text)


def note_role(segments: list[str | list[str]]) -> str:
    """A note with commentary: text segments (escaped here) and citations (lists of items from
    :func:`format_item`, each item its own bracket group)."""
    body = "".join(
        escape_note_text(segment) if isinstance(segment, str) else "".join(f"[{item}]" for item in segment)
        for segment in segments
    )
    return "{note}`" + body.strip() + "`"
