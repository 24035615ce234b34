"""Where a key stands in a TOML file (tomllib gives values, not lines): for error messages."""

from __future__ import annotations

import re
import tomllib

__all__ = ["key_line", "key_lines", "line_of", "subtable_line"]


def key_line(text: str, table: str | None, key: str) -> int | None:
    """The line where ``key`` of ``[table]`` (or the table ``key`` itself) is defined."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = _unquote(header.group(1) or "")
            if table is None and current == key:
                return number
            continue
        match = _KEY.match(line)
        if match and current == table and _unquote(match.group(1)) == key:
            return number
        if match and table is None and current is None and _unquote(match.group(1)) == key:
            return number
    return None


def key_lines(text: str) -> dict[tuple[str | None, str], int]:
    """Where each table and key is defined, read in one pass (a lookup per key would make a
    long outline quadratic): ``(None, table)`` → the line of ``[table]`` (or of a top-level
    ``key =``), ``(table, key)`` → the line of ``key =`` in ``[table]``; the first wins."""
    found: dict[tuple[str | None, str], int] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = _unquote(header.group(1) or "")
            found.setdefault((None, current), number)
            continue
        match = _KEY.match(line)
        if match:
            found.setdefault((current, _unquote(match.group(1))), number)
    return found


def subtable_line(text: str, table: str, name: str, key: str | None = None) -> int | None:
    """The line of ``[table."name"]`` (or of ``key`` inside it)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            sub = _SUBTABLE.match(line)
            inside = sub is not None and sub.group(1) == table and _unquote(sub.group(2)) == name
            if inside and key is None:
                return number
            continue
        match = _KEY.match(line)
        if inside and match and _unquote(match.group(1)) == key:
            return number
    return None


_SUBTABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\.\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*\]")
_HEADER = re.compile(r"^\s*\[\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\]\s]+)\s*\]|^\s*\[\s*[A-Za-z0-9_-]+\s*\.")
_KEY = re.compile(r"^\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_.-]+)\s*=")


def _unquote(key: str) -> str:
    if key.startswith('"'):
        try:
            return tomllib.loads(f"k = {key}")["k"]
        except tomllib.TOMLDecodeError:
            return key
    return key.strip("'")


def line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle``."""
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), None)
