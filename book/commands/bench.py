"""``make bench``: time the builds against Pandoc's on the same book, and write BENCHMARKS.md.

Measured in one run, on copies of the book's sources (the repository's own ``dist/`` is only
used for ``make`` with nothing changed, which is run as the author runs it):

* round by round, in alternating order, the median of each (each ratio compares runs that met
  the same load on a shared machine): a clean build of the three editions; the same book with
  Pandoc (its MyST chapters turned into Pandoc Markdown by :mod:`book.build.pandocmd`, the same
  ``references.bib`` and CSL style), its HTML alone and its three editions (HTML, EPUB and a
  PDF through xelatex); a one-chapter edit of the three editions (of a second copy, built once
  before); and the live preview (``make serve``, running on a third copy): from saving a
  sentence to the served page showing it, through the real server, as a browser sees it (the
  WebSocket says reload, the page is fetched);
* whether the clean builds gave the same bytes (``SOURCE_DATE_EPOCH`` set);
* ``make`` with nothing changed; a one-chapter edit of the HTML alone;
* generated books of 10, 50 and 100 chapters (the book's chapters again and again, each copy
  with citation keys of its own), with the peak memory of each build;
* parsing 10,000 reference strings, drafting a 6,000-word document;
* loading the outline and importing the documents at 800 and 4,000 headings
  (:mod:`book.commands.benchinput`);
* bibliography files: what uncited entries add to a clean build, and reading 4,000 to 100,000
  entries (:mod:`.benchbib`);
* what the EPUB's page list and the DOCX manuscript add to a clean build of the three editions
  (:mod:`.benchpages`).

``python -m book.commands.bench --help`` lists the options (the rounds, where the table goes,
the parts to leave out).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from book.build.buildstate import book_files
from book.sources.model import Paragraph
from book.sources.reader import read_document

from .benchbooks import generated_book

ROOT = Path.cwd()
RUNS = 3  # interleaved rounds: a clean build, Pandoc, a one-chapter edit, the live preview
THREE = ("html", "epub", "pdf")  # the editions the rounds build (make adds the DOCX)
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the copies' builds: the same sources, the same bytes
Row = tuple[str, str, str]


def _say(message: str) -> None:
    print(f"==> bench: {message}", flush=True)


def _env(epoch: bool = True) -> dict[str, str]:
    """The environment of the builds: the copies' with a fixed SOURCE_DATE_EPOCH, the
    repository's (``make`` with nothing changed) as the author's."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


@dataclass
class Took:
    """What one command took: wall-clock seconds, CPU seconds (user and system, with its
    children) and the peak resident memory of it or any child (KiB)."""

    seconds: float
    cpu: float = 0.0
    rss: int = 0

    def __add__(self, other: Took) -> Took:
        return Took(self.seconds + other.seconds, self.cpu + other.cpu, max(self.rss, other.rss))

    def __str__(self) -> str:
        return f"{self.seconds:.2f} s (CPU {self.cpu:.2f} s)"


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Took:
    """Run ``cmd``; what it took."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env or _env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{errors.decode(errors='replace')[-3000:]}")
    return Took(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def _publish(book: Path, *editions: str) -> Took:
    return _run([sys.executable, "-m", "book", "publish", *editions], book)


def copy_book(dest: Path) -> Path:
    """The book's sources (what a build reads, without the package) in ``dest``."""
    for path in book_files(ROOT):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"book"}:
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / rel)
    return dest


# --- Pandoc on the same book -------------------------------------------------------------


def _pandoc(commands: list[list[str]], cwd: Path) -> Took:
    total = Took(0.0)
    for cmd in commands:
        total = total + _run(cmd, cwd)
    return total


# --- the measurements --------------------------------------------------------------------


def _clean(book: Path) -> None:
    for folder in ("_build", "dist"):
        shutil.rmtree(book / folder, ignore_errors=True)


