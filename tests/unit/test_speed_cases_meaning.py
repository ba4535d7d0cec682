"""The polarity check's quick paths give what its full patterns give."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import meaning

_EN_PIECES = [
    "fuck", "ffuuck", "f**k", "WTF", "bullshit", "class", "hello", "shut up", "die", "Dead",
    "don't", "DON'T", "won’t", "can't", "isn'T", "n'", "'t", "no", "Not", "nothing", "cannot",
    "without", "man's", "an'", "é", "ſ", " ", ", ", "-", "1",
]  # fmt: skip


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=8), st.sampled_from(["", " "]))
def test_one_stem_search_stands_for_both_lists(pieces: list[str], sep: str) -> None:
    lower = sep.join(pieces).lower()
    found = meaning._ANY_STEM.search(lower) is not None
    assert found == any(stem in lower for stem in meaning._OFFENSIVE_STEMS + meaning._STRONG_STEMS)


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=8), st.sampled_from(["", " "]))
def test_negation_without_n_apostrophe_needs_no_contraction_branch(
    pieces: list[str], sep: str
) -> None:
    text = sep.join(pieces)
    if not any(mark in text for mark in ("n'", "n’", "N'", "N’")):
        full = [m.span() for m in meaning._EN_NEGATION.finditer(text)]
        assert full == [m.span() for m in meaning._EN_NEGATION_PLAIN.finditer(text)]


def test_only_n_and_capital_n_match_n_without_case() -> None:
    pattern = regex.compile("(?i)n")
    assert [c for c in map(chr, range(0x30000)) if pattern.match(c)] == ["N", "n"]


_ZH_PIECES = [
    "不", "不仅", "不得不", "无论", "非常", "并非常", "没", "他妈的", "妈的", "屁股", "死", "该死",
    "别人", "特别", "是否", "否", "的", "我", " ", "。", "a",
]  # fmt: skip


@given(st.lists(st.sampled_from(_ZH_PIECES), max_size=10))
def test_chinese_patterns_match_as_in_regex(pieces: list[str]) -> None:
    text = "".join(pieces)
    for fast in (meaning._ZH_NEGATION, meaning._ZH_NEGATION_OK, meaning._ZH_OFFENSIVE):
        slow = regex.compile(fast.pattern)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]
