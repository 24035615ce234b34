"""The index's rules, the outline's [index] tables, the page list's reading of the .aux and the
DOCX's styles, without Sphinx or LaTeX."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from book.editions.docx import _hanging_bibliography, _text
from book.editions.pagelist import Pages, finish_epub
from book.editions.typeset import _digest
from book.errors import BookError
from book.sources.indexterms import Matcher, glossary_terms, index_spec, sort_key
from book.sources.outline import load_outline

OUTLINE = """[book]
title = "T"
author = "A"
[sources]
documents = ["d.txt"]
[index]
terms = ["Joseph Stalin", "Peter the Great", "Treaty of Kyakhta", "Kyakhta", "Siberia", "Mao Zedong",
         "Kuomintang", "Manchuria", "康熙帝", "Ivan Petrov", "Anna Petrov"]
[index.entries]
"Joseph Stalin" = "Stalin, Joseph"
"Ivan Petrov" = "Petrov, Ivan"
"Anna Petrov" = "Petrov, Anna"
[index.forms]
"Mao Zedong" = ["Mao"]
[index.see]
"KMT" = "Kuomintang"
[index.see_also]
"Kyakhta" = ["Treaty of Kyakhta"]
[index.topics."Manchuria"]
"railways" = ["railway"]
"Japanese invasion of" = ["Japan invades", "Manchukuo"]
"""


def outline(tmp_path: Path, text: str = OUTLINE):
    (tmp_path / "d.txt").write_text("T\n\nText.\n", encoding="utf-8")
    (tmp_path / "outline.toml").write_text(text, encoding="utf-8")
    return load_outline(tmp_path / "outline.toml")


@pytest.fixture
def matcher(tmp_path: Path) -> Matcher:
    return Matcher(index_spec(outline(tmp_path), ["Unequal treaties", "Kuomintang"]))


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.heading) for h in matcher.hits(text)]


def test_a_person_named_by_surname_alone_is_filed_under_the_person(matcher: Matcher):
    text = "Joseph Stalin spoke; later Stalin’s envoy and Mao came."
    assert found(matcher, text) == [
        ("Joseph Stalin", "Stalin, Joseph"),
        ("Stalin", "Stalin, Joseph"),
        ("Mao", "Mao Zedong"),
    ]
    assert found(matcher, "de-Stalinization and Stalinism") == []


def test_a_surname_two_indexed_people_share_names_neither(matcher: Matcher):
    assert found(matcher, "Petrov wrote to Ivan Petrov.") == [("Ivan Petrov", "Petrov, Ivan")]


def test_a_longer_name_is_no_hit_for_a_shorter_term(matcher: Matcher):
    assert found(matcher, "around Peter the Great Gulf, then") == []
    assert found(matcher, "in the Gulf of Peter the Great, where") == []
    assert found(matcher, "the Treaty of Kyakhta was signed") == [("Treaty of Kyakhta", "Treaty of Kyakhta")]
    assert found(matcher, "known as Kyakhta Russian-Chinese Pidgin") == []
    # a capitalised word that only opens a sentence does not make a longer name
    assert found(matcher, "Most of Siberia was forest. West of Siberia, Russia grew.") == [
        ("Siberia", "Siberia"),
        ("Siberia", "Siberia"),
    ]
    assert found(matcher, "In 1714, Peter the Great sent") == [("Peter the Great", "Peter the Great")]


def test_glossary_terms_and_other_forms(matcher: Matcher):
    assert found(matcher, "the unequal treaties and the KMT") == [
        ("unequal treaties", "Unequal treaties"),
        ("KMT", "Kuomintang"),
    ]
    assert found(matcher, "Unequal Treaties") == []  # only the first letter may change case


def test_chinese_terms_are_found_without_spaces(matcher: Matcher):
    assert found(matcher, "康熙帝派遣索额图") == [("康熙帝", "康熙帝")]


def test_topics_file_a_paragraph_under_its_sub_entries(matcher: Matcher):
    assert matcher.topics("Manchuria", "The Railways of Manchuria") == ["railways"]
    assert matcher.topics("Manchuria", "In 1931 Japan invades Manchuria; Manchukuo follows.") == [
        "Japanese invasion of"
    ]
    assert matcher.topics("Manchuria", "Manchuria alone") == []
    assert matcher.topics("Siberia", "railway") == []


def test_index_spec_cross_references(tmp_path: Path):
    spec = index_spec(outline(tmp_path))
    assert spec["see"] == {"KMT": "Kuomintang"}
    assert spec["see_also"] == {"Kyakhta": ["Treaty of Kyakhta"]}
    assert spec["forms"]["KMT"] == "Kuomintang" and spec["forms"]["Stalin"] == "Stalin, Joseph"
    assert spec["terms"]["Joseph Stalin"] == 7  # the outline's line, for the warning


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ('"KMT" = "Kuomintang"', 16, "the cross-reference 'KMT' points to 'Guomindang'"),
        ('"Kyakhta" = ["Treaty of Kyakhta"]', 18, "points to 'Kiakhta'"),
        ('[index.topics."Manchuria"]', 19, "[index.topics] names 'Manchuria '"),
        ('"Mao Zedong" = ["Mao"]', 13, "must be a list of texts"),  # the table's line
    ],
)
def test_a_bad_index_table_is_an_error_naming_its_line(tmp_path: Path, change: str, line: int, message: str):
    bad = {
        '"KMT" = "Kuomintang"': '"KMT" = "Guomindang"',
        '"Kyakhta" = ["Treaty of Kyakhta"]': '"Kyakhta" = ["Kiakhta"]',
        '[index.topics."Manchuria"]': '[index.topics."Manchuria "]',
        '"Mao Zedong" = ["Mao"]': '"Mao Zedong" = "Mao"',
    }[change]
    with pytest.raises(BookError) as error:
        outline(tmp_path, OUTLINE.replace(change, bad))
    assert error.value.line == line and message in error.value.message


def test_glossary_terms_of_myst_and_rst():
    myst = ":::{glossary}\nCCP\n  The party.\n\nUnequal treaties : legal\n  Treaties.\n:::\n"
    rst = ".. glossary::\n   :sorted:\n\n   Oirats\n      The western Mongols.\n"
    assert glossary_terms(myst) == ["CCP", "Unequal treaties"]
    assert glossary_terms(rst) == ["Oirats"]


def test_headings_file_letter_by_letter():
    keys = ["Li–Lobanov Treaty", "Lifan Yuan", "Liaodong Peninsula", "Stalin, Joseph", "Stalin"]
    assert sorted(keys, key=sort_key) == [
        "Liaodong Peninsula",
        "Lifan Yuan",
        "Li–Lobanov Treaty",
        "Stalin",
        "Stalin, Joseph",
    ]


# -- the page list -------------------------------------------------------------------------------

AUX = r"""\relax
\newlabel{chapters/one:one}{{}{1}{The First}{chapter*.3}{}}
\bookfolio{i}
\bookpage{contents}{i}
\bookfolio{1}
\bookpage{abc.1}{1}
\bookpage{abc.2}{1}
\bookfolio{2}
\bookpage{abc.3}{2}
\bookfolio{3}
\bookfolio{4}
\bookpage{genindex}{4}
"""


def test_the_aux_gives_every_page_and_every_mark(tmp_path: Path):
    aux = tmp_path / "book.aux"
    aux.write_text(AUX, encoding="utf-8")
    pages = Pages.read(aux)
    assert pages.folios == ["i", "1", "2", "3", "4"]
    assert pages.places["abc.3"] == "2" and pages.places["chapters/one:one"] == "1"


def test_page_lines_of_the_aux_cost_no_xelatex_pass(tmp_path: Path):
    first, second = tmp_path / "a.aux", tmp_path / "b.aux"
    first.write_text(AUX, encoding="utf-8")
    moved = AUX.replace(r"\bookpage{abc.3}{2}", r"\bookpage{abc.3}{3}").replace("\\bookfolio{4}\n", "")
    second.write_text(moved, encoding="utf-8")
    assert _digest(first) == _digest(second)
    second.write_text(AUX.replace("{The First}", "{The Second}"), encoding="utf-8")
    assert _digest(first) != _digest(second)


def _tiny_epub(folder: Path) -> None:
    page = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
        '<div class="body" role="main">{}</div></body></html>'
    )
    (folder / "chapters").mkdir(parents=True)
    (folder / "index.xhtml").write_text(page.format("<h1>T</h1>"), encoding="utf-8")
    one = '<section id="one"><h1>The First</h1><p><!--pm abc.1-->Words <!--pm abc.2-->more <!--pm abc.3-->last.</p></section>'
    (folder / "chapters" / "one.xhtml").write_text(page.format(one), encoding="utf-8")
    (folder / "genindex.xhtml").write_text(page.format("<h1>Index</h1>"), encoding="utf-8")
    (folder / "nav.xhtml").write_text("<html><body>\n  </body>\n</html>", encoding="utf-8")
    items = "".join(
        f'<item id="{i}" href="{h}" media-type="application/xhtml+xml" />'
        for i, h in (("a", "index.xhtml"), ("b", "chapters/one.xhtml"), ("c", "genindex.xhtml"))
    )
    spine = "".join(f'<itemref idref="{i}" />' for i in "abc")
    opf = f"<package><metadata>\n  </metadata><manifest>{items}</manifest><spine>{spine}</spine></package>"
    (folder / "content.opf").write_text(opf, encoding="utf-8")
    with zipfile.ZipFile(folder / "book.epub", "w") as archive:
        for name in ("content.opf", "nav.xhtml", "index.xhtml", "chapters/one.xhtml", "genindex.xhtml"):
            archive.write(folder / name, name)


def test_finishing_puts_each_page_at_its_first_mark_once(tmp_path: Path):
    folder = tmp_path / "epub"
    _tiny_epub(folder)
    aux = tmp_path / "book.aux"
    aux.write_text(AUX, encoding="utf-8")
    assert finish_epub(folder, aux, "book") == 5
    assert finish_epub(folder, aux, "book") == 5  # again: the same markers, none twice
    one = (folder / "chapters" / "one.xhtml").read_text(encoding="utf-8")
    assert one.count("book-page-1") == 1 and one.count("book-page-2") == 1
    assert (
        one.index('id="book-page-1"') < one.index("<h1>") < one.index("more") < one.index('id="book-page-2"')
    )
    index = (folder / "genindex.xhtml").read_text(encoding="utf-8")
    assert index.index('id="book-page-3"') < index.index('id="book-page-4"') < index.index("<h1>")  # page 3
    # has no mark: its marker stands with the next page's
    nav = (folder / "nav.xhtml").read_text(encoding="utf-8")
    assert nav.count('epub:type="page-list"') == 1 and nav.count("<li>") == 5
    with zipfile.ZipFile(folder / "book.epub") as archive:
        assert "book-page-2" in archive.read("chapters/one.xhtml").decode("utf-8")
    assert "<dc:source" in (folder / "content.opf").read_text(encoding="utf-8")
    assert finish_epub(folder, None, "book") == 0  # an EPUB built without the PDF: none left
    text = "".join(
        p.read_text(encoding="utf-8") for p in folder.rglob("*.*") if p.suffix in (".xhtml", ".opf")
    )
    assert "book-page" not in text and "page-list" not in text and "<dc:source" not in text
    with zipfile.ZipFile(folder / "book.epub") as archive:
        assert "book-page" not in archive.read("chapters/one.xhtml").decode("utf-8")


# -- the DOCX's styles and text ---------------------------------------------------------------


def test_the_bibliography_style_hangs():
    styles = '<w:styles><w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography" /><w:pPr /></w:style></w:styles>'
    assert '<w:ind w:left="720" w:hanging="720" />' in _hanging_bibliography(styles)
    assert 'w:styleId="Bibliography"' in _hanging_bibliography("<w:styles></w:styles>")


def test_text_becomes_words_and_spaces():
    assert _text("a  <b>\nc") == [
        {"t": "Str", "c": "a"},
        {"t": "Space"},
        {"t": "Str", "c": "<b>"},
        {"t": "Space"},
        {"t": "Str", "c": "c"},
    ]
