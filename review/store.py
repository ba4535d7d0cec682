"""The review project: one SQLite file holding the pairs and every reviewer action on them.

Every action is its own committed transaction (WAL, synchronous=FULL), so a killed process loses
nothing it reported as done; the machine translation is never overwritten and undo marks history.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
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
from typing import IO, Any, Literal, ParamSpec, TypeVar

from review.errors import ProjectError, undecodable_name
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


_NUMBER = (int, float)
_PAIR_TYPES: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("id", (str,)), ("number", (int,)), ("doc_id", (str,)), ("en", (str,)), ("zh", (str,)),
    ("en_ids", (str,)), ("zh_ids", (str,)), ("line", (int, type(None))), ("section", (str,)),
    ("boilerplate", (int,)), ("align_confidence", _NUMBER),
    ("divergence", (*_NUMBER, type(None))), ("flagged", (int,)), ("findings", (str,)),
    ("extra", (str,)),
)  # fmt: skip
"""The type SQLite must hand back for each of `_PAIR_COLUMNS` (it stores any type in any column)."""


_SQL_TYPES = {
    int: ("integer",), float: ("real",), str: ("text",), type(None): ("null",),
}  # fmt: skip
_BAD_PAIR = "SELECT rowid FROM pairs WHERE " + " OR ".join(
    [
        f"typeof({column}) NOT IN ({', '.join(repr(t) for k in kinds for t in _SQL_TYPES[k])})"
        for column, kinds in _PAIR_TYPES
    ]
    + [
        "(findings != '' AND (NOT json_valid(findings) OR json_type(findings) != 'array'))",
        "(extra != '' AND (NOT json_valid(extra) OR json_type(extra) != 'object'))",
        "en_ids GLOB '*[^0-9,]*' OR zh_ids GLOB '*[^0-9,]*'",
    ]
) + " LIMIT 1"
"""The first pair with a value `_pair_from_row` would refuse, found in SQL (fast)."""
_BAD_FINDING = (
    "SELECT p.rowid FROM pairs p, json_each(p.findings) f WHERE p.findings != ''"
    " AND (f.type != 'object' OR json_type(f.value, '$.code') IS NOT 'text'"
    " OR json_type(f.value, '$.message') IS NOT 'text'"
    f" OR json_extract(f.value, '$.severity') NOT IN ({', '.join(repr(s.value) for s in Severity)})"
    " OR json_type(f.value, '$.en_span') NOT IN ('array', 'null')"
    " OR json_type(f.value, '$.zh_span') NOT IN ('array', 'null')) LIMIT 1"
)
_ACTIONS = ", ".join("?" * len(Action))
_SEVERITIES = ", ".join("?" * len(Severity))
_BAD_DECISION = (
    "SELECT id, action, reviewer FROM decisions WHERE typeof(pair_id) != 'text'"
    f" OR action NOT IN ({_ACTIONS}) OR typeof(reviewer) != 'text' OR datetime(at) IS NULL"
    " OR typeof(undone) != 'integer' OR NOT json_valid(payload)"
    " OR json_type(payload) != 'object'"
    " OR (action IN ('correct', 'comment') AND json_type(payload, '$.text') IS NOT 'text')"
    " OR (action = 'mqm' AND (json_type(payload, '$.category') IS NOT 'text'"
    f" OR json_extract(payload, '$.severity') NOT IN ({_SEVERITIES})))"
    " OR (action IN ('merge', 'split') AND (json_type(payload, '$.created') IS NOT 'array'"
    " OR json_type(payload, '$.retired') IS NOT 'array')) LIMIT 1"
)
_DECISION_CHECK_ARGS = (*(a.value for a in Action), *(s.value for s in Severity))


def _check_row(row: Sequence[Any]) -> None:
    """ValueError naming the column when a stored value has a type the tool never writes."""
    for (column, types), value in zip(_PAIR_TYPES, row, strict=True):
        if not isinstance(value, types) or isinstance(value, bool):
            shown = f"{type(value).__name__} {value!r:.40}"
            raise ValueError(f"pair {row[0]!r:.60}: {column} holds {shown}")


def _pair_from_row(row: Sequence[Any]) -> tuple[Pair, int]:
    _check_row(row)
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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A read whose damaged file or stored value is a one-line ProjectError, not a traceback."""

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as error:
            raise ProjectError(
                f"{_path_of(args)}: cannot read the project ({error})",
                hint="the file may be damaged; restore it from a backup",
            ) from error
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            # json.JSONDecodeError is a ValueError; a stored value of the wrong shape is a
            # KeyError, TypeError or AttributeError where it is taken apart.
            raise ProjectError(
                f"{_path_of(args)}: unexpected stored value ({error})",
                hint="the file was changed by another program; restore it from a backup",
            ) from error

    return guarded


