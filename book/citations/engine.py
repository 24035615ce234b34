"""Render a book's citations and bibliographies with Pandoc's citeproc, in one run (no Sphinx).

Pandoc (the ``pypandoc-binary`` package ships it) is the reference CSL processor; one
``pandoc`` process renders every citation of the book and every bibliography list: the
request is a JSON document (:func:`build_request`), read by the custom reader
``citeproc.lua``, which runs citeproc once per *unit* (a chapter, so note positions restart
in each; for in-text styles the whole book, so numbering and year suffixes agree with the
bibliography). Results are cached on disk by the request's content hash, so a build with
several editions renders once.

Citation elements of a unit, in reading order (see ``citeproc.lua``):

* ``{"t": "cite", "id": ..., "items": [...]}`` — a citation in the running text: a note
  style turns it into a footnote, an in-text style prints it in the text; each item
  ``{"key", "mode", "prefix", "suffix"}`` and, with a locator, its CSL type and value
  (``"label": "page", "locator": "27"``), which the reader labels in the book's locale;
* ``{"t": "note", "id": ..., "content": [...]}`` — a footnote of text and citations.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "NAMES_STYLE",
    "TERMS_STYLE",
    "CiteprocError",
    "Rendered",
    "csl_locale",
    "find_pandoc",
    "parse_result",
    "punctuation_in_quote",
    "render",
    "render_parsed",
    "request_key",
]

LUA_READER = Path(__file__).with_name("citeproc.lua")
#: the probe style that prints the locale's locator terms (see citeproc.lua)
TERMS_STYLE = Path(__file__).with_name("locator-terms.csl")
#: the style of the author's names of a ``{cite:t}`` in a numeric style ("Perdue [7]")
NAMES_STYLE = Path(__file__).with_name("author-names.csl")
#: bump when the request or result format changes (invalidates cached renderings)
FORMAT_VERSION = 2


class CiteprocError(RuntimeError):
    """Pandoc is missing or failed; the message says what to do."""


def find_pandoc() -> str:
    """The pandoc executable: pypandoc-binary's, else one on PATH."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        if path:
            return str(path)
    except (ImportError, OSError):
        pass
    found = shutil.which("pandoc")
    if found:
        return found
    raise CiteprocError(
        "pandoc is not installed, and the citations need its citeproc; "
        "install the Python package pypandoc-binary (make setup does)"
    )


def csl_locale(language: str | None) -> str | None:
    """The CSL locale of a Sphinx ``language`` ("de", "zh_CN" → "zh-CN"); None: citeproc's default."""
    return language.replace("_", "-") if language else None


def punctuation_in_quote(locale: str | None) -> bool:
    """Whether the locale puts a comma or period inside closing quotes (American English: the
    CSL locale en-US's ``punctuation-in-quote``); citeproc's default locale is en-US."""
    return locale is None or locale.lower() in ("en", "en-us")


def request_key(request: dict[str, Any]) -> str:
    """The cache key of ``request``: the request, the reader and its style and references files."""
    styles = [request["csl"], request.get("terms"), *(unit.get("csl") for unit in request["units"])]
    files = dict.fromkeys(Path(p) for p in styles if p)
    return _digest(request, [*files, Path(request["references"])])


def _digest(request: dict[str, Any], files: Iterable[Path]) -> str:
    sha = hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode())
    sha.update(str(FORMAT_VERSION).encode())
    sha.update(LUA_READER.read_bytes())
    for path in files:
        sha.update(Path(path).read_bytes())
    return sha.hexdigest()


#: Pandoc's limits (its runtime's own options): the stack, the heap and the time of one run. A
#: style that recurses without end (a macro that calls itself) overflows the stack within
#: seconds, under 1 GB; the flagship book needs 8 MB of stack and 200 MB in all.
PANDOC_STACK = "256m"
PANDOC_HEAP = "1536m"
PANDOC_SECONDS = 300.0


