"""The punctuation checks' quick paths give what their full patterns give."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import punctuation

_PIECES = [
    "(", ")", "（", "）", "[", "]", "【", "】", "《", "》", "“", "”", "「", "」", "『", "』", '"',
    "Ａ", "ｚ", "０", "A", "中文", " ", "a1", "，", "。",
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
