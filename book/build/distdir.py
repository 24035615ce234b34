"""Publish into ``dist/`` safely: one build at a time, and a swap that survives being killed.

The new ``dist/`` is staged beside the old one (``.dist.new``), then swapped in with two
renames (old → ``.dist.old``, new → ``dist``). A journal file (``.dist.swap``) exists from just
before the first rename until just after the second, and says the staged copy is complete: the
next run finishes an interrupted swap (:func:`recover`), or drops an incomplete staging, so
the last complete ``dist/`` is always there or recoverable. A ``dist`` that is a symbolic link
(a web root) is updated where it points; the link stays. Any failure to write is one message
naming the folder, and leaves ``dist/`` as it was.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from book.errors import BookError

LOCK_NAME = ".lock"


_REASONS = {
    errno.ENOSPC: ("no space left on the disk", "free some space, then run make again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, then run make again"),
    errno.EROFS: ("the file system is read-only", "choose a writable folder with --dist"),
    errno.EACCES: ("permission denied", "make the folder writable, or choose another with --dist"),
    errno.EPERM: ("permission denied", "make the folder writable, or choose another with --dist"),
    errno.ENOTDIR: ("a file stands where a folder is needed", "move that file away"),
}


def describe_os_error(exc: OSError, where: str | Path) -> BookError:
    """One clear message for a failure to write: which file, the reason, what to do."""
    code, path = exc.errno, exc.filename
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        _source, path, why = exc.args[0][0]  # copytree gathers one error per file: the first says it
        found = re.search(r"\[Errno (\d+)\]", str(why))
        code = int(found.group(1)) if found else None
    message, hint = _REASONS.get(code or 0, (exc.strerror or "the system refused", None))
    return BookError(f"cannot write {path or where}: {message}; dist/ was left as it was", where, hint=hint)


@contextmanager
def build_lock(build: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold ``<build>/.lock`` for the whole build; a second build waits for the first."""
    try:
        build.mkdir(parents=True, exist_ok=True)
        handle = _open_lock(build / LOCK_NAME)
    except OSError as exc:
        raise describe_os_error(exc, f"the build folder {build}") from None
    try:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read(32).strip() or "?"  # a process number, whatever else stands there
            say(f"another build of this book is running (process {holder}); waiting for it to finish")
            while not _try_lock(handle):
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _open_lock(path: Path) -> IO[str]:
    """The lock file, opened for reading and writing: a regular file of the build's own. A link,
    a folder or a pipe standing there is removed first (a link's target is never written)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    for _attempt in range(2):
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise
        else:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                return os.fdopen(fd, "r+", encoding="utf-8")
            os.close(fd)
        remove_tree(path)
    raise OSError(errno.EEXIST, "cannot make a lock file here", str(path))


def remove_tree(path: Path) -> None:
    """Remove ``path``, a file, a link (not what it points to) or a folder of the build's own,
    whatever the permissions of the folders in it (a read-only leftover of a killed build)."""
    if not path.is_dir() or path.is_symlink():
        path.unlink(missing_ok=True)
        return
    os.chmod(path, stat.S_IRWXU)
    for dirpath, dirnames, _files in os.walk(path):
        for name in dirnames:  # folders only: a file may share its inode, and mode, with dist/
            folder = os.path.join(dirpath, name)
            if not os.path.islink(folder):
                os.chmod(folder, stat.S_IRWXU)
    shutil.rmtree(path)


def _try_lock(handle: IO[str]) -> bool:
    """Take the lock on ``handle``'s file if no other process holds it (released on close)."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _siblings(target: Path) -> tuple[Path, Path, Path]:
    stem = f".{target.name}"
    return (
        target.with_name(stem + ".new"),
        target.with_name(stem + ".old"),
        target.with_name(stem + ".swap"),
    )


def resolve_target(dist: Path) -> Path:
    """The folder to publish into: ``dist`` itself, or where it points if it is a link."""
    target = Path(os.path.realpath(dist))
    if target.exists() and not target.is_dir():
        raise BookError(
            "the output folder is a file, not a folder; it was left as it was",
            dist,
            hint="move the file away, or choose another output folder with --dist",
        )
    if dist.is_symlink() and not target.exists():
        raise BookError(
            f"the output folder is a link to {target}, which does not exist",
            dist,
            hint="create that folder, or remove the link",
        )
    return target


def refuse_book_folder(
    dist: Path, root: Path, build: Path, sources: Iterable[Path], shown: str | Path | None = None
) -> None:
    """Refuse a ``dist`` that is a folder the book needs, before anything is written.

    Publishing replaces ``dist`` by a new folder (:func:`swap_in`), so it must not be the
    book's folder or hold it, lie inside a folder the book reads (its chapters, documents,
    build folder, the repository's metadata) or hold one of them; links are followed. The
    message names ``shown`` (the folder as the user wrote it), else ``dist``."""
    target = Path(os.path.realpath(dist))
    root = Path(os.path.realpath(root))
    needed = {Path(os.path.realpath(p)) for p in (build, *sources)}
    needed |= {root / name for name in (".git", "tests", ".venv", "node_modules") if (root / name).exists()}
    needed.discard(root)
    clash = None
    if root.is_relative_to(target):
        clash = "the book's folder" if target == root else f"a folder that holds the book ({root})"
    else:
        for folder in sorted(needed):
            if folder.is_relative_to(target) or target.is_relative_to(folder):
                name = folder.relative_to(root) if folder.is_relative_to(root) else folder
                clash = f"the book's folder {name}/" + ("" if folder == target else " (or one inside it)")
                if folder.is_relative_to(target) and folder != target:
                    clash = f"a folder that holds the book's {name}/"
                break
    if clash is not None:
        raise BookError(
            f"the output folder is {clash}: publishing replaces the output folder, so nothing was written",
            shown if shown is not None else dist,
            hint="choose a folder of its own for the editions, such as the default --dist dist",
        )


