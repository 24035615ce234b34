"""Read a DOCX back as Word would: its paragraphs with their styles, its footnotes, its styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(name))


def _text(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the document's body, in order ("" for no style)."""
    out = []
    for para in _part(path, "word/document.xml").iter(f"{W}p"):
        style = para.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val", "") if style is not None else "", _text(para)))
    return out


def footnotes(path: Path) -> list[str]:
    """The text of every footnote (Word's separators left out), in order."""
    notes = _part(path, "word/footnotes.xml").iter(f"{W}footnote")
    return [_text(n) for n in notes if n.get(f"{W}type") not in ("separator", "continuationSeparator")]


def footnote_marks(path: Path) -> int:
    return sum(1 for _ in _part(path, "word/document.xml").iter(f"{W}footnoteReference"))


def indent(path: Path, style_id: str) -> dict[str, str]:
    """The paragraph indent of a style (``left``, ``hanging``, ...), {} if it sets none."""
    for style in _part(path, "word/styles.xml").iter(f"{W}style"):
        if style.get(f"{W}styleId") == style_id:
            found = style.find(f"{W}pPr/{W}ind")
            return {k.removeprefix(W): v for k, v in found.attrib.items()} if found is not None else {}
    return {}
