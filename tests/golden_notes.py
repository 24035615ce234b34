"""The golden file of the book's notes and Works cited (tests/gold/notes.txt), read back from
an edition.

Each line of the file is ``page<TAB>number<TAB>note text`` for every footnote of the book in
reading order, then, after ``## Works cited``, one bibliography entry per line. It was checked
by hand against the source notes; ``tests/test_golden_notes.py`` compares it with the HTML,
EPUB and PDF editions, so any change to a note shows as a readable diff. After a reviewed
change, write it again from a built book: ``python -m tests.golden_notes dist``.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

GOLDEN = Path(__file__).parent / "gold" / "notes.txt"
WORKS_CITED = "## Works cited"


def clean(text: str) -> str:
    return " ".join(text.split())


def _page_order(html: Path) -> list[Path]:
    """The HTML pages in reading order (the landing page's table of contents)."""
    soup = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    pages: list[Path] = []
    for a in soup.select("nav.bd-docs-nav a.reference.internal, div.toctree-wrapper a.reference.internal"):
        href = a.get("href", "").split("#")[0]
        page = html / href
        if href and page.suffix == ".html" and page not in pages and page.is_file():
            pages.append(page)
    return pages


def html_notes(dist: Path) -> list[tuple[str, int, str]]:
    """(page, number, text) of every footnote, from the HTML margin notes."""
    out = []
    for page in _page_order(dist / "html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for span in soup.select("article span.sidenote"):
            number = int(span.sup.get_text(strip=True)) if span.sup else 0
            if span.sup:
                span.sup.decompose()
            out.append((page.stem, number, clean(span.get_text())))
    return out


def html_works_cited(dist: Path) -> list[str]:
    page = next((dist / "html").rglob("bibliography.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    first = soup.select_one("div.bibliography")
    return [clean(p.get_text()) for p in first.select("p.csl-entry")] if first else []


def epub_notes(epub: Path) -> dict[str, list[str]]:
    """Page -> its footnotes' text, from the EPUB's footnote asides."""
    notes: dict[str, list[str]] = {}
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if not name.endswith(".xhtml"):
                continue
            soup = BeautifulSoup(z.read(name).decode("utf-8"), "html.parser")
            asides = soup.find_all("aside", attrs={"epub:type": "footnote"})
            for aside in asides:
                label = aside.find("span", class_="label")
                if label:
                    label.decompose()
            if asides:
                notes[Path(name).stem] = [clean(a.get_text()) for a in asides]
    return notes


def epub_works_cited(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        name = next(n for n in z.namelist() if n.endswith("bibliography.xhtml"))
        soup = BeautifulSoup(z.read(name).decode("utf-8"), "html.parser")
    first = soup.select_one("div.bibliography")
    return [clean(p.get_text()) for p in first.select("p.csl-entry")] if first else []


def squash(text: str) -> str:
    """Text for finding a note in a PDF's text: no spaces, hyphens or soft breaks."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def read_golden(path: Path = GOLDEN) -> tuple[list[tuple[str, int, str]], list[str]]:
    notes: list[tuple[str, int, str]] = []
    works: list[str] = []
    in_works = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line == WORKS_CITED:
            in_works = True
        elif line and not line.startswith("#"):
            if in_works:
                works.append(line)
            else:
                page, number, text = line.split("\t", 2)
                notes.append((page, int(number), text))
    return notes, works


def write_golden(dist: Path, path: Path = GOLDEN) -> None:
    lines = [
        "# The book's notes (page, number, text) and its Works cited, checked by hand against",
        "# the source notes. Written by `python -m tests.golden_notes DIST`; see tests/golden_notes.py.",
    ]
    lines += [f"{page}\t{number}\t{text}" for page, number, text in html_notes(dist)]
    lines += [WORKS_CITED, *html_works_cited(dist)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_golden(Path(sys.argv[1]))
    print(f"wrote {GOLDEN}")
