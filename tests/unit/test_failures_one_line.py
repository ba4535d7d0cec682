"""Every failure is one line naming the file and the problem, exit 1, nothing left behind.

Disk full (a tiny file system), a file-size limit (`ulimit -f`), a full temp folder, an
unwritable folder, a damaged or foreign-shaped project, a file name that is not UTF-8, and
SIGTERM/SIGHUP in the middle of a scoring run with worker processes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from review.batch import default_jobs, iter_input_pairs
from review.model import Action
from review.store import ProjectStore
from tests.hostile import (
    CHILD,
    assert_one_line_failure,
    leftovers,
    review,
    tiny_disk,
    unprivileged,
)
from tests.unit.test_store_fixtures import PAIRS, make_store

SUBJECTS = [
    ("The river", "河流"), ("Prices", "物价"), ("The library", "图书馆"),
    ("The committee", "委员会"), ("Our team", "我们的团队"), ("The new bridge", "新桥"),
]  # fmt: skip


def _source(folder: Path, rows: int = 200) -> Path:
    """A TSV whose scored JSONL (~73 KB) is twice the size of its spill (~37 KB)."""
    lines = []
    for i in range(rows):
        en, zh = SUBJECTS[i % len(SUBJECTS)]
        year = 1990 + i % 30
        lines.append(
            f"{en} changed {i} times in {year}, said the report on page {i * 3}.\t"
            f"{zh}在{year}年变化了{i}次，报告第{i * 3}页说。\n"
        )
    path = folder / "src.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _project(folder: Path) -> Path:
    """A closed project of the source's 200 pairs (its TMX and HTML are well over 48 KB)."""
    path = folder / "p.sqlite"
    pairs = list(iter_input_pairs([_source(folder)]))
    ProjectStore.create(path, pairs, source="src.tsv", signature="test").close()
    return path


def _score(inputs: Path, out: Path) -> list[str | Path]:
    return ["score", _source(inputs), "-o", out / "out.jsonl"]


def _export(inputs: Path, out: Path) -> list[str | Path]:
    return ["export", _project(inputs), "--tmx", out / "p.tmx"]


def _report(inputs: Path, out: Path) -> list[str | Path]:
    return ["report", _project(inputs), "--json", out / "p.json"]


def _build(inputs: Path, out: Path) -> list[str | Path]:
    return ["open", _source(inputs), "--project", out / "p.sqlite"]


Writer = Callable[[Path, Path], list[str | Path]]
"""Builds a command's inputs in the first folder; its arguments write into the second."""
WRITERS = [_score, _export, _report, _build]
NAMES = ["score", "export", "report", "build"]


