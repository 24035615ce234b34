"""Parse loose reference strings into typed BibTeX fields, a locator and commentary.

``parse_reference(text)`` takes one reference string in any of the common styles (Wikipedia CS1,
Chicago notes and bibliography, APA, MLA, free-form "Name, Title (Place, Year)", reading-list
"Family, Given. Title (Publisher, Year)", short cites "Deasy 1901, p. 3") and returns a
``Reference``: the entry type, BibTeX fields, the locator (the cited pages) and whether it is a
full reference, a short cite of a work given in full elsewhere, or not a reference at all.
``parse_note(text)`` splits a note into commentary text and references.

Conventions (the gold file and the bibliography rely on them):

* names are BibTeX names "Family, Given and Family, Given"; a corporate author is braced;
* ``pages`` is the work's own range (an article or chapter), written with ``--``; abbreviated
  ranges are expanded (``105–82`` -> ``105--182``);
* the locator keeps the source's form with the label normalised to ``p.``/``pp.`` and hyphens to
  en dashes; an open range (``pp. 79–``, Google Books' "from page 79") becomes ``p. 79``; a bare
  page number after a Chicago note becomes ``p. 45``;
* ``year`` is always the four-digit year; ``date`` is added (ISO ``2006-11-22`` or ``2016-12``)
  when the source gives more than the year;
* ``isbn`` is ISBN-13, digits only, after the check digit is verified; a bad ISBN, or one given
  for a work published before 1970, is not written and is reported in ``problems``;
* ``urldate`` is the ISO date of "Retrieved ..."; "Archived from the original on X" goes to
  ``note``; Wayback links, "online", "excerpt", "{{cite ...}}" and "CS1 maint" are dropped.

No rule names a particular work: the parser is a sequence of generic patterns.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field

__all__ = ["Reference", "ReferenceWarning", "benchmark", "parse_names", "parse_note", "parse_reference"]


class ReferenceWarning(UserWarning):
    """A string that is not a reference (kept as a @misc with its raw text)."""


@dataclass
class Reference:
    """One parsed reference string."""

    entry_type: str
    fields: dict[str, str]
    locator: str = ""
    kind: str = "full"  # "full", "short" (cites a work given elsewhere), "ibid", "none"
    prefix: str = ""  # "see", "cf." ... before the citation
    raw: str = ""
    problems: list[str] = field(default_factory=list)  # for the editor (bad ISBN ...)


# ---------------------------------------------------------------------------------------------
# small vocabularies (generic, not about any one document)

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ]
    )
    for m in names.split()
}
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
PUBLISHER_WORD = re.compile(
    r"\b(?:Press|UP|Books?|Publish\w*|Verlag|Sons|House|Library|Routledge|Springer|Macmillan|"
    r"Sharpe|Brill|Gruyter|Wiley|Blackwell|Norton|Knopf|Penguin|Harper\w*|Praeger|Palgrave|"
    r"Elsevier|Francis|Company|Co\.|Inc\.?|Ltd\.?|Éditions|Editions|Izdatel\w*|Nauka|Verlags\w*)\b"
    r"|出版社|Издательство|издательство"
)
PLACES = frozenset(
    """london|new york|paris|edinburgh|montreal|oxford|cambridge|boston|chicago|berlin|moscow|
    beijing|shanghai|tokyo|leiden|amsterdam|toronto|princeton|new haven|st petersburg|
    saint petersburg|st. petersburg|washington|philadelphia|stanford|berkeley|los angeles|
    san francisco|hong kong|taipei|singapore|vienna|munich|leipzig|stuttgart|frankfurt|zurich|
    geneva|rome|madrid|stockholm|copenhagen|ithaca|seattle|honolulu|melbourne|sydney|delhi|
    new delhi|kyiv|kiev|warsaw|prague|budapest|abingdon|basingstoke|lanham|armonk|bloomington|
    durham|chapel hill|ann arbor|baltimore|nanjing|guangzhou|москва|м.|санкт-петербург|спб|
    北京|上海|台北|香港|南京""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
PERIODICAL_WORD = re.compile(
    r"\b(?:Times|Journal|Tribune|Monitor|Post|News|Herald|Gazette|Guardian|Telegraph|Reuters|"
    r"Chronicle|Magazine|Daily|Weekly|Review|Economist|Independent|Observer|Bulletin|Izvestia|"
    r"Pravda|Spectator|Standard|Mail|Star|Courier|Associated Press|AP|AFP|Xinhua|TASS|BBC)\b"
)
CORPORATE_WORD = re.compile(
    r"\b(?:Bank|Council|Society|Association|Institute|University|Government|Ministry|Committee|"
    r"Organi[sz]ation|Office|Agency|Commission|Foundation|Department|Bureau|Academy|Centre|Center|"
    r"Party|Corporation|Nations|Programme|Program|Group|Company|Federation|Republic|Library|Museum)\b"
)
PARTICLES = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "ter",
        "ten",
        "dos",
        "das",
        "y",
    ]
)
ABBREVIATIONS = frozenset(
    [
        "p",
        "pp",
        "pt",
        "vol",
        "vols",
        "no",
        "nos",
        "ed",
        "eds",
        "trans",
        "rev",
        "repr",
        "st",
        "dr",
        "mr",
        "mrs",
        "jr",
        "sr",
        "co",
        "inc",
        "ltd",
        "ch",
        "chap",
        "fig",
        "n",
        "nn",
        "col",
        "cols",
        "cf",
        "vs",
        "al",
        "bros",
        "univ",
        "dept",
        "esp",
        "approx",
        "ms",
        "mss",
    ]
)
COMMENTARY_WORD = re.compile(
    r"\b(?:is|are|was|were|has|have|had|who|which|summari[sz]es|records|describes|argues|says|"
    r"notes|gives|discusses|mentions|contains|suggests|claims|shows|explains|states)\b"
)
CITE_PREFIX = re.compile(r"^(see also|see|cf\.|compare|e\.g\.,?|also)\s+(?=\S)", re.I)

# ---------------------------------------------------------------------------------------------
# dates, pages, identifiers


def parse_date(text: str) -> tuple[str, str]:
    """(year, ISO date or "") for "30 June 2009", "December 2016", "2022-02-04", "1977"..."""
    t = text.strip().strip(".,")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return m.group(1), t
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", t)
    if m and m.group(2).lower() in MONTHS:
        return m.group(3), f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", t)
    if m and m.group(1).lower() in MONTHS:
        return m.group(3), f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", t)
    if m and m.group(1).lower() in MONTHS:
        return m.group(2), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
    m = re.search(rf"(?<!\d)({YEAR})(?!\d)", t)
    return (m.group(1), "") if m else ("", "")


