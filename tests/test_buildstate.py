"""Content hashes that decide what a build redoes (book/build/buildstate.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from book.build import buildstate


def make_book(folder: Path) -> Path:
    (folder / "chapters").mkdir(parents=True)
    (folder / "chapters" / "one.md").write_text("# One\n\nText.\n", encoding="utf-8")
    (folder / "index.md").write_text("# Book\n", encoding="utf-8")
    (folder / "conf.py").write_text("project = 'x'\n", encoding="utf-8")
    (folder / "references.bib").write_text("@book{a, title = {A}}\n", encoding="utf-8")
    (folder / "README.md").write_text("About the project.\n", encoding="utf-8")
    (folder / "_build").mkdir()
    (folder / "dist").mkdir()
    return folder


def test_a_chapter_edit_changes_every_edition_hash(tmp_path: Path):
    book = make_book(tmp_path)
    before = buildstate.input_hashes(book, ["html", "pdf"])
    (book / "chapters" / "one.md").write_text("# One\n\nText, edited.\n", encoding="utf-8")
    after = buildstate.input_hashes(book, ["html", "pdf"])
    assert before["html"] != after["html"] and before["pdf"] != after["pdf"]
    assert before["html"] != before["pdf"]


def test_outputs_and_project_files_are_not_inputs(tmp_path: Path):
    book = make_book(tmp_path)
    before = buildstate.input_hashes(book, ["html"])
    (book / "README.md").write_text("Changed.\n", encoding="utf-8")
    (book / "_build" / "x.doctree").write_bytes(b"cache")
    (book / "dist" / "index.html").write_text("output", encoding="utf-8")
    assert buildstate.input_hashes(book, ["html"]) == before
    (book / "references.bib").write_text("@book{b, title = {B}}\n", encoding="utf-8")
    assert buildstate.input_hashes(book, ["html"]) != before


def test_source_date_epoch_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    book = make_book(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = buildstate.input_hashes(book, ["epub"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert buildstate.input_hashes(book, ["epub"]) != before


def test_another_package_version_changes_the_toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = buildstate.toolchain_hash()
    site = tmp_path / "site"
    (site / "sphinx-99.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    assert buildstate.toolchain_hash() != before


def test_state_round_trip_and_damaged_state(tmp_path: Path):
    state = buildstate.BuildState("tool", {"doctrees/a.doctree": "0" * 64}, {"html": {"inputs": "11"}})
    state.save(tmp_path)
    assert buildstate.BuildState.load(tmp_path) == state
    (tmp_path / buildstate.STATE_FILE).write_text('{"toolchain": ', encoding="utf-8")  # truncated
    assert buildstate.BuildState.load(tmp_path) == buildstate.BuildState()