@pytest.mark.parametrize("writer", WRITERS, ids=NAMES)
def test_a_file_size_limit_is_one_line_and_leaves_nothing(writer: Writer, tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    arguments = writer(inputs, out)
    result = review(*arguments, cwd=tmp_path, fsize=48 << 10)
    # SQLite says "disk I/O error" for a write the size limit refused.
    assert_one_line_failure(result, out, problem=r"File too large|disk I/O error")
    assert leftovers(out) == []


@pytest.mark.parametrize("writer", WRITERS, ids=NAMES)
def test_a_full_disk_is_one_line_and_leaves_nothing(writer: Writer, tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    listing = tmp_path / "left.txt"
    arguments = writer(inputs, out)
    result = review(*arguments, cwd=tmp_path, wrap=tiny_disk(out, listing))
    assert_one_line_failure(result, out, problem=r"No space left on device|disk is full")
    assert listing.read_text(encoding="utf-8") == "", "a temp or half-written file was left"


@pytest.mark.parametrize("how", ["size-limit", "full-disk"])
def test_a_full_temp_folder_is_one_line_naming_it(how: str, tmp_path: Path) -> None:
    source, temp, out = _source(tmp_path), tmp_path / "temp", tmp_path / "out.jsonl"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    if how == "size-limit":
        result = review("score", source, "-o", out, cwd=tmp_path, env=env, fsize=16 << 10)
    else:
        wrap = tiny_disk(temp, tmp_path / "left.txt", size="16k")
        result = review("score", source, "-o", out, cwd=tmp_path, env=env, wrap=wrap)
    assert_one_line_failure(result, temp, problem="temporary folder")
    assert "TMPDIR" in result.stderr
    assert not out.exists() and leftovers(temp) == []


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    wrap = unprivileged()
    project = make_store(tmp_path)
    project.close()
    shut = tmp_path / "shut"
    shut.mkdir(mode=0o555)
    shut.chmod(0o555)
    try:
        for args in (
            ("export", tmp_path / "p.review", "--tmx", shut / "p.tmx"),
            ("report", tmp_path / "p.review", "--csv", shut / "p.csv"),
        ):
            result = review(*args, cwd=tmp_path, wrap=wrap)
            assert_one_line_failure(result, shut, problem="cannot write in folder")
    finally:
        shut.chmod(0o755)
    assert leftovers(shut) == []


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scribbled(path: Path) -> None:
    """Random-looking bytes over every page but the first (the header and schema survive)."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data)):
        data[offset] = (offset * 131 + 7) % 256
    path.write_bytes(bytes(data))


def _sql(*statements: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        db = sqlite3.connect(path)
        for statement in statements:
            db.execute(statement)
        db.commit()
        db.close()

    return change


DAMAGE: list[tuple[str, Callable[[Path], None], str]] = [
    ("truncated", _truncated, r"is truncated"),
    ("scribbled", _scribbled, r"damaged|malformed|cannot read"),
    ("missing-column", _sql("ALTER TABLE pairs RENAME COLUMN codes TO c"), r"columns.*no codes"),
    ("missing-table", _sql("DROP TABLE decisions"), r"no decisions table"),
    ("findings-not-a-list", _sql("UPDATE pairs SET findings = '{\"a\": 1}'"), r"unexpected"),
    ("findings-not-json", _sql("UPDATE pairs SET findings = '[{'"), r"unexpected stored value"),
    ("divergence-text", _sql("UPDATE pairs SET divergence = 'high'"), r"divergence holds str"),
    ("number-text", _sql("UPDATE pairs SET number = 'one' WHERE rowid = 3"), r"number holds str"),
    ("unknown-action", _sql("UPDATE decisions SET action = 'explode'"), r"unexpected stored"),
    ("payload-not-json", _sql("UPDATE decisions SET payload = 'not json'"), r"unexpected stored"),
    ("payload-no-text", _sql("UPDATE decisions SET payload = '{}'"), r"unexpected stored value"),
    ("bad-version", _sql("UPDATE schema_version SET version = 'x'"), r"not a review project"),
]


@pytest.mark.parametrize(("damage", "problem"), [(d[1], d[2]) for d in DAMAGE],
                         ids=[d[0] for d in DAMAGE])  # fmt: skip
def test_a_damaged_or_foreign_shaped_project_is_one_line_everywhere(
    damage: Callable[[Path], None], problem: str, tmp_path: Path
) -> None:
    store = make_store(tmp_path)
    store.record(PAIRS[2].id, Action.CORRECT, "ana", {"text": "目前约有3万名巴基斯坦青年。"})
    store.close()
    project = tmp_path / "p.review"
    damage(project)
    for args in (
        ("export", project, "--tmx", tmp_path / "out.tmx"),
        ("report", project),
        ("report", project, "--json", tmp_path / "out.json"),
        ("open", "--project", project, "--readonly"),
    ):
        assert_one_line_failure(review(*args, cwd=tmp_path), project, problem=problem)
    assert leftovers(tmp_path) == ["p.review"]


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9-latin1.tsv")  # a Latin-1 name, as old archives have them
    (tmp_path / name).write_text("The river is long.\t这条河很长。\n", encoding="utf-8")
    for args in (("score", name), ("score", name, "-o", "out.jsonl"), ("report", name)):
        result = review(*args, cwd=tmp_path)
        assert_one_line_failure(result, problem=r"caf\\xe9-latin1.tsv: the file name is not valid")
        assert result.stdout == ""
    make_store(tmp_path).close()
    (tmp_path / "p.review").rename(tmp_path / os.fsdecode(b"proj\xe9t.review"))
    result = review("export", os.fsdecode(b"proj\xe9t.review"), "--tmx", "o.tmx", cwd=tmp_path)
    assert_one_line_failure(result, problem="not valid UTF-8")
    assert leftovers(tmp_path, name, os.fsdecode(b"proj\xe9t.review")) == []


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as kids:
            found.extend(int(child) for child in kids.read().split())
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_a_scoring_run_like_ctrl_c(signum: int, tmp_path: Path) -> None:
    if default_jobs() < 2:
        pytest.skip("needs two cores for worker processes")
    source = _source(tmp_path, rows=30_000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "score", str(source), "-o", str(out_dir / "s.jsonl"),
         "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while len(workers := _children(child.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)  # the resource tracker and two workers
        assert child.poll() is None and len(workers) >= 3, "the workers did not start"
        time.sleep(1.5)  # the workers have loaded the lexicon and are scoring
        assert any(leftovers(out_dir)), "nothing is being written yet"
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signum, stderr
    assert stderr.splitlines()[-1] == f"review: stopped by {signal.Signals(signum).name}", stderr
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    assert leftovers(out_dir) == [], "a temp file was left"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "a worker outlived the run"
