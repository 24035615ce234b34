"""BibTeX and BibLaTeX fields to CSL-JSON (no Sphinx).

Type mapping (BibTeX/BibLaTeX → CSL):

==========================================  =====================================================
``@book``, ``@proceedings``, ``@collection``  ``book``
``@article``                                ``article-journal``; ``article-newspaper`` with
                                            ``entrysubtype = {newspaper}``, ``article-magazine``
                                            with ``entrysubtype = {magazine}``
``@incollection``, ``@inbook``              ``chapter`` (``booktitle`` → container-title)
``@inproceedings``, ``@conference``         ``paper-conference``
``@phdthesis``, ``@mastersthesis``,         ``thesis`` (genre "PhD diss." / "Master's thesis",
``@thesis``                                 or the ``type`` field)
``@techreport``, ``@report``                ``report``
``@online``, ``@www``, ``@electronic``      ``webpage`` (``organization``, the website's name,
                                            → container-title, its capitalisation kept; a bare
                                            domain name stays the publisher)
``@misc``                                   ``webpage`` when it has a ``url``, else ``document``
``@unpublished``                            ``manuscript``
``@booklet``                                ``pamphlet``
anything else                               ``document``
==========================================  =====================================================

Names ("Last, First and Last, First", "First von Last") become CSL name objects; a name
wholly in braces (``{International Council of Scientific Unions}``) is a ``literal`` name; a
lone initial gets its period ("Peter C" is "Peter C."). LaTeX in field values (``\\&``,
``{\\'e}``, ``--``) is decoded to Unicode, except in ``url``, ``doi``, ``isbn`` and ``urldate``.
BibLaTeX's ``date`` (ISO 8601, ranges, open ends, ``~`` and ``?``), ``journaltitle``,
``location``, ``urldate``, ``origdate``, ``bookauthor``, ``pagetotal``, ``eventtitle`` and the
``*subtitle`` fields are read. As biber and Pandoc read them: ``maintitle`` is the multivolume
work (a volume's own title its ``volume-title``), a ``@collection``'s own ``booktitle`` is no
container, a journal's ``series`` is "3rd ser." or "new series", an ``eprint`` of a known
``eprinttype`` (arXiv, JSTOR, handle, PubMed) gives the URL, and the literal lists
(``location``, ``publisher``) of three or more print "A; B; C".
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from .latex import PROTECTED, decode, decode_protected, keep_lowercase_prepositions
from .names import normalize_given
from .shorttitle import short_title

__all__ = ["LANGUAGES", "MONTHS", "TYPE_MAP", "fields_to_csl"]

# citeproc formatting markers live in this Unicode private-use range (see csl.py): never in data
_PRIVATE = re.compile("[\ue000-\ue0ff]")

TYPE_MAP: dict[str, str] = {
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "article": "article-journal",
    "incollection": "chapter",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "inreference": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "unpublished": "manuscript",
    "booklet": "pamphlet",
    "manual": "report",
    "periodical": "periodical",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
}
NAME_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}
# BibTeX field → CSL variable, for plain text fields
TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "subtitle": None,
    "journal": "container-title",
    "journaltitle": "container-title",
    "volume": "volume",
    "pages": "page",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "volumes": "number-of-volumes",
    "note": "note",
    "series": "collection-title",
    "chapter": "chapter-number",
    "type": "genre",
    "language": "language",
    "howpublished": "medium",
    "eprint": None,
    "abstract": None,
    "keywords": None,
    "annote": "annote",
    "annotation": "annote",
    "part": "part-number",
    "file": None,
    "addendum": "note",
    "pagetotal": "number-of-pages",
    "eventtitle": "event-title",
    "venue": "event-place",
    "origlocation": "original-publisher-place",
    "origpublisher": "original-publisher",
    "version": "version",
}
RAW_FIELDS = {"url": "URL", "doi": "DOI", "isbn": "ISBN", "issn": "ISSN"}
#: month names and abbreviations (BibTeX's, and the reference parser's) -> 1..12
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


# BibLaTeX langid / babel names → BCP 47 (CSL applies title case to English items only)
LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "british": "en-GB",
    "russian": "ru",
    "german": "de",
    "ngerman": "de",
    "french": "fr",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "spanish": "es",
    "italian": "it",
    "polish": "pl",
    "ukrainian": "uk",
    "latin": "la",
    "portuguese": "pt",
    "dutch": "nl",
    "swedish": "sv",
    "mongolian": "mn",
}


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    return bool(letters) and latin * 2 < len(letters)


def _names(value: str) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}") and _balanced_group(raw):
            result.append({"literal": decode(raw[1:-1])})
            continue
        if raw.lower() == "others":
            continue  # "and others": CSL styles add "et al." themselves when they shorten
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except InvalidNameError:
            result.append({"literal": decode(raw)})
            continue
        name: dict[str, str] = {}
        if parts.last:
            name["family"] = decode(" ".join(parts.last))
        if parts.first:
            name["given"] = normalize_given(decode(" ".join(parts.first)))
        if parts.von:
            name["non-dropping-particle"] = decode(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = decode(" ".join(parts.jr))
        result.append(name or {"literal": decode(raw)})
    return result


def _balanced_group(text: str) -> bool:
    """True if the braces opened at text[0] close only at text[-1]."""
    depth = 0
    for i, char in enumerate(text):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


_ISO = re.compile(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T[\d:.Z+-]*)?")


def _edtf(date: str) -> dict[str, Any]:
    """A BibLaTeX ``date``: ISO 8601 (``1905-09-05``), a range (``1990/1991``, open ``1990/``),
    approximate or uncertain (``1905~``, ``1905?``); anything else is kept as a literal date."""
    circa = bool(re.search(r"[~?%]", date))
    parts: list[list[int]] = []
    for piece in re.sub(r"[~?%]", "", date).split("/")[:2]:
        piece = piece.strip()
        if piece in ("", ".."):
            parts.append([])
            continue
        numbers = _ISO.fullmatch(piece)
        if not numbers:
            return {"literal": decode(date)}
        parts.append([int(n) for n in numbers.groups() if n])
    if not parts or not parts[0]:
        return {"literal": decode(date)}
    result: dict[str, Any] = {"date-parts": [p for p in parts if p]}  # an open end is left out
    if circa:
        result["circa"] = True
    return result


def _date(year: str | None, month: str | None, day: str | None, date: str | None) -> dict[str, Any] | None:
    if date and date.strip():
        return _edtf(date.strip())
    if not year:
        return None
    if not re.fullmatch(r"-?\d{1,4}", year.strip()):
        return {"literal": decode(year)}
    part = [int(year)]
    if month:
        number = MONTHS.get(month.strip().lower().rstrip("."))
        if number is None and month.strip().isdigit():
            number = int(month)
        if number and 1 <= number <= 12:
            part.append(number)
            if day and day.strip().isdigit():
                part.append(int(day))
    return {"date-parts": [part]}


def _csl_type(entry_type: str, fields: dict[str, str]) -> str:
    if entry_type == "misc":
        return "webpage" if "url" in fields else "document"
    subtype = fields.get("entrysubtype", "").strip().lower()
    if entry_type == "article" and subtype in ("newspaper", "magazine"):
        return f"article-{subtype}"
    return TYPE_MAP.get(entry_type, "document")


#: biblatex's literal lists: items separated by "and" (braces protect an "and" in a name)
LIST_FIELDS = {"location", "address", "publisher", "origlocation", "origpublisher"}


def _list(value: str) -> str:
    """A literal list of three or more items with semicolons, as Pandoc prints it, in any
    language: "München; Berlin; New York". Two items stay as written, as biblatex prints them
    ("Westport, Conn. and London"): a publisher's "Henry Holt and Company" is no list."""
    items, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            items.append(value[start : match.start()].strip())
            start = match.end()
    items = [*items, value[start:].strip()]
    return value if len(items) < 3 else "; ".join(items)


