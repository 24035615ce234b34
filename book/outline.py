"""Load ``outline.toml``: the book's metadata, its sources and the level of each heading."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BookError, read_text

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
    summary: Path | None
    sources: tuple[Path, ...]  # the documents whose text makes the chapters, in order
    titles: dict[str, str]
    headings: dict[str, int]  # heading text -> level (1 part, 2 chapter, 3 section, ...)
    editorial_parts: dict[str, str]  # heading text -> title of a part that opens before it
    index_terms: tuple[str, ...] = ()
    back_matter: tuple[str, ...] = ()  # hand-written chapters (glossary, timeline) before the bibliography
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

    def line_of(self, text: str) -> int | None:
        """The line of the outline where ``text`` stands (for error messages)."""
        return _line_of(self._text, text)

    def error(self, message: str, text: str, hint: str | None = None) -> BookError:
        return BookError(message, self.path, self.line_of(text), hint)


def load_outline(path: str | Path) -> Outline:
    """Read and check an outline file; a bad entry is a BookError naming its line."""
    path = Path(path)
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise BookError(f"not valid TOML: {exc.msg if hasattr(exc, 'msg') else exc}", path, line) from None

    base = path.parent
    book = data.get("book", {})
    sources = data.get("sources", {})

    def need(table: dict, key: str, where: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise BookError(f"[{where}] needs a text value '{key}'", path, None)
        return value

    def source(key: str, value: str | None = None) -> Path | None:
        value = value if value is not None else sources.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise BookError(f"[sources] needs a file name for '{key}'", path, None)
        resolved = base / value
        if not resolved.is_file():
            raise BookError(
                f"source document '{value}' not found",
                path,
                _line_of(text, value),
                hint="restore it from git (git checkout -- documents/) or fix the path",
            )
        return resolved

    headings: dict[str, int] = {}
    raw_headings = data.get("headings", {})
    outline = Outline(
        path=path,
        title=need(book, "title", "book"),
        subtitle=book.get("subtitle", ""),
        author=need(book, "author", "book"),
        language=book.get("language", "en"),
        publisher=book.get("publisher", ""),
        rights=book.get("rights", ""),
        filename=book.get("filename", "book"),
        edition=str(book.get("edition", "1.0")),
        summary=source("summary"),
        sources=tuple(
            source("documents", v) for v in _as_list(sources.get("documents", sources.get("article")))
        ),  # type: ignore[misc]
        titles={"overview": "Overview", "introduction": "Introduction", **data.get("titles", {})},
        headings=headings,
        editorial_parts=dict(data.get("editorial_parts", {})),
        index_terms=tuple(data.get("index", {}).get("terms", ())),
        back_matter=tuple(data.get("back_matter", {}).get("chapters", ())),
        _text=text,
    )
    if not outline.sources:
        raise BookError(
            "[sources] names no document", path, None, hint='add: documents = ["documents/….txt"]'
        )
    for heading, level in raw_headings.items():
        if level not in LEVELS:
            raise outline.error(
                f"heading '{heading}' has level '{level}'",
                f'"{heading}"',
                hint="use one of: " + ", ".join(LEVELS),
            )
        headings[heading] = LEVELS[level]
    previous = 0 if outline.has_parts else LEVELS["part"]  # without parts, chapters are on top
    for heading, level in headings.items():
        if heading in outline.editorial_parts:
            previous = LEVELS["part"]
        if level > previous + 1:
            raise outline.error(
                f"heading '{heading}' is a {raw_headings[heading]} with no "
                f"{[k for k, v in LEVELS.items() if v == level - 1][0]} above it",
                f'"{heading}"',
            )
        previous = level
    for heading in outline.editorial_parts:
        if heading not in headings:
            raise outline.error(f"editorial part placed before unknown heading '{heading}'", f'"{heading}"')
    return outline


def _line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle``."""
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), None)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
