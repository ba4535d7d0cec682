"""The name checks' quick paths (`re` patterns, offsets found again, a scan for a name's
translations, the one-pass entity windows) give what the plain ones give, on real cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from review.checks import CheckContext, get_check, names
from review.checks._text import defined_acronyms, han_tokens, zh_substrings, zh_tokens
from review.lexicon import EN_STOPWORDS, get_lexicon
from review.model import Pair

if TYPE_CHECKING:
    from review.lexicon import Lexicon

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


# Plain computations the quick paths must agree with: every name placed exactly, every
# translation looked up among all substrings, every entity word compared, every token read.


def _plain_runs(lexicon: Lexicon, zh: str) -> list[tuple[str, int, int]]:
    runs: list[tuple[str, int, int]] = []
    start = end = -1
    for (text, token_start, token_end), han in zip(
        zh_tokens(lexicon, zh), han_tokens(lexicon, zh), strict=True
    ):
        if han and len(text) > 1 and (not lexicon.glosses(text) or lexicon.proper_glosses(text)):
            if token_start != end:
                if start >= 0:
                    runs.append((zh[start:end], start, end))
                start = token_start
            end = token_end
        elif start >= 0:
            runs.append((zh[start:end], start, end))
            start = end = -1
    if start >= 0:
        runs.append((zh[start:end], start, end))
    return runs


def _plain_entities(lexicon: Lexicon, zh: str) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """The greedy walk: at each Han token the widest name of up to three joined tokens."""
    tokens, han = zh_tokens(lexicon, zh), han_tokens(lexicon, zh)
    found = []
    i = 0
    while i < len(tokens):
        width = 1
        while width < 3 and i + width < len(tokens):
            k = i + width
            if not (han[k] and tokens[k].start == tokens[k - 1].end):
                break
            width += 1
        for size in range(width if han[i] else 0, 0, -1):
            start, end = tokens[i].start, tokens[i + size - 1].end
            glosses = lexicon.proper_glosses(zh[start:end])
            if end - start >= 2 and glosses:
                found.append((zh[start:end], start, end, glosses))
                i += size
                break
        else:
            i += 1
    return found


def _plain_where(lexicon: Lexicon, name: names.Name, zh: str, cursor: int) -> int | None:
    lower = name.text.lower()
    places = [zh.lower().find(lower, cursor), zh.lower().find(lower)]
    places += [zh.find(w, cursor) for w in lexicon.zh_for_word(name.text) & zh_substrings(zh)]
    places += [zh.find(w) for w in lexicon.zh_for_word(name.text) & zh_substrings(zh)]
    if len(lower) >= 4:
        places += [
            start
            for _, start, _, glosses in _plain_entities(lexicon, zh)
            for gloss in glosses
            for word in names._gloss_words(gloss)
            if word.lower()[:4] == lower[:4] and abs(len(word) - len(lower)) <= 3
        ]
    places = [p for p in places if p >= 0]
    if not places and not (name.acronym and len(name.text) <= 3):
        spelled = lower.replace("-", "")
        places = [
            start
            for text, start, _ in _plain_runs(lexicon, zh)
            if fuzz.ratio(spelled, names._sound(lexicon, text)) >= names._TRANSLIT_MIN
        ]
    later = [p for p in places if p >= cursor]
    return min(later or places, default=None)


def _plain_dropped(
    lexicon: Lexicon, found: tuple[names.Name, ...], zh: str
) -> list[tuple[names.Name, tuple[str, int, int] | None]]:
    placed: list[tuple[names.Name, int | None]] = []
    cursor = 0
    for name in found:
        where = _plain_where(lexicon, name, zh, cursor)
        placed.append((name, where))
        cursor = max(cursor, where if where is not None else 0)
    dropped = []
    for index, (name, where) in enumerate(placed):
        if where is not None:
            continue
        low = max([w for _, w in placed[:index] if w is not None], default=0)
        high = min([w for _, w in placed[index + 1 :] if w is not None and w >= low] or [len(zh)])
        guess = [
            run
            for run in _plain_runs(lexicon, zh)
            if low <= run[1] <= high and names._sound(lexicon, run[0])[:1] == name.text[:1].lower()
        ]
        dropped.append((name, guess[0] if guess else None))
    return dropped


_NAME_CASES = [
    # Real QE pairs: names kept, translated, matched by an entity's gloss, transliterated by a
    # name-like run, and dropped with and without a run to guess at between their anchors.
    ("Eisenhower asked for Graham while on his deathbed.", "艾森豪威尔临死前向格雷厄姆求婚."),
    ("When the Persians conquered Lydia in 547/546 they acquired the Ionian cities.",
     "当波斯人在 547 / 546 年征服利迪亚时 ， 他们获得了爱奥尼亚的城市。"),
    ("Bruiser competes on both the PRCA and the elite series of the PBR.",
     "布鲁泽在 PRCA 和 PBR 的精英系列上都有竞争."),
    ("Musicians included Benedict de Opitiis, Richard Sampson, Ambrose Lupo, and Venetian "
     "organist Dionisio Memo.",
     "音乐家包括本笃、理查德 · 桑普森、安布罗斯 · 卢波和威尼斯生物学家迪奥尼西奥 · 梅莫。"),
    ("Caesar prevailed on Pompey and Crassus to stand for the consulship against Lucius "
     "Domitius.", "凯撒在庞贝和克拉苏身上占上风, 主张与卢修斯 · 多米蒂乌斯交涉."),
    ("Lordy Tugade, Finals MVP and PBA Champion, from Alaminos City.",
     "洛迪图加德, 决赛 MVP 和 PBA 冠军, 来自阿拉米诺斯市."),
    ("With help from Flash and XS, King Shark defeats Grodd and removes the telepathy crown "
     "from him.",
     "在闪光和 XS 的帮助下 ， 沙克国王击败了格罗德 ， 并从他身上移走了心灵感应的皇冠。"),
    ("On July 29, 2012, he and the famed boxer Floyd Mayweather, Jr., signed IBF featherweight "
     "champion Billy Dib.",
     "2012 年 7 月 29 日 ， 他与著名拳击手弗洛伊德 · 梅韦斯特签署了 IBF 羽量级冠军比利 · 迪布。"),
    ("The character Mr. Beaver ascribes the ancestry of the main antagonist, Jadis the White "
     "Witch, to Lilith.", "比弗先生的角色把主要对手白巫婆 Jadis 的祖先赋予了莉莉丝。"),
    ("In the NBA Finals, the Nationals faced fellow NBL alums the Minneapolis Lakers.",
     "在 NBA 决赛中, 国民们面对着曼联专辑明尼阿波利斯湖人."),
    ("During the night of October 13, two Japanese fast battleships Kongo and Haruna bombarded "
     "Henderson Field.",
     "10 月 13 日晚上 ， 两艘日本快艇孔子号和 Haruna 号轰炸了亨德森油田。"),
    ("The Riddler appears in Justice League Action, voiced by Brent Spiner.",
     "里德勒出现在正义联盟行动中 ， 布伦特斯皮纳表达了这一观点。"),
    ("He then helped Ironhide finish off Crowbar and Crankcase in a Mexican Standoff, as "
     "Sideswipe called it.",
     "然后他帮助伊龙藏队在墨西哥斯坦多夫的克罗伊巴尔和克兰克案件中结束 ， 西德斯维佩称之为它。"),
    ("Sami confesses to EJ that she still loves him and they reconcile.",
     "萨米向 EJ 承认 ， 她仍然爱他 ， 他们和解了。"),
]  # fmt: skip


@pytest.mark.parametrize(("en", "zh"), _NAME_CASES)
def test_names_are_placed_and_dropped_as_plainly(en: str, zh: str, ctx: CheckContext) -> None:
    lexicon = ctx.lexicon
    found = names.en_names(lexicon, en)
    assert len(found) >= 2
    assert names._dropped(lexicon, found, zh) == _plain_dropped(lexicon, found, zh)
    chinese = names._Chinese(lexicon, zh)
    for name in found:
        for cursor in (0, len(zh) // 2, len(zh)):
            where = _plain_where(lexicon, name, zh, cursor)
            assert names._where(name, chinese, cursor) == where
            assert names._placed(name, chinese) == (where is not None)


_EN_PIECES = ["Graham ", "Lydia ", "NBA ", "Eisenhower ", "the Persians ", "Lupo ", "Ionian ",
              "asked ", "and ", "for ", "EJ ", "Crassus ", "Lakers "]  # fmt: skip
_ZH_PIECES = ["格雷厄姆", "艾森豪威尔", "NBA", "利迪亚", "波斯人", "卢波", "爱奥尼亚", "的", "和",
              "求婚", "萨米", "克拉苏", "湖人", "明尼阿波利斯", " ， ", "中国人"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_EN_PIECES), min_size=1, max_size=6).map("".join),
    st.lists(st.sampled_from(_ZH_PIECES), min_size=1, max_size=8).map("".join),
)
def test_names_dropped_as_plainly_in_any_order(en: str, zh: str) -> None:
    lexicon = get_lexicon()
    found = names.en_names.__wrapped__(lexicon, "He said: " + en)
    assert names._dropped(lexicon, found, zh) == _plain_dropped(lexicon, found, zh)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_ZH_PIECES, "张成泽", "哈尔滨", "T恤", "  "]), max_size=10))
def test_entities_and_runs_as_plainly(pieces: list[str]) -> None:
    lexicon = get_lexicon()
    zh = "".join(pieces)
    assert list(names.zh_entities.__wrapped__(lexicon, zh)) == _plain_entities(lexicon, zh)
    assert names.name_like_runs(lexicon, zh) == _plain_runs(lexicon, zh)


@pytest.mark.parametrize(("en", "zh"), _NAME_CASES)
def test_entities_and_runs_as_plainly_on_real_text(en: str, zh: str, ctx: CheckContext) -> None:
    assert list(names.zh_entities.__wrapped__(ctx.lexicon, zh)) == _plain_entities(ctx.lexicon, zh)
    assert names.name_like_runs(ctx.lexicon, zh) == _plain_runs(ctx.lexicon, zh)


@given(st.lists(st.sampled_from([*_PIECES, *"]”%[‘—–\t\u3000"]), max_size=40).map("".join))
@example("Hi 2\n Bank")
@example("x;  Bank")
@example("(see [1] Bank")
@example('It ended. Bank; “ Bank: Bank! Bank? Bank" Bank- Bank— Bank')
def test_sentence_starts_found_without_the_search(text: str) -> None:
    # en_names decides these cases without the backward search; it must agree with them.
    assert names._SENTENCE_START.search(text, 0, 0) is not None
    for start in range(2, len(text) + 1):
        before = text[start - 2]
        if text[start - 1] == " " and (before.isalnum() or before in names._NO_SENTENCE_END):
            assert names._SENTENCE_START.search(text, 0, start) is None
    ascii_text = text.encode("ascii", "ignore").decode()
    for word in [ascii_text, *ascii_text.split()]:
        found = names._CAMEL_OR_DIGIT_ASCII.search(word)
        assert (found is None) == (names._CAMEL_OR_DIGIT.search(word) is None)


def _plain_en_names(lexicon: Lexicon, en: str) -> list[names.Name]:
    """en_names read straight: every word with its match offset, every test on every word."""
    matches = list(names._NAME_WORD.finditer(en))
    words = [m.group() for m in matches]
    upper = sum(w[0].isupper() and w.lower() not in EN_STOPWORDS for w in words)
    capitals = sum(len(w) > 1 and w.isupper() for w in words)
    title = names._is_title_case(words, upper)
    shouted = names._is_shouted(words, capitals)
    defined = defined_acronyms(en)
    found = []
    for match in matches:
        word, start = match.group(), match.start()
        if any(s <= start < e for s, e in defined) or word.lower() in names._CALENDAR:
            continue
        if not word[0].isupper() and not regex.search(r"[a-z][A-Z]|\d", word):
            continue
        letters = regex.sub(r"[^A-Za-z]", "", word)
        acronym = len(letters) >= 2 and letters.isupper()
        plain = letters.lower() in names._PLAIN_WORDS or lexicon.has_translation(letters)
        if acronym and shouted and plain:
            continue
        if not acronym and not regex.search(r"[a-z][A-Z]", word):
            if word.lower() in EN_STOPWORDS or len(letters) < 2:
                continue
            if (title or names._SENTENCE_START.search(en, 0, start)) and lexicon.has_translation(
                word
            ):
                continue
        found.append(names.Name(word, start, match.end(), acronym, title))
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*_PIECES, "Bank ", "THE ", "NBA ", "May ", "iPhone "]), max_size=30)
)
@example(["USUS US, and US. ", "Graham ", "May"])
@example(["FOR ", "THE ", "NBA ", "AND ", "US"])
@example(["In ", "Late ", "May ", "Eliza ", "Sailed"])
def test_en_names_as_plainly(pieces: list[str]) -> None:
    lexicon = get_lexicon()
    en = "".join(pieces)
    assert list(names.en_names.__wrapped__(lexicon, en)) == _plain_en_names(lexicon, en)


@pytest.mark.parametrize(("en", "zh"), _NAME_CASES)
def test_en_names_as_plainly_on_real_text(en: str, zh: str, ctx: CheckContext) -> None:
    assert list(names.en_names.__wrapped__(ctx.lexicon, en)) == _plain_en_names(ctx.lexicon, en)


@pytest.mark.parametrize(
    ("en", "zh", "expected"),
    [
        # Real QE pairs (outputs of the plain code): the English word's offset is found again
        # only for the finding, from the index of its first occurrence.
        ("He rejoined Lee in October 1864, with his right arm paralyzed and in a sling, "
         "initially unable to ride a horse.",
         "1864 年 10 月 ， 他重新加入李明博 ， 右臂瘫痪 ， 在吊索中 ， 起初无法骑马。",
         [("wrong-entity", "critical", (12, 15), (19, 22),
           "李明博 is “Lee Myung-bak” in the dictionary, but the English says “Lee”.")]),
        ("From Carl Gustav Jung's Archetypes of the Collective Unconscious to Individual "
         "Archetypal Pattern.",
         "从卡尔 · 古斯塔夫 · 荣格的集体无意识档案到个人档案模式。",
         [("entity-not-in-source", "minor", None, (1, 3),
           "卡尔 (“Karl”) names something the English does not mention."),
          ("wrong-entity", "critical", (5, 34), (13, 15),
           "荣格 is “Carl Gustav Jung” in the dictionary, but the English says “Carl Gustav "
           "Jung's Archetypes”.")]),
        ("On the pendentives, Michelangelo replaced the proposed Apostles with Prophets and "
         "Sibyls who heralded the coming of the Messiah.",
         "在钟摆上 ， 米开朗基罗用先知和锡比尔斯取代了拟议的使徒 ， 他们预示着弥赛亚的到来。",
         [("wrong-entity", "critical", (20, 32), (7, 12),
           "米开朗基罗 is “Michelangelo Buonarroti” in the dictionary, but the English says "
           "“Michelangelo”.")]),
    ],
)  # fmt: skip
def test_wrong_entities_on_real_cases(
    en: str, zh: str, expected: list[tuple[object, ...]], ctx: CheckContext
) -> None:
    assert _findings("entities", en, zh, ctx) == expected
