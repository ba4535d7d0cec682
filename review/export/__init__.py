"""Export formats, registered by name and imported lazily."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from review.errors import ExportError
from review.model import Finding, ReviewState, Status

EXPORTERS: dict[str, str] = {
    "tmx": "review.export.tmx:export",
}
"""Format name → "module:function"; the module is imported only when that format is used."""


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how: which statuses, rejected or not, the Chinese language tag."""

    statuses: frozenset[Status] | None = None  # None: every status but rejected
    include_rejected: bool = False
    zh_lang: str = "zh-CN"
    header_props: tuple[tuple[str, str], ...] = ()  # e.g. the project's source and signature
    # pair id → the findings its correction still has (`review.correction.correction_findings`)
    correction_findings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)

    def wants(self, status: Status) -> bool:
        """Whether pairs with this status are exported."""
        if status is Status.REJECTED:
            return self.include_rejected or (
                self.statuses is not None and Status.REJECTED in self.statuses
            )
        return self.statuses is None or status in self.statuses


class Exporter(Protocol):
    """Writes the chosen states to `out` atomically and returns how many pairs it wrote."""

    def __call__(
        self, states: Iterable[ReviewState], out: str | Path, options: ExportOptions
    ) -> int: ...


def get_exporter(name: str) -> Exporter:
    """The exporter registered as `name`; ExportError naming the known ones otherwise."""
    try:
        target = EXPORTERS[name]
    except KeyError as error:
        known = ", ".join(sorted(EXPORTERS))
        raise ExportError(f"unknown export format {name!r}", hint=f"one of: {known}") from error
    module_name, _, attribute = target.partition(":")
    exporter: Exporter = getattr(importlib.import_module(module_name), attribute)
    return exporter


def parse_statuses(text: str | None) -> frozenset[Status] | None:
    """`accepted,corrected` → the statuses; None or empty → None (all but rejected)."""
    if not text or not text.strip():
        return None
    wanted: set[Status] = set()
    for word in (w.strip().lower() for w in text.split(",")):
        if not word:
            continue
        try:
            wanted.add(Status(word))
        except ValueError as error:
            known = ",".join(s.value for s in Status)
            raise ExportError(f"unknown status {word!r}", hint=f"one of: {known}") from error
    return frozenset(wanted)


def export(
    name: str, states: Sequence[ReviewState], out: str | Path, options: ExportOptions
) -> int:
    """Write `states` in format `name` to `out`; returns the number of pairs written."""
    return get_exporter(name)(states, out, options)
