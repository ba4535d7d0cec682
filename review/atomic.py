"""Atomic file output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from review.errors import ExportError


def _current_umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: str | Path, *, binary: bool = False) -> Iterator[IO[str] | IO[bytes]]:
    """Yield a file that replaces `path` only when the block ends without an exception.

    A crash or error leaves the old file (or no file) in place, never a half-written one.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target}: is a directory, not a file")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{target}: folder {directory} does not exist")
    descriptor, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=directory
    )
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else "\n"
        with os.fdopen(descriptor, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o666 & ~_current_umask())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