def interleaved(work: Path, runs: int) -> tuple[dict[str, list[Took]], list[str], int]:
    """The rounds (see the module's text): what each measurement took, round by round; the
    digest of each clean build's editions; the live preview's peak memory (KiB)."""
    from book.build.pandocmd import pandoc_commands

    from .benchlive import LivePreview

    book, edited = copy_book(work / "book"), copy_book(work / "edited")
    live = LivePreview(copy_book(work / "live"), _env())
    commands = pandoc_commands(book, work / "pandoc")
    _publish(edited, *THREE)

    def preview(run: int) -> Took:
        seconds, cpu = live.save_to_served(_chapter(live.book), run)
        return Took(seconds, cpu)

    steps: dict[str, Callable[[int], Took]] = {
        "clean": lambda run: _clean_build(book),
        "pandoc": lambda run: _pandoc(commands, work / "pandoc"),
        "pandoc-html": lambda run: _pandoc(commands[:1], work / "pandoc"),
        "edit": lambda run: _publish_after_edit(edited, run, *THREE),
        "preview": preview,
    }
    took: dict[str, list[Took]] = {name: [] for name in steps}
    digests = []
    try:
        for run in range(1, runs + 1):
            for name in list(steps) if run % 2 else reversed(steps):
                took[name].append(steps[name](run))
                _say(f"{name}: {took[name][-1]}")
                if name == "clean":
                    digests.append(_digest(book / "dist"))
        memory = live.peak_memory()
    finally:
        live.close()
    return took, digests, memory


def _clean_build(book: Path) -> Took:
    _clean(book)
    return _publish(book, *THREE)


def _digest(dist: Path) -> str:
    """One digest of every file in ``dist`` (its path and bytes)."""
    total = hashlib.sha256()
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        total.update(f"{path.relative_to(dist)}\0".encode())
        total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


def citation_share(book: Path, clean: Took, runs: int) -> Row:
    """The citation layer's share of a clean build: the one pandoc run that renders every note
    and bibliography for all three editions (the request the last build made), timed alone."""
    import json

    from book.citations.engine import render

    request = json.loads((book / "_build" / "doctrees" / "bookcite" / "request.json").read_text("utf-8"))
    seconds = statistics.median(_timed(lambda: render(request)) for _ in range(runs))
    share = f"{seconds:.2f} s, {seconds / clean.seconds:.0%} of the clean build, once for three editions"
    return ("citations: every note and bibliography (one pandoc run)", share, "reported")


def _publish_after_edit(book: Path, number: int, *editions: str) -> Took:
    _edit(book, number)
    return _publish(book, *editions)


