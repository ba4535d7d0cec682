"""Polarity's letter-run shortcut for negation gives the full pattern's spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.checks import meaning, surface

# Real QE sources: negation words in several forms, contractions, and none.
_REAL = [
    "I have a right to make a discussion on that page. You have no reason to remove what I said.",
    "She did it to me. How come you are not warning and blocking her?",
    "I am not the only one who finds the article too ridiculous and trivia to be included.",
    "ha ha, little racist protector can't deal with being called on his lies, what a surprise",
    "Nothing was done; nobody came, and it was no longer news.",
    "Poirot's sidekick in two earlier novels and two short stories.",
    "Lansana Conté, 74, Guinean politician, President of Guinea since 1984, after long illness.",
    "Notes on knowledge: NOT1 no_ none-the-less, neither/nor.",
    "Nor did the committee agree, as the vote was without a quorum.",
]


def _spans(text: str) -> list[tuple[int, int]]:
    return meaning._en_negations(text, text.lower() if text.isascii() else None)


@pytest.mark.parametrize("text", _REAL)
def test_real_negations_are_those_of_the_full_pattern(text: str) -> None:
    assert _spans(text) == meaning._count(meaning._EN_NEGATION, meaning._EN_NEGATION_OK, text)


def test_real_negations_are_found() -> None:
    words = [[text[s:e] for s, e in _spans(text)] for text in _REAL]
    assert words[:5] == [["no"], ["not"], ["not"], ["can't"], ["Nothing", "nobody"]]
    assert words[5:] == [[], [], ["none", "neither", "nor"], ["Nor", "without"]]
    assert _spans("Nor did they.") == [(0, 3)]


@given(st.text(alphabet="notNOwhiecavdrRu'’ _1-.,", max_size=24))
def test_negations_in_generated_text(text: str) -> None:
    assert _spans(text) == meaning._count(meaning._EN_NEGATION, meaning._EN_NEGATION_OK, text)


def _strong_by_words(text: str) -> bool:
    runs = surface.ascii_letter_runs(text)
    assert runs is not None
    return meaning._may_be_strong_words(runs)


_STRONG_PIECES = [
    "fuck", "ffuuck", "f**k", "F*ck", "WTF", "bullshit", "class", "hello", "shut up", "shut", "die",
    "Dead", "diet", "assist", "ass", "Ass's", "hell", "shell", "butter", "motherf", "mother",
    "price", "prick", "path", "pathetic", "_", "1", "x", "f", "ff", "*", " ", "-", "'", "up",
]  # fmt: skip


@given(st.lists(st.sampled_from(_STRONG_PIECES), max_size=8), st.sampled_from(["", " ", "-"]))
def test_run_head_filter_never_hides_a_match(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    if meaning._may_be_strong(text.lower()):
        assert _strong_by_words(text), text


@pytest.mark.parametrize("text", _REAL)
def test_run_head_filter_on_real_text(text: str) -> None:
    if text.isascii():
        assert _strong_by_words(text) >= meaning._may_be_strong(text.lower())


def test_plain_real_text_fails_the_run_head_filter() -> None:
    assert not _strong_by_words(_REAL[0])
    assert _strong_by_words("What the hell is this shit?")
