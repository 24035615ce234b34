"""Per-document citation data kept in the Sphinx environment (merged after parallel reads)."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

__all__ = ["CitationDomain"]


class CitationDomain(Domain):
    """Which keys each document cites or lists, its bibliographies, and its citation errors.

    The domain has no roles or directives of its own (``{cite}``, ``{note}`` and
    ``bibliography`` are registered globally); it is the env-data store Sphinx purges for a
    re-read document (:meth:`clear_doc`) and merges from parallel readers
    (:meth:`merge_domaindata`).
    """

    name = "bookcite"
    label = "Book citations"
    data_version = 1
    initial_data: dict[str, dict[str, Any]] = {
        "cited": {},  # docname -> [key, ...] in reading order
        "listed": {},  # docname -> [key, ...] from bibliography :keys:
        "bibliographies": {},  # docname -> [mode, ...]
        "errors": {},  # docname -> [message, ...]
    }

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

    def bibliography_docs(self, mode: str) -> list[str]:
        return sorted(doc for doc, modes in self.data["bibliographies"].items() if mode in modes)

    @property
    def error_docs(self) -> list[str]:
        return sorted(doc for doc, errors in self.data["errors"].items() if errors)

    def clear_doc(self, docname: str) -> None:
        for table in self.data.values():
            if isinstance(table, dict):
                table.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for kind in self.initial_data:
            for docname, values in otherdata.get(kind, {}).items():
                if docname in docnames:
                    self.data[kind][docname] = list(values)

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