def _set_date(fields: dict[str, str], text: str) -> bool:
    year, iso = parse_date(text)
    if not year:
        return False
    fields["year"] = year
    if iso:
        fields["date"] = iso
    return True


def normalise_pages(text: str) -> str:
    """An entry's page range in BibTeX form: "147--158", "105--182" for "105–82", "113+"."""
    t = text.strip().strip(".,")
    m = re.fullmatch(r"(\d+)\s*[–—-]+\s*(\d+)", t)
    if m:
        a, b = m.groups()
        if len(b) < len(a):
            b = a[: len(a) - len(b)] + b
        return f"{a}--{b}"
    return re.sub(r"\s*[–—]\s*", "--", t)


def normalise_locator(text: str) -> str:
    """A citation's locator: "p. 78", "pp. 182, 183", "p. 79" for "pp. 79–"."""
    t = text.strip().rstrip(".,;:").strip()
    if not t:
        return ""
    t = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", t)
    m = re.match(r"(?i)^(pp?|pages?)\.?\s*(.*)$", t)
    body = m.group(2) if m else t
    m2 = re.fullmatch(r"(\d+)\s*[–—-]", body)
    if m2:  # "pp. 79–": an open range is Google Books' "from page 79"
        return f"p. {m2.group(1)}"
    if re.fullmatch(r"\d+|[ivxlc]+", body):
        return f"p. {body}"
    return f"pp. {body}" if (m and m.group(1).lower().startswith("pp")) or not m else f"p. {body}"


def _isbn_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def normalise_isbn(text: str) -> str | None:
    """ISBN-13 digits for a valid ISBN-10 or ISBN-13, else None."""
    digits = re.sub(r"[\s\-–]", "", text).upper()
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", digits) or not _isbn_ok(digits):
        return None
    if len(digits) == 13:
        return digits
    core = "978" + digits[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


# ---------------------------------------------------------------------------------------------
# names

_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,4}|[^\W\d_]\.?(?:-[^\W\d_]\.)?")


def _is_initial(tok: str) -> bool:
    return bool(_INITIALS.fullmatch(tok)) and tok[0].isupper()


def _is_name_token(tok: str) -> bool:
    if not tok:
        return False
    if tok.lower() in PARTICLES:
        return True
    if _is_initial(tok) or re.fullmatch(r"[A-ZА-ЯЁ]{1,3}", tok):
        return True
    if unicodedata.category(tok[0]) == "Lo":  # Chinese, Japanese ... (no case)
        return len(tok) <= 6 and all(unicodedata.category(c) == "Lo" for c in tok)
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’\-.]*(?:['’\-][^\W\d_]+)*\.?", tok)) and tok[0].isupper()


def _person(text: str, family_first: bool | None = None) -> str | None:
    """One person as "Family, Given" (None if ``text`` is not a plausible name)."""
    text = text.strip().strip(",;").strip()
    if not text:
        return None
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        toks = family.split() + given.split()
        if not family or not all(_is_name_token(t) for t in toks) or len(family.split()) > 3:
            return None
        return f"{family}, {given}" if given else family
    toks = text.split()
    if not all(_is_name_token(t) for t in toks) or len(toks) > 5:
        return None
    if any(t.lower() in PARTICLES for t in toks) and toks[0].lower() in PARTICLES and len(toks) == 1:
        return None
    if len(toks) == 1:
        return toks[0]
    if family_first and len(toks) >= 2 and not _is_initial(toks[0]):  # "Zhao Suisheng"-style only if asked
        return f"{toks[0]}, {' '.join(toks[1:])}"
    i = len(toks) - 1
    while i > 1 and toks[i - 1].lower() in PARTICLES:
        i -= 1
    return f"{' '.join(toks[i:])}, {' '.join(toks[:i])}"


def parse_names(text: str, allow_corporate: bool = False) -> str | None:
    """A BibTeX name list for "Young, Ernest", "B. V. Ananich and S. A. Lebedev",
    "Trofimov, Yaroslav; Grove, Thomas", "Smith, J. A., & Jones, B." ...; a braced corporate
    name when ``allow_corporate`` and the text is not a list of people; None otherwise."""
    s = re.sub(r"\s+", " ", text).strip().strip(",;").strip()
    if s.endswith(".") and not _is_initial(s.split()[-1]):
        s = s[:-1]
    others = False
    m = re.search(r",?\s*(?:et al\.?|and others)$", s)
    if m:
        s, others = s[: m.start()], True
    names: list[str | None] = []
    if not s:
        return None
    if ";" in s:
        names = [_person(p) for p in s.split(";")]
    else:
        chunks = [c for c in re.split(r",?\s+(?:and|&)\s+|\s*&\s*", s) if c.strip()]
        pieces = [p.strip() for p in chunks[0].split(",") if p.strip()] if chunks else []
        if len(pieces) <= 1:
            names.append(_person(pieces[0] if pieces else ""))
        elif len(pieces) % 2 == 0 and all(
            all(_is_initial(t) for t in pieces[i].split()) for i in range(1, len(pieces), 2)
        ):  # APA: "Smith, J. A., Jones, B."
            names += [_person(f"{pieces[i]}, {pieces[i + 1]}") for i in range(0, len(pieces), 2)]
        elif len(pieces[0].split()) == 1 or all(t.lower() in PARTICLES for t in pieces[0].split()[:-1]):
            names.append(_person(f"{pieces[0]}, {pieces[1]}"))
            names += [_person(p) for p in pieces[2:]]
        else:
            names += [_person(p) for p in pieces]
        for c in chunks[1:]:
            names.append(_person(c))
    if allow_corporate and CORPORATE_WORD.search(text):
        return "{" + text.strip().rstrip(".,;") + "}"
    if names and all(names):
        if others:
            names.append("others")
        return " and ".join(n for n in names if n)
    if allow_corporate and _looks_corporate(text):
        return "{" + text.strip().rstrip(".,;") + "}"
    return None


def _looks_corporate(text: str) -> bool:
    toks = text.strip().rstrip(".,").split()
    if not toks or len(toks) > 14 or not toks[0][0].isupper():
        return False
    caps = [t for t in toks if t[0].isupper()]
    return len(caps) >= 1 and not re.search(r'["()\d]', text)


# ---------------------------------------------------------------------------------------------
# debris and identifiers

_DATE_WORDS = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|[A-Z][a-z]+\s+\d{4}|\d{4})"
_WAYBACK = re.compile(
    rf"(?:\b[Oo]nline\s+)?\bArchived(?:\s+\(PDF\))?\s+{_DATE_WORDS}\s+at the Wayback Machine\.?"
)
_ARCHIVED = re.compile(rf"\bArchived(?:\s+\(PDF\))?\s+from the original\s+on\s+({_DATE_WORDS})\.?")
_RETRIEVED = re.compile(rf"\b(?:[Rr]etrieved|[Aa]ccessed)(?:\s+on)?\s+({_DATE_WORDS})\.?")
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+?)(?=[.,;]?(?:\s|$))", re.I)
_URL = re.compile(r"\bhttps?://\S+?(?=[.,;]?(?:\s|$))")
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*([\dXx][\dXx\s\-–]{8,16}[\dXx])\b\.?")
_ISSN = re.compile(r"\bISSN:?\s*(\d{4}-?\d{3}[\dXx])\b\.?")
_OCLC = re.compile(r"\bOCLC:?\s*(\d+)\b\.?")
_THESIS = re.compile(
    r"\((?:(?P<ma>M\.?A\.?|M\.?Sc?\.?|Master'?s)\s+)?(?:(?:Ph\.?\s?D\.?|Doctoral|PhD)\s+)?"
    r"(?P<kind>[Tt]hesis|[Dd]issertation)\)"
)
_THESIS_PAREN = re.compile(
    rf"\((?P<kind>(?:Ph\.?\s?D\.?|Doctoral|M\.?A\.?|Master'?s)\s+(?:diss\.|dissertation|thesis)),\s*"
    rf"(?P<school>[^()]+?),\s*(?P<year>{YEAR})\)"
)
_TRAILING_DEBRIS = re.compile(
    r"[\s,;.]*\b(?:full text(?: online)?|online(?:\s+(?:free|(?:book\s+)?reviews?|edition|version))?|"
    r"excerpt(?:\s+and text search)?|(?:online\s+)?book review|free online)\s*[.,;]?\s*$"
)
_WIKI_DEBRIS = re.compile(r"\{\{[^{}]*\}\}|:?\s*CS1 maint:.*$|\(\s*link\s*\)")