def _has(fields: dict[str, str], name: str) -> bool:
    return bool(fields.get(name, "").strip())


def _copy_fields(item: dict[str, Any], fields: dict[str, str]) -> None:
    """Names, text and identifier fields; the title with its subtitle and its short form."""
    for bib_name, csl_name in NAME_FIELDS.items():
        if _has(fields, bib_name):
            item[csl_name] = _names(fields[bib_name])
    for bib_name, text_name in TEXT_FIELDS.items():
        if text_name and _has(fields, bib_name):
            value = _list(fields[bib_name]) if bib_name in LIST_FIELDS else fields[bib_name]
            item.setdefault(text_name, decode_protected(value) if text_name in PROTECTED else decode(value))
    _join(item, "title", fields, "subtitle", "titleaddon")
    for bib_name, csl_name in RAW_FIELDS.items():
        if _has(fields, bib_name):
            item[csl_name] = _PRIVATE.sub("", fields[bib_name].strip())
    if "title-short" not in item and item.get("title"):
        item["title-short"] = short_title(item["title"])  # at most four words (CMOS 14.30)
    if "page" in item:
        item["page"] = item["page"].replace("–", "-")
    _container(item, fields)


#: CSL types that are a part of another work (their ``booktitle`` is the work they are in)
_PARTS = {"chapter", "paper-conference", "entry-dictionary", "entry-encyclopedia"}


