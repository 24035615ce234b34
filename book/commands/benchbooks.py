"""``make bench``'s generated books: the book's chapters again and again, to see how the build
grows with the length of a book (10, 50, 100 chapters)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

_ROLE = re.compile(r"\{(cite|note)\}`([^`]*)`")
_KEY = re.compile(r"@([\w:.-]*\w)")


def generated_book(book: Path, chapters: int) -> Path:
    """Make the copy of the book in ``book`` a book of ``chapters`` chapters: its chapters in
    turn, each copy with citation keys of its own."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((book / "chapters").glob("ch-*.md"))]
    entries: dict[str, str] = {}
    for bibfile in sorted(book.glob("*.bib")):
        entries.update(_bib_entries(bibfile.read_text(encoding="utf-8")))
    shutil.rmtree(book / "chapters")
    (book / "chapters").mkdir()
    bib: list[str] = []
    names = []
    for number in range(1, chapters + 1):
        text = sources[(number - 1) % len(sources)]
        suffix = f"x{number}"
        keys: set[str] = set()

        def rename(match: re.Match[str], suffix: str = suffix, keys: set[str] = keys) -> str:
            def key(found: re.Match[str]) -> str:
                keys.add(found.group(1))
                return f"@{found.group(1)}{suffix}"

            renamed = _KEY.sub(key, match.group(2))
            return f"{{{match.group(1)}}}`{renamed}`"

        text = _ROLE.sub(rename, text)
        text = re.sub(r"^\((.+)\)=$", rf"(g{number}-\1)=", text, flags=re.M)
        name = f"g{number:03d}"
        (book / "chapters" / f"{name}.md").write_text(text, encoding="utf-8")
        names.append(name)
        bib += [entries[k].replace(f"{{{k},", f"{{{k}{suffix},", 1) for k in sorted(keys) if k in entries]
    for old in book.glob("*.bib"):
        old.unlink()
    (book / "references.bib").write_text("\n\n".join(bib) + "\n", encoding="utf-8")
    (book / "chapters" / "works-cited.md").write_text(
        "# Works Cited\n\n:::{bibliography}\n:cited:\n:::\n", encoding="utf-8"
    )
    toc = "\n".join(f"chapters/{n}" for n in [*names, "works-cited"])
    (book / "index.md").write_text(
        f"# Generated Book\n\n:::{{toctree}}\n:maxdepth: 1\n\n{toc}\n:::\n", encoding="utf-8"
    )
    return book


def _bib_entries(text: str) -> dict[str, str]:
    out = {}
    for chunk in re.split(r"\n(?=@)", text):
        match = re.match(r"@\w+\{([^,\s]+),", chunk.strip())
        if match:
            out[match.group(1)] = chunk.strip()
    return out
