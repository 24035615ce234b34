"""The printed index read back word by word: its entries, sub-entries, locators and cross-references.

Words (``pdftotext -bbox``) are put into the index's two columns by their position, lines by
their height on the page, and the lines into entries by their indent: an entry at the column's
edge, a sub-entry indented, a wrapped line indented further.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .pdf_read import MARGIN_ZONE, NS, Page, normalized

_PAGES = r"[0-9ivxlc]+(?:\s*[–-]\s*[0-9ivxlc]+)?"
_ENTRY = re.compile(
    rf"^(?P<name>.*?)(?:,\s*(?P<pages>{_PAGES}(?:,\s*{_PAGES})*))?"
    r"(?:,?\s*see also (?P<also>.+)|,?\s*see (?P<see>.+))?$"
)


@dataclass
class Entry:
    heading: str
    sub: str  # "" for the heading's own line
    locators: list[str] = field(default_factory=list)  # every page, ranges written out
    see: str = ""
    see_also: str = ""


def _pages(text: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r",\s*", text):
        ends = [p for p in re.split(r"\s*[–-]\s*", part) if p]
        if len(ends) == 2 and ends[0].isdigit() and ends[1].isdigit():
            out += [str(n) for n in range(int(ends[0]), int(ends[1]) + 1)]
        else:
            out += ends
    return out


def _lines(pdf: Path, title: str) -> list[tuple[float, str]]:
    """(indent, text) of the index's lines in reading order, from the page that opens it."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = list(ET.fromstring(xml).iter(f"{NS}page"))
    words_of = []
    for page in pages:
        height = float(page.get("height"))
        words = [
            (float(w.get("xMin")), float(w.get("yMin")), w.text or "")
            for w in page.iter(f"{NS}word")
            if MARGIN_ZONE <= float(w.get("yMin")) <= height - MARGIN_ZONE
        ]
        words_of.append((float(page.get("width")), sorted(words, key=lambda w: (round(w[1]), w[0]))))
    start = max(i for i, (_, words) in enumerate(words_of) if words and words[0][2] == title)
    out: list[tuple[float, str]] = []
    for n, (width, words) in enumerate(words_of[start:]):
        for column in (0, 1):
            mine = [w for w in words if (w[0] >= width / 2) == bool(column)]
            if n == 0:
                mine = [w for w in mine if w[2] != title]
            rows: dict[int, list[tuple[float, str]]] = {}
            for x, y, text in mine:
                rows.setdefault(round(y), []).append((x, text))
            if not rows:
                continue
            left = min(x for x, _, _ in mine)
            for y in sorted(rows):
                row = sorted(rows[y])
                out.append((row[0][0] - left, " ".join(t for _, t in row)))
    return out


def read_index(pdf: Path, title: str = "Index") -> list[Entry]:
    """The index's entries (a heading's own line, then each sub-entry), in the order printed."""
    items: list[list[object]] = []  # [level, text]
    for indent, text in _lines(pdf, title):
        if len(text) == 1 and text.isalpha():
            continue  # a letter group's heading
        if indent > 30 and items:  # a wrapped line
            previous = str(items[-1][1])
            joined = (
                previous[:-1] + text
                if previous.endswith("-") and text[:1].islower()
                else f"{previous} {text}"
            )
            joined = joined.replace("- ", "-") if previous.endswith("-") else joined
            items[-1][1] = joined
        else:
            items.append([1 if indent > 10 else 0, text])
    entries: list[Entry] = []
    heading = ""
    for level, text in items:
        match = _ENTRY.match(str(text))
        assert match, text
        name = match.group("name").strip()
        if level == 0:
            heading = name
        entries.append(
            Entry(
                heading,
                name if level else "",
                _pages(match.group("pages") or ""),
                (match.group("see") or "").strip(),
                (match.group("also") or "").strip(),
            )
        )
    return entries


def locators(entries: list[Entry]) -> dict[str, set[str]]:
    """Every page an index heading lists, on its own line or under a sub-entry."""
    out: dict[str, set[str]] = {}
    for entry in entries:
        out.setdefault(entry.heading, set()).update(entry.locators)
    return out


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def joined(text: str) -> str:
    """Lines as one text: a word hyphenated at a line's end joined ("Xi-/ang" is "Xiang"), a
    hyphen before a capital kept ("Russo-/Chinese")."""
    text = re.sub(r"-\n(?=[a-z])", "", text)
    return " ".join(re.sub(r"-\n", "-", text).split())


def unindexed_pages(
    pages: list[Page], entries: list[Entry], matcher: object, last: str | None = None
) -> list[tuple[str, str]]:
    """(heading, page) of every page of the text where ``matcher`` finds a name (a term, a
    surname, another form) and the index (``entries``, :func:`read_index`) does not list the
    page under the name's heading.

    The text is the body's lines at the text's own size (notes, headings and running heads
    left out), on the arabic pages before the page labelled ``last`` (the bibliography).
    """
    listed = locators(entries)
    body = [p for p in pages if p.label.isdigit() and (last is None or int(p.label) < int(last))]
    sizes = Counter(round(ln.height, 1) for p in body for ln in p.body)
    size = sizes.most_common(1)[0][0]
    missing = []
    for page in body:
        text = joined("\n".join(ln.text for ln in page.body if round(ln.height, 1) >= size - 0.6))
        for heading in sorted({hit.heading for hit in matcher.hits(text)}):  # type: ignore[attr-defined]
            if page.label not in listed.get(heading, set()):
                missing.append((heading, page.label))
    return missing


def unnamed_locators(pages: list[Page], entries: list[Entry], forms: dict[str, str]) -> list[tuple[str, str]]:
    """(heading, page) of every locator (of ``entries``) whose page names none of the heading's forms."""
    text = {p.label: _squeezed(normalized(p.text)) for p in pages}
    of = {}
    for form, heading in forms.items():
        of.setdefault(heading, []).append(_squeezed(form))
    wrong = []
    for entry in entries:
        for page in entry.locators:
            names = of.get(entry.heading, [_squeezed(entry.heading)])
            if not any(name in text[page] or name.casefold() in text[page].casefold() for name in names):
                wrong.append((entry.heading, page))
    return wrong
