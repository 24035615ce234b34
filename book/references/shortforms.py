"""Short forms ("Perdue, China Marches West, 45", "Deasy 1901") and the works they name."""

from __future__ import annotations

import json
import re

from .bibkeys import words
from .refparse import Reference
from .works import Work, families

CORRECTIONS = "bib-corrections.toml"


def set_quotation(parts: list[str | Reference], text: str) -> list[str | Reference]:
    """A passage on the lines after a note's reference is a quotation from the cited work (as
    the source's citation template prints its quote): set it in quotation marks, nested quotes
    single; a passage cut off mid-sentence gets an ellipsis, never a dangling comma."""
    if "\n" not in text.strip() or not parts or not isinstance(parts[-1], str):
        return parts
    passage = " ".join(text.strip().split("\n", 1)[1].split())
    if not passage or not " ".join(parts[-1].split()).endswith(passage):
        return parts
    body = re.sub(r'"([^"]*)"', "\u2018\\1\u2019", passage)
    if body[:1].islower():
        body = "\u2026 " + body
    if body.endswith((",", ";", ":")):
        body = body[:-1].rstrip() + " \u2026"
    return [*parts[:-1], f". \u201c{body}\u201d"]


def incomplete_work(ref: Reference) -> Work | None:
    """A work cited only in an author-year short form ("Deasy 1901, pp. 356–357"): an entry of
    what the source gives, its author and year, which the notes and Works cited print in the
    style's form ("Deasy 1901, 356–57."); reported with the correction that completes it."""
    fields = {k: v for k, v in ref.fields.items() if k in ("author", "year", "title")}
    if "author" not in fields or "year" not in fields or "title" in fields:
        return None
    work = Work([], "misc", fields)
    work.problems.append(
        (
            "title",
            f"incomplete reference: the source cites it only as {ref.raw.strip()!r} and gives no "
            f"title; complete it in {CORRECTIONS}: {completion('KEY', one_line=True)}",
        )
    )
    return work


def completion(key: str, one_line: bool = False) -> str:
    """The table of ``bib-corrections.toml`` that completes the incomplete reference ``key``
    (a key that is no bare TOML key is quoted)."""
    header = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f'[{header}] title = "…"' if one_line else f'[{header}]\ntitle = "…"'


def resolve_short(ref: Reference, works: list[Work]) -> Work | None:
    """The work a short cite names: same family names (in order), and the same year or a
    title that begins with the short title's words."""
    fams = families(ref.fields.get("author", ""))
    year = ref.fields.get("year", "")
    short_title = ref.fields.get("title", "")
    if not fams:
        return None
    for w in works:
        wf = families(w.fields.get("author", "") or w.fields.get("editor", ""))
        if wf[: len(fams)] != fams:
            continue
        if year and w.fields.get("year") != year:
            continue
        if short_title and not _abbreviates(short_title, w.fields.get("title", "")):
            continue
        return w
    return None


_ARTICLES = frozenset(
    [
        "the",
        "a",
        "an",
        "der",
        "die",
        "das",
        "le",
        "la",
        "les",
        "l",
        "el",
        "il",
        "lo",
        "un",
        "une",
        "ein",
        "eine",
    ]
)


def _abbreviates(short: str, title: str) -> bool:
    """Whether ``short`` is a short title of ``title``: its words begin the title's (a leading
    article aside), or all its significant words stand in the title in the same order."""
    sw, tw = words(short), words(title)
    if not sw:
        return True
    if sw[0] in _ARTICLES:
        sw = sw[1:]
    if tw and tw[0] in _ARTICLES:
        tw = tw[1:]
    if tw[: len(sw)] == sw:
        return True
    rest = iter(tw)
    return all(any(w == t for t in rest) for w in sw) and len(sw) >= 2


def keep_short_title(ref: Reference, work: Work) -> None:
    """A short form that gives a short title the source chose ("Ananich and Lebedev, "Sergei
    Witte"") makes it the work's ``shorttitle``, so the book's short notes print the source's
    words rather than the whole title: only when they begin the title and are shorter than the
    main title (before a colon), which is the short title anyway."""
    short, title = ref.fields.get("title", ""), work.fields.get("title", "")
    if ref.kind != "short" or work.hand or not short or "shorttitle" in work.fields:
        return
    sw, main = words(short), words(title.split(": ", 1)[0])
    if sw and len(sw) < len(main) and main[: len(sw)] == sw:
        work.fields["shorttitle"] = short.strip().strip("\"'‘’“”").strip()
