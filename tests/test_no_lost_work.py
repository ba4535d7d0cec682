"""A review killed with SIGKILL keeps every action it reported done, and its project stays sound.

A child process reviews a project through `ReviewSession` and prints each action after it
returns; the test kills it between actions and in the middle of them, then checks the project.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from review.errors import ProjectError
from review.model import Pair
from review.store import ProjectStore

# Real sentences of the kind reviewers see, one EN–ZH pair each (our own text).
PAIRS = [
    ("The meeting starts at 9 a.m. on Monday.", "会议于星期一上午9点开始。"),
    ("Please keep the receipt for your records.", "请保留收据以备查。"),
    ("The river flooded the village in 1998.", "1998年，洪水淹没了村庄。"),
    ("She said, “We will not give up.”", "她说：“我们不会放弃。”"),
    ("Prices rose by 3.5% last year.", "去年物价上涨了3.5%。"),
    ("The library is closed on public holidays.", "图书馆在公共假日闭馆。"),
    ("He left without saying goodbye…", "他没有道别就离开了……"),
    ("Turn left at the second traffic light.", "在第二个红绿灯处左转。"),
]

CHILD = r"""
import sys, time
from pathlib import Path
from review.model import Severity
from review.store import ProjectStore
from review.session import ReviewSession

path, tag, pause_every = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
session = ReviewSession(ProjectStore.open(path), "kim")
print("READY", flush=True)
k = 0
while True:
    session.move_to(k % len(session))
    pair_id = session.current.pair.id
    kind = k % 5
    if kind == 0:
        session.accept(); action, text = "accept", ""
    elif kind == 1:
        text = f"修正稿{tag}-{k}。"; session.correct(text); action = "correct"
    elif kind == 2:
        text = f"注释{tag}-{k}"; session.comment(text); action = "comment"
    elif kind == 3:
        session.reject(); action, text = "reject", ""
    else:
        session.tag_mqm("fluency", Severity.MINOR); action, text = "mqm", "fluency"
    print(f"DONE\t{pair_id}\t{action}\t{text}", flush=True)
    k += 1
    if pause_every and k % pause_every == 0:
        print("IDLE", flush=True)
        time.sleep(0.5)
"""

TUI_CHILD = r"""
import asyncio, sys
from pathlib import Path
from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp

session = ReviewSession(ProjectStore.open(Path(sys.argv[1])), "kim")
app = ReviewApp(session)

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print("READY", flush=True)
        k = 0
        while True:
            pair_id = session.current.pair.id
            key, action = ("a", "accept") if k % 3 else ("r", "reject")
            await pilot.press(key)
            await pilot.pause()
            print(f"DONE\t{pair_id}\t{action}\t", flush=True)
            k += 1

