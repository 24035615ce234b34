"""The command line: ``python -m book new|import|bib|refs|publish|draft|serve`` (also ``book``).

Every command reports bad input as one line naming file and line (a ``BookError``), exit 1,
never a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from book import __version__
from book.errors import BookError


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Turn hand-written MyST chapters, or plain-text source documents with numbered "
        "notes, into a book: PDF, EPUB 3 and HTML editions built with Sphinx. Start one with "
        "'new DIR'; run the other commands in the book's folder (the one with outline.toml and "
        "conf.py).",
        epilog=f"'{prog} COMMAND --help' describes a command's options. See README.md.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=description)

    outline_help = "the book's outline (default: outline.toml)"
    p = command(
        "new",
        "start a new book of hand-written chapters in DIR",
        "Make DIR (new or empty) a book: outline.toml, conf.py, chapters/ with an example "
        "chapter, an empty references.bib, a README and a Makefile. Then, in DIR, 'make' (or "
        "'python -m book publish') builds the PDF, EPUB and HTML into dist/.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="the book's folder (new or empty)")
    p.add_argument("--title", help="the book's title (default: from the folder's name)")
    p.add_argument("--author", help="the book's author (default: Anonymous)")
    p.add_argument("--language", default="en", help='the language tag (default: "en")')

    p = command(
        "import",
        "write the chapters in chapters/ from the documents and outline.toml",
        "Read the outline's documents and write the MyST chapters and index.md. Files that start "
        "with the generated-file marker line are rewritten; a chapter without it (written or "
        "edited by hand) is never overwritten or deleted.",
    )
    p.add_argument("--outline", type=Path, default=Path("outline.toml"), help=outline_help)
    p.add_argument(
        "--out", type=Path, default=Path("chapters"), help="the chapters' folder (default: chapters)"
    )

    p = command(
        "bib",
        "rebuild references-generated.bib from the documents' notes and reading lists",
        "Parse every note and reading list into references-generated.bib. Your own entries in "
        "references.bib are read, never written, and win over generated ones; keys already in use "
        "are kept and reported; a generated file edited by hand is not overwritten.",
    )
    p.add_argument("--outline", type=Path, default=Path("outline.toml"), help=outline_help)
    p.add_argument(
        "--out", type=Path, default=None,
        help="the generated file (default: references-generated.bib beside the outline)",
    )  # fmt: skip
    p.add_argument("--rekey", action="store_true", help="give works whose fields changed their new keys")

    p = command(
        "refs",
        "parse a file of reference strings, one per line, into BibTeX",
        "Parse each non-blank line of FILE as a reference (Chicago, APA, MLA, Harvard, Wikipedia "
        "citation forms) and print BibTeX entries, or JSON lines with --json.",
    )
    p.add_argument("file", type=Path, help="a UTF-8 text file, one reference per line")
    p.add_argument("--json", action="store_true", help="print one JSON object per line instead of BibTeX")

    p = command(
        "publish",
        "build editions under _build/ and swap them into dist/",
        "Build the named editions, then move them into the dist folder only when every step "
        "succeeded: a failed build leaves the last good editions as they were.",
    )
    p.add_argument(
        "editions", nargs="*", default=[], metavar="EDITION",
        help="html, epub, pdf and/or docx (default: all of them)",
    )  # fmt: skip
    p.add_argument("--dist", type=Path, default=Path("dist"), help="where the editions go (default: dist)")

    p = command(
        "draft",
        "turn documents in this form into a complete book, guessing the headings",
        "Turn one or more documents into a book without an outline: heading levels are guessed "
        "from the whole document, each document becomes a chapter, and DIR gets the PDF, EPUB and "
        "html/, plus source/: a complete book (outline, chapters, bibliography) to fix and rebuild "
        "with 'import' and 'publish'. A table of every heading's level and every unresolved "
        "reference is printed.",
    )
    p.add_argument("documents", nargs="+", type=Path, metavar="DOCUMENT", help="plain-text source documents")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder for the editions")
    p.add_argument("--title", help="the book's title (default: the first document's title line)")
    p.add_argument("--author", help="the book's author (default: Anonymous)")
    p.add_argument(
        "--force", action="store_true",
        help="replace the editions in a non-empty DIR that an earlier draft did not make",
    )  # fmt: skip

    p = command(
        "serve",
        "preview the HTML edition, rebuilt on every save",
        "Serve the HTML edition, rebuilt in this process on every save: open pages reload, and "
        "a build's errors show at the top of every page until a save fixes them. The preview "
        "answers only requests to its own address. The landing page's PDF and EPUB download "
        "links serve the editions in dist/ (built first if missing).",
    )
    p.add_argument("--port", type=_port, default=8000, help="the HTTP port, 1 to 65535 (default: 8000)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    p.add_argument(
        "--no-downloads", action="store_true", help="do not build a missing PDF/EPUB for the download links"
    )
    return parser


def _port(text: str) -> int:
    """A TCP port number (argparse reports anything else as a usage error, naming --port)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _prog() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m book" if name in ("", "__main__.py", "-c") else name


def main(argv: list[str] | None = None) -> int:
    parser = _parser(_prog())
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    with _noting_interrupts() as interrupted:
        try:
            return _run(args)
        except KeyboardInterrupt:
            return _interrupted(args)
        except (BookError, OSError) as exc:
            if interrupted:  # a program the build ran stopped at the same Ctrl-C, and said so first
                return _interrupted(args)
            if not isinstance(exc, BookError):
                raise
            print(exc, file=sys.stderr)
            return 1


@contextmanager
def _noting_interrupts() -> Iterator[list[int]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is noted in the list given."""
    noted: list[int] = []
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield noted
        return

    def interrupt(signum: int, frame: object) -> None:
        noted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _interrupted(args: argparse.Namespace) -> int:
    """Ctrl-C: one line, saying what it left as it was."""
    print(
        f"interrupted, {args.dist}/ unchanged" if args.command == "publish" else "interrupted",
        file=sys.stderr,
    )
    return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "new":
        from book.commands.new import new_book

        new_book(args.folder, title=args.title, author=args.author, language=args.language)
        print(f"a new book in {args.folder}/: run `make` there (or `python -m book publish`) to build it")
        return 0
    if args.command == "import":
        from book.commands.importer import import_book

        import_book(args.outline, args.out)
        return 0
    if args.command == "bib":
        from book.commands.bibliography import bib_command
        from book.references.bibfiles import GENERATED_FILE
        from book.sources.outline import load_outline

        outline = load_outline(args.outline)
        out = args.out or outline.path.parent / GENERATED_FILE
        for line in bib_command(outline.documents, out, rekey=args.rekey):
            print(line, file=sys.stderr)
        return 0
    if args.command == "refs":
        from book.commands.refs import refs_command

        sys.stdout.write(refs_command(args.file, args.json))
        return 0
    if args.command == "publish":
        from book.build.publish import publish

        return publish(args.editions, args.dist)
    if args.command == "draft":
        from book.commands.draft import draft

        return draft(args.documents, args.out, title=args.title, author=args.author, force=args.force)
    if args.command == "serve":
        from book.commands.serve import serve

        return serve(Path.cwd(), args.port, args.host, downloads=not args.no_downloads)
    raise AssertionError(args.command)
