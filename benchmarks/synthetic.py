"""Synthetic scored pairs for the benchmarks: real sentence shapes from the seed article, with
the number varied so that pairs differ, and some number-mismatch findings with spans."""

from __future__ import annotations

import random

from review.model import Finding, Pair, Severity, pair_id

# Real sentence shapes from the seed article, with the number varied so pairs differ.
TEMPLATES = (
    (
        "Currently around {n:,} Pakistani youths are studying in various Chinese Universities.",
        "目前，约有{n}名巴基斯坦青年在中国各大学学习。",
    ),
    (
        "China and Pakistan have embarked on {n} joint research and development initiatives.",
        "中国和巴基斯坦已开展了{n}项联合研发计划。",
    ),
    (
        "The 3rd round of the Media Salon was held on {n} December 2023 in Islamabad.",
        "第三轮媒体沙龙于2023年12月{n}日在伊斯兰堡举行。",
    ),
    (
        "Projects like the China-Pakistan Economic Corridor (CPEC) created {n} opportunities.",
        "中巴经济走廊等项目创造了{n}个机会。",
    ),
)


def synthetic_pairs(count: int, seed: int = 7) -> list[Pair]:
    """`count` scored pairs; four in ten carry a number-mismatch finding with spans."""
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        en_t, zh_t = TEMPLATES[i % len(TEMPLATES)]
        n = rng.randint(2, 40000)
        en, zh = en_t.format(n=n), zh_t.format(n=n)
        findings: tuple[Finding, ...] = ()
        divergence = rng.random() * 0.4
        if rng.random() < 0.4:
            wrong = str(n // 10 or 1)
            zh = zh_t.format(n=wrong)
            start = zh.index(wrong)
            shown = f"{n:,}" if "{n:," in en_t else str(n)
            en_start = en.index(shown)
            findings = (
                Finding("number-mismatch", Severity.CRITICAL, f"{shown} in the English is "
                        f"{wrong} in the Chinese", (en_start, en_start + len(shown)),
                        (start, start + len(wrong))),
            )  # fmt: skip
            divergence = 0.5 + rng.random() * 0.5
        pairs.append(Pair(id=pair_id("bench", (i,), (i,)), doc_id="bench", en=en, zh=zh,
                          en_ids=(i,), zh_ids=(i,), divergence=divergence,
                          flagged=divergence >= 0.5, findings=findings))  # fmt: skip
    return pairs
