"""Quantities with units on both sides, converted to one base unit per dimension, so that a
correct conversion (1,200 metres → 1.2公里, 5 miles → 8公里) is not reported as a wrong number."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from review.model import Span

# English unit → (dimension, size in the dimension's base unit: metre, kilogram, square metre,
# second). Longest spelling first where one is the start of another.
_EN_UNITS: tuple[tuple[str, str, float], ...] = (
    (r"square\s+kilomet(?:re|er)s?|sq\.?\s*km|km2|km²", "area", 1e6),
    (r"square\s+met(?:re|er)s?|sq\.?\s*m|m2|m²", "area", 1.0),
    (r"square\s+miles?|sq\.?\s*mi", "area", 2.589988e6),
    (r"hectares?|ha", "area", 1e4),
    (r"acres?", "area", 4046.856),
    (r"kilomet(?:re|er)s?|kms?", "length", 1e3),
    (r"centimet(?:re|er)s?|cm", "length", 1e-2),
    (r"millimet(?:re|er)s?|mm", "length", 1e-3),
    (r"met(?:re|er)s?|m", "length", 1.0),
    (r"miles?|mi", "length", 1609.344),
    (r"yards?|yd", "length", 0.9144),
    (r"feet|foot|ft", "length", 0.3048),
    (r"inch(?:es)?|in\.", "length", 0.0254),
    (r"kilograms?|kilos?|kg", "mass", 1.0),
    (r"grams?|g", "mass", 1e-3),
    (r"tonnes?|tons?|t", "mass", 1e3),
    (r"pounds?|lbs?", "mass", 0.45359237),
    (r"hours?|hrs?|h", "time", 3600.0),
    (r"minutes?|mins?", "time", 60.0),
    (r"seconds?|secs?|s", "time", 1.0),
    (r"days?", "time", 86400.0),
    (r"weeks?", "time", 604800.0),
)
_ZH_UNITS: dict[str, tuple[str, float]] = {
    "平方公里": ("area", 1e6),
    "平方千米": ("area", 1e6),
    "平方米": ("area", 1.0),
    "平方英里": ("area", 2.589988e6),
    "公顷": ("area", 1e4),
    "英亩": ("area", 4046.856),
    "公里": ("length", 1e3),
    "千米": ("length", 1e3),
    "厘米": ("length", 1e-2),
    "公分": ("length", 1e-2),
    "毫米": ("length", 1e-3),
    "公尺": ("length", 1.0),
    "米": ("length", 1.0),
    "英里": ("length", 1609.344),
    "码": ("length", 0.9144),
    "英尺": ("length", 0.3048),
    "呎": ("length", 0.3048),
    "英寸": ("length", 0.0254),
    "吋": ("length", 0.0254),
    "公斤": ("mass", 1.0),
    "千克": ("mass", 1.0),
    "克": ("mass", 1e-3),
    "公吨": ("mass", 1e3),
    "吨": ("mass", 1e3),
    "磅": ("mass", 0.45359237),
    "小时": ("time", 3600.0),
    "分钟": ("time", 60.0),
    "秒钟": ("time", 1.0),
    "秒": ("time", 1.0),
    "天": ("time", 86400.0),
    "周": ("time", 604800.0),
    "星期": ("time", 604800.0),
}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_ZH_SCALE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}

_EN_QUANTITY = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(thousand|million|billion))?\s*-?\s*"
    r"(" + "|".join(f"(?:{spelling})" for spelling, _, _ in _EN_UNITS) + r")(?![\w²])",
    re.IGNORECASE,
)
_EN_UNIT_ALONE = [
    (re.compile(rf"(?:{spelling})\Z", re.IGNORECASE), dimension, size)
    for spelling, dimension, size in _EN_UNITS
]
_ZH_NUMERALS = "〇零一二两三四五六七八九十百千"
_ZH_QUANTITY = re.compile(
    r"(?<![\d.])(\d{1,3}(?:[,，]\d{3})+|\d+)(\.\d+)?\s*(万亿|亿|万|千(?![米克])|百)?\s*"
    r"(?:多|余)?\s*(?:个)?\s*(" + "|".join(sorted(_ZH_UNITS, key=len, reverse=True)) + ")"
)


class Quantity(NamedTuple):
    """A number with a unit: its value in the dimension's base unit, how precisely it is
    written (half its last digit, in base units) and the span of the number and unit."""

    dimension: str
    value: float
    precision: float
    span: Span


def _half_last_digit(fraction: str | None, scale: float, size: float) -> float:
    """Half the value of the last written digit, in base units (1.2 km → 50 m; 8 km → 500 m;
    1,200 m → 0.5 m: trailing zeros count as written, so 100 m and 150 m differ)."""
    step = 10.0 ** -(len(fraction) - 1) if fraction else 1.0
    return 0.5 * step * scale * size


@functools.lru_cache(maxsize=4096)
def en_quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers with a unit in an English text: "1,200 metres", "5-mile", "3.5 million tons"."""
    found = []
    for match in _EN_QUANTITY.finditer(text):
        whole, fraction, scale_word, unit = match.groups()
        unit_info = next(((d, s) for pattern, d, s in _EN_UNIT_ALONE if pattern.match(unit)), None)
        if unit_info is None:
            continue
        dimension, size = unit_info
        scale = _EN_SCALE[scale_word.lower()] if scale_word else 1.0
        value = float(whole.replace(",", "") + (fraction or "")) * scale * size
        precision = _half_last_digit(fraction, scale, size)
        found.append(Quantity(dimension, value, precision, match.span()))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def zh_quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers with a unit in a Chinese text: 1.2公里, 3万吨, 500 米."""
    found = []
    for match in _ZH_QUANTITY.finditer(text):
        whole, fraction, scale_word, unit = match.groups()
        dimension, size = _ZH_UNITS[unit]
        scale = _ZH_SCALE[scale_word] if scale_word else 1.0
        value = float(whole.replace(",", "").replace("，", "") + (fraction or "")) * scale * size
        precision = _half_last_digit(fraction, scale, size)
        found.append(Quantity(dimension, value, precision, match.span()))
    return tuple(found)


def agrees(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities are the same amount as far as each is written (1 mile and
    1.6公里 agree; 1,200 m and 1.5公里 do not)."""
    if a.dimension != b.dimension:
        return False
    tolerance = max(a.precision, b.precision, 0.01 * max(abs(a.value), abs(b.value)))
    return abs(a.value - b.value) <= tolerance


def converted(en: str, zh: str) -> list[tuple[Quantity, Quantity]]:
    """Quantities the Chinese gives in another unit with the same value, each English one
    with the Chinese one it agrees with (a quantity written in the same unit on both sides
    is left to the number check)."""
    en_found = en_quantities(en)
    if not en_found:
        return []
    zh_left = list(zh_quantities(zh))
    pairs = []
    for quantity in en_found:
        match = next((z for z in zh_left if agrees(quantity, z)), None)
        if match is not None:
            pairs.append((quantity, match))
            zh_left.remove(match)
    return pairs
