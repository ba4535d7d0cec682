"""Consistency across the whole input: one English sentence translated in different ways, and
one Chinese sentence used for different English."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import regex
from rapidfuzz import fuzz

from review.checks._text import finding
from review.model import Finding, Pair, Severity

_NOISE = regex.compile(r"[\s\p{P}\p{S}]+")
# Segments at least this similar (rapidfuzz ratio, 0–100) count as the same text.
SAME = 92.0


def _key(text: str) -> str:
    return _NOISE.sub("", text).casefold()


def check_consistency(pairs: Sequence[Pair]) -> dict[str, list[Finding]]:
    """Findings by pair id for inconsistent translations across `pairs`."""
    by_en: dict[str, list[Pair]] = defaultdict(list)
    by_zh: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        if not pair.en.strip() or not pair.zh.strip() or pair.boilerplate:
            continue
        en_key, zh_key = _key(pair.en), _key(pair.zh)
        if len(en_key) >= 8:
            by_en[en_key].append(pair)
        if len(zh_key) >= 4:
            by_zh[zh_key].append(pair)
    found: dict[str, list[Finding]] = defaultdict(list)
    for group in by_en.values():
        _report(group, found, other="zh")
    for group in by_zh.values():
        _report(group, found, other="en")
    return dict(found)


def _report(group: list[Pair], found: dict[str, list[Finding]], other: str) -> None:
    if len(group) < 2:
        return
    texts = [getattr(p, other) for p in group]
    for index, pair in enumerate(group):
        mine = _key(texts[index])
        differing = [
            (p, t)
            for p, t in zip(group, texts, strict=True)
            if p.id != pair.id and fuzz.ratio(mine, _key(t)) < SAME
        ]
        if not differing:
            continue
        peer, peer_text = differing[0]
        if other == "zh":
            message = (
                f"The same English is translated differently elsewhere ({peer.id}: "
                f"{peer_text[:40]})."
            )
            found[pair.id].append(
                finding(
                    "inconsistent-translation", Severity.MINOR, message, zh_span=(0, len(pair.zh))
                )
            )
        else:
            message = (
                f"The same Chinese stands for different English elsewhere ({peer.id}: "
                f"{peer_text[:40]})."
            )
            found[pair.id].append(
                finding("inconsistent-source", Severity.MINOR, message, en_span=(0, len(pair.en)))
            )
