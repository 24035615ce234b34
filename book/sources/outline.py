"""Load ``outline.toml``: the book's metadata, its sources and the level of each heading."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from book.errors import BookError, check_text, read_text, toml_error
from book.limits import MAX_FIELD_CHARS

from .rights import (
    NOT_STATED,
    Attribution,
    check_date,
    check_edition,
    check_licence,
    check_trim,
    release_day,
)
from .tomllines import key_line as _key_line
from .tomllines import key_lines as _key_lines
from .tomllines import line_of as _line_of
from .tomllines import subtable_line as _subtable_line

LEVELS = {"part": 1, "chapter": 2, "section": 3, "subsection": 4}


@dataclass(frozen=True)
class Outline:
    """What ``outline.toml`` says. Paths are resolved against the outline's folder."""

    path: Path
    title: str
    subtitle: str
    author: str
    language: str
    publisher: str
    rights: str
    filename: str
    edition: str
    date: str  # the release date (ISO, "2026-11-23"); empty: SOURCE_DATE_EPOCH, else none
    summary: Path | None
    sources: tuple[Path, ...]  # the documents whose text makes the chapters, in order
    titles: dict[str, str]  # the generated pages' titles the outline sets ("overview", "introduction")
    headings: dict[str, int]  # heading text -> level (1 part, 2 chapter, 3 section, ...)
    editorial_parts: dict[str, str]  # heading text -> title of a part that opens before it
    index_terms: tuple[str, ...] = ()
    index_entries: dict[str, str] = field(default_factory=dict)  # term -> heading ("Stalin, Joseph")
    back_matter: tuple[str, ...] = ()  # hand-written chapters (glossary, timeline) before the bibliography
    front_matter: tuple[str, ...] = ()  # hand-written chapters before the generated ones
    chapter_per_document: bool = False  # each source document one chapter, its headings sections
    strict: bool = True  # False: a note mark with no note is a warning (drafts), not an error
    rights_holder: str = ""  # [rights] holder: "© 2026 <holder>"
    licence: str = ""  # [rights] licence: an SPDX id (book/sources/rights.py derives its address)
    rights_scope: str = ""  # [rights] scope: what the holder's rights and licence cover
    attributions: tuple[Attribution, ...] = ()  # [attribution."documents/…"], in source order
    trim: str = "a5"  # [print] trim: the printed book's page size (rights.TRIMS)
    cover: Path | None = None  # [book] cover: the author's cover image (else one is drawn)
    chapters: tuple[str, ...] = ()  # hand-written chapters in order; empty: chapters/*.md by file name
    bibliography_files: tuple[str, ...] = ()  # empty: every .bib, references.json, references.yaml
    bibliography_list: str = "cited"  # the bibliography page lists the "cited" works or "all"
    bibliography_title: str = ""  # empty: the style's and the language's heading
    _text: str = field(default="", repr=False, compare=False)

    @property
    def documents(self) -> list[Path]:
        """All source documents, summary first."""
        return [p for p in (self.summary, *self.sources) if p is not None]

    @property
    def has_parts(self) -> bool:
        """Whether the book is divided into parts (headed, or editorial)."""
        return LEVELS["part"] in self.headings.values() or bool(self.editorial_parts)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def release_day(self) -> dt.date | None:
        """The one release date of every edition: ``date``, else SOURCE_DATE_EPOCH, else none."""
        return release_day(self.date)

    def attribution(self, document: Path) -> Attribution | None:
        return next((a for a in self.attributions if a.document == document), None)

    def line_of(self, text: str) -> int | None:
        """The line of the outline where ``text`` stands (for error messages)."""
        return _line_of(self._text, text)

    def key_line(self, table: str, key: str) -> int | None:
        """The line where ``key`` of ``[table]`` is set (for error messages)."""
        return _key_lines(self._text).get((table, key))

    def error(self, message: str, text: str, hint: str | None = None) -> BookError:
        return BookError(message, self.path, self.line_of(text), hint)


