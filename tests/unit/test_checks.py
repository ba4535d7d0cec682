"""Divergence checks on real EN–ZH cases: what they find, where the spans point, what they skip."""

from __future__ import annotations

import pytest

from review.checks import CHECKS, CheckContext, get_check
from review.checks.numbers import en_numbers, parse_zh_numeral, zh_numbers
from review.checks.punctuation import unbalanced
from review.lexicon import Glossary, GlossaryEntry, get_lexicon
from review.model import Finding, Pair, Severity

SEED_MEDIA_EN = (
    "The event also had significant presence from both Chinese media (CCTV, Economic Daily, "
    "Huashang Weekly, Xinhua News, China Economic Net) and Pakistani media (Pakistan Observer, "
    "PTV, Jang Media Group, Daily Ittehad, Pakistan Economic Net, Gwadar Pro, Hum News, APP)."
)
SEED_MEDIA_ZH = (
    "中国媒体(CCTV、《经济日报》、《华商周刊》、新华社、中国经济网)和巴基斯坦媒体"
    "(《巴基斯坦观察家报》、PTV、张成泽传媒集团、Daily Ittehad、巴基斯坦经济网、Gwadar Pro、"
    "Hum News、APP)也出席了此次活动。"
)
SEED_SESSION_EN = (
    "The session was attended by representatives from Chinese ICT sector companies including "
    "China Mobile Pakistan (CM Pak) Zong, Huawei, Sunwalk, Hikvision, Heroboss, Carlcare "
    "Services, ZTE Pakistan, said a news release."
)
SEED_SESSION_ZH = (
    "一份新闻稿称,来自中国信息和通信技术行业公司的代表出席了会议,包括中国移动巴基斯坦公司、"
    "华为、Sunwalk、海康威视、Heroboss、Carlcare Services和中兴通讯巴基斯坦公司。"
)


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(get_lexicon(), None, (-0.13, 0.21))


def pair(en: str, zh: str, **kwargs: object) -> Pair:
    return Pair(id="t:e0:z0", doc_id="t", en=en, zh=zh, **kwargs)  # type: ignore[arg-type]


def run(name: str, p: Pair, ctx: CheckContext) -> list[Finding]:
    return list(get_check(name)(p, ctx).findings)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def en_words_at(p: Pair, f: Finding) -> str:
    assert f.en_span is not None
    return p.en[f.en_span[0] : f.en_span[1]]


def zh_words_at(p: Pair, f: Finding) -> str:
    assert f.zh_span is not None
    return p.zh[f.zh_span[0] : f.zh_span[1]]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三", 3),
        ("二十", 20),
        ("两", 2),
        ("十五", 15),
        ("两万五千", 25000),
        ("三亿五千万", 3.5e8),
        ("二〇二三", 2023),
        ("一百零五", 105),
    ],
)
def test_chinese_numerals(numeral: str, value: float) -> None:
    assert parse_zh_numeral(numeral) == value


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        (
            "Currently around 30,000 Pakistani youths are studying in China.",
            "目前约有3万名巴基斯坦青年在中国学习。",
        ),
        (
            "It was held on 20th December 2023, in Islamabad.",
            "会议于2023年12月20日在伊斯兰堡举行。",
        ),
        ("3rd round of Media Salon", "第三轮媒体沙龙"),
        ("Sales rose 45% to 2.5 million units.", "销量增长了45%，达到250万台。"),
        ("He raised over $181,000 in 2006.", "他在 2006 年筹集了 181 000 美元。"),
        ("The team has twenty players.", "这支球队有二十名球员。"),
        ("In the 1990s the band toured Europe.", "在90年代，这支乐队在欧洲巡演。"),
        # Real MT with half-width punctuation, digits glued to a name, footnotes, "<3".
        (
            "Great. 70 supports and only 1 oppose or something like that.",
            "很好,70个支持,只有1个反对或类似的东西。",
        ),
        (
            "Love to find that episode! I know the date, April 3, 2001.",
            "我也想找到那集!我知道日期,2001年4月3日。",
        ),
        (
            "Can you announced PlayStation 3 for Kingdom Hearts III, please?",
            "请宣布《王国之心III》的PlayStation3版吗?",
        ),
        (
            "she is also ranked as the third most powerful musician in the world.[5]",
            "她也被评为世界第三强的音乐家。",
        ),
        (
            "I hope you die!== Find a pit and jump into it. <3 ==",
            "我希望你死了!找到一个坑,跳进去。",
        ),
        ("Electrician, vol.28, pp. 5", "《电工》, vol.28, 第5页"),
    ],
)
def test_equal_numbers_are_not_reported(en: str, zh: str, ctx: CheckContext) -> None:
    assert run("numbers", pair(en, zh), ctx) == []


