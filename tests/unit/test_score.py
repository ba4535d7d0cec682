"""The divergence score: range, flag, explanation, consistency across pairs, the signature."""

from __future__ import annotations

import csv
import gc
import random
from dataclasses import fields, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import review.score
from review.model import InlineCode, Pair, Severity
from review.score import (
    collector_paused,
    load_scorer,
    make_context,
    run_checks,
    run_checks_many,
    score_many,
    score_pair,
    score_pairs,
    signature,
)

GOOD = Pair(
    id="d:e0:z0",
    doc_id="d",
    en="China and Pakistan signed an agreement.",
    zh="中国和巴基斯坦签署了一项协议。",
)
WRONG_ENTITY = Pair(
    id="d:e1:z1",
    doc_id="d",
    en="Pakistani media (Pakistan Observer, PTV, Jang Media Group, Daily Ittehad) attended.",
    zh="巴基斯坦媒体(《巴基斯坦观察家报》、PTV、张成泽传媒集团、Daily Ittehad)出席了。",
)
WRONG_NUMBER = Pair(
    id="d:e2:z2", doc_id="d", en="The bridge was finished in 2006.", zh="这座桥于2007年完工。"
)


def test_scores_in_range_and_worse_pairs_score_higher() -> None:
    good, entity, number = score_pairs([GOOD, WRONG_ENTITY, WRONG_NUMBER])
    for p in (good, entity, number):
        assert p.divergence is not None and 0.0 <= p.divergence <= 1.0
    assert entity.divergence > good.divergence  # type: ignore[operator]
    assert number.divergence > good.divergence  # type: ignore[operator]
    assert entity.flagged and number.flagged and not good.flagged


def test_flag_follows_the_threshold_and_findings_explain() -> None:
    threshold = load_scorer().threshold
    for p in score_pairs([GOOD, WRONG_ENTITY, WRONG_NUMBER]):
        assert p.flagged == (p.divergence is not None and p.divergence >= threshold)
        if p.flagged:
            assert p.findings, "a flagged pair must say why"
        ranks = [f.severity.rank for f in p.findings]
        assert ranks == sorted(ranks, reverse=True), "worst finding first"


def test_untranslated_and_zh_only_pairs() -> None:
    untranslated = Pair(id="d:e3:z-", doc_id="d", en="This paragraph has no Chinese.", zh="")
    zh_only = Pair(id="d:e-:z3", doc_id="d", en="", zh="请参考原版英文的。")
    boilerplate = Pair(id="d:e4:z-", doc_id="d", en="Leave a Reply", zh="", boilerplate=True)
    u, z, b = score_pairs([untranslated, zh_only, boilerplate])
    assert [f.code for f in u.findings] == ["untranslated"] and u.flagged
    assert [f.code for f in z.findings] == ["zh-only"]
    assert not b.flagged and all(f.severity is Severity.MINOR for f in b.findings)


def test_consistency_across_the_input() -> None:
    a = Pair(id="d:e0:z0", doc_id="d", en="Research and Development Initiatives", zh="研发计划")
    b = Pair(id="d:e9:z9", doc_id="d", en="Research and development initiatives.", zh="研究倡议")
    c = Pair(id="d:e5:z5", doc_id="d", en="Renewable Energy Initiatives", zh="可再生能源倡议")
    scored = score_pairs([a, b, c])
    assert "inconsistent-translation" in [f.code for f in scored[0].findings]
    assert "inconsistent-translation" in [f.code for f in scored[1].findings]
    assert "inconsistent-translation" not in [f.code for f in scored[2].findings]


def test_score_pair_is_per_pair_and_deterministic() -> None:
    ctx = make_context()
    assert score_pair(WRONG_ENTITY, ctx) == score_pair(WRONG_ENTITY, ctx)
    assert score_pair(GOOD, ctx).id == GOOD.id


def test_scoring_sets_the_score_and_keeps_every_other_field() -> None:
    # score_pair builds the scored pair field by field: a field it forgot would be reset here.
    pair = Pair(
        id="d:e3:z3",
        doc_id="d",
        en="The bridge was finished in 2006.",
        zh="这座桥于2007年完工。<x1/>",
        en_ids=(3,),
        zh_ids=(3, 4),
        line=12,
        section="History",
        boilerplate=True,
        align_confidence=0.75,
        notes=("note",),
        props=(("x-origin", "mt"),),
        inline=(InlineCode("<x1/>", '<ph x="1"/>'),),
    )
    scored = score_pair(pair, make_context())
    # Boilerplate: the number finding is kept, as minor, and the pair is not flagged.
    assert scored.divergence is not None and not scored.flagged
    assert [f.severity for f in scored.findings if f.code == "number-mismatch"] == [Severity.MINOR]
    scoring = {"divergence", "flagged", "findings"}
    for field in fields(Pair):
        if field.name not in scoring:
            assert getattr(scored, field.name) == getattr(pair, field.name), field.name
            assert getattr(pair, field.name) != field.default, f"{field.name} left at its default"


