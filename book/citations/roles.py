"""The ``{cite}`` and ``{note}`` roles: parse the citation syntax, leave a pending note."""

from __future__ import annotations

from collections.abc import Set
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.domains import Domain
from sphinx.util.docutils import SphinxRole

from .nodes import pending_note
from .report import report_error
from .syntax import CitationSyntaxError, CiteItem, parse_citation, parse_note

__all__ = ["CiteFormsDomain", "CiteRole", "CiteTextRole", "NoteRole"]


class _NoteRoleBase(SphinxRole):
    kind = ""

    def parse(self, text: str) -> list[str | list[CiteItem]]:
        raise NotImplementedError

    def run(self) -> tuple[list[Node], list[system_message]]:
        source, line = self.get_source_info()
        try:
            segments = self.parse(self.text)
        except CitationSyntaxError as exc:
            placeholder = nodes.inline(self.rawtext, self.rawtext, classes=["citation-error"])
            placeholder.source, placeholder.line = source, line
            report_error(
                self.env,
                f"malformed citation in {{{self.kind}}}`{self.text}`: {exc.message}"
                f" (at character {exc.column + 1})",
                placeholder,
            )
            return [placeholder], []
        node = pending_note(self.rawtext, kind=self.kind, segments=segments)
        node.source, node.line = source, line
        return [node], []


class CiteRole(_NoteRoleBase):
    """``{cite}`\\`see @key, p. 5; @other\\``: a footnote holding one citation."""

    kind = "cite"

    def parse(self, text: str) -> list[str | list[CiteItem]]:
        return [parse_citation(text)]


class CiteTextRole(CiteRole):
    """``{cite:t}`\\`@key, p. 5\\``: the author in the text ("Perdue"), the citation as usual."""

    kind = "cite:t"


class NoteRole(_NoteRoleBase):
    """``{note}`\\`commentary [@key, p. 3] more text\\``: a footnote of text and citations."""

    kind = "note"

    def parse(self, text: str) -> list[str | list[CiteItem]]:
        segments = parse_note(text)
        if not any(isinstance(segment, str) and segment.strip() for segment in segments) and not any(
            isinstance(segment, list) for segment in segments
        ):
            raise CitationSyntaxError("empty note")
        return segments


class CiteFormsDomain(Domain):
    """Sphinx finds a role named ``x:y`` in domain ``x``: this one holds ``{cite:t}`` (author
    in text) and ``{cite:p}`` (the same as ``{cite}``). It keeps no data."""

    name = "cite"
    label = "Citation forms"
    roles: ClassVar[dict] = {"t": CiteTextRole(), "p": CiteRole()}

    def clear_doc(self, docname: str) -> None:
        pass  # no data

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        pass  # no data: safe for parallel reads
