"""What a report reads: review projects (SQLite files) and source material (scored on the fly)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from review.errors import InputError
from review.model import Pair, ReviewState

SQLITE_HEADER = b"SQLite format 3\x00"
_FLAG = regex.compile(r"(?:^|\|)flag:([0-9]*\.?[0-9]+)")


def flag_threshold(signature: str) -> float | None:
    """The flag threshold a scorer signature states (`…|flag:0.420|…`), if exactly one."""
    values = {float(v) for v in _FLAG.findall(signature)}
    return values.pop() if len(values) == 1 else None


def is_project(path: str | Path) -> bool:
    """Whether `path` is a review project: a SQLite database, known by its header bytes."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from error


@dataclass(frozen=True, slots=True)
class Inputs:
    """Pairs from sources, review states from projects, and the scorer signatures they carry."""

    pairs: tuple[Pair, ...]
    states: tuple[ReviewState, ...]
    sources: tuple[str, ...]
    signature: str

    @property
    def flag_threshold(self) -> float | None:
        """The threshold the scorer(s) flagged pairs at, when they agree on one."""
        return flag_threshold(self.signature)


def load_inputs(
    paths: Sequence[str | Path], en: str | Path | None = None, zh: str | Path | None = None
) -> Inputs:
    """Open every project read-only and read, align and score every source."""
    from review.store import ProjectStore

    projects = [p for p in paths if is_project(p)]
    sources = [p for p in paths if p not in projects]
    states: list[ReviewState] = []
    signatures: list[str] = []
    for path in projects:
        with ProjectStore.open(path, readonly=True) as store:
            states.extend(store.states())
            signatures.append(store.get_meta("signature") or "")
    pairs: list[Pair] = []
    if sources or en is not None or zh is not None:
        from review import pipeline

        documents = pipeline.load_documents(sources, en, zh)
        pairs = pipeline.score(pipeline.align_documents(documents))
        signatures.append(str(importlib.import_module("review.score").signature()))
    named = [str(p) for p in paths] + [str(p) for p in (en, zh) if p is not None]
    unique = list(dict.fromkeys(s for s in signatures if s))
    return Inputs(tuple(pairs), tuple(states), tuple(named), " ; ".join(unique))


def load_reference(path: str | Path) -> list[tuple[str, str]]:
    """A human reference translation in any input format, as aligned (en, zh) segments."""
    from review import pipeline

    documents = pipeline.load_documents([path])
    return [(p.en, p.zh) for p in pipeline.align_documents(documents)]
