"""Dates and ordinals read as whole values, so that a wrong month or rank is caught even when
each of its numbers occurs somewhere on the other side (3 March → 5月3日, third → 第四)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple

from review.model import Span

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_NUMBER = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
MONTH_NUMBER.update({name[:3]: number for name, number in list(MONTH_NUMBER.items())})
MONTH_NUMBER["sept"] = 9

_MONTH = r"(?:" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# 3 March, 3rd of March, March 3, March 3rd, March 3, 2013; "May" only capitalised with a day.
_EN_DAY_MONTH = re.compile(
    r"(?<![\w.])" + _DAY + r"\s+(?:of\s+)?(" + _MONTH + r")(?![\w])", re.IGNORECASE
)
_EN_MONTH_DAY = re.compile(
    r"(?<![\w])(" + _MONTH + r")\s+" + _DAY + r"(?![\w.]|[.,]\d)", re.IGNORECASE
)
# A month alone: capitalised, a full name ("in March", "March 2013"); May only before a year.
_EN_MONTH_ALONE = re.compile(
    r"(?<![\w])("
    + "|".join(n.capitalize() for n in _MONTH_NAMES if n != "may")
    + r"|May(?=\s+\d{4}))(?![\w])"
)

_ZH_NUMERAL = "〇零一二两三四五六七八九十"
_ZH_SMALL = r"(\d{1,2}|[" + _ZH_NUMERAL + r"]{1,3})"
# 5月3日, 五月三日, 2013年12月29日, 12 月 29 日; a month needs a number right before 月 (三个月 is
# a duration), a day a number right before 日 or 号.
_ZH_DATE = re.compile(
    r"(?<![\d" + _ZH_NUMERAL + r"])" + _ZH_SMALL + r"\s*月(?:\s*" + _ZH_SMALL + r"\s*[日号])?"
)

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_EN_ORDINAL = re.compile(
    r"(?<![\w-])(?:(" + "|".join(_ORDINAL_WORDS) + r")|(\d+)(?:st|nd|rd|th))(?![\w-])",
    re.IGNORECASE,
)
_ZH_ORDINAL = re.compile(r"第\s*(\d+|[" + _ZH_NUMERAL + r"百千]+)")
_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


class DatePart(NamedTuple):
    """A date on one side: its month, its day (None when it names none) and its span."""

    month: int
    day: int | None
    span: Span


class Ordinal(NamedTuple):
    """An ordinal number (third, 3rd, 第三) with its span."""

    value: int
    span: Span


def small_zh_number(text: str) -> int | None:
    """A number up to 99 in digits or Chinese numerals: 12, 十二, 二十九, 三 → int."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _ZH_DIGIT and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_ZH_DIGIT[c]) for c in text)) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_ZH_DIGIT[tens] if tens else 1) * 10 + (_ZH_DIGIT[ones] if ones else 0)


@functools.lru_cache(maxsize=4096)
def en_dates(text: str) -> tuple[DatePart, ...]:
    """Dates of an English text: day and month where both are written, else the month."""
    found: list[DatePart] = []
    for match in _EN_DAY_MONTH.finditer(text):
        day, month = int(match.group(1)), MONTH_NUMBER[match.group(2).lower().rstrip(".")]
        if 1 <= day <= 31 and _is_month(match.group(2)):
            found.append(DatePart(month, day, match.span()))
    for match in _EN_MONTH_DAY.finditer(text):
        if any(s < match.end() and match.start() < e for _, _, (s, e) in found):
            continue
        month, day = MONTH_NUMBER[match.group(1).lower().rstrip(".")], int(match.group(2))
        if 1 <= day <= 31 and _is_month(match.group(1)):
            found.append(DatePart(month, day, match.span()))
    for match in _EN_MONTH_ALONE.finditer(text):
        if any(s <= match.start() < e for _, _, (s, e) in found):
            continue
        found.append(DatePart(MONTH_NUMBER[match.group(1).lower()], None, match.span()))
    return tuple(sorted(found, key=lambda d: d.span))


def _is_month(word: str) -> bool:
    """A month name as dates write it: capitalised, or a full name ("march 3" in lower case is
    rare but a month; "may 3" is a verb far more often)."""
    bare = word.rstrip(".")
    if bare[:1].isupper():
        return True
    return bare.lower() in _MONTH_NAMES and bare.lower() != "may"


@functools.lru_cache(maxsize=4096)
def zh_dates(text: str) -> tuple[DatePart, ...]:
    """Dates of a Chinese text: 5月3日 → (5, 3), 三月 → (3, None)."""
    found: list[DatePart] = []
    for match in _ZH_DATE.finditer(text):
        month = small_zh_number(match.group(1))
        day = small_zh_number(match.group(2)) if match.group(2) else None
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        found.append(DatePart(month, day, match.span()))
    return tuple(found)


def date_mismatches(en: str, zh: str) -> list[tuple[DatePart, DatePart]]:
    """English dates the Chinese gives another month or day, each with the Chinese date that
    stands in its place (the unmatched dates of both sides, paired in order)."""
    en_found, zh_found = en_dates(en), zh_dates(zh)
    if not en_found or not zh_found:
        return []
    zh_left = list(zh_found)
    en_left: list[DatePart] = []
    for date in en_found:
        match = next((z for z in zh_left if _same(date, z)), None)
        if match is None:
            en_left.append(date)
        else:
            zh_left.remove(match)
    # A Chinese month with no day may render an English date's month alone, and the reverse.
    return list(zip(en_left, zh_left, strict=False))


def _same(a: DatePart, b: DatePart) -> bool:
    return a.month == b.month and (a.day is None or b.day is None or a.day == b.day)


@functools.lru_cache(maxsize=4096)
def en_ordinals(text: str) -> tuple[Ordinal, ...]:
    """Ordinals of an English text (third, 3rd), leaving out the days of dates (3rd March)."""
    days = [d.span for d in en_dates(text) if d.day is not None]
    found = []
    for match in _EN_ORDINAL.finditer(text):
        if any(s <= match.start() < e for s, e in days):
            continue
        word, digits = match.group(1), match.group(2)
        value = _ORDINAL_WORDS[word.lower()] if word else int(digits)
        found.append(Ordinal(value, match.span()))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def zh_ordinals(text: str) -> tuple[Ordinal, ...]:
    """Ordinals of a Chinese text: 第四 → 4, 第 19 → 19."""
    found = []
    for match in _ZH_ORDINAL.finditer(text):
        value = small_zh_number(match.group(1))
        if value is not None:
            found.append(Ordinal(value, match.span()))
    return tuple(found)


def ordinal_mismatches(
    en: str, zh: str, en_values: Iterable[float] = (), zh_values: Iterable[float] = ()
) -> list[tuple[Ordinal, Ordinal]]:
    """English ordinals whose rank the Chinese changes, each with the Chinese ordinal in its
    place: an English ordinal no Chinese number equals, paired in order with a Chinese 第N
    that no English number equals. `en_values` / `zh_values`: every number of each side."""
    zh_found = zh_ordinals(zh)
    if not zh_found:
        return []
    en_found = en_ordinals(en)
    if not en_found:
        return []
    zh_all = {float(o.value) for o in zh_found} | set(zh_values)
    en_all = {float(o.value) for o in en_found} | set(en_values)
    # "first" is rendered 首 or 第一 or left out as often as not: it stands for no 第N.
    en_left = [o for o in en_found if float(o.value) not in zh_all and o.value != 1]
    zh_left = [o for o in zh_found if float(o.value) not in en_all]
    return list(zip(en_left, zh_left, strict=False))
