"""The review project: one SQLite file holding the pairs and every reviewer action on them.

Every action is its own committed transaction (WAL, synchronous=FULL), so a killed process loses
nothing it reported as done; the machine translation is never overwritten and undo marks history.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import json
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from review.errors import ProjectError
from review.model import (
    Action,
    Decision,
    Finding,
    InlineCode,
    MqmTag,
    Pair,
    ReviewState,
    Severity,
    Status,
    pair_id,
)
from review.repair import merge_pairs, move_last_sentence

SCHEMA_VERSION = 1

Rescorer = Callable[[Sequence[Pair]], list[Pair]]
"""Scores freshly merged or split pairs; the default is `review.score.score_pairs`."""

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}
"""`MIGRATIONS[n]` upgrades a project from schema version n to n + 1 inside one transaction."""

_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pairs (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    doc_id TEXT NOT NULL,
    en TEXT NOT NULL,
    zh TEXT NOT NULL,
    en_ids TEXT NOT NULL,
    zh_ids TEXT NOT NULL,
    line INTEGER,
    section TEXT NOT NULL,
    boilerplate INTEGER NOT NULL,
    align_confidence REAL NOT NULL,
    divergence REAL,
    flagged INTEGER NOT NULL,
    findings TEXT NOT NULL,
    extra TEXT NOT NULL,
    severity INTEGER NOT NULL,  -- rank of the worst finding, 0 for none: filters need no JSON
    codes TEXT NOT NULL  -- the finding codes, comma-separated
);
CREATE UNIQUE INDEX pairs_active_number ON pairs(number) WHERE active = 1;
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id TEXT NOT NULL REFERENCES pairs(id),
    action TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    undone_by TEXT,
    undone_at TEXT
);
CREATE INDEX decisions_pair ON decisions(pair_id);
"""

_PAIR_COLUMNS = (
    "id, number, doc_id, en, zh, en_ids, zh_ids, line, section, boilerplate, align_confidence,"
    " divergence, flagged, findings, extra"
)

_INSERT_PAIR = f"INSERT INTO pairs ({_PAIR_COLUMNS}, severity, codes) VALUES ({','.join('?' * 17)})"

_STATUS_OF = {
    Action.ACCEPT: Status.ACCEPTED,
    Action.CORRECT: Status.CORRECTED,
    Action.REJECT: Status.REJECTED,
    Action.MARK_MISALIGNED: Status.MISALIGNED,
    Action.RESET: Status.PENDING,
}
_ALIGNMENT_ACTIONS = frozenset({Action.MERGE, Action.SPLIT})


def _now() -> datetime:
    return datetime.now(UTC)


