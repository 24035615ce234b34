"""Pandoc's citeproc within limits, and its cache read back only when it parses
(book/citations/engine.py): a CSL style whose macro calls itself stops in seconds with one
message naming the style (it ran 140 s to 23 GB); a run past its time limit says so; a cached
rendering that is damaged or not what Pandoc writes is rendered again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from book.citations.csl import resolve_style
from book.citations.engine import CiteprocError, render, render_parsed, request_key

from .conftest import ROOT

LOOP = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Loop</title><id>loop</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="loop"><group><text variable="title"/><text macro="loop"/></group></macro>
  <citation><layout><text macro="loop"/></layout></citation>
  <bibliography><layout><text macro="loop"/></layout></bibliography>
</style>
"""


def _request(folder: Path, csl: Path) -> dict[str, Any]:
    references = folder / "references.json"
    item = {"id": "smith", "type": "book", "title": "Rivers of the North", "author": [{"family": "Smith"}]}
    references.write_text(json.dumps([item]), encoding="utf-8")
    cite = {"t": "cite", "id": "c1", "items": [{"key": "smith", "prefix": "", "suffix": ""}]}
    return {
        "csl": str(csl),
        "references": str(references),
        "units": [{"id": "ch", "paras": [[cite]], "bibliography": True}],
    }


@pytest.fixture
def request_(tmp_path: Path) -> dict[str, Any]:
    return _request(tmp_path, resolve_style("chicago-notes-bibliography-book", ROOT))


def test_a_style_that_calls_itself_stops_naming_the_style(tmp_path: Path) -> None:
    style = tmp_path / "loop.csl"
    style.write_text(LOOP, encoding="utf-8")
    with pytest.raises(CiteprocError) as caught:
        render(_request(tmp_path, style))
    message = str(caught.value)
    assert "ran out of stack" in message and "the CSL style loop.csl" in message, message


def test_the_copy_without_ibid_is_named_as_the_author_named_the_style(tmp_path: Path) -> None:
    style = tmp_path / "loop-no-ibid.csl"  # what book_citation_ibid = False renders with
    style.write_text(LOOP, encoding="utf-8")
    with pytest.raises(CiteprocError, match=r"the CSL style loop\.csl "):
        render(_request(tmp_path, style))


def test_a_run_past_its_time_limit_is_one_message(request_: dict[str, Any]) -> None:
    with pytest.raises(CiteprocError, match=r"ran longer than its limit of 0\.001 s with the CSL style"):
        render(request_, seconds=0.001)


@pytest.mark.parametrize(
    "cached",
    ['{"blocks": [{"t": "Div", "c": 5}]}', "[" * 100_000 + "]" * 100_000, '{"blocks": "x"', "[]"],
    ids=["not-pandoc-json", "nested", "torn", "a-list"],
)
def test_a_cached_rendering_that_does_not_parse_is_rendered_again(
    request_: dict[str, Any], tmp_path: Path, cached: str
) -> None:
    cache = tmp_path / "cache"
    expected = render_parsed(request_, cache)
    path = cache / f"{request_key(request_)}.json"
    assert path.is_file()
    path.write_text(cached, encoding="utf-8")
    assert render_parsed(request_, cache) == expected
    assert json.loads(path.read_text(encoding="utf-8"))["blocks"]  # Pandoc's own again
