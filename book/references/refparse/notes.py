"""parse_note: split a note into commentary text and references."""

from __future__ import annotations

import re
import warnings

from .debris import is_debris
from .model import Reference, ordered_fields
from .names import parse_names
from .parser import parse_reference
from .publishers import classify_publisher
from .segments import is_commentary, looks_like_cs1, split_semicolons
from .vocab import YEAR

_NAME_TOK = r"(?:[A-Z]\.(?:\s?[A-Z]\.)*|[A-Z][\w'’\-]+)"


_PERSON = rf"{_NAME_TOK}(?:\s+{_NAME_TOK}){{1,3}}"


_PERSONS = rf"{_PERSON}(?:\s+and\s+{_PERSON})?"


_EMBEDDED = [
    # "G. Patrick March, 'Eastern Destiny: ..., 1996"
    re.compile(
        rf"(?P<auth>{_PERSONS}),\s*(?P<title>['\"‘“]?[A-Z][^()]*?),\s*(?P<year>{YEAR})(?=[.,;]?\s*(?:$|\)|[a-z(]))"
    ),
    # "John Bell, (Travels from ..., Edinburgh,1808 and OCR reprint)"
    re.compile(rf"(?P<auth>{_PERSONS}),\s*\((?P<inner>[^()]*?{YEAR}[^()]*)\)"),
]


def _embedded(m: re.Match[str]) -> Reference | None:
    auth = parse_names(m.group("auth"))
    if not auth:
        return None
    fields: dict[str, str] = {"author": auth}
    if "inner" in m.groupdict() and m.group("inner"):
        im = re.fullmatch(
            rf"(?P<title>.+?),\s*(?:(?P<place>[^,]+?),\s*)?(?P<year>{YEAR})\s*(?P<extra>.*)", m.group("inner")
        )
        if not im:
            return None
        fields["title"] = im.group("title").strip()
        if im.group("place"):
            classify_publisher(im.group("place"), fields)
        fields["year"] = im.group("year")
        extra = re.sub(r"^(?:and|with|;|,)\s+", "", im.group("extra").strip(" ,;"))
        if extra:
            fields["note"] = extra
    else:
        fields["title"] = m.group("title").strip().lstrip("'\"‘“").rstrip("'\"’”").strip()
        fields["year"] = m.group("year")
    return Reference("book", ordered_fields(fields), raw=m.group(0))


def parse_note(text: str) -> list[str | Reference]:
    """Split a note into commentary text and references, in order.

    A note that is only a reference gives ``[Reference]``; several references separated by
    ";" give one each; a note with commentary gives text pieces around the references found in
    it ("... a summary of G. Patrick March, 'Eastern Destiny ..., 1996, who ..."); continuation
    lines after a reference (a quoted passage) become text after it, led by ". ".
    """
    lines = [ln for ln in text.split("\n")]
    first = lines[0].strip()
    passage = " ".join(ln.strip() for ln in lines[1:] if ln.strip() and not is_debris(ln))
    parts: list[str | Reference] = []
    if is_commentary(first) and not looks_like_cs1(first):
        pos = 0
        for rx in _EMBEDDED:
            for m in rx.finditer(first):
                ref = _embedded(m)
                if ref is None or m.start() < pos:
                    continue
                parts.append(first[pos : m.start()])
                parts.append(ref)
                pos = m.end()
            if pos:
                break
        parts.append(first[pos:])
        parts = [p for p in parts if not (isinstance(p, str) and not p)]
        if not any(isinstance(p, Reference) for p in parts):
            parts = [first]
    else:
        pieces = split_semicolons(first)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            refs = [parse_reference(p) for p in pieces] if len(pieces) > 1 else []
        if refs and all(
            r.kind == "short" or (r.kind == "full" and r.entry_type != "misc" and "year" in r.fields)
            for r in refs
        ):
            parts = list(refs)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ref = parse_reference(first)
            if ref.kind == "none":
                parts = [first]
            else:
                for w in caught:
                    warnings.warn(w.message, w.category, stacklevel=2)
                parts = [ref]
    if passage:
        if parts and isinstance(parts[-1], Reference):
            parts.append(". " + passage)
        else:
            parts.append(" " + passage)
    return parts