def _path_of(args: Sequence[object]) -> str:
    return str(getattr(args[0], "path", "project")) if args else "project"


class ProjectStore:
    """A review project file: pairs with scores and findings, decisions, history and meta."""

    def __init__(
        self,
        path: str | Path,
        connection: sqlite3.Connection,
        lock: IO[bytes] | None,
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
        """Build a new project from scored pairs in a temp file, then link it into place.

        The writer's lock is taken on the temp file, so it holds from the first moment the
        project exists; a failure (disk full, no permission) leaves no file behind.
        """
        target = Path(path)
        _check_name(target)
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
        try:
            descriptor, temp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=directory
            )
        except OSError as error:
            raise ProjectError(
                f"{target}: cannot write in folder {directory} ({error.strerror})"
            ) from error
        lock = os.fdopen(descriptor, "rb", buffering=0)
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else has it
        try:
            # mkstemp makes the file private (0600); a project file gets the usual umask mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
            _build(temp_name, pairs, source=source, signature=signature)
            with open(temp_name, "rb") as handle:
                os.fsync(handle.fileno())
            _publish(temp_name, target)
        except BaseException as error:
            for name in (temp_name, *(temp_name + suffix for suffix in _SIDE_FILES)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name)
            lock.close()
            if isinstance(error, sqlite3.Error | OSError):
                reason = error.strerror if isinstance(error, OSError) else str(error)
                raise ProjectError(
                    f"{target}: cannot build the project ({reason})",
                    hint="check the free space, the file-size limit and the folder's permissions",
                ) from error
            raise
        return cls._connect(target, lock, readonly=False, rescore=rescore)

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, rescore: Rescorer | None = None
    ) -> ProjectStore:
        """Open an existing project; a writer holds a lock so a second writer is turned away.

        The lock is on the file itself, so every name for it (a hard link, a symlink) shares
        it. A file that is not a review project is left exactly as it was.
        """
        target = Path(path)
        _check_name(target)
        if not target.is_file():
            raise ProjectError(f"{target}: no such project file")
        if not readonly and not (os.access(target, os.W_OK) and _folder_writable(target)):
            raise ProjectError(
                f"{target}: the project cannot be changed here (no write permission,"
                " or a read-only file system)",
                hint="open it read-only with --readonly",
            )
        lock = None if readonly else _acquire_lock(target)
        try:
            return cls._connect(target, lock, readonly=readonly, rescore=rescore)
        except BaseException:
            if lock is not None:
                lock.close()
            raise

    @classmethod
    def _connect(
        cls, target: Path, lock: IO[bytes] | None, *, readonly: bool, rescore: Rescorer | None
    ) -> ProjectStore:
        _check_length(target)
        db: sqlite3.Connection | None = None
        try:
            db = _connect_readonly(target) if readonly else sqlite3.connect(
                str(target), isolation_level=None
            )
            # Read before anything writes: a file that is not a project must stay as it was.
            version = db.execute("SELECT version FROM schema_version").fetchone()
            if version is not None and not readonly:
                db.execute("PRAGMA journal_mode=WAL")
                # FULL also survives power loss, not only a killed process; one fsync per action.
                db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as error:
            if db is not None:
                db.close()
            raise _open_error(target, error, readonly=readonly) from error
        if version is None:
            db.close()
            raise ProjectError(f"{target}: not a review project (no schema version)")
        store = cls(target, db, lock, readonly=readonly, rescore=rescore)
        try:
            store._migrate(int(version[0]))
            store._check_columns()
            store._check_values()
        except (TypeError, ValueError) as error:
            store.close()
            raise ProjectError(f"{target}: not a review project (schema {version[0]!r})") from error
        except sqlite3.Error as error:
            store.close()
            raise _open_error(target, error, readonly=readonly) from error
        except BaseException:
            store.close()
            raise
        return store

    def _check_columns(self) -> None:
        """ProjectError when a table lacks a column this release reads or writes."""
        for table, wanted in _schema_columns().items():
            found = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if not found:
                raise ProjectError(f"{self.path}: not a review project (no {table} table)")
            missing = [column for column in wanted if column not in found]
            if missing:
                raise ProjectError(
                    f"{self.path}: unexpected columns: table {table} has no "
                    + ", ".join(missing),
                    hint="the file was changed by another program; restore it from a backup",
                )

    def _check_values(self) -> None:
        """ProjectError naming the first pair or decision holding a value this release never
        writes (a text divergence, findings that are not a list, an unknown action …).

        One pass of SQL over both tables (a few ms per 10k pairs); it reads every page of them,
        so a damaged page is found here too, not later in the middle of a review.
        """
        found = self._db.execute(_BAD_PAIR).fetchone() or self._db.execute(_BAD_FINDING).fetchone()
        if found is not None:
            row = self._db.execute(
                f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE rowid = ?", found
            ).fetchone()
            try:
                _pair_from_row(row)
                reason = "a value of an unexpected type or shape"
            except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
                reason = str(error)
            raise ProjectError(
                f"{self.path}: unexpected stored value in pair {row[0]!r:.60} ({reason:.200})",
                hint="the file was changed by another program; restore it from a backup",
            )
        found = self._db.execute(_BAD_DECISION, _DECISION_CHECK_ARGS).fetchone()
        if found is not None:
            raise ProjectError(
                f"{self.path}: unexpected stored value in decision {found[0]}"
                f" ({str(found[1])!r:.40} by {str(found[2])!r:.40})",
                hint="the file was changed by another program; restore it from a backup",
            )

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

    @_reads
    def get_meta(self, key: str) -> str | None:
        """A meta value (source, signature, created, cursor …) or None."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value in its own transaction."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- reading ---------------------------------------------------------------------------

    @_reads
    def pairs(self) -> list[Pair]:
        """The current pairs in document order."""
        return [state.pair for state in self.states()]

    @_reads
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

    @_reads
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

    @_reads
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

    @_reads
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

    @_reads
    def state(self, pair_id: str) -> ReviewState:
        """One pair's current state (retired pairs too, for history views)."""
        row = self._db.execute(
            f"SELECT {_PAIR_COLUMNS} FROM pairs WHERE id = ?", (pair_id,)
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path}: no pair {pair_id!r}")
        pair, number = _pair_from_row(row)
        return fold(pair, number, self.history(pair_id))

    @_reads
    def is_active(self, pair_id: str) -> bool:
        """Whether the pair is current (not retired by a merge or split)."""
        row = self._db.execute("SELECT active FROM pairs WHERE id = ?", (pair_id,)).fetchone()
        return bool(row and row[0])

    @_reads
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

    @_reads
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
    """A connection that cannot write, which also works on a read-only mount or without write
    permission.

    Where the file and folder are writable, a plain connection with `query_only` tidies the
    -wal/-shm files away when it is the last (SQLite's `mode=ro` would leave them behind).
    Elsewhere `mode=ro`; when SQLite cannot open that (no -shm file and no right to make one),
    `immutable=1`, which is only safe while no -wal file holds changes, so that case is refused.
    """
    if os.access(target, os.W_OK) and _folder_writable(target):
        db = sqlite3.connect(str(target), isolation_level=None)
        db.execute("PRAGMA query_only=ON")
        return db
    uri = target.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return db
    except sqlite3.OperationalError as error:
        db.close()
        # A WAL project needs its -shm file: SQLite can neither open nor make one here.
        if "unable to open" not in str(error) and "readonly" not in str(error):
            raise
    wal = Path(f"{target}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(
            f"{target}: its latest changes are in {wal.name}, which cannot be read here"
            " without write access to the folder",
            hint="copy the project with its -wal file to a writable folder and open it there",
        )
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


