"""The title's language (BibLaTeX ``langid``), so a style does not title-case it as English.

A title in Latin script whose function words and letters are those of German, French,
Italian, Spanish, Portuguese, Dutch or Latin, and not English, gets that language's BibLaTeX
name ("german", "french" ...). Titles in other scripts are left alone (the styles never
title-case them); an English title gets nothing.
"""

from __future__ import annotations

import re

# Function words: distinctive ones weigh 2, ones several languages share weigh 1.
_WORDS: dict[str, tuple[str, str]] = {
    "german": (
        "der die das und mit für über zur zum des dem den ein eine einer eines bis vom am auf aus "
        "nach zwischen unter gegen als wie oder ist sind im zu",
        "von in",
    ),
    "french": (
        "le les des du et à au aux une dans pour sur par chez avec entre vers selon sous l d qu siècle siècles",
        "la de en un",
    ),
    "italian": (
        "il lo gli dei degli delle della dello del nel nella nei per con tra fra è alla alle ai",
        "la di e un una le",
    ),
    "spanish": ("el los las del y con para sobre entre hasta desde según", "la de en un una por"),
    "portuguese": ("os da do das dos e em com para uma sobre", "de a o"),
    "dutch": ("het een van en voor met over naar bij uit tot", "de in op"),
    "latin": ("et ad cum ex sive seu atque ac quae qui quod ab pro sub inter apud ubi", "de in"),
}
_LETTERS = {
    "german": "äöüß",
    "french": "éèêëçàâîïôûœ",
    "spanish": "ñáíóú¿¡",
    "italian": "àèìòù",
    "portuguese": "ãõçáéíóú",
}
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "in",
        "a",
        "an",
        "to",
        "for",
        "on",
        "with",
        "from",
        "by",
        "at",
        "as",
        "its",
        "their",
        "his",
        "her",
        "or",
        "is",
        "are",
    ]
)
_WEIGHTS: dict[str, dict[str, int]] = {
    lang: {**{w: 1 for w in shared.split()}, **{w: 2 for w in own.split()}}
    for lang, (own, shared) in _WORDS.items()
}


def title_language(title: str) -> str | None:
    """The BibLaTeX language name of a non-English title in Latin script, or None."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f") < 0.8 * len(
        letters
    ):
        return None
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", title)]
    if len(words) < 2:
        return None
    english = sum(1 for w in words if w in _ENGLISH)
    scores = {}
    for lang, weights in _WEIGHTS.items():
        score = sum(weights.get(w, 0) for w in words)
        score += sum(1 for c in set(title.lower()) if c in _LETTERS.get(lang, ""))
        scores[lang] = score
    best = max(scores, key=lambda k: scores[k])
    top = scores[best]
    if top < 2 or top <= 2 * english or list(scores.values()).count(top) > 1:
        return None
    return best
