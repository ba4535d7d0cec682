"""The one data model that flows through ingest → segment → align → score → store → UI → export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is, as MQM grades errors."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Order for sorting: minor 1 < major 2 < critical 3."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class Status(StrEnum):
    """A reviewer's verdict on a pair."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    REJECTED = "rejected"
    MISALIGNED = "misaligned"


class PairKind(StrEnum):
    """What a pair holds: a translation, English with no Chinese, or Chinese with no English."""

    TRANSLATED = "translated"
    UNTRANSLATED = "untranslated"
    ZH_ONLY = "zh-only"


class Segmentation(StrEnum):
    """How the text of a block is to be cut into pairs."""

    ALIGNED = "aligned"  # en and zh are one segment each, already paired (TSV row, TMX tu, heading)
    LINES = "lines"  # each line is one sentence; the lines still have to be aligned
    TEXT = "text"  # running text: split paragraphs and sentences, then align


class BlockKind(StrEnum):
    """The role of a block in its document."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    BOILERPLATE = "boilerplate"  # web chrome such as "Leave a Reply": kept, but marked
    NOTE = "note"  # a translator's note, Chinese with no English source
    SEGMENT = "segment"  # one pre-aligned unit of a TSV, TMX or parallel line file


Span = tuple[int, int]
"""A `[start, end)` range of code points into one side's text."""


@dataclass(frozen=True, slots=True)
class InlineCode:
    """A TMX inline code (bpt/ept/ph/it …) kept verbatim; `token` stands for it in the text."""

    token: str
    xml: str


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of ingested material: EN text and the ZH text known to correspond to it."""

    en: str
    zh: str
    line: int  # 1-based line of the source file where the block starts
    segmentation: Segmentation
    kind: BlockKind = BlockKind.PARAGRAPH
    zh_line: int | None = None  # 1-based line of the ZH text when it is not `line`
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()
    inline: tuple[InlineCode, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested source: its id (file stem), path, detected format and blocks in order."""

    id: str
    path: str
    format: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a pair looks divergent, with the character spans at fault on each side."""

    code: str
    severity: Severity
    message: str
    en_span: Span | None = None
    zh_span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with spans as two-element lists or null."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "en_span": list(self.en_span) if self.en_span else None,
            "zh_span": list(self.zh_span) if self.zh_span else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Inverse of `to_dict`."""
        en_span, zh_span = data.get("en_span"), data.get("zh_span")
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            en_span=(int(en_span[0]), int(en_span[1])) if en_span else None,
            zh_span=(int(zh_span[0]), int(zh_span[1])) if zh_span else None,
        )


def pair_id(doc_id: str, en_ids: tuple[int, ...], zh_ids: tuple[int, ...]) -> str:
    """A stable id from the document and the bead's sentence numbers, never a list position."""

    def side(prefix: str, ids: tuple[int, ...]) -> str:
        if not ids:
            return f"{prefix}-"
        if len(ids) > 1 and ids == tuple(range(ids[0], ids[-1] + 1)):
            return f"{prefix}{ids[0]}-{ids[-1]}"
        return prefix + ",".join(map(str, ids))

    return f"{doc_id}:{side('e', en_ids)}:{side('z', zh_ids)}"


@dataclass(frozen=True, slots=True)
class Pair:
    """An aligned EN–ZH segment pair (either side may be empty) with its score and findings."""

    id: str
    doc_id: str
    en: str
    zh: str
    en_ids: tuple[int, ...] = ()
    zh_ids: tuple[int, ...] = ()
    line: int | None = None  # 1-based source line of the pair's first text
    section: str = ""  # the heading in effect, for per-section reports
    boilerplate: bool = False
    align_confidence: float = 1.0
    divergence: float | None = None
    flagged: bool = False
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    props: tuple[tuple[str, str], ...] = ()
    inline: tuple[InlineCode, ...] = ()

    @property
    def kind(self) -> PairKind:
        """Translated, untranslated (no ZH) or ZH-only (no EN)."""
        if not self.zh.strip():
            return PairKind.UNTRANSLATED
        if not self.en.strip():
            return PairKind.ZH_ONLY
        return PairKind.TRANSLATED

    @property
    def top_severity(self) -> Severity | None:
        """The worst severity among the findings, or None when there are none."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form used by `review score --format jsonl`."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "en": self.en,
            "zh": self.zh,
            "en_ids": list(self.en_ids),
            "zh_ids": list(self.zh_ids),
            "line": self.line,
            "kind": self.kind.value,
            "section": self.section,
            "boilerplate": self.boilerplate,
            "align_confidence": round(self.align_confidence, 4),
            "divergence": None if self.divergence is None else round(self.divergence, 4),
            "flagged": self.flagged,
            "findings": [f.to_dict() for f in self.findings],
        }


class Action(StrEnum):
    """Everything a reviewer can do to a project; each is stored as its own transaction."""

    ACCEPT = "accept"
    CORRECT = "correct"
    REJECT = "reject"
    COMMENT = "comment"
    MQM = "mqm"
    MARK_MISALIGNED = "mark-misaligned"
    MERGE = "merge"
    SPLIT = "split"
    RESET = "reset"


@dataclass(frozen=True, slots=True)
class MqmTag:
    """An MQM error annotation: category (e.g. `accuracy/omission`) and severity."""

    category: str
    severity: Severity


@dataclass(frozen=True, slots=True)
class Decision:
    """One stored reviewer action on a pair, with who made it and when (UTC)."""

    id: int
    pair_id: str
    action: Action
    reviewer: str
    at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    undone: bool = False


@dataclass(frozen=True, slots=True)
class ReviewState:
    """A pair as a project holds it now: the pair (MT never overwritten) and the reviewer's work."""

    pair: Pair
    number: int  # 1-based position in document order
    status: Status = Status.PENDING
    correction: str | None = None
    comments: tuple[str, ...] = ()
    mqm: tuple[MqmTag, ...] = ()
    reviewer: str | None = None  # who made the latest decision
    changed_at: datetime | None = None  # when (UTC)

    @property
    def final_zh(self) -> str:
        """The Chinese a reviewer signed off: the correction when there is one, else the MT."""
        return self.correction if self.correction is not None else self.pair.zh
