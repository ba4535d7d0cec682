"""More of the name checks' quick paths against the plain computations, on real text: the ASCII
word and acronym patterns, a gloss read only up to its first lower-case word, acronyms found on
first use."""

from __future__ import annotations

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from review.checks import CheckContext, get_check, names
from review.lexicon import get_lexicon
from review.model import Pair
from tests.unit.test_names_speed_cases import _plain_en_names

# ASCII pieces that reach every branch of the word pattern: inner and trailing marks, digits
# and underscores before, inside and after letters.
_ASCII = st.lists(
    st.sampled_from([*"aAzZ09_ '&.-,()\"\n", "The ", "U.S. ", "AT&T", "mid-", "o'", "NBA", "x_1"]),
    max_size=40,
).map("".join)

_REAL_EN = [
    "My Name Is Khan debuted in Abu Dhabi, UAE on 10 February 2010.",
    "Many collieries on the northern coalfield of NSW were named after collieries in the United "
    "Kingdom.",
    "NY 238 forks off to the southeast towards Attica at a junction 2 mi to the east of Darien "
    "Center.",
    "Perhaps if you don't believe that England accounts for 98% of the UK's GDP you should try "
    "working it out for yourself...",
    "He rejoined Lee in October 1864, with his right arm paralyzed and in a sling, initially "
    "unable to ride a horse.",
    "In 1999-2000, the St. Louis-based AT&T_Wireless unit's co-CEO met 3M's R&D head.",
]


@settings(max_examples=300)
@given(_ASCII)
@example("a'b'. c-d-_ e.-f__ 3D _x 1a2b")
@example("xNBA NBAx _AB 1CD (UN) A.B. NATO's")
def test_ascii_patterns_match_as_the_regex_ones(text: str) -> None:
    assert names._NAME_WORD_ASCII.findall(text) == names._NAME_WORD.findall(text)
    assert names._ACRONYM_ASCII.findall(text) == names._ACRONYM.findall(text)
    assert names._GLOSS_WORD_ASCII.findall(text) == names._GLOSS_WORD.findall(text)


@pytest.mark.parametrize("en", _REAL_EN)
def test_ascii_patterns_on_real_english(en: str) -> None:
    assert en.isascii()
    assert names._NAME_WORD_ASCII.findall(en) == names._NAME_WORD.findall(en)
    assert names._ACRONYM_ASCII.findall(en) == names._ACRONYM.findall(en)
    assert names._GLOSS_WORD_ASCII.findall(en) == names._GLOSS_WORD.findall(en)


def _plain_gloss_words(gloss: str) -> tuple[str, ...]:
    """Every word of the gloss read, up to the first one not capitalised."""
    words = []
    for word in regex.findall(r"[A-Za-z][A-Za-z'’-]*", gloss):
        if not word[:1].isupper():
            break
        words.append(word)
    return tuple(w for w in words if w.lower() not in names._NAME_GENERIC)


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from([*"aZ ’'-,(.)9é", "Port ", "of ", "Sea", "on ", "McDonald", "中国"]),
        max_size=25,
    ).map("".join)
)
@example("-’Gwadar Port on Arabian Sea")
@example("(Mozart) Wolfgang Amadeus Mozart")
def test_gloss_head_words_as_plainly(gloss: str) -> None:
    assert names._gloss_words.__wrapped__(gloss) == _plain_gloss_words(gloss)