asyncio.run(main())
"""

Action = tuple[str, str, str]


def make_project(path: Path) -> None:
    pairs = [
        Pair(
            id=f"doc:e{i}:z{i}",
            doc_id="doc",
            en=en,
            zh=zh,
            en_ids=(i,),
            zh_ids=(i,),
            line=i,
            divergence=round(0.1 * (i % 7), 2),
        )
        for i, (en, zh) in enumerate(PAIRS * 3, start=1)
    ]
    ProjectStore.create(path, pairs, source="test", signature="test").close()


def start_child(
    project: Path, tag: str, pause_every: int, code: str = CHILD
) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(project), tag, str(pause_every)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line != "READY\n":
        child.kill()
        raise AssertionError(f"child did not start: {line!r} {child.communicate()[1]}")
    return child


def parse(line: str) -> Action | None:
    if not line.startswith("DONE\t"):
        return None
    _, pair_id, action, text = line.rstrip("\n").split("\t")
    return pair_id, action, text


def stored_actions(project: Path) -> Counter[Action]:
    with ProjectStore.open(project, readonly=True) as store:
        decisions = store.history()
    found: Counter[Action] = Counter()
    for decision in decisions:
        payload = decision.payload
        text = str(payload.get("text", payload.get("category", "")))
        found[(decision.pair_id, decision.action.value, text)] += 1
    return found


def integrity(project: Path) -> str:
    db = sqlite3.connect(project)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def test_sigkill_between_and_during_actions_loses_nothing(tmp_path: Path) -> None:
    project = tmp_path / "review.sqlite"
    make_project(project)
    rng = random.Random(20261129)
    done: Counter[Action] = Counter()
    rounds = 6
    for round_ in range(rounds):
        between = round_ % 2 == 0
        child = start_child(project, str(round_), pause_every=6 if between else 0)
        assert child.stdout is not None
        wanted = rng.randint(3, 25)
        seen, line = 0, ""
        while seen < wanted or (between and line != "IDLE\n"):
            line = child.stdout.readline()
            assert line, child.communicate()[1]
            if action := parse(line):
                seen += 1
                done[action] += 1
        if not between:
            time.sleep(rng.uniform(0, 0.004))  # lands inside an action's transaction or fsync
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        done.update(action for line in rest.splitlines(keepends=True) if (action := parse(line)))
        assert child.returncode == -signal.SIGKILL

        assert integrity(project) == "ok"
        stored = stored_actions(project)
        missing = done - stored
        assert not missing, f"round {round_}: completed actions lost: {missing}"
        # At most one action per kill may have committed without being reported yet.
        assert sum(stored.values()) - sum(done.values()) <= round_ + 1
    assert sum(done.values()) >= rounds * 3


def test_second_writer_is_refused_and_reader_sees_a_sound_project(tmp_path: Path) -> None:
    project = tmp_path / "review.sqlite"
    make_project(project)
    child = start_child(project, "x", pause_every=2)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().startswith("DONE")
        assert child.stdout.readline().startswith("DONE")
        assert child.stdout.readline() == "IDLE\n"
        with pytest.raises(ProjectError, match=r"is open in another review \(pid \d+\)") as info:
            ProjectStore.open(project)
        assert info.value.hint and "--readonly" in info.value.hint
        with ProjectStore.open(project, readonly=True) as store:
            assert len(store.history()) >= 2
            assert len(store.pairs()) == len(PAIRS) * 3
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert integrity(project) == "ok"
    with ProjectStore.open(project) as store:  # the dead writer's lock is gone with it
        assert len(store.history()) >= 2


def test_second_review_open_says_the_project_is_open_and_changes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "review.sqlite"
    make_project(project)
    child = start_child(project, "y", pause_every=1)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().startswith("DONE")
        assert child.stdout.readline() == "IDLE\n"
        before = stored_actions(project)
        second = subprocess.run(
            [sys.executable, "-m", "review", "open", "--project", str(project)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
            env={**os.environ, "REVIEW_REVIEWER": "lee"},
        )
        assert second.returncode == 1, second.stderr
        assert "Traceback" not in second.stderr
        assert re.search(r"review: error: .*is open in another review \(pid \d+\)", second.stderr)
        assert "--readonly" in second.stderr
        assert stored_actions(project) == before
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert integrity(project) == "ok"


def _big_project(path: Path, copies: int) -> int:
    pairs = [
        Pair(f"doc:e{i}:z{i}", "doc", en, zh, (i,), (i,), i, divergence=0.2)
        for i, (en, zh) in enumerate(PAIRS * copies, start=1)
    ]
    ProjectStore.create(path, pairs, source="test", signature="test").close()
    return len(pairs)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["export", "{project}", "--tmx", "{target}"], "out.tmx"),
        (["report", "{project}", "--html", "{target}"], "report.html"),
    ],
    ids=["export-tmx", "report-html"],
)
def test_killed_export_or_report_leaves_the_old_file_or_a_complete_one(
    command: list[str], name: str, tmp_path: Path
) -> None:
    project = tmp_path / "review.sqlite"
    count = _big_project(project, copies=1500)
    target = tmp_path / name
    old = b"the previous complete file\n"
    args = [arg.format(project=project, target=target) for arg in command]
    killed_while_writing = 0
    # A report is written in one short burst, so a kill may miss it: retry until one lands.
    delays = [0.0, 0.002, 0.02] + [0.0] * 12
    for attempt, delay in enumerate(delays):
        if attempt >= 3 and killed_while_writing:
            break
        target.write_bytes(old)
        child = subprocess.Popen(
            [sys.executable, "-m", "review", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill once the output's temp file exists: in the middle of writing it.
        while child.poll() is None and not list(tmp_path.glob(f".{name}.*.tmp")):
            time.sleep(0.001)
        time.sleep(delay)
        child.kill()
        child.wait()
        data = target.read_bytes()
        assert data == old or _complete(name, data, count), f"partial {name} after kill"
        for temp in tmp_path.glob(f".{name}.*.tmp"):  # SIGKILL leaves the hidden temp file
            killed_while_writing += 1
            temp.unlink()
    assert killed_while_writing >= 1, "no kill landed while the file was being written"
    finished = subprocess.run(
        [sys.executable, "-m", "review", *args], capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert _complete(name, target.read_bytes(), count)
    assert integrity(project) == "ok"


def _complete(name: str, data: bytes, count: int) -> bool:
    if name.endswith(".tmx"):
        from lxml import etree

        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            return False
        return len(root.findall("body/tu")) == count
    return data.rstrip().endswith(b"</html>")


def test_sigkill_of_the_review_ui_loses_no_completed_keypress(tmp_path: Path) -> None:
    """The real Textual app, driven headless by Pilot key presses in a child, killed mid-run."""
    project = tmp_path / "review.sqlite"
    make_project(project)
    rng = random.Random(7)
    done: Counter[Action] = Counter()
    for round_ in range(3):
        child = start_child(project, str(round_), 0, code=TUI_CHILD)
        assert child.stdout is not None
        for _ in range(rng.randint(2, 8)):
            action = parse(child.stdout.readline())
            assert action, child.communicate()[1]
            done[action] += 1
        time.sleep(rng.uniform(0, 0.02))
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        done.update(action for line in rest.splitlines(keepends=True) if (action := parse(line)))
        assert integrity(project) == "ok"
        missing = done - stored_actions(project)
        assert not missing, f"round {round_}: completed key presses lost: {missing}"
    assert sum(done.values()) >= 6
