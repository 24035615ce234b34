"""``python -m book serve [--port N]``: a live preview of the HTML edition.

sphinx-autobuild rebuilds the HTML into ``_build/serve`` on every save and serves it. Each
session starts from an empty preview cache: nothing in it is checked against a record, so
nothing in it is kept from one session to the next. The landing page links to
``downloads/<name>.pdf`` and ``.epub``: they are linked into the preview from ``dist/``, and
built there first if ``dist/`` has none yet (``--no-downloads`` skips that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from book.build.distdir import remove_tree
from book.errors import BookError
from book.sources.outline import load_outline


def link_downloads(root: Path, dist: Path, site: Path, build_missing: bool = True) -> list[Path]:
    """Put the PDF and EPUB of ``dist`` into ``site/downloads``; build missing ones first."""
    name = load_outline(root / "outline.toml").filename
    editions = {ext: dist / f"{name}.{ext}" for ext in ("pdf", "epub")}
    missing = [ext for ext, path in editions.items() if not path.exists()]
    if missing and build_missing:
        from book.build.publish import publish

        print(
            f"==> {dist}/ has no {' or '.join(missing).upper()} yet: building it for the preview's downloads"
        )
        publish(missing, dist, root=root)
    downloads = site / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    linked = []
    for path in editions.values():
        if path.exists():
            target = downloads / path.name
            if target.exists():
                target.unlink()
            try:
                os.link(path, target)
            except OSError:  # another file system
                shutil.copy2(path, target)
            linked.append(target)
    return linked


def serve(root: Path, port: int, host: str = "127.0.0.1", downloads: bool = True) -> int:
    """Run sphinx-autobuild on the book in ``root`` until interrupted."""
    root = root.resolve()
    if not (root / "conf.py").exists():
        raise BookError("no conf.py here: run the command in the book's folder", root / "conf.py")
    site = root / "_build" / "serve"
    for cache in (site, root / "_build" / "serve-doctrees"):  # not kept between sessions: never checked
        try:
            remove_tree(cache)
        except OSError as exc:
            raise BookError(f"cannot remove the preview's last cache: {exc.strerror}", cache) from None
    link_downloads(root, root / "dist", site, build_missing=downloads)
    package_parent = str(Path(__file__).resolve().parents[2])
    cmd = [
        sys.executable, "-m", "sphinx_autobuild", "-b", "html", "-d", str(root / "_build" / "serve-doctrees"),
        str(root), str(site), "--port", str(port), "--host", host,
        "--ignore", str(root / "dist"), "--ignore", str(root / "_build"),
    ]  # fmt: skip
    if (root / "book").is_dir():
        cmd += ["--watch", str(root / "book")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])),
    }
    print(f"==> serving the HTML edition at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        return subprocess.call(cmd, cwd=root, env=env)
    except KeyboardInterrupt:
        return 0
