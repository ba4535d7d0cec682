"""A small real review project (store + session) built from the seed article's sentences.

The pairs are written out here with their findings, not produced by the scorer, so the Pilot
tests and SVG snapshots stay the same when the checks change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from review.model import Finding, Pair, Severity, pair_id
from review.session import ReviewSession
from review.store import ProjectStore

REVIEWER = "ada"
DOC = "catalyst"


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _pair(
    en_ids: tuple[int, ...],
    zh_ids: tuple[int, ...],
    en: str,
    zh: str,
    divergence: float,
    *findings: Finding,
) -> Pair:
    return Pair(
        id=pair_id(DOC, en_ids, zh_ids),
        doc_id=DOC,
        en=en,
        zh=zh,
        en_ids=en_ids,
        zh_ids=zh_ids,
        divergence=divergence,
        flagged=divergence >= 0.5,
        findings=findings,
    )


YOUTHS_EN = (
    "Currently around 30,000 Pakistani youths are studying in various Chinese Universities."
)
YOUTHS_ZH = "目前，约有3000名巴基斯坦青年在中国各大学学习。"
SESSION_EN = (
    "The session was attended by representatives from Chinese ICT sector companies including "
    "China Mobile Pakistan (CM Pak) Zong, Huawei, Sunwalk, Hikvision, ZTE Pakistan."
)
SESSION_ZH = (
    "来自中国信息和通信技术行业公司的代表出席了会议，"
    "包括中国移动巴基斯坦公司、华为、Sunwalk、海康威视和中兴通讯巴基斯坦公司。"
)
SALON_EN = (
    "Recently, the 3rd round of the “Infodor Media Salon” was held in Islamabad. "
    "The event commenced with an overview of CPEC’s progress."
)
SALON_ZH = "最近，第三轮“Infodor媒体沙龙”在伊斯兰堡举行。活动首先概述了中巴经济走廊的进展。"
FORCE_EN = "Science and technology will remain a driving force for positive change."
THANKS_EN = "Thanks to China for facilitating Pakistan’s developments."


def sample_pairs() -> list[Pair]:
    """Nine pairs in document order: clean headings, real divergences, a repeated sentence."""
    return [
        _pair((0,), (0,), "Science and Technology as a catalyst of Developments.",
              "科学技术是发展的催化剂", 0.12),
        _pair((1,), (1,), "Research and Development Initiatives", "研发计划", 0.08),
        _pair(
            (2,), (2,), YOUTHS_EN, YOUTHS_ZH, 0.91,
            Finding("number-mismatch", Severity.CRITICAL,
                    "30,000 in the English is 3000 in the Chinese",
                    _span(YOUTHS_EN, "30,000"), _span(YOUTHS_ZH, "3000")),
        ),
        _pair(
            (3, 4), (3, 4), SALON_EN, SALON_ZH, 0.35,
            Finding("name-mismatch", Severity.MINOR, "CPEC is not in the Chinese",
                    _span(SALON_EN, "CPEC"), None),
        ),
        _pair(
            (5,), (5,), SESSION_EN, SESSION_ZH, 0.55,
            Finding("name-mismatch", Severity.MAJOR, "CM Pak and Zong are not in the Chinese",
                    _span(SESSION_EN, "(CM Pak) Zong"), None),
        ),
        _pair((6,), (6,), FORCE_EN, "科学技术仍将是积极变革的驱动力。", 0.20),
        _pair((7,), (7,), FORCE_EN, "科技将继续是积极变化的动力。", 0.25),
        _pair(
            (8,), (), THANKS_EN, "", 1.0,
            Finding("untranslated", Severity.CRITICAL, "the English has no Chinese",
                    (0, len(THANKS_EN)), None),
        ),
        _pair((), (8,), "", "最近，中国发起了国际科技合作倡议。", 0.60,
              Finding("zh-only", Severity.MAJOR, "Chinese with no English source",
                      None, (0, 16))),
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project file holding the sample pairs."""
    path = tmp_path / "catalyst.review.sqlite"
    ProjectStore.create(path, sample_pairs(), source="tests", signature="test").close()
    return path


@pytest.fixture
def session(project: Path) -> Iterator[ReviewSession]:
    """A session on the sample project as reviewer `ada`."""
    review = ReviewSession(ProjectStore.open(project), REVIEWER)
    yield review
    review.store.close()