def _chapter(book: Path) -> Path:
    """The chapter the edits go to: the one of median size."""
    chapters = sorted((book / "chapters").glob("ch-*.md"), key=lambda p: (p.stat().st_size, p.name))
    return chapters[len(chapters) // 2]


def _edit(book: Path, number: int) -> Path:
    chapter = _chapter(book)
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write(f"\nA sentence added by the benchmark, number {number}.\n")
    return chapter


def nothing_changed() -> list[float]:
    """``make`` in the repository, as the author runs it, once to be current, then timed."""
    env = _env(epoch=False)
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def scale(work: Path) -> list[tuple[int, Took]]:
    rows = []
    for chapters in (10, 50, 100):
        book = generated_book(copy_book(work / f"scale-{chapters}"), chapters)
        took = _publish(book, *THREE)
        _say(f"generated book of {chapters} chapters: {took}, peak {took.rss / 1024:.0f} MiB")
        rows.append((chapters, took))
    return rows


# --- parsers and drafts, the other targets ------------------------------------------------


def _reference_strings(count: int) -> list[str]:
    """Real reference strings from the documents, varied (year, pages) to make ``count``."""
    docs = [read_document(p) for p in sorted((ROOT / "documents").glob("*.txt"))]
    base = [n.text.split("\n")[0] for d in docs for n in d.notes]
    base += [i.text for d in docs for items in d.lists.values() for i in items]
    out = []
    for i in range(count):
        text = base[i % len(base)]
        out.append(text.replace("(19", f"({1900 + i % 99} ", 1) if i >= len(base) else text)
    return out


def _six_thousand_words(folder: Path) -> Path:
    """A 6,000-word document in the source form, made from the article's own paragraphs."""
    article = read_document(ROOT / "documents" / "002_9aef5bfc947affa5.txt")
    paras = [b.text for b in article.blocks if isinstance(b, Paragraph)]
    lines, count, mark, chapter = [], 0, 0, 0
    while count < 6000:
        for para in paras:
            if count >= 6000:
                break
            if count // 1500 >= chapter:
                chapter += 1
                lines.append(f"Chapter {chapter}")
            mark += 1
            lines.append(f"{para}[{mark}]")
            count += len(para.split())
    notes = [
        f"- ↑ Author, Anne ({1900 + i % 100}). Title Number {i}. Some Press. p. {i}."
        for i in range(1, mark + 1)
    ]
    path = folder / "six-thousand-words.txt"
    head = "Lead paragraph of the benchmark document, which has no notes."
    path.write_text("\n".join([head, *lines, "Notes and References", *notes]) + "\n", encoding="utf-8")
    return path


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def parsers_and_draft(work: Path) -> list[Row]:
    from book.references.refparse import benchmark

    parse = benchmark(_reference_strings(10_000))
    doc = _six_thousand_words(work)
    took = _run([sys.executable, "-m", "book", "draft", str(doc), "--out", str(work / "draft")], work).seconds
    return [
        ("parse 10,000 reference strings", f"{parse:.2f} s", _target(parse < 10, "under 10 s")),
        ("draft 6,000 words, three editions", f"{took:.1f} s", _target(took < 60, "under 60 s")),
    ]


def _target(met: bool, target: str) -> str:
    return f"{target}: {'met' if met else 'MISSED'}"


def run_alone(rows_of: Callable[[Path], list[Row]], prefix: str) -> int:
    """One part of the benchmark run alone, in a folder of its own: its rows printed; 1 if a
    target was missed."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        rows = rows_of(Path(tmp))
    for row in rows:
        print(" | ".join(row))
    return 0 if all("MISSED" not in row[2] for row in rows) else 1


def round_rows(took: dict[str, list[Took]], digests: list[str], memory: int, book: Path) -> list[Row]:
    """The table's rows for the interleaved rounds."""
    runs = len(took["clean"])
    clean, pandoc, html = _median(took["clean"]), _median(took["pandoc"]), _median(took["pandoc-html"])
    edit, live = _median(took["edit"]), _median(took["preview"])

    def row(what: str, name: str) -> Row:
        return (f"{what} (median of {runs})", f"{_median(took[name])} [{_list(took[name])}]", "reported")

    same = len(set(digests)) == 1
    return [
        row("clean build, three editions", "clean"),
        row("Pandoc, same book, three editions", "pandoc"),
        (
            "clean build ÷ Pandoc",
            f"{clean.seconds / pandoc.seconds:.2f}× (CPU {clean.cpu / pandoc.cpu:.2f}×)",
            _target(clean.seconds <= 0.6 * pandoc.seconds, "≤ 0.6×"),
        ),
        ("peak memory of a clean build", f"{max(t.rss for t in took['clean']) / 1024:.0f} MiB", "reported"),
        citation_share(book, clean, runs),
        (
            "the same bytes from the same sources",
            f"{runs} clean builds: {'identical' if same else 'DIFFERENT'}",
            _target(same, "identical"),
        ),
        row("Pandoc, same book, HTML alone", "pandoc-html"),
        row("live preview (`make serve`): save → the served page shows it", "preview"),
        (
            "live preview ÷ Pandoc's HTML",
            f"{live.seconds / html.seconds:.2f}×",
            _target(live.seconds <= html.seconds, "≤ 1.0×"),
        ),
        (
            "peak memory of the live preview",
            f"{memory / 1024:.0f} MiB" if memory else "not known",
            "reported",
        ),
        (
            f"one-chapter edit, three editions (median of {runs})",
            f"{edit}: {edit.seconds / clean.seconds:.0%} of clean [{_list(took['edit'])}]",
            "reported",
        ),
    ]


def after_rounds(work: Path) -> list[Row]:
    """``make`` with nothing changed (in the repository), and the HTML alone after an edit."""
    _say("make with nothing changed")
    again = statistics.median(nothing_changed())
    rows = [("`make` with nothing changed (median of 3)", f"{again:.2f} s", _target(again <= 1, "≤ 1 s"))]
    _say("one-chapter edits of the HTML alone")
    edited = work / "edited"
    htmls = [_publish_after_edit(edited, 100 + number, "html") for number in (1, 2, 3)]
    rows.append(
        ("one-chapter edit, `make html` (median of 3)", f"{_median(htmls)} [{_list(htmls)}]", "reported")
    )
    return rows


def scale_rows(work: Path) -> list[Row]:
    _say("generated books of 10, 50, 100 chapters")
    sizes = scale(work)
    rows: list[Row] = [
        (f"generated book, {chapters} chapters, clean", f"{took}, peak {took.rss / 1024:.0f} MiB", "reported")
        for chapters, took in sizes
    ]
    ratio = sizes[-1][1].seconds / sizes[0][1].seconds
    cpu_ratio = sizes[-1][1].cpu / sizes[0][1].cpu
    rows.append(
        ("100 chapters ÷ 10 chapters", f"{ratio:.1f}× (CPU {cpu_ratio:.1f}×)", _target(ratio <= 12, "≤ 12×"))
    )
    return rows


PARTS = ("make", "scale", "parsers", "bib", "pages")  # what --skip may leave out; the rounds always run


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m book.commands.bench",
        description="Time the builds against Pandoc's on the same book and write the table "
        "(BENCHMARKS.md). Run it in the book's folder, on a quiet machine.",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help=f"interleaved rounds (default: {RUNS})")
    parser.add_argument(
        "--out", type=Path, default=None, help="where the table goes (default: BENCHMARKS.md here)"
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=PARTS,
        help="leave out a part: make (nothing changed, the HTML alone), scale (10-100 chapters), "
        "parsers (the reference parser, draft, outline and import), bib (bibliography files), "
        "pages (the EPUB's page list and the DOCX); repeatable",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _options(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        work = Path(tmp)
        _say("make: set up and build once, so that nothing installs during the measurements")
        env = _env(epoch=False)
        subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
        _say(
            f"clean builds, Pandoc's, one-chapter edits and the live preview, interleaved ({args.runs} rounds)"
        )
        took, digests, memory = interleaved(work, args.runs)
        rows += round_rows(took, digests, memory, work / "book")
        if "make" not in args.skip:
            rows += after_rounds(work)
        if "scale" not in args.skip:
            rows += scale_rows(work)
        if "parsers" not in args.skip:
            from .benchinput import input_scaling  # these parts use this module's helpers

            _say("reference parser and draft")
            rows += parsers_and_draft(work)
            _say("outline and import at 800 and 4,000 headings")
            rows += input_scaling(work)
        if "bib" not in args.skip:
            from .benchbib import bibliography_rows

            _say("bibliography files: what uncited entries add, and reading 4,000 to 100,000 entries")
            rows += bibliography_rows(work)
        if "pages" not in args.skip:
            from .benchpages import page_list_and_docx  # it uses this module's helpers

            _say("the EPUB's page list and the DOCX: clean builds with and without them, interleaved")
            rows += page_list_and_docx(work)
    _write(rows, args.out or ROOT / "BENCHMARKS.md")
    return 0 if all("MISSED" not in r[2] for r in rows) else 1


def _list(values: list[Took]) -> str:
    return "; ".join(str(v) for v in values)


def _median(values: list[Took]) -> Took:
    """The run with the median wall time."""
    return sorted(values, key=lambda t: t.seconds)[(len(values) - 1) // 2]


MUTATION_SECTION = "## Mutation testing"


def _write(rows: list[Row], path: Path) -> None:
    load = os.getloadavg()[0]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({time.strftime('%Y-%m-%d')}, {machine}; load average {load:.1f} at the end).",
        "All figures are wall-clock times from one run, with the CPU time (user and system, children",
        "included) beside them: the machine is shared, so the CPU time is the steadier figure.",
        "The clean builds of this book, those of the same book with Pandoc (its chapters",
        "converted by `book/build/pandocmd.py`, the same `references.bib` and CSL style; its HTML",
        "alone, and HTML, EPUB and a PDF through xelatex), the one-chapter edits (of a second copy",
        "of the book) and the live preview (`make serve` on a third copy: from saving a sentence to",
        "the served page showing it, fetched when the preview's WebSocket says reload, as a browser",
        "does) are interleaved round by round, so that each ratio compares runs that met the same",
        "load. The copies are built with `SOURCE_DATE_EPOCH` set.",
        "",
        "| what | measured | target |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    written = ROOT / "BENCHMARKS.md"
    old = written.read_text(encoding="utf-8") if written.exists() else ""
    kept = old[old.index(MUTATION_SECTION) :] if MUTATION_SECTION in old else ""  # written by hand
    path.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
