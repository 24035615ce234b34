"""The names normalizer: person and corporate names to BibTeX "Family, Given and ..."."""

from __future__ import annotations

import re
import unicodedata

from .vocab import CORPORATE_WORD, PARTICLES

_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,4}|[^\W\d_]\.?(?:-[^\W\d_]\.)?")


def is_initial(tok: str) -> bool:
    return bool(_INITIALS.fullmatch(tok)) and tok[0].isupper()


def is_name_token(tok: str) -> bool:
    if not tok:
        return False
    if tok.lower() in PARTICLES:
        return True
    if is_initial(tok) or re.fullmatch(r"[A-ZА-ЯЁ]{1,3}", tok):
        return True
    if unicodedata.category(tok[0]) == "Lo":  # Chinese, Japanese ... (no case)
        return len(tok) <= 6 and all(unicodedata.category(c) == "Lo" for c in tok)
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’\-.]*(?:['’\-][^\W\d_]+)*\.?", tok)) and tok[0].isupper()


SUFFIX = re.compile(r"(?:,\s*|\s+)(?P<suffix>Jr|Sr|II|III|IV)\.?$")


def _person(text: str, family_first: bool | None = None) -> str | None:
    """One person as "Family, Given", or "Family, Jr., Given" with a suffix (None if ``text`` is
    not a plausible name). Particles go with the family name: "von Ranke, Leopold"."""
    text = text.strip().strip(",;").strip()
    m = SUFFIX.search(text)
    if m and m.start() > 0:
        person = _person(text[: m.start()], family_first)
        if person is None:
            return None
        family, _, given = person.partition(", ")
        suffix = m.group("suffix") + ("." if m.group("suffix") in ("Jr", "Sr") else "")
        return f"{family}, {suffix}, {given}" if given else f"{family}, {suffix}"
    if not text:
        return None
    if "," in text:
        return _person_inverted(text)
    return _person_in_order(text.split(), family_first)


def _person_inverted(text: str) -> str | None:
    """ "Family, Given" (particles after the given names go with the family name)."""
    family, given = (p.strip() for p in text.split(",", 1))
    toks = family.split() + given.split()
    if not family or not all(is_name_token(t) for t in toks) or len(family.split()) > 3:
        return None
    given_toks = given.split()
    while len(given_toks) > 1 and given_toks[-1].lower() in PARTICLES:  # "Ranke, Leopold von"
        family = f"{given_toks.pop()} {family}"
    given = " ".join(given_toks)
    return f"{family}, {given}" if given else family


def _person_in_order(toks: list[str], family_first: bool | None) -> str | None:
    """ "Given Family" (or "Family Given" when ``family_first``) to "Family, Given"."""
    if not all(is_name_token(t) for t in toks) or len(toks) > 5:
        return None
    if any(t.lower() in PARTICLES for t in toks) and toks[0].lower() in PARTICLES and len(toks) == 1:
        return None
    if len(toks) == 1:
        return toks[0]
    if toks[0].lower() in PARTICLES and toks[0][0].isupper() and len(toks) == 2:
        return None  # "Le Goff": a family name alone, not a given name and a family name
    if family_first and len(toks) >= 2 and not is_initial(toks[0]):  # "Zhao Suisheng"-style only if asked
        return f"{toks[0]}, {' '.join(toks[1:])}"
    particle = next((i for i in range(1, len(toks) - 1) if toks[i].lower() in PARTICLES), None)
    if particle is not None:  # "Leopold von Ranke", "Emmanuel Le Roy Ladurie"
        return f"{' '.join(toks[particle:])}, {' '.join(toks[:particle])}"
    i = len(toks) - 1
    while i > 1 and toks[i - 1].lower() in PARTICLES:
        i -= 1
    return f"{' '.join(toks[i:])}, {' '.join(toks[:i])}"


def _listed_names(s: str) -> list[str | None]:
    """The persons of a name list without ";": "A, B and C", "Smith, J. A., Jones, B."..."""
    names: list[str | None] = []
    s = re.sub(r",\s*(Jr|Sr|II|III|IV)\b\.?", r" \1.", s)  # "Cohn, S. K., Jr." -> "Cohn, S. K. Jr."
    chunks = [c for c in re.split(r",?\s+(?:and|&)\s+|\s*&\s*", s) if c.strip()]
    pieces = [p.strip() for p in chunks[0].split(",") if p.strip()] if chunks else []
    if len(pieces) <= 1:
        names.append(_person(pieces[0] if pieces else ""))
    elif len(pieces) % 2 == 0 and all(
        all(is_initial(t) for t in pieces[i].split()) for i in range(1, len(pieces), 2)
    ):  # APA: "Smith, J. A., Jones, B."
        names += [_person(f"{pieces[i]}, {pieces[i + 1]}") for i in range(0, len(pieces), 2)]
    elif (
        len(pieces[0].split()) == 1
        or all(t.lower() in PARTICLES for t in pieces[0].split()[:-1])
        or (len(pieces) == 2 and len(pieces[0].split()) <= 3 and is_initial(pieces[1].split()[-1]))
    ):  # "Amasuno Sárraga, Marcelino V.": a double family name, then the given names
        names.append(_person(f"{pieces[0]}, {pieces[1]}"))
        names += [_person(p) for p in pieces[2:]]
    else:
        names += [_person(p) for p in pieces]
    return names + [_person(c) for c in chunks[1:]]


def parse_names(text: str, allow_corporate: bool = False) -> str | None:
    """A BibTeX name list for "Young, Ernest", "B. V. Ananich and S. A. Lebedev",
    "Trofimov, Yaroslav; Grove, Thomas", "Smith, J. A., & Jones, B." ...; a braced corporate
    name when ``allow_corporate`` and the text is not a list of people; None otherwise."""
    s = re.sub(r"\s+", " ", text).strip().strip(",;").strip()
    if s.endswith(".") and not is_initial(s.split()[-1]):
        s = s[:-1]
    others = False
    m = re.search(r",?\s*(?:et al\.?|and others)$", s)
    if m:
        s, others = s[: m.start()], True
    if not s:
        return None
    names = [_person(p) for p in s.split(";")] if ";" in s else _listed_names(s)
    corporate = "{" + text.strip().rstrip(".,;") + "}"
    if allow_corporate and CORPORATE_WORD.search(text):
        return corporate
    if names and all(names):
        return " and ".join([n for n in names if n] + (["others"] if others else []))
    if allow_corporate and _looks_corporate(text):
        return corporate
    return None


def _looks_corporate(text: str) -> bool:
    toks = text.strip().rstrip(".,").split()
    if not toks or len(toks) > 14 or not toks[0][0].isupper():
        return False
    caps = [t for t in toks if t[0].isupper()]
    return len(caps) >= 1 and not re.search(r'["()\d]', text)


def _name_ends(token: str, following: str, after_and: bool = False) -> str:
    """After given-name ``token``: "more" names follow, the names "end", the "editor" mark
    follows, or the names end "with next" ("Fravel, M. Taylor. Title", "Cohn, Samuel K., Jr.")."""
    if re.fullmatch(r"(?:Jr|Sr|II|III|IV)\.?,?", following):
        return "with next"
    if token.endswith(".") and is_initial(token) and following == "A":
        return "end"  # "Shrewsbury, J. F. D. A History of ...": the article starts the title
    if token.rstrip(".").lower() in PARTICLES and token.endswith("."):
        return "end"  # "Ranke, Leopold von. Title"
    if token.endswith(","):
        if following in ("and", "&"):
            return "more"
        if after_and and is_initial(following.rstrip(",")):
            return "more"  # "Horrox, R. and Ormrod, W.M.": the second name family first too
        return "editor" if re.fullmatch(r"eds?\.", following) else "end"
    if after_and and is_initial(token) and is_name_token(following.rstrip(",.")):
        return "more"  # "... and W. Mark Ormrod, eds.": a second name given first
    if token.endswith(".") and not is_initial(token):
        return "end"
    if is_initial(token) and not is_initial(following.rstrip(",")) and following not in ("and", "&"):
        return "with next" if re.fullmatch(r"[A-Z][a-z]+\.", following) else "end"
    return "more"


def _given_names(toks: list[str]) -> tuple[list[str], int, bool] | None:
    """The given names at the start of ``toks``: (their tokens, tokens used, editor mark)."""
    given: list[str] = []
    i = 0
    editor = False
    while i < len(toks):
        t = toks[i]
        if t in ("and", "&") and given:
            given.append(t)
            i += 1
            continue
        core = t.rstrip(",")
        if given and core.rstrip(".").lower() in PARTICLES:
            core = core.rstrip(".")
        if not core or not is_name_token(core) or (core.lower() in PARTICLES and not given):
            if t.startswith(('"', "“")):
                break
            return None
        given.append(t)
        i += 1
        following = toks[i] if i < len(toks) else ""
        end = _name_ends(t, following, after_and="and" in given or "&" in given)
        if end == "more":
            continue
        if end == "editor":
            editor = True
            i += 1
        elif end == "with next":
            given.append(following)
            i += 1
            if following.endswith(",") and i < len(toks) and toks[i] in ("and", "&"):
                continue  # "Cohn, Samuel K., Jr., and Guido Alfani"
        break
    return given, i, editor


def split_surname_first(s: str) -> tuple[str, str, bool] | None:
    """Split "Family, Given[, and Given Family][, ed.]. Rest" into (names, rest, editor)."""
    m = re.match(r"^([^,.\"()]+),\s+", s)
    if not m or len(m.group(1).split()) > 3 or not all(is_name_token(t) for t in m.group(1).split()):
        return None
    toks = s[m.end() :].split(" ")
    found = _given_names(toks)
    if not found or not found[0]:
        return None
    given, i, editor = found
    names = parse_names((m.group(1) + ", " + " ".join(given)).rstrip(","))
    if not names:
        return None
    return names, " ".join(toks[i:]).strip(), editor
