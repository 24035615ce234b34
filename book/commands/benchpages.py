"""``make bench``: what the EPUB's page list and the DOCX manuscript add to a clean build of the
three editions (at most 15%). Run alone: ``python -m book.commands.benchpages``.

Clean builds of the four editions (HTML, EPUB with its page list, PDF, DOCX) against clean
builds of the three without the page marks (a copy of the book whose ``conf.py`` leaves out
``book.editions.pagelist``), interleaved round by round; the EPUB's finishing after xelatex,
which that copy still does, is timed alone and counted in full.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from book.commands import bench

FOUR = ("html", "epub", "pdf", "docx")


def page_list_and_docx(work: Path) -> list[tuple[str, str, str]]:
    """What the page list and the DOCX add (see the module): the EPUB's finishing, which the
    bare copy also does, is timed alone and counted in full."""
    from book.editions.pagelist import finish_epub

    full, bare = bench.copy_book(work / "full"), bench.copy_book(work / "bare")
    with (bare / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions = [e for e in extensions if e != "book.editions.pagelist"]\n')
    took: dict[str, list[bench.Took]] = {"full": [], "bare": []}
    for run in range(bench.RUNS):
        for which in ("full", "bare") if run % 2 == 0 else ("bare", "full"):
            book = full if which == "full" else bare
            bench._clean(book)
            took[which].append(bench._publish(book, *(FOUR if which == "full" else bench.THREE)))
            bench._say(f"{which}: {took[which][-1]}")
    name, build = next(full.glob("_build/epub/*.epub")).stem, full / "_build"
    aux = build / "latex" / f"{name}.aux"
    finish = statistics.median(
        bench._timed(lambda: finish_epub(build / "epub", aux, name)) for _ in range(bench.RUNS)
    )
    four, three = bench._median(took["full"]), bench._median(took["bare"])
    added, cpu = four.seconds - three.seconds + finish, four.cpu - three.cpu + finish
    what = f"the EPUB's page list and the DOCX, added to a clean build of the three editions (median of {bench.RUNS})"
    measured = (
        f"{added:.2f} s (CPU {cpu:.2f} s; the EPUB's finishing {finish:.2f} s): {added / three.seconds:.0%} "
        f"(CPU {cpu / three.cpu:.0%}) of {three} without them; four editions {four}"
    )
    return [(what, measured, bench._target(added <= 0.15 * three.seconds, "≤ 15%"))]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        for row in page_list_and_docx(Path(tmp)):
            print(" | ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
