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


# The stages, lowest first: a module imports only from its own stage and the stages below it
# (the citations extension stands alone, below all). The modules at the top of book/ are shared
# by every stage (errors, limits, progress) or are the command line itself (cli, __main__).
STAGES = ["citations", "sources", "references", "editions", "build", "commands"]
SHARED = {"errors", "limits", "progress", "__init__"}


def _book_imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module under book) of every import of the package in ``path``."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = [f"{module}.{a.name}" for a in node.names] if not node.module else [module]
            found += [(node.lineno, m) for m in names if m == "book" or m.startswith("book.")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("book.")]
    return found


def test_the_stages_import_only_downwards() -> None:
    """citations < sources < references < editions < build < commands: no stage imports one
    above it, and the shared modules import no stage."""
    for path in sorted((ROOT / "book").rglob("*.py")):
        parts = path.relative_to(ROOT / "book").parts
        stage = parts[0] if len(parts) > 1 else None
        for line, module in _book_imports(path):
            target = module.split(".")[1] if module.count(".") else ""
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if target in ("", "__version__", *SHARED):
                continue
            if stage is None:
                assert path.stem in ("cli", "__main__"), where
                continue
            assert target in STAGES, where
            assert STAGES.index(target) <= STAGES.index(stage), where


def test_the_top_of_the_package_holds_at_most_ten_modules() -> None:
    loose = sorted(p.name for p in (ROOT / "book").glob("*.py"))
    assert len(loose) <= 10, loose


def test_every_module_imports_where_fcntl_and_termios_do_not_exist(tmp_path: Path) -> None:
    """The package imports on a platform without POSIX-only modules (Windows): each module is
    imported in a fresh interpreter in which ``fcntl``, ``termios`` and ``resource`` fail."""
    import subprocess

    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "book").rglob("*.py")
        if p.name != "__main__.py"
    )
    script = (
        "import sys, importlib\n"
        "for name in ('fcntl', 'termios', 'resource'): sys.modules[name] = None\n"
        f"for module in {modules!r}: importlib.import_module(module)\n"
        "print('imported', len(sys.argv))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
