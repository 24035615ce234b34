"""The ``bibliography`` directive: where the back-matter list of works goes."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from .domain import citation_domain
from .nodes import bibliography_placeholder
from .report import report_error

__all__ = ["BibliographyDirective"]


class BibliographyDirective(SphinxDirective):
    """List works with the CSL style's bibliography layout, sorted by the style.

    Options (one of them; ``:cited:`` when none is given):

    ``:cited:``  every work cited anywhere in the book;
    ``:all:``    every entry of the .bib files;
    ``:keys:``   the works named, separated by spaces or commas (a reading list).
    """

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "cited": directives.flag,
        "all": directives.flag,
        "keys": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        modes = [mode for mode in ("cited", "all", "keys") if mode in self.options]
        node = bibliography_placeholder("", mode="cited", keys=[])
        self.set_source_info(node)
        if len(modes) > 1:
            report_error(
                self.env,
                f"bibliography: use one of :cited:, :all: or :keys:, not {', '.join(modes)}",
                node,
            )
            return []
        mode = modes[0] if modes else "cited"
        node["mode"] = mode
        domain = citation_domain(self.env)
        domain.note_bibliography(self.env.docname, mode)
        store = domain.store
        for path in store.dependencies:
            self.env.note_dependency(path)
        if mode == "keys":
            keys = self.options["keys"].replace(",", " ").split()
            known = []
            for key in keys:
                if key in store.database:
                    known.append(key)
                elif key not in store.database.broken_keys:
                    report_error(self.env, f"bibliography: unknown citation key {key!r}", node)
            node["keys"] = known
            domain.note_listed(self.env.docname, known)
            domain.note_keylist(self.env.docname, known)
        return [node]
