"""Where the book's index terms stand in a text: the rules an indexer follows, without Sphinx.

The index is made from ``[index]`` of ``outline.toml`` and the terms of the book's glossaries:

* a term is found as a whole word, exactly as written; a glossary term also with its first
  letter in the other case ("unequal treaties" for the term "Unequal treaties");
* a person whose heading inverts the name ("Joseph Stalin" filed as "Stalin, Joseph") is also
  found by surname alone ("Stalin"), unless two indexed people share it; other forms of a
  term ("Mao" for "Mao Zedong", "KMT" for "Kuomintang") come from ``[index.forms]`` and
  ``[index.see]``;
* the longest name wins: where "Treaty of Kyakhta" stands, "Kyakhta" is not found; and a name
  that goes on ("Peter the Great Gulf", "Kyakhta Russian-Chinese Pidgin") or ends in the term
  after a capitalised word and "of" ("the Gulf of Peter the Great") is another name, no hit;
* ``[index.topics]`` files a term's pages under sub-entries: a paragraph that names the term
  and one of a topic's words ("railway" also finds "railways") is filed under that topic.

:func:`index_spec` turns an outline into plain data (a Sphinx setting); :class:`Matcher`
finds the hits of a text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .outline import Outline

__all__ = [
    "Hit",
    "Matcher",
    "book_glossary",
    "check_index",
    "entry_text",
    "glossary_terms",
    "index_spec",
    "sort_key",
]

_GLOSSARY = re.compile(r"^(`{3,}|:{3,})\{glossary\}[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
_RST_GLOSSARY = re.compile(r"^\.\. glossary::[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", re.M)


def entry_text(text: str) -> str:
    """Text safe as an index entry: no sub-entry separator, no leading "!" (Sphinx's "main")."""
    return " ".join(text.replace(";", ",").split()).lstrip("!").strip()


def sort_key(heading: str) -> str:
    """How a heading files, letter by letter (CMOS 16.58): its letters and digits, accents and
    case set aside ("Li–Lobanov Treaty" → "lilobanovtreaty"); the heading itself if it has none."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", heading) if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum()) or heading


def glossary_terms(text: str) -> list[str]:
    """The terms defined by the glossaries of a MyST or reStructuredText source: the lines of a
    ``{glossary}`` block that are not indented (the definitions are), without classifiers."""
    terms: list[str] = []
    blocks = [m.group(2) for m in _GLOSSARY.finditer(text)]
    blocks += [re.sub(r"^[ \t]{3}", "", m.group(1), flags=re.M) for m in _RST_GLOSSARY.finditer(text)]
    for block in blocks:
        for line in block.splitlines():
            if line.strip() and not line[0].isspace() and not line.startswith(":"):
                term = entry_text(line.split(" : ")[0])
                if term and term not in terms:
                    terms.append(term)
    return terms


def index_fields(table: dict[str, Any]) -> dict[str, Any]:
    """The Outline's fields of ``[index]`` (checked against its terms by ``check_index``)."""
    return {
        "index_terms": tuple(table.get("terms", ())),
        "index_entries": dict(table.get("entries", {})),
        "index_forms": {k: tuple(v) for k, v in table.get("forms", {}).items()},
        "index_see": dict(table.get("see", {})),
        "index_see_also": {k: tuple(v) for k, v in table.get("see_also", {}).items()},
        "index_topics": {k: {s: tuple(w) for s, w in v.items()} for k, v in table.get("topics", {}).items()},
    }


def check_index(outline: Outline) -> None:
    """Every term named in ``[index.*]`` is one of ``[index] terms`` (or, for a cross-reference's
    target, a heading of one): a misspelt name would otherwise index nothing, silently."""
    terms = set(outline.index_terms)
    headings = terms | {outline.index_entries.get(t, t) for t in terms}
    known = "list it in [index] terms first"
    for table, keys in (
        ("entries", outline.index_entries),
        ("forms", outline.index_forms),
        ("see_also", outline.index_see_also),
        ("topics", outline.index_topics),
    ):
        for key in keys:
            if key not in terms:
                raise outline.error(f"[index.{table}] names '{key}', which is not an index term", f'"{key}"',
                                    hint=known)  # fmt: skip
    targets = [(k, v) for k, v in outline.index_see.items()]
    targets += [(k, v) for k, vs in outline.index_see_also.items() for v in vs]
    for key, target in targets:
        if target not in headings:
            raise outline.error(f"the cross-reference '{key}' points to '{target}', which is not an index term",
                                f'"{target}"', hint=known)  # fmt: skip
    for key in outline.index_see:
        if key in headings:
            raise outline.error(f"[index.see] '{key}' is an index term itself; a 'see' entry has no pages",
                                f'"{key}" =', hint="use [index.see_also] for a term with pages of its own")  # fmt: skip


def book_glossary(root: Path) -> list[str]:
    """The glossary terms of a book's sources (``index.md`` and ``chapters/``)."""
    terms: list[str] = []
    for path in [root / "index.md", *sorted((root / "chapters").rglob("*"))]:
        if path.suffix in (".md", ".rst") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if "glossary" in text:
                terms += [t for t in glossary_terms(text) if t not in terms]
    return terms


def _is_person(term: str, heading: str) -> str | None:
    """The surname of an inverted personal name ("Joseph Stalin" as "Stalin, Joseph"), else None."""
    last, comma, first = heading.partition(", ")
    words = first.split()
    if not comma or " " in last or term != f"{first} {last}":
        return None
    return last if all(w[:1].isupper() for w in words) else None


def index_spec(outline: Outline, glossary: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """The book's index as plain data (a Sphinx setting): each form found in the text with the
    heading it is filed under, the forms found in either case, cross-references and topics."""
    heading = {t: entry_text(outline.index_entries.get(t, t)) for t in outline.index_terms}
    forms: dict[str, str] = {}
    folded: list[str] = []
    for term in glossary:
        forms.setdefault(term, term)
        folded.append(term)
    surnames: dict[str, list[str]] = {}
    for term, filed in heading.items():
        forms[term] = filed
        surname = _is_person(term, outline.index_entries.get(term, ""))
        if surname:
            surnames.setdefault(surname, []).append(filed)
    for surname, people in surnames.items():
        if len(people) == 1:  # a surname two indexed people share names neither
            forms.setdefault(surname, people[0])
    for term, others in outline.index_forms.items():
        for form in others:
            forms[form] = heading[term]
    by_heading = {h: h for h in heading.values()} | heading
    for key, target in outline.index_see.items():
        forms[key] = by_heading[target]
    return {
        "forms": forms,
        "folded": sorted(set(folded) - set(heading)),
        "see": {entry_text(k): by_heading[v] for k, v in outline.index_see.items()},
        "see_also": {heading[k]: [by_heading[v] for v in vs] for k, vs in outline.index_see_also.items()},
        "topics": {
            heading[k]: {entry_text(label): list(words) for label, words in topics.items()}
            for k, topics in outline.index_topics.items()
        },
        "terms": {term: outline.line_of(f'"{term}"') or 0 for term in outline.index_terms},
        "outline": str(outline.path),
    }


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    heading: str


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _edge(char: str) -> bool:
    """Whether a term that begins or ends with ``char`` must stand as a whole word there (not in
    Chinese, Japanese or Korean text, which has no spaces between words)."""
    return char.isalnum() and not _wide(char)


def _alternative(form: str, folded: bool) -> str:
    body = re.escape(form)
    if folded and form[0].lower() != form[0].upper():
        body = f"(?i:{re.escape(form[0])})" + re.escape(form[1:])
    left = r"(?<!\w)" if _edge(form[0]) else ""
    right = r"(?!\w)" if _edge(form[-1]) else ""
    return left + body + right


_GOES_ON = re.compile(r"[ \t]+(?=[^\W\d_])(\w)")
_ENDS_IN = re.compile(r"(?<!\w)([^\W\d_][\w’'-]*)\s+of\s+(?:the\s+)?$")
_SENTENCE_END = '.!?:;"“”‘’(['


class Matcher:
    """Finds the hits of index forms in a text (one paragraph at a time)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.forms: dict[str, str] = spec.get("forms", {})
        folded = set(spec.get("folded", ()))
        self._folded = {f[0].lower() + f[1:]: f for f in folded}
        ordered = sorted(self.forms, key=lambda f: (-len(f), f))
        alternatives = [_alternative(f, f in folded) for f in ordered if f]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        self._topics: dict[str, list[tuple[str, re.Pattern[str]]]] = {
            heading: [(label, _words(tuple(words))) for label, words in topics.items()]
            for heading, topics in spec.get("topics", {}).items()
        }

    def hits(self, text: str) -> list[Hit]:
        """Every hit in ``text``, left to right, none inside another or inside a longer name."""
        if self._pattern is None:
            return []
        out = []
        for match in self._pattern.finditer(text):
            form = match.group()
            heading = self.forms.get(form) or self.forms.get(self._folded.get(form[0].lower() + form[1:], ""))
            if heading is None or _longer_name(text, match.start(), match.end()):
                continue
            out.append(Hit(match.start(), match.end(), heading))
        return out

    def topics(self, heading: str, text: str) -> list[str]:
        """The sub-entries a paragraph naming ``heading`` is filed under (none: the heading)."""
        return [label for label, words in self._topics.get(heading, ()) if words.search(text)]


@functools.lru_cache(maxsize=256)
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """A topic's words, each found at the start of a word in any case ("railway" in "Railways")."""
    return re.compile("|".join(r"(?<!\w)" + re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


def _longer_name(text: str, start: int, end: int) -> bool:
    """Whether the hit is part of a longer name: the name goes on with a capitalised word
    ("Peter the Great Gulf"), or it follows "<Capitalised> of" ("Gulf of Peter the Great")
    where that word does not merely open a sentence ("Most of Siberia")."""
    if _edge(text[end - 1]):
        after = _GOES_ON.match(text, end)
        if after and after.group(1).isupper():
            return True
    if _edge(text[start]):
        before = _ENDS_IN.search(text, 0, start)
        if before and before.group(1)[0].isupper():
            previous = text[: before.start()].rstrip()
            return bool(previous) and previous[-1] not in _SENTENCE_END
    return False