def test_different_number_is_critical_and_points_at_both(ctx: CheckContext) -> None:
    p = pair("The bridge was finished in 2006.", "这座桥于2007年完工。")
    [found] = run("numbers", p, ctx)
    assert found.code == "number-mismatch" and found.severity is Severity.CRITICAL
    assert en_words_at(p, found) == "2006" and zh_words_at(p, found) == "2007"


def test_changed_number_after_a_half_width_comma_is_found(ctx: CheckContext) -> None:
    p = pair(
        "A typhoon is expected in 24 hours, landfall in 72 hours.",
        "预计在24小时内会发生台风,48小时后登陆。",
    )
    [found] = run("numbers", p, ctx)
    assert found.code == "number-mismatch" and zh_words_at(p, found) == "48"


def test_dropped_and_added_numbers(ctx: CheckContext) -> None:
    p = pair("About 120 people came.", "有人来了。")
    assert codes(run("numbers", p, ctx)) == ["number-missing"]
    p = pair("Some people came.", "有300人来了。")
    [found] = run("numbers", p, ctx)
    assert found.code == "number-added" and zh_words_at(p, found) == "300"


def test_number_extraction_scales_and_dates() -> None:
    assert {v for n in en_numbers("3 million and 20th December") for v in n.values} == {
        3e6,
        20.0,
        12.0,
    }
    assert {v for n in zh_numbers("3.5亿和1.5万") for v in n.values} == {3.5e8, 15000.0}


def test_wrong_entity_from_the_dictionary(ctx: CheckContext) -> None:
    p = pair(SEED_MEDIA_EN, SEED_MEDIA_ZH)
    [found] = run("entities", p, ctx)
    assert found.code == "wrong-entity" and found.severity is Severity.CRITICAL
    assert en_words_at(p, found) == "Jang Media Group"
    assert zh_words_at(p, found) == "张成泽"
    assert "Jang Song-taek" in found.message


def test_matching_entities_are_quiet(ctx: CheckContext) -> None:
    p = pair(
        "Huawei opened an office in Islamabad, Pakistan.", "华为在巴基斯坦伊斯兰堡开设了办事处。"
    )
    assert run("entities", p, ctx) == []
    assert run("latin-names", p, ctx) == []


def test_dropped_names_grouped_and_transliterations_accepted(ctx: CheckContext) -> None:
    p = pair(SEED_SESSION_EN, SEED_SESSION_ZH)
    found = run("latin-names", p, ctx)
    dropped = {en_words_at(p, f): f.severity for f in found if f.code == "name-dropped"}
    assert dropped["CM Pak"] is Severity.MAJOR
    assert dropped["Zong"] is Severity.MAJOR
    # Kept verbatim or rendered by a plausible Chinese name: not a major finding.
    assert "Sunwalk" not in dropped and "Huawei" not in dropped
    assert dropped.get("Hikvision") in (None, Severity.MINOR)
    p = pair("He shoves Owen into the pit.", "他把欧文推进了坑里。")
    assert run("latin-names", p, ctx) == []