def _container(item: dict[str, Any], fields: dict[str, str]) -> None:
    """The book a chapter is in, the multivolume work a volume belongs to (as Pandoc maps
    them: ``maintitle`` is the work, the volume's own title its ``volume-title``), a journal's
    subtitle; the original and the event dates. A book's own ``booktitle`` (a ``@collection``
    that gives it for its chapters to inherit) is no container."""
    part = item["type"] in _PARTS
    if _has(fields, "maintitle"):
        main = decode_protected(fields["maintitle"])
        if part and _has(fields, "booktitle"):
            item["volume-title"] = decode_protected(fields["booktitle"])
            _join(item, "volume-title", fields, "booksubtitle", "booktitleaddon")
            item["container-title"] = main
            _join(item, "container-title", fields, "mainsubtitle", "maintitleaddon")
        elif part:
            item.setdefault("container-title", main)
        elif "title" in item:
            item["volume-title"], item["title"] = item["title"], main
            _join(item, "title", fields, "mainsubtitle", "maintitleaddon")
    elif part and _has(fields, "booktitle"):
        item["container-title"] = decode_protected(fields["booktitle"])
        _join(item, "container-title", fields, "booksubtitle", "booktitleaddon")
    elif not part:
        _join(item, "container-title", fields, "journalsubtitle")
    for bib_name, csl_name in (
        ("origyear", "original-date"),
        ("origdate", "original-date"),
        ("eventdate", "event-date"),
    ):
        if _has(fields, bib_name):
            item[csl_name] = _edtf(fields[bib_name].strip())


def _join(item: dict[str, Any], name: str, fields: dict[str, str], *more: str) -> None:
    """``title: subtitle`` (and a title addition after a period) for a title present."""
    if name not in item:
        return
    subtitle, addon = (fields.get(m, "").strip() for m in (*more, "")[:2])
    if subtitle:
        item[name] = f"{item[name]}: {decode_protected(subtitle)}"
    if addon:
        item[name] = f"{item[name]}. {decode_protected(addon)}"


#: biblatex's ``series`` keys for a journal's series (English, as biblatex's english.lbx)
_SERIES_KEYS = {"newseries": "new series", "oldseries": "old series"}


def _series(item: dict[str, Any]) -> None:
    """A journal article's ``series`` as biblatex prints it: ``3`` is "3rd ser.", the key
    ``newseries`` "new series"."""
    series = item.get("collection-title", "")
    if not item["type"].startswith("article") or not series:
        return
    if series.strip().isdigit():
        n = int(series)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        item["collection-title"] = f"{n}{suffix} ser."
    else:
        item["collection-title"] = _SERIES_KEYS.get(series.strip().lower(), series)


