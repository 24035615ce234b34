"""Read .bib files with bibtexparser v2 and convert their entries to CSL-JSON (no Sphinx).

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
wholly in braces (``{International Council of Scientific Unions}``) is a ``literal`` name.
LaTeX in field values (``\\&``, ``{\\'e}``, ``--``) is decoded to Unicode, except in ``url``,
``doi``, ``isbn`` and ``urldate``.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from .latex import PROTECTED, decode, decode_protected, keep_lowercase_prepositions
from .shorttitle import short_title

__all__ = ["MONTHS", "BibDatabase", "BibProblem", "entry_to_csl", "load_bibfiles", "parse_bibtex"]

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
NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator"}
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


@dataclass(frozen=True)
class BibProblem:
    """A block of a .bib file that could not be read: file, 1-based line, message, key if known."""

    path: str
    line: int
    message: str
    key: str | None = None


@dataclass
class BibDatabase:
    """The entries of all .bib files: CSL-JSON items and where each key was defined."""

    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    where: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (path, line)
    problems: list[BibProblem] = field(default_factory=list)
    broken_keys: set[str] = field(default_factory=set)  # keys of entries that failed to parse

    def __contains__(self, key: object) -> bool:
        return key in self.items


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
            name["given"] = decode(" ".join(parts.first))
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


def _date(year: str | None, month: str | None, day: str | None, date: str | None) -> dict[str, Any] | None:
    if date:
        parts = []
        for piece in date.split("/")[:2]:  # BibLaTeX ranges: 1990/1991
            numbers = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", piece.strip())
            if not numbers:
                return {"literal": decode(date)}
            parts.append([int(n) for n in numbers.groups() if n])
        return {"date-parts": parts}
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


def _has(fields: dict[str, str], name: str) -> bool:
    return bool(fields.get(name, "").strip())


def _copy_fields(item: dict[str, Any], fields: dict[str, str]) -> None:
    """Names, text and identifier fields; the title with its subtitle and its short form."""
    for bib_name, csl_name in NAME_FIELDS.items():
        if _has(fields, bib_name):
            item[csl_name] = _names(fields[bib_name])
    for bib_name, text_name in TEXT_FIELDS.items():
        if text_name and _has(fields, bib_name):
            value = fields[bib_name]
            item.setdefault(text_name, decode_protected(value) if text_name in PROTECTED else decode(value))
    if "subtitle" in fields and "title" in item:
        item["title"] = f"{item['title']}: {decode(fields['subtitle'])}"
    for bib_name, csl_name in RAW_FIELDS.items():
        if _has(fields, bib_name):
            item[csl_name] = _PRIVATE.sub("", fields[bib_name].strip())
    if "title-short" not in item and item.get("title"):
        item["title-short"] = short_title(item["title"])  # at most four words (CMOS 14.30)
    if "page" in item:
        item["page"] = item["page"].replace("–", "-")
    if _has(fields, "booktitle"):
        item["container-title"] = decode(fields["booktitle"])


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


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """One bibtexparser ``Entry`` → a CSL-JSON item (its ``id`` is the BibTeX key)."""
    fields = {f.key.lower(): f.value for f in entry.fields if isinstance(f.value, str)}
    entry_type = entry.entry_type.lower()
    item: dict[str, Any] = {"id": entry.key, "type": _csl_type(entry_type, fields)}
    _copy_fields(item, fields)
    _number(item, fields)
    _publisher(item, fields, entry_type)
    _language_and_dates(item, fields)
    for name in ("title", "title-short") if str(item.get("language", "en")).startswith("en") else ():
        if name in item:  # English titles, which CSL styles title-case
            item[name] = keep_lowercase_prepositions(item[name])
    return item


def _failed_key(raw: str | None) -> str | None:
    match = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", raw or "")
    return match.group(1) if match else None


_MERGED = re.compile(r"\n\s*([A-Za-z][\w-]*)\s*=\s*[{\"0-9]")


def _merged_field(entry: Entry) -> tuple[int, str] | None:
    """(lines after the entry's first, field name) where a missing comma merged two fields."""
    for fld in entry.fields:
        value = fld.value if isinstance(fld.value, str) else ""
        match = _MERGED.search(value)
        if match:
            offset = (fld.start_line or entry.start_line or 0) - (entry.start_line or 0)
            return offset + value.count("\n", 0, match.start()) + 1, match.group(1)
    return None


def parse_bibtex(text: str, path: str, database: BibDatabase | None = None) -> BibDatabase:
    """Add the entries of one .bib file's text to ``database`` (a new one if None)."""
    database = database if database is not None else BibDatabase()
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its messages are reported as BibProblems, with file:line
    try:
        library = bibtexparser.parse_string(text)
    finally:
        quiet.setLevel(level)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        key = _failed_key(block.raw)
        if isinstance(block, DuplicateBlockKeyBlock):
            message = f"duplicate BibTeX key {key!r} (the first definition is used)"
            key = None  # the first definition stands
        else:
            first = str(block.error).strip().splitlines()[0] if str(block.error).strip() else ""
            detail = f": {first}" if first else " (unbalanced braces or quotes, or a missing comma?)"
            what = f"entry {key!r}" if key else "block"
            message = f"cannot parse BibTeX {what}{detail}"
        database.problems.append(BibProblem(path, line, message, key))
        if key:
            database.broken_keys.add(key)
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        merged = _merged_field(entry)
        if merged is not None:
            field_line, name = merged
            database.problems.append(
                BibProblem(
                    path,
                    line + field_line,
                    f"missing comma before field {name!r} in entry {entry.key!r}",
                    entry.key,
                )
            )
            database.broken_keys.add(entry.key)
            continue
        if entry.key in database.items:
            first_path, first_line = database.where[entry.key]
            database.problems.append(
                BibProblem(
                    path,
                    line,
                    f"duplicate BibTeX key {entry.key!r} (first defined at "
                    f"{first_path}:{first_line}; that one is used)",
                )
            )
            continue
        lowered = {k.lower(): k for k in database.items}
        if entry.key.lower() in lowered:
            other = lowered[entry.key.lower()]
            database.problems.append(
                BibProblem(path, line, f"BibTeX keys {other!r} and {entry.key!r} differ only in case")
            )
            continue
        try:
            database.items[entry.key] = entry_to_csl(entry)
        except Exception as exc:  # a field pylatexenc cannot decode: report, don't crash
            database.problems.append(
                BibProblem(path, line, f"cannot read BibTeX entry {entry.key!r}: {exc}", entry.key)
            )
            database.broken_keys.add(entry.key)
            continue
        database.where[entry.key] = (path, line)
    return database


#: the largest .bib file read (hand-kept bibliographies grow large; this stops a runaway file)
MAX_BIB_BYTES = 10_000_000


def _read_regular_file(path: Path, limit: int) -> bytes | str:
    """The bytes of a regular file of at most ``limit`` bytes, or why it cannot be read.

    Folders, devices and FIFOs are refused before anything is read (a FIFO is opened without
    blocking), so a named pipe fails at once instead of hanging the build."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        return "is a folder, not a file"
    except OSError as exc:
        return f"cannot read file: {exc.strerror}"
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        return f"is {kind}, not a regular file"
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            return f"cannot read file: {exc.strerror}"
    if len(data) > limit:
        return f"file is larger than the limit of {limit / 1_000_000:.1f} MB"
    return data


def load_bibfiles(paths: list[Path]) -> BibDatabase:
    """Read all .bib files (UTF-8) into one database; problems are collected, not raised."""
    database = BibDatabase()
    for path in paths:
        if not Path(path).exists():
            database.problems.append(BibProblem(str(path), 0, "bibliography file not found"))
            continue
        data = _read_regular_file(Path(path), MAX_BIB_BYTES)
        if isinstance(data, str):
            database.problems.append(BibProblem(str(path), 0, data))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            database.problems.append(BibProblem(str(path), line, "not UTF-8 text"))
            continue
        parse_bibtex(text, str(path), database)
    return database
