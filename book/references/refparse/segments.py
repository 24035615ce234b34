"""Split reference text into segments and notes at semicolons; tell commentary from references."""

from __future__ import annotations

import re

from .vocab import ABBREVIATIONS, COMMENTARY_WORD

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})


def split_segments(s: str) -> list[str]:
    """Split CS1/Chicago text at ". " outside quotes and parentheses, not after initials or
    abbreviations ("pt.", "ed.", "M.E.")."""
    segs: list[str] = []
    depth = 0
    quote = False
    start = 0
    for i, ch in enumerate(s):
        if ch == '"':
            quote = not quote
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0 and not quote and (i + 1 == len(s) or s[i + 1] == " "):
            m = re.search(r"(\S+)$", s[start:i])
            tok = m.group(1).lstrip("(\"'").rsplit("/", 1)[-1] if m else ""  # "Bedford/St."
            if tok.lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]|[A-Z][a-z]?", tok):
                continue
            segs.append(s[start:i].strip())
            start = i + 1
    if s[start:].strip():
        segs.append(s[start:].strip())
    return [g for g in segs if g]


def split_semicolons(s: str) -> list[str]:
    """Top-level "; " splits (outside quotes and parentheses)."""
    out, depth, quote, start = [], 0, False, 0
    for i, ch in enumerate(s):
        if ch == '"':
            quote = not quote
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and not depth and not quote:
            out.append(s[start:i].strip())
            start = i + 1
    out.append(s[start:].strip())
    return [p for p in out if p]


def is_commentary(s: str) -> bool:
    bare = re.sub(r"(?:https?://|www\.)\S+", " ", s)  # "www.who.int" is not the word "who"
    bare = re.sub(r'"[^"]*"|\([^()]*\)', " ", bare)
    bare = re.sub(r"(?<!\w)'[^']*'(?!\w)", " ", bare)
    return bool(COMMENTARY_WORD.search(bare)) and len(bare.split()) >= 5


def looks_like_cs1(s: str) -> bool:
    return bool(re.match(r"^[^\"()]+?\s*\([^()]*\d{4}[^()]*\)\.\s", s))