@pytest.mark.parametrize(
    "zh", ["南京", "张成泽", "荣格", "米开朗基罗", "李明博", "阿联酋", "新南威尔士"]
)
def test_gloss_head_words_of_real_glosses(zh: str) -> None:
    glosses = get_lexicon().proper_glosses(zh)
    assert glosses
    for gloss in glosses:
        assert names._gloss_words.__wrapped__(gloss) == _plain_gloss_words(gloss)


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(get_lexicon(), None, (-0.13, 0.21))


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        # Real QE pairs where only the English acronym matches the entity's gloss (UAE, NSW, NY).
        ("My Name Is Khan debuted in Abu Dhabi, UAE on 10 February 2010.",
         "我的名字是 Khan ， 于 2010 年 2 月 10 日在阿联酋阿布扎比首发。"),
        ("Many collieries on the northern coalfield of NSW were named after collieries in the "
         "United Kingdom.", "新南威尔士州北部煤田上的许多煤矿是以联合王国的煤矿命名的。"),
        ("NY 238 forks off to the southeast towards Attica at a junction 2 mi to the east of "
         "Darien Center.", "纽约州 238 号叉车驶向东南阿提卡 ， 位于达林中心以东 2 米的交叉口。"),
    ],
)  # fmt: skip
def test_entity_named_by_an_acronym_is_no_finding(en: str, zh: str, ctx: CheckContext) -> None:
    check = get_check("entities")
    result = check(Pair(id="t:e0:z0", doc_id="t", en=en, zh=zh), ctx)
    assert result.findings == ()
    assert result.features == {"wrong": 0.0, "unmatched": 0.0}
    # Without the acronym the same entity is one the English does not mention.
    lower = check(Pair(id="t:e0:z0", doc_id="t", en=en.lower(), zh=zh), ctx)
    assert [f.code for f in lower.findings] == ["entity-not-in-source"]


# Digit-free English, where most words have no capital: en_names as plainly.
_NO_DIGITS = st.lists(
    st.sampled_from(
        [*"aAzZ_ '&.-,()\"\n", "The ", "U.S. ", "AT&T ", "don't ", "well-known ", "e.g. ",
         "iPhone ", "eBay", "MUSE ", "May ", "Graham ", "(ICT) ", "THE ", "NBA ", "x_y ", "o'Neil"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_NO_DIGITS)
@example("Information and Communication Technology (ICT) is well-known, don't mind iPhone.")
@example("FOR THE NBA AND US, well-known o'Neil")
def test_en_names_without_digits_as_plainly(en: str) -> None:
    lexicon = get_lexicon()
    assert list(names.en_names.__wrapped__(lexicon, en)) == _plain_en_names(lexicon, en)


@pytest.mark.parametrize("en", [e for e in _REAL_EN if not any(c.isdigit() for c in e)])
def test_en_names_without_digits_on_real_english(en: str) -> None:
    lexicon = get_lexicon()
    found = names.en_names.__wrapped__(lexicon, en)
    assert found
    assert list(found) == _plain_en_names(lexicon, en)


@pytest.mark.parametrize(
    "en",
    [
        # A lower-case word with a digit may be a name.
        "He released the album as mp3 files and on vinyl in 1998.",
        "The b2b unit of 3M moved its x86 servers to AT&T in 2001.",
        *_REAL_EN,
    ],
)
def test_en_names_with_digits_as_plainly(en: str) -> None:
    lexicon = get_lexicon()
    assert list(names.en_names.__wrapped__(lexicon, en)) == _plain_en_names(lexicon, en)


@pytest.mark.parametrize(
    ("en", "zh", "span", "message"),
    [
        # Real QE pairs: the first Latin word is in the English; the span is the first added.
        ("Gavin Creel and Jared Gertner reprised their North American tour performances.",
         "Gavin Creel 和 Jred Gertner 报复了他们的北美巡回演出.", (14, 18), "“Jred”"),
        ("Pope Innocent III talked about Primogeniture, while Wincenty Kadłubek refers to both "
         "Seniority and Primogeniture.",
         "教皇 Innocent III 谈到长子长子 ， 而 Wincoy Kadubek 提到长子长子和长子长子长子长子长子。",
         (27, 33), "“Wincoy”, “Kadubek”"),
        ("Verónica Forqué appears as her prostitute neighbor and confidante.",
         "Ver ó nica Forque 似乎是她的妓女邻居和知己。", (11, 17), "“Forque”"),
    ],
)  # fmt: skip
def test_latin_words_added_in_the_chinese(
    en: str, zh: str, span: tuple[int, int], message: str, ctx: CheckContext
) -> None:
    result = get_check("latin-names")(Pair(id="t:e0:z0", doc_id="t", en=en, zh=zh), ctx)
    added = [f for f in result.findings if f.code == "name-added"]
    assert [(f.zh_span, f.message) for f in added] == [
        (span, f"Latin text in the Chinese that the English lacks: {message}.")
    ]
    assert result.features["added"] == message.count("“")
