"""``python -m book draft DOC... --out DIR``: any document in this form becomes a complete book.

No outline written by hand: the reader guesses the headings and their levels, then the same
importer, reference parser, citation extension and publishing step as the main book make
``DIR/<name>.pdf``, ``DIR/<name>.epub`` and ``DIR/html/``. The generated sources (outline,
chapters, references.bib, conf.py) are kept in ``DIR/source/`` for further editing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

from .bibfiles import GENERATED_FILE
from .errors import BookError
from .importer import write_chapters
from .model import Heading
from .myst import slug
from .outline import load_outline
from .publish import publish
from .reader import SourceWarning, read_document

LEVEL_NAMES = {1: "chapter", 2: "section", 3: "subsection"}
CONF = '''"""Sphinx configuration of a drafted book (see book/sphinxconf.py)."""
from pathlib import Path

from book.sphinxconf import book_settings

globals().update(book_settings(Path(__file__).resolve().parent / "outline.toml"))

book_csl_style = "chicago-notes-bibliography"
book_citation_ibid = False
'''


def draft(documents: list[Path], out: Path, title: str | None = None, author: str | None = None) -> int:
    """Draft and publish a book from ``documents``; returns 0 (bad input raises BookError)."""
    if not documents:
        raise BookError("no document given", hint="python -m book draft DOCUMENT... --out DIR")
    out = Path(out).resolve()  # publish resolves a relative path against the book's (temporary) root
    # Guessed headings; checks every note mark and warns (once, naming the user's file) about
    # notes no mark cites. Bad input stops here, before DIR is touched.
    docs = [read_document(p) for p in documents]
    title = title or next((d.title for d in docs if d.title), "") or documents[0].stem.replace("_", " ")
    name = slug(title)
    with tempfile.TemporaryDirectory(prefix="book-draft-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", SourceWarning)  # already reported above
        project = Path(tmp) / "source"
        (project / "documents").mkdir(parents=True)
        copies = []
        stems = [p.stem for p in documents]
        for number, path in enumerate(documents, 1):
            # A document's file stem names its notes in the bibliography: keep stems unique.
            copy_name = path.name if stems.count(path.stem) == 1 else f"{number:02d}-{path.name}"
            copy = project / "documents" / copy_name
            shutil.copyfile(path, copy)
            copies.append(copy)
        headings: dict[str, str] = {}
        for doc in docs:
            for block in doc.blocks:
                if isinstance(block, Heading):
                    headings.setdefault(block.text, LEVEL_NAMES.get(block.level, "subsection"))
        _write_outline(project / "outline.toml", title, author or "Anonymous", name, copies, headings)
        (project / "conf.py").write_text(CONF, encoding="utf-8")
        outline = load_outline(project / "outline.toml")
        write_chapters(
            outline,
            project / "chapters",
            chapter_per_document=len(docs) > 1,
            bib_file=project / GENERATED_FILE,
        )
        publish(["html", "epub", "pdf"], out, root=project, build=Path(tmp) / "_build")
        kept = out / "source"
        if kept.exists():
            shutil.rmtree(kept)
        shutil.copytree(project, kept)
    return 0


def _write_outline(
    path: Path, title: str, author: str, name: str, documents: list[Path], headings: dict[str, str]
) -> None:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a TOML basic string

    lines = [
        "# Written by python -m book draft: the headings and levels it guessed.",
        "[book]",
        f"title = {q(title)}",
        f"author = {q(author)}",
        'language = "en"',
        f"filename = {q(name)}",
        "",
        "[sources]",
        "documents = [" + ", ".join(q(f"documents/{p.name}") for p in documents) + "]",
        "",
        "[headings]",
        *[f"{q(text)} = {q(level)}" for text, level in headings.items()],
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
