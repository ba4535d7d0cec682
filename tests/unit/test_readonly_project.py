"""A project on a read-only mount, or without write permission, opens read-only, exports and
reports; opening it to write says why not, in one line.

The mount and the unprivileged identity come from user namespaces (see tests/hostile.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from review.model import Action
from review.store import ProjectStore
from tests.hostile import (
    assert_one_line_failure,
    leftovers,
    read_only_mount,
    review,
    unprivileged,
)
from tests.unit.test_store_fixtures import PAIRS, make_store

# What `review open --readonly` does before the UI starts: open the store, make the session.
OPEN_READONLY = r"""
import sys
from pathlib import Path
from review.tui.launch import open_session
session = open_session([], project=Path(sys.argv[1]), readonly=True, reviewer="ana")
print(len(session), session.store.readonly, session.current.pair.id)
session.close()
"""


def _project(folder: Path) -> Path:
    folder.mkdir()
    store = make_store(folder)
    store.record(
        PAIRS[2].id, Action.CORRECT, "ana", {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"}
    )
    store.close()
    return folder / "p.review"


@pytest.fixture(params=["read-only-mount", "no-write-permission"])
def locked_down(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A project folder nobody may write, and the prefix that runs a command that way."""
    project = _project(tmp_path / "shelf")
    out = tmp_path / "out"
    out.mkdir()
    if request.param == "read-only-mount":
        yield project, read_only_mount(project.parent)
        return
    wrap = unprivileged()
    out.chmod(0o777)
    project.chmod(0o444)
    project.parent.chmod(0o555)
    try:
        yield project, wrap
    finally:
        project.parent.chmod(0o755)


def test_a_project_nobody_may_write_opens_read_only_exports_and_reports(
    locked_down: tuple[Path, list[str]], tmp_path: Path
) -> None:
    project, wrap = locked_down
    out = tmp_path / "out"
    opened = subprocess.run(
        [*wrap, sys.executable, "-c", OPEN_READONLY, str(project)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    count, readonly, _ = opened.stdout.split()
    assert (int(count), readonly) == (len(PAIRS), "True")

    exported = review("export", project, "--tmx", out / "p.tmx", cwd=tmp_path, wrap=wrap)
    assert exported.returncode == 0, exported.stderr
    segs = [seg.text for seg in etree.parse(str(out / "p.tmx")).iter("seg")]
    assert "目前约有3万名巴基斯坦青年在中国各大学学习。" in segs

    reported = review("report", project, "--json", out / "p.json", cwd=tmp_path, wrap=wrap)
    assert reported.returncode == 0, reported.stderr
    data = json.loads((out / "p.json").read_text(encoding="utf-8"))
    assert data["review"]["by_status"]["corrected"] == 1

    writer = review("open", "--project", project, cwd=tmp_path, wrap=wrap)
    assert_one_line_failure(writer, project, problem="cannot be changed here")
    assert "--readonly" in writer.stderr
    assert leftovers(project.parent) == ["p.review"]


def test_unsaved_changes_a_read_only_mount_cannot_read_are_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """A project copied while a review had it open keeps its latest actions in the -wal file;
    without a -shm file SQLite cannot read those on a read-only mount, so it says so."""
    source = _project(tmp_path / "live")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    with ProjectStore.open(source) as writer:
        writer._db.execute("PRAGMA wal_autocheckpoint=0")
        writer.record(PAIRS[0].id, Action.ACCEPT, "ana")
        for name in ("p.review", "p.review-wal"):
            shutil.copy(source.parent / name, shelf / name)
    project = shelf / "p.review"
    assert (shelf / "p.review-wal").stat().st_size > 0
    result = review("export", project, "--tmx", tmp_path / "p.tmx", cwd=tmp_path,
                    wrap=read_only_mount(shelf))  # fmt: skip
    assert_one_line_failure(result, project, problem="latest changes are in p.review-wal")
    assert not (tmp_path / "p.tmx").exists()