# The outline's tables and keys: (type, required). A key not listed is an error (a typo must
# not be silently ignored); "text" is one line of text, "name" a plain file name.
SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "book": {
        "title": ("text", True),
        "subtitle": ("text", False),
        "author": ("text", True),
        "language": ("language", False),
        "publisher": ("text", False),
        "rights": ("text", False),
        "filename": ("name", False),
        "edition": ("edition", False),
        "date": ("date", False),  # the release date of every edition ("2026-11-23")
        "cover": ("path", False),  # the author's cover image, at least 1,400 pixels wide (sources/cover.py)
    },
    "rights": {"holder": ("text", False), "licence": ("licence", False), "scope": ("text", False)},
    "print": {"trim": ("trim", False)},
    "sources": {
        "summary": ("path", False),
        "documents": ("paths", False),
        "article": ("path", False),
        "chapter_per_document": ("flag", False),
        "strict": ("flag", False),
    },
    "titles": {"overview": ("text", False), "introduction": ("text", False)},
    "index": {"terms": ("texts", False), "entries": ("text table", False)},
    "back_matter": {"chapters": ("names", False)},
    "front_matter": {"chapters": ("names", False)},
    "chapters": {"order": ("names", False)},
    "bibliography": {"files": ("paths", False), "list": ("listing", False), "title": ("text", False)},
}
FREE_TABLES = ("headings", "editorial_parts")  # heading text -> text: any key, text values
# [attribution."documents/…"]: one table per source document, with these keys.
ATTRIBUTION: dict[str, tuple[str, bool]] = {
    "title": ("text", False),
    "author": ("text", False),
    "site": ("text", False),
    "url": ("url", False),
    "licence": ("source licence", True),
    "note": ("text", False),
}
TYPE_NAMES = {
    "text": "one line of text",
    "name": "a plain file name (letters, digits, '.', '_', '-')",
    "language": 'a language tag such as "en" or "zh-Hans"',
    "edition": "text or a finite number",
    "date": 'a date written YYYY-MM-DD ("2026-11-23")',
    "licence": 'an SPDX licence id ("CC-BY-SA-4.0")',
    "source licence": f'an SPDX licence id ("CC-BY-SA-4.0") or "{NOT_STATED}"',
    "trim": "a trim size",
    "url": "a web address (https://…)",
    "path": "a file path (text)",
    "paths": "a list of file paths",
    "texts": "a list of texts",
    "names": "a list of plain file names",
    "flag": "true or false",
    "text table": 'a table of texts ("Joseph Stalin" = "Stalin, Joseph")',
    "listing": '"cited" (the works cited) or "all" (every entry)',
}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def load_outline(path: str | Path) -> Outline:
    """Read and check an outline file; a bad entry is a BookError naming its line."""
    path = Path(path)
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, path) from None
    _check_schema(path, text, data)

    base = path.parent
    book = data.get("book", {})
    sources = data.get("sources", {})
    rights = data.get("rights", {})

    def source(key: str, value: str | None = None) -> Path | None:
        value = value if value is not None else sources.get(key)
        if value is None:
            return None
        return _source_path(path, text, base, key, value)

    documents = sources.get("documents", [])
    if "article" in sources:
        documents = [sources["article"], *documents]
    headings: dict[str, int] = {}
    raw_headings = data.get("headings", {})
    outline = Outline(
        path=path,
        title=book["title"],
        subtitle=book.get("subtitle", ""),
        author=book["author"],
        language=book.get("language", "en"),
        publisher=book.get("publisher", ""),
        rights=book.get("rights", ""),
        filename=book.get("filename", "book"),
        edition=str(book.get("edition", "1.0")),
        date=check_date(book["date"], path, None, "") if "date" in book else "",
        summary=source("summary"),
        sources=tuple(source("documents", v) for v in documents),  # type: ignore[misc]
        titles=dict(data.get("titles", {})),  # the rest in the book's words (book/editions/languages.py)
        headings=headings,
        editorial_parts=dict(data.get("editorial_parts", {})),
        index_terms=tuple(data.get("index", {}).get("terms", ())),
        index_entries=dict(data.get("index", {}).get("entries", {})),
        back_matter=tuple(data.get("back_matter", {}).get("chapters", ())),
        front_matter=tuple(data.get("front_matter", {}).get("chapters", ())),
        chapter_per_document=bool(sources.get("chapter_per_document", False)),
        strict=bool(sources.get("strict", True)),
        rights_holder=rights.get("holder", ""),
        licence=check_licence(rights["licence"], path, None, "", False) if "licence" in rights else "",
        rights_scope=rights.get("scope", ""),
        attributions=_attributions(path, text, base, data.get("attribution", {})),
        trim=check_trim(data.get("print", {}).get("trim", "a5"), path, None, ""),
        cover=_cover(path, text, base, book["cover"]) if "cover" in book else None,
        chapters=tuple(data.get("chapters", {}).get("order", ())),
        bibliography_files=tuple(data.get("bibliography", {}).get("files", ())),
        bibliography_list=data.get("bibliography", {}).get("list", "cited"),
        bibliography_title=data.get("bibliography", {}).get("title", ""),
        _text=text,
    )
    _check_headings(outline, raw_headings)
    _check_attributed(outline)
    return outline


