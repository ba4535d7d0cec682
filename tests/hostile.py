"""Running `review` the way a hostile user would: in a child process, under limits, mounts and
another identity, and checking that a failure is one line that names the file.

Read-only mounts, tiny (full) file systems and an unprivileged identity come from Linux user
namespaces (`unshare`); a test that needs one is skipped where they are not allowed.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

# `review` in a child with 4 GiB of address space and, when REVIEW_TEST_FSIZE is set, that
# file-size limit (what `ulimit -f` sets; Python ignores SIGXFSZ, so writes fail with EFBIG).
# Set in the child itself: preexec_fn is unsafe once the test process has threads.
CHILD = (
    "import os, resource, runpy, sys; "
    "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)); "
    "size = int(os.environ.pop('REVIEW_TEST_FSIZE', '0')); "
    "size and resource.setrlimit(resource.RLIMIT_FSIZE, (size, size)); "
    "sys.argv[0] = 'review'; "
    "runpy.run_module('review', run_name='__main__', alter_sys=True)"
)


def review(
    *args: str | Path,
    cwd: Path,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
    fsize: int | None = None,
    wrap: Sequence[str] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `review ARGS` in a child (optionally under `wrap`, e.g. an `unshare` prefix)."""
    child_env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    if fsize is not None:
        child_env["REVIEW_TEST_FSIZE"] = str(fsize)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [*wrap, sys.executable, "-c", CHILD, *map(str, args)],
        input=data,
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        env=child_env,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def assert_one_line_failure(
    result: subprocess.CompletedProcess[str], *named: str | Path, problem: str = ""
) -> str:
    """Exit 1, no traceback, one `review: error:` line (and at most a hint) naming every file
    in `named` and matching `problem`; returns the error line."""
    import re

    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("review: error: ")]
    assert len(errors) == 1, result.stderr
    error = errors[0]
    # Progress lines (`review: reopening …`) may come first; nothing else may be printed.
    assert all(line.startswith("review: ") for line in lines), result.stderr
    after = lines[lines.index(error) + 1 :]
    assert after == [] or (len(after) == 1 and after[0].startswith("review: hint: ")), after
    for name in named:
        assert str(name) in error, f"{name} not named in {error!r}"
    assert re.search(problem, error, re.IGNORECASE), error
    return error


def leftovers(folder: Path, *keep: str) -> list[str]:
    """Names in `folder` other than `keep`: temp files, lock files, SQLite side files."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@functools.cache
def _unshare_works(*options: str) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", *options, "true"], capture_output=True)
    return probe.returncode == 0


def unprivileged() -> list[str]:
    """A prefix that runs a command as an ordinary user who owns nothing special.

    Root passes every permission check, so as root the command runs in a user namespace as
    uid 65534, which owns the test's files (they are root's) but has no capability.
    """
    if os.geteuid() != 0:
        return []
    options = ("--user", "--map-user=65534", "--map-group=65534")
    if not _unshare_works(*options):
        pytest.skip("needs a user namespace to drop root's privileges")
    return ["unshare", *options]


def with_mount(script: str, after: str = "") -> list[str]:
    """A prefix that runs a command after the shell `script` (mounts) in its own namespace,
    then `after` (which sees the mounts still), keeping the command's exit code."""
    options = ("--user", "--map-root-user", "--mount")
    if not _unshare_works(*options):
        pytest.skip("needs a user and mount namespace (unshare) to mount")
    body = f'{script} || exit 99; "$@"; code=$?; {after or ":"}; exit $code'
    return ["unshare", *options, "sh", "-c", body, "sh"]


def read_only_mount(folder: Path) -> list[str]:
    """A prefix under which `folder` is a read-only mount."""
    quoted = shlex.quote(str(folder))
    return with_mount(f"mount --bind {quoted} {quoted} && mount -o remount,bind,ro {quoted}")


def tiny_disk(folder: Path, listing: Path, size: str = "48k") -> list[str]:
    """A prefix under which `folder` is an (empty) file system of `size`: a disk soon full.

    What the folder holds when the command ends is written to `listing` (outside it).
    """
    quoted = shlex.quote(str(folder))
    return with_mount(
        f"mount -t tmpfs -o size={size} tmpfs {quoted}",
        f"ls -A {quoted} > {shlex.quote(str(listing))}",
    )