def test_compiled_trees_match_the_reference_walk() -> None:
    scorer = load_scorer()
    rng = random.Random(7)
    for _ in range(50):
        x = [rng.uniform(-3, 20) for _ in scorer.features]
        for head in scorer.heads:
            assert head.compiled(x) == pytest.approx(head.raw(x), abs=1e-9)


def test_signature_names_checks_model_dictionary_and_threshold() -> None:
    text = signature()
    parts = dict(part.split(":", 1) for part in text.split("|")[1:])
    assert text.startswith("review-div|")
    assert "coverage" in parts["checks"] and "consistency" in parts["checks"]
    assert parts["model"].startswith("gbm-") and parts["dict"].startswith("cc-cedict-")
    assert float(parts["flag"]) == pytest.approx(load_scorer().threshold, abs=1e-3)


TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ 0123456789,.()“”%-") + list("中国的了三万年月日，。、（）")
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(en=TEXT, zh=TEXT, confidence=st.floats(0.0, 1.0))
def test_scores_stay_in_range_for_any_text(en: str, zh: str, confidence: float) -> None:
    ctx = make_context()
    p = score_pair(Pair(id="h:e0:z0", doc_id="h", en=en, zh=zh, align_confidence=confidence), ctx)
    assert p.divergence is not None and 0.0 <= p.divergence <= 1.0
    for f in p.findings:
        for text, span in ((p.en, f.en_span), (p.zh, f.zh_span)):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)


def test_collector_is_paused_while_scoring_and_restored_after() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
        kept = [{"cache", "entry"} for _ in range(100)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # an interactive caller's objects stay collectable
    with pytest.raises(RuntimeError), collector_paused(freeze=True):
        kept += [{"cache", "entry"} for _ in range(100)]
        raise RuntimeError("a failed batch still restores the collector")
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(kept)  # out of later collections' scans
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_scoring_makes_no_reference_cycles() -> None:
    # Why the collector may be paused: everything scoring allocates is freed by refcounting.
    pairs = [
        Pair(id=str(i), doc_id="d", en=en, zh=zh)
        for i, (en, zh) in enumerate(
            [
                (
                    "Hamilton oversaw his colleagues under George Washington.",
                    "汉密尔顿在乔治·华盛顿手下监督同事。",
                ),
                ("The U.S. economy grew 3.5% in 2019.", "2019年美国经济增长了3.5%。"),
                ("Jang Media Group was founded by CM Pak.", "张成泽媒体集团由朴创立。"),
                ("", "只有中文。"),
            ]
        )
    ]
    ctx, scorer = make_context(), load_scorer()
    for pair in pairs:
        score_pair(pair, ctx, scorer)  # the one-off load and first-use caches come first
    gc.collect()
    gc.disable()
    try:
        for pair in pairs:
            score_pair(replace(pair, en=pair.en + " Again.", zh=pair.zh + "再次。"), ctx, scorer)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_feature_counts_as_its_training_mean(bad: float) -> None:
    scorer = load_scorer()
    ctx = make_context()
    _, features = run_checks(
        Pair(id="1", doc_id="d", en="The economy grew 3.5% in 2019.", zh="2019年经济增长了3.5%。"),
        ctx,
    )
    name = "fluency.lm_mean"
    mean = scorer.mean[scorer.features.index(name)]
    assert scorer.predict({**features, name: bad}) == scorer.predict({**features, name: mean})
    assert 0.0 <= scorer.predict({**features, name: bad}) <= 1.0


def _sample_pairs() -> list[Pair]:
    """The bundled MLQE-PE sample, plus pairs with an empty side and boilerplate."""
    path = Path(__file__).resolve().parents[2] / "corpus" / "mlqe-enzh-sample.tsv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = [Pair(id=str(i), doc_id="s", en=r["en"], zh=r["zh"]) for i, r in enumerate(rows)]
    assert len(pairs) > 150
    return [
        *pairs,
        Pair(id="u", doc_id="s", en="Left untranslated.", zh=""),
        Pair(id="z", doc_id="s", en=" ", zh="只有中文。"),
        Pair(id="e", doc_id="s", en="", zh=" "),
        replace(WRONG_NUMBER, id="b", boilerplate=True),
        WRONG_ENTITY,
    ]


def test_a_batch_scores_exactly_as_pair_by_pair() -> None:
    # `score_many` runs each check over all the pairs before the next; nothing may move.
    ctx, scorer = make_context(), load_scorer()
    pairs = _sample_pairs()
    one_by_one = [score_pair(pair, ctx, scorer) for pair in pairs]
    together = score_many(pairs, ctx, scorer)
    assert together == one_by_one
    assert [p.divergence.hex() for p in together] == [p.divergence.hex() for p in one_by_one]
    assert score_many([], ctx, scorer) == []


def test_checks_over_several_blocks_give_each_pair_its_own_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `run_checks_many` runs each check over a block of pairs; results must not cross pairs.
    monkeypatch.setattr(review.score, "_BLOCK", 7)
    ctx = make_context()
    pairs = _sample_pairs()[:40]
    assert run_checks_many(pairs, ctx) == [run_checks(pair, ctx) for pair in pairs]
