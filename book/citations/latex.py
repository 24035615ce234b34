"""LaTeX in .bib fields to Unicode text (pylatexenc), keeping case-protected braces as CSL
``nocase`` spans."""

from __future__ import annotations

import re

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# citeproc formatting markers live in this Unicode private-use range (see csl.py): never in data
_PRIVATE = re.compile("[\ue000-\ue0ff]")

__all__ = ["PROTECTED", "decode", "decode_protected", "keep_lowercase_prepositions"]


_LOGOS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "AMS": "AMS",
}


def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "book-citations",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            MacroTextSpec("texttt", simplify_repl="%s"),
            # biblatex's quotation marks: straight quotes, which citeproc sets as the style's
            # quotation marks, flipped inside a quoted title ("“‘Intention’ und …”")
            MacroTextSpec("mkbibquote", simplify_repl='"%s"'),
            MacroTextSpec("enquote", simplify_repl='"%(2)s"'),
            # the logos, as biblatex prints them ("The {\TeX book}" is "The TeXbook")
            *(MacroTextSpec(name, simplify_repl=text) for name, text in _LOGOS.items()),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


_DECODER = _decoder()
#: the parser's macro table, built once (the walker builds it afresh per call otherwise: 0.5 ms)
_PARSING = latexwalker.get_default_latex_context_db()
_PARSING.add_context_category(
    "book-citations",
    prepend=True,
    macros=[macrospec.MacroSpec("mkbibquote", "{"), macrospec.MacroSpec("enquote", "*{")],
)


def decode(text: str) -> str:
    """LaTeX → Unicode text: ``\\&`` → ``&``, ``{\\'e}`` → ``é``, ``--`` → ``–``; braces dropped."""
    if "\\" in text or "{" in text or "--" in text or "~" in text:
        text = _DECODER.latex_to_text(text, latex_context=_PARSING)
    return _PRIVATE.sub("", " ".join(text.split()))


_MACRO_BEFORE = re.compile(r"\\(?:[A-Za-z]+|.)\s*$")


#: fields whose brace-protected words keep their case (CSL title case skips a nocase span)
PROTECTED = {"title", "title-short", "container-title", "collection-title", "publisher"}


def _protected_pieces(text: str) -> list[tuple[bool, str]]:
    """(protected?, text) pieces: a top-level ``{group}`` that is no macro's argument and holds
    no macro is protected."""
    pieces: list[tuple[bool, str]] = []
    depth = start = last = 0
    for i, char in enumerate(text):
        if char == "{":
            if depth == 0 and not _MACRO_BEFORE.search(text[:i]):
                pieces.append((False, text[last:i]))
                start, last = i + 1, -1
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0 and last == -1:
                inner = text[start:i]
                pieces.append((True, inner) if "\\" not in inner else (False, "{" + inner + "}"))
                last = i + 1
    if last == -1:
        return [(False, text)]
    pieces.append((False, text[last:]))
    return pieces


def decode_protected(text: str) -> str:
    """Like :func:`decode`, but case-protecting braces become ``<span class="nocase">…</span>``,
    which CSL processors leave uncased ("{www.chinadaily.com.cn}", "{NATO}")."""
    pieces = _protected_pieces(text)
    if not any(protected for protected, _ in pieces):
        return decode(text)
    out = ""
    for protected, piece in pieces:
        lead = " " if piece[:1].isspace() else ""
        trail = " " if piece[-1:].isspace() and piece.strip() else ""
        decoded = lead + decode(piece) + trail if piece.strip() else piece
        out += f'<span class="nocase">{decoded}</span>' if protected and decoded.strip() else decoded
    return " ".join(out.split())


# Chicago (CMOS 8.159) lowercases prepositions whatever their length; CSL's title case spares
# only its short stop words and capitalizes "toward", "against", "since" … A preposition the
# source writes lowercase inside a title stays lowercase (a nocase span), never its first word
# or the first word after a colon.
_PREPOSITIONS = re.compile(
    r"(?<![\w'’\-])(?:after|against|among|amongst|before|beneath|beside|between|beyond|despite|"
    r"during|since|throughout|toward|towards|underneath|until|upon|versus|within|without)(?![\w'’\-])"
)
_MARKUP = re.compile(r'<span class="nocase">.*?</span>|<[^>]*>', re.S)


def keep_lowercase_prepositions(title: str) -> str:
    protected = [m.span() for m in _MARKUP.finditer(title)]
    out, last = "", 0
    for m in _PREPOSITIONS.finditer(title):
        if any(a <= m.start() < b for a, b in protected):
            continue
        before = _MARKUP.sub("", title[: m.start()]).rstrip()
        if not before or before[-1] in ":—?!":
            continue  # the title's first word, or a subtitle's: capitalized
        out += title[last : m.start()] + f'<span class="nocase">{m.group(0)}</span>'
        last = m.end()
    return out + title[last:]
