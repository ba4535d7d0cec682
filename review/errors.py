"""The errors the core raises; only the shells turn them into exit codes or notifications."""

from __future__ import annotations

import os
from pathlib import Path


class ReviewError(Exception):
    """An error a user can act on: a one-line message and an optional hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(ReviewError):
    """Bad input material: names the file, and the line when one is known."""

    def __init__(
        self, path: str, problem: str, line: int | None = None, hint: str | None = None
    ) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}", hint)
        self.path = str(path)
        self.line = line
        self.problem = problem


class ExportError(ReviewError):
    """An export or report that could not be written."""


class ProjectError(ReviewError):
    """A review project that cannot be opened or changed."""


def undecodable_name(path: str | Path) -> str | None:
    """`path` with backslash escapes when its name is not valid UTF-8 (so it cannot be shown,
    stored or written into a report), else None."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return None