#: ``eprinttype`` (or arXiv's ``archiveprefix``) → the address of an e-print, as biblatex links it
_EPRINT = {
    "arxiv": "https://arxiv.org/abs/{}",
    "jstor": "https://www.jstor.org/stable/{}",
    "hdl": "https://hdl.handle.net/{}",
    "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/{}",
    "googlebooks": "https://books.google.com/books?id={}",
}


def _eprint(item: dict[str, Any], fields: dict[str, str]) -> None:
    """An e-print (``eprint`` with ``eprinttype = {arxiv}``, ``{jstor}``, ``{hdl}`` ...): its
    address, where the entry has no ``url`` of its own."""
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    eprint = fields.get("eprint", "").strip()
    if eprint and kind in _EPRINT and "URL" not in item:
        item["URL"] = _EPRINT[kind].format(_PRIVATE.sub("", eprint))


def _number(item: dict[str, Any], fields: dict[str, str]) -> None:
    """``number``: an article's issue, a series' number, or a report's number."""
    if not _has(fields, "number"):
        return
    number = decode(fields["number"])
    if item["type"].startswith("article"):
        item["issue"] = number
    elif "series" in fields:
        item["collection-number"] = number
    else:
        item["number"] = number


#: a bare domain name ("www.chinadaily.com.cn"): an address, not a title
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def _publisher(item: dict[str, Any], fields: dict[str, str], entry_type: str) -> None:
    """A thesis' genre; the school, institution or organization as publisher, except a web
    page's ``organization`` that names the website: its container (CMOS 14.104), with the
    site's own capitalisation ("Encyclopedia Britannica"). A bare domain name is no title: it
    stays the publisher, which Chicago styles print where the site goes, roman and as given."""
    organization = fields.get("organization", "").strip()
    site = item["type"] == "webpage" and "container-title" not in item
    if site := site and bool(organization) and not _DOMAIN.fullmatch(organization):
        item["container-title"] = decode_protected("{" + fields["organization"].strip() + "}")
    if item["type"] == "thesis":  # @thesis names no degree: its type field ("thesis") is all there is
        genre = {"phdthesis": "PhD diss.", "mastersthesis": "Master’s thesis"}.get(entry_type, "")
        item.setdefault("genre", genre)
        if not item["genre"]:
            del item["genre"]
    for institution in ("school", "institution", "organization"):
        if (
            _has(fields, institution)
            and "publisher" not in item
            and not (site and institution == "organization")
        ):
            item["publisher"] = decode(fields[institution])


def _language_and_dates(item: dict[str, Any], fields: dict[str, str]) -> None:
    language = (fields.get("langid") or fields.get("language") or "").strip().lower()
    if language:
        item["language"] = LANGUAGES.get(language, language)
    elif _mostly_non_latin(item.get("title", "")):
        item["language"] = "und"  # not English: styles must not title-case it
    issued = _date(fields.get("year"), fields.get("month"), fields.get("day"), fields.get("date"))
    if issued:
        item["issued"] = issued
    accessed = fields.get("urldate", "").strip()
    if accessed:
        item["accessed"] = _date(None, None, None, accessed) or {"literal": accessed}


def fields_to_csl(key: str, entry_type: str, fields: dict[str, str]) -> dict[str, Any]:
    """One entry (its key, type and fields, names lowercase, crossref and xdata resolved) → a
    CSL-JSON item (its ``id`` is the key)."""
    entry_type = entry_type.lower()
    item: dict[str, Any] = {"id": key, "type": _csl_type(entry_type, fields)}
    _copy_fields(item, fields)
    _number(item, fields)
    _series(item)
    _eprint(item, fields)
    _publisher(item, fields, entry_type)
    _language_and_dates(item, fields)
    for name in ("title", "title-short") if str(item.get("language", "en")).startswith("en") else ():
        if name in item:  # English titles, which CSL styles title-case
            item[name] = keep_lowercase_prepositions(item[name])
    return item
