"""The roles normalizer: editors, translators, editions and volumes, taken out of the string.

Before the recognizers read a reference, the phrases that name a contributor's role or the
work's edition and volumes are taken out of it (they would otherwise end up in the title or
the publisher) and kept as fields:

* the author's own role: "Horrox, ed. and trans.," (Chicago), "Horrox, R. (Ed. & Trans.)."
  (APA), "Horrox, R. (ed. and trans.)" (Harvard), "Horrox, Rosemary, ed." (CS1);
* other contributors: "trans. E. Foster", "Translated by E. Foster", "Edited by Samuel K.
  Cohn Jr.", "(L. A. Manyon, Trans.)", "(S. K. Cohn Jr., Ed.)"; inside a chapter's "In ...",
  "ed. and trans. X" / "edited and translated by X" make X the book's editor and translator;
* the edition ("2nd ed.", "2nd edn", "(2nd ed.)") as its ordinal ("2nd"), the number of volumes
  ("3 vols."), a volume ("Translated by X, vol. 1,"), a language note ("(in German)").

``apply_roles`` then moves the author to ``editor``/``translator`` when the role says so.
"""

from __future__ import annotations

import re

from .names import is_initial, parse_names
from .vocab import PARTICLES

_LANGUAGE_NOTE = re.compile(r"\s*\(in (?P<lang>[A-Z][a-z]+)\)")
_EDITION = re.compile(
    r"(?P<lead>[,.;]?\s*)\(?\b(?P<n>\d+(?:st|nd|rd|th))\s+(?:rev(?:ised)?\.?\s+|enl(?:arged)?\.?\s+)?"
    r"(?:ed|edn|edition)\b\.?\)?(?=[\s,.;:)]|$)"
)
_REVISED = re.compile(r"(?P<lead>[,.;]?\s*)\(?\b[Rr]ev(?:ised)?\.? (?:ed|edn|edition)\b\.?\)?(?=[\s,.;:)]|$)")
_VOLUME_SEGMENT = re.compile(r"(?P<lead>\.\s*)Vol\.\s*(?P<n>\d+)(?=\.\s)")
_VOLUMES = re.compile(r"(?P<lead>[,.]?\s*)\b(?P<n>\d+)\s+vols?\b\.?(?=[\s,.;:(]|$)")
_ROLE = r"(?:ed\.? (?:and|&) trans|eds?|trans|editors?|translators?)"
_NAMES = r"[^()\"]{2,80}?"
# The author's role right after the names that begin the string.
_AUTHOR_ROLE = [
    # APA "Little, L. K. (Ed.). (2007)." and Harvard "Horrox, R. (ed. and trans.) (1994)"
    re.compile(rf"^(?P<names>{_NAMES})\s*\((?P<role>{_ROLE})\.?\)\.?(?=\s*\()", re.I),
    # Chicago note "Rosemary Horrox, ed. and trans., The Black Death (...)", bibliography
    # "Horrox, Rosemary, ed. and trans. The Black Death.", CS1 "Horrox, Rosemary, ed. (1994)."
    re.compile(rf"^(?P<names>{_NAMES}),\s*(?P<role>{_ROLE})\.?(?P<end>,|(?=\s))", re.I),
]
_CONTRIBUTOR = re.compile(
    r"(?P<lead>[,.]?\s*)\b(?P<word>[Ee]dited and translated by|[Ee]d\. and trans\.|[Tt]ranslated by|"
    r"trans\.|[Ee]dited by|ed\.)\s+"
)
# APA: "(L. A. Manyon, Trans.)", "(S. K. Cohn Jr., Ed.)", "(G. H. McWilliam, Trans.; 2nd ed.)"
_APA_PAREN = re.compile(r"\s*\((?P<inner>[^()]*,\s*(?:Trans|Eds?)\.[^()]*)\)")
_VOLUME_AFTER = re.compile(r"^,\s*vol\.\s*(?P<n>\d+)(?=,)")
_LANGUAGES = {
    "german": "german", "french": "french", "italian": "italian", "spanish": "spanish",
    "latin": "latin", "russian": "russian", "portuguese": "portuguese", "dutch": "dutch",
    "polish": "polish", "chinese": "chinese", "japanese": "japanese", "swedish": "swedish",
}  # fmt: skip


