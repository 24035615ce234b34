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
