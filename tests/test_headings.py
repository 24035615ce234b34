"""Guessed heading levels: decided by the whole document's pattern, on documents with several
groups of headings (a heading directly followed by another opens a section with subsections)."""

from __future__ import annotations

from pathlib import Path

from book.sources.model import Heading
from book.sources.reader import read_document


def levels(tmp_path: Path, lines: list[str]) -> list[tuple[str, int]]:
    path = tmp_path / "doc.txt"
    path.write_text("A Title\n\nThe lead paragraph says what the essay is about.\n" + "\n".join(lines) + "\n")
    doc = read_document(path)
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert all(h.why for h in heads)
    return [(h.text, h.level) for h in heads]


TEXT = "Some text of the section, long enough to be a paragraph and ending with a full stop."


def test_several_groups_each_open_a_top_level_section(tmp_path: Path) -> None:
    got = levels(
        tmp_path,
        ["Origins", "In the Steppe", TEXT, "At the Coast", TEXT,
         "Spread", "By Sea", TEXT, "By Land", TEXT,
         "Consequences", "For the Towns", TEXT, "For the Villages", TEXT],
    )  # fmt: skip
    assert got == [
        ("Origins", 1), ("In the Steppe", 2), ("At the Coast", 2),
        ("Spread", 1), ("By Sea", 2), ("By Land", 2),
        ("Consequences", 1), ("For the Towns", 2), ("For the Villages", 2),
    ]  # fmt: skip


def test_top_level_sections_after_a_group_are_not_demoted(tmp_path: Path) -> None:
    # The top-level headings carry years and a subtitle; the subsections are plain names.
    got = levels(
        tmp_path,
        ["Europe before 1347: An Overview", TEXT,
         "The Arrival of 1347: Ports and Fleets", "Caffa", TEXT, "Messina", TEXT,
         "The Aftermath of 1351: Labour and Land", TEXT,
         "Mortality in 1348: The Estimates", "Florence", TEXT, "Siena", TEXT,
         "Historiography since 1900: The Debates", TEXT],
    )  # fmt: skip
    assert got == [
        ("Europe before 1347: An Overview", 1),
        ("The Arrival of 1347: Ports and Fleets", 1), ("Caffa", 2), ("Messina", 2),
        ("The Aftermath of 1351: Labour and Land", 1),
        ("Mortality in 1348: The Estimates", 1), ("Florence", 2), ("Siena", 2),
        ("Historiography since 1900: The Debates", 1),
    ]  # fmt: skip


def test_numbered_headings_take_the_depth_of_their_number(tmp_path: Path) -> None:
    got = levels(
        tmp_path,
        ["1. Origins", TEXT, "1.1 In the Steppe", TEXT, "1.2 At the Coast", TEXT,
         "2. Spread", "2.1 By Sea", TEXT, "3. Consequences", TEXT, "3.1 For the Towns", TEXT,
         "3.1.1 Florence", TEXT, "4. Legacy", TEXT],
    )  # fmt: skip
    assert [lvl for _, lvl in got] == [1, 2, 2, 1, 2, 1, 2, 3, 1]


def test_a_chain_of_headings_is_a_chain_of_parents(tmp_path: Path) -> None:
    got = levels(tmp_path, ["Part One", "The War", "First Battles", TEXT, "Later Battles", TEXT,
                            "Part Two", "The Peace", TEXT])  # fmt: skip
    assert got == [
        ("Part One", 1), ("The War", 2), ("First Battles", 3), ("Later Battles", 3),
        ("Part Two", 1), ("The Peace", 2),
    ]  # fmt: skip


def test_reasons_name_what_decided(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(
        f"A Title\n\n{TEXT}\nEurope before 1347: An Overview\n{TEXT}\nThe Arrival of 1347: Ports\nCaffa\n"
        f"{TEXT}\nThe Aftermath of 1351: Labour\n{TEXT}\n"
    )
    heads = {b.text: b.why for b in read_document(path).blocks if isinstance(b, Heading)}
    assert heads["Caffa"] == "directly after 'The Arrival of 1347: Ports': its subsection"
    assert "looks like the top-level" in heads["The Aftermath of 1351: Labour"]


def test_a_heading_unlike_the_groups_subsections_ends_the_group(tmp_path: Path) -> None:
    got = levels(
        tmp_path,
        ["Sources", TEXT, "The Arrival of the Plague", "Spring 1348", TEXT, "Summer 1348", TEXT,
         "Mortality", TEXT, "Responses", "Civic Measures", TEXT, "Religious Processions", TEXT,
         "Conclusion", TEXT],
    )  # fmt: skip
    assert got == [
        ("Sources", 1), ("The Arrival of the Plague", 1), ("Spring 1348", 2), ("Summer 1348", 2),
        ("Mortality", 1), ("Responses", 1), ("Civic Measures", 2), ("Religious Processions", 2),
        ("Conclusion", 2),  # nothing tells it apart from the subsections: it continues the group
    ]  # fmt: skip