def _names(text: str) -> str | None:
    """The BibTeX names of ``text`` (its last full stop kept after an initial)."""
    text = text.strip().rstrip(",").strip()
    if text.endswith(".") and not is_initial(text.split()[-1]):
        text = text[:-1]
    return parse_names(text) if text else None


def _in_collection(s: str, at: int) -> bool:
    """Whether position ``at`` is inside a chapter's "in Book, ..." part."""
    return bool(re.search(r"(?:^|[,.\"]\s*)[Ii]n\s+[A-Z\"]", s[:at]))


def extract_roles(s: str) -> tuple[str, dict[str, str]]:
    """Take role, edition and volume phrases out of ``s``: (the rest, fields and ``role``)."""
    roles: dict[str, str] = {}
    m = _LANGUAGE_NOTE.search(s)
    if m and m.group("lang").lower() in _LANGUAGES:
        roles["langid"] = _LANGUAGES[m.group("lang").lower()]
        s = s[: m.start()] + s[m.end() :]
    s = _apa_parentheses(s, roles)
    s = _author_role(s, roles)
    m = _EDITION.search(s) or _REVISED.search(s)
    if m:
        roles["edition"] = m.group("n") if "n" in m.groupdict() else "rev."
        s = _cut(s, m)
    m = _VOLUMES.search(s)
    if m:
        roles["volumes"] = m.group("n")
        s = _cut(s, m)
    m = _VOLUME_SEGMENT.search(s)
    if m:  # CS1 "Title. Vol. 1. Translated by ..."
        roles["volume"] = m.group("n")
        s = _cut(s, m)
    s = _contributors(s, roles)
    return _tidy(s), roles


def _cut(s: str, m: re.Match[str]) -> str:
    """``s`` without the match, keeping the punctuation that led into it."""
    lead = m.group("lead") if "lead" in m.groupdict() and m.group("lead") else ""
    keep = lead.strip()[:1] if lead.strip() in (".",) else ""
    return _join(s[: m.start()] + keep, s[m.end() :])


def _join(before: str, after: str) -> str:
    """Two pieces around a cut, without a comma left after a full stop ("Title., Pub")."""
    if before.endswith(".") and after.startswith(","):
        after = after[1:]
    return before + after


def _tidy(s: str) -> str:
    s = re.sub(r"\s+([,.;:)])", r"\1", s)
    s = re.sub(r"\(\s*\)", "", s)
    s = re.sub(r",\s*,", ",", s)
    s = re.sub(r"\.\s*\.", ".", s)
    s = re.sub(r",\s*\.", ".", s)
    s = re.sub(r"\(\s*,\s*", "(", s)
    return re.sub(r"\s{2,}", " ", s).strip()


def _apa_parentheses(s: str, roles: dict[str, str]) -> str:
    m = _APA_PAREN.search(s)
    if not m or m.start() == 0:
        return s
    found = False
    for part in m.group("inner").split(";"):
        part = part.strip()
        pm = re.fullmatch(r"(?P<names>.+?),\s*(?P<role>Trans|Eds?)\.", part)
        if pm:
            names = _names(pm.group("names"))
            if names:
                roles["translator" if pm.group("role") == "Trans" else "editor"] = names
                found = True
        em = re.fullmatch(r"(\d+(?:st|nd|rd|th)) ed\.", part)
        if em:
            roles["edition"] = em.group(1)
    return s[: m.start()] + s[m.end() :] if found else s


def _author_role(s: str, roles: dict[str, str]) -> str:
    for rx in _AUTHOR_ROLE:
        m = rx.match(s)
        if not m or not _plausible_author_names(m.group("names")) or not _names(m.group("names")):
            continue
        role = m.group("role").lower()
        both = "trans" in role and role.startswith("ed")
        roles["role"] = "editor translator" if both else ("translator" if "trans" in role else "editor")
        rest = s[m.end() :]
        joint = "" if rest.lstrip().startswith("(") else ("," if m.groupdict().get("end") == "," else ".")
        return m.group("names").rstrip(" ,") + joint + rest
    return s