def is_debris(line: str) -> bool:
    """A line that is only wiki debris ("{{cite news}}", ": CS1 maint: ...")."""
    return not _WIKI_DEBRIS.sub("", line).strip(" :.,;")


def _extract_extras(s: str) -> tuple[str, dict[str, str], list[str], str]:
    """Remove debris and identifiers; return (text, fields, problems, thesis kind)."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    s = _WIKI_DEBRIS.sub(" ", s)
    s = _WAYBACK.sub(" ", s)
    m = _ARCHIVED.search(s)
    if m:
        fields["note"] = f"Archived from the original on {m.group(1)}"
        s = s[: m.start()] + " " + s[m.end() :]
    m = _RETRIEVED.search(s)
    if m:
        year, iso = parse_date(m.group(1))
        fields["urldate"] = iso or year
        s = s[: m.start()] + " " + s[m.end() :]
    m = _DOI.search(s)
    if m:
        fields["doi"] = m.group(1)
        s = s[: m.start()] + " " + s[m.end() :]
    m = _URL.search(s)
    if m:
        fields["url"] = m.group(0)
        s = s[: m.start()] + " " + s[m.end() :]
    m = _ISBN.search(s)
    if m:
        isbn = normalise_isbn(m.group(1))
        if isbn is None:
            problems.append(f"invalid ISBN {m.group(1).strip()} (check digit): not written")
        else:
            fields["isbn"] = isbn
        s = s[: m.start()] + " " + s[m.end() :]
    for rx, name in ((_ISSN, "issn"), (_OCLC, "oclc")):
        m = rx.search(s)
        if m:
            fields[name] = m.group(1)
            s = s[: m.start()] + " " + s[m.end() :]
    thesis = ""
    m = _THESIS_PAREN.search(s)
    if m:
        thesis = "mastersthesis" if re.match(r"M", m.group("kind")) else "phdthesis"
        fields["school"] = m.group("school").strip()
        fields["year"] = m.group("year")
        s = s[: m.start()] + "()" + s[m.end() :]
    m = _THESIS.search(s) if not thesis else None
    if m:
        thesis = "mastersthesis" if m.group("ma") else "phdthesis"
        s = s[: m.start()] + " " + s[m.end() :]
    s = re.sub(r"\s*\((?:PDF|pdf|online)\)", "", s)
    while True:
        t = _TRAILING_DEBRIS.sub("", s)
        if t == s:
            break
        s = t
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s+([.,;:])", r"\1", s)
    s = re.sub(r",(?:\s*,)+", ",", s)
    s = re.sub(r"[,;]\s*\.", ".", s)
    s = re.sub(r"\.(?:\s*\.)+(?!\.)", ".", s).strip().rstrip(",;").strip()
    return s, fields, problems, thesis


# ---------------------------------------------------------------------------------------------
# segments

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})


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
            tok = m.group(1).lstrip("(\"'") if m else ""
            if tok.lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]|[A-Z][a-z]?", tok):
                continue
            segs.append(s[start:i].strip())
            start = i + 1
    if s[start:].strip():
        segs.append(s[start:].strip())
    return [g for g in segs if g]


def _title_end(t: str) -> str:
    """Drop a title's closing "." or "," but keep an abbreviation's ("U.S.")."""
    t = t.strip()
    if re.search(r"(?:\b[A-Z]\.){2,}$", t):
        return t
    return t.rstrip(".,").strip()


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        s = s[1:-1]
    return s.strip().rstrip(",.").strip()


def _classify_publisher(text: str, fields: dict[str, str]) -> None:
    """Fill publisher and/or address from "New York: Holt", "Springer", "Montreal"."""
    t = text.strip().strip(".,;").strip()
    if not t:
        return
    if ":" in t:
        addr, pub = (p.strip() for p in t.split(":", 1))
        if addr:
            fields["address"] = addr
        if pub:
            fields["publisher"] = re.sub(r"\s*;\s*", " and ", pub)
        return
    if PUBLISHER_WORD.search(t):
        fields["publisher"] = re.sub(r"\s*;\s*", " and ", t)
    elif t.lower() in PLACES or t.split(",")[0].strip().lower() in PLACES:
        fields["address"] = t
    else:
        fields["publisher"] = re.sub(r"\s*;\s*", " and ", t)


def _pub_paren(inner: str, fields: dict[str, str]) -> bool:
    """Parse "(Place: Publisher, Year)", "(Publisher, 2012)", "(1969)". True if it had a year."""
    inner = inner.strip()
    m = re.fullmatch(
        rf"(?:(?P<pub>.*?)[,;]?\s+)?(?P<date>(?:[A-Z][a-z]+\.?\s+)?(?:\d{{1,2}}\s+)?{YEAR}[a-z]?)\.?", inner
    )
    if not m:
        return False
    if not _set_date(fields, m.group("date")):
        return False
    if m.group("pub"):
        _classify_publisher(m.group("pub"), fields)
    return True


def _title_volume(title: str, fields: dict[str, str]) -> str:
    """Move a trailing ", Volume 2, Part 1" of a book title to volume/part."""
    m = re.search(r",?\s*(?:Volume|Vol\.?)\s*(\d+)(?:,?\s*(?:Part|Pt\.?)\s*(\d+))?$", title)
    if m and m.start() > 0:
        fields["volume"] = m.group(1)
        if m.group(2):
            fields["part"] = m.group(2)
        return title[: m.start()].strip()
    return title


def _edition(title: str, fields: dict[str, str]) -> str:
    m = re.search(r"\s*\(([^()]*?)\s+(?:ed\.|edition)\)$", title)
    if m:
        fields["edition"] = m.group(1)
        return title[: m.start()].strip()
    return title


# ---------------------------------------------------------------------------------------------
# journal and collection tails


def _journal_tail(after: str, fields: dict[str, str], have_year: bool = False) -> tuple[bool, str]:
    """Parse "Journal 43#3 (2010): 341–356", "Journal (2014) 42#4", "J, vol. 4, no. 2, 2001,
    pp. 3–9", "J 12, no. 3 (2001): 45–67, 52", "J, 12(3), 45–67" ... Returns (ok, locator)."""
    a = after.strip().rstrip(".").strip()
    m = re.match(r"^(?P<j>[^\d(]*?[^\d(\s,.])[\s,.]*(?P<tail>(?:\b(?:vol|no|nos|Vol|No)\.|\d|\().*)$", a)
    if not m:
        return False, ""
    journal, tail = m.group("j").strip(), m.group("tail")
    f: dict[str, str] = {}
    locator = ""
    ym = re.search(r"\(([^()]*\d{4}[^()]*)\)", tail)
    if ym:
        year, iso = parse_date(ym.group(1))
        if not year:
            return False, ""
        f["year"] = year
        if iso and "—" not in ym.group(1):
            f["date"] = iso
        tail = tail[: ym.start()] + " " + tail[ym.end() :]
    vm = re.search(
        r"(?:^|\s)(?:vol\.\s*)?(\d+)\s*(?:[.#]\s*(\d+)|\((\d+[–-]?\d*)\))?(?=[\s,:]|$)", tail, re.I
    )
    nm = re.search(r"\bnos?\.\s*(\d+(?:\s*[–-]\s*\d+)?)", tail, re.I)
    if nm:
        f["number"] = nm.group(1).replace("-", "–")
        tail = tail[: nm.start()] + " " + tail[nm.end() :]
        vm = re.search(r"(?:^|\s)(?:vol\.\s*)?(\d+)(?=[\s,:]|$)", tail, re.I)
    pm = re.search(r"(?::|\bpp?\.)\s*(\d+\s*(?:[–-]\s*\d+)?\+?)(?:\s*,\s*(\d+(?:\s*[–-]\s*\d+)?))?\s*$", tail)
    if pm:
        f["pages"] = normalise_pages(pm.group(1))
        if pm.group(2):
            locator = normalise_locator(pm.group(2))
        tail = tail[: pm.start()]
    elif re.search(r",\s*(\d+\s*[–-]\s*\d+)\s*$", tail):
        pm = re.search(r",\s*(\d+\s*[–-]\s*\d+)\s*$", tail)
        f["pages"] = normalise_pages(pm.group(1))
        tail = tail[: pm.start()]
    if "year" not in f:
        y2 = re.search(rf",\s*({YEAR})\b", tail)
        if y2:
            f["year"] = y2.group(1)
            tail = tail[: y2.start()] + " " + tail[y2.end() :]
        elif not (have_year and ("pages" in f or re.search(r"\d+\s*\(\d+\)", tail))):
            return False, ""
    vm = re.search(
        r"(?:^|\s|,)(?:vol\.\s*)?(\d+)\s*(?:[.#]\s*(\d+)|\((\d+[–-]?\d*)\))?(?=[\s,:]|$)", tail, re.I
    )
    if vm:
        f["volume"] = vm.group(1)
        if vm.group(2) or vm.group(3):
            f["number"] = vm.group(2) or vm.group(3)
    if not journal:
        return False, ""
    fields["journal"] = journal
    fields.update(f)
    return True, locator