_SIDE_FILES = ("-journal", "-wal", "-shm")


def _folder_writable(target: Path) -> bool:
    """Whether SQLite may make its -wal/-shm files beside the project."""
    return os.access(target.resolve().parent, os.W_OK)


def _check_name(target: Path) -> None:
    """ProjectError for a file name that is not valid UTF-8 (it could not be shown or stored)."""
    shown = undecodable_name(target)
    if shown is not None:
        raise ProjectError(f"{shown}: the file name is not valid UTF-8", hint="rename the file")


def _check_length(target: Path) -> None:
    """ProjectError when the file is shorter than its header says (truncated by a copy)."""
    try:
        with open(target, "rb") as handle:
            header = handle.read(100)
        size = target.stat().st_size
        wal = Path(f"{target}-wal")
        pending = wal.exists() and wal.stat().st_size > 0
    except OSError as error:
        raise ProjectError(f"{target}: cannot read ({error.strerror})") from error
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00") or pending:
        return  # SQLite names what is wrong with these; a -wal may hold the missing pages
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid only when written by the same change as the change counter.
    if header[24:28] == header[92:96] and size < pages * page_size:
        raise ProjectError(
            f"{target}: is truncated ({size:,} of {pages * page_size:,} bytes)",
            hint="the file was cut short (an interrupted copy?); restore it from a backup",
        )


