"""Dictionary glosses under the pair view: jieba words, known parts of unknown words, pinyin."""

from __future__ import annotations

import pytest

from review.tui.screens import gloss_words


@pytest.mark.parametrize(
    ("zh", "present", "absent"),
    [
        # jieba keeps the title 经济日报 whole; CC-CEDICT knows its parts.
        ("中国媒体(CCTV、《经济日报》、新华社)", ["中国", "媒体", "经济", "日报", "新华社"],
         ["经济日报", "经", "CCTV", "、", "《"]),
        ("目前，约有3000名巴基斯坦青年在中国各大学学习。", ["巴基斯坦", "青年", "学习"],
         ["3000", "，", "。"]),
        # Unknown name: char by char, since no part longer than one char is in the dictionary.
        ("张成泽传媒集团", ["张", "成", "泽", "传媒", "集团"], ["张成泽", "成泽"]),
        ("Huawei and ZTE", [], ["Huawei"]),
    ],
)
def test_words_glossed(zh: str, present: list[str], absent: list[str]) -> None:
    words = [word for word, _, _ in gloss_words(zh)]
    for word in present:
        assert word in words
    for word in absent:
        assert word not in words
    assert len(words) == len(set(words))  # each word once
    positions = [zh.index(word) for word in words]
    assert positions == sorted(positions)  # in text order


@pytest.mark.parametrize(
    ("word", "pinyin", "gloss"),
    [
        ("巴基斯坦", "Ba1 ji1 si1 tan3", "Pakistan"),
        ("青年", "qing1 nian2", "youth"),
        ("和", "he2", "(joining two nouns) and"),  # not "old variant of 和[he2]" first
        ("三", "san1", "three"),  # not the surname reading San1
    ],
)
def test_pinyin_and_the_first_gloss_a_reader_needs(word: str, pinyin: str, gloss: str) -> None:
    entry = {w: (p, g) for w, p, g in gloss_words(f"目前，巴基斯坦青年和{word}。")}
    assert entry[word][0] == pinyin
    assert entry[word][1][0].startswith(gloss)