def _collection_tail(after: str, fields: dict[str, str]) -> bool:
    """Parse what follows a chapter title: "in Eds, eds. Book (1978)", "in Book, Vol 1 in
    Eds, eds. (2010)", "In Book, edited by Eds (Place: Pub, 1978), 35–106", APA "In Eds (Eds.),
    Book (pp. 3–9). Pub.", CS1 "In Eds (ed.). Book. Pub."."""
    a = after.strip().rstrip(".")
    m = re.match(r"^[Ii]n:?\s+(?P<rest>.+)$", a)
    if not m:
        return False
    rest = m.group("rest")

    def pubinfo(text: str) -> None:
        text = text.strip().strip(".,").strip()
        pm = re.match(r"^\(([^()]*)\)(.*)$", text)
        if pm:
            _pub_paren(pm.group(1), fields)
            text = pm.group(2)
        text = text.strip().strip(".,").strip()
        pg = re.match(r"^(?:pp?\.\s*)?(\d+\s*[–-]\s*\d+)[.,]?\s*(.*)$", text)
        if pg:
            fields["pages"] = normalise_pages(pg.group(1))
            text = pg.group(2)
        text = text.strip().strip(".,").strip()
        if text:
            cm = re.fullmatch(rf"(.*?)[,.]?\s*({YEAR})", text)
            if cm:
                fields["year"] = cm.group(2)
                _classify_publisher(cm.group(1), fields)
            else:
                _classify_publisher(text, fields)

    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:Vol\.?|Volume)\s*(?P<vol>\d+)\s+in\s+(?P<eds>.+?),\s*eds?\.\s*(?P<pub>.*)", rest
    )
    if m and parse_names(m.group("eds")):
        fields.update(
            booktitle=m.group("book").strip(), volume=m.group("vol"), editor=parse_names(m.group("eds")) or ""
        )
        pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(
        r"(?P<eds>[^()]+?)\s*\((?:Eds?|eds?)\.?\)[.,]\s*(?P<book>.+?)\s*\(pp\.\s*(?P<pages>[^)]+)\)\.?\s*(?P<pub>.*)",
        rest,
    )
    if m and parse_names(m.group("eds")):
        fields.update(
            booktitle=m.group("book").strip(),
            editor=parse_names(m.group("eds")) or "",
            pages=normalise_pages(m.group("pages")),
        )
        pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(r"(?P<eds>[^()]+?)\s*\((?:eds?|Eds?)\.\)\.\s*(?P<rest>.+)", rest)
    if m and parse_names(m.group("eds")):  # CS1 "In Eds (ed.). Book. Publisher."
        segs = split_segments(m.group("rest"))
        fields.update(booktitle=segs[0], editor=parse_names(m.group("eds")) or "")
        for seg in segs[1:]:
            if re.fullmatch(r"pp?\.\s*\d+\s*[–-]\s*\d+", seg):
                fields["pages"] = normalise_pages(re.sub(r"^pp?\.\s*", "", seg))
            else:
                _classify_publisher(seg, fields)
        return True
    m = re.fullmatch(r"(?P<eds>[^.\"]+?),\s*eds?\.\s+(?P<book>.+?)\.?\s*(?P<pub>\([^()]*\))?\s*", rest)
    if m and parse_names(m.group("eds")):
        fields.update(booktitle=m.group("book").strip().rstrip("."), editor=parse_names(m.group("eds")) or "")
        if m.group("pub"):
            pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:ed\.|edited by)\s+(?P<eds>[^(,]+?)(?:\s*(?P<paren>\([^()]*\)))?(?:,\s*(?P<tail>.*))?",
        rest,
    )
    if m and parse_names(m.group("eds")):
        book = m.group("book").strip()
        vm = re.search(r",\s*(?:vol\.|volume)\s*(\d+)$", book, re.I)
        if vm:
            fields["volume"], book = vm.group(1), book[: vm.start()]
        fields.update(booktitle=book, editor=parse_names(m.group("eds")) or "")
        pubinfo(
            (m.group("paren") or "") + " " + (m.group("tail") or "")
            if m.group("paren")
            else (m.group("tail") or "")
        )
        return True
    return False


