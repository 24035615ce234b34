"""The chapters as Sphinx reads them: UTF-8 text, of bounded size, without NUL or other control
characters (the documents are held to the same by :func:`book.errors.read_text`).

Sphinx would replace an undecodable byte with "?" and docutils a NUL with "�", in every edition;
as a Sphinx extension, this module checks each document before Sphinx reads it, and stops the
build with one message naming the file and line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from book.errors import BookError, read_text


def _check(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    for docname in docnames:
        path = Path(env.doc2path(docname))
        try:
            read_text(path)
        except BookError as exc:
            exc.file = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
            raise


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
