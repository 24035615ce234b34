"""The PDF's xelatex passes: two for a clean build (the index's contents line already set in the
first), one after an edit that moves no page reference, begun on the last build's preamble
before the LaTeX is written (book/editions/earlypass.py) and giving the same bytes as a fresh pass."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import make_book, run_book


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.split("\f")


def _index_page_in_contents(pages: list[str]) -> int:
    contents = next(p for p in pages if re.search(r"^\s*Contents\s*$", p, re.M))
    found = re.search(r"^\s*Index[ .]*?(\d+)\s*$", contents, re.M)
    assert found, contents
    return int(found.group(1))


def _index_page_printed(pages: list[str]) -> int:
    """The folio of the page that opens the index (folios are centred at the foot of an opening)."""
    for page in pages:
        lines = [ln.strip() for ln in page.strip().splitlines() if ln.strip()]
        if lines and lines[0] == "Index":
            return int(lines[-1])
    raise AssertionError("no page opens with the Index heading")


@pytest.mark.sphinx
def test_clean_build_takes_two_passes_and_an_edit_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # comparable bytes
    book = make_book(tmp_path)
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8") + '\n[index]\nterms = ["steppe", "envoys"]\n')
    run_book("import", cwd=book, check=True)

    clean = run_book("publish", "pdf", cwd=book, check=True)
    passes = re.findall(r"xelatex pass (\d+)", clean.stdout + clean.stderr)
    assert passes == ["1", "2"], clean.stdout + clean.stderr
    pages = _pages(book / "dist" / "tiny.pdf")
    assert _index_page_in_contents(pages) == _index_page_printed(pages)
    assert any("steppe" in p and "envoys" in p for p in pages[-2:])

    chapter = next((book / "chapters").glob("*a-chapter*.md"))
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("for months", "for many months", 1), encoding="utf-8")
    edit = run_book("publish", "pdf", cwd=book, check=True)
    assert re.findall(r"xelatex pass (\d+)", edit.stdout + edit.stderr) == ["1"], edit.stdout + edit.stderr
    # the introduction and the part's page come before the edited chapter: sent ahead
    assert "xelatex pass 1 (begun while the LaTeX was written, 2 unchanged documents sent ahead)" in (
        edit.stdout
    ), edit.stdout
    assert "for many months" in "".join(_pages(book / "dist" / "tiny.pdf"))
    assert not (book / "_build" / "early").exists()  # its pipe and copies are gone

    # The early pass gives the bytes a fresh build gives.
    early_pdf = (book / "dist" / "tiny.pdf").read_bytes()
    shutil.rmtree(book / "_build")
    shutil.rmtree(book / "dist")
    run_book("publish", "pdf", cwd=book, check=True)
    assert (book / "dist" / "tiny.pdf").read_bytes() == early_pdf


@pytest.mark.sphinx
def test_a_changed_preamble_throws_the_early_pass_away(tmp_path: Path):
    book = make_book(tmp_path)  # a book without index entries: no index, still two passes
    first = run_book("publish", "pdf", cwd=book, check=True)
    assert re.findall(r"xelatex pass (\d+)", first.stdout) == ["1", "2"], first.stdout
    assert "Index" not in "".join(_pages(book / "dist" / "tiny.pdf"))
    outline = book / "outline.toml"
    outline.write_text(outline.read_text(encoding="utf-8").replace("A Tiny Book", "A Smaller Book"))
    again = run_book("publish", "pdf", cwd=book, check=True)
    assert "the pass begun early was not used (the preamble or its packages changed)" in again.stdout, (
        again.stdout
    )
    assert "A Smaller Book" in "".join(_pages(book / "dist" / "tiny.pdf"))


BODY = r"""\label{\detokenize{index::doc}}
Front matter.
\sphinxstepscope
\label{\detokenize{a::doc}}
Chapter A says {a}.
\sphinxstepscope
\label{\detokenize{b::doc}}
Chapter B says {b}.
\end{document}
"""


def _latex(folder: Path, a: str, b: str) -> None:
    preamble = "\\documentclass{article}\n\\providecommand\\sphinxstepscope{}\n\\begin{document}\n"
    (folder / "book.tex").write_text(preamble + BODY.replace("{a}", a).replace("{b}", b), encoding="utf-8")


def _xdv(folder: Path) -> bytes:
    data = (folder / "book.xdv").read_bytes()
    return data[15 + data[14] :]  # without the preamble's comment (it has the time of the run)


def test_the_unchanged_part_ends_where_the_first_changed_document_begins():
    from book.editions.earlypass import _unchanged_part

    body = BODY.replace("{a}", "x").replace("{b}", "y")
    before_b = body.index("\\sphinxstepscope\n\\label{\\detokenize{b::doc}}")
    assert _unchanged_part(body, {"b"}) == before_b
    assert _unchanged_part(body, {"a", "b"}) == body.index("\\sphinxstepscope")
    assert _unchanged_part(body, {"index"}) == 0
    assert _unchanged_part(body, set()) == before_b  # never the last document: the end follows


@pytest.mark.sphinx
def test_an_early_pass_whose_chapters_sent_ahead_changed_is_thrown_away(tmp_path: Path):
    """What was sent ahead is checked against the new LaTeX: equal, the pass gives the bytes a
    fresh pass gives; different (a chapter Sphinx did not name changed), it is dropped."""
    import threading

    from book.editions.earlypass import EarlyPass, tex_environment

    def fresh(folder: Path) -> None:
        cmd = ["xelatex", "-no-pdf", "-interaction=nonstopmode", "-no-shell-escape", "book.tex"]
        subprocess.run(cmd, cwd=folder, env=tex_environment(), capture_output=True, check=True)

    for edited, expected in (("b", None), ("a", "a chapter it had begun on changed")):
        latex = tmp_path / edited / "latex"
        latex.mkdir(parents=True)
        _latex(latex, "one", "one")
        fresh(latex)  # the last build
        early = EarlyPass.start(latex, "book", tmp_path / edited / "early")
        assert early is not None
        early.send_ahead({"b"})  # Sphinx names b only
        assert early.documents_ahead == 1
        _latex(latex, "two" if edited == "a" else "one", "two")
        assert early.finish(threading.Event()) == expected
        assert early.proc.poll() is not None
        assert not (tmp_path / edited / "early").exists()
        if expected is None:
            made = _xdv(latex)
            fresh(latex)
            assert made == _xdv(latex)