# ---------------------------------------------------------------------------------------------
# the main styles


def _after_quoted_title(title: str, after: str, fields: dict[str, str]) -> tuple[str, str]:
    """Entry type and locator for a quoted title followed by a container."""
    fields["title"] = title
    after = after.strip().lstrip(",.").strip()
    if not after:
        web = "url" in fields or "urldate" in fields or fields.get("note", "").startswith("Archived")
        return ("online" if web else "misc"), ""
    if re.match(r"^[Ii]n:?\s", after) and _collection_tail(after, fields):
        return "incollection", ""
    dm = re.fullmatch(
        r"(?P<c>[^\d]+?),\s+(?P<d>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})\.?",
        after,
    )
    if dm and parse_date(dm.group("d"))[1]:  # newspaper: "New York Times, May 15, 2014"
        _set_date(fields, dm.group("d"))
        if PERIODICAL_WORD.search(dm.group("c")):
            fields["journal"] = dm.group("c").strip()
            return "article", ""
        fields["organization"] = dm.group("c").strip()
        return "online", ""
    ok, loc = _journal_tail(after, fields, have_year="year" in fields)
    if ok:
        return "article", loc
    # CS1 / web: "Journal. 10 (2): 147–158.", "Paper. 25 Sep 1951.", "Website."
    segs = split_segments(after)
    container = segs[0].strip().rstrip(",")
    periodical = bool(PERIODICAL_WORD.search(container))
    dated = False
    for seg in segs[1:]:
        vm = re.fullmatch(r"(\d+)\s*(?:\((\w+)\))?\s*(?::\s*(\d+\s*(?:[–-]\s*\d+)?))?", seg)
        if vm and (vm.group(2) or vm.group(3)):
            fields["volume"] = vm.group(1)
            if vm.group(2):
                fields["number"] = vm.group(2)
            if vm.group(3):
                fields["pages"] = normalise_pages(vm.group(3))
            periodical = True
        elif re.fullmatch(r"pp?\.\s*\S+", seg):
            pass
        elif parse_date(seg)[0] and len(seg) <= 20:
            _set_date(fields, seg)
            dated = True
    if "issn" in fields or periodical:
        fields["journal"] = container
        return "article", ""
    if dated and PERIODICAL_WORD.search(container):
        fields["journal"] = container
        return "article", ""
    if container:
        fields["organization"] = container
    return "online", ""


def _book_tail(rest: str, fields: dict[str, str]) -> tuple[str, str]:
    """An unquoted title with publication data: "Title (Place, Year)", "Title (Series) (Year)
    annotation", "Title. Place: Publisher, Year.", "Title (Year)". Returns (type, annotation)."""
    rest = rest.strip()
    m = re.fullmatch(r"(?P<title>.+?)\s*(?P<groups>(?:\([^()]*\)[\s.,]*)+)(?P<tail>[^()]*)", rest)
    if m and re.search(r"\d{4}", m.group("groups")):
        groups = re.findall(r"\(([^()]*)\)", m.group("groups"))
        title = m.group("title").strip().rstrip(".,").strip()
        series = [g for g in groups[:-1]]
        if not _pub_paren(groups[-1], fields):
            return "", ""
        if series:
            sm = re.fullmatch(r"(?:Volume|Vol\.?|No\.?)\s*(\d+)\s+of\s+(.+)", series[0].strip())
            if sm:
                fields["series"], fields["number"] = sm.group(2).strip(), sm.group(1)
            else:
                fields["series"] = series[0].strip()
        fields["title"] = _title_volume(title, fields)
        return "book", m.group("tail").strip(" ,.;")
    segs = split_segments(rest)
    if len(segs) >= 2:
        pm = re.fullmatch(rf"(?P<pub>.+?),\s*(?P<year>{YEAR})", segs[-1].strip().rstrip("."))
        if pm:
            fields["title"] = _title_volume(". ".join(segs[:-1]).strip(), fields)
            fields["year"] = pm.group("year")
            _classify_publisher(pm.group("pub"), fields)
            return "book", ""
    m = re.fullmatch(rf"(?P<title>.+?),\s*(?P<year>{YEAR})\.?", rest)
    if m:
        fields["title"] = m.group("title").strip()
        fields["year"] = m.group("year")
        return "book", ""
    return "", ""


