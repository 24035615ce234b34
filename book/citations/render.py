"""After all documents are read: render the book's citations and bibliographies at once.

Runs on ``env-updated`` in the main process (parallel reads are merged by then). The
citations each document recorded while it was read (:class:`~.domain.CitationDomain`
``requests``) go to :func:`.engine.render` in one request; the results are kept in the
environment, which every builder sharing the doctree cache reads, and on disk under the
doctree folder keyed by the request's content hash. So each citation and bibliography is
rendered once per build, whatever the number of editions.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .csl import without_ibid
from .domain import CitationDomain
from .engine import (
    NAMES_STYLE,
    TERMS_STYLE,
    CiteprocError,
    Rendered,
    csl_locale,
    punctuation_in_quote,
    render_parsed,
    request_key,
)
from .inlines import plain_text

__all__ = ["bibliography_unit", "file_by_title", "render_book", "same_author_by_title"]

#: the unit of the author's names of ``{cite:t}`` citations in a numeric style, and the suffix
#: of each such citation's id in it
NAMES_UNIT = "names"
NAMES_ID = "|names"

logger = logging.getLogger(__name__)


def cache_dir(env: BuildEnvironment) -> Path:
    return Path(env.doctreedir) / "bookcite"


def bibliography_unit(mode: str, keys: list[str]) -> str:
    """The unit id of a bibliography list."""
    return f"bib:keys:{' '.join(keys)}" if mode == "keys" else f"bib:{mode}"


def reading_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order of the table of contents (then the rest, sorted)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(doc: str) -> None:
        if doc in seen:
            return
        seen.add(doc)
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(d for d in env.found_docs if d not in seen)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _request(env: BuildEnvironment, domain: CitationDomain) -> dict[str, Any]:
    store = domain.store
    assert store.style is not None
    folder = cache_dir(env)
    references = folder / "references.json"
    items = store.database.items
    needed = set(domain.cited_keys) | {
        key for lists in domain.data["keylists"].values() for keys in lists for key in keys
    }
    used = list(items) if domain.lists_all else sorted(key for key in needed if key in items)
    works = [items[key] for key in used]
    if not env.config.book_print_annotations:  # an author's own notes on a work, as biblatex keeps them
        works = [{k: v for k, v in work.items() if k != "annote"} for work in works]
    _write_atomic(references, json.dumps(works, ensure_ascii=False, indent=1))
    csl = store.style.path if env.config.book_citation_ibid else without_ibid(store.style, folder)
    requests = domain.data["requests"]
    docs = [doc for doc in reading_order(env) if requests.get(doc)]
    units: list[dict[str, Any]] = []
    cited = sorted(key for key in domain.cited_keys if key in store.database)
    if store.style.note:
        units += [{"id": f"doc:{doc}", "paras": [[e] for e in requests[doc]]} for doc in docs]
        units.append({"id": "bib:cited", "paras": [], "nocite": cited, "bibliography": True})
    else:  # one unit: numbers and year suffixes agree across the book and its bibliography
        paras = [[element] for doc in docs for element in requests[doc]]
        if store.style.numeric:
            paras, names = _author_names(paras)
            if names:
                units.append({"id": NAMES_UNIT, "csl": str(NAMES_STYLE), "paras": names})
        units.append({"id": "bib:cited", "paras": paras, "nocite": cited, "bibliography": True})
    if domain.lists_all:
        units.append(
            {"id": "bib:all", "paras": [], "nocite": list(store.database.items), "bibliography": True}
        )
    for lists in domain.data["keylists"].values():
        for keys in lists:
            unit_id = bibliography_unit("keys", keys)
            if keys and all(u["id"] != unit_id for u in units):
                units.append({"id": unit_id, "paras": [], "nocite": keys, "bibliography": True})
    return {
        "csl": str(csl),
        "references": str(references),
        "lang": csl_locale(env.config.language),
        "terms": str(TERMS_STYLE),
        "units": units,
    }


def _author_names(paras: list[list[dict[str, Any]]]) -> tuple[list[list[dict[str, Any]]], list[Any]]:
    """A numeric style's citation is the number alone, also for author-in-text ("As [7]
    argues"): such a citation is rendered as a normal one, and its authors' names in a unit of
    their own (:data:`NAMES_UNIT`), so that the text reads "As Perdue [7] argues"."""
    out: list[list[dict[str, Any]]] = []
    names: list[list[dict[str, Any]]] = []
    for para in paras:
        element = para[0]
        items = element.get("items", [])
        if element["t"] != "cite" or not any(item["mode"] == "AuthorInText" for item in items):
            out.append(para)
            continue
        normal = [{**item, "mode": "NormalCitation"} for item in items]
        out.append([{**element, "items": normal}])
        keys = [{"key": item["key"], "mode": "NormalCitation"} for item in items]
        names.append([{"t": "cite", "id": element["id"] + NAMES_ID, "items": keys}])
    return out, names


def _numbered(rendered: Rendered) -> None:
    """A numeric style: the authors' names before each author-in-text citation; numbers only in
    the list of works cited (a reading list's own numbers would read as references)."""
    citations = rendered.citations
    for cid in [c for c in citations if c.endswith(NAMES_ID)]:
        names = citations.pop(cid)["text"]
        target = citations.get(cid.removesuffix(NAMES_ID))
        if target is not None:
            target["text"] = [*names, {"t": "Space"}, *target["text"]]
    rendered.bibliographies.pop(NAMES_UNIT, None)
    for unit, entries in rendered.bibliographies.items():
        if unit != "bib:cited":
            rendered.bibliographies[unit] = [(key, _without_number(inlines)) for key, inlines in entries]


def _without_number(inlines: list[Any]) -> list[Any]:
    """An entry without its number (citeproc's ``csl-left-margin``)."""
    return [i for i in inlines if not (i["t"] == "Span" and "csl-left-margin" in i["c"][0][1])]


def render_book(env: BuildEnvironment, domain: CitationDomain) -> set[str]:
    """Render every citation and bibliography; the documents whose rendering changed."""
    if domain.store.style is None:
        return set()
    request = _request(env, domain)
    _write_atomic(cache_dir(env) / "request.json", json.dumps(request, ensure_ascii=False))  # for make bench
    key = request_key(request)
    if key == domain.data["request"]:
        return set()  # rendered by an earlier builder of this build
    try:
        rendered = render_parsed(request, cache_dir(env), punctuation_in_quote(request["lang"]))
    except CiteprocError as exc:
        logger.error(str(exc), type="book", subtype="csl")
        return set()
    if domain.store.style.numeric:
        _numbered(rendered)
    changed: set[str] = set()
    by_doc: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for cid, parts in rendered.citations.items():
        by_doc.setdefault(cid.rsplit("#", 1)[0], {})[cid] = parts
    for doc in set(by_doc) | set(domain.data["rendered"]):
        if domain.data["rendered"].get(doc) != by_doc.get(doc):
            changed.add(doc)
    domain.data["rendered"] = by_doc
    domain.data["request"] = key
    _arrange(rendered.bibliographies, domain)
    if domain.bibliographies != rendered.bibliographies:
        changed.update(domain.data["bibliographies"])
        domain.data["bibs"] = rendered.bibliographies
    changed = {doc for doc in changed if doc in env.found_docs}
    domain.mark_changed(changed)
    return changed


def _arrange(bibliographies: dict[str, list[tuple[str, list[Any]]]], domain: CitationDomain) -> None:
    """Each list without the works the style leaves out (an empty entry), filed by title where
    the style sorts by author."""
    style = domain.store.style
    items = domain.store.database.items
    for unit, entries in bibliographies.items():
        entries = [(k, e) for k, e in entries if plain_text(e).strip()]
        if style is not None and style.sorts_by_author:
            entries = file_by_title(entries, items)
            if style.note:  # notes-bibliography; author-date lists one author's works by year
                entries = same_author_by_title(entries, items)
        bibliographies[unit] = entries


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _filing_key(text: str) -> str:
    """How a text files: without opening quotes, a leading article or accents, in any case."""
    text = _ARTICLE.sub("", text.lstrip("\u201c\u2018\"'([ "))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _filing_text(inlines: list[Any]) -> str:
    """How an entry files: its rendered text, as :func:`_filing_key` files it."""
    return _filing_key(plain_text(inlines))


def file_by_title(
    entries: list[tuple[str, list[Any]]], items: Mapping[str, dict[str, Any]]
) -> list[tuple[str, list[Any]]]:
    """Chicago files a work without author or editor under its title, ignoring "The", "A",
    "An", among the other entries (CMOS 13.69/14.75); citeproc sorts "The Canadian Spectator"
    under T. Move each such entry before the first entry that files after it."""
    anonymous = {
        key for key, _ in entries if not any(items.get(key, {}).get(r) for r in ("author", "editor"))
    }
    filing = {key: _filing_text(inlines) for key, inlines in entries}  # once per entry
    rest = [entry for entry in entries if entry[0] not in anonymous]
    for entry in (e for e in entries if e[0] in anonymous):
        at = next((i for i, other in enumerate(rest) if filing[other[0]] > filing[entry[0]]), len(rest))
        rest.insert(at, entry)
    return rest


def _title_filing(item: dict[str, Any]) -> str:
    """A title as Chicago files it: no markup, then as :func:`_filing_key` files it."""
    return _filing_key(re.sub(r"<[^>]+>", "", str(item.get("title", ""))))


def same_author_by_title(
    entries: list[tuple[str, list[Any]]], items: Mapping[str, dict[str, Any]]
) -> list[tuple[str, list[Any]]]:
    """In a notes-bibliography style, Chicago lists the works of one author (the same names, in
    the same order) by title, ignoring "The", "A", "An" (CMOS 13.70); citeproc sorts them on
    the rendered title, quotes and articles included ("A Mirror" before "The Chinese Debate",
    “Boundaries” after "China")."""

    def names(key: str) -> str:  # "Peter C" and "Peter C." are one person
        item = items.get(key, {})
        people = item.get("author") or item.get("editor") or None
        return re.sub(r"[\s.]", "", json.dumps(people, sort_keys=True, ensure_ascii=False)).casefold()

    out: list[tuple[str, list[Any]]] = []
    start = 0
    for end in range(1, len(entries) + 1):
        if end == len(entries) or names(entries[end][0]) != names(entries[start][0]):
            run = entries[start:end]
            if len(run) > 1 and names(run[0][0]) != "null":
                run = sorted(run, key=lambda entry: _title_filing(items.get(entry[0], {})))
            out += run
            start = end
    return out
