"""`kill -9` at any moment loses no action the store reported as committed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from review.store import ProjectStore
from tests.unit.test_store_fixtures import PAIRS, make_store

# The child records actions as fast as it can and prints each decision id once record() returned.
CHILD = """
import sys
from review.model import Action
from review.store import ProjectStore
store = ProjectStore.open(sys.argv[1], rescore=lambda pairs: list(pairs))
ids = sys.argv[2].split("|")
cycle = [
    (Action.ACCEPT, {}),
    (Action.CORRECT, {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"}),
    (Action.COMMENT, {"text": "数字“30,000”漏译"}),
    (Action.MQM, {"category": "accuracy/omission", "severity": "major"}),
    (Action.REJECT, {}),
]
print("ready", flush=True)
n = 0
while True:
    action, payload = cycle[n % len(cycle)]
    decision = store.record(ids[n % len(ids)], action, "crash-test", payload, cursor=ids[0])
    print(decision.id, flush=True)
    n += 1
"""


def _run_and_kill(path: Path, rng: random.Random) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), "|".join(p.id for p in PAIRS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
    wanted = rng.randint(1, 60)
    printed = [int(child.stdout.readline()) for _ in range(wanted)]
    time.sleep(rng.random() * 0.02)  # land the kill anywhere inside the next transactions
    os.kill(child.pid, signal.SIGKILL)
    rest, _ = child.communicate()
    assert child.returncode == -signal.SIGKILL
    printed += [int(line) for line in rest.split() if line.strip()]
    return printed


def test_kill_9_loses_no_committed_action(tmp_path: Path) -> None:
    make_store(tmp_path).close()
    path = tmp_path / "p.review"
    rng = random.Random(20261129)
    reported: list[int] = []
    for _ in range(8):
        reported += _run_and_kill(path, rng)
        with ProjectStore.open(path, readonly=True) as reader:  # e.g. an export right after
            assert set(reported) <= {d.id for d in reader.history()}
        with ProjectStore.open(path) as store:  # the dead writer's lock is gone
            stored = {d.id for d in store.history()}
            assert set(reported) <= stored, sorted(set(reported) - stored)[:5]
            assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store.get_meta("cursor") == PAIRS[0].id
            store.states()  # every stored decision still folds into a state
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Ids are handed out in order: at most the one in flight at the kill can exceed the prints.
    assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] >= len(reported) > 8
    db.close()


MERGE_CHILD = """
import sys
from review.model import Action
from review.store import ProjectStore
store = ProjectStore.open(sys.argv[1], rescore=lambda pairs: list(pairs))
print("ready", flush=True)
while True:
    print(store.record(sys.argv[2], Action.MERGE, "crash-test").id, flush=True)
    print(store.undo("crash-test").id, "undone", flush=True)
"""


def test_a_merge_killed_in_flight_is_all_or_nothing(tmp_path: Path) -> None:
    make_store(tmp_path).close()
    path = tmp_path / "p.review"
    first, second = PAIRS[1].id, PAIRS[2].id
    rng = random.Random(7)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", MERGE_CHILD, str(path), first],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        lines = [child.stdout.readline().split() for _ in range(rng.randint(1, 30))]
        time.sleep(rng.random() * 0.02)
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        lines += [line.split() for line in rest.splitlines() if line.strip()]
        with ProjectStore.open(path, rescore=lambda pairs: list(pairs)) as store:
            history = {d.id: d for d in store.history()}
            for line in lines:
                assert int(line[0]) in history
                if len(line) == 2:
                    assert history[int(line[0])].undone
            live_merges = [d for d in history.values() if not d.undone]
            assert len(live_merges) <= 1
            active = {s.pair.id for s in store.states()}
            if live_merges:
                assert live_merges[0].payload["created"][0] in active
                assert first not in active and second not in active
            else:
                assert {first, second} <= active
            assert len(active) == len(PAIRS) - len(live_merges)
            if live_merges:  # leave the project as the next round expects it
                store.undo("crash-test")