def recover(target: Path, say: Callable[[str], None]) -> None:
    """Finish or undo a swap that a killed build left half-done; drop leftovers."""
    stage, old, journal = _siblings(target)
    if journal.exists():  # the staging was complete: finish the swap
        if not target.exists() and stage.is_dir():
            say(f"finishing the publication into {target.name}/ that an interrupted build left")
            stage.rename(target)
        remove_tree(journal)
    if not target.exists() and old.is_dir():  # no complete staging: undo the first rename
        say(f"restoring {target.name}/ as the last complete build left it")
        old.rename(target)
    for leftover in (stage, old):
        if leftover.exists() or leftover.is_symlink():
            remove_tree(leftover)


def drop_staging(target: Path) -> None:
    """Remove a staging folder that a failed publication left (the next run removes what
    cannot be removed now)."""
    with suppress(OSError):
        remove_tree(_siblings(target)[0])


Same = Callable[[Path, Path], bool]  # whether two files hold the same bytes


def same_bytes(first: Path, second: Path) -> bool:
    """Whether two files hold the same bytes (read and compared)."""
    with open(first, "rb") as a, open(second, "rb") as b:
        if os.fstat(a.fileno()).st_size != os.fstat(b.fileno()).st_size:
            return False
        while True:
            block = a.read(1 << 20)
            if block != b.read(1 << 20):
                return False
            if not block:
                return True


def swap_in(target: Path, products: dict[str, Path], name: str, same: Same = same_bytes) -> None:
    """Stage ``products`` (dist-relative name → built file or folder), then swap them in.

    What ``target`` holds besides the products stays (hard-linked, not copied): the editions
    not rebuilt now, and any file of the user's. A built file whose published copy holds the
    same bytes (``same``) is linked to that copy. ``OSError`` propagates to the caller.
    """
    staging, old, journal = _siblings(target)
    try:
        _stage_kept(target, staging, products)
        for entry, source in products.items():
            _stage_product(target, staging, entry, source, same)
        _link_downloads(staging, name)
    except BaseException:
        drop_staging(target)
        raise
    journal.touch()
    if target.exists():
        target.rename(old)
    staging.rename(target)
    journal.unlink()
    shutil.rmtree(old, ignore_errors=True)


def _stage_kept(target: Path, staging: Path, products: dict[str, Path]) -> None:
    """A new staging folder with what ``target`` holds besides ``products``."""
    if staging.exists() or staging.is_symlink():
        remove_tree(staging)
    if target.is_dir():
        kept = set(products)
        shutil.copytree(
            target, staging, symlinks=True, copy_function=_link_or_copy,
            ignore=lambda folder, names: [
                n for n in names if Path(folder) == target and n in kept
            ],
        )  # fmt: skip
    else:
        staging.mkdir(parents=True)


# What a builder keeps in its output folder for itself: never published.
_BUILDER_FILES = (".buildinfo", ".buildinfo.bak", ".doctrees")


def _stage_product(target: Path, staging: Path, entry: str, source: Path, same: Same) -> None:
    dest = staging / entry
    if source.is_dir():
        shutil.copytree(
            source, dest, ignore=shutil.ignore_patterns(*_BUILDER_FILES),
            copy_function=lambda src, dst: _copy_unless_published(src, dst, staging, target, same),
        )  # fmt: skip
    else:
        shutil.copy2(source, dest)


def _link_downloads(staging: Path, name: str) -> None:
    """The landing page links to the PDF and EPUB in html/downloads/."""
    html = staging / "html"
    if html.is_dir():
        downloads = html / "downloads"
        downloads.mkdir(exist_ok=True)
        for ext in ("pdf", "epub"):
            edition = staging / f"{name}.{ext}"
            link = downloads / edition.name
            if link.exists():
                link.unlink()
            if edition.exists():
                _link_or_copy(edition, link)


def _copy_unless_published(source: str, dest: str, stage: Path, target: Path, same: Same) -> None:
    """Copy a built file into the staging folder, or hard-link the published copy of it when
    that copy holds the same bytes (by content, whatever its size and time say)."""
    published = target / Path(dest).relative_to(stage)
    try:
        if os.path.isfile(published) and not os.path.islink(published) and same(Path(source), published):
            os.link(published, dest)
            return
    except OSError:
        pass
    shutil.copy2(source, dest)


def _link_or_copy(source: str | Path, dest: str | Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)
