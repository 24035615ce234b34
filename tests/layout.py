"""Reading a page's width in Chromium once its layout has settled (the theme's sidebar slides in
or out at some widths, and a read taken mid-way is neither layout)."""

from __future__ import annotations

from typing import Any

_SETTLED = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def overflow(page: Any, width: int, selector: str) -> tuple[int, float]:
    """The page's scroll width and the right edge of the elements ``selector`` at ``width``."""
    page.set_viewport_size({"width": width, "height": 900})
    last = None
    for _ in range(20):
        page.evaluate(_SETTLED)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        right = page.evaluate(
            f"Math.max(0, ...[...document.querySelectorAll({selector!r})]"
            ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))"
        )
        if (scroll, right) == last:
            break
        last = (scroll, right)
        page.wait_for_timeout(50)
    return scroll, right
