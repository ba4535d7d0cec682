"""Surface checks: empty or identical sides, copied English, length ratio, repeated words."""

from __future__ import annotations

import functools
import math
import operator
import re

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import (
    HAN,
    LATIN_WORD,
    LETTER,
    en_words,
    finding,
    quote_words,
    without_defined_acronyms,
    zh_tokens,
)
from review.lexicon import EN_STOPWORDS
from review.model import Finding, Pair, Severity

# One Han character carries about as much text as 2.4 English letters (fitted on post-edits).
HAN_WEIGHT = 2.4
_REPEAT_ZH = regex.compile(r"(\p{Han}{1,4}?)\1{2,}|(\p{Han}{2,6})\2")
_REPEAT_EN = regex.compile(r"\b([A-Za-z]+)\s+\1\b", regex.IGNORECASE)
# Cheap tests in the standard `re` engine that every text the two patterns match passes (few
# texts do): a match of _REPEAT_ZH repeats a Han character three times over (XXX), or a Han
# bigram 2 to 6 characters on (XY…XY); `_HAN_OR_MORE` holds every \p{Han} (a test checks it).
_HAN_OR_MORE = (
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00016fe0-\U00016fff\U00020000-\U0003ffff]"
)
_MAY_REPEAT_ZH = re.compile(
    rf"({_HAN_OR_MORE})(?:\1\1|({_HAN_OR_MORE})(?:\1\2|.\1\2|..\1\2|...\1\2|....\1\2))",
    re.DOTALL,
)
# ASCII letters lower-cased and every other byte a space: `bytes.split` then gives a text's
# letter runs (see `ascii_letter_runs`).
_LETTERS_ONLY = bytes(c | 0x20 if c < 128 and chr(c).isalpha() else 0x20 for c in range(256))
# English words doubled on purpose ("had had", "that that") are no error.
_DOUBLE_OK = frozenset({"had", "that", "is", "do", "very", "bye", "no", "yes", "ha", "so"})


@functools.lru_cache(maxsize=4096)
def ascii_letter_runs(text: str) -> tuple[bytes, ...] | None:
    """The maximal runs of ASCII letters of an ASCII text, lower-cased, in order; None for other
    text. Word filters of several checks look these up instead of scanning the text each."""
    if not text.isascii():
        return None
    return tuple(text.encode().translate(_LETTERS_ONLY).split())


def length_log_ratio(en: str, zh: str) -> float:
    """log of ZH length over EN length, in EN-letter equivalents (0 ≈ typical)."""
    han, letters = counts(zh)
    other = letters - han
    return math.log((han * HAN_WEIGHT + other + 1.0) / (counts(en)[1] + 1.0))


@functools.lru_cache(maxsize=4096)
def counts(text: str) -> tuple[int, int]:
    """Han characters and letters-or-digits (`LETTER`, Han included) in the text."""
    if text.isascii():
        # ASCII has no Han, and its letters and digits are [A-Za-z0-9] (a test checks it).
        return 0, text.encode().translate(_ASCII_ALNUM_TO_A).count(_A)
    # Han letters go in one pass of the standard engine; the few characters left (punctuation,
    # Latin) are counted on their own, often as ASCII.
    rest = _HAN_LETTER_RUN.sub("", text)
    han = len(text) - len(rest)
    if rest.isascii() or _NOT_ASCII_OR_CJK_MARK.search(rest) is None:
        # Chinese punctuation is neither a letter, a digit nor Han (a test checks it).
        return han, han + rest.encode("ascii", "ignore").translate(_ASCII_ALNUM_TO_A).count(_A)
    letters = han + sum(map(len, _LETTER_RUN.findall(rest)))
    return han + len(_HAN_SYMBOL.findall(rest)), letters


