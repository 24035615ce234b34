"""The Sphinx side of the extension: configuration values, nodes, roles, the directive,
transforms and event handlers (``setup``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import __version__
from .directives import BibliographyDirective
from .domain import CitationDomain, citation_domain
from .epub import install_epub_translator
from .nodes import bibliography_placeholder, pending_citation, pending_note
from .render import render_book
from .report import report_error
from .roles import CiteFormsDomain, CiteRole, NoteRole
from .transforms import BibliographyTransform, CitationFootnotes, FillCitations

__all__ = ["setup"]

logger = logging.getLogger(__name__)

DEFAULT_STYLE = "chicago-notes-bibliography"


def _conf_location(app: Sphinx, setting: str) -> str | None:
    """The line of conf.py that sets ``setting``, for messages about it ("conf.py:23"); None
    if conf.py does not set it (a location without a line would be read as a document name)."""
    conf = Path(app.confdir) / "conf.py"
    try:
        lines = conf.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    found = [n for n, text in enumerate(lines, 1) if re.match(rf"{setting}\s*=", text)]
    return f"{conf}:{found[-1]}" if found else None  # the last assignment is the one that holds


def _load(app: Sphinx) -> None:
    """builder-inited: read .bib files and the style (unless unchanged); report their problems
    every build."""
    store = citation_domain(app.env).load()
    for problem in store.database.problems:
        location = f"{problem.path}:{problem.line}" if problem.line else problem.path
        report = logger.warning if problem.warning else logger.error
        report(problem.message, location=location, type="book", subtype="bibtex")
    if store.style_error:
        logger.error(
            f"book_csl_style: {store.style_error}",
            location=store.style_error_location or _conf_location(app, "book_csl_style"),
            type="book",
            subtype="csl",
        )
    elif app.config.book_citation_ibid and store.style and not store.style.has_ibid:
        style = store.style_path.name if store.style_path else store.style_name
        logger.warning(
            f"book_citation_ibid is on but the CSL style {style!r} has no ibid "
            "branch, so repeated cites keep the short form; use a style such as "
            "'chicago-notes-bibliography-subsequent-ibid'",
            location=_conf_location(app, "book_citation_ibid"),
            type="book",
            subtype="csl",
        )
    install_epub_translator(app)


STATIC = Path(__file__).parent / "static"
#: LaTeX: the entries of a ``bibliography`` container (class "bibliography") hang by 2em
LATEX_HANGING = (
    "\n% book.citations: bibliography entries with a hanging indent\n"
    "\\newenvironment{sphinxclassbibliography}"
    "{\\par\\csname @nobreakfalse\\endcsname\\everypar{}"  # hang after a heading too
    "\\setlength{\\leftskip}{2em}\\setlength{\\parindent}{-2em}}{\\par}\n"
)


def _styles(app: Sphinx, config: Any) -> None:
    """config-inited: hanging indents for the bibliography in every edition."""
    if str(STATIC) not in [str(p) for p in config.html_static_path]:
        config.html_static_path = [*config.html_static_path, str(STATIC)]
    elements = dict(config.latex_elements)
    if LATEX_HANGING not in elements.get("preamble", ""):
        elements["preamble"] = elements.get("preamble", "") + LATEX_HANGING
        config.latex_elements = elements


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: read documents with citation errors again until they are fixed."""
    return [doc for doc in citation_domain(env).error_docs if doc not in removed]


def _updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-updated: render the book's citations (once); rewrite the pages whose rendering
    changed, in this builder or in an earlier one of the same build (a bibliography page is
    among them when its list changed: a document cited a new work, say)."""
    domain = citation_domain(env)
    changed = render_book(env, domain) | domain.take_changed(app.builder.name)
    return sorted(changed & env.found_docs)


def _check_unused(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: the warnings about the entries the book uses (a crossref to no
    entry), and the entries cited nowhere and listed nowhere as one summary line
    (a bibliography file holds more works than one book cites; ``book_warn_uncited = True``
    names each as a warning)."""
    domain = citation_domain(env)
    database = domain.store.database
    used = set(database.where) if domain.lists_all else domain.cited_keys | domain.listed_keys
    for key in sorted(used & set(database.entry_warnings)):
        for problem in database.entry_warnings[key]:
            logger.warning(
                problem.message, location=f"{problem.path}:{problem.line}", type="book", subtype="bibtex"
            )
    unused = [(key, where) for key, where in database.where.items() if key not in used]
    if not unused:
        return
    if app.config.book_warn_uncited:
        for key, (path, line) in unused:
            logger.warning(
                f"bibliography entry {key!r} ({Path(path).name}) is not cited and not listed",
                location=f"{path}:{line}",
                type="book",
                subtype="unused",
            )
        return
    logger.info(f"{len(unused)} of {len(database.where)} bibliography entries are not cited")


_UNCLOSED = re.compile(r"\{(cite|note|cite:t)\}`")
_LITERAL = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)


def _check_unclosed(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: a ``{cite}`` or ``{note}`` left as text (no closing backtick) is an error."""
    for text in doctree.findall(nodes.Text):
        match = _UNCLOSED.search(text.astext())
        if match is None or isinstance(text.parent, _LITERAL):
            continue
        where = text.parent
        while where is not None and where.line is None:
            where = where.parent
        report_error(
            app.env,
            f"unterminated {{{match.group(1)}}} role: no closing backtick in "
            f"{text.astext()[match.start() : match.start() + 40]!r}",
            where or text.parent,
        )


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: bad citation input fails the build (exit status 1), -W or not."""
    if exception is not None or app.builder is None:
        return
    domain = citation_domain(app.env)
    if domain.error_docs or domain.store.failed:
        app.statuscode = 1


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_bibfiles", ["references.bib"], "env", types=frozenset({list, tuple}))
    app.add_config_value("book_csl_style", DEFAULT_STYLE, "env", types=frozenset({str}))
    app.add_config_value("book_citation_ibid", False, "env", types=frozenset({bool}))
    app.add_config_value("book_warn_uncited", False, "env", types=frozenset({bool}))
    # the annote/annotation field printed after the bibliography entry (a reading list's remarks);
    # off, it is the author's own note on the work, never printed, as in biblatex's styles
    app.add_config_value("book_print_annotations", False, "env", types=frozenset({bool}))
    app.add_domain(CitationDomain)
    app.add_node(pending_note)
    app.add_node(pending_citation)
    app.add_node(bibliography_placeholder)
    app.add_role("cite", CiteRole())
    app.add_domain(CiteFormsDomain)
    app.add_role("note", NoteRole())
    app.add_directive("bibliography", BibliographyDirective)
    app.add_transform(CitationFootnotes)
    app.add_post_transform(FillCitations)
    app.add_post_transform(BibliographyTransform)
    app.connect("config-inited", _styles)
    app.add_css_file("bookcite.css")
    app.connect("builder-inited", _load)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-updated", _updated)
    app.connect("env-check-consistency", _check_unused)
    app.connect("doctree-read", _check_unclosed)
    app.connect("build-finished", _finished)
    return {
        "version": __version__,
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
