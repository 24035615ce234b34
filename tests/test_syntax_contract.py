"""The citation syntax as a contract: exact items, messages and error columns for the
markup the chapters use (book.citations.syntax). Written to pin behaviour down: a change in
what a citation means, or in where an error points, fails here."""

from __future__ import annotations

import pytest

from book.citations.syntax import (
    CitationSyntaxError,
    CiteItem,
    _bracket_groups,
    cite_role,
    escape_note_text,
    format_item,
    note_role,
    parse_citation,
    parse_note,
)

Item = CiteItem

CITES = [
    ("@a", [Item("a")]),
    ("see @a, p. 5", [Item("a", prefix="see ", label="page", locator="5")]),
    ("@a, pp. 182, 183", [Item("a", label="page", locator="182, 183")]),
    ("@a, 45", [Item("a", label="page", locator="45")]),
    ("@a, 23–50, 75–76", [Item("a", label="page", locator="23–50, 75–76")]),
    ("@a, chap. 3", [Item("a", label="chapter", locator="3")]),
    ("@a, ch 3", [Item("a", suffix=", ch 3")]),
    ("@a, sec. 2", [Item("a", label="section", locator="2")]),
    ("@a, § 4", [Item("a", label="section", locator="4")]),
    ("@a, vol. 2", [Item("a", label="volume", locator="2")]),
    ("@a, fol. 3r", [Item("a", label="folio", locator="3r")]),
    ("@a, n. 12", [Item("a", label="note", locator="12")]),
    ("@a, para. 3", [Item("a", label="paragraph", locator="3")]),
    ("@a, xiv", [Item("a", label="page", locator="xiv")]),
    ("@a, emphasis mine", [Item("a", suffix=", emphasis mine")]),
    ("@a, p. 5, emphasis mine", [Item("a", suffix=", emphasis mine", label="page", locator="5")]),
    ("@a, p. 5 and passim", [Item("a", suffix=" and passim", label="page", locator="5")]),
    ("-@a, p. 7", [Item("a", label="page", locator="7", suppress_author=True)]),
    ("see -@a", [Item("a", prefix="see ", suppress_author=True)]),
    ("a-@b", [Item("b", prefix="a- ")]),
    ("@a; @b, p. 2", [Item("a"), Item("b", label="page", locator="2")]),
    ("cf. @a:b-c.d_e, P. 9", [Item("a:b-c.d_e", prefix="cf. ", label="page", locator="9")]),
    ("@a , p. 3", [Item("a", suffix=" , p. 3")]),
    ("@a, pp. 3 - 4", [Item("a", label="page", locator="3 - 4")]),
    ("@a, 4ff", [Item("a", label="page", locator="4ff")]),
    ("@a, art. 4", [Item("a", label="article", locator="4")]),
    ("@a, tbl. 2", [Item("a", label="table", locator="2")]),
    ("@a, app. 1", [Item("a", label="appendix", locator="1")]),
    ("@a, ¶ 2", [Item("a", label="paragraph", locator="2")]),
    ("@a, l. 4", [Item("a", label="line", locator="4")]),
    ("@a, v. 3", [Item("a", label="verse", locator="3")]),
    ("@a, no. 7", [Item("a", label="issue", locator="7")]),
    ("@a, op. 3", [Item("a", label="opus", locator="3")]),
    ("@a, bk. 2", [Item("a", label="book", locator="2")]),
    ("@a, pt. 1", [Item("a", label="part", locator="1")]),
    ("@a, fig. 2", [Item("a", label="figure", locator="2")]),
    ("@a, col. 4", [Item("a", label="column", locator="4")]),
    ("@a, 12a", [Item("a", label="page", locator="12a")]),
    ("@a, I", [Item("a", label="page", locator="I")]),
    ("@a, II–IV", [Item("a", label="page", locator="II–IV")]),
    ("@a, 3 & 5", [Item("a", label="page", locator="3 & 5")]),
    ("@a, 3 and 5", [Item("a", label="page", locator="3 and 5")]),
    ("  @a  ", [Item("a")]),
    (
        "pre fix @a, p. 1; x @b",
        [Item("a", prefix="pre fix ", label="page", locator="1"), Item("b", prefix="x ")],
    ),
    ("@a b", [Item("a", suffix=" b")]),
]

LABELS = "use one of app., art., arts., bk., bks., ch., chap., chaps., col., cols., fig., figs., fol., fols., l., ll., n., nn., no., nos., op., opp., p., para., paras., pp., pt., pts., s.v., s.vv., sec., secs., tbl., v., vol., vols., vv. (or a bare number for a page)"

