"""Source text must come out of MyST exactly as written, however hostile."""

from __future__ import annotations

import pytest
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from book.sources import myst

HOSTILE = [
    r"\input{/etc/passwd} and \write18{rm -rf /} cost $5 & 10% off_{x}^2 #1 ~ }{",
    "<script>alert('x')</script> <b>bold</b> &amp; &lt;",
    "*not emphasis* _nor this_ `nor code` [not a link](http://x) {cite}`nope`",
    "# not a heading",
    "- not a list",
    "1. not a numbered list",
    "> not a quote",
    ":::{note} not a directive",
    "% not a comment",
    "(label)= not a target",
    "Chʻing, Sükhbaatar, 1755–1917, Россия, 中国",
]


def text_of(source: str) -> str:
    doctree = publish_doctree(
        source,
        parser=Parser(),
        settings_overrides={"myst_enable_extensions": ["colon_fence"], "report_level": 5},
    )
    return doctree.astext()


@pytest.mark.parametrize("raw", HOSTILE)
def test_escaped_text_comes_out_literally(raw: str):
    assert text_of(myst.escape(raw)) == raw


def test_slug():
    assert myst.slug("Treaty of Nerchinsk (1689)") == "treaty-of-nerchinsk-1689"
    assert myst.slug("Sükhbaatar – 1755–1917") == "sukhbaatar-1755-1917"
    assert myst.slug("Россия") == "untitled"
