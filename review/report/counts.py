"""Word and character counts per side: EN words, ZH words (jieba), Han characters."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import regex

# A digit-group comma joins "30,000" into one word, as word counters for translation do.
_EN_WORD = regex.compile(r"[\p{L}\p{N}]+(?:(?:['’.\-]|(?<=\d),(?=\d))[\p{L}\p{N}]+)*")
_HAN = regex.compile(r"\p{Han}")
_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
_SPACE = regex.compile(r"\s")


@dataclass(frozen=True, slots=True)
class TextCounts:
    """Counts of one side of one pair; `chars` leaves whitespace out."""

    words: int = 0
    chars: int = 0
    han: int = 0

    def __add__(self, other: TextCounts) -> TextCounts:
        return TextCounts(self.words + other.words, self.chars + other.chars, self.han + other.han)


@functools.cache
def _jieba() -> Any:
    """The default jieba tokenizer, initialised once and silently (jieba logs to stderr)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def en_words(text: str) -> int:
    """English words: letter/digit runs joined by inner apostrophes, dots, hyphens, digit commas."""
    return sum(1 for _ in _EN_WORD.finditer(text))


def zh_words(text: str) -> int:
    """Chinese words: jieba tokens holding a letter or digit (punctuation is not a word)."""
    if not text.strip():
        return 0
    return sum(1 for token in _jieba().cut(text) if _WORDLIKE.search(token))


def chars(text: str) -> int:
    """Code points other than whitespace."""
    return len(text) - len(_SPACE.findall(text))


def count_en(text: str) -> TextCounts:
    """Counts of an English side."""
    return TextCounts(en_words(text), chars(text), len(_HAN.findall(text)))


def count_zh(text: str) -> TextCounts:
    """Counts of a Chinese side."""
    return TextCounts(zh_words(text), chars(text), len(_HAN.findall(text)))
