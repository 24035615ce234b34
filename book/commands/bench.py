"""``make bench``: time the builds against Pandoc's on the same book, and write BENCHMARKS.md.

Measured in one run, on a copy of the book's sources (the repository's own ``dist/`` is only
used for ``make`` with nothing changed, which is run as the author runs it):

* a clean build of the three editions, the same book with Pandoc (its MyST chapters turned
  into Pandoc Markdown by :mod:`book.build.pandocmd`, the same ``references.bib`` and CSL style;
  HTML, EPUB and a PDF through xelatex) and a one-chapter edit (of a second copy, built
  once before), interleaved round by round, the median of each: each ratio compares runs
  that met the same load on a shared machine;
* what the EPUB's page list and the DOCX manuscript add to a clean build of the three editions
  (:mod:`book.commands.benchpages`);
* ``make`` with nothing changed; a one-chapter edit of the HTML alone; the live preview
  (``make serve``) showing an edit;
* generated books of 10, 50 and 100 chapters (the book's chapters again and again, each copy
  with citation keys of its own), with the peak memory of each build;
* parsing 10,000 reference strings, drafting a 6,000-word document;
* loading the outline and importing the documents at 800 and 4,000 headings
  (:mod:`book.commands.benchinput`).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from book.build.buildstate import book_files
from book.commands.benchbib import bibliography_rows
from book.commands.benchinput import input_scaling
from book.sources.model import Paragraph
from book.sources.reader import read_document

ROOT = Path.cwd()
RUNS = 5  # interleaved rounds: a clean build, Pandoc, a one-chapter edit
THREE = ("html", "epub", "pdf")
SERVE_PORT = 8300
_ROLE = re.compile(r"\{(cite|note)\}`([^`]*)`")
_KEY = re.compile(r"@([\w:.-]*\w)")
Row = tuple[str, str, str]


def _say(message: str) -> None:
    print(f"==> bench: {message}", flush=True)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


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


def _run(cmd: list[str], cwd: Path) -> Took:
    """Run ``cmd``; what it took."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def interleaved(book: Path, edited: Path, work: Path) -> dict[str, list[Took]]:
    """Clean builds of ``book``, Pandoc's build of it, and one-chapter edits of ``edited``
    (built once first), round by round, in alternating order."""
    from book.build.pandocmd import pandoc_commands

    commands = pandoc_commands(book, work / "pandoc")
    _publish(edited)
    took: dict[str, list[Took]] = {"clean": [], "pandoc": [], "edit": []}
    for run in range(RUNS):
        for which in ("clean", "pandoc", "edit") if run % 2 == 0 else ("edit", "pandoc", "clean"):
            if which == "clean":
                _clean(book)
                this = _publish(book, *THREE)
            elif which == "pandoc":
                this = _pandoc(commands, work / "pandoc")
            else:
                this = _publish_after_edit(edited, run + 1, *THREE)
            took[which].append(this)
            _say(f"{which}: {this}")
    return took


def citation_share(book: Path, clean: Took) -> Row:
    """The citation layer's share of a clean build: the one pandoc run that renders every note
    and bibliography for all three editions (the request the last build made), timed alone."""
    import json

    from book.citations.engine import render

    request = json.loads((book / "_build" / "doctrees" / "bookcite" / "request.json").read_text("utf-8"))
    seconds = statistics.median(_timed(lambda: render(request)) for _ in range(RUNS))
    share = f"{seconds:.2f} s, {seconds / clean.seconds:.0%} of the clean build, once for three editions"
    return ("citations: every note and bibliography (one pandoc run)", share, "reported")


def _publish_after_edit(book: Path, number: int, *editions: str) -> Took:
    _edit(book, number)
    return _publish(book, *editions)


def _edit(book: Path, number: int) -> Path:
    chapters = sorted((book / "chapters").glob("ch-*.md"), key=lambda p: p.stat().st_size)
    chapter = chapters[len(chapters) // 2]
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write(f"\nA sentence added by the benchmark, number {number}.\n")
    return chapter


def nothing_changed() -> list[float]:
    """``make`` in the repository, as the author runs it, once to be current, then timed."""
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_env())
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_env())
        times.append(time.perf_counter() - start)
    return times