def _cs1_segments(segs: list[str], fields: dict[str, str], thesis: str) -> tuple[str, str]:
    """CS1 after "Authors (Date).": "Title. Place: Publisher." / "Eds (ed.). Title (x ed.).
    (Volume 13 of Series). Publisher." / '"Title". Journal. 10 (2): 147–158.'"""
    if not segs:
        return "misc", ""
    if segs[0].startswith('"'):
        m = re.match(r'^"([^"]+)"\s*(.*)$', segs[0])
        if m:
            after = ". ".join(([m.group(2)] if m.group(2) else []) + segs[1:])
            return _after_quoted_title(_title_end(m.group(1)), after, fields)
    i = 0
    m = re.fullmatch(r"(.+?)\s*\((?:eds?|Eds?)\.\)", segs[0])
    if m and len(segs) > 1:
        eds = parse_names(m.group(1))
        if eds:
            fields["editor"] = eds
            i = 1
    if i < len(segs):
        fields["title"] = _title_volume(_edition(segs[i], fields), fields)
        i += 1
    if i < len(segs) and re.match(r"^In:?\s", segs[i]):
        if _collection_tail(". ".join(segs[i:]), fields):
            return "incollection", ""
    if i < len(segs) and "year" in fields:
        jf: dict[str, str] = {}
        ok, loc = _journal_tail(segs[i], jf, have_year=True)
        if ok and ("volume" in jf or "pages" in jf):
            fields.update(jf)
            return "article", loc
    for seg in segs[i:]:
        sm = re.fullmatch(r"\((?:Volume|Vol\.?|No\.?)\s*(\d+)\s+of\s+(.+)\)", seg)
        if sm:
            fields["series"], fields["number"] = sm.group(2).strip(), sm.group(1)
        elif re.fullmatch(r"\(([^()]+)\)", seg):
            fields["series"] = seg.strip("()")
        elif re.fullmatch(rf"{YEAR}", seg) or (parse_date(seg)[1] and len(seg) <= 20):
            if "year" not in fields:
                _set_date(fields, seg)
        elif re.fullmatch(r"pp?\.\s*.+", seg):
            continue
        else:
            _classify_publisher(seg, fields)
    if thesis:
        if "publisher" in fields:
            fields["school"] = fields.pop("publisher")
        return thesis, ""
    if "publisher" in fields or "isbn" in fields or "year" in fields:
        return "book", ""
    return "misc", ""


_NAME_TOK = r"(?:[A-Z]\.(?:\s?[A-Z]\.)*|[A-Z][\w'’\-]+)"
_PERSON = rf"{_NAME_TOK}(?:\s+{_NAME_TOK}){{1,3}}"
_PERSONS = rf"{_PERSON}(?:\s+and\s+{_PERSON})?"
_EMBEDDED = [
    # "G. Patrick March, 'Eastern Destiny: ..., 1996"
    re.compile(
        rf"(?P<auth>{_PERSONS}),\s*(?P<title>['\"‘“]?[A-Z][^()]*?),\s*(?P<year>{YEAR})(?=[.,;]?\s*(?:$|\)|[a-z(]))"
    ),
    # "John Bell, (Travels from ..., Edinburgh,1808 and OCR reprint)"
    re.compile(rf"(?P<auth>{_PERSONS}),\s*\((?P<inner>[^()]*?{YEAR}[^()]*)\)"),
]


def _embedded(m: re.Match[str]) -> Reference | None:
    auth = parse_names(m.group("auth"))
    if not auth:
        return None
    fields: dict[str, str] = {"author": auth}
    if "inner" in m.groupdict() and m.group("inner"):
        im = re.fullmatch(
            rf"(?P<title>.+?),\s*(?:(?P<place>[^,]+?),\s*)?(?P<year>{YEAR})\s*(?P<extra>.*)", m.group("inner")
        )
        if not im:
            return None
        fields["title"] = im.group("title").strip()
        if im.group("place"):
            _classify_publisher(im.group("place"), fields)
        fields["year"] = im.group("year")
        extra = re.sub(r"^(?:and|with|;|,)\s+", "", im.group("extra").strip(" ,;"))
        if extra:
            fields["note"] = extra
    else:
        fields["title"] = m.group("title").strip().lstrip("'\"‘“").rstrip("'\"’”").strip()
        fields["year"] = m.group("year")
    return Reference("book", _ordered(fields), raw=m.group(0))


def _is_commentary(s: str) -> bool:
    bare = re.sub(r'"[^"]*"|\([^()]*\)', " ", s)
    bare = re.sub(r"(?<!\w)'[^']*'(?!\w)", " ", bare)
    return bool(COMMENTARY_WORD.search(bare)) and len(bare.split()) >= 5


def _surname_first(s: str) -> tuple[str, str, bool] | None:
    """Split "Family, Given[, and Given Family][, ed.]. Rest" into (names, rest, editor)."""
    m = re.match(r"^([^,.\"()]+),\s+", s)
    if not m or len(m.group(1).split()) > 3 or not all(_is_name_token(t) for t in m.group(1).split()):
        return None
    toks = s[m.end() :].split(" ")
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
        if not core or not _is_name_token(core) or (core.lower() in PARTICLES and not given):
            if t.startswith('"') or t.startswith("“"):
                break
            return None
        given.append(t)
        i += 1
        nxt = toks[i] if i < len(toks) else ""
        if t.endswith(","):
            if nxt in ("and", "&"):
                continue
            if re.fullmatch(r"eds?\.", nxt):
                editor = True
                i += 1
                break
            break
        if t.endswith(".") and not _is_initial(t):
            break
        if _is_initial(t) and not _is_initial(nxt.rstrip(",")) and nxt not in ("and", "&"):
            if re.fullmatch(r"[A-Z][a-z]+\.", nxt):  # "Fravel, M. Taylor. Title"
                given.append(nxt)
                i += 1
            break
    if not given:
        return None
    names_text = m.group(1) + ", " + " ".join(given)
    names = parse_names(names_text.rstrip(","))
    if not names:
        return None
    rest = " ".join(toks[i:]).strip()
    return names, rest, editor


def _finish(ref: Reference, trail: str) -> Reference:
    """Decide whether trailing pages are the work's own range or the citation's locator."""
    if trail:
        if (
            ref.entry_type in ("article", "incollection", "inproceedings")
            and "pages" not in ref.fields
            and ref.kind == "full"
            and re.fullmatch(r"(?:pp?\.?\s*)?\d+\s*[–-]\s*\d+\+?", trail)
        ):
            ref.fields["pages"] = normalise_pages(re.sub(r"^pp?\.?\s*", "", trail))
        elif not ref.locator:
            ref.locator = normalise_locator(trail)
    ref.fields = _ordered(ref.fields)
    return ref


