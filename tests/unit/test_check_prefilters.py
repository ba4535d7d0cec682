"""The shortcuts of the polarity and number checks give the same matches as their full patterns."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import meaning, numbers

# Words and pieces that the patterns match or nearly match, in any capitalisation.
_PIECES = [
    "fuck", "FFUUCK", "f**k", "motherfucker", "WTF", "bullshit", "Jackass", "shut up",
    "Dead", "homo", "homophobe", "kill", "die", "diet", "studied", "hell", "hello", "ass",
    "class", "don't", "won’t", "can't", "cannot", "Nothing", "not only", "no", "he", "the",
    "piss", "suck", "suckers", "vandalism", "shut", "up", "f", "u", "c", "k", "*", "'",
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["What the fuck is this", "F**K OFF", "You are a Jackass.", "shut up now", "He is dead"],
)
def test_offensive_text_passes_the_filter(text: str) -> None:
    lower = text.lower()
    assert meaning._EN_OFFENSIVE.search(text)
    assert meaning._may_match(lower, meaning._OFFENSIVE_STEMS)


@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.sampled_from([" ", "", ", "]))
def test_filters_never_hide_a_match(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    lower = text.lower() if text.isascii() else None
    if meaning._EN_OFFENSIVE.search(text):
        assert meaning._may_match(lower, meaning._OFFENSIVE_STEMS)
    if meaning._ANY_STRONG.search(text):
        assert meaning._may_match(lower, meaning._STRONG_STEMS)
    if "'" not in text and "’" not in text:
        full = [m.span() for m in meaning._EN_NEGATION.finditer(text)]
        assert full == [m.span() for m in meaning._EN_NEGATION_PLAIN.finditer(text)]


def _shortest_matches(pattern: str) -> list[str]:
    """The shortest text each alternative of a word-list pattern matches ("f+u+c+k\\w*" →
    "fuck"), for the simple forms the polarity lists use."""
    body = pattern.replace(r"\b", "").replace(r"\w*", "")
    if body.startswith("(?:") and body.endswith(")"):
        body = body[3:-1]
    return [
        regex.sub(r"(\\?.)\+", r"\1", alternative).replace("\\*", "*")
        for alternative in body.split("|")
    ]


@pytest.mark.parametrize(
    ("pattern", "stems"),
    [
        (meaning._EN_OFFENSIVE, meaning._OFFENSIVE_STEMS),
        *((strong, meaning._STRONG_STEMS) for strong, _ in meaning._STRONG),
    ],
)
def test_every_listed_word_has_a_stem(pattern: regex.Pattern[str], stems: tuple[str, ...]) -> None:
    # A word added to a pattern without a stem would be silently filtered out.
    for text in _shortest_matches(pattern.pattern):
        assert pattern.search(text), text
        assert meaning._may_match(text.lower(), stems), text


def test_non_ascii_text_is_never_filtered() -> None:
    assert meaning._may_match(None, meaning._OFFENSIVE_STEMS)


_NUMBER_PIECES = [
    "two", "Twenty-five", "SECOND", "half", "often", "tens", "pair", "repair", "twenty",
    "five_", "3", "x", "-", "'", "’", "of", "both", "Dozen", "ten", "é", "ſix", "ninety9",
]  # fmt: skip


@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=8), st.sampled_from([" ", "", "-"]))
def test_number_word_filter_never_hides_a_match(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    if numbers._EN_WORDS.search(text):
        assert numbers._may_have_number_words(text)
