"""Why a BibTeX block could not be read: the actual cause and its line, not a guess.

bibtexparser sets a block aside without saying why. :func:`diagnose` reads the block again,
brace by brace: a field's ``{`` still open where the next ``field =`` begins (or where the
entry ends), a ``"`` never closed, a ``}`` that closes nothing, a field with no ``=``, an entry
with no key or no closing brace.
"""

from __future__ import annotations

import re

__all__ = ["diagnose"]

_FIELD_START = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=")
_WHAT = {"{": "unbalanced braces", '"': "unbalanced quotes"}
_HEAD = re.compile(r"\s*@\s*(\w+)\s*([{(])\s*")


def _open(stack: list[tuple[int, str]], quote: tuple[int, str] | None) -> tuple[int, str, str]:
    """(line, field, mark) of the outermost brace (or the quote) still open."""
    line, field = stack[0] if stack else quote or (0, "")
    return line, field, "{" if stack else '"'


def _field_after_comma(raw: str, at: int, line: int) -> tuple[str | None, tuple[int, str] | None]:
    """The name of the field starting at ``at`` (after a comma), or the problem there."""
    nxt = _FIELD_START.match(raw, at)
    if nxt:
        return nxt.group(1), None
    after = raw[at:].strip()
    if not after or after.startswith(("}", ")")):
        return None, None
    name = re.match(r"\s*([^\s,={}]+)", raw[at:])
    lines = line + raw[at : at + (name.start(1) if name else 0)].count("\n")
    return None, (lines, f"field {name.group(1) if name else after[:20]!r} has no '='")


def _scan(raw: str, body: int) -> tuple[int, str] | None:
    """Walk the entry's fields from offset ``body``: the first unbalanced brace or quote, or a
    field with no ``=``."""
    stack: list[tuple[int, str]] = []  # (line, field) of each open brace inside the entry
    quote: tuple[int, str] | None = None
    line = 0
    field, problem = _field_after_comma(raw, body, 0)
    if problem:
        return problem
    for match in re.finditer(r'\\.|[\n"{},]', raw[body:]):
        char = match.group()
        at = body + match.end()
        if char == "\n":
            line += 1
            nxt = _FIELD_START.match(raw, at)
            if nxt and (stack or quote):
                opened, name, mark = _open(stack, quote)
                return opened, (
                    f"{_WHAT[mark]}: the {mark!r} opened at this line in field {name!r} is still "
                    f"open where field {nxt.group(1)!r} begins, {line - opened} line(s) below"
                )
        elif char == '"' and not stack:
            quote = None if quote else (line, field or "?")
        elif char == "{":
            stack.append((line, field or "?"))
        elif char == "}" and stack:
            stack.pop()
        elif char == "}":
            return None if quote is None else _never_closed(stack, quote)
        elif char == "," and not stack and quote is None:
            field, problem = _field_after_comma(raw, at, line)
            if problem:
                return problem
    if stack or quote:
        return _never_closed(stack, quote)
    return 0, "the entry's closing brace is missing"


def _never_closed(stack: list[tuple[int, str]], quote: tuple[int, str] | None) -> tuple[int, str]:
    opened, name, mark = _open(stack, quote)
    return opened, f"{_WHAT[mark]}: the {mark!r} opened at this line in field {name!r} is never closed"


def diagnose(raw: str, error: str = "") -> tuple[int, str]:
    """(lines after the block's first, the cause) of a block bibtexparser could not read."""
    head = _HEAD.match(raw)
    if head is None:
        return 0, error or "not a BibTeX entry ('@type{key, field = {value}, …}')"
    rest = raw[head.end() :]
    key = re.match(r"([^,\s={}]+)\s*,", rest)
    if key is None:
        return 0, "the entry has no key: write '@type{key, field = …}'"
    found = _scan(raw, head.end() + key.end())
    if found is None:
        return 0, error or "cannot read the entry"
    return found