def _attributions(path: Path, text: str, base: Path, tables: dict) -> tuple[Attribution, ...]:
    """The [attribution."documents/…"] tables (checked by _check_schema), each naming a document."""
    out = []
    for document, fields in tables.items():
        line = _subtable_line(text, "attribution", document)
        resolved = _source_path(path, text, base, "attribution", document, line)
        licence = check_licence(fields["licence"], path, line, "", True)
        out.append(Attribution(document=resolved, **{**fields, "licence": licence}))
    return tuple(out)


def _check_attributed(outline: Outline) -> None:
    """An attribution names one of the book's source documents."""
    documents = {p.resolve() for p in outline.documents}
    for attribution in outline.attributions:
        if attribution.document.resolve() not in documents:
            raise BookError(
                f"[attribution] names '{attribution.document.relative_to(outline.path.parent)}', "
                "which is not a source document of the book",
                outline.path,
                _subtable_line(
                    outline._text, "attribution", str(attribution.document.relative_to(outline.path.parent))
                ),
                hint="attribute the documents listed under [sources]",
            )


def _cover(path: Path, text: str, base: Path, value: str) -> Path:
    """The author's cover: an image file in the book's folder, wide enough for a cover."""
    from .cover import check_cover

    line = _key_line(text, "book", "cover")
    cover = _source_path(path, text, base, "cover", value, line, what="cover image")
    check_cover(cover, path, line)
    return cover


def _check_headings(outline: Outline, raw_headings: dict[str, str]) -> None:
    """Each heading's level known, and no level skipped."""
    headings = outline.headings
    for heading, level in raw_headings.items():
        if level not in LEVELS:
            raise outline.error(
                f"heading '{heading}' has level '{level}'",
                f'"{heading}"',
                hint="use one of: " + ", ".join(LEVELS),
            )
        headings[heading] = LEVELS[level]
    previous = 0 if outline.has_parts else LEVELS["part"]  # without parts, chapters are on top
    for heading, depth in headings.items():
        if heading in outline.editorial_parts:
            previous = LEVELS["part"]
        if depth > previous + 1:
            raise outline.error(
                f"heading '{heading}' is a {raw_headings[heading]} with no "
                f"{next(k for k, v in LEVELS.items() if v == depth - 1)} above it",
                f'"{heading}"',
            )
        previous = depth
    for heading in outline.editorial_parts:
        if heading not in headings:
            raise outline.error(f"editorial part placed before unknown heading '{heading}'", f'"{heading}"')


def _check_schema(path: Path, text: str, data: dict) -> None:
    """Every table and key known, every value of its type: else a BookError naming the line."""
    lines = _key_lines(text)
    for table, content in data.items():
        if table not in SCHEMA and table not in (*FREE_TABLES, "attribution"):
            known = ", ".join(f"[{t}]" for t in (*SCHEMA, *FREE_TABLES, "attribution"))
            raise BookError(
                f"unknown table or key '{table}'", path, lines.get((None, table)), hint=f"use {known}"
            )
        if not isinstance(content, dict):
            raise BookError(f"'{table}' must be a table ([{table}])", path, lines.get((None, table)))
        if table == "attribution":
            _check_attributions(path, text, content)
            continue
        _check_keys(path, lines, table, content)
        for key, (_, required) in SCHEMA.get(table, {}).items():
            if required and key not in content:
                raise BookError(f"[{table}] needs a text value '{key}'", path, lines.get((None, table)))
    for table, keys in SCHEMA.items():
        for key, (_, required) in keys.items():
            if required and table not in data:
                raise BookError(f"[{table}] needs a text value '{key}'", path, None)


def _check_keys(path: Path, lines: dict[tuple[str | None, str], int], table: str, content: dict) -> None:
    """The keys of one table: each known (in a free table, any text), each value of its type."""
    for key, value in content.items():
        line = lines.get((table, key))
        if table in FREE_TABLES:
            _check_value(path, line, f'[{table}] "{key}"', key, "text")
            _check_value(path, line, f'[{table}] "{key}"', value, "text")
            continue
        if key not in SCHEMA[table]:
            raise BookError(
                f"unknown key '{key}' in [{table}]",
                path,
                line,
                hint="known keys: " + ", ".join(SCHEMA[table]),
            )
        _check_value(path, line, f"[{table}] {key}", value, SCHEMA[table][key][0])


