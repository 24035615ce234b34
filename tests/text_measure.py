"""Read editions back as text, and measure how much of the source text they hold."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

_JOINERS = re.compile(r"-\s*\n\s*|[-'’ʼ‘]")  # hyphens (also at line ends) and apostrophes
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Words for comparison: lower case, hyphens and apostrophes folded, bare numbers dropped
    (footnote numbers stick to words in a PDF's text), quotes and punctuation ignored."""
    return [w for w in _WORD.findall(_JOINERS.sub("", text.lower())) if not w.isdigit()]


def runs(tokens: list[str], n: int = 8) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0))] or (
        [tuple(tokens)] if tokens else []
    )


def coverage(paragraphs: list[str], edition_text: str, n: int = 8) -> tuple[float, list[tuple[float, str]]]:
    """Share of the paragraphs' n-word runs found in the edition, and each paragraph's share."""
    haystack = " " + " ".join(words(edition_text)) + " "
    found = total = 0
    per: list[tuple[float, str]] = []
    for para in paragraphs:
        rs = runs(words(para), n)
        hit = sum(1 for r in rs if " " + " ".join(r) + " " in haystack)
        found += hit
        total += len(rs)
        per.append((hit / len(rs) if rs else 1.0, para[:60]))
    return (found / total if total else 1.0), per


def html_main_text(html: str) -> str:
    """The reading text of a page: the article body without note marks, notes or navigation."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("article") or soup.find("div", {"role": "main"}) or soup.body or soup
    for node in body.select(
        "a.footnote-reference, span.sidenote, span.marginnote, label.sidenote-label, "
        "aside.footnote, aside.footnote-list, div.footnote, .headerlink, input.margin-toggle, label.margin-toggle"
    ):
        node.decompose()
    return body.get_text(" ")


def html_site_text(site: Path) -> str:
    return "\n".join(html_main_text(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as zf:
        return {
            n: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.endswith((".xhtml", ".opf", ".ncx", ".html"))
        }
