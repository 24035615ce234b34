"""``make bench``, the input's size: loading ``outline.toml`` and importing the documents take time
in proportion to their headings (both were quadratic: 2,000 headings took 27 s to load).

A book of 800 headings and one of 4,000 (five times as many) are generated in the source form:
two documents, each heading followed by a paragraph with a note, and an outline that lists every
heading (``chapter_per_document``, so that no document passes the limit of 2,000 headings).
Each step is timed in this process, by its CPU time, the best of :data:`RUNS` runs (the machine
is shared: the fastest run is the one least disturbed); linear is at most 6× for five times the
size. ``python -m book.commands.benchinput`` prints the figures alone.
"""

from __future__ import annotations

import functools
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from book.commands.bench import Row, _target, run_alone
from book.commands.importer import import_book
from book.sources.outline import load_outline

SIZES = (800, 4000)
RUNS = 11
TARGET = 6.0  # for 5× the headings


def headings_book(folder: Path, headings: int) -> Path:
    """A book of ``headings`` headings over two documents, in ``folder``; its outline."""
    (folder / "documents").mkdir(parents=True)
    names = []
    for doc in (1, 2):
        body = [f"Document {doc}", ""]
        for n in range(headings // 2):
            body += [f"Heading {doc}-{n}", "", f"A paragraph about heading {n} of document {doc}.[1]", ""]
        body += [
            "Notes and References",
            "",
            "- ↑ Smith, John. Rivers of the North. London: Penguin, 2001, p. 7.",
        ]
        (folder / "documents" / f"doc-{doc}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
        names.append(f'"documents/doc-{doc}.txt"')
    lines = ["[book]", 'title = "Headings"', 'author = "Bench"', "[sources]", f"documents = [{', '.join(names)}]",
             "chapter_per_document = true", "[headings]"]  # fmt: skip
    lines += [f'"Heading {doc}-{n}" = "chapter"' for doc in (1, 2) for n in range(headings // 2)]
    outline = folder / "outline.toml"
    outline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outline


def _best(step: Callable[[], object]) -> float:
    """The CPU time of the fastest of :data:`RUNS` runs of ``step`` (CPU time: the machine is
    shared, and a few milliseconds of wall-clock time are mostly the other programs')."""
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    return min(times)


def _import(outline: Path) -> None:
    chapters = outline.parent / "chapters"
    shutil.rmtree(chapters, ignore_errors=True)
    (outline.parent / "index.md").unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import_book(outline, chapters)


def input_scaling(work: Path) -> list[Row]:
    """Loading the outline and importing the documents, at 800 and 4,000 headings."""
    outlines = {n: headings_book(work / f"headings-{n}", n) for n in SIZES}
    small, large = SIZES
    rows: list[Row] = []
    steps: tuple[tuple[str, Callable[[Path], object]], ...] = (
        ("load outline.toml", load_outline),
        ("import the documents", _import),
    )
    for what, step in steps:
        took = {n: _best(functools.partial(step, outlines[n])) for n in SIZES}
        ratio = took[large] / took[small]
        rows.append(
            (
                f"{what}, {large:,} headings ÷ {small:,}",
                f"{ratio:.1f}× (CPU {took[small]:.3f} s, {took[large]:.3f} s; best of {RUNS})",
                _target(ratio <= TARGET, f"≤ {TARGET:g}× (linear)"),
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(run_alone(input_scaling, "book-bench-input-"))
