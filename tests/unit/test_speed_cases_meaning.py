"""The polarity check's quick paths give what its full patterns give."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import meaning, surface

_EN_PIECES = [
    "fuck", "ffuuck", "f**k", "WTF", "bullshit", "class", "hello", "shut up", "die", "Dead",
    "don't", "DON'T", "won’t", "can't", "isn'T", "n'", "'t", "no", "Not", "nothing", "cannot",
    "without", "man's", "an'", "é", "ſ", " ", ", ", "-", "1", "full", "hello", "diet", "class",
    "Jackass", "asshole", "motherfucker", "butter", "_", "x", "f", "u", "c", "k", "*", "up",
]  # fmt: skip


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=8), st.sampled_from(["", " "]))
def test_stem_tries_find_what_substring_tests_find(pieces: list[str], sep: str) -> None:
    lower = sep.join(pieces).lower()
    for stems in (meaning._OFFENSIVE_STEMS, meaning._STRONG_STEMS):
        assert meaning._may_match(lower, stems) == any(stem in lower for stem in stems)


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


def _alternatives(pattern: str) -> list[str]:
    if pattern.startswith(r"\b(?:") and pattern.endswith(r")\b"):
        pattern = pattern[5:-3]
    return pattern.split("|")


def _samples(alternative: str) -> list[str]:
    """Texts an alternative of the word lists matches: each `x+` once and twice, `\\w*` empty
    and "s" ("f+u+c+k\\w*" → "fuck", "ffuuccks", …)."""
    texts = [""]
    for token in regex.findall(r"\\w\*|\\.\+?|[^\\]\+?", alternative.replace(r"\b", "")):
        if token == r"\w*":
            options = ["", "s"]
        elif token.endswith("+"):
            char = token[:-1].lstrip("\\")
            options = [char, char * 2]
        else:
            options = [token.lstrip("\\")]
        texts = [text + option for text in texts for option in options]
    return texts


def test_every_listed_word_passes_the_word_start_filter() -> None:
    patterns = [meaning._EN_OFFENSIVE, *(strong for strong, _ in meaning._STRONG)]
    count = 0
    for pattern in patterns:
        for alternative in _alternatives(pattern.pattern):
            for sample in _samples(alternative):
                for text in (
                    sample,
                    f"Oh, {sample.upper()}!",
                    f"({sample.capitalize()})",
                    f"x({sample.capitalize()})2",
                ):
                    assert pattern.search(text), (alternative, text)
                    assert meaning._may_be_strong(text.lower()), (alternative, text)
                    # The letter-run form of the filter, used on ASCII text, passes it too.
                    runs = surface.ascii_letter_runs(text)
                    assert runs is not None and meaning._may_be_strong_words(runs), text
                    count += 1
    assert count > 300


@given(st.lists(st.sampled_from(_EN_PIECES), max_size=8), st.sampled_from(["", " ", "-"]))
def test_word_start_filter_never_hides_a_match(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    if text.isascii() and (meaning._EN_OFFENSIVE.search(text) or meaning._ANY_STRONG.search(text)):
        assert meaning._may_be_strong(text.lower()), text


_NEGATION_PIECES = [
    "not", "NOT", "Not only", "no", "No", "no_", "_no", "no1", "2no", "nothing", "Nobody", "noNE",
    "nor", "neither", "nowhere", "never", "cannot", "can not", "without", "no longer", "no doubt",
    "don't", "isn’t", "n't", "note", "know", "é", "ſ", "-", ".", "'", " ",
]  # fmt: skip


@given(st.lists(st.sampled_from(_NEGATION_PIECES), max_size=8), st.sampled_from(["", " ", ","]))
def test_negation_spans_are_those_of_the_full_pattern(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    lower = text.lower() if text.isascii() else None
    full = meaning._count(meaning._EN_NEGATION, meaning._EN_NEGATION_OK, text)
    assert meaning._en_negations(text, lower) == full


_ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_only_three_characters_match_an_ascii_letter_without_being_one() -> None:
    non_ascii = _ALL_CHARS[128:]
    found = {
        c
        for letter in "abcdefghijklmnopqrstuvwxyz"
        for c in regex.findall(f"(?i){letter}", non_ascii)
    }
    assert found == {"\u0130", "\u017f", "\u212a"}  # İ, ſ, K (Kelvin)


def test_lower_casing_changes_only_word_characters() -> None:
    changed = "".join(c for c in _ALL_CHARS if c.lower() != c)
    assert regex.fullmatch(r"\w+", changed)


_MIXED_PIECES = [
    "fuck", "Fuck", "DEAD", "hell", "Hell’s", "ass", "butt", "shit", "é", "Éfuck", "fuckÉ", "ſhit",
    "\u212aILL", "KILL", "\u0130diot", "Ⅻ", "’", "“", "中文", " ", "-", "die", "diet", "wtf",
    "f**k", "ffuuck",
]  # fmt: skip


@given(st.lists(st.sampled_from(_MIXED_PIECES), max_size=8), st.sampled_from(["", " ", "—"]))
def test_word_filters_never_hide_a_match_in_any_text(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    lower = meaning._word_lower(text)
    if lower is None:
        return
    if meaning._EN_OFFENSIVE.search(text):
        assert meaning._may_be_strong(lower), text
        assert meaning._may_match(lower, meaning._OFFENSIVE_STEMS), text
    if meaning._ANY_STRONG.search(text):
        assert meaning._may_be_strong(lower), text
        assert meaning._may_match(lower, meaning._STRONG_STEMS), text
