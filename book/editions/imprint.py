"""The imprint: who holds the rights, under which licence, where the text comes from, who
published it, which edition and when. One structure for the three editions: the PDF's
copyright page (``latexbook``), the EPUB's imprint page and ``dc:rights`` (``ebook``), the HTML's
footer and rights page (``site``).

Every English word the imprint prints is in :data:`WORDS` (to be moved into a message
catalogue for books in other languages); the rest comes from ``outline.toml``.
"""

from __future__ import annotations

import datetime as dt
import html
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from book.sources.outline import Outline
from book.sources.reader import read_document
from book.sources.rights import Attribution, licence_of

__all__ = ["IMPRINT_PAGE", "WORDS", "Imprint", "Run", "imprint", "long_date", "rights_line", "setup"]

IMPRINT_PAGE = "imprint"  # the imprint's page in the HTML and the EPUB (imprint.html, imprint.xhtml)

WORDS: dict[str, str] = {  # keys and {placeholders} as in the catalogue's en.toml
    "imprint_page": "Copyright",  # the EPUB's imprint page: its title, in the contents and landmarks
    "rights_page": "Rights and sources",  # the HTML's imprint page, linked from every footer
    "copyright_year": "© {year} {holder}",
    "copyright": "© {holder}",  # no release date
    "rights_scope": "The rights and the licence cover {scope}.",
    "licensed_under": "This book is licensed under {licence}: ",  # the licence's address follows
    "sources_of_the_text": "Sources of the text",
    "untitled_document": "An untitled document",
    "by_author": "by {author}",
    "source_licence": "Licence: {licence}, ",  # the licence's address follows
    "licence_not_stated": "Licence: not stated in the document.",
    "source_not_recorded": "Its author, address and licence are not recorded.",
    "published_by": "Published by {publisher}",  # these three are in the catalogue already
    "edition": "Edition {edition}",
    "printing": "Printing:",
    "months": "January February March April May June July August September October November December",
}

Run = tuple[str, str]  # (text, link address or "")


@dataclass(frozen=True)
class Imprint:
    """The imprint's paragraphs, each a list of runs of text (a run with an address is a link)."""

    title: str
    rights: list[list[Run]] = field(default_factory=list)  # ©, licence, scope, [book] rights
    sources: list[list[Run]] = field(default_factory=list)  # one paragraph per source document
    publisher: str = ""
    edition: str = ""
    date: str = ""
    licence_url: str = ""  # the book's licence (rel="license", XMP WebStatement)


def long_date(day: dt.date) -> str:
    """``2026-11-23`` -> ``23 November 2026``."""
    return f"{day.day} {WORDS['months'].split()[day.month - 1]} {day.year}"


def imprint(outline: Outline) -> Imprint:
    """The book's imprint from its outline."""
    day = outline.release_day
    rights: list[list[Run]] = []
    if outline.rights_holder:
        year = str(day.year) if day else ""
        key = "copyright_year" if year else "copyright"
        rights.append([(WORDS[key].format(year=year, holder=outline.rights_holder) + ".", "")])
    licence = licence_of(outline.licence) if outline.licence else None
    if licence:
        rights.append(
            [
                (WORDS["licensed_under"].format(licence=licence.name), ""),
                (licence.url, licence.url),
                (".", ""),
            ]
        )
    if outline.rights_scope:
        rights.append([(WORDS["rights_scope"].format(scope=outline.rights_scope.rstrip(".")), "")])
    if outline.rights:
        rights.append([(outline.rights, "")])
    return Imprint(
        title=outline.full_title,
        rights=rights,
        sources=[_source(outline, document) for document in outline.documents],
        publisher=WORDS["published_by"].format(publisher=outline.publisher) if outline.publisher else "",
        edition=WORDS["edition"].format(edition=outline.edition),
        date=long_date(day) if day else "",
        licence_url=licence.url if licence else "",
    )


def _source(outline: Outline, document: Path) -> list[Run]:
    """One source document's credit: as its attribution says, else by its own title."""
    attribution = outline.attribution(document)
    if attribution is None:
        title = _own_title(document)
        return [
            (f"“{title}.” " if title else WORDS["untitled_document"] + ". ", ""),
            (WORDS["source_not_recorded"], ""),
        ]
    return _credit(attribution, attribution.title or _own_title(document))


