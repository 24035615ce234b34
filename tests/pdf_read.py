"""Read a PDF back as a reader sees it: page texts, lines with their positions, the index."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

NS = "{http://www.w3.org/1999/xhtml}"
# Header and footer zones (pt from the page's top and bottom edges) hold heads and folios.
MARGIN_ZONE = 40.0


@dataclass
class Line:
    text: str
    x: float
    y: float
    height: float


@dataclass
class Page:
    number: int  # 1-based physical page
    label: str
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    @property
    def head(self) -> list[Line]:
        return [ln for ln in self.lines if ln.y < MARGIN_ZONE]

    @property
    def foot(self) -> list[Line]:
        return [ln for ln in self.lines if ln.y > self.height - MARGIN_ZONE]

    @property
    def body(self) -> list[Line]:
        return [ln for ln in self.lines if MARGIN_ZONE <= ln.y <= self.height - MARGIN_ZONE]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def blank(self) -> bool:
        return not self.body


def read_pages(pdf: Path) -> list[Page]:
    """Every page with its lines (pdftotext -bbox-layout) and its page label."""
    labels = PdfReader(pdf).page_labels
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(xml)
    pages = []
    for number, node in enumerate(root.iter(f"{NS}page"), 1):
        page = Page(number, labels[number - 1], float(node.get("width")), float(node.get("height")))
        for line in node.iter(f"{NS}line"):
            words = [w.text or "" for w in line.iter(f"{NS}word")]
            y_min, y_max = float(line.get("yMin")), float(line.get("yMax"))
            page.lines.append(Line(" ".join(words), float(line.get("xMin")), y_min, y_max - y_min))
        pages.append(page)
    return pages


def normalized(text: str) -> str:
    """Text with line-end hyphens joined and spaces collapsed (both ways a hyphen may go)."""
    joined = re.sub(r"-\n", "", text) + "\n" + re.sub(r"-\n", "-", text)
    return " ".join(joined.split())


@dataclass
class IndexEntry:
    heading: str  # the main entry ("Stalin, Joseph")
    sub: str  # the sub-entry, or ""
    locators: list[str]  # page labels; a range "12–14" gives both ends


_LOCATORS = re.compile(
    r",\s*((?:[0-9ivxlc]+(?:\s*[–-]+\s*[0-9ivxlc]+)?)(?:,\s*[0-9ivxlc]+(?:\s*[–-]+\s*[0-9ivxlc]+)?)*)\s*$"
)


def index_entries(pages: list[Page], title: str = "Index") -> list[IndexEntry]:
    """The index's entries, read from its pages: indents tell items, sub-items and wrapped lines."""
    start = next(p for p in reversed(pages) if any(ln.text == title for ln in p.body[:1]))
    items: list[tuple[int, str]] = []  # (level, text): 0 item, 1 sub-item
    for page in pages[start.number - 1 :]:
        body = page.body[1:] if page is start else page.body
        for column in (0, 1):
            lines = [ln for ln in body if (ln.x >= page.width / 2) == bool(column)]
            if not lines:
                continue
            left = min(ln.x for ln in lines)
            for ln in sorted(lines, key=lambda ln: ln.y):
                indent = ln.x - left
                if len(ln.text) == 1 and ln.text.isalpha():  # a letter group's heading
                    continue
                if indent > 25 or (items and indent > 5 and not items[-1][1].strip()):
                    items[-1] = (items[-1][0], items[-1][1] + " " + ln.text)  # a wrapped line
                else:
                    items.append((1 if indent > 5 else 0, ln.text))
    entries: list[IndexEntry] = []
    heading = ""
    for level, text in items:
        text = text.replace("- ", "-") if re.search(r"\w- \w", text) else text
        match = _LOCATORS.search(text)
        name = text[: match.start()].strip() if match else text.strip()
        locators: list[str] = []
        for part in re.split(r",\s*", match.group(1)) if match else []:
            locators += [p for p in re.split(r"\s*[–-]+\s*", part) if p]
        if level == 0:
            heading = name
            if locators:
                entries.append(IndexEntry(heading, "", locators))
        else:
            entries.append(IndexEntry(heading, name, locators))
    return entries
