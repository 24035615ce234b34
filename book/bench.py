"""``make bench``: time the builds and the parsers, check the targets, write BENCHMARKS.md.

Targets: a clean build of the three editions and a rebuild with nothing changed (reported);
parsing 10,000 reference strings under 10 s; drafting a 6,000-word document into all three
editions under 60 s. Peak memory is the largest resident set of any child process.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from .model import Paragraph
from .reader import read_document

ROOT = Path.cwd()


def _timed(label: str, fn: Callable[[], object]) -> float:
    print(f"==> bench: {label}", flush=True)
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"    {seconds:.1f} s", flush=True)
    return seconds


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
    lines, count, mark = [], 0, 0
    chapter = 0
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
    path.write_text(
        "\n".join(
            ["Lead paragraph of the benchmark document, which has no notes."]
            + lines
            + ["Notes and References"]
            + notes
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def main() -> int:
    from .publish import publish
    from .refparse import parse_reference

    results: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        clean = _timed(
            "clean build of html, epub and pdf",
            lambda: publish(["html", "epub", "pdf"], base / "dist", root=ROOT, build=base / "_build"),
        )
        results.append(("clean build, three editions", f"{clean:.1f} s", "reported"))
        again = _timed(
            "rebuild with nothing changed",
            lambda: publish(["html", "epub", "pdf"], base / "dist", root=ROOT, build=base / "_build"),
        )
        results.append(("rebuild, nothing changed", f"{again:.1f} s", "reported"))

        strings = _reference_strings(10_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parse = _timed("parse 10,000 reference strings", lambda: [parse_reference(s) for s in strings])
        results.append(
            (
                "parse 10,000 reference strings",
                f"{parse:.2f} s",
                "under 10 s: " + ("met" if parse < 10 else "MISSED"),
            )
        )

        try:
            from .draft import draft
        except ImportError:
            draft = None
        if draft is not None:
            doc = _six_thousand_words(base)
            took = _timed(
                "draft a 6,000-word document into three editions",
                lambda: draft([doc], base / "draft", title="Benchmark", author="Bench"),
            )
            results.append(
                (
                    "draft 6,000 words, three editions",
                    f"{took:.1f} s",
                    "under 60 s: " + ("met" if took < 60 else "MISSED"),
                )
            )

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append(("peak memory of a child process (Sphinx, xelatex)", f"{peak:.0f} MiB", "reported"))
    results.append(("peak memory of this process", f"{own:.0f} MiB", "reported"))
    _write(results)
    return 0 if all("MISSED" not in r[2] for r in results) else 1


def _write(results: list[tuple[str, str, str]]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({time.strftime('%Y-%m-%d')}, {machine}).",
        "",
        "| what | measured | target |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in results],
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