_LETTER_RUN = regex.compile(r"[\p{L}\p{N}]+")
# ASCII letters and digits to "a", every other byte to a space: counting "a"s after a translate
# with a table alone is cheaper than deleting (which builds a table on every call).
_A = ord("a")
_ASCII_ALNUM_TO_A = bytes(_A if c < 128 and chr(c).isalnum() else 0x20 for c in range(256))
# The marks of Chinese text, none a letter, digit or Han character (a test checks it).
CJK_MARKS = "。，、·《》“”‘’（）—…：；！？「」『』【】〈〉"
_NOT_ASCII_OR_CJK_MARK = re.compile(f"[^\\x00-\\x7f{CJK_MARKS}]")
# \p{Han} split into its letters-or-digits ([\p{L}\p{N}]) and the rest (radicals), as code point
# ranges for the standard `re` engine; a test checks them against `regex` on every code point.
# fmt: off
_HAN_LETTER_RANGES = (
    (0x3005, 0x3005), (0x3007, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x16FE3, 0x16FE3),
    (0x16FF2, 0x16FF6), (0x20000, 0x2A6DF), (0x2A700, 0x2B81E), (0x2B820, 0x2CEAD),
    (0x2CEB0, 0x2EBE0), (0x2EBF0, 0x2EE5D), (0x2F800, 0x2FA1D), (0x30000, 0x3134A),
    (0x31350, 0x33479),
)
_HAN_SYMBOL_RANGES = (
    (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x16FE2, 0x16FE2), (0x16FF0, 0x16FF1),
)
# fmt: on


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"


_HAN_LETTER_RUN = re.compile(_char_class(_HAN_LETTER_RANGES) + "+")
_HAN_SYMBOL = re.compile(_char_class(_HAN_SYMBOL_RANGES))
# \p{Han} as a character class of the standard `re` engine, for patterns that need no other
# Unicode property there.
HAN_CLASS = _char_class(_HAN_LETTER_RANGES + _HAN_SYMBOL_RANGES)


