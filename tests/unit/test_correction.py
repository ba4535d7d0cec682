"""A correction is rescored like the MT: what it keeps, what it breaks, what it fixes."""

from __future__ import annotations

import pytest

from review.checks import CheckContext
from review.correction import Peers, check_correction, correction_findings
from review.model import Pair, ReviewState, Status
from review.score import make_context, score_pair
from tests.unit.test_checks import SEED_MEDIA_EN, SEED_MEDIA_ZH

YOUTHS_EN = "Currently around 30,000 Pakistani youths are studying in various Chinese Universities."
YOUTHS_ZH = "目前，约有30000名巴基斯坦青年在中国各大学学习。"
FORCE_EN = "Science and technology will remain a driving force for positive change."


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return make_context()


def scored(ctx: CheckContext, en: str, zh: str, pid: str = "t:e0:z0") -> Pair:
    return score_pair(Pair(id=pid, doc_id="t", en=en, zh=zh), ctx)


def test_a_correction_that_keeps_the_wrong_name_still_holds_it(ctx: CheckContext) -> None:
    mt = scored(ctx, SEED_MEDIA_EN, SEED_MEDIA_ZH)
    qa = check_correction(mt, SEED_MEDIA_ZH.replace("此次", "这次"), ctx)
    [wrong] = [f for f in qa.findings if f.code == "wrong-entity"]
    assert qa.critical and wrong in qa.still
    assert qa.summary(wrong).startswith("the correction still holds 张成泽: ")


def test_fixing_the_name_moves_the_finding_to_fixed(ctx: CheckContext) -> None:
    mt = scored(ctx, SEED_MEDIA_EN, SEED_MEDIA_ZH)
    qa = check_correction(mt, SEED_MEDIA_ZH.replace("张成泽传媒集团", "Jang传媒集团"), ctx)
    assert not qa.critical
    assert "wrong-entity" not in {f.code for f in qa.findings}
    assert "wrong-entity" in {f.code for f in qa.fixed}


def test_a_number_the_correction_breaks_is_new(ctx: CheckContext) -> None:
    mt = scored(ctx, YOUTHS_EN, YOUTHS_ZH)
    assert mt.findings == ()
    qa = check_correction(mt, YOUTHS_ZH.replace("30000", "3000"), ctx)
    [broken] = qa.new
    assert broken.code == "number-mismatch" and qa.critical
    assert qa.summary(broken).startswith("new in the correction: 3000: ")


def test_consistency_is_judged_against_the_other_pairs_signed_off_text(
    ctx: CheckContext,
) -> None:
    mine = scored(ctx, FORCE_EN, "科学技术仍将是积极变革的驱动力。", "t:e6:z6")
    other_mt, other_fix = "科技将继续是积极变化的动力。", "科学技术仍将是推动积极变革的力量。"
    peers = Peers({"t:e7:z7": (FORCE_EN, other_mt, other_fix), mine.id: (FORCE_EN, "x", None)})
    around = peers.around(mine, other_fix)
    assert [(p.id, p.zh) for p in around] == [("t:e7:z7", other_fix)]
    same = check_correction(mine, other_fix, ctx, around)
    assert "inconsistent-translation" not in {f.code for f in same.findings}
    differs = check_correction(mine, "科技将继续是积极变化的动力。", ctx, around)
    assert "inconsistent-translation" in {f.code for f in differs.findings}


def test_correction_findings_lists_only_corrections_with_findings(ctx: CheckContext) -> None:
    media = scored(ctx, SEED_MEDIA_EN, SEED_MEDIA_ZH, "t:e1:z1")
    youths = scored(ctx, YOUTHS_EN, YOUTHS_ZH, "t:e2:z2")
    states = [
        ReviewState(media, 1, Status.CORRECTED, SEED_MEDIA_ZH.replace("此次", "这次")),
        ReviewState(youths, 2, Status.CORRECTED, YOUTHS_ZH.replace("学习", "读书")),
        ReviewState(scored(ctx, FORCE_EN, "科学技术仍将是积极变革的驱动力。", "t:e3:z3"), 3),
    ]
    found = correction_findings(states, ctx)
    assert list(found) == ["t:e1:z1"]
    assert "wrong-entity" in {f.code for f in found["t:e1:z1"]}