def test_latin_added_in_chinese(ctx: CheckContext) -> None:
    p = pair("The report was published.", "报告(Reuters)已发布。")
    [found] = run("latin-names", p, ctx)
    assert found.code == "name-added" and zh_words_at(p, found) == "Reuters"


def test_omission_lists_the_words(ctx: CheckContext) -> None:
    p = pair(
        "The government announced new taxes on imported cars and expensive jewellery today.",
        "政府今天宣布了。",
    )
    found = [f for f in run("coverage", p, ctx) if f.code == "omission"]
    assert found, "a dropped clause must be reported"
    assert "cars" in found[0].message and "imported" in en_words_at(p, found[0])


def test_faithful_translation_has_no_omission(ctx: CheckContext) -> None:
    p = pair("China and Pakistan signed an agreement.", "中国和巴基斯坦签署了一项协议。")
    assert "omission" not in codes(run("coverage", p, ctx))


@pytest.mark.parametrize(
    ("en", "zh", "code"),
    [
        ("Science and technology play a pivotal role.", "", "untranslated"),
        ("", "注意：本文章有百度翻译的，很可能有差异。", "zh-only"),
        ("Leave a Reply", "Leave a Reply", "identical"),
    ],
)
def test_empty_and_identical_sides(en: str, zh: str, code: str, ctx: CheckContext) -> None:
    assert codes(run("empty", pair(en, zh), ctx)) == [code]


def test_english_left_in_the_chinese(ctx: CheckContext) -> None:
    p = pair("Please check the citation and the source.", "请检查citation和source。")
    [found] = run("copied", p, ctx)
    assert found.code == "copied-english" and "citation" in found.message
    p = pair("Please check the citation.", "Please check the citation.")
    assert codes(run("copied", p, ctx)) == ["untranslated"]


def test_length_ratio_flags_a_truncated_translation(ctx: CheckContext) -> None:
    p = pair(
        "By pooling resources and expertise, both countries are better equipped to address "
        "shared challenges, such as natural disasters, and contribute to global knowledge.",
        "通过。",
    )
    assert codes(run("length", p, ctx)) == ["length-ratio"]
    p = pair("Both countries signed the agreement.", "两国签署了协议。")
    assert run("length", p, ctx) == []


def test_repeated_words(ctx: CheckContext) -> None:
    p = pair("The committee met.", "委员会委员会开会了。")
    [found] = run("repeated", p, ctx)
    assert zh_words_at(p, found) == "委员会委员会"
    assert run("repeated", pair("Let us look.", "我们看看吧。"), ctx) == []


def test_brackets_and_quotes(ctx: CheckContext) -> None:
    assert unbalanced("他说：“好。”然后（离开）。") == []
    assert unbalanced("他说：“好。然后") == [3]
    p = pair("He said “fine”.", "他说：“好。")
    assert codes(run("brackets", p, ctx)) == ["unbalanced-brackets"]


def test_half_width_punctuation_and_spacing(ctx: CheckContext) -> None:
    p = pair("He rides on.", "他继续前进.")
    assert codes(run("punctuation", p, ctx)) == ["half-width-punctuation"]
    p = pair("He went to Beijing in 2019.", "他于 2019 年去了Beijing。")
    assert "cjk-latin-spacing" in codes(run("punctuation", p, ctx))
    assert run("punctuation", pair("He rides on.", "他继续前进。"), ctx) == []


def test_negation_dropped(ctx: CheckContext) -> None:
    p = pair(
        "I removed NOTHING from the Poincare page or discussion.",
        "我从Poincare页或讨论中删除了什么东西。",
    )
    found = run("polarity", p, ctx)
    assert codes(found) == ["negation-dropped"] and en_words_at(p, found[0]) == "NOTHING"
    assert run("polarity", pair("I did not go.", "我没有去。"), ctx) == []


def test_strong_language_softened(ctx: CheckContext) -> None:
    p = pair("Phil is a FUCKING MURDERER!", "菲尔是个疯狂的杀人犯！")
    assert "tone-softened" in codes(run("polarity", p, ctx))


