"""Safe file output: checked targets, and atomic writes (a temp file beside the target, renamed).

`output_target` refuses an output that is one of the inputs (compared by device and inode, so a
symlink or hard link cannot hide it) or that is not a regular file; `atomic_write` writes to a
checked target or, for `-`, to standard output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from review.errors import ExportError

STDOUT = "-"
"""The output name that means standard output."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
# SQLite keeps a project's recent changes beside it: writing over these loses them too.
_SIDE_FILES = ("-wal", "-shm", "-journal")


def _current_umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str | None:
    """What a non-regular file is (`a folder`, `a FIFO (named pipe)` …), None for a regular one."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)  # follows symlinks
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def output_target(
    path: str | Path, inputs: Iterable[str | Path] = (), *, folder: bool = False
) -> Path | None:
    """The file an output goes to (symlinks resolved), or None for `-` (standard output).

    ExportError when it is an input (by device and inode: a hard link or symlink to an input is
    that input) or, unless `folder`, something other than a regular file: a device, a FIFO, a
    folder. A project input counts with its SQLite side files.
    """
    if str(path) == STDOUT:
        return None
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise ExportError(f"{path}: cannot be written ({error.strerror})") from error
    kind = _kind(info.st_mode)
    if kind is not None and not (folder and stat.S_ISDIR(info.st_mode)):
        raise ExportError(
            f"{path}: is {kind}, not a regular file; refusing to write to it",
            hint="give a file name, or - for standard output",
        )
    mine = (info.st_dev, info.st_ino)
    for source in inputs:
        if str(source) == STDOUT:
            continue
        for name in (str(source), *(f"{source}{suffix}" for suffix in _SIDE_FILES)):
            if _identity(name) == mine:
                raise ExportError(
                    f"{path}: is the same file as the input {name}; refusing to write over it",
                    hint="write the output to another file",
                )
    return target


def write_failed(target: str | Path, error: OSError) -> ExportError:
    """The one-line error for an output that could not be written (disk full, size limit …)."""
    return ExportError(
        f"{target}: cannot write ({error.strerror or error})",
        hint="check the free space, the file-size limit and the folder's permissions",
    )


class _Guarded:
    """A file whose write errors name the output (and are not tracebacks about a temp file)."""

    def __init__(self, handle: IO[Any], target: str | Path) -> None:
        self._handle = handle
        self._target = target

    def write(self, data: Any) -> int:
        try:
            return int(self._handle.write(data))
        except OSError as error:
            raise write_failed(self._target, error) from error

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as error:
            raise write_failed(self._target, error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@contextlib.contextmanager
def atomic_write(path: str | Path, *, binary: bool = False) -> Iterator[IO[str] | IO[bytes]]:
    """Yield a file that replaces `path` only when the block ends without an exception.

    A crash or error leaves the old file (or no file) in place, never a half-written one; a
    failed write (disk full, file-size limit) is an ExportError naming `path`. `-` writes to
    standard output. A symlink is followed: the file it points to is replaced.
    """
    target = output_target(path)
    if target is None:
        stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
        yield cast(IO[Any], _Guarded(stream, "standard output"))
        _Guarded(stream, "standard output").flush()
        return
    directory = target.parent
    if not directory.is_dir():
        raise ExportError(f"{path}: folder {directory} does not exist")
    try:
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=directory
        )
    except OSError as error:
        raise ExportError(
            f"{path}: cannot write in folder {directory} ({error.strerror})"
        ) from error
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else "\n"
        handle = os.fdopen(descriptor, mode, encoding=encoding, newline=newline)
        try:
            yield cast(IO[Any], _Guarded(handle, path))
            try:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
                os.chmod(temp_name, 0o666 & ~_current_umask())
                os.replace(temp_name, target)
            except OSError as error:
                raise write_failed(path, error) from error
        finally:
            with contextlib.suppress(OSError):
                handle.close()  # a no-op once closed; after a failure the data is dropped
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
