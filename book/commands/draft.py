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

from book.build.publish import publish
from book.errors import BookError, check_text
from book.references.bibfiles import GENERATED_FILE
from book.sources.model import Document, Heading
from book.sources.myst import slug
from book.sources.outline import load_outline
from book.sources.reader import SourceWarning, read_document

from .bibliography import Unresolved
from .importer import write_chapters

LEVEL_NAMES = {1: "chapter", 2: "section", 3: "subsection"}
CONF = '''"""Sphinx configuration of a drafted book (see book/editions/sphinxconf.py)."""
from pathlib import Path

from book.editions.sphinxconf import book_settings

globals().update(book_settings(Path(__file__).resolve().parent / "outline.toml"))

book_csl_style = "chicago-notes-bibliography-book"
book_citation_ibid = False
'''


SOURCE_README = """# The sources of this book

Written by `python -m book draft`; a complete book you can fix and rebuild.

| file | what |
| --- | --- |
| `outline.toml` | title, author, the documents, and the level of every heading line |
| `documents/` | copies of the source documents |
| `chapters/`, `index.md` | the MyST chapters, generated from the documents and the outline |
| `references.bib` | your own bibliography entries (never overwritten; they win over generated ones) |
| `references-generated.bib` | the entries parsed from the notes (`python -m book bib`) |
| `conf.py` | the Sphinx settings (CSL style, "Ibid.") |

To rebuild, in this folder (with the `book` package installed):

```sh
python -m book import     # after editing outline.toml: rewrite the generated chapters
python -m book bib        # after editing the documents' notes: rebuild references-generated.bib
python -m book publish    # build dist/{name}.pdf, .epub, .docx and dist/html/
```

- **Fix a heading's level**: change it in `[headings]` of `outline.toml` ("chapter",
  "section" or "subsection"), then `import` and `publish`.
- **Edit a chapter**: delete its first (marker) line; `import` then leaves it alone.
- **Add a chapter**: write `chapters/NAME.md` and add `"NAME"` to `chapters` under
  `[front_matter]` or `[back_matter]` in `outline.toml`, then `import` and `publish`.
"""


OUTLINE_MARK = "# Written by python -m book draft"


def draft(
    documents: list[Path],
    out: Path,
    title: str | None = None,
    author: str | None = None,
    force: bool = False,
) -> int:
    """Draft and publish a book from ``documents``; returns 0 (bad input raises BookError)."""
    if not documents:
        raise BookError("no document given", hint="python -m book draft DOCUMENT... --out DIR")
    for option, value in (("--title", title), ("--author", author)):
        if value is not None and (not value.strip() or "\n" in value):
            raise BookError(f"{option} must be one line of text")
        check_text(value or "", None, None, option)
    out = Path(out).resolve()  # publish resolves a relative path against the book's (temporary) root
    # Guessed headings; checks every note mark and warns (once, naming the user's file) about
    # notes no mark cites. Bad input stops here, before DIR is touched.
    docs = [read_document(p, strict=False) for p in documents]
    check_out_folder(out, [Path(p) for p in documents], force)
    for doc in docs:
        if not any(isinstance(b, Heading) for b in doc.blocks):
            line = next((b.line for b in doc.blocks), 1)
            warnings.warn(
                f"{doc.path}:{line}: no heading lines found: the document is one chapter with no sections",
                SourceWarning,
                stacklevel=2,
            )
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
        per_document = len(docs) > 1
        _write_outline(
            project / "outline.toml", title, author or "Anonymous", name, copies, headings, per_document
        )
        (project / "conf.py").write_text(CONF, encoding="utf-8")
        (project / "README.md").write_text(SOURCE_README.format(name=name), encoding="utf-8")
        outline = load_outline(project / "outline.toml")
        unresolved: list[Unresolved] = [
            Unresolved(
                doc.path, line, f"[{number}]", "note mark with no note in the notes list: kept as text"
            )
            for doc in docs
            for line, number in doc.marks_without_notes
        ]
        write_chapters(
            outline, project / "chapters", bib_file=project / GENERATED_FILE, unresolved=unresolved
        )
        print(report(docs, unresolved), flush=True)
        publish(["html", "epub", "pdf"], out, root=project, build=Path(tmp) / "_build")
        kept = out / "source"
        if kept.exists():
            shutil.rmtree(kept)
        shutil.copytree(project, kept)
    return 0