def _credit(a: Attribution, title: str) -> list[Run]:
    """“Title,” by Author, Site. Address. Licence: … Note. (The title is the attribution's, else
    the document's own first line.)"""
    who = ", ".join(x for x in (WORDS["by_author"].format(author=a.author) if a.author else "", a.site) if x)
    if title:
        head = f"“{title},” {who}. " if who else f"“{title}.” "
    else:
        head = WORDS["untitled_document"] + (f", {who}. " if who else ". ")
    runs: list[Run] = [(head, "")]
    if a.url:
        runs += [(a.url, a.url), (". ", "")]
    licence = a.licence_info
    if licence:
        runs += [
            (WORDS["source_licence"].format(licence=licence.name), ""),
            (licence.url, licence.url),
            (".", ""),
        ]
    else:
        runs.append((WORDS["licence_not_stated"], ""))
    if a.note:
        runs.append((" " + a.note, ""))
    return runs


def _own_title(document: Path) -> str:
    with warnings.catch_warnings():  # the build reports the documents' problems itself
        warnings.simplefilter("ignore")
        return read_document(document, strict=False).title


def rights_line(outline: Outline) -> str:
    """The rights in one line of plain text (EPUB ``dc:rights``, the PDF's XMP ``dc:rights``)."""
    text = " ".join("".join(t for t, _ in paragraph) for paragraph in imprint(outline).rights)
    return text or outline.publisher or outline.author


# -- the imprint page and the footer (HTML and EPUB) -----------------------------------------


def html_runs(runs: list[Run], licence_url: str = "") -> str:
    """A paragraph's runs as HTML: text escaped, an address a link (the book's licence rel="license")."""
    out = []
    for text, url in runs:
        if not url:
            out.append(html.escape(text))
            continue
        rel = ' rel="license"' if url == licence_url else ""
        out.append(f'<a class="reference external" href="{html.escape(url)}"{rel}>{html.escape(text)}</a>')
    return "".join(out)


def imprint_body(words: Imprint) -> str:
    """The imprint page's content: what the PDF's copyright page prints, less the printing line."""

    def para(runs: list[Run], cls: str = "") -> str:
        return f"<p{f' class={cls!r}' if cls else ''}>{html_runs(runs, words.licence_url)}</p>"

    parts = [para([(words.title, "")], "book-imprint-title"), *(para(p) for p in words.rights)]
    if words.sources:
        parts.append(f'<h2 id="book-imprint-sources">{html.escape(WORDS["sources_of_the_text"])}</h2>')
        parts += [para(p, "book-imprint-source") for p in words.sources]
    parts += [para([(line, "")]) for line in (words.publisher, words.edition, words.date) if line]
    return "\n".join(parts).replace("class='", 'class="').replace("'>", '">')


def footer_rights(words: Imprint, rights_page: str) -> str:
    """Every HTML page's footer: the copyright line, the licence (rel="license") and a link to
    the rights page with the sources."""
    first = [html_runs(p, words.licence_url) for p in words.rights[:2]]
    more = f'<a class="reference internal" href="{html.escape(rights_page)}">{html.escape(WORDS["rights_page"])}</a>'
    return " ".join([*first, more])


def _outline(app: Sphinx) -> Outline | None:
    from book.sources.outline import load_outline

    path = getattr(app.config, "book_outline", "")
    return load_outline(path) if path else None


def _collect_pages(app: Sphinx) -> Any:
    outline = _outline(app) if app.builder.name in ("html", "dirhtml", "epub") else None
    if outline is None:
        return []
    words = imprint(outline)
    title = WORDS["imprint_page"] if app.builder.name == "epub" else WORDS["rights_page"]
    context = {"title": title, "book_imprint": imprint_body(words)}
    return [(IMPRINT_PAGE, context, "book-imprint.html")]


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in ("html", "dirhtml"):
        return
    if "book_imprint" not in app.env.temp_data:
        _env_updated(app, app.env)
    words = app.env.temp_data["book_imprint"]
    if words is not None:
        context["book_footer_rights"] = footer_rights(words, context["pathto"](IMPRINT_PAGE))
        context["book_licence_url"] = words.licence_url


def _env_updated(app: Sphinx, env: Any) -> None:
    """Once a build has read its sources: the imprint, for every page's footer."""
    outline = _outline(app) if app.builder.name in ("html", "dirhtml") else None
    env.temp_data["book_imprint"] = imprint(outline) if outline else None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-updated", _env_updated)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("html-page-context", _page_context)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
