"""The HTML theme's navigation, kept from the last build while its input is the same.

pydata-sphinx-theme builds each page's sidebar navigation and in-page contents by parsing
Sphinx's HTML with BeautifulSoup and CSS selectors; the selectors' first use compiles
soupsieve's case-insensitive Unicode patterns, a quarter of a second of every HTML build,
even when one page changed. Here the theme's two template functions are wrapped: their input
(the toctree fragment the sidebar is made from, or the page's rendered contents, and the
arguments) is hashed, and the theme's own output is reused when the hash is the one the last
build recorded for that page. The cache is a file in the doctree folder,
``booknav/navigation.json``: for each page and call, the input hash and the theme's HTML.
"""

from __future__ import annotations

import json
import sys
import weakref
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from book.build.buildstate import digest

__all__ = ["setup"]

_FILE = Path("booknav") / "navigation.json"
_VERSION = 1


class _Cache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.pages: dict[str, dict[str, list[str]]] = (
            data.get("pages", {}) if data.get("version") == _VERSION else {}
        )
        self.changed = False
        self.used: set[str] = set()  # the pages rendered in this build

    def get(self, page: str, call: str, key: str, make: Callable[[], Any]) -> str:
        """The theme's HTML for ``call`` on ``page``: the recorded one if ``key`` is the same."""
        self.used.add(page)
        entry = self.pages.setdefault(page, {}).get(call)
        if entry is not None and entry[0] == key:
            return entry[1]
        html = str(make())
        self.pages[page][call] = [key, html]
        self.changed = True
        return html

    def save(self, documents: set[str]) -> None:
        """Write the cache if it changed; pages gone from the book are dropped."""
        kept = {page: calls for page, calls in self.pages.items() if page in documents or page in self.used}
        if not self.changed and kept == self.pages:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(json.dumps({"version": _VERSION, "pages": kept}, sort_keys=True), encoding="utf-8")
        partial.replace(self.path)


_CACHES: weakref.WeakKeyDictionary[Sphinx, _Cache] = weakref.WeakKeyDictionary()


def _builder_inited(app: Sphinx) -> None:
    """Wrap the theme's context functions, in the theme's place among the page handlers (if
    this builder loaded the theme: never import it for another)."""
    toctree = sys.modules.get("pydata_sphinx_theme.toctree")
    if toctree is None:
        return
    listeners = app.events.listeners.get("html-page-context", [])
    for index, listener in enumerate(listeners):
        if listener.handler is toctree.add_toctree_functions:
            cache = _CACHES[app] = _Cache(Path(app.doctreedir) / _FILE)
            listeners[index] = listener._replace(handler=_wrapped(toctree, cache))
            return


def _wrapped(toctree: Any, cache: _Cache) -> Any:
    original = toctree.add_toctree_functions

    def add_toctree_functions(
        app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> None:
        original(app, pagename, templatename, context, doctree)
        sidebar, contents = context["generate_toctree_html"], context["generate_toc_html"]

        def generate_toctree_html(
            kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any
        ) -> Any:
            fragment = (
                _fragment(toctree, app, pagename, context, startdepth, kwargs) if kind == "sidebar" else None
            )
            if fragment is None:
                return sidebar(kind, startdepth, show_nav_level, **kwargs)
            call = digest("sidebar", startdepth, show_nav_level, sorted(kwargs.items()))
            make = lambda: sidebar(kind, startdepth, show_nav_level, **kwargs)  # noqa: E731
            return cache.get(pagename, call, digest(fragment), make)

        def generate_toc_html(kind: str = "html") -> Any:
            if "toc" not in context:
                return contents(kind)
            call = digest("contents", kind, context.get("theme_show_toc_level"))
            return cache.get(pagename, call, digest(context["toc"]), lambda: contents(kind))

        context["generate_toctree_html"] = wraps(sidebar)(generate_toctree_html)
        context["generate_toc_html"] = wraps(contents)(generate_toc_html)

    return add_toctree_functions


def _fragment(
    toctree: Any, app: Sphinx, pagename: str, context: dict[str, Any], startdepth: int, kwargs: dict[str, Any]
) -> str | None:
    """The toctree HTML the theme makes the sidebar from (computed as the theme does), or None."""
    if startdepth == 0:
        return str(context["toctree"](**kwargs))
    ancestor, toctree_obj = toctree._get_ancestor_pagename(app=app, pagename=pagename, startdepth=startdepth)
    if ancestor is None:
        return None
    element = toctree.get_nonroot_toctree(app, pagename, ancestor, toctree_obj, **kwargs)
    return str(app.builder.render_partial(element)["fragment"])  # type: ignore[attr-defined]


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    cache = _CACHES.get(app)
    if exception is None and cache is not None:
        cache.save(set(app.env.found_docs))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _builder_inited, priority=900)
    app.connect("build-finished", _finished)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
