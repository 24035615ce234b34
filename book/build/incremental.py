"""What each builder of a build rewrites after an edit: the pages whose numbers or whose
navigation changed, not only the edited one; and a search index as whole as a clean build's.

A build runs three builders over one environment (:mod:`.publish`): the first reads the
changed documents, the others read nothing. Sphinx numbers sections and figures (and tables,
equations) after reading, in each builder, and rewrites the documents whose numbers changed;
it rewrites an edited document and the one whose table of contents lists it. Four faults
follow, all fixed here:

* the numbers only change in the first builder, so a later one found nothing changed and
  kept the old numbers on its pages (a table added to chapter 1 left chapter 2's "Table 2" in
  the HTML and the EPUB, while the PDF said "Table 3"). The documents a builder renumbers are
  recorded in the environment with a clock, and every builder rewrites those renumbered since
  it last wrote them;
* every HTML page shows the book's navigation (each chapter's title, the sections in the
  contents) and its neighbours' titles, so renaming a chapter left the old name on every
  other page. When what the navigation shows changed in reading, every page is rewritten,
  by every builder;
* the HTML search index keeps, from the last build, the words and titles of the pages not
  rewritten, but not their index entries (Sphinx does not read them back), so after an edit
  the search found no index term of any other page; and the words of a page's old text stayed
  in the index, pointing nowhere. Index entries are read back with the rest, words that no
  page has any more are dropped, and the entries are listed in document order, as a clean
  build does;
* the figure numbering walks every document of the book (unpickling each), though the
  numbers can only change when a document was read or removed; a builder that read none
  skips it.
"""

from __future__ import annotations

import weakref
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

__all__ = ["setup"]

_READ: weakref.WeakKeyDictionary[BuildEnvironment, bool] = weakref.WeakKeyDictionary()
_SHOWN: weakref.WeakKeyDictionary[BuildEnvironment, Any] = weakref.WeakKeyDictionary()  # before reading
_STATE = "book_renumbered"  # env attribute (pickled with it): {"clock", "docs", "written"}


def _documents_read(env: BuildEnvironment) -> bool:
    """Whether the running builder read or removed a document (True when not known)."""
    return _READ.get(env, True)


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _READ[env] = _READ.get(env, False) or bool(docnames)


def _outdated(app: Sphinx, env: BuildEnvironment, added: Any, changed: Any, removed: Any) -> list[str]:
    """Before anything is removed or read: note what the navigation shows."""
    _SHOWN[env] = _navigation(env)
    return []


def _navigation(env: BuildEnvironment) -> Any:
    """What the navigation of every page shows of the book: each document's title and the
    text of its contents, and which documents each table of contents lists."""
    shown = sorted(
        (doc, title.astext(), env.tocs[doc].astext() if doc in env.tocs else "")
        for doc, title in env.titles.items()
    )
    return shown, sorted((doc, tuple(listed)) for doc, listed in env.toctree_includes.items())


def _purged(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _READ[env] = True


def _builder_inited(app: Sphinx) -> None:
    """Start unknown; number through the book only after a document was read."""
    _READ.pop(app.env, None)
    _SHOWN.pop(app.env, None)
    if callable(getattr(app.builder, "load_indexer", None)):
        app.builder.load_indexer = _load_indexer(app.builder)  # type: ignore[attr-defined]
    for listener in list(app.events.listeners.get("env-get-updated", [])):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            app.disconnect(listener.id)
            app.connect("env-get-updated", _numbering(collector), priority=listener.priority)


def _numbering(collector: TocTreeCollector) -> Any:
    def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
        if _documents_read(env):
            changed = collector.get_updated_docs(app, env)
            if env in _SHOWN and _SHOWN[env] != _navigation(env):
                changed = sorted(env.found_docs)
        else:  # figure numbers stand; section numbers come from the tables of contents (cheap)
            changed = collector.assign_section_numbers(env)
        return sorted(_renumbered(env, app.builder.name, changed))

    return updated


def _renumbered(env: BuildEnvironment, builder: str, changed: list[str]) -> set[str]:
    """Record ``changed`` (renumbered just now); the documents ``builder`` must rewrite: those
    renumbered since it last wrote them, by it or by an earlier builder."""
    state: dict[str, Any] = env.__dict__.setdefault(_STATE, {"clock": 0, "docs": {}, "written": {}})
    if changed:
        state["clock"] += 1
        state["docs"].update(dict.fromkeys(changed, state["clock"]))
    written = state["written"].setdefault(builder, {})
    due = {
        doc for doc, clock in state["docs"].items() if clock > written.get(doc, 0) and doc in env.found_docs
    }
    written.update({doc: state["docs"][doc] for doc in due})
    return due


def _load_indexer(builder: Any) -> Any:
    """The HTML builder's ``load_indexer`` (the last build's search index, less the pages to
    be written again), with the index entries of the pages kept."""
    original = builder.load_indexer

    def load_indexer(docnames: Any) -> None:
        original(docnames)
        indexer = builder.indexer
        keep = set(builder.env.all_docs).difference(docnames)
        try:
            text = (builder.outdir / builder.searchindex_filename).read_text(encoding="utf-8")
            form = builder.indexer_format
            frozen = (indexer.formats[form] if isinstance(form, str) else form).loads(text)
            names = frozen["docnames"]
            entries: dict[str, list[tuple[str, str, str]]] = {}
            for entry, places in frozen["indexentries"].items():
                for doc, target, main in places:
                    entries.setdefault(names[doc], []).append((entry, target, "main" if main else ""))
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
            entries = {}  # an index this build did not write: the pages kept lose their index entries
        indexer._index_entries.clear()
        indexer._index_entries.update({doc: entries[doc] for doc in sorted(entries) if doc in keep})
        freeze = indexer.freeze

        def in_document_order() -> Any:  # as a clean build: pages in name order, no word of none
            for words in (indexer._mapping, indexer._title_mapping):
                for word in [word for word, docs in words.items() if not docs]:
                    del words[word]
            ordered = dict(sorted(indexer._index_entries.items()))
            indexer._index_entries.clear()
            indexer._index_entries.update(ordered)
            return freeze()

        indexer.freeze = in_document_order

    return load_indexer


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purged)
    app.connect("env-before-read-docs", _before_read, priority=900)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
