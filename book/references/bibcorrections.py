"""Hand corrections from bib-corrections.toml, applied on top of the parsed entries."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from book.errors import BookError, check_text, read_text, toml_error
from book.limits import MAX_FIELD_CHARS

from .refparse import (
    FIELD_ORDER,
)
from .works import Work


def apply_corrections(works: list[Work], path: Path | None) -> dict[str, set[str]]:
    """Apply the corrections file; return key -> fields it set or removed."""
    touched: dict[str, set[str]] = {}
    if path is None or not Path(path).exists():
        return touched
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, path, hint="fix the syntax (see the comments at the top)") from None
    by_key = {w.key: w for w in works}
    for key, changes in data.items():
        line = _table_line(text, key)
        if key not in by_key:
            raise BookError(
                f"correction for unknown key {key!r}",
                path,
                line,
                hint="keys are listed in references.bib; rename or delete this table",
            )
        if not isinstance(changes, dict):
            raise BookError(f"{key!r} must be a table of fields", path, line)
        _check_correction(path, text, key, changes)
        w = by_key[key]
        for fld in changes.get("remove", []):
            w.fields.pop(fld, None)
            touched.setdefault(key, set()).add(fld)
        for fld, value in changes.items():
            if fld == "remove":
                continue
            if fld == "ENTRYTYPE":
                w.entry_type = value
            else:
                w.fields[fld] = value
            touched.setdefault(key, set()).add(fld)
    return touched


def known_fields() -> frozenset[str]:
    """The BibTeX fields the citation extension reads, and those the reference parser writes."""
    from book.citations import bibcsl as bibtex

    read = {*bibtex.TEXT_FIELDS, *bibtex.RAW_FIELDS, *bibtex.NAME_FIELDS}
    read |= {"booktitle", "number", "school", "institution", "organization", "langid", "entrysubtype"}
    read |= {"year", "month", "day", "date", "urldate"}
    return frozenset(read | set(FIELD_ORDER))


def _check_correction(path: Path, text: str, key: str, changes: dict) -> None:
    """Every field of a correction known and a text (a typo is an error, not a new field)."""
    from book.citations.bibcsl import TYPE_MAP

    fields = known_fields()
    for fld, value in changes.items():
        line = _field_line(text, key, fld)
        if fld == "remove":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BookError(f'{key}.remove must be a list of field names: ["note", ...]', path, line)
            names = value
        elif fld == "ENTRYTYPE":
            if not isinstance(value, str) or value.lower() not in {*TYPE_MAP, "misc"}:
                raise BookError(
                    f"{key}.ENTRYTYPE: unknown entry type {value!r}",
                    path,
                    line,
                    hint="use one of: " + ", ".join(sorted({*TYPE_MAP, "misc"})),
                )
            continue
        else:
            if not isinstance(value, str):
                raise BookError(f"{key}.{fld} must be a string", path, line)
            check_text(value, path, line, f"{key}.{fld}")
            if len(value) > MAX_FIELD_CHARS:
                raise BookError(f"{key}.{fld} is longer than the limit of {MAX_FIELD_CHARS:,} characters",
                                path, line)  # fmt: skip
            names = [fld]
        for name in names:
            if name not in fields:
                close = difflib.get_close_matches(name, sorted(fields), n=1)
                raise BookError(
                    f"{key}: unknown BibTeX field {name!r}",
                    path,
                    line,
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else "known fields: " + ", ".join(sorted(fields)),
                )


def _field_line(text: str, key: str, field: str) -> int | None:
    """The line of ``field`` in the table ``[key]`` (else the table's line)."""
    start = _table_line(text, key)
    if start is None:
        return None
    lines = text.splitlines()
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if re.match(r"^\s*\[", line):
            break
        if re.match(r'^\s*"?' + re.escape(field) + r'"?\s*=', line):
            return number
    return start


def _table_line(text: str, key: str) -> int | None:
    rx = re.compile(r'^\s*\[\s*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*\]")
    for i, line in enumerate(text.splitlines(), 1):
        if rx.match(line):
            return i
    return None
