"""The punctuation checks' quick paths give what their full patterns give."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import punctuation

_PIECES = [
    "(", ")", "（", "）", "[", "]", "【", "】", "《", "》", "“", "”", "「", "」", "『", "』", '"',
    "Ａ", "ｚ", "０", "A", "中文", " ", "a1", "，", "。", "⺀", "々", "〇", "𠀀", "é", "_", "Z9",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_plain_sets_match_as_in_regex(pieces: list[str]) -> None:
    text = "".join(pieces)
    for fast in (punctuation._BRACKET, punctuation._FULL_ALNUM):
        slow = regex.compile(fast.pattern)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]
    assert len(punctuation._PAREN_OPEN.findall(text)) == text.count("(") + text.count("（")


def test_skipped_patterns_need_what_the_quick_tests_look_for() -> None:
    # Full-width punctuation is never ASCII; CJK–Latin spacing needs a space.
    assert not any(c.isascii() for c in punctuation._FULL_IN_EN.pattern.strip("[]"))
    assert punctuation._HAN_LATIN_SPACED.search("中 a")
    assert not punctuation._HAN_LATIN_SPACED.search("中\u3000a")


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_han_latin_spacing_matches_as_with_p_han(pieces: list[str]) -> None:
    text = "".join(pieces)
    for fast, slow in (
        (punctuation._HAN_LATIN_SPACED, r"\p{Han} [A-Za-z0-9]|[A-Za-z0-9] \p{Han}"),
        (punctuation._HAN_LATIN_TIGHT, r"\p{Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Han}"),
    ):
        expected = [m.span() for m in regex.finditer(slow, text)]
        assert [m.span() for m in fast.finditer(text)] == expected


@pytest.mark.parametrize(
    ("text", "lone"),
    [("", []), ("no brackets", []), ("(a) [b", [4]), ("“引号”）", [4]), ('say "hi', [4])],
)
def test_unbalanced(text: str, lone: list[int]) -> None:
    assert punctuation.unbalanced(text) == lone
