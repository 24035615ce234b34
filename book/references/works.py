"""The works of a bibliography: the references that name one work, and its citations."""

from __future__ import annotations

from dataclasses import dataclass, field

from book.citations.syntax import format_item

from .bibkeys import first_name_part, norm_title, split_names, words
from .refparse import Reference, ordered_fields


@dataclass
class Cite:
    work: Work
    locator: str = ""
    prefix: str = ""
    suffix: str = ""  # the source's words after the citation ("online"): the citation's suffix

    def source(self) -> str:
        """The citation item as written in a chapter."""
        return format_item(self.work.key, self.prefix, self.locator, self.suffix)


@dataclass
class Work:
    """The references to one work, and the entry they make."""

    refs: list[Reference]
    entry_type: str = "misc"
    fields: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)
    key: str = ""
    docs: set[str] = field(default_factory=set)  # the documents that give it in full
    hand: bool = False  # an entry of the author's references.bib: cited, never written

    def merge(self) -> None:
        base = max(self.refs, key=lambda r: len(r.fields))  # the first of the fullest
        self.entry_type = base.entry_type
        merged = dict(base.fields)
        for ref in self.refs:
            for k, v in ref.fields.items():
                merged.setdefault(k, v)
        self.fields = ordered_fields(merged)
        for ref in self.refs:
            for p in ref.problems:
                item = ("isbn" if "ISBN" in p else "author", p)
                if item not in self.problems:
                    self.problems.append(item)


def families(names: str) -> list[str]:
    """Each person's family name, folded, without lowercase particles ("von Ranke" -> "ranke"),
    so that a short form "Ranke, History of the Popes" finds "von Ranke, Leopold"."""
    out = []
    for n in split_names(names):
        if n == "others":
            continue
        family = [t for t in n.split(",")[0].split() if not t[:1].islower()] or n.split(",")[0].split()
        out.append("".join(words(" ".join(family))))
    return out


def same_work(a: Reference, b: Reference) -> bool:
    fa, fb = first_name_part(a.fields)[0], first_name_part(b.fields)[0]
    if fa != fb or a.fields.get("year", "") != b.fields.get("year", ""):
        return False
    ta, tb = norm_title(a.fields.get("title", "")), norm_title(b.fields.get("title", ""))
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    return long == short or long.startswith(short + " ")


def check_work(w: Work) -> list[tuple[str, str]]:
    """Generic checks on a finished entry."""
    out: list[tuple[str, str]] = []
    names = split_names(w.fields.get("author", ""))
    if len(names) > 1:
        bare = [n for n in names if "," not in n and not n.startswith("{") and n != "others"]
        if bare:
            out.append(("author", f"author list looks garbled: {', '.join(bare)} has no given name"))
    if w.entry_type not in ("online", "misc") and "year" not in w.fields:
        out.append(("year", "no year"))
    return out
