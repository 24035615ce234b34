"""Build the editions under ``_build/`` and only then swap them into ``dist/``.

The three builders share one doctree cache: the HTML build reads the sources once, then the
EPUB and LaTeX builders (which only write) run side by side, then xelatex makes the PDF. A
failed step leaves ``dist/`` as it was, and says what failed, where, and what to do next.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import BookError
from .outline import load_outline

EDITIONS = ("html", "epub", "pdf")
# Sphinx message lines worth showing when a build fails (it prints its own location prefix).
_PROBLEM = re.compile(r"(ERROR|CRITICAL|SEVERE|WARNING|[Ee]rror:|Exception occurred|unknown citation)")


def publish(editions: list[str], dist: Path, root: Path | None = None, build: Path | None = None) -> int:
    """Build ``editions`` (of html, epub, pdf) and publish them into ``dist``."""
    root = (root or Path.cwd()).resolve()
    build = build or root / "_build"
    unknown = sorted(set(editions) - set(EDITIONS))
    if unknown:
        raise BookError(f"unknown edition {', '.join(unknown)}", hint="choose from html, epub, pdf")
    outline = load_outline(root / "outline.toml")
    name = outline.filename
    started = time.monotonic()

    builders = ["latex" if e == "pdf" else e for e in EDITIONS if e in editions]
    first, rest = builders[0], builders[1:]
    shown: set[str] = set()  # each builder repeats the same warnings: show them once
    _sphinx(first, root, build, shown)  # reads every source once into the shared doctree cache
    if rest:
        _say(f"building the {' and '.join(rest)} editions side by side")
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(_sphinx, b, root, build, shown, False) for b in rest]:
            future.result()
    if "pdf" in editions:
        _latexmk(build / "latex", name)

    products: dict[str, Path] = {}
    if "html" in editions:
        products["html"] = build / "html"
    if "epub" in editions:
        products[f"{name}.epub"] = build / "epub" / f"{name}.epub"
    if "pdf" in editions:
        products[f"{name}.pdf"] = build / "latex" / f"{name}.pdf"
    _swap_into(dist.resolve() if dist.is_absolute() else root / dist, products, name)
    _say(f"published {', '.join(editions)} into {dist}/ in {time.monotonic() - started:.0f} s")
    return 0


def _say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _sphinx(builder: str, root: Path, build: Path, shown: set[str], announce: bool = True) -> None:
    """Run one Sphinx builder; the first one (which reads the sources) shows its progress."""
    if announce:
        _say(f"building the {builder} edition")
    out = build / builder
    cmd = [
        sys.executable, "-m", "sphinx", "-b", builder, "-d", str(build / "doctrees"),
        "-j", "auto", "--keep-going", str(root), str(out),
    ]  # fmt: skip
    if not announce:
        cmd.insert(3, "-q")
    # The book's conf.py imports this package, wherever the book is.
    package_parent = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
    }
    env["NO_COLOR"] = "1"  # plain lines to read, also where CI=true would turn colour on
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with ThreadPoolExecutor(max_workers=1) as pool:
        stderr = pool.submit(proc.stderr.read)  # type: ignore[union-attr]
        for line in proc.stdout:  # type: ignore[union-attr]
            if announce and "%]" in line:  # "reading sources... [ 40%] chapters/ch-03-turkestan"
                print(f"    {line.strip()}", flush=True)
        returncode = proc.wait()
        stderr_text = stderr.result()
    problems = [line for line in stderr_text.splitlines() if _PROBLEM.search(line)]
    errors = [line for line in problems if "WARNING" not in line]
    for line in problems:
        if line not in errors and line not in shown:
            shown.add(line)
            print(line.replace(str(root) + os.sep, ""), file=sys.stderr)
    if returncode != 0 or errors:
        detail = (
            "\n".join(line.replace(str(root) + os.sep, "") for line in errors) or stderr_text.strip()[-2000:]
        )
        raise BookError(
            f"the {builder} build failed; dist/ was left as it was\n{detail}",
            hint="fix the file and line named above, then run make again",
        )


def _latexmk(latex_dir: Path, name: str) -> None:
    _say("typesetting the PDF with xelatex (latexmk)")
    cmd = [
        "latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
        "-no-shell-escape", f"{name}.tex",
    ]  # fmt: skip
    if not shutil.which("latexmk"):
        raise BookError("latexmk is not installed", hint="run make (it installs texlive-xetex and latexmk)")
    proc = subprocess.run(cmd, cwd=latex_dir, capture_output=True, text=True)
    log = latex_dir / f"{name}.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else proc.stdout
    if proc.returncode != 0:
        errors = [line for line in text.splitlines() if line.startswith("!") or re.match(r"^\S+:\d+: ", line)]
        raise BookError(
            "xelatex failed; dist/ was left as it was\n" + "\n".join(errors[:5]),
            latex_dir / f"{name}.log",
            hint="the line above names the problem in the generated .tex; see the log for context",
        )
    missing = sorted(set(re.findall(r"Missing character: There is no (.) ", text)))
    if missing:
        print(f"warning: the PDF's fonts lack these characters: {' '.join(missing)}", file=sys.stderr)


def _swap_into(dist: Path, products: dict[str, Path], name: str) -> None:
    """Stage the new dist/ beside the old one, then swap them with two renames."""
    stage = dist.with_name(dist.name + ".new")
    old = dist.with_name(dist.name + ".old")
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    if dist.exists():  # keep the editions not rebuilt now (hard links: no copying)
        replaced = set(products)
        shutil.copytree(
            dist, stage, copy_function=os.link,
            ignore=lambda folder, names: [n for n in names if Path(folder) == dist and n in replaced],
        )  # fmt: skip
    else:
        stage.mkdir(parents=True)
    for target, source in products.items():
        dest = stage / target
        if source.is_dir():
            shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
        else:
            shutil.copy2(source, dest)
    html = stage / "html"
    if html.is_dir():  # the landing page links to the PDF and EPUB in html/downloads/
        downloads = html / "downloads"
        downloads.mkdir(exist_ok=True)
        for ext in ("pdf", "epub"):
            edition = stage / f"{name}.{ext}"
            if edition.exists():
                target = downloads / edition.name
                if target.exists():
                    target.unlink()
                os.link(edition, target)
    if dist.exists():
        dist.rename(old)
    stage.rename(dist)
    if old.exists():
        shutil.rmtree(old)