def _open_error(target: Path, error: sqlite3.Error, *, readonly: bool) -> ProjectError:
    text = str(error)
    if "no such table" in text or "not a database" in text:
        return ProjectError(f"{target}: not a review project ({text})")
    if "malformed" in text or "corrupt" in text:
        return ProjectError(
            f"{target}: the project is damaged ({text})", hint="restore it from a backup"
        )
    if not readonly and "readonly" in text.replace("-", "").replace(" ", ""):
        return ProjectError(
            f"{target}: cannot open for writing ({text})", hint="open it with --readonly"
        )
    return ProjectError(f"{target}: cannot open ({text})")


@functools.cache
def _schema_columns() -> dict[str, tuple[str, ...]]:
    """Each table of this release's schema with its columns, read from `_SCHEMA` itself."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        return {t: tuple(row[1] for row in db.execute(f"PRAGMA table_info({t})")) for t in tables}
    finally:
        db.close()


def _build(name: str, pairs: Sequence[Pair], *, source: str, signature: str) -> None:
    """Write a complete project into the (new, empty) file `name`."""
    db = sqlite3.connect(name, isolation_level=None)
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


def _publish(temp_name: str, target: Path) -> None:
    """Give the finished temp file its name; never over a project another process just made."""
    try:
        os.link(temp_name, target)
    except FileExistsError as error:
        raise ProjectError(
            f"{target}: a project already exists", hint="open it, or choose another file"
        ) from error
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        os.replace(temp_name, target)  # a file system without hard links
        return
    os.unlink(temp_name)


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


def _acquire_lock(target: Path) -> IO[bytes]:
    """Hold an exclusive `flock` on the project file itself; the OS drops it if the process dies.

    Every name for the file (a hard link, a symlink) reaches the same lock, and no lock file is
    left behind. SQLite's own locks are POSIX record locks, which do not touch a `flock`.
    """
    try:
        handle = open(target, "rb", buffering=0)  # noqa: SIM115 - held while in use
    except OSError as error:
        raise ProjectError(
            f"{target}: cannot open the project ({error.strerror})",
            hint="open it read-only with --readonly",
        ) from error
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        owner = _lock_owner(os.fstat(handle.fileno()))
        handle.close()
        raise ProjectError(
            f"project {target} is open in another review (pid {owner or '?'})",
            hint="open it read-only with --readonly",
        ) from error
    except OSError as error:
        handle.close()
        raise ProjectError(
            f"{target}: cannot lock the project ({error.strerror})",
            hint="open it read-only with --readonly",
        ) from error
    return handle


def _lock_owner(info: os.stat_result) -> int | None:
    """The pid holding a `flock` on the file, from /proc/locks (Linux); None elsewhere."""
    try:
        with open("/proc/locks", encoding="ascii") as table:
            rows = [line.split() for line in table]
    except OSError:
        return None
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for row in rows:
        # `1: FLOCK  ADVISORY  WRITE 4242 fd:01:1234 0 EOF` (blocked waiters have a `->` column)
        if len(row) >= 6 and row[1] == "FLOCK" and row[-3] == device and row[-4].isdigit():
            return int(row[-4])
    for row in rows:  # some file systems report another device number: match the inode alone
        if len(row) >= 6 and row[1] == "FLOCK" and row[-3].endswith(f":{info.st_ino}"):
            return int(row[-4]) if row[-4].isdigit() else None
    return None
