"""Shared material for the store, session and export tests: real EN–ZH pairs and a test scorer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from review.model import Finding, InlineCode, Pair, Severity, pair_id
from review.store import ProjectStore

DOC = "catalyst"


def _pair(
    n: int,
    en: str,
    zh: str,
    divergence: float,
    findings: tuple[Finding, ...] = (),
    *,
    en_ids: tuple[int, ...] | None = None,
    zh_ids: tuple[int, ...] | None = None,
    doc: str = DOC,
    **more: object,
) -> Pair:
    e = en_ids if en_ids is not None else (n,)
    z = zh_ids if zh_ids is not None else (n,)
    return Pair(
        id=pair_id(doc, e, z),
        doc_id=doc,
        en=en,
        zh=zh,
        en_ids=e,
        zh_ids=z,
        line=2 * n + 1,
        divergence=divergence,
        flagged=divergence >= 0.5,
        findings=findings,
        **more,  # type: ignore[arg-type]
    )


NUMBER = Finding("number-mismatch", Severity.MAJOR, "30,000 in EN but 3万 missing", (19, 25), None)
OMISSION = Finding("omission", Severity.CRITICAL, "EN clause has no ZH", (0, 8), None)
LENGTH = Finding("length-ratio", Severity.MINOR, "ZH is short for the EN", None, (0, 2))

PAIRS: tuple[Pair, ...] = (
    _pair(
        1, "Science and Technology as a catalyst of Developments.", "科学技术是发展的催化剂", 0.1
    ),
    _pair(2, "Research and Development Initiatives", "研发计划", 0.3, (LENGTH,), section="R&D"),
    _pair(3, "Infrastructure Development", "基础设施开发", 0.05),
    _pair(
        4,
        "Currently around 30,000 Pakistani youths are studying in various Chinese Universities.",
        "目前约有巴基斯坦青年在中国各大学学习。",
        0.8,
        (NUMBER,),
    ),
    _pair(
        5,
        "The event commenced with an overview of CPEC’s progress. The session was attended by "
        "representatives from Chinese ICT sector companies.",
        "活动首先概述了中巴经济走廊的进展。来自中国信息和通信技术行业公司的代表出席了会议。",
        0.6,
        (OMISSION,),
        en_ids=(5, 6),
        zh_ids=(5, 6),
    ),
    _pair(
        7,
        "China has become the largest resource for developing scientific human resource.",
        "中国已成为培养科技人才的最大来源。",
        0.45,
        notes=("translator: “人才” chosen over “人力资源”",),
        props=(("x-source", "catalyst.txt"),),
    ),
    _pair(8, "Research and development initiatives.", "研究与开发倡议", 0.3, (LENGTH,)),
    _pair(
        9,
        "Press \ue000Save\ue001 to keep — “all” changes…",
        "按\ue000保存\ue001以保留——“所有”更改……",
        0.2,
        inline=(
            InlineCode("\ue000", '<bpt i="1" x="1">&lt;b&gt;</bpt>'),
            InlineCode("\ue001", '<ept i="1">&lt;/b&gt;</ept>'),
        ),
    ),
    _pair(10, "Thanks to China for facilitating Pakistan’s developments.", "", 0.95),
)
"""Real sentences from the bundled catalyst article (numbers 1–10 in document order)."""

OTHER_DOC = _pair(1, "Infrastructure Development", "基础设施开发", 0.0, doc="second")


def rescore(pairs: Sequence[Pair]) -> list[Pair]:
    """A stand-in scorer: divergence from the EN/ZH length ratio, one finding naming the edit."""
    out = []
    for pair in pairs:
        ratio = len(pair.zh) / max(1, len(pair.en))
        divergence = round(min(1.0, abs(0.45 - ratio)), 4)
        found = Finding("rescored", Severity.MINOR, f"rescored {len(pair.en)}/{len(pair.zh)}")
        out.append(replace(pair, divergence=divergence, findings=(found,)))
    return out


def make_store(
    tmp_path: Path, pairs: Sequence[Pair] = PAIRS, name: str = "p.review"
) -> ProjectStore:
    """A fresh writable project of `pairs` under tmp_path."""
    return ProjectStore.create(
        tmp_path / name, pairs, source="catalyst.txt", signature="test-sig", rescore=rescore
    )
