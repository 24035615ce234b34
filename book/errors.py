"""The one error type the pipeline raises for bad input, how it is shown, and safe reading."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from book.limits import MAX_FILE_BYTES, size


class BookError(Exception):
    """Bad input: a message naming the file and line, and what to do next.

    The command line prints ``str(error)`` and exits 1, never a traceback.
    """

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


# C0 control characters other than tab, line feed and carriage return, and the Unicode
# non-characters XML forbids: no edition can carry them (EPUB's XHTML, LaTeX).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
BOM = "\ufeff"


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a BookError.

    Devices, FIFOs and folders are refused before anything is read (a FIFO is opened without
    blocking), so ``/dev/zero`` or a named pipe fail at once instead of hanging.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise BookError("file not found", path, hint="check the path, or restore the file from git") from None
    except IsADirectoryError:
        raise BookError("is a folder, not a file", path) from None
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", path) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise BookError(f"is {kind}, not a regular file", path, hint="give a text file")
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise BookError(f"cannot read file: {exc.strerror}", path) from None
    if len(data) > limit:
        raise BookError(
            f"file is larger than the limit of {size(limit)}",
            path,
            hint="split it into several documents (the limits are in book/limits.py)",
        )
    return data


def read_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, or raise a BookError naming the file and the bad byte's line.

    A leading byte-order mark is dropped; control characters (NUL and the like) are refused.
    """
    path = Path(path)
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BookError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path,
            line,
            hint="re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)",
        ) from None
    text = text.removeprefix(BOM)
    bad = CONTROL.search(text)
    if bad:
        raise BookError(
            f"control character U+{ord(bad.group()):04X} in the text",
            path,
            text.count("\n", 0, bad.start()) + 1,
            hint="remove it (a text file holds no NUL or other control characters)",
        )
    return text


def toml_error(exc: Exception, path: str | Path, hint: str | None = None) -> BookError:
    """A BookError for a TOML syntax error, naming its line."""
    message = getattr(exc, "msg", str(exc))
    line = getattr(exc, "lineno", None)
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if match:
        line = line or int(match.group(1))
        message = f"{message} (column {match.group(2)})" if message != str(exc) else message
    return BookError(f"not valid TOML: {message}", path, line, hint)


def check_text(value: str, file: str | Path | None, line: int | None, what: str) -> str:
    """``value`` unchanged if it holds no control character, else a BookError."""
    bad = CONTROL.search(value)
    if bad:
        raise BookError(f"{what} holds the control character U+{ord(bad.group()):04X}", file, line)
    return value
