"""Number checks: digits, Chinese numerals, 万/亿 scaling, percentages, ordinals, dates, units.

Each side's numbers become sets of candidate values (30,000 → {30000}; 3万 → {30000};
1990s → {1990, 90}; December next to a day or year → {12}); a number whose values the other
side lacks is reported.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import MONTHS, finding, trie_alternation
from review.checks.surface import ascii_letter_runs
from review.model import Finding, Pair, Severity, Span

# Not after a letter (MP3), inside a number (1.5, 1,000) or in the emoticon "<3".
_EN_DIGITS = regex.compile(
    r"(?<![\w.,<])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(st|nd|rd|th|s|'s)?(?![\d])"
    r"(?:\s*(%|per ?cent\b|percent\b))?"
    r"(?:[\s-]*(thousand|million|billion|trillion|bn)\b)?",
    regex.IGNORECASE,
)
_WORD_VALUES = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "dozen": 12,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "twentieth": 20,
    "hundredth": 100,
    "twice": 2,
    "double": 2,
    "triple": 3,
    "both": 2,
    "pair": 2,
    "half": 0.5,
}
# Words that name a number but so often mean something else that their absence is no evidence.
_WEAK_WORDS = frozenset(
    {
        "second",
        "both",
        "pair",
        "double",
        "half",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
    }
)
# Each match's word is a whole \w run, so at most one word fits at a place and the trie finds
# what a flat list of the words finds (a test compares them), faster.
_EN_WORDS = regex.compile(
    r"\b(" + trie_alternation(list(_WORD_VALUES)) + r")(?:-(\w+))?\b", regex.IGNORECASE
)
_MONTHS = {month: number for number, month in enumerate(MONTHS, start=1)}
# A capitalised month name is a date part (March → 3月) even without a day or year next to it.
_EN_DATE_MONTH = regex.compile(
    r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\b"
    r"|(?:\d{1,4}(?:st|nd|rd|th)?\s*(?:of\s+)?)((?i:" + "|".join(_MONTHS) + r"))\b"
)
_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}

# Not after a letter, inside a number (1.5, an address 10.0.0.1), after "vol." or "..." or in
# "<3", as in the English; after a half-width comma or full stop that ends a Chinese clause
# ("很好,70个"), yes.
_ZH_DIGITS = regex.compile(
    r"(?<![\dA-Za-z<])(?<![\dA-Za-z.][.,])(\d{1,3}(?:(?:, ?| )\d{3})+(?!\d)|\d+)(\.\d+)?"
    r"(?:\s*[多余]?\s*(千万|百万|十万|万亿|亿|万|千))?"
)
# Digits glued to a Latin word in the Chinese ("PlayStation3" for "PlayStation 3"): they keep
# the English number, but are no number of their own (MP3).
_ZH_GLUED_DIGITS = regex.compile(r"(?<=[A-Za-z])\d+(?!\.?\d)")
_ZH_NUMERAL = regex.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_ZH_DIGIT_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_SCALE = {"千万": 1e7, "百万": 1e6, "十万": 1e5, "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}

# An English unit right after a number, and the Chinese that can render it.
_UNITS: dict[str, tuple[str, ...]] = {
    "km": ("公里", "千米", "km"),
    "kilomet": ("公里", "千米", "km"),
    "mile": ("英里", "哩", "mile"),
    "metre": ("米", "公尺"),
    "meter": ("米", "公尺"),
    "cm": ("厘米", "公分", "cm"),
    "mm": ("毫米", "mm"),
    "kg": ("公斤", "千克", "kg"),
    "kilogram": ("公斤", "千克"),
    "tonne": ("吨",),
    "ton": ("吨",),
    "feet": ("英尺", "呎", "尺"),
    "foot": ("英尺", "呎", "尺"),
    "ft": ("英尺", "呎"),
    "inch": ("英寸", "吋", "寸"),
    "acre": ("英亩", "亩"),
    "hectare": ("公顷",),
    "dollar": ("美元", "元", "$"),
    "euro": ("欧元", "€"),
    "yuan": ("元", "人民币"),
    "rupee": ("卢比",),
    "pound": ("磅", "英镑", "£"),
    "degree": ("度", "°"),
    "hour": ("小时", "钟头", "时"),
    "minute": ("分钟", "分"),
    "second": ("秒",),
    "day": ("天", "日"),
    "week": ("周", "星期", "礼拜"),
    "month": ("月",),
    "year": ("年", "岁"),
    "century": ("世纪",),
    "percent": ("%", "％", "百分之"),
}
_EN_UNIT = regex.compile(
    r"\d(?:[\d,.]*)\s*(?:thousand|million|billion)?\s*-?\s*"
    r"(km|kilomet\w*|miles?|metres?|meters?|cm|mm|kg|kilograms?|tonnes?|tons?|feet|foot|ft|"
    r"inch(?:es)?|acres?|hectares?|dollars?|euros?|yuan|rupees?|pounds?|degrees?|hours?|"
    r"minutes?|seconds?|days?|weeks?|months?|years?|centur(?:y|ies)|percent|per cent)\b",
    regex.IGNORECASE,
)


# Quick tests that let most texts skip the patterns below. \d is the same as theirs; the others
# run on ASCII text, lower-cased where the pattern ignores case (there, the same thing).
_DIGIT = regex.compile(r"\d")
_ANY_MONTH = re.compile(trie_alternation(MONTHS))
_CAPITAL_MONTH = re.compile(trie_alternation([month.capitalize() for month in MONTHS]))
# The start of every unit `_EN_UNIT` names (a test checks it); with the number before it, a test
# that passes few texts: most numbers carry no unit.
_UNIT_STEMS = (
    "km", "kilomet", "mile", "metre", "meter", "cm", "mm", "kg", "kilogram", "ton", "feet",
    "foot", "ft", "inch", "acre", "hectare", "dollar", "euro", "yuan", "rupee", "pound",
    "degree", "hour", "minute", "second", "day", "week", "month", "year", "centur", "percent",
    "per cent",
)  # fmt: skip
_MAY_UNIT = re.compile(
    r"\d[\d,.]*\s*(?:thousand|million|billion)?\s*-?\s*" + trie_alternation(_UNIT_STEMS)
)
# The number words as `ascii_letter_runs` gives them.
_NUMBER_WORD_BYTES = frozenset(word.encode("ascii") for word in _WORD_VALUES)
# `regex`'s \d in the standard engine's terms: \d there is a subset of it, and the digits only
# `regex` knows are outside the Basic Multilingual Plane (tests check both on every code point).
# A text with none of these has no digit; most texts have none.
_MAY_BE_DIGIT = re.compile(r"[\d\U00010000-\U0010ffff]")
# ASCII digits to "0", every other byte to "a": a digit is then a "0" byte found by memchr.
_DIGIT_TO_0 = bytes(0x30 if 0x30 <= c <= 0x39 else 0x61 for c in range(256))
# Plain literals with no flags: the standard engine matches them as `regex` does, faster.
_ZH_NUMERAL_FAST = re.compile(_ZH_NUMERAL.pattern)


class Number(NamedTuple):
    """A number found in one side: its candidate values, span and whether it was digits.

    A named tuple, not a frozen dataclass: texts are full of numbers (一 alone is one), and a
    frozen dataclass sets each field through `object.__setattr__`.
    """

    values: frozenset[float]
    span: Span
    text: str
    digits: bool


# tuple.__new__ skips the named tuple's Python-level constructor.
_new_tuple = tuple.__new__


def _key(value: float) -> float:
    return float(f"{value:.6g}")


def en_numbers(text: str) -> list[Number]:
    """Numbers of an English text (digits, number words, ordinals, months in dates)."""
    return list(_en_numbers(text))


@functools.lru_cache(maxsize=4096)
def _en_numbers(text: str) -> tuple[Number, ...]:
    found: list[Number] = []
    taken: list[Span] = []
    digit = has_digit(text)
    for match in _EN_DIGITS.finditer(text) if digit else ():
        if _is_footnote(text, match):
            continue
        whole, fraction, suffix, _percent, scale = match.groups()
        value = float(whole.replace(",", "") + (fraction or ""))
        values = {value}
        if scale:
            values = {value * _SCALE[scale.lower()]}
        if suffix and suffix.lower() in ("s", "'s") and value >= 1000 and value % 10 == 0:
            values.add(value % 100)  # the 1990s → 90年代
            values.add(value // 100 + 1)  # the 1960s → 20世纪60年代
        end = match.end() if scale else match.end(2) if fraction else match.end(1)
        found.append(
            _new_tuple(
                Number,
                (
                    frozenset(_key(v) for v in values),
                    (match.start(), end),
                    text[match.start() : end],
                    True,
                ),
            )
        )
        taken.append(match.span())
    for match in _EN_WORDS.finditer(text) if _may_have_number_words(text) else ():
        if any(s <= match.start() < e for s, e in taken):
            continue
        word = match.group(1).lower()
        value = float(_WORD_VALUES[word])
        second = (match.group(2) or "").lower()
        if second in _WORD_VALUES and _WORD_VALUES[second] < 10:
            value += _WORD_VALUES[second]  # twenty-five
        found.append(
            _new_tuple(Number, (frozenset({_key(value)}), match.span(), match.group(), False))
        )
    # A date needs a capitalised month name, or a digit and a month name in any case.
    may_date = (
        not text.isascii()
        or _CAPITAL_MONTH.search(text)
        or (digit and _ANY_MONTH.search(text.lower()))
    )
    for match in _EN_DATE_MONTH.finditer(text) if may_date else ():
        group = 1 if match.group(1) else 2
        month = _MONTHS[match.group(group).lower()]
        found.append(
            _new_tuple(
                Number, (frozenset({float(month)}), match.span(group), match.group(group), False)
            )
        )
    return tuple(sorted(found, key=lambda n: n.span))


def _is_footnote(text: str, match: regex.Match[str]) -> bool:
    """Whether the number is a reference mark such as "[25]" (which MT may drop or keep)."""
    start, end = match.span()
    return text[start - 1 : start] == "[" and text[end : end + 1] == "]"


def _may_have_number_words(text: str) -> bool:
    """False when _EN_WORDS cannot match: in ASCII text each of its matches is a whole letter
    run (\\b on both sides, or a hyphen after it), and no run is a number word. Most texts:
    the many-branch pattern costs more than this."""
    runs = ascii_letter_runs(text)
    # Case-insensitive matching of non-ASCII letters (ſ) is not lower-casing: no shortcut.
    return runs is None or not _NUMBER_WORD_BYTES.isdisjoint(runs)


def has_digit(text: str) -> bool:
    """Whether `regex`'s \\d finds a digit in the text (without a `regex` call on most texts)."""
    if text.isascii():
        return 0x30 in text.encode().translate(_DIGIT_TO_0)
    return _MAY_BE_DIGIT.search(text) is not None and _DIGIT.search(text) is not None


