"""CSL-JSON (``.json``) and CSL-YAML (``.yaml``, ``.yml``) bibliography files, as Zotero and
Better BibTeX export them: a list of items, or a mapping whose ``references`` is that list
(Pandoc's YAML form, front matter markers allowed). Each item needs an ``id``; its line is
found for messages. Given names are normalized as for .bib entries (:mod:`.names`)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .names import normalize_item_names

if TYPE_CHECKING:
    from .bibtex import BibDatabase

__all__ = ["parse_csl"]

_PRIVATE = re.compile("[\ue000-\ue0ff]")
_JSON_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')
_YAML_ID = re.compile(r"^[ \t-]*id\s*:\s*(.+?)\s*$", re.MULTILINE)


def _id_lines(text: str, yaml: bool) -> dict[str, int]:
    """The line of each item's ``id`` (the first one, for messages)."""
    lines: dict[str, int] = {}
    pattern = _YAML_ID if yaml else _JSON_ID
    newlines = [m.start() for m in re.finditer("\n", text)]
    position = 0
    for match in pattern.finditer(text):
        while position < len(newlines) and newlines[position] < match.start():
            position += 1
        raw = match.group(1)
        value = raw.strip("'\"") if yaml else (json.loads(raw) if raw.startswith('"') else raw)
        lines.setdefault(str(value), position + 1)
    return lines


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _PRIVATE.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    return value


def _load(text: str, path: str, yaml: bool, database: BibDatabase) -> list[Any] | None:
    if yaml:
        import yaml as pyyaml  # type: ignore[import-untyped]

        try:
            documents = [d for d in pyyaml.safe_load_all(text) if d is not None]
        except pyyaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            database.add_problem(path, mark.line + 1 if mark else 0, f"not CSL-YAML: {problem}")
            return None
        data: Any = documents[0] if len(documents) == 1 else documents
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            database.add_problem(path, exc.lineno, f"not CSL-JSON: {exc.msg} (column {exc.colno})")
            return None
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data = data["references"]
    if not isinstance(data, list):
        kind = "CSL-YAML" if yaml else "CSL-JSON"
        database.add_problem(path, 1, f"not {kind}: expected a list of items (or 'references:' holding one)")
        return None
    return data


def parse_csl(text: str, path: str, database: BibDatabase) -> BibDatabase:
    """Add the items of one CSL-JSON or CSL-YAML file's text to ``database``."""
    from .bibtex import check_control

    if not check_control(text, path, database):
        return database
    yaml = path.lower().endswith((".yaml", ".yml"))
    data = _load(text, path, yaml, database)
    if data is None:
        return database
    lines = _id_lines(text, yaml)
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int) or item.get("id") == "":
            database.add_problem(path, 1, f"item {number} has no 'id' (the key a chapter cites it by)")
            continue
        key = str(item["id"])
        line = lines.get(key, 1)
        if not database.claim(key, path, line):
            continue
        item = normalize_item_names(_clean(dict(item)))
        item["id"] = key
        item.setdefault("type", "document")
        database.items[key] = item
    return database
