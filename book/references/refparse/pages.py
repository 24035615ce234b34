"""The pages normalizer: an entry's page range and a citation's locator."""

from __future__ import annotations

import re


def normalise_pages(text: str) -> str:
    """An entry's page range in BibTeX form: "147--158", "105--182" for "105–82", "113+"."""
    t = text.strip().strip(".,")
    m = re.fullmatch(r"(\d+)\s*[–—-]+\s*(\d+)", t)
    if m:
        a, b = m.groups()
        if len(b) < len(a):
            b = a[: len(a) - len(b)] + b
        return f"{a}--{b}"
    return re.sub(r"\s*[–—]\s*", "--", t)


def normalise_locator(text: str) -> str:
    """A citation's locator: "p. 78", "pp. 182, 183", "p. 79" for "pp. 79–"."""
    t = text.strip().rstrip(".,;:").strip()
    if not t:
        return ""
    t = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", t)
    m = re.match(r"(?i)^(pages?|pp?)\.?\s*(.*)$", t)
    body = m.group(2) if m else t
    m2 = re.fullmatch(r"(\d+)\s*[–—-]", body)
    if m2:  # "pp. 79–": an open range is Google Books' "from page 79"
        return f"p. {m2.group(1)}"
    if re.fullmatch(r"\d+|[ivxlc]+", body):
        return f"p. {body}"
    if re.fullmatch(r"\d+:\d+(?:–\d+)?", body):  # volume and pages: "1:73–85"
        return body
    plural = not m or m.group(1).lower() in ("pp", "pages")
    return f"pp. {body}" if plural else f"p. {body}"


TRAIL_LOC = re.compile(
    r"(?:^|(?<=[\s.,;:)]))(?P<loc>(?:pp?\.?\s*|pages?\s+)(?:\d[\dA-Za-z]*|[ivxlc]+)(?:\s*[–—-]\s*(?:\d+|[ivxlc]+)?)?"
    r"(?:\s*,\s*\d+(?:\s*[–—-]\s*\d*)?)*(?:\s*ff?\.?)?\+?)[\s.,]*$"
)


BARE_LOC = re.compile(
    r"(?<=[)\"])\s*,\s*(?P<loc>(?:\d+:)?\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)\s*\.?$"
)
