"""The repeated-words check's quick tests never skip a text its full patterns match."""

from __future__ import annotations

import itertools
import re
import sys

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import surface

_ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_han_superset_holds_every_han_character() -> None:
    han = "".join(regex.findall(r"\p{Han}", _ALL_CHARS))
    assert len(han) > 90_000
    assert re.fullmatch(f"{surface._HAN_OR_MORE}+", han)


def _ranges_text(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(c) for a, b in ranges for c in range(a, b + 1))


def test_han_ranges_split_han_into_letters_and_the_rest() -> None:
    han = regex.findall(r"\p{Han}", _ALL_CHARS)
    letters = [c for c in han if regex.match(r"[\p{L}\p{N}]", c)]
    symbols = [c for c in han if not regex.match(r"[\p{L}\p{N}]", c)]
    assert "".join(letters) == _ranges_text(surface._HAN_LETTER_RANGES)
    assert "".join(symbols) == _ranges_text(surface._HAN_SYMBOL_RANGES)
    assert surface._HAN_LETTER_RUN.fullmatch("".join(letters))
    assert len(surface._HAN_SYMBOL.findall("".join(symbols))) == len(symbols)
    assert not surface._HAN_LETTER_RUN.search("".join(symbols) + "，。Aa1 ")


def test_engines_agree_on_ascii_word_and_space_characters() -> None:
    ascii_chars = [chr(c) for c in range(128)]
    for char in ascii_chars:
        assert bool(regex.match(r"\w", char)) == bool(re.match(r"\w", char)), char
    # `regex`'s \s anywhere is a subset of `re`'s.
    spaces = regex.findall(r"\s", _ALL_CHARS)
    assert spaces and all(re.match(r"\s", char) for char in spaces)


# Han pieces that repeat or nearly repeat, Latin, punctuation and the characters at the edges
# of the superset (々 and 〇 are Han, 。 is not).
_ZH_PIECES = [
    "哈", "哈哈", "哈哈哈", "研究", "研究研究", "我们", "的", "是", "了", "谢谢", "一", "〇", "々",
    "。", "，", "、", " ", "\n", "a", "AB", "3", "𠀀", "⺀", "中国", "中国人", "国人",
]  # fmt: skip


@given(st.lists(st.sampled_from(_ZH_PIECES), max_size=12))
def test_zh_filter_never_hides_a_repeat(pieces: list[str]) -> None:
    text = "".join(pieces)
    if surface._REPEAT_ZH.search(text):
        assert surface._MAY_REPEAT_ZH.search(text), text


_EN_PIECES = [
    "the", "The", "THE", "them", "he", "a", "A", "an", "x1", "_the", "the_", "(the", "the.",
    " ", "  ", "\t", "\n", "\x0b", "\x1c", "-", "'", "1", "is", "Is", "theme",
]  # fmt: skip


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=10))
def test_en_filter_never_hides_a_repeat(pieces: list[str]) -> None:
    text = "".join(pieces)
    if surface._REPEAT_EN.search(text):
        assert _adjacent_equal_runs(text), text


def _adjacent_equal_runs(text: str) -> bool:
    runs = surface.ascii_letter_runs(text)
    return runs is None or any(a == b for a, b in itertools.pairwise(runs))


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("It was the the best.", "这是是是最好的。"),
        ("Thank you you.", "谢谢谢谢你。"),
        ("We study it.", "我们研究研究一下这个问题问题。"),
        ("Ha.", "哈哈哈哈"),
        ("No repeats here.", "这里没有重复。"),
    ],
)
def test_real_repeats_are_found_through_the_filters(en: str, zh: str) -> None:
    assert bool(surface._REPEAT_EN.search(en)) <= _adjacent_equal_runs(en)
    assert bool(surface._REPEAT_ZH.search(zh)) == bool(surface._MAY_REPEAT_ZH.search(zh))


def test_ascii_letters_and_digits_are_the_alphanumerics() -> None:
    letters = [chr(c) for c in range(128) if regex.match(r"[\p{L}\p{N}]", chr(c))]
    assert letters == [chr(c) for c in range(128) if chr(c).isalnum()]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, world 42!",
        "e.g. A_B-c",
        "中文 ABC 12。",
        "café ½ Ⅻ",
        "\t\n",
        "⺀部首⼀々〇",
        "中文。",
    ],
)
def test_counts_match_one_match_per_character(text: str) -> None:
    han = len(regex.findall(r"\p{Han}", text))
    assert surface.counts.__wrapped__(text) == (han, len(regex.findall(r"[\p{L}\p{N}]", text)))
