"""``python -m book refs FILE [--json]``: parse a file of reference strings, one per line.

Gives a BibTeX entry per non-blank line, in input order; with ``--json``, one JSON object per
line: ``{"entry": {"ENTRYTYPE": ..., "ID": ..., field: value, ...}, "locator": "..."}``.
Lines that are not references become a @misc with the raw text in ``note`` and a warning.
"""

from __future__ import annotations

import json
from pathlib import Path

from book.errors import read_text
from book.references.bibkeys import resolve_collisions
from book.references.bibtexout import entries_to_bibtex
from book.references.refparse import parse_reference


def refs_command(path: Path, as_json: bool) -> str:
    """The command's output for the file at ``path``."""
    lines = [ln for ln in read_text(path).splitlines() if ln.strip()]
    refs = [parse_reference(ln) for ln in lines]
    keys = resolve_collisions([r.fields for r in refs])
    out: list[str] = []
    for ref, key in zip(refs, keys, strict=True):
        entry = {"ENTRYTYPE": ref.entry_type, "ID": key, **ref.fields}
        if as_json:
            out.append(json.dumps({"entry": entry, "locator": ref.locator}, ensure_ascii=False) + "\n")
        else:
            out.append(entries_to_bibtex({key: entry}))
            if ref.locator:
                out.append(f"% locator: {ref.locator}\n")
            out.append("\n")
    return "".join(out)
