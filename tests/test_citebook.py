"""The year "Cite this book" gives: the outline's release date before any clock."""

from __future__ import annotations

import pytest

from book.editions.citebook import _year


def test_year_comes_from_the_release_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # 1970: must not win over the outline's date
    assert _year("2026-11-23") == 2026
    assert _year("1999") == 1999


def test_year_falls_back_to_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01
    assert _year("") == 2000
    assert _year("Spring") == 2000
