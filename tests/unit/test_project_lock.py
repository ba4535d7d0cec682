"""One writer per project whatever name it is opened by, and foreign files left untouched.

The writer's lock is on the project file itself, so a hard link or a symlink to it reaches the
same lock; a SQLite file that is not a review project is refused without a byte changed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from review.errors import ProjectError
from review.model import Action
from review.session import ReviewSession
from review.store import ProjectStore
from tests.hostile import assert_one_line_failure, leftovers, review
from tests.unit.test_store_fixtures import PAIRS, make_store


def _link(project: Path, kind: str) -> Path:
    other = project.with_name(f"same-project-{kind}.sqlite")
    if kind == "symlink":
        other.symlink_to(project.name)
    else:
        os.link(project, other)
    return other


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_a_second_writer_through_a_link_is_refused(kind: str, tmp_path: Path) -> None:
    make_store(tmp_path).close()
    project = tmp_path / "p.review"
    other = _link(project, kind)
    with ProjectStore.open(project) as writer:
        with pytest.raises(ProjectError, match=r"is open in another review \(pid \d+\)"):
            ProjectStore.open(other)
        with ProjectStore.open(other, readonly=True) as reader:  # readers are welcome
            assert len(reader.states()) == len(PAIRS)
        writer.record(PAIRS[0].id, Action.ACCEPT, "ana")
    with ProjectStore.open(other) as again:  # the lock went with the writer
        assert again.state(PAIRS[0].id).status.value == "accepted"
    assert leftovers(tmp_path, "p.review", other.name) == []


WRITER = r"""
import sys, time
from review.session import ReviewSession
from review.store import ProjectStore
session = ReviewSession(ProjectStore.open(sys.argv[1]), "kim")
print("READY", flush=True)
sys.stdin.readline()
"""


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_two_reviews_of_one_project_by_two_names_cannot_both_save(
    kind: str, tmp_path: Path
) -> None:
    """The reported case: corrections saved through one name were lost to the other."""
    make_store(tmp_path).close()
    project = tmp_path / "p.review"
    other = _link(project, kind)
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "READY\n"
        with pytest.raises(ProjectError, match="open in another review"):
            ReviewSession(ProjectStore.open(other), "lee")
        result = review("open", "--project", other, cwd=tmp_path)
        assert_one_line_failure(result, other, problem=r"open in another review \(pid \d+\)")
    finally:
        child.communicate("\n", timeout=30)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("journal", ["delete", "wal-closed"])
def test_a_sqlite_file_that_is_not_a_project_is_left_byte_for_byte(
    journal: str, tmp_path: Path
) -> None:
    other = tmp_path / "notes.sqlite"
    db = sqlite3.connect(other)
    if journal != "delete":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE notes (text TEXT)")
    db.execute("INSERT INTO notes VALUES ('会议于星期一上午9点开始。')")
    db.commit()
    db.close()
    before = _digest(other)
    for readonly in (False, True):
        with pytest.raises(ProjectError, match="not a review project"):
            ProjectStore.open(other, readonly=readonly)
    for args in (
        ("open", "--project", other),
        ("export", other, "--tmx", tmp_path / "out.tmx"),
        ("report", other, "--json", tmp_path / "out.json"),
    ):
        assert_one_line_failure(review(*args, cwd=tmp_path), other, problem="not a review project")
    assert _digest(other) == before
    assert leftovers(tmp_path) == ["notes.sqlite"], "a lock, -wal or output file was left"