def _plausible_author_names(text: str) -> bool:
    """Names at the start, not a title: no more than a few words per name, and in "Family,
    Given" form the family name first ("Marc Bloch, Feudal Society" is a name and a title)."""
    text = text.strip().rstrip(",")
    parts = re.split(r",\s*|\s+(?:and|&)\s+", text)
    if not all(0 < len(p.split()) <= 4 for p in parts if p):
        return False
    if "," in text:
        family = text.split(",", 1)[0].split()
        return len(family) == 1 or all(t.lower() in PARTICLES for t in family[:-1])
    return True


def names_end(s: str, start: int) -> int:
    """Where the name list that starts at ``s[start]`` ends: at a bracket, a ";", a quote, a
    full stop after a word that is not an initial, or a comma not followed by more names."""
    tokens = list(re.finditer(r"\S+", s[start:]))
    end = start
    count = 0
    for n, tok in enumerate(tokens):
        word = tok.group(0)
        if word[0] in '(;"[' or word[0].isdigit() or word.endswith(":"):
            break
        core = word.rstrip(",.;:")
        if not core or (
            not core[0].isupper()
            and core.lower()
            not in ("and", "de", "von", "van", "de'", "d'", "du", "da", "di", "der", "le", "la")
        ):
            break
        count += 1
        end = start + tok.start() + len(word.rstrip(",;:"))
        nxt = tokens[n + 1].group(0) if n + 1 < len(tokens) else ""
        if word.endswith(";") or word.endswith(":"):
            break
        if word.endswith(","):
            if nxt in ("and", "&") or re.match(r"(?:Jr|Sr)\b", nxt) or (count == 1 and nxt[:1].isupper()):
                continue
            break
        if word.endswith(".") and not is_initial(word) and core.lower() not in ("jr", "sr"):
            break
        if (
            word.endswith(".")
            and core.lower() in ("jr", "sr")
            and nxt[:1].isupper()
            and not nxt.startswith(("and",))
        ):
            break
    return end


def _contributors(s: str, roles: dict[str, str]) -> str:
    pos = 0
    while True:
        m = _CONTRIBUTOR.search(s, pos)
        if not m:
            return s
        stop = names_end(s, m.end())
        text = s[m.end() : stop].rstrip(",")
        if text.endswith(".") and not is_initial(text.split()[-1]):
            text = text[:-1]
        if text.endswith((" Jr", " Sr")):
            text += "."
        names = _names(text) if text else None
        word = m.group("word").lower()
        if not names:
            pos = m.end()
            continue
        collection = _in_collection(s, m.start())
        if word.startswith(("edited and", "ed. and")):
            roles["translator"] = names
            if collection:  # the collection parser reads the book's editor from "ed. X"
                s = s[: m.start()] + m.group("lead") + "ed. " + s[m.end() :]
                pos = m.start() + len(m.group("lead")) + 4
                continue
            roles["editor"] = names
        elif word in ("edited by", "ed.") and collection:
            pos = m.end()
            continue
        else:
            roles["editor" if word in ("edited by", "ed.") else "translator"] = names
        after = s[stop:]
        after = re.sub(r"^\.(?=\s|$)", "", after) if s[stop - 1 : stop] != "." else after
        vm = _VOLUME_AFTER.match(after)
        if vm:
            roles["volume"] = vm.group("n")
            after = after[vm.end() :]
        lead = m.group("lead")
        s = _join(s[: m.start()] + ("." if "." in lead else ""), after)
        pos = m.start()


def apply_roles(fields: dict[str, str], roles: dict[str, str]) -> None:
    """Put the extracted roles into a parsed reference's fields."""
    role = roles.get("role", "")
    names = fields.get("author") or fields.get("editor")
    if role and names:
        fields.pop("author", None)
        if "editor" in role:
            fields["editor"] = names
        else:
            fields["author"] = names
        if "translator" in role:
            fields["translator"] = names
            if "editor" not in role:
                fields.pop("author", None)
                fields["translator"] = names
    for key in ("editor", "translator", "edition", "volumes", "volume", "langid"):
        if roles.get(key) and not fields.get(key):
            fields[key] = roles[key]
