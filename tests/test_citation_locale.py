"""Citations in the book's language, and where they stand against the punctuation (unit tests:
the engine and the placement of citations, no Sphinx).

Citeproc reads a locator's label only in the words of the locale ("S. 27" in German; "p. 27" is
a suffix there, printed as written): the engine gives it the locator's type and the locale's
own term for it, which citeproc prints itself (``locator-terms.csl``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docutils import nodes

from book.citations.engine import csl_locale, parse_result, punctuation_in_quote, render
from book.citations.inlines import plain_text
from book.citations.placement import place_in_text, place_marks

LOCATOR_TYPES = [
    "page", "chapter", "section", "volume", "book", "part", "figure", "note", "column",
    "paragraph", "line", "verse", "issue", "folio", "opus", "sub-verbo",
]  # fmt: skip
#: CSL 1.0.2 locator types Pandoc's citeproc does not read: the locale's word, printed as written
UNREAD = ["article", "table", "appendix"]
LOCALES = ["en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "ru-RU", "zh-CN"]


def _probe_style(path: Path) -> Path:
    """A style that prints the type citeproc read the locator as, and the locator: "page:27"."""
    branches = "".join(
        f'<{"if" if i == 0 else "else-if"} locator="{t}"><text value="{t}:"/></{"if" if i == 0 else "else-if"}>'
        for i, t in enumerate(LOCATOR_TYPES)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        "<info><title>probe</title><id>probe</id><updated>2026-01-01T00:00:00+00:00</updated></info>"
        f'<citation><layout><choose>{branches}</choose><text variable="locator"/></layout></citation>'
        "</style>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locator_is_read_in_the_books_language(tmp_path: Path, locale: str) -> None:
    from book.citations.engine import TERMS_STYLE

    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([{"id": "k", "type": "book", "title": "T"}]), encoding="utf-8")
    cites = [
        {"t": "cite", "id": t, "items": [{"key": "k", "mode": "NormalCitation", "label": t, "locator": "27"}]}
        for t in LOCATOR_TYPES + UNREAD
    ]
    request = {
        "csl": str(_probe_style(tmp_path / "probe.csl")),
        "references": str(refs),
        "lang": locale,
        "terms": str(TERMS_STYLE),
        "units": [{"id": "u", "paras": [[c] for c in cites]}],
    }
    rendered = parse_result(render(request)).citations
    assert {t: plain_text(rendered[t]["text"]) for t in LOCATOR_TYPES} == {
        t: f"{t}:27" for t in LOCATOR_TYPES
    }
    for kind in UNREAD:
        printed = plain_text(rendered[kind]["text"])
        assert printed.startswith("page:") and printed.endswith(" 27") and len(printed) > len("page: 27")


def test_page_and_chapter_labels_are_the_locales_words(tmp_path: Path) -> None:
    """A German book's notes say "S. 27" and "Kap. 3", a French one's "p. 27" and "chap. 3"."""
    from book.citations.engine import TERMS_STYLE

    refs = tmp_path / "refs.json"
    refs.write_text(
        json.dumps([{"id": "k", "type": "book", "title": "T", "author": [{"family": "Ivanov"}]}]),
        encoding="utf-8",
    )
    labels = {}
    for locale in ("de-DE", "fr-FR", "en-US"):
        cites = [
            {
                "t": "cite",
                "id": t,
                "items": [{"key": "k", "mode": "NormalCitation", "label": t, "locator": "27"}],
            }
            for t in ("page", "chapter")
        ]
        from book.citations.csl import resolve_style

        request = {
            "csl": str(resolve_style("apa", tmp_path)),
            "references": str(refs),
            "lang": locale,
            "terms": str(TERMS_STYLE),
            "units": [{"id": "u", "paras": [[c] for c in cites]}],
        }
        rendered = parse_result(render(request)).citations
        labels[locale] = [plain_text(rendered[t]["text"]) for t in ("page", "chapter")]
    assert labels["de-DE"][0].replace("\xa0", " ") == "(Ivanov, o. J., S. 27)"
    assert labels["fr-FR"][0].replace("\xa0", " ") == "(Ivanov, s. d., p. 27)"
    assert labels["en-US"][0] == "(Ivanov, n.d., p. 27)"
    assert labels["de-DE"][1].endswith("Kapitel 27)") and labels["fr-FR"][1].endswith("Chapitre 27)")


def test_locales_and_their_quotation_punctuation() -> None:
    assert csl_locale("zh_CN") == "zh-CN" and csl_locale("de") == "de" and csl_locale(None) is None
    assert punctuation_in_quote("en") and punctuation_in_quote("en-US") and punctuation_in_quote(None)
    assert (
        not punctuation_in_quote("en-GB")
        and not punctuation_in_quote("de")
        and not punctuation_in_quote("fr")
    )


# -- placement ---------------------------------------------------------------------------------


def _paragraph(*parts: str) -> tuple[nodes.paragraph, list[nodes.Element]]:
    """A paragraph of text and citations ("@" stands for a citation), and the citations."""
    paragraph = nodes.paragraph()
    cites = []
    for part in parts:
        if part == "@":
            cite = nodes.inline("", "(C)")
            cites.append(cite)
            paragraph += cite
        else:
            paragraph += nodes.Text(part)
    return paragraph, cites


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("the frontier.", "@"), "the frontier (C)."),  # after the stop: moved before it
        (("the frontier ", "@", "."), "the frontier (C)."),  # Pandoc's way: as written
        (("the frontier", "@", ", then"), "the frontier (C), then"),
        (("did they?", "@"), "did they (C)?"),
        (("a “line.”", "@"), "a “line” (C)."),  # the period leaves the quotation
        (("a “line?”", "@"), "a “line?” (C)"),  # a question mark belongs to it
        (("texte ;", "@"), "texte (C) ;"),  # French spacing kept
        (("(see ", "@", ")"), "(see (C))"),
        (("@", " opens the paragraph."), "(C) opens the paragraph."),
    ],
)
def test_an_in_text_citation_stands_before_the_punctuation(parts: tuple[str, ...], expected: str) -> None:
    paragraph, cites = _paragraph(*parts)
    for cite in cites:
        place_in_text(cite)
    assert paragraph.astext() == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("the frontier.", "@"), "the frontier.(C)"),  # as written
        (("the frontier ", "@", "."), "the frontier.(C)"),  # Pandoc's way: moved after the stop
        (("the frontier ", "@", " and more"), "the frontier(C) and more"),  # touches the word
        (("two ", "@", " ", "@", "."), "two.(C)(C)"),  # a run of marks moves as one
        (("did they ", "@", "?!"), "did they?!(C)"),
    ],
)
def test_a_note_mark_follows_the_punctuation(parts: tuple[str, ...], expected: str) -> None:
    paragraph, cites = _paragraph(*parts)
    place_marks(cites)
    assert paragraph.astext() == expected
