"""``make bench``, bibliography files: what a large ``.bib`` adds to a clean build, and whether
reading one is linear. Run alone: ``python -m book.commands.benchbib``.

* A book of three hand-written chapters citing 38 works is built clean (the HTML) with a
  ``.bib`` of those 38 entries, then with the same 38 among 368 (crossrefs, @strings, BibLaTeX
  dates); the difference is what the uncited 330 cost. The same for 100 cited among 5,000.
* Reading alone (``load_bibfiles``, CPU time, the least of the rounds): 4,000 and 20,000
  entries, the ratio (linear: 5×, at most 6×), and 100,000 small entries (under the 10 MB limit).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from book.commands.bench import Row, _publish, _target, run_alone
from book.commands.new import new_book

ROUNDS = 5


def entries(count: int, offset: int = 0) -> str:
    """``count`` entries as authors have them: books, chapters with a crossref to a collection,
    articles with @string journals and BibLaTeX dates."""
    out = ['@string{jh = "Journal of " # "History"}', "@string{up = {University Press}}"]
    for n in range(offset, offset + count):
        kind = n % 3
        if kind == 0:
            out.append(
                f"@collection{{c{n},\n  editor = {{Editor{n % 97}, Erin}},\n  title = {{Collected Essays {n}}},\n"
                f"  publisher = {{Chapel}} # up,\n  location = {{Chapel Hill}},\n  date = {{{1950 + n % 70}}},\n}}"
            )
        elif kind == 1:
            out.append(
                f"@incollection{{k{n},\n  author = {{Author{n % 211}, Anne}},\n  title = {{A Chapter {n}}},\n"
                f"  crossref = {{c{n - 1}}},\n  pages = {{{n % 300 + 1}--{n % 300 + 20}}},\n}}"
            )
        else:
            out.append(
                f"@article{{k{n},\n  author = {{Writer{n % 307}, Will}},\n  title = {{An Article {n}}},\n"
                f"  journaltitle = jh,\n  date = {{{1900 + n % 120}-0{n % 9 + 1}-1{n % 9}}},\n  volume = {{{n % 40}}},\n}}"
            )
    return "\n\n".join(out) + "\n"


def _keys(text: str) -> list[str]:
    import re

    return re.findall(r"^@(?:incollection|article)\{(k\d+),", text, re.M)


def _book(folder: Path, cited: list[str], bib: str) -> Path:
    new_book(folder, title="Bench", author="Bench")
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    thirds = [cited[i::3] for i in range(3)]
    for number, keys in enumerate(thirds, 1):
        body = "\n\n".join(f"A sentence.{{cite}}`@{key}, p. {i + 1}`" for i, key in enumerate(keys))
        (folder / "chapters" / f"0{number}-chapter.md").write_text(
            f"# Chapter {number}\n\n{body}\n", encoding="utf-8"
        )
    return folder


def _clean_html(book: Path) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of a clean build of the HTML."""
    for folder in ("_build", "dist"):
        subprocess.run(["rm", "-rf", str(book / folder)], check=True)
    took = _publish(book, "html")
    return took.seconds, took.cpu


def added_by_uncited(work: Path, total: int, cited_count: int) -> tuple[float, float]:
    """Medians over interleaved rounds (wall-clock, CPU): a clean HTML build with ``total``
    entries minus one with only the ``cited_count`` cited. The CPU time is the steadier figure
    on a shared machine, and the one the target is judged on."""
    whole = entries(total)
    cited = _keys(whole)[:: max(1, len(_keys(whole)) // cited_count)][:cited_count]
    parents = {f"c{int(k[1:]) - 1}" for k in cited if int(k[1:]) % 3 == 1}
    blocks = [
        b
        for b in whole.split("\n\n")
        if b.startswith("@string") or any(f"{{{k}," in b for k in [*cited, *parents])
    ]
    small = _book(work / f"small-{total}", cited, "\n\n".join(blocks) + "\n")
    large = _book(work / f"large-{total}", cited, whole)
    walls, cpus = [], []
    for _ in range(ROUNDS):
        (wall_large, cpu_large), (wall_small, cpu_small) = _clean_html(large), _clean_html(small)
        walls.append(wall_large - wall_small)
        cpus.append(cpu_large - cpu_small)
    return statistics.median(walls), statistics.median(cpus)


def small_entries(count: int) -> str:
    """``count`` small entries (100,000 of them: 6.5 MB, under the 10 MB limit)."""
    return "".join(
        f"@book{{b{n}, author = {{A{n % 997}, B}}, title = {{T{n}}}, year = {1900 + n % 99}}}\n"
        for n in range(count)
    )


def read_time(work: Path, count: int, small: bool = False) -> float:
    from book.citations.bibtex import load_bibfiles

    path = work / f"read-{count}.bib"
    path.write_text(small_entries(count) if small else entries(count), encoding="utf-8")
    took = []
    for _ in range(ROUNDS):  # CPU time, the least of the rounds: the machine is shared
        start = time.process_time()
        database = load_bibfiles([path])
        took.append(time.process_time() - start)
        assert not database.errors, database.errors[:3]
    return min(took)


def bibliography_rows(work: Path) -> list[Row]:
    rows: list[Row] = []
    for total, cited, limit in ((368, 38, 0.2), (5000, 100, 1.0)):
        wall, cpu = added_by_uncited(work, total, cited)
        rows.append(
            (
                f"a {total:,}-entry .bib, {cited} cited: added to a clean HTML build (median of {ROUNDS})",
                f"CPU {cpu:+.2f} s (wall-clock {wall:+.2f} s)",
                _target(cpu <= limit, f"≤ {limit} s"),
            )
        )
    small, large = read_time(work, 4000), read_time(work, 20000)
    rows.append(("read a .bib of 4,000 entries (CPU)", f"{small:.2f} s", "reported"))
    rows.append(
        (
            "read a .bib of 20,000 entries (CPU)",
            f"{large:.2f} s ({large / small:.1f}× 4,000)",
            _target(large <= 6 * small, "≤ 6× (linear)"),
        )
    )
    huge = read_time(work, 100_000, small=True)
    rows.append(
        ("read a .bib of 100,000 small entries (CPU)", f"{huge:.1f} s", "reported (was killed at 300 s)")
    )
    return rows


if __name__ == "__main__":
    sys.exit(run_alone(bibliography_rows, "book-benchbib-"))
