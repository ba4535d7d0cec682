"""Transliterations by pinyin similarity, pinyin-written names, ordinary capitalised words."""

from __future__ import annotations

import pytest

from review.checks.translit import (
    SOUNDS_LIKE,
    SOUNDS_UNLIKE,
    as_pinyin,
    best_rendering,
    is_ordinary_word,
    joined_runs,
    pinyin_name_in,
    sound_similarity,
)

# (English name, its Chinese rendering): the planted case and renderings from the
# post-edits of tests/data/qe/mlqe_dev_rows.tsv.
RENDERINGS = [
    ("Timayio", "蒂马约"),
    ("Ahsan Iqbal", "阿赫桑·伊克巴尔"),
    ("Ashley", "阿什利"),
    ("Sienna", "锡耶纳"),
    ("Busch", "布希"),
    ("Morris", "莫里斯"),
    ("Middleton", "米德尔顿"),
    ("Adele", "阿黛尔"),
    ("Jennifer", "珍妮弗"),
    ("Wayne", "韦恩"),
    ("Cooper", "库珀"),
    ("Viki", "维基"),
    ("Clint", "克林特"),
    ("Wenceslaus", "温切斯劳斯"),
    ("Gallipoli", "加里波利"),
    ("Bergling", "柏格林"),
    ("Hamilton", "汉密尔顿"),
    ("Washington", "华盛顿"),
]


@pytest.mark.parametrize(("en", "zh"), RENDERINGS)
def test_a_transliteration_sounds_like_its_name(en: str, zh: str) -> None:
    assert sound_similarity(en, zh) >= SOUNDS_LIKE


@pytest.mark.parametrize(
    ("en", "zh"),
    [("Ahsan Iqbal", "阿西夫·阿里"), ("Cyclops", "独眼巨人"), ("Timayio", "这个村子")],
)
def test_another_name_or_a_plain_word_does_not(en: str, zh: str) -> None:
    assert sound_similarity(en, zh) < SOUNDS_UNLIKE


def test_the_best_rendering_is_found_inside_a_longer_run() -> None:
    zh = "加里波利半岛"  # Gallipoli Peninsula: the run holds the name and a word after it
    found = best_rendering("Gallipoli", zh)
    assert found is not None and zh[found.start : found.end] == "加里波利"


def test_a_middle_dot_joins_the_parts_of_a_foreign_name() -> None:
    zh = "该协议由阿西夫·阿里和中国大使姜再冬签署。"
    assert joined_runs(zh, [("阿西夫", 4, 7), ("阿里", 8, 10)]) == [("阿西夫·阿里", 4, 10)]
    # A word between two names keeps them apart.
    assert joined_runs("韦恩和加思", [("韦恩", 0, 2), ("加思", 3, 5)]) == [
        ("韦恩", 0, 2),
        ("加思", 3, 5),
    ]


def test_pinyin_words_are_read_as_syllables() -> None:
    assert as_pinyin("Chuanfu") == ("chuan", "fu")
    assert as_pinyin("Xian") == ("xian",)
    assert as_pinyin("Iqbal") is None
    assert as_pinyin("Bergling") is None


def test_a_pinyin_name_with_another_given_name_is_a_wrong_name() -> None:
    wrong = "比亚迪创始人王传军表示，销量将翻一番。"
    right = "比亚迪创始人王传福表示，销量将翻一番。"
    assert pinyin_name_in(["Wang", "Chuanfu"], wrong) == (False, (6, 9))
    assert pinyin_name_in(["Wang", "Chuanfu"], right) == (True, (6, 9))
    assert pinyin_name_in(["Jiang", "Zaidong"], "中国大使姜再冬签署。") == (True, (4, 7))
    # The surname alone ("Wang said") is neither: the given name is left out, not changed.
    assert pinyin_name_in(["Wang", "Chuanfu"], "王表示，销量将翻一番。") is None


@pytest.mark.parametrize("word", ["I'm", "I’m", "Not", "I've", "Act", "Secretary", "Health"])
def test_ordinary_capitalised_words_are_no_names(word: str) -> None:
    assert is_ordinary_word(word)


@pytest.mark.parametrize("word", ["Iqbal", "Timayio", "Chuanfu", "Bergling", "Wenceslaus"])
def test_rare_names_are_not_ordinary_words(word: str) -> None:
    assert not is_ordinary_word(word)
    assert not is_ordinary_word(word, sentence_start=True)
