"""The reference parser on the styles historians use: Chicago notes and bibliography, APA, MLA,
Harvard and Wikipedia CS1, with roles, editions, volumes, name suffixes and particles, and the
title's language. ``tests/gold/historians.jsonl`` holds 92 strings from real works with their
fields checked by hand; the parser must get at least 95% of the fields right."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

import pytest

from book.references.refparse import parse_note, parse_reference
from book.references.refparse.languages import title_language

from .test_refparse import _score

GOLD = Path(__file__).resolve().parent / "gold" / "historians.jsonl"
ITEMS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_set_covers_every_style() -> None:
    styles = Counter(item["id"].split("/")[1] for item in ITEMS)
    assert len(ITEMS) >= 60
    for style in ("chicago-note", "chicago-bib", "apa", "mla", "harvard", "cs1", "short"):
        assert styles[style] >= 5, style
    fields = {k for item in ITEMS for ref in item["refs"] for k in ref}
    assert {"editor", "translator", "edition", "volumes", "volume", "langid"} <= fields


def test_field_accuracy_at_least_95_percent(capsys: pytest.CaptureFixture[str]) -> None:
    right = total = 0
    misses: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for item in ITEMS:
            r, t, m = _score(item, parse_note(item["text"]))
            right, total, misses = right + r, total + t, misses + m
    with capsys.disabled():
        print(
            f"\nhistorians' styles: {right}/{total} fields right ({right / total:.2%}) over {len(ITEMS)} strings"
        )
        for miss in misses:
            print("  miss:", miss)
    assert right / total >= 0.95, "\n".join(misses)


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            "Rosemary Horrox, ed. and trans., The Black Death (Manchester: MUP, 1994).",
            "translator",
            "Horrox, Rosemary",
        ),
        ("Horrox, Rosemary, ed. The Black Death. Manchester: MUP, 1994.", "editor", "Horrox, Rosemary"),
        (
            "Bloch, Marc. Feudal Society. Translated by L. A. Manyon. Chicago: UCP, 1961.",
            "translator",
            "Manyon, L. A.",
        ),
        ("Ziegler, Philip. The Black Death. 3rd ed. London: Collins, 1997.", "edition", "3rd"),
        ("Ranke, Leopold von. The History of the Popes. 3 vols. London: Bohn, 1847.", "volumes", "3"),
        (
            "Samuel K. Cohn Jr., The Black Death Transformed (London: Arnold, 2002), 41.",
            "author",
            "Cohn, Jr., Samuel K.",
        ),
        ("Gabriele de' Mussis, Historia de morbo (Manchester: MUP, 1994).", "author", "de' Mussis, Gabriele"),
    ],
)
def test_roles_names_and_editions(text: str, field: str, expected: str) -> None:
    ref = parse_reference(text)
    assert ref.fields.get(field) == expected, ref.fields
    assert "ed." not in ref.fields["title"] and "trans" not in ref.fields["title"]


def test_multi_volume_locator() -> None:
    ref = parse_reference(
        "Marc Bloch, Feudal Society, 2 vols. (Chicago: University of Chicago Press, 1961), 2:145."
    )
    assert (ref.locator, ref.fields["volumes"]) == ("2:145", "2")


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Der Schwarze Tod in Europa", "german"),
        ("La civilisation de l'Occident médiéval", "french"),
        ("Storia della peste e delle epidemie in Italia", "italian"),
        ("Historia de la medicina en España", "spanish"),
        ("The Road to Santiago de Compostela", None),
        ("The Black Death and the Transformation of the West", None),
        ("中俄关系史", None),
    ],
)
def test_title_language(title: str, language: str | None) -> None:
    assert title_language(title) == language
