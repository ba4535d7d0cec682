"""Text helpers the checks share: compiled patterns and per-text caches of tokens.

Several checks look at the same tokens of the same pair; the caches make that one jieba call.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from review.model import Finding, Severity, Span

if TYPE_CHECKING:
    from review.lexicon import Lexicon, ZhToken

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
HAN = regex.compile(r"\p{Han}")
HAN_RUN = regex.compile(r"\p{Han}+")
# Plain ASCII patterns use the standard library's `re`: it matches them faster, and `regex`
# releases and retakes the GIL on every call, which costs more than the match of a short text.
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’\-.&][A-Za-z]+)*")
EN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
LETTER = regex.compile(r"[\p{L}\p{N}]")

ZH_FUNCTION_WORDS = frozenset(
    [
        "的",
        "了",
        "着",
        "过",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "也",
        "都",
        "就",
        "而",
        "并",
        "把",
        "被",
        "将",
        "对",
        "从",
        "向",
        "于",
        "为",
        "以",
        "之",
        "其",
        "这",
        "那",
        "个",
        "些",
        "所",
        "等",
        "中",
        "上",
        "下",
        "里",
        "地",
        "得",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "他",
        "她",
        "它",
        "我",
        "你",
        "们",
        "他们",
        "她们",
        "它们",
        "我们",
        "你们",
        "这个",
        "那个",
        "这些",
        "那些",
        "一个",
        "已经",
        "还",
        "又",
        "很",
        "该",
        "此",
        "每",
        "各",
        "有",
        "没有",
        "会",
        "能",
        "可以",
        "要",
        "让",
        "使",
        "给",
        "到",
        "来",
        "去",
        "说",
        "个",
        "位",
        "种",
        "次",
        "后",
        "前",
        "时",
        "时候",
        "之后",
        "之前",
        "以及",
        "但",
        "但是",
        "因为",
        "所以",
        "如果",
        "虽然",
        "然而",
        "而且",
        "并且",
        "或者",
        "以便",
        "由于",
        "通过",
        "根据",
        "关于",
        "作为",
        "由",
        "则",
        "即",
        "且",
        "亦",
        "乃",
        "已",
        "曾",
        "正",
        "正在",
        "将会",
        "一些",
        "一直",
        "一起",
        "一样",
        "这样",
        "那样",
        "如何",
        "什么",
        "哪",
        "谁",
        "自己",
        "本",
        "该",
        "该等",
        "诸",
        "其他",
        "其它",
        "另",
        "另外",
        "更",
        "最",
        "非常",
        "十分",
        "一种",
        "一次",
        "进行",
    ]
)


class Word(NamedTuple):
    """An English word: its surface, lookup lemma and `[start, end)` offsets.

    A named tuple, not a frozen dataclass: one is built per word of every pair.
    """

    text: str
    lemma: str
    start: int
    end: int

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@functools.lru_cache(maxsize=4096)
def zh_tokens(lexicon: Lexicon, text: str) -> tuple[ZhToken, ...]:
    """jieba tokens of a ZH text, cached so every check shares one segmentation."""
    return tuple(lexicon.zh_tokens(text)) if text else ()


@functools.lru_cache(maxsize=4096)
def en_words(lexicon: Lexicon, text: str) -> tuple[Word, ...]:
    """English words of a text with lemmas and offsets, cached per text."""
    lemma = lexicon.en_lemma
    words = []
    for match in EN_WORD.finditer(text):
        word = match.group()
        start, end = match.span()
        # tuple.__new__ skips the named tuple's Python-level constructor.
        words.append(_new_tuple(Word, (word, lemma(word), start, end)))
    return tuple(words)


_new_tuple = tuple.__new__


@functools.lru_cache(maxsize=4096)
def han_tokens(lexicon: Lexicon, text: str) -> tuple[bool, ...]:
    """For each of `zh_tokens(lexicon, text)`: whether it is all Han characters."""
    known = _HAN_WORDS
    if len(known) >= 200_000:
        known.clear()
    flags = []
    for token in zh_tokens(lexicon, text):
        flag = known.get(token.text)
        if flag is None:
            flag = known[token.text] = HAN_RUN.fullmatch(token.text) is not None
        flags.append(flag)
    return tuple(flags)


# Token text → all Han? (tokens recur; a dict lookup is cheaper than the pattern)
_HAN_WORDS: dict[str, bool] = {}


@functools.lru_cache(maxsize=4096)
def zh_substrings(text: str, longest: int = 6) -> frozenset[str]:
    """Every substring of the Han runs of `text` up to `longest` characters.

    Checking a candidate set against this is one set intersection instead of many scans.
    """
    substrings: list[str] = []
    for run in HAN_RUN.findall(text):
        substrings += map(run.__getitem__, _substring_slices(len(run), longest))
    return frozenset(substrings)


@functools.lru_cache(maxsize=1024)
def _substring_slices(length: int, longest: int) -> tuple[slice, ...]:
    """The slices of every substring of a text of `length` up to `longest`, shortest first
    (sliced in one C-level pass, not a nested comprehension)."""
    return tuple(
        slice(start, start + size)
        for size in range(1, min(length, longest) + 1)
        for start in range(length - size + 1)
    )


def quote_words(words: list[str], limit: int = 6) -> str:
    """`“a”, “b” and 3 more` for messages."""
    shown = ", ".join(f"“{w}”" for w in words[:limit])
    rest = len(words) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def finding(
    code: str,
    severity: Severity,
    message: str,
    en_span: Span | None = None,
    zh_span: Span | None = None,
) -> Finding:
    """A Finding; spans of zero width become None so the UI never highlights nothing."""
    if en_span is not None and en_span[1] <= en_span[0]:
        en_span = None
    if zh_span is not None and zh_span[1] <= zh_span[0]:
        zh_span = None
    return Finding(code, severity, message, en_span, zh_span)


_ACRONYM_IN_PARENS = regex.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
_LETTERS = regex.compile(r"[A-Za-z]+")
_MINOR_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "&"})


def defined_acronyms(en: str) -> list[tuple[int, int]]:
    """Spans of “(ICT)” right after the words it abbreviates (“… Communication Technology”):
    a translation may drop such an acronym without losing anything."""
    spans: list[tuple[int, int]] = []
    if "(" not in en:
        return spans  # most texts: the pattern needs one
    for match in _ACRONYM_IN_PARENS.finditer(en):
        letters = [c for c in match.group(1) if c.isupper()]
        before = _LETTERS.findall(en[: match.start()])
        words = [w for w in before if w.lower() not in _MINOR_WORDS]
        initials = [w[0].upper() for w in words[-len(letters) :]] if letters else []
        if initials == letters:
            spans.append(match.span())
    return spans


def without_defined_acronyms(en: str) -> str:
    """The English with acronyms defined in place removed (for length comparisons)."""
    for start, end in reversed(defined_acronyms(en)):
        en = en[:start] + en[end:]
    return en


def trie_alternation(words: tuple[str, ...] | list[str]) -> str:
    """A pattern matching exactly the words, written as their character trie: each branch
    starts with a literal the engine rejects at once, so a scan costs far less than a flat
    list of alternatives."""
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def alternatives(node: dict[str, Any]) -> str:
        parts = [
            re.escape(char) + alternatives(child) for char, child in sorted(node.items()) if char
        ]
        if not parts:
            return ""
        if len(parts) == 1 and "" not in node:
            return parts[0]
        return "(?:" + "|".join(parts) + ")" + ("?" if "" in node else "")

    return alternatives(trie)
