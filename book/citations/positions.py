"""Decide the CSL note position of each cite: first, subsequent or ibid (pure, no Sphinx).

Within one document (one chapter), in reading order:

* ``FIRST``: the work has not been cited before in this document;
* ``IBID``: only when ibid is enabled, and the cite right before it in the document is the
  same work, either earlier in the same citation or as the only work of the previous note
  (the CSL 1.0.2 definition);
* ``SUBSEQUENT``: every other repeated citation (the style's short form).

Whether an ibid with a different page becomes "Ibid., 80." is up to the style's
``ibid-with-locator`` branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

__all__ = ["Position", "PositionTracker"]


class Position(Enum):
    FIRST = "first"
    SUBSEQUENT = "subsequent"
    IBID = "ibid"


class PositionTracker:
    """Feed it the keys of each citation of a document in order; it returns their positions."""

    def __init__(self, ibid: bool = False) -> None:
        self.ibid = ibid
        self.seen: set[str] = set()
        self.last_key: str | None = None
        self.last_citation_size = 0

    def positions(self, keys: Sequence[str]) -> list[Position]:
        result = []
        for index, key in enumerate(keys):
            if key not in self.seen:
                position = Position.FIRST
            elif self.ibid and key == self.last_key and (index > 0 or self.last_citation_size == 1):
                position = Position.IBID
            else:
                position = Position.SUBSEQUENT
            result.append(position)
            self.seen.add(key)
            self.last_key = key
        if keys:
            self.last_citation_size = len(keys)
        return result
