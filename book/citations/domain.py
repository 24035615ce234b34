"""The citation data kept in the Sphinx environment: per-document citations, lists and errors
(merged after parallel reads) and the loaded bibliography and style (``store``)."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any, ClassVar, cast

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from .loader import CitationStore, load_store

__all__ = ["CitationDomain", "citation_domain"]

#: the domain's per-document tables (purged for a re-read document, merged after parallel reads)
PER_DOCUMENT = ("cited", "listed", "keylists", "bibliographies", "errors", "requests", "rendered")


class CitationDomain(Domain):
    """Which keys each document cites or lists, its bibliographies, and its citation errors.

    The domain has no roles or directives of its own (``{cite}``, ``{note}`` and
    ``bibliography`` are registered globally); it is the env-data store Sphinx purges for a
    re-read document (:meth:`clear_doc`) and merges from parallel readers
    (:meth:`merge_domaindata`). ``store`` (the .bib files and the CSL style) is loaded once in
    the main process before the documents are read, pickled with the environment and read
    again only when one of its files changes.
    """

    name = "bookcite"
    label = "Book citations"
    data_version = 6
    initial_data: ClassVar[dict[str, Any]] = {  # Sphinx deep-copies it for a new environment
        "cited": {},  # docname -> [key, ...] in reading order
        "listed": {},  # docname -> [key, ...] from bibliography :keys:
        "keylists": {},  # docname -> [[key, ...], ...]: each :keys: reading list
        "bibliographies": {},  # docname -> [mode, ...]
        "errors": {},  # docname -> [message, ...]
        "requests": {},  # docname -> [element, ...]: its citations for the engine, in order
        "rendered": {},  # docname -> {cid: {"text": inlines, "note": inlines}} (after reading)
        "bibs": {},  # bibliography unit id -> [(key, inlines), ...] (after reading)
        "request": "",  # the cache key of the request that gave "rendered" and "bibs"
        "renderings": 0,  # how many times a rendering changed (a clock for "changed" and "taken")
        "changed": {},  # docname -> the clock when its rendering last changed
        "taken": {},  # builder name -> {docname -> the clock of the rendering it last wrote}
        "store": None,  # CitationStore: the .bib files and the CSL style
    }

    def load(self) -> CitationStore:
        """Read the .bib files and the style of conf.py, unless they are unchanged."""
        config = self.env.config
        self.data["store"] = load_store(
            self.env.srcdir, list(config.book_bibfiles), str(config.book_csl_style), self.data["store"]
        )
        return self.data["store"]

    @property
    def store(self) -> CitationStore:
        store: CitationStore | None = self.data["store"]
        return store if store is not None else self.load()

    def _store(self, kind: str, docname: str, values: Iterable[Any]) -> None:
        self.data[kind].setdefault(docname, []).extend(values)

    def note_cited(self, docname: str, keys: Iterable[str]) -> None:
        self._store("cited", docname, keys)

    def note_listed(self, docname: str, keys: Iterable[str]) -> None:
        self._store("listed", docname, keys)

    def note_bibliography(self, docname: str, mode: str) -> None:
        self._store("bibliographies", docname, [mode])

    def note_error(self, docname: str, message: str) -> None:
        self._store("errors", docname, [message])

    def note_keylist(self, docname: str, keys: list[str]) -> None:
        self._store("keylists", docname, [list(keys)])

    def note_request(self, docname: str, element: dict[str, Any]) -> None:
        self._store("requests", docname, [element])

    def rendered(self, docname: str) -> dict[str, dict[str, list[Any]]]:
        """The rendered citations of a document: cid -> {"text": inlines, "note": inlines}."""
        return self.data["rendered"].get(docname, {})

    @property
    def bibliographies(self) -> dict[str, list[tuple[str, list[Any]]]]:
        """Bibliography unit id ("bib:cited", "bib:all", "bib:keys:k1 k2") -> rendered entries."""
        return self.data["bibs"]

    @property
    def cited_keys(self) -> set[str]:
        """Every key cited in any document of the book."""
        return {key for keys in self.data["cited"].values() for key in keys}

    @property
    def listed_keys(self) -> set[str]:
        return {key for keys in self.data["listed"].values() for key in keys}

    @property
    def lists_all(self) -> bool:
        return any("all" in modes for modes in self.data["bibliographies"].values())

    def mark_changed(self, docnames: Set[str]) -> None:
        """Record that the rendering of ``docnames`` changed (every builder must write them)."""
        if docnames:
            self.data["renderings"] += 1
            for doc in docnames:
                self.data["changed"][doc] = self.data["renderings"]

    def take_changed(self, builder: str) -> set[str]:
        """The documents whose rendering changed since ``builder`` last wrote them (another
        builder of the same build may have rendered them first), marked as taken."""
        taken = self.data["taken"].setdefault(builder, {})
        stale = {doc for doc, clock in self.data["changed"].items() if taken.get(doc) != clock}
        taken.update(self.data["changed"])
        return stale

    def bibliography_docs(self, mode: str) -> list[str]:
        return sorted(doc for doc, modes in self.data["bibliographies"].items() if mode in modes)

    @property
    def error_docs(self) -> list[str]:
        return sorted(doc for doc, errors in self.data["errors"].items() if errors)

    def clear_doc(self, docname: str) -> None:
        for kind in PER_DOCUMENT:
            self.data[kind].pop(docname, None)
        self.data["request"] = ""  # render again after reading

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        # the store was loaded before the parallel readers started: the main process has it
        for kind in PER_DOCUMENT:
            for docname, values in otherdata.get(kind, {}).items():
                if docname in docnames:
                    self.data[kind][docname] = dict(values) if isinstance(values, dict) else list(values)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []


def citation_domain(env: BuildEnvironment) -> CitationDomain:
    """The environment's citation domain, typed."""
    return cast(CitationDomain, env.domains[CitationDomain.name])