def _check_attributions(path: Path, text: str, content: dict) -> None:
    """[attribution."documents/….txt"]: a table of ATTRIBUTION's keys for each document."""
    for document, fields in content.items():
        line = _subtable_line(text, "attribution", document)
        if not isinstance(fields, dict):
            raise BookError(f"[attribution] \"{document}\" must be a table", path, line,
                            hint=f'write it as [attribution."{document}"] with title, url, licence, ...')  # fmt: skip
        for key, value in fields.items():
            key_line = _subtable_line(text, "attribution", document, key) or line
            if key not in ATTRIBUTION:
                raise BookError(f"unknown key '{key}' in [attribution.\"{document}\"]", path, key_line,
                                hint="known keys: " + ", ".join(ATTRIBUTION))  # fmt: skip
            _check_value(path, key_line, f'[attribution."{document}"] {key}', value, ATTRIBUTION[key][0])
        for key, (_, required) in ATTRIBUTION.items():
            if required and key not in fields:
                raise BookError(f"[attribution.\"{document}\"] needs '{key}'", path, line,
                                hint=f'an SPDX licence id, or licence = "{NOT_STATED}" where the document gives none')  # fmt: skip


def _check_list(path: Path, line: int | None, what: str, value: object, kind: str) -> None:
    if not isinstance(value, list):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}, not {_toml_type(value)}", path, line,
                        hint='write it in brackets: ["…", "…"]')  # fmt: skip
    for item in value:
        _check_value(path, line, what, item, kind[:-1])


def _check_table(path: Path, line: int | None, what: str, value: object, kind: str) -> None:
    if not isinstance(value, dict):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}, not {_toml_type(value)}", path, line)
    for key, item in value.items():
        _check_value(path, line, f'{what} "{key}"', key, "text")
        _check_value(path, line, f'{what} "{key}"', item, "text")


def _check_value(path: Path, line: int | None, what: str, value: object, kind: str) -> None:
    if kind == "text table":
        _check_table(path, line, what, value, kind)
        return
    if kind in ("paths", "texts", "names"):
        _check_list(path, line, what, value, kind)
        return
    if kind in _CHECKERS:
        _CHECKERS[kind](value, path, line, what)
        return
    if kind == "flag":
        if not isinstance(value, bool):
            raise BookError(f"{what} must be {TYPE_NAMES[kind]}, not {_toml_type(value)}", path, line)
        return
    if not isinstance(value, str):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}, not {_toml_type(value)}", path, line)
    if not value.strip():
        raise BookError(f"{what} is empty", path, line)
    if len(value) > MAX_FIELD_CHARS:
        raise BookError(f"{what} is {len(value):,} characters long; the limit is {MAX_FIELD_CHARS:,}",
                        path, line)  # fmt: skip
    check_text(value, path, line, what)
    if kind != "path" and "\n" in value:
        raise BookError(f"{what} must be one line of text", path, line)
    _check_form(path, line, what, value, kind)


def _check_form(path: Path, line: int | None, what: str, value: str, kind: str) -> None:
    """A file name, a language tag or a web address written as one."""
    if kind == "name" and not NAME.fullmatch(value):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}: {value!r}", path, line,
                        hint="it names the output files; no folders, spaces or quotes")  # fmt: skip
    if not _FORMS.get(kind, lambda _: True)(value):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}: {value!r}", path, line)
    if kind == "url" and not URL.fullmatch(value):
        raise BookError(f"{what} must be {TYPE_NAMES[kind]}: {value!r}", path, line,
                        hint="write the whole address, beginning with https:// or http://")  # fmt: skip


# Values checked (and normalised) by book/sources/rights.py; each raises a BookError naming the line.
_CHECKERS = {
    "date": check_date,
    "edition": check_edition,
    "licence": lambda value, path, line, what: check_licence(value, path, line, what, False),
    "source licence": lambda value, path, line, what: check_licence(value, path, line, what, True),
    "trim": check_trim,
}


_FORMS = {"language": lambda v: bool(LANGUAGE.fullmatch(v)), "listing": lambda v: v in ("cited", "all")}


def _toml_type(value: object) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "a table"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _source_path(
    outline: Path,
    text: str,
    base: Path,
    key: str,
    value: str,
    line: int | None = None,
    what: str = "source document",
) -> Path:
    """A source document's path: inside the book's folder (symlinks resolved), a regular file."""
    line = line or _line_of(text, value)
    resolved = (base / value).resolve()
    if not resolved.is_relative_to(base.resolve()):
        raise BookError(
            f"{what} '{value}' lies outside the book's folder {base.resolve()}",
            outline,
            line,
            hint="copy the file into the book's folder (a symlink out of it is refused too)",
        )
    if not resolved.exists():
        raise BookError(
            f"{what} '{value}' not found",
            outline,
            line,
            hint="restore it from git (git checkout -- documents/) or fix the path",
        )
    if not resolved.is_file():
        raise BookError(f"{what} '{value}' is not a regular file", outline, line)
    return base / value
