"""Write entries as BibTeX: LaTeX-escaped text, braced names, a fixed field layout."""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser import model

# Fields the citation extension reads verbatim (no LaTeX decoding): kept as they are, with
# the three characters BibTeX's syntax cannot hold percent-encoded.
RAW_FIELDS = frozenset({"url", "doi", "isbn", "issn", "urldate", "eprint", "file"})


NAME_FIELDS = frozenset({"author", "editor", "translator"})


_TEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
    }
)


def bib_text(field: str, value: str) -> str:
    """A field's plain text as a BibTeX value the citation extension reads back unchanged.

    Field values are text (from the documents or bib-corrections.toml), never LaTeX: ``%``
    would start a comment, ``--`` become a dash, a trailing ``\\`` or a lone brace break the
    entry. Two forms the reference parser writes on purpose stay: ``--`` in ``pages`` and a
    corporate name wholly in braces in a name list.
    """
    if field in RAW_FIELDS:
        return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    if field in NAME_FIELDS:
        return " and ".join(_bib_name(name) for name in _split_names(value))
    text = value.translate(_TEX_SPECIAL)
    if field == "pages":
        return text
    while "--" in text:  # "1912--1914" stays two hyphens (TeX would make an en dash)
        text = text.replace("--", "-{}-")
    return text


def _bib_name(name: str) -> str:
    if name.startswith("{") and name.endswith("}") and "{" not in name[1:-1] and "}" not in name[1:-1]:
        return "{" + bib_text("name", name[1:-1]) + "}"  # a corporate name
    return bib_text("name", name)


def _split_names(value: str) -> list[str]:
    """Split a name list on " and " outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    return names


def bibtex_format() -> bibtexparser.BibtexFormat:
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = "auto"
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    return fmt


def entries_to_bibtex(entries: dict[str, dict[str, str]], header: str | None = None) -> str:
    """BibTeX text for ``entries`` (key -> fields with ENTRYTYPE), in the given order."""
    library = bibtexparser.Library()
    if header:
        library.add(model.ImplicitComment(header))
    for key, fields in entries.items():
        library.add(
            model.Entry(
                fields["ENTRYTYPE"],
                key,
                [model.Field(k, bib_text(k, v)) for k, v in fields.items() if k not in ("ENTRYTYPE", "ID")],
            )
        )
    return bibtexparser.write_string(library, bibtex_format=bibtex_format())
