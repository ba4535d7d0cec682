"""The number check's quick tests never skip a text its full patterns match."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import numbers
from review.checks._text import MONTHS, trie_alternation


@pytest.mark.parametrize(
    "words",
    [("six", "sixty", "sixteen", "sixth"), ("a", "ab", "abc", "b"), numbers.MONTHS, ("per cent",)],
)
def test_trie_alternation_matches_exactly_the_words(words: tuple[str, ...]) -> None:
    pattern = re.compile(trie_alternation(words))
    for word in words:
        assert pattern.fullmatch(word), word
    for other in ("si", "sixt", "sixtee", "abcd", "", "per", "percent", "junе"):
        assert bool(pattern.fullmatch(other)) == (other in words), other


def _unit_alternatives() -> list[str]:
    """The alternatives of `_EN_UNIT`'s unit group, split at its top level."""
    body = numbers._EN_UNIT.pattern.split(r"\s*-?\s*(", 1)[1].rsplit(r")\b", 1)[0]
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_every_unit_starts_with_a_stem() -> None:
    alternatives = _unit_alternatives()
    assert len(alternatives) > 30
    for alternative in alternatives:
        # The literal start: letters and spaces up to the first optional letter or group.
        literal = regex.match(r"[a-z ]*?(?=[a-z]\?|\(|\\|$)", alternative)
        assert literal, alternative
        assert any(literal.group().startswith(stem) for stem in numbers._UNIT_STEMS), alternative


_EN_PIECES = [
    "3", "30,000", "1.5", " ", "  ", "-", "km", "KM", "miles", "Mile", "per cent", "percent",
    "centuries", "thousand", "million", "second", "seconds", "20th", "of", "December",
    "december", "May", "may", "mAy", "two", "Twenty-five", "often", "tens", "repair", "x",
    "_", "'", "ſix", "é", "years", "Day", "a", "\t", "4th", "JULY", "of", "Of", "20", "nd",
    "SIXTEEN", "sixth", "Seventy", "eighty-eight", "ninety9", "\u212aILL", "hundreds",
]  # fmt: skip


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=10), st.sampled_from(["", " ", "-"]))
def test_english_filters_never_hide_a_match(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    if text.isascii():
        lower = text.lower()
        if numbers._EN_UNIT.search(text):
            assert numbers._MAY_UNIT.search(lower), text
        if numbers._EN_DATE_MONTH.search(text):
            assert numbers._CAPITAL_MONTH.search(text) or (
                numbers._DIGIT.search(text) and numbers._ANY_MONTH.search(lower)
            ), text
    if numbers._EN_DIGITS.search(text) or numbers._EN_UNIT.search(text):
        assert numbers._DIGIT.search(text), text


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿个年3a ０,.", max_size=12))
def test_chinese_digits_need_a_digit(text: str) -> None:
    if numbers._ZH_DIGITS.search(text):
        assert numbers._DIGIT.search(text)


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿个年3a ", max_size=12))
def test_chinese_numerals_read_the_same_in_both_engines(text: str) -> None:
    fast = [m.span() for m in numbers._ZH_NUMERAL_FAST.finditer(text)]
    assert fast == [m.span() for m in numbers._ZH_NUMERAL.finditer(text)]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三", 3.0), ("两万五千", 25000.0), ("二〇二三", 2023.0), ("零", 0.0), ("千", 1000.0)],
)
def test_numeral_values(numeral: str, value: float) -> None:
    assert numbers._numeral_values(numeral) == frozenset({value})


def test_month_names_are_the_shared_list() -> None:
    assert numbers._ANY_MONTH.fullmatch("september")
    assert all(numbers._ANY_MONTH.fullmatch(month) for month in MONTHS)


@pytest.mark.parametrize(
    "text",
    [
        "It opened on 20th December 2023.",
        "the 4th of july",
        "In March, prices rose 3 percent.",
        "4thjuly",
        "A 30-km walk took 2 hours and twenty-five minutes.",
    ],
)
def test_real_numbers_pass_the_filters(text: str) -> None:
    found = numbers._en_numbers.__wrapped__(text)
    assert found
    if numbers._EN_UNIT.search(text):
        assert numbers._MAY_UNIT.search(text.lower())
    if numbers._EN_DATE_MONTH.search(text):
        assert any(n.values <= {3.0, 7.0, 12.0} and not n.digits for n in found)


_FLAT_EN_WORDS = regex.compile(
    r"\b(" + "|".join(sorted(numbers._WORD_VALUES, key=len, reverse=True)) + r")(?:-(\w+))?\b",
    regex.IGNORECASE,
)


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=10), st.sampled_from(["", " ", "-"]))
def test_number_word_trie_matches_the_flat_list(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    expected = [(m.span(), m.groups()) for m in _FLAT_EN_WORDS.finditer(text)]
    assert [(m.span(), m.groups()) for m in numbers._EN_WORDS.finditer(text)] == expected
