"""The book's notes and Works cited against the reference CSL processor: plain ``pandoc
--citeproc`` on the same CSL-JSON, the same style and the chapters' citations as an author
using Pandoc would write them (one run per chapter, as the notes restart in each).

The build renders with Pandoc's citeproc too; what it changes afterwards is listed here, each
with its reason, and nothing else may differ from tests/gold/notes.txt. (The book style's own
changes to Chicago 18, listed in book/citations/bookstyle.py — access dates, remarks, a chapter's page
range in its entry, website names in italics — are in the style both sides use, so they are
not differences.)

* PARENTHESES: Pandoc puts a citation inside a footnote in parentheses (and may end it with a
  period inside them: "(…, OCR reprint.), has a record"); the book's ``{note}`` commentary sets
  it without them (the note already sets it off), as the source notes do;
* FINAL_PERIOD: a note that starts with a citation and goes on with commentary: Pandoc ends
  the citation with the style's period ("OCR reprint., has a record", "89.. “Probably");
  the book leaves the punctuation to the text;
* NESTED_PUNCTUATION: Pandoc writes ’,” — Chicago (6.9) puts the comma inside both quotes, ,’”;
* ABBREVIATION_COMMA: after a quoted title that ends in an abbreviation ("… Against U.S.”)
  Pandoc drops the note's comma as doubled punctuation; Chicago keeps it (“… U.S.,” Wall …);
* PUNCTUATION_AFTER_CITATION: a comma of the commentary after a citation ending in a closing
  quote goes inside it (“Eastern Destiny,” who …), as Chicago puts it;
* TITLE_FILING: Works cited files a work without author or editor under its title (ignoring
  "The") among the others; citeproc puts "The Canadian Spectator" under T;
* SAME_AUTHOR_BY_TITLE: one author's works are listed by title (CMOS 13.70); citeproc sorts on
  the rendered title, so Perdue's “Boundaries …” came after *China Marches West*.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from book.citations.bibtex import load_bibfiles
from book.citations.csl import resolve_style
from book.citations.engine import find_pandoc

from .conftest import ROOT
from .golden_notes import read_golden

NOTES, WORKS = read_golden()
_ROLE = re.compile(r"\{(cite|cite:t|note)\}`([^`]*)`")


def _pandoc(markdown: str, refs: Path, csl: Path, *extra: str) -> str:
    proc = subprocess.run(
        [find_pandoc(), "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc",
         f"--bibliography={refs}", f"--csl={csl}", *extra],
        input=markdown, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc.stdout


def _notes_of(plain: str) -> list[str]:
    """The footnotes of Pandoc's plain output: "[1] text" paragraphs at the end."""
    return [
        " ".join(m.group(1).split()) for m in re.finditer(r"^\[\d+\] (.*?)(?=\n\n|\Z)", plain, re.S | re.M)
    ]


def _normalise_note(text: str, commentary: bool, set_off: tuple[str, ...] = (), in_note: bool = True) -> str:
    text = re.sub("\u2019([.,])\u201d", "\\1\u2019\u201d", text)  # NESTED_PUNCTUATION
    if in_note:
        text = re.sub("\\.\u201d (?=\\S)", ".,\u201d ", text)  # ABBREVIATION_COMMA
    if commentary:
        text = re.sub("\u201d([,.])", "\\1\u201d", text)  # PUNCTUATION_AFTER_CITATION
        text = text.replace(".)", ")")  # PARENTHESES, and the period Pandoc leaves inside them
        text = re.sub(r"\.(\.|\s+[a-z])", r"\1", text)  # FINAL_PERIOD
        for piece in set_off:  # FINAL_PERIOD before a comma that sets the citation off
            text = text.replace("." + piece, piece)
        text = text.replace("(", "").replace(")", "")  # (removed on both sides, below)
    return text


def _book_files(tmp_path: Path) -> tuple[Path, Path]:
    database = load_bibfiles([ROOT / "references.bib", ROOT / "references-generated.bib"])
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps(list(database.items.values()), ensure_ascii=False), encoding="utf-8")
    return refs, resolve_style("chicago-notes-bibliography-book", ROOT)


def test_every_note_is_what_pandoc_makes_of_it(tmp_path: Path) -> None:
    refs, csl = _book_files(tmp_path)
    pages = list(dict.fromkeys(page for page, _, _ in NOTES))
    checked = changed = 0
    for page in pages:
        roles = _ROLE.findall((ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8"))
        # what an author using Pandoc writes: [@key, p. 3] in the text, ^[...] for commentary
        markdown = "\n\n".join(f"x[{body}]" if kind == "cite" else f"x^[{body}]" for kind, body in roles)
        theirs = _notes_of(_pandoc(markdown + "\n", refs, csl))
        ours = [text for p, _, text in NOTES if p == page]
        assert len(theirs) == len(ours), page
        for (kind, body), mine, pandoc in zip(roles, ours, theirs, strict=True):
            commentary = kind == "note"
            set_off = tuple(re.findall(r"\](, [a-z][^\[\]]*)", body)) if commentary else ()
            expected = _normalise_note(pandoc, commentary, set_off)
            got = mine.replace("(", "").replace(")", "") if commentary else mine
            assert got == expected, f"{page}: {mine!r} != Pandoc's {pandoc!r}"
            checked += 1
            changed += mine != pandoc
    assert checked == 62
    assert changed <= 9  # the commentary notes, one nested quote, one abbreviation: see the list above


def test_works_cited_is_what_pandoc_makes_of_it(tmp_path: Path) -> None:
    refs, csl = _book_files(tmp_path)
    keys = sorted(set(re.findall(r"@([\w:.-]*\w)", " ".join(
        body for page in {p for p, _, _ in NOTES}
        for _, body in _ROLE.findall((ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8"))
    ))))  # fmt: skip
    nocite = "---\nnocite: '" + ", ".join(f"@{k}" for k in keys) + "'\n---\n"
    plain = _pandoc(nocite, refs, csl)
    theirs = [_normalise_note(" ".join(e.split()), False, in_note=False) for e in plain.strip().split("\n\n")]
    assert sorted(theirs) == sorted(WORKS)  # the same 50 entries, word for word
    database = load_bibfiles([ROOT / "references.bib", ROOT / "references-generated.bib"])
    anonymous = {e for e in WORKS if e.startswith(("“", "The ", "www."))}
    ordered = [e for e in theirs if e not in anonymous]
    # "Perdue, Peter C" and "Perdue, Peter C." are one author (book.citations.names), so citeproc
    # itself lists his works by title; TITLE_FILING is the one difference left here
    china = next(i for i, e in enumerate(ordered) if e.startswith("Perdue, Peter C. China Marches West"))
    assert ordered[china - 1].startswith("Perdue, Peter C. “Boundaries")
    assert ordered == [e for e in WORKS if e not in anonymous]  # TITLE_FILING
    assert theirs.index("The Canadian Spectator. Vol. 1. 1878.") > WORKS.index(
        "The Canadian Spectator. Vol. 1. 1878."
    )
    assert len(database.items) >= len(WORKS)
