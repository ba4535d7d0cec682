"""Coverage and name checks on cases from real MT output: rare unmatched words, unknown English
words the Chinese neither keeps nor explains, closed compounds, and shouted text."""

from __future__ import annotations

import pytest

from review.checks import CheckContext, CheckResult, get_check
from review.lexicon import get_lexicon
from review.model import Pair


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(get_lexicon(), None, (-0.13, 0.21))


def check(name: str, en: str, zh: str, ctx: CheckContext) -> CheckResult:
    return get_check(name)(Pair(id="t:e0:z0", doc_id="t", en=en, zh=zh), ctx)


def features(name: str, en: str, zh: str, ctx: CheckContext) -> dict[str, float]:
    return dict(check(name, en, zh, ctx).features)


def codes(name: str, en: str, zh: str, ctx: CheckContext) -> list[str]:
    return [f.code for f in check(name, en, zh, ctx).findings]


def test_a_rare_chinese_word_with_no_source_weighs_more_than_a_common_one(
    ctx: CheckContext,
) -> None:
    # "malayer" (a city) came out as 疟疾 "malaria": a rare word the English does not explain.
    en = "malayer is the best city on the world!"
    wrong = features("coverage", en, "疟疾是世界上最好的城市!", ctx)
    common = features("coverage", en, "这是世界上最好的城市!", ctx)
    assert wrong["zh_rare_max"] > 12.0
    assert wrong["zh_rare_max"] > common["zh_rare_max"]
    assert wrong["zh_rare_sum"] > common["zh_rare_sum"]


def test_a_faithful_translation_has_no_rare_unmatched_word(ctx: CheckContext) -> None:
    found = features("coverage", "The committee approved the budget.", "委员会批准了预算。", ctx)
    assert found["zh_rare_max"] == 0.0
    assert found["zh_rare_sum"] == 0.0


@pytest.mark.parametrize(
    ("zh", "unknown"),
    [
        ("问题是官方数据很难在网上找到,你可以与datault联系。", 1.0),  # a mangled copy
        ("问题是官方数据很难在网上找到,你可以与dassault联系。", 0.0),  # kept as written
    ],
)
def test_unknown_english_words_the_chinese_does_not_keep(
    zh: str, unknown: float, ctx: CheckContext
) -> None:
    en = "the problem is official datas are hard to find online. you can contact dassault."
    assert features("coverage", en, zh, ctx)["en_unknown"] == unknown


def test_a_closed_compound_matches_the_chinese_of_its_parts(ctx: CheckContext) -> None:
    # CC-CEDICT glosses 医疗保健 as "health care"; the seed's heading writes "Healthcare".
    en, zh = "Biotechnology and Healthcare", "生物技术和医疗保健"
    assert codes("coverage", en, zh, ctx) == []
    assert codes("latin-names", en, zh, ctx) == []
    found = features("coverage", en, zh, ctx)
    assert found["en_cov"] == 1.0
    assert found["zh_cov"] == 1.0


def test_shouted_english_words_are_not_acronyms(ctx: CheckContext) -> None:
    en = "THAT IS CORRECT, IT IS ALL OPINION AND NOT FACTUAL. THANK YOU PAUL BARRESI"
    zh = "这是正确的,这是全部意见,不是事实。谢谢保罗·巴雷西"
    found = features("latin-names", en, zh, ctx)
    assert found["dropped"] == 0.0
    assert found["acronyms_dropped"] == 0.0


def test_a_real_acronym_in_shouted_text_is_still_a_name(ctx: CheckContext) -> None:
    en = "STOP REMOVING MY EDITS TO THE NPOV PAGE RIGHT NOW"
    zh = "马上停止删除我对页面的编辑"
    dropped = [
        en[f.en_span[0] : f.en_span[1]]
        for f in check("latin-names", en, zh, ctx).findings
        if f.code == "name-dropped" and f.en_span
    ]
    assert dropped == ["NPOV"]
