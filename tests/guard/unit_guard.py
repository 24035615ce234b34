"""Keep the unit tier honest: an unmarked test (neither ``sphinx`` nor ``edition``) that starts
Sphinx or LaTeX fails at once, in the test process and in the ``python -m book`` processes it
starts (``tests/guard`` is on their PYTHONPATH; see ``sitecustomize.py`` there)."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

FLAG = "BOOK_UNIT_TEST"  # set while an unmarked test runs
BUILD_PROGRAMS = {
    "sphinx-build",
    "sphinx-autobuild",
    "latexmk",
    "xelatex",
    "xdvipdfmx",
    "lualatex",
    "pdflatex",
}
BUILD_MODULES = {"sphinx", "sphinx_autobuild", "sphinx.cmd.build"}


def builds(args: Any) -> bool:
    """Whether a subprocess command line runs Sphinx or LaTeX."""
    argv: Sequence[Any] = [args] if isinstance(args, (str, bytes, PurePath)) else list(args)
    words = [str(a) for a in argv]
    if len(words) == 1:
        words = words[0].split()
    if any(PurePath(w).name in BUILD_PROGRAMS for w in words):
        return True
    return any(w == "-m" and nxt in BUILD_MODULES for w, nxt in itertools.pairwise(words))


class BuildInUnitTest(RuntimeError):
    """Raised when a unit test starts a build."""


def _refuse(what: str) -> None:
    raise BuildInUnitTest(
        f"a unit test ran {what}: mark the test @pytest.mark.sphinx (tiny book) or "
        "@pytest.mark.edition (the real book)"
    )


def install() -> None:
    """Patch subprocess (and Sphinx, when it is imported here) to refuse builds while FLAG is set."""
    original = subprocess.Popen.__init__
    if getattr(original, "_unit_guard", False):
        return

    def __init__(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        if os.environ.get(FLAG) and builds(args):
            _refuse(" ".join(map(str, args)) if not isinstance(args, str) else args)
        original(self, args, *rest, **kwargs)

    __init__._unit_guard = True  # type: ignore[attr-defined]
    subprocess.Popen.__init__ = __init__  # type: ignore[method-assign]


def install_sphinx() -> None:
    """Refuse an in-process Sphinx application while FLAG is set."""
    from sphinx.application import Sphinx

    original = Sphinx.__init__
    if getattr(original, "_unit_guard", False):
        return

    def __init__(self: Sphinx, *args: Any, **kwargs: Any) -> None:
        if os.environ.get(FLAG):
            _refuse("Sphinx in-process")
        original(self, *args, **kwargs)

    __init__._unit_guard = True  # type: ignore[attr-defined]
    Sphinx.__init__ = __init__  # type: ignore[method-assign]
