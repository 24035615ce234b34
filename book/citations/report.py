"""Report bad citation input: a one-line error naming file and line, and a failed build."""

from __future__ import annotations

from typing import Any

from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .domain import citation_domain

__all__ = ["report_error"]

logger = logging.getLogger(__name__)


def report_error(env: BuildEnvironment, message: str, location: Any) -> None:
    """Log ``file:line: ERROR: message`` and remember it for the document being read.

    Remembered errors make the build exit non-zero (see ``build-finished`` in
    ``__init__``) and the document be read again next time until it is fixed.
    """
    logger.error(message, location=location, type="book", subtype="citation")
    citation_domain(env).note_error(env.docname, message)