def report(docs: list[Document], unresolved: list[Unresolved]) -> str:
    """The draft's report: every heading with the level chosen and why, then every note or
    reference left unresolved."""
    rows = [
        (f"{doc.path.name}:{b.line}", LEVEL_NAMES.get(b.level, "subsection"), b.text, b.why)
        for doc in docs
        for b in doc.blocks
        if isinstance(b, Heading)
    ]
    out = [
        "",
        "Headings: the level each one got, and why (fix a level in source/outline.toml, then rebuild):",
    ]
    if rows:
        width = max(len(r[0]) for r in rows)
        out += [f"  {where:<{width}}  {level:<10}  {text}  ({why})" for where, level, text, why in rows]
    else:
        out.append("  (none: each document is one chapter with no sections)")
    out.append("Unresolved references and notes (kept in the book as written):")
    if unresolved:
        out += [
            f"  {item.document.name}:{item.line}  {item.reason}: {_shorten(item.text)}" for item in unresolved
        ]
    else:
        out.append("  (none)")
    return "\n".join(out) + "\n"


def _shorten(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def check_out_folder(out: Path, documents: list[Path], force: bool) -> None:
    """Refuse an ``--out`` that would replace what draft did not make.

    A file, a book's own ``dist/`` (its folder has an ``outline.toml``), a folder holding the
    documents or the current folder are refused always; a non-empty folder that an earlier
    draft did not make is refused unless ``force``.
    """
    if out.exists() and not out.is_dir():
        raise BookError("--out names a file, not a folder", out, hint="choose a new or empty folder")
    if (out.parent / "outline.toml").is_file() and out.name == "dist":
        raise BookError(
            "--out is the book's own dist/ folder; a draft never replaces the book's site",
            out,
            hint="choose another folder, for example --out drafts/NAME",
        )
    if Path.cwd().resolve().is_relative_to(out):
        raise BookError("--out holds the current folder; the draft would replace it", out,
                        hint="choose a new folder")  # fmt: skip
    inside = [p for p in documents if p.resolve().is_relative_to(out)]
    if inside:
        raise BookError(f"--out holds the document {inside[0]}; the draft would replace it", out,
                        hint="choose a new folder")  # fmt: skip
    if not out.is_dir() or force or not any(out.iterdir()):
        return
    outline = out / "source" / "outline.toml"
    try:
        made_by_draft = outline.is_file() and outline.read_text(encoding="utf-8").startswith(OUTLINE_MARK)
    except (OSError, UnicodeDecodeError):
        made_by_draft = False
    if not made_by_draft:
        raise BookError(
            "--out is a folder that is not empty and was not made by draft; its html/, source/ and "
            "editions would be replaced",
            out,
            hint="choose a new or empty folder, or add --force to replace them",
        )


def _write_outline(
    path: Path,
    title: str,
    author: str,
    name: str,
    documents: list[Path],
    headings: dict[str, str],
    per_document: bool,
) -> None:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a TOML basic string

    lines = [
        f"{OUTLINE_MARK}: the headings and levels it guessed.",
        "[book]",
        f"title = {q(title)}",
        f"author = {q(author)}",
        'language = "en"',
        f"filename = {q(name)}",
        "",
        "[sources]",
        "documents = [" + ", ".join(q(f"documents/{p.name}") for p in documents) + "]",
        f"chapter_per_document = {'true' if per_document else 'false'}  # each document one chapter",
        "strict = false  # a note mark with no note is a warning, kept as text",
        "",
        "# Hand-written chapters (MyST files in chapters/): before and after the generated ones.",
        "[front_matter]",
        "chapters = []",
        "[back_matter]",
        "chapters = []",
        "",
        "# Every heading line and its level: chapter, section or subsection.",
        "[headings]",
        *[f"{q(text)} = {q(level)}" for text, level in headings.items()],
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
