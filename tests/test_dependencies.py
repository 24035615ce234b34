"""Every third-party package the code imports is declared in pyproject.toml, and the lock file
pins each declared package to a version inside its range."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _imports(folder: Path) -> set[str]:
    """Top-level module names imported anywhere under ``folder`` (absolute imports only)."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"book", "tests", "unit_guard", "__future__"}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    found = packages_distributions()
    return {m: {canonicalize_name(d) for d in found.get(m, [])} for m in modules}


def test_every_declared_package_is_locked_inside_its_range() -> None:
    pins = _lock()
    for requirement in RUNTIME + DEV:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement}: run make lock"
        )


def test_lock_pins_exact_versions_and_ranges_are_not_pins() -> None:
    assert all(re.fullmatch(r"[\w.\-]+", v) for v in _lock().values())
    assert not [str(r) for r in RUNTIME if str(r.specifier).startswith("==")]


def test_the_library_imports_only_declared_packages() -> None:
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    for module, dists in _distributions(_imports(ROOT / "book")).items():
        assert dists & declared, (
            f"book/ imports {module!r} (from {dists or 'nowhere'}): declare it in [project]"
        )


def test_the_tests_import_only_declared_packages() -> None:
    declared = {canonicalize_name(r.name) for r in RUNTIME + DEV}
    modules = _imports(ROOT / "tests")
    for module, dists in _distributions(modules).items():
        assert dists & declared, f"tests/ import {module!r} (from {dists or 'nowhere'}): declare it in dev"


def test_the_citations_extension_imports_nothing_else_from_book() -> None:
    """book/citations is a Sphinx extension any project can use: it stands on its own."""
    for path in (ROOT / "book" / "citations").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                outside = node.level > 1 or (node.level == 0 and (node.module or "").startswith("book."))
                assert not outside or (node.module or "").startswith("book.citations"), (
                    f"{path.relative_to(ROOT)}:{node.lineno} imports {'.' * node.level}{node.module}"
                )
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("book.") and not a.name.startswith("book.citations")
                               for a in node.names), f"{path.relative_to(ROOT)}:{node.lineno}"  # fmt: skip


def test_no_module_of_the_package_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "book").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, f"split these modules (one job per module): {long}"