CITE_ERRORS = [  # (text, message, column)
    ("@", "'@' without a citation key in '@' (keys use letters, digits, _ and :.#$%&-+?<>~/)", 0),
    ("", "empty citation", 0),
    ("  ", "empty citation", 0),
    ("@k;", "empty citation item (a ';' with nothing after it?)", 3),
    ("[@k]", "unexpected '[' in a citation (write {cite}`@key, p. 3` without brackets)", 0),
    ("x@y", "no '@key' in citation item 'x@y'", 0),
    ("@a @b", "two '@' keys in one citation item '@a @b' (separate items with ';')", 3),
    ("@a, foo. 3", f"unknown locator label 'foo.'; {LABELS}", 4),
    ("@a, qq. 5", f"unknown locator label 'qq.'; {LABELS}", 4),
    ("@a;;@b", "empty citation item (a ';' with nothing after it?)", 3),
    ("see", "no '@key' in citation item 'see'", 0),
    ("@a]", "unexpected ']' in a citation (write {cite}`@key, p. 3` without brackets)", 2),
    (";@a", "empty citation item (a ';' with nothing after it?)", 0),
    ("@a, Zz. 4", f"unknown locator label 'Zz.'; {LABELS}", 4),
    ("@.a", "'@' without a citation key in '@.a' (keys use letters, digits, _ and :.#$%&-+?<>~/)", 0),
]

NOTES = [
    ("A [@a] b", ["A ", [Item("a")], " b"]),
    (
        "A [see @a, p. 3; @b] b.",
        ["A ", [Item("a", prefix="see ", label="page", locator="3"), Item("b")], " b."],
    ),
    ("[sic] and [@a]", ["[sic] and ", [Item("a")]]),
    ("\\[x\\] \\@ \\\\ [@a]", ["[x] @ \\ ", [Item("a")]]),
    ("a [b [c] d] e", ["a [b [c] d] e"]),
    ("t [-@a, p. 2]", ["t ", [Item("a", label="page", locator="2", suppress_author=True)]]),
    ("x [@a]y[@b]z", ["x ", [Item("a")], "y", [Item("b")], "z"]),
    ("[@a]", [[Item("a")]]),
    ("e@x.y [1]", ["e@x.y [1]"]),
    ("A \\[@a\\]", ["A [@a]"]),
    ("[x \\] y] [@a]", ["[x ] y] ", [Item("a")]]),
]

NOTE_ERRORS = [
    ("A [@a", "unbalanced brackets: '[' without ']'", 2),
    ("A @a]", "unbalanced brackets: ']' without '['", 4),
    ("A [@a [x]]", "nested brackets in a citation", 2),
    ("A [@a, foo. 3]", f"unknown locator label 'foo.'; {LABELS}", 7),
    ("A ] [", "unbalanced brackets: ']' without '['", 2),
    ("[[@a]]", "nested brackets in a citation", 0),
    ("A [@]", "'@' without a citation key in '@' (keys use letters, digits, _ and :.#$%&-+?<>~/)", 3),
    ("x\\\\]", "unbalanced brackets: ']' without '['", 3),
]


@pytest.mark.parametrize(("text", "items"), CITES)
def test_citation_items(text: str, items: list[CiteItem]) -> None:
    assert parse_citation(text) == items


@pytest.mark.parametrize(("text", "message", "column"), CITE_ERRORS)
def test_citation_errors_name_the_problem_and_its_column(text: str, message: str, column: int) -> None:
    with pytest.raises(CitationSyntaxError) as caught:
        parse_citation(text)
    assert (caught.value.message, caught.value.column, str(caught.value)) == (message, column, message)


def test_error_columns_count_from_the_offset() -> None:
    for text, column in (("@a, foo. 3", 14), ("@a;", 13), ("@a @b", 13), ("x", 10), ("@", 10), ("[", 10)):
        with pytest.raises(CitationSyntaxError) as caught:
            parse_citation(text, 10)
        assert caught.value.column == column, text


@pytest.mark.parametrize(("text", "segments"), NOTES)
def test_note_segments(text: str, segments: list[str | list[CiteItem]]) -> None:
    assert parse_note(text) == segments


@pytest.mark.parametrize(("text", "message", "column"), NOTE_ERRORS)
def test_note_errors_name_the_problem_and_its_column(text: str, message: str, column: int) -> None:
    with pytest.raises(CitationSyntaxError) as caught:
        parse_note(text)
    assert (caught.value.message, caught.value.column) == (message, column)


def test_bracket_groups_skip_escapes_and_nest() -> None:
    assert list(_bracket_groups("a [b] c")) == [(2, 4)]
    assert list(_bracket_groups("[a [b] c] [d]")) == [(0, 8), (10, 12)]
    assert list(_bracket_groups("\\[a\\] [b]")) == [(6, 8)]
    assert list(_bracket_groups("x")) == []


def test_error_defaults_to_column_zero() -> None:
    error = CitationSyntaxError("bad")
    assert (error.message, error.column, str(error), error.args) == ("bad", 0, "bad", ("bad",))


def test_writers_give_the_exact_markup() -> None:
    assert format_item("k") == "@k"
    assert format_item("k", "see") == "see @k"
    assert format_item("k", "", "p. 5") == "@k, p. 5"
    assert format_item("k", "cf.", "p. `5`; 6") == "cf. @k, p. ʼ5ʼ, 6"
    assert cite_role(["@a", "see @b, p. 2"]) == "{cite}`@a; see @b, p. 2`"
    assert cite_role(["@a"]) == "{cite}`@a`"
    assert escape_note_text("a [b] @c \\ `d`\nnext") == "a \\[b\\] \\@c \\\\ ʼdʼ next"
    assert note_role([" Text ", ["@a", "@b, p. 2"], " more. "]) == "{note}`Text [@a][@b, p. 2] more.`"
    assert note_role(["x"]) == "{note}`x`"