def _ids_text(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


def _ids_parse(text: str) -> tuple[int, ...]:
    if not text:
        return ()
    if "," not in text:
        return (int(text),)
    return tuple(map(int, text.split(",")))


def _pair_row(pair: Pair, number: int) -> tuple[Any, ...]:
    extra: dict[str, Any] = {}
    if pair.notes:
        extra["notes"] = list(pair.notes)
    if pair.props:
        extra["props"] = [list(p) for p in pair.props]
    if pair.inline:
        extra["inline"] = [[c.token, c.xml] for c in pair.inline]
    return (
        pair.id,
        number,
        pair.doc_id,
        pair.en,
        pair.zh,
        _ids_text(pair.en_ids),
        _ids_text(pair.zh_ids),
        pair.line,
        pair.section,
        int(pair.boilerplate),
        pair.align_confidence,
        pair.divergence,
        int(pair.flagged),
        json.dumps([f.to_dict() for f in pair.findings], ensure_ascii=False)
        if pair.findings
        else "",
        json.dumps(extra, ensure_ascii=False) if extra else "",
        pair.top_severity.rank if pair.top_severity else 0,
        ",".join(dict.fromkeys(f.code for f in pair.findings)),
    )


def _pair_from_row(row: Sequence[Any]) -> tuple[Pair, int]:
    (pid, number, doc_id, en, zh, en_ids, zh_ids, line, section, boilerplate, confidence,
     divergence, flagged, findings, extra) = row  # fmt: skip
    more: dict[str, Any] = json.loads(extra) if extra else {}
    pair = Pair(
        id=pid,
        doc_id=doc_id,
        en=en,
        zh=zh,
        en_ids=_ids_parse(en_ids),
        zh_ids=_ids_parse(zh_ids),
        line=line,
        section=section,
        boilerplate=bool(boilerplate),
        align_confidence=confidence,
        divergence=divergence,
        flagged=bool(flagged),
        findings=tuple(Finding.from_dict(f) for f in json.loads(findings)) if findings else (),
        notes=tuple(more.get("notes", ())),
        props=tuple((str(k), str(v)) for k, v in more.get("props", ())),
        inline=tuple(InlineCode(str(t), str(x)) for t, x in more.get("inline", ())),
    )
    return pair, number


def _decision_from_row(row: Sequence[Any]) -> Decision:
    did, pid, action, reviewer, at, payload, undone = row
    return Decision(
        id=did,
        pair_id=pid,
        action=Action(action),
        reviewer=reviewer,
        at=datetime.fromisoformat(at),
        payload=json.loads(payload),
        undone=bool(undone),
    )


@dataclass(frozen=True, slots=True)
class PairIndex:
    """Light parallel columns over the current pairs in document order (no text, no objects)."""

    ids: list[str]
    numbers: list[int]
    divergences: list[float]  # unscored pairs count as 0
    severities: list[int]  # Severity.rank of the worst finding, 0 when there is none
    codes: list[str]  # comma-separated finding codes
    statuses: list[Status]


def fold(pair: Pair, number: int, decisions: Sequence[Decision]) -> ReviewState:
    """The state of a pair after its live (not undone) decisions, oldest first."""
    status = Status.PENDING
    correction: str | None = None
    comments: list[str] = []
    mqm: list[MqmTag] = []
    reviewer: str | None = None
    changed_at: datetime | None = None
    for decision in decisions:
        if decision.undone:
            continue
        action = decision.action
        if action in _STATUS_OF:
            status = _STATUS_OF[action]
            if action is Action.CORRECT:
                correction = str(decision.payload["text"])
            elif action is Action.RESET or decision.payload.get("mt"):
                correction = None  # an accept with {"mt": true} signs off the MT itself
        elif action is Action.COMMENT:
            comments.append(str(decision.payload["text"]))
        elif action is Action.MQM:
            mqm.append(
                MqmTag(str(decision.payload["category"]), Severity(decision.payload["severity"]))
            )
        else:
            continue  # merge/split act on the pair set, not on one pair's verdict
        reviewer, changed_at = decision.reviewer, decision.at
    return ReviewState(
        pair=pair,
        number=number,
        status=status,
        correction=correction,
        comments=tuple(comments),
        mqm=tuple(mqm),
        reviewer=reviewer,
        changed_at=changed_at,
    )


def _default_rescore(pairs: Sequence[Pair]) -> list[Pair]:
    try:
        score = importlib.import_module("review.score")
    except ImportError as error:
        raise ProjectError("cannot rescore edited pairs: review.score is not available") from error
    return list(score.score_pairs(pairs))


class ProjectStore:
    """A review project file: pairs with scores and findings, decisions, history and meta."""

    def __init__(
        self,
        path: str | Path,
        connection: sqlite3.Connection,
        lock: IO[str] | None,
        *,
        readonly: bool,
        rescore: Rescorer | None = None,
    ) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._db = connection
        self._lock = lock
        self._rescore = rescore or _default_rescore

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        pairs: Sequence[Pair],
        *,
        source: str,
        signature: str,
        rescore: Rescorer | None = None,
    ) -> ProjectStore:
        """Build a new project from scored pairs in a temp file, then rename it into place."""
        target = Path(path)
        if target.exists():
            raise ProjectError(
                f"{target}: a project already exists", hint="open it, or choose another file"
            )
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise ProjectError(f"{target}: folder {directory} does not exist")
        seen: set[str] = set()
        for pair in pairs:
            if pair.id in seen:
                raise ProjectError(f"{target}: pair id {pair.id!r} occurs twice")
            seen.add(pair.id)
        lock = _acquire_lock(target)
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=directory
        )
        os.close(descriptor)
        try:
            # mkstemp makes the file private (0600); a project file gets the usual umask mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
            db = sqlite3.connect(temp_name, isolation_level=None)
            try:
                db.executescript(_SCHEMA)
                db.execute("BEGIN")
                db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
                meta = {
                    "source": source,
                    "signature": signature,
                    "created": _now().isoformat(),
                    "schema": str(SCHEMA_VERSION),
                }
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                db.executemany(
                    _INSERT_PAIR, (_pair_row(pair, number) for number, pair in enumerate(pairs, 1))
                )
                db.execute("COMMIT")
                db.execute("PRAGMA journal_mode=WAL")
            finally:
                db.close()
            with open(temp_name, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            lock.close()
            raise
        return cls._connect(target, lock, readonly=False, rescore=rescore)

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, rescore: Rescorer | None = None
    ) -> ProjectStore:
        """Open an existing project; a writer holds a lock so a second writer is turned away."""
        target = Path(path)
        if not target.is_file():
            raise ProjectError(f"{target}: no such project file")
        lock = None if readonly else _acquire_lock(target)
        try:
            return cls._connect(target, lock, readonly=readonly, rescore=rescore)
        except BaseException:
            if lock is not None:
                lock.close()
            raise

    @classmethod
    def _connect(
        cls, target: Path, lock: IO[str] | None, *, readonly: bool, rescore: Rescorer | None
    ) -> ProjectStore:
        db: sqlite3.Connection | None = None
        try:
            if readonly:
                db = _connect_readonly(target)
            else:
                db = sqlite3.connect(str(target), isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                # FULL also survives power loss, not only a killed process; one fsync per action.
                db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            version = db.execute("SELECT version FROM schema_version").fetchone()
        except sqlite3.Error as error:
            if db is not None:
                db.close()
            if isinstance(error, sqlite3.OperationalError) and "no such table" not in str(error):
                raise ProjectError(f"{target}: cannot open ({error})") from error
            raise ProjectError(f"{target}: not a review project ({error})") from error
        if version is None:
            db.close()
            raise ProjectError(f"{target}: not a review project (no schema version)")
        store = cls(target, db, lock, readonly=readonly, rescore=rescore)
        store._migrate(int(version[0]))
        return store

    def _migrate(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            self.close()
            raise ProjectError(
                f"{self.path}: made by a newer review (schema {version} > {SCHEMA_VERSION})",
                hint="upgrade review to open it",
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            self.close()
            raise ProjectError(
                f"{self.path}: schema {version} needs upgrading",
                hint="open it once without --readonly",
            )
        with self._transaction() as db:
            while version < SCHEMA_VERSION:
                if version not in MIGRATIONS:
                    raise ProjectError(f"{self.path}: no migration from schema {version}")
                MIGRATIONS[version](db)
                version += 1
            db.execute("UPDATE schema_version SET version = ?", (version,))

    def close(self) -> None:
        """Close the database and release the writer's lock."""
        self._db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise ProjectError(
                f"{self.path}: project is open read-only", hint="reopen it without --readonly"
            )
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise ProjectError(f"{self.path}: cannot save ({error})") from error
        try:
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise ProjectError(
                f"{self.path}: the change was not saved ({error})",
                hint="check the disk, then try again",
            ) from error
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite may already have rolled back on its own (e.g. disk full).
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # --- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A meta value (source, signature, created, cursor …) or None."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value in its own transaction."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- reading ---------------------------------------------------------------------------

    def pairs(self) -> list[Pair]:
        """The current pairs in document order."""
        return [state.pair for state in self.states()]

    def states(self) -> list[ReviewState]:
        """Every current pair with the reviewer's work on it, in document order."""
        rows = self._db.execute(
            f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE active = 1 ORDER BY number"
        ).fetchall()
        by_pair: dict[str, list[Decision]] = {}
        for row in self._db.execute(
            "SELECT d.id, d.pair_id, d.action, d.reviewer, d.at, d.payload, d.undone"
            " FROM decisions d JOIN pairs p ON p.id = d.pair_id"
            " WHERE d.undone = 0 AND p.active = 1 ORDER BY d.id"
        ):
            by_pair.setdefault(row[1], []).append(_decision_from_row(row))
        states = []
        for row in rows:
            pair, number = _pair_from_row(row)
            decisions = by_pair.get(pair.id)
            states.append(fold(pair, number, decisions) if decisions else ReviewState(pair, number))
        return states

    def index(self) -> PairIndex:
        """The current pairs as light columns, in document order: enough to order and filter."""
        rows = self._db.execute(
            "SELECT id, number, divergence, severity, codes FROM pairs"
            " WHERE active = 1 ORDER BY number"
        ).fetchall()
        verdicts = self._verdicts()
        pending = (Status.PENDING, None)
        ids = [row[0] for row in rows]
        return PairIndex(
            ids=ids,
            numbers=[row[1] for row in rows],
            divergences=[row[2] or 0.0 for row in rows],
            severities=[row[3] for row in rows],
            codes=[row[4] for row in rows],
            statuses=[verdicts.get(pid, pending)[0] for pid in ids],
        )

    def texts(self) -> dict[str, tuple[str, str, str | None]]:
        """EN, MT and correction of every current pair, for search and propagation."""
        verdicts = self._verdicts()
        pending = (Status.PENDING, None)
        return {
            pid: (en, zh, verdicts.get(pid, pending)[1])
            for pid, en, zh in self._db.execute("SELECT id, en, zh FROM pairs WHERE active = 1")
        }

    def _verdicts(self) -> dict[str, tuple[Status, str | None]]:
        """Status and correction of every current pair that has a live verdict."""
        out: dict[str, tuple[Status, str | None]] = {}
        marks = ",".join("?" * len(_STATUS_OF))
        for pid, action, payload in self._db.execute(
            "SELECT d.pair_id, d.action, d.payload FROM decisions d"
            " JOIN pairs p ON p.id = d.pair_id"
            f" WHERE d.undone = 0 AND p.active = 1 AND d.action IN ({marks}) ORDER BY d.id",
            [a.value for a in _STATUS_OF],
        ):
            act = Action(action)
            if act is Action.CORRECT:
                out[pid] = (Status.CORRECTED, str(json.loads(payload)["text"]))
            elif act is Action.RESET:
                out[pid] = (Status.PENDING, None)
            elif act is Action.ACCEPT and payload != "{}" and json.loads(payload).get("mt"):
                out[pid] = (Status.ACCEPTED, None)
            else:
                out[pid] = (_STATUS_OF[act], out.get(pid, (Status.PENDING, None))[1])
        return out

    def states_for(self, pair_ids: Sequence[str]) -> list[ReviewState]:
        """The states of the given pairs, in the order given; a few queries for any number."""
        found: dict[str, tuple[Pair, int]] = {}
        decisions: dict[str, list[Decision]] = {}
        for start in range(0, len(pair_ids), 500):
            chunk = list(pair_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = _pair_from_row(row)
            for row in self._db.execute(
                "SELECT id, pair_id, action, reviewer, at, payload, undone FROM decisions"
                f" WHERE undone = 0 AND pair_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                decisions.setdefault(row[1], []).append(_decision_from_row(row))
        missing = [pid for pid in pair_ids if pid not in found]
        if missing:
            raise ProjectError(f"{self.path}: no pair {missing[0]!r}")
        return [fold(*found[pid], decisions.get(pid, ())) for pid in pair_ids]

    def state(self, pair_id: str) -> ReviewState:
        """One pair's current state (retired pairs too, for history views)."""
        row = self._db.execute(
            f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE id = ?", (pair_id,)
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path}: no pair {pair_id!r}")
        pair, number = _pair_from_row(row)
        return fold(pair, number, self.history(pair_id))

    def is_active(self, pair_id: str) -> bool:
        """Whether the pair is current (not retired by a merge or split)."""
        row = self._db.execute("SELECT active FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        return bool(row and row[0])

    def history(self, pair_id: str | None = None) -> list[Decision]:
        """Every decision, undone ones included, oldest first; for one pair when given."""
        sql = "SELECT id, pair_id, action, reviewer, at, payload, undone FROM decisions"
        if pair_id is None:
            rows = self._db.execute(sql + " ORDER BY id")
        else:
            rows = self._db.execute(sql + " WHERE pair_id = ? ORDER BY id", (pair_id,))
        return [_decision_from_row(row) for row in rows]

    # --- writing ---------------------------------------------------------------------------

    def record(
        self,
        pair_id: str,
        action: Action,
        reviewer: str,
        payload: Mapping[str, Any] | None = None,
        *,
        cursor: str | None = None,
    ) -> Decision:
        """Store one reviewer action in its own committed transaction and return it.

        MERGE (with the next pair) and SPLIT (payload `side`: move that side's last sentence to
        the next pair) retire the old pairs and add rescored new ones; `payload["created"]` names
        them. `cursor`, when given, is saved as the cursor meta in the same transaction.
        """
        data = dict(payload or {})
        if not reviewer.strip():
            raise ProjectError("a reviewer name is needed to record a decision")
        _check_payload(action, data)
        with self._transaction() as db:
            row = db.execute("SELECT active FROM pairs WHERE id = ?", (pair_id,)).fetchone()
            if row is None:
                raise ProjectError(f"{self.path}: no pair {pair_id!r}")
            if not row[0]:
                raise ProjectError(f"{self.path}: pair {pair_id!r} was replaced by an edit")
            if action in _ALIGNMENT_ACTIONS:
                data.update(self._edit_alignment(db, pair_id, action, data))
            at = _now()
            encoded = json.dumps(data, ensure_ascii=False)
            cur = db.execute(
                "INSERT INTO decisions (pair_id, action, reviewer, at, payload)"
                " VALUES (?, ?, ?, ?, ?)",
                (pair_id, action.value, reviewer, at.isoformat(), encoded),
            )
            if cursor is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('cursor', ?)", (cursor,))
            decision_id = cur.lastrowid
        assert decision_id is not None
        return Decision(decision_id, pair_id, action, reviewer, at, data)

    def record_batch(
        self, pair_ids: Sequence[str], action: Action, reviewer: str, payload: Mapping[str, Any]
    ) -> list[Decision]:
        """Record the same verdict on several pairs, one transaction each, undone together."""
        if action in _ALIGNMENT_ACTIONS:
            raise ProjectError("alignment edits cannot be applied in a batch")
        data = {**payload, "batch": uuid.uuid4().hex}
        return [self.record(pid, action, reviewer, data) for pid in pair_ids]

    def undo(self, reviewer: str) -> Decision | None:
        """Mark this reviewer's latest live decision (or batch) undone; None when there is none.

        Undoing a merge or split retires the pairs it made and brings back the ones it replaced.
        """
        row = self._db.execute(
            "SELECT id, pair_id, action, reviewer, at, payload, undone FROM decisions"
            " WHERE undone = 0 AND reviewer = ? ORDER BY id DESC LIMIT 1",
            (reviewer,),
        ).fetchone()
        if row is None:
            return None
        decision = _decision_from_row(row)
        batch = decision.payload.get("batch")
        with self._transaction() as db:
            if decision.action in _ALIGNMENT_ACTIONS:
                self._undo_alignment(db, decision)
            stamp = (reviewer, _now().isoformat())
            if batch is not None:
                db.execute(
                    "UPDATE decisions SET undone = 1, undone_by = ?, undone_at = ?"
                    " WHERE undone = 0 AND reviewer = ? AND json_extract(payload, '$.batch') = ?",
                    (*stamp, reviewer, batch),
                )
            else:
                db.execute(
                    "UPDATE decisions SET undone = 1, undone_by = ?, undone_at = ? WHERE id = ?",
                    (*stamp, decision.id),
                )
        return replace(decision, undone=True)

    def undone_batch(self, decision: Decision) -> list[str]:
        """The pair ids an undo of `decision` touched: its batch, or just its pair."""
        batch = decision.payload.get("batch")
        if batch is None:
            return [decision.pair_id]
        rows = self._db.execute(
            "SELECT pair_id FROM decisions WHERE json_extract(payload, '$.batch') = ? ORDER BY id",
            (batch,),
        )
        return [str(r[0]) for r in rows]

    # --- alignment edits -------------------------------------------------------------------

    def _load(self, db: sqlite3.Connection, pid: str) -> tuple[Pair, int]:
        row = db.execute(f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE id = ?", (pid,)).fetchone()
        return _pair_from_row(row)

    def _next_active(self, db: sqlite3.Connection, number: int) -> tuple[Pair, int] | None:
        row = db.execute(
            f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE active = 1 AND number > ?"
            " ORDER BY number LIMIT 1",
            (number,),
        ).fetchone()
        return None if row is None else _pair_from_row(row)

    def _unique_id(self, db: sqlite3.Connection, wanted: str, taken: set[str]) -> str:
        candidate, n = wanted, 1
        while (
            candidate in taken
            or db.execute("SELECT 1 FROM pairs WHERE id = ?", (candidate,)).fetchone()
        ):
            n += 1
            candidate = f"{wanted}~{n}"
        taken.add(candidate)
        return candidate

    def _edit_alignment(
        self, db: sqlite3.Connection, pid: str, action: Action, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        first, number = self._load(db, pid)
        following = self._next_active(db, number)
        if following is not None and following[0].doc_id != first.doc_id:
            following = None
        if action is Action.MERGE:
            if following is None:
                raise ProjectError(f"pair {number} is the last of its document: nothing to merge")
            second = following[0]
            old = [(first, number), following]
            new = [(merge_pairs(first, second), number)]
            fallback = [f"{first.id}+{second.id}"]
        else:
            side: Literal["en", "zh"] = data["side"]
            moved = move_last_sentence(first, following[0] if following else None, side)
            if moved is None:
                raise ProjectError(
                    f"pair {number} has one {side.upper()} sentence: nothing to move"
                )
            kept, target = moved
            old = [(first, number)]
            if following is not None:
                old.append(following)
                new = [(kept, number), (target, following[1])]
                fallback = [first.id, following[0].id]
            else:
                top = db.execute("SELECT MAX(number) FROM pairs WHERE active = 1").fetchone()[0]
                new = [(kept, number), (target, int(top) + 1)]
                fallback = [first.id, first.id]
        taken: set[str] = set()
        fresh: list[tuple[Pair, int]] = []
        for (pair, pnumber), base in zip(new, fallback, strict=True):
            wanted = (
                pair_id(pair.doc_id, pair.en_ids, pair.zh_ids)
                if pair.en_ids or pair.zh_ids
                else base
            )
            pair = replace(pair, id=self._unique_id(db, wanted, taken), divergence=None,
                           flagged=False, findings=())  # fmt: skip
            fresh.append((pair, pnumber))
        scored = self._rescore([pair for pair, _ in fresh])
        if len(scored) != len(fresh):
            raise ProjectError("the scorer returned a different number of pairs")
        db.executemany("UPDATE pairs SET active = 0 WHERE id = ?", [(pair.id,) for pair, _ in old])
        db.executemany(
            _INSERT_PAIR,
            [_pair_row(replace(s, id=p.id), n) for s, (p, n) in zip(scored, fresh, strict=True)],
        )
        return {
            "retired": [pair.id for pair, _ in old],
            "created": [pair.id for pair, _ in fresh],
        }

    def _undo_alignment(self, db: sqlite3.Connection, decision: Decision) -> None:
        created = [str(i) for i in decision.payload["created"]]
        retired = [str(i) for i in decision.payload["retired"]]
        marks = ",".join("?" * len(created))
        later = db.execute(
            f"SELECT reviewer FROM decisions WHERE undone = 0 AND id > ? AND pair_id IN ({marks})",
            (decision.id, *created),
        ).fetchone()
        inactive = db.execute(
            f"SELECT COUNT(*) FROM pairs WHERE active = 0 AND id IN ({marks})", created
        ).fetchone()[0]
        if later is not None or inactive:
            who = f" by {later[0]}" if later is not None else ""
            raise ProjectError(
                f"cannot undo this {decision.action.value}: its pairs were changed later{who}",
                hint="undo those changes first",
            )
        db.executemany("UPDATE pairs SET active = 0 WHERE id = ?", [(i,) for i in created])
        db.executemany("UPDATE pairs SET active = 1 WHERE id = ?", [(i,) for i in retired])


def _connect_readonly(target: Path) -> sqlite3.Connection:
    """A connection that cannot write; it tidies the -wal/-shm files away when it is the last.

    SQLite's `mode=ro` would leave those files behind after an export, so it is used only when
    the folder or file is not writable.
    """
    if os.access(target, os.W_OK) and os.access(target.parent, os.W_OK):
        db = sqlite3.connect(str(target), isolation_level=None)
        db.execute("PRAGMA query_only=ON")
        return db
    return sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def _check_payload(action: Action, data: Mapping[str, Any]) -> None:
    if action in (Action.CORRECT, Action.COMMENT):
        text = data.get("text")
        if not isinstance(text, str) or (action is Action.COMMENT and not text.strip()):
            raise ProjectError(f"a {action.value} needs its text")
    elif action is Action.MQM:
        try:
            Severity(str(data.get("severity")))
        except ValueError as error:
            raise ProjectError("an MQM tag needs a severity: minor, major or critical") from error
        if not str(data.get("category", "")).strip():
            raise ProjectError("an MQM tag needs a category")
    elif action is Action.SPLIT and data.get("side") not in ("en", "zh"):
        raise ProjectError("a split needs the side to split: en or zh")


def _acquire_lock(target: Path) -> IO[str]:
    """Hold an exclusive lock on `<project>.lock`; the OS drops it if the process dies."""
    lock_path = target.with_name(target.name + ".lock")
    try:
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held while in use
    except OSError as error:
        raise ProjectError(
            f"{target}: cannot lock the project ({error.strerror})",
            hint="open it read-only with --readonly",
        ) from error
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise ProjectError(
            f"project {target} is open in another review (pid {owner})",
            hint="open it read-only with --readonly",
        ) from error
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
