"""Compiled regular expressions kept between builds, as Python keeps compiled bytecode.

A build imports Sphinx, docutils, MyST, the themes and their dependencies, which compile
about 580 regular expressions as they load (soupsieve's CSS grammar alone takes 0.05 s):
0.15–0.2 s of every build, the same work each time. :func:`install` makes ``re`` look a
pattern up in a file of the build folder first: one found there is handed to the regular
expression engine as the program ``re`` compiled for it before; one not found is compiled
as usual and written to the file when the build ends (:func:`save`).

The file holds only what ``re`` itself made for the same pattern and flags under the same
Python (its name carries the interpreter's version and the engine's magic number). It is
checked whole (a sha256 of its contents) before it is used, so a damaged file is ignored,
and ``install`` first checks that a pattern through the cache is the one ``re`` gives;
where ``re``'s internals are not as expected, nothing is changed. A pattern not used in the
last few builds is dropped (some libraries build patterns from sets, in a new order in each
process), so the file stays the size of what a build uses.
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = ["install", "save"]

_KEEP = 3  # builds a pattern is kept for after its last use
_LIMIT = 5000  # patterns at most
_state: dict[str, Any] = {}


def _file(folder: Path) -> Path:
    _sre = importlib.import_module("_sre")
    version = ".".join(map(str, sys.version_info[:3]))
    return folder / f"regex-{sys.implementation.cache_tag}-{version}-{_sre.MAGIC}.marshal"


def _load(path: Path) -> tuple[int, dict[Any, Any], dict[Any, int]]:
    """The cache's build number, programs and last uses; empty if missing or damaged."""
    try:
        blob = path.read_bytes()
        if hashlib.sha256(blob[32:]).digest() != blob[:32]:
            return 0, {}, {}
        build, programs, used = marshal.loads(blob[32:])
        if isinstance(build, int) and isinstance(programs, dict) and isinstance(used, dict):
            return build, programs, used
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return 0, {}, {}


def _groups(pattern: Any) -> dict[str, str] | None:
    found = pattern.match("Été éé y")
    return found.groupdict() if found else None


def install(folder: Path) -> None:
    """From now on, compile regular expressions through the cache in ``folder``."""
    if _state or os.environ.get("BOOK_REGEX_CACHE") == "0":
        return
    try:
        _sre = importlib.import_module("_sre")
        _compiler = importlib.import_module("re._compiler")  # Python 3.11 and later
    except ImportError:
        return
    compile_, code_ = getattr(_compiler, "compile", None), getattr(_compiler, "_code", None)
    if compile_ is None or code_ is None:
        return
    path = _file(folder)
    build, programs, used = _load(path)
    build += 1
    local = threading.local()  # the program re made for this thread's pattern

    def code(p: Any, flags: int) -> Any:
        local.made = code_(p, flags)
        return local.made

    def cached_compile(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, (str, bytes)) or flags & re.DEBUG:
            return compile_(p, flags)
        key = (isinstance(p, bytes), bytes(p) if isinstance(p, bytes) else str(p), int(flags))
        program = programs.get(key)
        if program is not None:
            used[key] = build
            final, instructions, groups, groupindex = program
            indexgroup: list[str | None] = [None] * (groups + 1)
            for name, index in groupindex.items():
                indexgroup[index] = name
            return _sre.compile(p, final, instructions, groups, groupindex, tuple(indexgroup))
        local.made = None
        pattern = compile_(p, flags)
        if local.made is not None and len(programs) < _LIMIT:
            made = [int(c) for c in local.made]
            programs[key] = (int(pattern.flags), made, pattern.groups, dict(pattern.groupindex))
            used[key] = build
            _state["added"] = True
        return pattern

    # a pattern through the cache must be the one re gives, or the cache is not used
    probe, flags = r"(?P<word>\w+)[\s\u00e9-\u00ff]*(?:x|y)?$", int(re.IGNORECASE)
    expected = compile_(probe, flags)
    setattr(_compiler, "_code", code)  # noqa: B010 - a module's attribute, set as re reads it
    try:
        programs.pop((False, probe, flags), None)
        cached_compile(probe, flags)
        again = cached_compile(probe, flags)
        same = (again.pattern, again.flags, again.groups, dict(again.groupindex), _groups(again)) == (
            expected.pattern, expected.flags, expected.groups, dict(expected.groupindex), _groups(expected)
        )  # fmt: skip
    except Exception:  # any surprise in re's internals: leave re as it was
        same = False
    if not same:
        setattr(_compiler, "_code", code_)  # noqa: B010
        _state.clear()
        return
    setattr(_compiler, "compile", cached_compile)  # noqa: B010
    _state.update(path=path, build=build, programs=programs, used=used, added=False)


def save() -> None:
    """Write the cache: the patterns of this build and of the last few (those not used since
    are dropped). A process forked from this one saves what it added too."""
    if not _state or not _state["added"]:
        return  # every pattern came from the cache: it is current
    path: Path = _state["path"]
    build: int = _state["build"]
    _, programs, used = _load(path)  # a child process may have saved its own since
    programs.update(_state["programs"])
    for key, last in _state["used"].items():
        used[key] = max(last, used.get(key, 0))
    keep = {key: last for key, last in used.items() if key in programs and last > build - _KEEP}
    try:
        payload = marshal.dumps((build, {key: programs[key] for key in keep}, keep))
    except ValueError:  # not plain data: nothing is written
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    _state["added"] = False
