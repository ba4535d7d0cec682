"""The name checks' quick paths (`re` patterns, offsets found again, a scan for a name's
translations, the one-pass entity windows) give what the plain ones give, on real cases."""

from __future__ import annotations

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from review.checks import CheckContext, get_check, names
from review.checks._text import zh_substrings
from review.lexicon import get_lexicon
from review.model import Pair

_PIECES = [*"aAbZz  .'’&-_09(),;:!?\n\"“éÉ\u0301ßİǅ²١中国人", "The ", "US", "Bank", "OF "]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_HAN = st.text(alphabet=st.sampled_from(list("中国人民哈尔滨的了张成泽，。 TUS恤-")), max_size=30)


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(get_lexicon(), None, (-0.13, 0.21))


@given(_TEXT)
def test_re_patterns_match_as_regex_would(text: str) -> None:
    for pattern in (names._GLOSS_WORD, names._CAMEL, names._NOT_LETTER, names._TONE):
        assert pattern.findall(text) == regex.compile(pattern.pattern).findall(text)
    ascii_text = text.encode("ascii", "ignore").decode()
    assert names._NAME_WORD_ASCII.findall(ascii_text) == names._NAME_WORD.findall(ascii_text)


@settings(max_examples=300, deadline=None)  # the first example loads the dictionary
@given(_TEXT)
@example("USUS US, and US.")  # a name inside an earlier name
@example("MUSE and use US")
def test_names_sit_at_the_start_of_their_word(text: str) -> None:
    lexicon = get_lexicon()
    words = {m.start(): m.group() for m in names._NAME_WORD.finditer(text)}
    for name in names.en_names.__wrapped__(lexicon, text):
        assert words.get(name.start) == name.text == text[name.start : name.end]


@settings(max_examples=300)
@given(_HAN, st.lists(_HAN, max_size=8), st.booleans())
def test_translations_in_the_chinese_are_its_han_substrings(
    zh: str, extra: list[str], many: bool
) -> None:
    inside = [zh[i:j] for i in range(len(zh)) for j in range(i + 1, min(len(zh), i + 8) + 1)]
    words = frozenset(inside[::3] + extra)
    if many:  # past the scan limit: the intersection path
        words |= frozenset(f"{w}{n}" for n in range(names._SCAN_LIMIT) for w in ("卡", "汉"))
    assert set(names._in_chinese(words, zh)) == words & zh_substrings(zh)


@pytest.mark.parametrize(
    ("zh", "entities"),
    [
        # 哈尔滨 and 中国人 span two jieba tokens each.
        ("在哈尔滨, 中国人张贴了 \"红帝国主义\" 等口号.", [("哈尔滨", 1, 4), ("中国人", 6, 9)]),
        ("奥斯汀最后袭击了麦克马洪和唐纳德 · 特朗普的 Stunner 石头。",
         [("奥斯汀", 0, 3), ("唐纳德", 13, 16), ("特朗普", 19, 22)]),
        ("", []),
        ("Stunner", []),
    ],
)  # fmt: skip
def test_entities_are_the_widest_names_from_the_left(
    zh: str, entities: list[tuple[str, int, int]], ctx: CheckContext
) -> None:
    found = names.zh_entities.__wrapped__(ctx.lexicon, zh)
    assert [(word, start, end) for word, start, end, _ in found] == entities
    assert all(glosses for *_, glosses in found)


def _findings(name: str, en: str, zh: str, ctx: CheckContext) -> list[tuple[object, ...]]:
    result = get_check(name)(Pair(id="t:e0:z0", doc_id="t", en=en, zh=zh), ctx)
    return [(f.code, f.severity.value, f.en_span, f.zh_span, f.message) for f in result.findings]


@pytest.mark.parametrize(
    ("en", "zh", "expected"),
    [
        # A name nothing renders, guessed at by a name-like run of the same first sound.
        ("The Haitian awakens and captures them before they can pursue her.",
         "海地人在追捕她之前就觉醒了并抓获了他们。",
         [("name-dropped", "minor", (4, 11), (0, 3),
           "“Haitian” is not kept or in the dictionary; check that 海地人 renders it.")]),
        # A title-case line: only words no dictionary knows are names, and dropping one is minor.
        ("In late May Eliza, on the San Carlos, sailed into the Strait of Juan de Fuca to "
         "Esquimalt.",
         "五月下旬 ， 在圣卡洛斯岛上 ， 埃利亚扎驶入胡安德福卡海峡 ， 前往埃斯基莫特。",
         [("name-dropped", "minor", (12, 17), None,
           "“Eliza” is not in the Chinese (not kept, translated or transliterated)."),
          ("name-dropped", "minor", (72, 76), None,
           "“Fuca” is not in the Chinese (not kept, translated or transliterated)."),
          ("name-dropped", "minor", (80, 89), None,
           "“Esquimalt” is not in the Chinese (not kept, translated or transliterated).")]),
        # English with letters outside ASCII: the `regex` word pattern reads it.
        ("At some point in 1777, Kościuszko composed a polonaise and scored it for the "
         "harpsichord.",
         "在 1777 年的某个时候 ， Ko š ciuszko 组成了一个波隆尼赛马队 ， 并为猎人打分。",
         [("name-dropped", "major", (23, 33), None,
           "“Kościuszko” is not in the Chinese (not kept, translated or transliterated).")]),
        ("In Harbin, the Chinese posted slogans such as \"Down with Red Imperialism!\"",
         "在哈尔滨, 中国人张贴了 \"红帝国主义\" 等口号.", []),
    ],
)  # fmt: skip
def test_latin_names_on_real_cases(
    en: str, zh: str, expected: list[tuple[object, ...]], ctx: CheckContext
) -> None:
    assert _findings("latin-names", en, zh, ctx) == expected


def test_entity_named_by_nothing_in_the_english(ctx: CheckContext) -> None:
    en = "When the vigilante Tarantula arrives, Nightwing chooses not to stop her."
    zh = "当守卫塔兰图拉到达时 ， 南京选择不阻止她。"
    assert _findings("entities", en, zh, ctx) == [
        (
            "entity-not-in-source",
            "minor",
            None,
            (13, 15),
            "南京 (“Nanjing subprovincial city on the Changjiang”) names something the English "
            "does not mention.",
        )
    ]