FIELD_ORDER = [
    "author",
    "editor",
    "title",
    "booktitle",
    "journal",
    "edition",
    "series",
    "volume",
    "part",
    "number",
    "pages",
    "school",
    "organization",
    "address",
    "publisher",
    "year",
    "date",
    "isbn",
    "issn",
    "oclc",
    "doi",
    "url",
    "urldate",
    "note",
    "annotation",
]


def _ordered(fields: dict[str, str]) -> dict[str, str]:
    out = {k: fields[k] for k in FIELD_ORDER if fields.get(k)}
    for k in sorted(fields):
        if k not in out and fields[k]:
            out[k] = fields[k]
    return out


def _none(raw: str, why: str) -> Reference:
    clean = "".join(c if c.isprintable() or c in "\n\t" else " " for c in raw).strip()
    warnings.warn(f"not a reference ({why}): {clean[:80]!r}", ReferenceWarning, stacklevel=3)
    return Reference("misc", {"note": clean} if clean else {}, kind="none", raw=raw, problems=[why])


_TRAIL_LOC = re.compile(
    r"(?:^|(?<=[\s.,;:)]))(?P<loc>(?:pp?\.?\s*|pages?\s+)(?:\d[\dA-Za-z]*|[ivxlc]+)(?:\s*[–—-]\s*(?:\d+|[ivxlc]+)?)?"
    r"(?:\s*,\s*\d+(?:\s*[–—-]\s*\d*)?)*(?:\s*ff?\.?)?\+?)[\s.,]*$"
)
_BARE_LOC = re.compile(
    r"(?<=[)\"])\s*,\s*(?P<loc>\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)\s*\.?$"
)


def parse_reference(text: str) -> Reference:
    """Parse one reference string. Never raises: a string that is not a reference comes back as
    ``kind == "none"`` (a @misc with the raw text in ``note``) and a ``ReferenceWarning``."""
    raw = text
    if not text or not text.strip():
        return _none(raw, "empty")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        return _none(raw, "control characters")
    s = re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()
    prefix = ""
    pm = CITE_PREFIX.match(s)
    if pm:
        prefix, s = pm.group(1).lower().rstrip(","), s[pm.end() :]
    s, extras, problems, thesis = _extract_extras(s)
    if not s:
        return _none(raw, "nothing but identifiers or debris")
    ref = _parse_clean(s, extras, thesis)
    if ref is None:
        return _none(raw, "no recognisable reference")
    ref.raw, ref.prefix = raw, prefix
    ref.problems = problems + ref.problems
    year = ref.fields.get("year", "")
    if "isbn" in ref.fields and year.isdigit() and int(year) < 1970:
        ref.problems.append(
            f"ISBN {ref.fields.pop('isbn')} given for a work of {year} (ISBNs date from 1970): not written"
        )
    return ref


def _parse_clean(s: str, extras: dict[str, str], thesis: str) -> Reference | None:
    if re.fullmatch(r"(?i)ibid\.?(?:,\s*(.*))?", s):
        m = re.fullmatch(r"(?i)ibid\.?(?:,\s*(.*))?", s)
        return Reference("misc", {}, normalise_locator(m.group(1) or ""), kind="ibid")
    trail = ""
    m = _TRAIL_LOC.search(s)
    if m and m.start() > 0:
        trail, s = m.group("loc"), s[: m.start()].rstrip(" ,.;:")
    else:
        m = _BARE_LOC.search(s)
        if m:
            trail, s = m.group("loc"), s[: m.start()]
    s = s.replace("()", "").strip(" ,")
    fields: dict[str, str] = dict(extras)

    pm = re.fullmatch(r"\(([^()]+)\)\.?", s)
    if pm:
        s = pm.group(1)
    sm = re.fullmatch(
        rf"(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),?\s+(?P<year>{YEAR})[a-z]?[,:]\s*(?P<loc>\d+(?:\s*[–-]\s*\d+)?)\.?",
        s,
    )
    if sm and not trail and not extras:
        names = parse_names(sm.group("names"))
        if names:
            return _finish(
                Reference("misc", {"author": names, "year": sm.group("year")}, kind="short"), sm.group("loc")
            )
    sm = re.fullmatch(
        r"(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),\s*(?P<title>\"[^\"]+\"|[^\"(),]+?),\s*(?P<loc>\d+(?:\s*[–-]\s*\d+)?)\.?",
        s,
    )
    if sm and not trail and not extras and not re.search(r"\d{4}", s):
        names = parse_names(sm.group("names"))
        if names:
            ref = Reference("misc", {"author": names, "title": _unquote(sm.group("title"))}, kind="short")
            return _finish(ref, sm.group("loc"))
    # short cites: "Deasy 1901", "Ananich and Lebedev, "Sergei Witte"", "Perdue, China Marches West"
    sm = re.fullmatch(
        rf"\(?(?P<names>(?:[^\W\d_][\w'’\-]*\s+)*?[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),?\s+\(?(?P<year>{YEAR})[a-z]?\)?[.,]?",
        s,
    )
    if (
        sm
        and all(
            _is_name_token(t)
            for t in sm.group("names").replace("et al.", "").split()
            if t not in ("and", "&")
        )
        and len(sm.group("names").split()) <= 4
        and not extras
    ):
        names = parse_names(sm.group("names"))
        if names and all("," not in n for n in names.split(" and ")):
            return _finish(
                Reference("misc", {"author": names, "year": sm.group("year")}, kind="short"), trail
            )
    sm = re.fullmatch(
        r"(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),\s*(?P<title>\"[^\"]+\"|[^\"(),]+?)[.,]?",
        s,
    )
    if sm and not re.search(r"\d{4}", s) and not extras and trail:
        names = parse_names(sm.group("names"))
        if names:
            title = _unquote(sm.group("title"))
            return _finish(Reference("misc", {"author": names, "title": title}, kind="short"), trail)

    # CS1: "Authors (Date). Rest"
    m = re.match(r"^(?P<auth>[^\"()]+?)\s*\((?P<date>[^()]*?\d{4}[^()]*?)\)\.\s*(?P<rest>.+)$", s)
    if m and parse_date(m.group("date"))[0]:
        auth = parse_names(m.group("auth"), allow_corporate=True)
        if auth:
            fields["author"] = auth
            _set_date(fields, m.group("date"))
            etype, loc = _cs1_segments(split_segments(m.group("rest")), fields, thesis)
            return _finish(Reference(etype, fields, loc), trail)

    # '"Title". Container. Date.'
    m = re.match(r'^"(?P<title>[^"]+)"\.?\s*(?P<rest>.*)$', s)
    if m:
        etype, loc = _after_quoted_title(_title_end(m.group("title")), m.group("rest"), fields)
        return _finish(Reference(etype, fields, loc), trail)

    # given-first names: 'B. V. Ananich and S. A. Lebedev, "Title." Journal ...', 'R. A. Pierce, Title (Place, Year)'
    m = re.match(r'^(?P<auth>[^,"()]+?)(?:,\s*|\.\s+(?="))(?P<rest>.+)$', s)
    if m:
        auth_text = m.group("auth")
        persons = re.split(r"\s+(?:and|&)\s+", auth_text)
        if all(len(p.split()) >= 2 for p in persons):
            auth = parse_names(auth_text)
            if auth:
                r = _body(m.group("rest"), dict(fields, author=auth), thesis)
                if r:
                    return _finish(r, trail)

    # surname-first: 'Lüthi, Lorenz M. Title (2008)', 'Westad, Odd Arne, ed. Title (1998)'
    sf = _surname_first(s)
    if sf:
        names, rest, editor = sf
        f = dict(fields)
        f["editor" if editor else "author"] = names
        cm = re.match(r"^\((?P<date>[^()]*\d{4}[^()]*)\)\.\s*(?P<rest>.+)$", rest)
        if cm:  # "Elleman, Bruce (2016). Title. Publisher."
            _set_date(f, cm.group("date"))
            etype, loc = _cs1_segments(split_segments(cm.group("rest")), f, thesis)
            return _finish(Reference(etype, f, loc), trail)
        am = re.match(r"^\((?P<date>[^()]*\d{4}[^()]*)\)\.?\s*(?P<rest>.+)$", rest)
        if am:  # APA: "Smith, J. (2001). Title. Publisher."
            _set_date(f, am.group("date"))
            etype, loc = _cs1_segments(split_segments(am.group("rest")), f, thesis)
            return _finish(Reference(etype, f, loc), trail)
        r = _body(rest, f, thesis)
        if r:
            return _finish(r, trail)

    # no author: "Title, Volume 1. 1878." / "Title. Publisher, Year." / a bare title
    segs = split_segments(s)
    if len(segs) >= 2 and any(re.fullmatch(rf"{YEAR}", g) or parse_date(g)[1] for g in segs[1:]):
        etype, loc = _cs1_segments(segs, fields, thesis)
        return _finish(Reference(etype, fields, loc), trail)
    f = dict(fields)
    etype, annotation = _book_tail(s, f)
    if etype:
        if annotation:
            f["annotation"] = annotation
        return _finish(Reference(etype, f), trail)
    if _is_commentary(s) or (
        not s[0].isupper() and not s[0].isdigit() and unicodedata.category(s[0]) != "Lo"
    ):
        return None
    if len(s.split()) >= 2 and not re.search(r"[.;]\s", s):
        fields["title"] = s.rstrip(".")
        return _finish(
            Reference("misc", fields, problems=["a bare title: no author, year or publisher"]), trail
        )
    return None