@functools.cache
def _runtime_options(pandoc: str) -> tuple[str, ...]:
    """Pandoc's runtime options that bound its stack and heap, if this binary takes them (one
    built without ``-rtsopts`` refuses them: then it runs unbounded but for the time limit)."""
    options = ("+RTS", f"-K{PANDOC_STACK}", f"-M{PANDOC_HEAP}", "-RTS")
    try:
        probe = subprocess.run([pandoc, *options, "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return options if probe.returncode == 0 else ()


def style_name(request: dict[str, Any]) -> str:
    """The style of ``request`` as its author named it (the copy without "Ibid." is written
    beside the cache as ``<style>-no-ibid.csl``)."""
    return Path(request["csl"]).name.replace("-no-ibid.csl", ".csl")


def render(
    request: dict[str, Any],
    cache_dir: Path | None = None,
    pandoc: str | None = None,
    seconds: float = PANDOC_SECONDS,
) -> dict[str, Any]:
    """Run one pandoc process on ``request``; the pandoc JSON AST of its result.

    ``request["csl"]`` and ``request["references"]`` are file paths; their contents are part
    of the cache key. With ``cache_dir``, an identical request is read from there. Pandoc runs
    within :data:`PANDOC_STACK`, :data:`PANDOC_HEAP` and ``seconds``; past a limit, a
    :class:`CiteprocError` names the style.
    """
    digest = request_key(request)
    cached = cache_dir / f"{digest}.json" if cache_dir else None
    if cached is not None and cached.is_file():
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            pass  # a torn file: render again
    pandoc = pandoc or find_pandoc()
    cmd = [pandoc, *_runtime_options(pandoc), "-f", str(LUA_READER), "-t", "json"]
    try:
        proc = subprocess.run(
            cmd, input=json.dumps(request, ensure_ascii=False), capture_output=True, text=True,
            encoding="utf-8", timeout=seconds,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise CiteprocError(
            f"pandoc citeproc ran longer than its limit of {seconds:g} s with the CSL style "
            f"{style_name(request)} (does a macro of the style call itself?)"
        ) from None
    if proc.returncode != 0:
        raise CiteprocError(_failure(request, proc.returncode, proc.stderr))
    result = json.loads(proc.stdout)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(proc.stdout)
        os.replace(tmp, cached)  # atomic: parallel builders never read half a file
    return result


def _failure(request: dict[str, Any], status: int, stderr: str) -> str:
    """What a failed pandoc run says: the runtime's limit it hit, naming the style, or the last
    lines of its own message."""
    style = style_name(request)
    for sign, what, size in (
        ("Stack space overflow", "stack", PANDOC_STACK),
        ("Heap exhausted", "memory", PANDOC_HEAP),
    ):
        if sign in stderr:
            return (
                f"pandoc citeproc ran out of {what} (its limit is {size.upper()}B) with the CSL style "
                f"{style} (does a macro of the style call itself?)"
            )
    if status < 0:
        return f"pandoc citeproc was stopped by signal {-status} with the CSL style {style} (out of memory?)"
    detail = stderr.strip().splitlines()
    return f"pandoc citeproc failed with the CSL style {style}: {' '.join(detail[-3:]) or status}"


def render_parsed(request: dict[str, Any], cache_dir: Path | None = None, in_quote: bool = True) -> Rendered:
    """:func:`render` and :func:`parse_result`; a cached result that does not parse (damaged,
    or not what Pandoc writes) is thrown away and the request rendered again."""
    try:
        return parse_result(render(request, cache_dir), in_quote)
    except (KeyError, IndexError, TypeError, AttributeError, RecursionError):
        if cache_dir is None:
            raise
    (cache_dir / f"{request_key(request)}.json").unlink(missing_ok=True)
    return parse_result(render(request, cache_dir), in_quote)


# -- reading the result -----------------------------------------------------------------------


@dataclass
class Rendered:
    """What pandoc made of the book: per citation id, its text part and note part (inline ASTs);
    per bibliography unit, its entries (key, inline AST) in the style's order."""

    citations: dict[str, dict[str, list[Any]]]
    bibliographies: dict[str, list[tuple[str, list[Any]]]]


def _attr_id(node: dict[str, Any]) -> str:
    return node["c"][0][0]


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "t" in value:
            yield value
        for child in value.values():
            yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


def _block_inlines(blocks: list[dict[str, Any]]) -> list[Any]:
    """The inlines of Para/Plain blocks (several are joined by a space)."""
    out: list[Any] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            if out:
                out.append({"t": "Space"})
            out.extend(block["c"])
        elif block["t"] == "Div":
            out.extend(_block_inlines(block["c"][1]))
    return out


def _leaves(inlines: list[Any]) -> Iterator[dict[str, Any]]:
    """The Str, Space and closing-quote leaves of an inline AST, in reading order (a Quoted
    node's content, then a ``”`` leaf standing for its closing quote)."""
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Quoted":
            yield from _leaves(content[1])
            yield {
                "t": "Str",
                "c": "\u201d" if content[0]["t"] == "DoubleQuote" else "\u2019",
                "quoted": inline,
            }
        elif kind in ("Str", "Space", "SoftBreak"):
            yield inline
        elif kind in ("Span", "Link", "Cite"):  # (attr or citations, inlines [, target])
            yield from _leaves(content[1])
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            yield from _leaves(content)


def _comma_after_abbreviation(note: list[Any]) -> None:
    """A quoted title ending in an abbreviation's period ("… Against U.S.”) keeps the comma
    that follows it in a note (CMOS 6.123): citeproc drops it as a doubled punctuation mark."""
    leaves = list(_leaves(note))
    for i in range(1, len(leaves) - 2):
        before, close, space = leaves[i - 1], leaves[i], leaves[i + 1]
        if close["t"] != "Str" or space["t"] != "Space":
            continue
        if close["c"] == "\u201d" and before["t"] == "Str" and _abbreviation(before["c"]):
            before["c"] += ","
        elif close["c"].endswith("\u201d") and _abbreviation(close["c"][:-1]):
            close["c"] = close["c"][:-1] + ",\u201d"


def _abbreviation(text: str) -> bool:
    return text.endswith(".") and not text.endswith("..")


def _split_cite(inlines: list[Any], in_quote: bool = True) -> dict[str, list[Any]]:
    """A rendered Cite's content → its running-text part and its note part. ``in_quote``: the
    locale puts punctuation inside quotes (a comma after “… U.S.” is kept inside)."""
    text: list[Any] = []
    note: list[Any] = []
    for inline in inlines:
        if inline["t"] == "Note":
            note.extend(_block_inlines(inline["c"]))
        else:
            text.append(inline)
    while text and text[-1]["t"] in ("Space", "SoftBreak"):
        text.pop()
    if in_quote:
        _comma_after_abbreviation(note)
    return {"text": text, "note": note}


def parse_result(result: dict[str, Any], in_quote: bool = True) -> Rendered:
    """The citations and bibliographies of pandoc's result; ``in_quote`` as in :func:`_split_cite`."""
    citations: dict[str, dict[str, list[Any]]] = {}
    bibliographies: dict[str, list[tuple[str, list[Any]]]] = {}
    for unit in result.get("blocks", []):
        if unit["t"] != "Div":
            continue
        unit_id = _attr_id(unit)
        entries: list[tuple[str, list[Any]]] = []
        for node in _walk(unit["c"][1]):
            if node["t"] == "Span" and node["c"][0][0]:
                inner = node["c"][1]
                if len(inner) == 1 and inner[0]["t"] == "Cite":
                    citations[node["c"][0][0]] = _split_cite(inner[0]["c"][1], in_quote)
            elif node["t"] == "Div" and "csl-entry" in node["c"][0][1]:
                key = node["c"][0][0].removeprefix("ref-")
                entries.append((key, _block_inlines(node["c"][1])))
        bibliographies[unit_id] = entries
    return Rendered(citations, bibliographies)
