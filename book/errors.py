"""The one error type the pipeline raises for bad input, and how it is shown."""

from __future__ import annotations

from pathlib import Path


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


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, or raise a BookError naming the file and the bad byte's line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BookError("file not found", path, hint="check the path, or restore the file from git") from None
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BookError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path,
            line,
            hint="re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)",
        ) from None
