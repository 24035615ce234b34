"""Citation keys and the normal forms used to compare references.

A key is ``<name><year><word>``: the first author's (or editor's) family name, lowercased and
folded to ASCII, the year, and the first significant word of the title, e.g.
``perdue2009china``. Without a person as author, ``<name>`` is the first significant word of
the corporate author or, failing that, of the title (and ``<word>`` the next title word).
Keys are a function of the entry alone; ``resolve_collisions`` lengthens the keys of entries that
would share a key by adding further title words (and, for identical titles, a short hash of the
entry's fields), so adding an entry never changes the key of an entry it does not collide with.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "and",
        "to",
        "for",
        "from",
        "with",
        "at",
        "by",
        "as",
        "or",
        "is",
        "are",
        "its",
        "it",
        "this",
        "that",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "und",
        "von",
        "zu",
        "im",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "el",
        "los",
        "las",
        "lo",
        "y",
        "il",
        "gli",
        "della",
        "di",
    ]
)
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "iu",
            "ia",
            "i",
            "i",
            "e",
            "g",
            "u",
        ],
        strict=False,
    )
)


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits of ``text`` (accents dropped, Cyrillic transliterated)."""
    out: list[str] = []
    for ch in text.lower():
        if ch in _CYRILLIC:
            t = _CYRILLIC[ch]
            out.append("" if t == "_" else t)
            continue
        for c in unicodedata.normalize("NFKD", ch):
            if c.isascii() and c.isalnum():
                out.append(c)
    return "".join(out)


def words(text: str) -> list[str]:
    """The ASCII-folded words of ``text`` (empty words, e.g. of Chinese text, dropped)."""
    result = []
    for w in re.split(r"[\s\-–—/:;,.!?()\"'“”‘’«»\[\]]+", text):
        f = ascii_fold(w)
        if f:
            result.append(f)
    return result


def significant_words(text: str) -> list[str]:
    """Title words without stopwords and pure numbers."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def norm_title(text: str) -> str:
    """A title reduced for comparison: folded words joined by spaces."""
    return " ".join(words(text))


def first_name_part(fields: dict[str, str]) -> tuple[str, bool]:
    """The first author's (or editor's) family name, folded; and whether it is a person."""
    names = fields.get("author") or fields.get("editor") or ""
    if not names:
        return "", False
    first = split_names(names)[0]
    if first.startswith("{"):
        sig = significant_words(first.strip("{}"))
        return (sig[0] if sig else ""), False
    family = first.split(",")[0]
    return "".join(words(family)), True


def split_names(names: str) -> list[str]:
    """Split a BibTeX name list on top-level " and "."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(names):
        ch = names[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and names.startswith(" and ", i):
            parts.append(names[start:i].strip())
            start = i + 5
            i += 4
        i += 1
    parts.append(names[start:].strip())
    return [p for p in parts if p]


def key_candidates(fields: dict[str, str]) -> list[str]:
    """Keys for an entry, shortest first: each adds one more title word to the last."""
    name, _ = first_name_part(fields)
    title_words = significant_words(fields.get("title", ""))
    if not name and title_words:
        name, title_words = title_words[0], title_words[1:]
    year = fields.get("year", "")
    year = year if re.fullmatch(r"\d{4}", year) else ""
    base = (name or "anon") + year
    cands = [base + (title_words[0] if title_words else "")]
    for i in range(1, min(len(title_words), 6)):
        cands.append(base + "".join(title_words[: i + 1]))
    return cands


def content_hash(fields: dict[str, str]) -> str:
    """Four hex digits identifying an entry's content (for keys of otherwise identical works)."""
    text = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:4]


def resolve_collisions(entries: list[dict[str, str]]) -> list[str]:
    """A distinct key for each entry (same order), by the rule in the module docstring."""
    cands = [key_candidates(e) for e in entries]
    level = [0] * len(entries)
    while True:
        current = [c[min(level[i], len(c) - 1)] for i, c in enumerate(cands)]
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(current):
            groups.setdefault(key, []).append(i)
        clashing = [idx for idx in groups.values() if len(idx) > 1]
        if not clashing:
            return current
        progressed = False
        for idx in clashing:
            for i in idx:
                if level[i] < len(cands[i]) - 1:
                    level[i] += 1
                    progressed = True
        if not progressed:
            break
    # identical titles all the way: tell them apart by content
    final = list(current)
    seen: dict[str, int] = {}
    for key in current:
        seen[key] = seen.get(key, 0) + 1
    for i, key in enumerate(current):
        if seen[key] > 1:
            final[i] = key + content_hash(entries[i])
    return final
