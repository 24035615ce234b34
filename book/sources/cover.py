"""The author's own cover image (``[book] cover``): checked where the outline is read."""

from __future__ import annotations

from pathlib import Path

from book.errors import BookError

__all__ = ["COVER_FORMATS", "COVER_WIDTH", "check_cover", "cover_suffix"]

COVER_WIDTH = 1400  # pixels: the narrowest cover e-book shops and readers take
COVER_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}  # what every EPUB 3 reader shows


def check_cover(cover: Path, outline: Path, line: int | None) -> tuple[int, int]:
    """The cover's size in pixels; a BookError naming the outline's line if it is no JPEG or
    PNG image, or narrower than COVER_WIDTH."""
    from PIL import Image, UnidentifiedImageError

    accepted = f"a JPEG or PNG image at least {COVER_WIDTH:,} pixels wide (1,600 × 2,400 is usual)"
    try:
        with Image.open(cover) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise BookError(
            f"cover '{cover.name}' is not an image", outline, line, hint=f"use {accepted}"
        ) from None
    except Image.DecompressionBombError:
        raise BookError(
            f"cover '{cover.name}' is too large an image", outline, line, hint=f"use {accepted}"
        ) from None
    if kind not in COVER_FORMATS:
        raise BookError(f"cover '{cover.name}' is a {kind} image", outline, line, hint=f"use {accepted}")
    if size[0] < COVER_WIDTH:
        raise BookError(
            f"cover '{cover.name}' is {size[0]:,} pixels wide; a cover needs {COVER_WIDTH:,}",
            outline,
            line,
            hint=f"use {accepted}",
        )
    return size


def cover_suffix(cover: Path) -> str:
    """The file suffix of the cover's format (a JPEG named cover.png is still a JPEG)."""
    from PIL import Image

    with Image.open(cover) as image:
        return COVER_FORMATS.get(image.format or "", cover.suffix.lower())