def test_glossary_required_and_forbidden(ctx: CheckContext) -> None:
    glossary = Glossary(
        (GlossaryEntry("Belt and Road Initiative", "一带一路倡议", ("带路计划",)),), "g.tsv"
    )
    gctx = CheckContext(ctx.lexicon, glossary, ctx.length_model)
    p = pair("China's Belt and Road Initiative grew.", "中国的带路计划发展了。")
    found = run("glossary", p, gctx)
    assert codes(found) == ["glossary-term", "glossary-forbidden"]
    assert zh_words_at(p, found[1]) == "带路计划"
    assert run("glossary", pair("The Belt and Road Initiative.", "一带一路倡议。"), gctx) == []


def test_low_alignment_confidence(ctx: CheckContext) -> None:
    p = pair("Hello there.", "你好。", align_confidence=0.2)
    [found] = run("alignment", p, ctx)
    assert found.code == "alignment-uncertain" and "alignment" in found.message
    assert run("alignment", pair("Hello there.", "你好。"), ctx) == []


def test_every_check_handles_odd_text(ctx: CheckContext) -> None:
    odd = [
        ("", ""),
        ("   ", "\n"),
        ("(((", "）））"),
        ("\x00\u200b", "\ufeff"),
        ("1,2,3", "一二三"),
        ("“", "”"),
        ("A" * 500, "啊" * 500),
        ("9" * 40, "九" * 40),
    ]
    for en, zh in odd:
        p = pair(en, zh, align_confidence=0.0)
        for name in CHECKS:
            result = get_check(name)(p, ctx)
            for f in result.findings:
                for text, span in ((p.en, f.en_span), (p.zh, f.zh_span)):
                    if span is not None:
                        assert 0 <= span[0] < span[1] <= len(text)


def test_one_unmatched_word_each_side_is_a_mistranslation(ctx: CheckContext) -> None:
    p = pair("Infrastructure Development", "基础设施破坏")
    [found] = [f for f in run("coverage", p, ctx) if f.code == "mistranslation"]
    assert en_words_at(p, found) == "Development" and zh_words_at(p, found) == "破坏"
    assert "destruction" in found.message
    assert run("coverage", pair("Infrastructure Development", "基础设施发展"), ctx) == []


def test_question_turned_into_a_statement(ctx: CheckContext) -> None:
    p = pair("Are you his son or something?", "你是他的儿子。")
    assert "question-lost" in codes(run("punctuation", p, ctx))
    assert run("punctuation", pair("Are you his son?", "你是他的儿子吗？"), ctx) == []


def test_character_model_prefers_fluent_chinese() -> None:
    from review.checks.fluency import CharLM

    lm = CharLM.train(["我们在北京开会。", "他们在上海开会。", "我们在北京工作。"], min_count=2)
    # Pruned: 3-grams seen once are dropped, single characters are all kept.
    assert "海开会" not in lm.counts and "在北京" in lm.counts and "海" in lm.counts
    fluent, scrambled = lm.logprobs("我们在北京开会。"), lm.logprobs("会开京北在们我。")
    assert len(fluent) == len("我们在北京开会。") + 1  # every character and the end
    assert sum(fluent) > sum(scrambled)
    # Latin words and numbers are one symbol each, spaces nothing: spacing never matters.
    assert lm.logprobs("在 Beijing 开会 2024") == lm.logprobs("在London开会7")


def test_fluency_features_from_the_shipped_character_model() -> None:
    from review.score import make_context

    shipped = make_context()
    assert shipped.char_lm is not None
    en = "The meeting was held in Beijing on Monday."

    def mean(zh: str) -> float:
        return get_check("fluency")(pair(en, zh), shipped).features["lm_mean"]

    # Real MT output vs the same characters shuffled into nonsense.
    assert mean("会议于星期一在北京举行。") > mean("行举京于北一期在星会议。") + 0.5