def _body(rest: str, fields: dict[str, str], thesis: str) -> Reference | None:
    """What follows the author part of a free-form or reading-list reference."""
    rest = rest.strip()
    m = re.match(r'^"(?P<title>[^"]+)"\s*[.,]?\s*(?P<after>.*)$', rest)
    if m:
        etype, loc = _after_quoted_title(_title_end(m.group("title")), m.group("after"), fields)
        if etype == "misc" and not m.group("after").strip():
            if not thesis:
                return None
            etype = thesis
        return Reference(etype, fields, loc)
    etype, annotation = _book_tail(rest, fields)
    if etype:
        if thesis:
            etype = thesis
            if "publisher" in fields:
                fields["school"] = fields.pop("publisher")
        if annotation:
            fields["annotation"] = annotation
        return Reference(etype, fields)
    return None


# ---------------------------------------------------------------------------------------------
# notes


def parse_note(text: str) -> list[str | Reference]:
    """Split a note into commentary text and references, in order.

    A note that is only a reference gives ``[Reference]``; several references separated by
    ";" give one each; a note with commentary gives text pieces around the references found in
    it ("... a summary of G. Patrick March, 'Eastern Destiny ..., 1996, who ..."); continuation
    lines after a reference (a quoted passage) become text after it, led by ". ".
    """
    lines = [ln for ln in text.split("\n")]
    first = lines[0].strip()
    passage = " ".join(ln.strip() for ln in lines[1:] if ln.strip() and not is_debris(ln))
    parts: list[str | Reference] = []
    if _is_commentary(first) and not _looks_like_cs1(first):
        pos = 0
        for rx in _EMBEDDED:
            for m in rx.finditer(first):
                ref = _embedded(m)
                if ref is None or m.start() < pos:
                    continue
                parts.append(first[pos : m.start()])
                parts.append(ref)
                pos = m.end()
            if pos:
                break
        parts.append(first[pos:])
        parts = [p for p in parts if not (isinstance(p, str) and not p)]
        if not any(isinstance(p, Reference) for p in parts):
            parts = [first]
    else:
        pieces = _split_semicolons(first)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            refs = [parse_reference(p) for p in pieces] if len(pieces) > 1 else []
        if refs and all(
            r.kind == "short" or (r.kind == "full" and r.entry_type != "misc" and "year" in r.fields)
            for r in refs
        ):
            parts = list(refs)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ref = parse_reference(first)
            if ref.kind == "none":
                parts = [first]
            else:
                for w in caught:
                    warnings.warn(w.message, w.category, stacklevel=2)
                parts = [ref]
    if passage:
        if parts and isinstance(parts[-1], Reference):
            parts.append(". " + passage)
        else:
            parts.append(" " + passage)
    return parts


def _looks_like_cs1(s: str) -> bool:
    return bool(re.match(r"^[^\"()]+?\s*\([^()]*\d{4}[^()]*\)\.\s", s))


def _split_semicolons(s: str) -> list[str]:
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


def benchmark(strings: list[str], rounds: int = 1) -> float:
    """Seconds taken to parse ``strings`` ``rounds`` times (for the performance check)."""
    import time

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rounds):
            for s in strings:
                parse_reference(s)
    return time.perf_counter() - t0
