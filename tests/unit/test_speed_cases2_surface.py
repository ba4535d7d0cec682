"""Surface checks' second quick paths (letter runs, Chinese marks) give the plain results."""

from __future__ import annotations

import re
import sys

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from review.checks import CheckContext, surface
from review.lexicon import get_lexicon
from review.model import Pair

# Real QE sources: repeats ("you you", "and and", "WHY WHY WHY"), a doubled word that is no error
# ("ha ha"), and none.
_REAL_EN = [
    "No! you you are interested in delation, all should be deleted together.",
    "Tractate Kinnim in the Mishnah interpreted the laws of pairs of sacrificial pigeons and "
    "doves in and and",
    "ha ha, little racist protector can't deal with being called on his lies, what a surprise",
    "OIH!!!! WHY WHY WHY U REVERT MY EDIT?? IF U DUN LIKE ROTI CANAI U CAN DUN SEE IT U IDIOT~",
    "I am not the only one who finds the article too ridiculous and trivia to be included.",
    "Lansana Conté, 74, Guinean politician, President of Guinea since 1984, after long illness.",
]
_REAL_ZH = [
    "Lansana Cont é ， 74 岁 ， 几内亚政治家 ， 1984 年以来任几内亚总统 ， 长期患病。",
    '"亲爱的匿名用户/或""袜子人偶!我没有和你争吵的情绪.在那里寻找新的朋友:或.•"',
    '批评家雷内 · 克雷维尔 （ Ren é Crevel ） 称这位艺术家为 "梦幻者" ， "从深渊中" 。',
    "读午夜到黎明,由杰克琳·托宾(Jacqueline L Tobin)演唱,然后是Allman兄弟歌曲《午夜骑手》的歌词",
    "在他的一生中 ， 他至少向大约 1, 000 万听众传教了 18, 000 次。",
    "这是是是最好的——真的…「好」『吗』【对】〈书〉‘是’？！",
    "⺀部首⼀々〇 ½ Ⅻ café",
]
_ASCII_PIECES = [
    "the", "The", "THE", "them", "he", "a", "A", "x1", "_the", "the_", "(the", "the.", " ", "  ",
    "\t", "\n", "\x0b", "\x1c", "-", "'", "1", "is", "Is", "theme", "ha", "@", "~", "\x7f",
]  # fmt: skip


def _plain_runs(text: str) -> tuple[bytes, ...] | None:
    if not text.isascii():
        return None
    return tuple(m.group().lower().encode() for m in re.finditer("[A-Za-z]+", text))


@given(st.text(alphabet=st.characters(max_codepoint=0x17F), max_size=30))
def test_letter_runs_are_the_lower_cased_ascii_letter_runs(text: str) -> None:
    assert surface.ascii_letter_runs.__wrapped__(text) == _plain_runs(text)


@pytest.mark.parametrize("text", [*_REAL_EN, "", "ſ", "K"])
def test_letter_runs_of_real_text(text: str) -> None:
    assert surface.ascii_letter_runs.__wrapped__(text) == _plain_runs(text)


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(get_lexicon())


def _english_repeats(en: str, ctx: CheckContext) -> list[tuple[object, ...]]:
    result = surface.check_repeated(Pair(id="t", doc_id="t", en=en, zh=""), ctx)
    return [(f.code, f.message, f.en_span) for f in result.findings]


def _plain_repeats(en: str) -> list[tuple[object, ...]]:
    return [
        ("repeated-words", f"“{m.group(1)}” is repeated in the English source.", m.span())
        for m in surface._REPEAT_EN.finditer(en)
        if m.group(1).lower() not in surface._DOUBLE_OK
    ]


@pytest.mark.parametrize("en", _REAL_EN)
def test_real_english_repeats_are_those_of_the_full_pattern(en: str, ctx: CheckContext) -> None:
    assert _english_repeats(en, ctx) == _plain_repeats(en)


def test_real_english_repeats_are_found(ctx: CheckContext) -> None:
    assert [len(_english_repeats(en, ctx)) for en in _REAL_EN] == [1, 1, 0, 1, 0, 0]


@given(st.lists(st.sampled_from(_ASCII_PIECES), max_size=10))
def test_english_repeats_are_those_of_the_full_pattern(pieces: list[str]) -> None:
    ctx = CheckContext(get_lexicon())
    text = "".join(pieces)
    assert _english_repeats(text, ctx) == _plain_repeats(text)


def _plain_counts(text: str) -> tuple[int, int]:
    return len(regex.findall(r"\p{Han}", text)), len(regex.findall(r"[\p{L}\p{N}]", text))


@pytest.mark.parametrize("text", [*_REAL_ZH, *_REAL_EN])
def test_counts_of_real_text(text: str) -> None:
    assert surface.counts.__wrapped__(text) == _plain_counts(text)


_ZH_PIECES = [*surface.CJK_MARKS, "中文", "々", "⺀", "a", "Z9", " ", "é", "½", "𠀀", "·", "•"]


@given(st.lists(st.sampled_from(_ZH_PIECES), max_size=12))
def test_counts_with_chinese_marks(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert surface.counts.__wrapped__(text) == _plain_counts(text)


def test_chinese_marks_are_no_letters_digits_or_han() -> None:
    assert len(surface.CJK_MARKS) > 20
    assert not regex.search(r"[\p{L}\p{N}\p{Han}]", surface.CJK_MARKS)
    ascii_chars = "".join(map(chr, range(128)))
    assert not surface._NOT_ASCII_OR_CJK_MARK.search(ascii_chars + surface.CJK_MARKS)
    others = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    found = surface._NOT_ASCII_OR_CJK_MARK.findall(others)
    assert len(found) == len(others) - len(surface.CJK_MARKS)