def parse_zh_numeral(text: str) -> float | None:
    """Value of a Chinese numeral: 三 → 3, 二十 → 20, 两万五千 → 25000, 二〇二三 → 2023."""
    if not text:
        return None
    if not any(c in _ZH_UNIT or c in _ZH_BIG for c in text):
        if any(c not in _ZH_DIGIT_VALUE for c in text):
            return None
        return float("".join(str(_ZH_DIGIT_VALUE[c]) for c in text))
    total = 0
    section = 0
    digit: int | None = None
    for char in text:
        if char in _ZH_DIGIT_VALUE:
            digit = _ZH_DIGIT_VALUE[char]
        elif char in _ZH_UNIT:
            section += (1 if digit is None else digit) * _ZH_UNIT[char]
            digit = None
        else:  # 万 or 亿 closes a section
            section += digit or 0
            if char == "亿":
                total = (total + section) * _ZH_BIG[char]
            else:
                total += section * _ZH_BIG[char]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def zh_numbers(text: str) -> list[Number]:
    """Numbers of a Chinese text: Arabic digits with 万/亿 scaling, and Chinese numerals."""
    return list(_zh_numbers(text))


@functools.lru_cache(maxsize=4096)
def _zh_numbers(text: str) -> tuple[Number, ...]:
    found: list[Number] = []
    for match in _ZH_DIGITS.finditer(text) if has_digit(text) else ():
        if _is_footnote(text, match):
            continue
        whole, fraction, scale = match.groups()
        value = float(whole.replace(",", "").replace(" ", "") + (fraction or ""))
        values = {value * _ZH_SCALE[scale]} if scale else {value}
        found.append(
            _new_tuple(
                Number, (frozenset(_key(v) for v in values), match.span(), match.group(), True)
            )
        )
    for run in _ZH_NUMERAL_FAST.finditer(text):
        numeral = run.group()
        parsed = _numeral_values(numeral)
        if parsed is not None:
            found.append(_new_tuple(Number, (parsed, run.span(), numeral, False)))
    return tuple(sorted(found, key=lambda n: n.span))


