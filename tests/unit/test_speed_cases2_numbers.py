"""The number check's digit and number-word shortcuts answer as its `regex` patterns do."""

from __future__ import annotations

import re
import sys

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

from review.checks import numbers
from review.checks._text import trie_alternation

_ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)

# Real QE sources and machine translations, with and without digits and number words.
_REAL = [
    "Watch your edit summaries In case you didn't know, there are British and American "
    "spellings of English, both are appropriate on Wikipedia.",
    "Poirot's sidekick in two earlier novels and two short stories.",
    "This four lancet window features Sainte Catherine d'Alexandrie in the first lancet.",
    "Lignite excavation begins at Bełchatów Coal Mine, November 20.",
    "Lansana Conté, 74, Guinean politician, President of Guinea since 1984, after long illness.",
    "I have a right to make a discussion on that page.",
    "1889 年 ， 从小苏尔河和大苏尔河流域拖出了多达 5 万条油轮。",
    "在他的一生中 ， 他至少向大约 1, 000 万听众传教了 18, 000 次。",
    "他们在第三场比赛中以二比一获胜。",
    "全角数字２０２３年",
]


def test_standard_digits_are_regex_digits_and_the_rest_lie_outside_the_bmp() -> None:
    standard = set(re.findall(r"\d", _ALL_CHARS))
    full = set(regex.findall(r"\d", _ALL_CHARS))
    assert len(standard) > 600
    assert standard <= full
    assert all(ord(c) > 0xFFFF for c in full - standard)
    assert regex.findall(r"\d", _ALL_CHARS[:128]) == list("0123456789")


_DIGIT_PIECES = [
    "0", "9", "a", " ", "中", "０", "٣", "۷", "߁", "𝟎", "\U00011f50", "\U0001d7ce", "Ⅻ", "½",
    "²", "é", "萬", "𠀀", "x",
]  # fmt: skip


@given(st.lists(st.sampled_from(_DIGIT_PIECES), max_size=8))
def test_has_digit_is_the_regex_search(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert numbers.has_digit(text) == (numbers._DIGIT.search(text) is not None)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=20))
@example("Version 0")
@example("year 9")
@example("O l I")
def test_has_digit_in_ascii_text(text: str) -> None:
    assert numbers.has_digit(text) == (numbers._DIGIT.search(text) is not None)


@pytest.mark.parametrize("text", _REAL)
def test_has_digit_in_real_text(text: str) -> None:
    assert numbers.has_digit(text) == (numbers._DIGIT.search(text) is not None)


# The plain test the letter runs replace: a letter run that is a number word.
_NUMBER_WORD_RUN = re.compile(f"[^a-z]{trie_alternation(list(numbers._WORD_VALUES))}(?![a-z])")

_WORD_PIECES = [
    "two", "Two", "TWENTY", "twenty-five", "half", "halfway", "often", "tens", "second",
    "2nd", "x", "_", "1", " ", "-", "'", "é", "ſix", "\u212aILL", "six", "sixty", "both",
    "pair", "pairs", "repair", "dozen", "Dozens",
]  # fmt: skip


@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=8), st.sampled_from(["", " ", "-"]))
def test_number_word_filter_is_the_letter_run_pattern(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    may = numbers._may_have_number_words(text)
    if text.isascii():
        assert may == (_NUMBER_WORD_RUN.search(" " + text.lower()) is not None), text
    if numbers._EN_WORDS.search(text):
        assert may, text


@pytest.mark.parametrize("text", _REAL[:6])
def test_number_word_filter_on_real_text(text: str) -> None:
    may = numbers._may_have_number_words(text)
    if text.isascii():
        assert may == (_NUMBER_WORD_RUN.search(" " + text.lower()) is not None)
    assert may >= (numbers._EN_WORDS.search(text) is not None)


def test_real_number_words_and_digits_are_found() -> None:
    found = [[n.text for n in numbers._en_numbers.__wrapped__(text)] for text in _REAL[:6]]
    assert found == [["both"], ["two", "two"], ["four"], ["November", "20"], ["74", "1984"], []]
    zh = [[n.text for n in numbers._zh_numbers.__wrapped__(text)] for text in _REAL[6:]]
    assert zh[:2] == [["1889", "5 万"], ["一", "1, 000 万", "18, 000"]]
    assert zh[2:] == [["三", "二", "一"], ["２０２３"]]


def test_numbers_are_built_as_their_constructor_builds_them() -> None:
    [numeral] = numbers.zh_numbers("两万五千人")
    assert type(numeral) is numbers.Number
    assert numeral == numbers.Number(frozenset({25000.0}), (0, 4), "两万五千", False)
    assert numeral.values == frozenset({25000.0}) and numeral.span == (0, 4)
    [digits, month] = numbers.en_numbers("On 4 March")
    assert digits == numbers.Number(frozenset({4.0}), (3, 4), "4", True)
    assert (month.text, month.digits, month.span) == ("March", False, (5, 10))
