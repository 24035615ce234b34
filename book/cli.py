"""The command line: ``python -m book import|bib|refs|publish|draft``.

Every command reports bad input as one line naming file and line (a ``BookError``), exit 1,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .errors import BookError


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="generate chapters/ from documents/ and outline.toml")
    p.add_argument("--outline", type=Path, default=Path("outline.toml"))
    p.add_argument("--out", type=Path, default=Path("chapters"))

    p = sub.add_parser("bib", help="rebuild references-generated.bib from documents/")
    p.add_argument("--outline", type=Path, default=Path("outline.toml"))
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--rekey", action="store_true")

    p = sub.add_parser("refs", help="parse a file of reference strings, one per line")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = sub.add_parser("publish", help="build editions under _build/ and swap them into dist/")
    p.add_argument("editions", nargs="*", default=["html", "epub", "pdf"])
    p.add_argument("--dist", type=Path, default=Path("dist"))

    p = sub.add_parser("draft", help="turn documents in this form into a complete book")
    p.add_argument("documents", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--title")
    p.add_argument("--author")

    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    try:
        return _run(args)
    except BookError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        from .importer import import_book

        import_book(args.outline, args.out)
        return 0
    if args.command == "bib":
        from .bibfiles import GENERATED_FILE
        from .bibliography import bib_command
        from .outline import load_outline

        outline = load_outline(args.outline)
        out = args.out or outline.path.parent / GENERATED_FILE
        return bib_command(outline.documents, out, rekey=args.rekey)
    if args.command == "refs":
        from .refs import refs_command

        return refs_command(args.file, args.json)
    if args.command == "publish":
        from .publish import publish

        return publish(args.editions, args.dist)
    if args.command == "draft":
        from .draft import draft

        return draft(args.documents, args.out, title=args.title, author=args.author)
    raise AssertionError(args.command)