@functools.lru_cache(maxsize=1024)
def _numeral_values(numeral: str) -> frozenset[float] | None:
    """The value of a run of numeral characters as a `Number`'s values; None for no number.
    Texts share a few numerals (一, 两, 三), so they are worth keeping."""
    parsed = parse_zh_numeral(numeral)
    if parsed is None or (parsed == 0 and "零" not in numeral and "〇" not in numeral):
        return None
    return frozenset({_key(parsed)})


def check_numbers(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Numbers in one side with no equal value in the other, and units that were not carried."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    en_nums, zh_nums = _en_numbers(pair.en), _zh_numbers(pair.zh)
    if not en_nums and not zh_nums:
        return CheckResult()
    zh_values = frozenset().union(*(n.values for n in zh_nums)) if zh_nums else frozenset()
    en_values = frozenset().union(*(n.values for n in en_nums)) if en_nums else frozenset()
    en_missing = [n for n in en_nums if not n.values & zh_values]
    if en_missing:
        glued = {_key(float(m.group())) for m in _ZH_GLUED_DIGITS.finditer(pair.zh)}
        en_missing = [n for n in en_missing if not n.values & glued]
    en_digits_missing = [n for n in en_missing if n.digits]
    en_words_missing = [
        n
        for n in en_missing
        if not n.digits and n.text.lower() not in _WEAK_WORDS and n.text.lower() not in _MONTHS
    ]
    zh_extra = [n for n in zh_nums if n.digits and not n.values & en_values]
    findings: list[Finding] = []
    if en_digits_missing and zh_extra:
        findings.append(
            finding(
                "number-mismatch",
                Severity.CRITICAL,
                f"The English says {en_digits_missing[0].text}, the Chinese "
                f"{zh_extra[0].text.strip()}.",
                en_digits_missing[0].span,
                zh_extra[0].span,
            )
        )
        en_digits_missing, zh_extra = en_digits_missing[1:], zh_extra[1:]
    for number in en_digits_missing:
        findings.append(
            finding(
                "number-missing",
                Severity.CRITICAL,
                f"The number {number.text} has no equal in the Chinese.",
                number.span,
            )
        )
    for number in zh_extra:
        findings.append(
            finding(
                "number-added",
                Severity.MAJOR,
                f"The Chinese has the number {number.text.strip()}, which the English lacks.",
                zh_span=number.span,
            )
        )
    for number in en_words_missing:
        findings.append(
            finding(
                "number-missing",
                Severity.MINOR,
                f"“{number.text}” has no matching number in the Chinese.",
                number.span,
            )
        )
    unit_missing = 0
    en = pair.en
    may_unit = _MAY_UNIT.search(en.lower()) if en.isascii() else has_digit(en)
    for match in _EN_UNIT.finditer(en) if may_unit else ():
        unit = match.group(1).lower()
        forms = next((f for k, f in _UNITS.items() if unit.startswith(k)), ())
        if forms and not any(form in pair.zh for form in forms) and unit not in pair.zh.lower():
            unit_missing += 1
            findings.append(
                finding(
                    "unit-mismatch",
                    Severity.MINOR,
                    f"The unit “{match.group(1)}” does not appear in the Chinese "
                    f"(expected {' or '.join(forms[:2])}).",
                    match.span(1),
                )
            )
    features = {
        "en_missing": float(len([n for n in en_missing if n.digits])),
        "en_words_missing": float(len(en_words_missing)),
        "zh_extra": float(len([n for n in zh_nums if n.digits and not n.values & en_values])),
        "units": float(unit_missing),
    }
    return CheckResult(tuple(findings), features)