def check_empty(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Untranslated (no ZH), ZH-only (no EN) and identical sides."""
    en, zh = pair.en.strip(), pair.zh.strip()
    if not en and not zh:
        return CheckResult((finding("empty", Severity.MINOR, "Both sides are empty."),))
    if not zh:
        return CheckResult(
            (
                finding(
                    "untranslated",
                    Severity.MAJOR,
                    "No Chinese for this English: it was left untranslated.",
                    (pair.en.find(en[:1]), len(pair.en.rstrip())),
                ),
            )
        )
    if not en:
        return CheckResult(
            (
                finding(
                    "zh-only",
                    Severity.MINOR,
                    "Chinese with no English source (an addition or a translator's note).",
                    zh_span=(pair.zh.find(zh[:1]), len(pair.zh.rstrip())),
                ),
            )
        )
    if en == zh and LETTER.search(en):
        return CheckResult(
            (
                finding(
                    "identical",
                    Severity.MAJOR if HAN.search(zh) is None else Severity.MINOR,
                    "The Chinese side is a copy of the English side.",
                    (0, len(pair.en)),
                    (0, len(pair.zh)),
                ),
            ),
            {"identical": 1.0},
        )
    return CheckResult()


def check_copied(pair: Pair, ctx: CheckContext) -> CheckResult:
    """English words copied into the Chinese instead of translated."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    han, letters = counts(pair.zh)
    letters -= han
    latin_share = letters / max(1, letters + han * HAN_WEIGHT)
    en_lower: set[str] | None = None
    copied: list[tuple[str, int, int]] = []
    for match in LATIN_WORD.finditer(pair.zh) if letters else ():
        word = match.group()
        # A lower-case dictionary word found in the source: translatable, yet left in English.
        if not word.islower() or len(word) <= 2:
            continue
        if en_lower is None:
            en_lower = {w.text.lower() for w in en_words(ctx.lexicon, pair.en)}
        if (
            word in en_lower
            and word not in EN_STOPWORDS
            and ctx.lexicon.zh_for_en(ctx.lexicon.en_lemma(word))
        ):
            copied.append((word, match.start(), match.end()))
    findings: list[Finding] = []
    if han == 0 and letters > 0 and LETTER.search(pair.en):
        findings.append(
            finding(
                "untranslated",
                Severity.CRITICAL,
                "The Chinese side has no Chinese: the English was left untranslated.",
                (0, len(pair.en)),
                (0, len(pair.zh)),
            )
        )
    elif copied:
        findings.append(
            finding(
                "copied-english",
                Severity.MAJOR if len(copied) > 2 else Severity.MINOR,
                f"English left untranslated in the Chinese: {quote_words([c[0] for c in copied])}.",
                zh_span=(copied[0][1], copied[-1][2]),
            )
        )
    return CheckResult(
        tuple(findings),
        {"latin_share": latin_share, "copied": float(len(copied)), "no_han": float(han == 0)},
    )


def check_length(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Length ratio far from what the EN–ZH length model expects."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    mean, sd = ctx.length_model
    z = (length_log_ratio(without_defined_acronyms(pair.en), pair.zh) - mean) / sd
    features = {"z": z, "z_short": max(0.0, -z), "z_long": max(0.0, z)}
    letters = counts(pair.en)[1]
    # Short lines (headings) vary too much in length to say anything.
    if abs(z) < 3.0 or letters < 60:
        return CheckResult((), features)
    if z < 0:
        text = (
            "The Chinese is much shorter than the English usually needs: something may be missing."
        )
    else:
        text = "The Chinese is much longer than the English usually needs: something may be added."
    severity = Severity.MAJOR if abs(z) >= 4.5 else Severity.MINOR
    return CheckResult(
        (
            finding(
                "length-ratio",
                severity,
                f"{text} (z = {z:+.1f})",
                (0, len(pair.en)),
                (0, len(pair.zh)),
            ),
        ),
        features,
    )


def check_repeated(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Words or phrases repeated back to back, a typical machine-translation loop."""
    findings: list[Finding] = []
    en, zh = pair.en, pair.zh
    # In ASCII text a match of _REPEAT_EN is a whole letter run, spaces and the same run again
    # (in any case): two equal runs side by side. Few texts have any.
    runs = ascii_letter_runs(en)
    en_matches = (
        [m for m in _REPEAT_EN.finditer(en) if m.group(1).lower() not in _DOUBLE_OK]
        if runs is None or any(map(operator.eq, runs, runs[1:]))
        else []
    )
    en_repeats = len(en_matches)
    zh_repeats = 0
    for match in _REPEAT_ZH.finditer(zh) if _MAY_REPEAT_ZH.search(zh) else ():
        unit = match.group(1) or match.group(2)
        if _is_reduplication(ctx, pair.zh, match.start(), match.end(), unit):
            continue
        zh_repeats += 1
        findings.append(
            finding(
                "repeated-words",
                Severity.MAJOR if match.group(1) else Severity.MINOR,
                f"“{unit}” is repeated back to back in the Chinese.",
                zh_span=(match.start(), match.end()),
            )
        )
    for match in en_matches:
        findings.append(
            finding(
                "repeated-words",
                Severity.MINOR,
                f"“{match.group(1)}” is repeated in the English source.",
                (match.start(), match.end()),
            )
        )
    return CheckResult(tuple(findings), {"zh_repeats": float(max(0, zh_repeats - en_repeats))})


def _is_reduplication(ctx: CheckContext, zh: str, start: int, end: int, unit: str) -> bool:
    """Chinese doubles words on purpose (看看, 常常, 研究研究) when jieba keeps them as one word."""
    if len(unit) == 1 and end - start == 2:
        return True
    for token in zh_tokens(ctx.lexicon, zh):
        if token.start <= start and token.end >= end:
            return True
    return end - start == 2 * len(unit) and bool(ctx.lexicon.glosses(unit + unit))