def serve_latency(book: Path) -> float:
    """Seconds from saving a chapter to the live preview serving the changed page."""
    cmd = [sys.executable, "-m", "book", "serve", "--port", str(SERVE_PORT)]  # what make serve runs
    proc = subprocess.Popen(
        cmd,
        cwd=book,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        chapter = _edit(book, 0)
        page = f"http://127.0.0.1:{SERVE_PORT}/chapters/{chapter.stem}.html"
        _wait_for(page, "number 0", timeout=180)
        time.sleep(1)
        start = time.perf_counter()
        with chapter.open("a", encoding="utf-8") as handle:
            handle.write("\nA sentence the live preview must show.\n")
        _wait_for(page, "the live preview must show", timeout=60)
        return time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()


def _wait_for(url: str, needle: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8", "replace"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not show {needle!r} within {timeout} s")


def generated_book(dest: Path, chapters: int) -> Path:
    """A book of ``chapters`` chapters: the book's chapters in turn, each copy with its own keys."""
    book = copy_book(dest)
    sources = [p.read_text(encoding="utf-8") for p in sorted((book / "chapters").glob("ch-*.md"))]
    entries: dict[str, str] = {}
    for bibfile in sorted(book.glob("*.bib")):
        entries.update(_bib_entries(bibfile.read_text(encoding="utf-8")))
    shutil.rmtree(book / "chapters")
    (book / "chapters").mkdir()
    bib: list[str] = []
    names = []
    for number in range(1, chapters + 1):
        text = sources[(number - 1) % len(sources)]
        suffix = f"x{number}"
        keys: set[str] = set()

        def rename(match: re.Match[str], suffix: str = suffix, keys: set[str] = keys) -> str:
            def key(found: re.Match[str]) -> str:
                keys.add(found.group(1))
                return f"@{found.group(1)}{suffix}"

            renamed = _KEY.sub(key, match.group(2))
            return f"{{{match.group(1)}}}`{renamed}`"

        text = _ROLE.sub(rename, text)
        text = re.sub(r"^\((.+)\)=$", rf"(g{number}-\1)=", text, flags=re.M)
        name = f"g{number:03d}"
        (book / "chapters" / f"{name}.md").write_text(text, encoding="utf-8")
        names.append(name)
        bib += [entries[k].replace(f"{{{k},", f"{{{k}{suffix},", 1) for k in sorted(keys) if k in entries]
    for old in book.glob("*.bib"):
        old.unlink()
    (book / "references.bib").write_text("\n\n".join(bib) + "\n", encoding="utf-8")
    (book / "chapters" / "works-cited.md").write_text(
        "# Works Cited\n\n:::{bibliography}\n:cited:\n:::\n", encoding="utf-8"
    )
    toc = "\n".join(f"chapters/{n}" for n in [*names, "works-cited"])
    (book / "index.md").write_text(
        f"# Generated Book\n\n:::{{toctree}}\n:maxdepth: 1\n\n{toc}\n:::\n", encoding="utf-8"
    )
    return book


def _bib_entries(text: str) -> dict[str, str]:
    out = {}
    for chunk in re.split(r"\n(?=@)", text):
        match = re.match(r"@\w+\{([^,\s]+),", chunk.strip())
        if match:
            out[match.group(1)] = chunk.strip()
    return out


def scale(work: Path) -> list[tuple[int, Took]]:
    rows = []
    for chapters in (10, 50, 100):
        book = generated_book(work / f"scale-{chapters}", chapters)
        took = _publish(book)
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
    from book.references.refparse import parse_reference

    strings = _reference_strings(10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parse = _timed(lambda: [parse_reference(s) for s in strings])
    doc = _six_thousand_words(work)
    took = _run([sys.executable, "-m", "book", "draft", str(doc), "--out", str(work / "draft")], work).seconds
    return [
        ("parse 10,000 reference strings", f"{parse:.2f} s", _target(parse < 10, "under 10 s")),
        ("draft 6,000 words, three editions", f"{took:.1f} s", _target(took < 60, "under 60 s")),
    ]


def _target(met: bool, target: str) -> str:
    return f"{target}: {'met' if met else 'MISSED'}"


def main() -> int:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        work = Path(tmp)
        book = copy_book(work / "book")
        edited = copy_book(work / "edited")
        _say("make: set up and build once, so that nothing installs during the measurements")
        subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_env())
        _say(f"clean builds, Pandoc's and one-chapter edits, interleaved ({RUNS} rounds)")
        runs = interleaved(book, edited, work)
        ours, theirs, edits = runs["clean"], runs["pandoc"], runs["edit"]
        clean, pandoc, edit = _median(ours), _median(theirs), _median(edits)
        rows += [
            (f"clean build, three editions (median of {RUNS})", f"{clean} [{_list(ours)}]", "reported"),
            (
                f"Pandoc, same book, three editions (median of {RUNS})",
                f"{pandoc} [{_list(theirs)}]",
                "reported",
            ),
            (
                "clean build ÷ Pandoc",
                f"{clean.seconds / pandoc.seconds:.2f}× (CPU {clean.cpu / pandoc.cpu:.2f}×)",
                _target(clean.seconds <= pandoc.seconds, "≤ 1.0×"),
            ),
            ("peak memory of a clean build", f"{max(t.rss for t in ours) / 1024:.0f} MiB", "reported"),
            citation_share(book, clean),
        ]
        _say(f"the page list and the DOCX: clean builds with and without them, interleaved ({RUNS} rounds)")
        from book.commands.benchpages import page_list_and_docx  # it uses this module's helpers

        rows += page_list_and_docx(work)
        _say("make with nothing changed")
        again = statistics.median(nothing_changed())
        rows.append(
            ("`make` with nothing changed (median of 3)", f"{again:.2f} s", _target(again <= 1, "≤ 1 s"))
        )
        rows.append(
            (
                f"one-chapter edit, three editions (median of {RUNS})",
                f"{edit}: {edit.seconds / clean.seconds:.0%} of clean (CPU {edit.cpu / clean.cpu:.0%})"
                f" [{_list(edits)}]",
                _target(edit.seconds <= 0.3 * clean.seconds, "≤ 30% of clean"),
            )
        )
        _say("one-chapter edits of the HTML alone")
        htmls = [_publish_after_edit(edited, RUNS + number, "html") for number in (1, 2, 3)]
        html = _median(htmls)
        rows.append(
            (
                "one-chapter edit, `make html` (median of 3)",
                f"{html} [{_list(htmls)}]",
                _target(html.seconds <= 2, "≤ 2 s"),
            )
        )
        _say("live preview")
        served = serve_latency(book)
        rows.append(("`make serve` shows an edit", f"{served:.2f} s", _target(served <= 2, "≤ 2 s")))
        _say("generated books of 10, 50, 100 chapters")
        sizes = scale(work)
        for chapters, took in sizes:
            rows.append(
                (
                    f"generated book, {chapters} chapters, clean",
                    f"{took}, peak {took.rss / 1024:.0f} MiB",
                    "reported",
                )
            )
        ratio = sizes[-1][1].seconds / sizes[0][1].seconds
        cpu_ratio = sizes[-1][1].cpu / sizes[0][1].cpu
        rows.append(
            (
                "100 chapters ÷ 10 chapters",
                f"{ratio:.1f}× (CPU {cpu_ratio:.1f}×)",
                _target(ratio <= 12, "≤ 12× (linear)"),
            )
        )
        _say("reference parser and draft")
        rows += parsers_and_draft(work)
        _say("outline and import at 800 and 4,000 headings")
        rows += input_scaling(work)
        _say("bibliography files: what uncited entries add, and reading 4,000 to 100,000 entries")
        rows += bibliography_rows(work)
    _write(rows)
    return 0 if all("MISSED" not in r[2] for r in rows) else 1


def _list(values: list[Took]) -> str:
    return "; ".join(str(v) for v in values)


def _median(values: list[Took]) -> Took:
    """The run with the median wall time."""
    return sorted(values, key=lambda t: t.seconds)[(len(values) - 1) // 2]


MUTATION_SECTION = "## Mutation testing"


def _write(rows: list[Row]) -> None:
    load = os.getloadavg()[0]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({time.strftime('%Y-%m-%d')}, {machine}; load average {load:.1f} at the end).",
        "All figures are wall-clock times from one run, with the CPU time (user and system, children",
        "included) beside them: the machine is shared, so the CPU time is the steadier figure.",
        "The clean builds of this book, those of the same book with Pandoc (its chapters",
        "converted by `book/build/pandocmd.py`, the same `references.bib` and CSL style; HTML, EPUB and",
        "a PDF through xelatex) and the one-chapter edits (of a second copy of the book) are",
        "interleaved round by round, so that each ratio compares runs that met the same load.",
        "",
        "| what | measured | target |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = old[old.index(MUTATION_SECTION) :] if MUTATION_SECTION in old else ""  # written by hand
    path.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
