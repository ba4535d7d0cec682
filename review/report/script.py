"""Which Chinese script a text is written in, as the language tag browsers pick glyph forms by."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from typing import Any

import regex

HANS = "zh-Hans"
HANT = "zh-Hant"
_HAN = regex.compile(r"\p{Han}")


def han_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each Han character occurs in `texts`."""
    return Counter(char for text in texts for char in _HAN.findall(text))


@functools.cache
def _converters() -> tuple[Any, Any]:
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def zh_tag(counts: Counter[str]) -> str:
    """zh-Hant when more of the characters exist only in Traditional form than only in Simplified.

    Characters both scripts share (中, 的, 技术 …) do not count; with no evidence either way the
    tag is zh-Hans, the script this tool is made for. OpenCC's character tables decide.
    """
    if not counts:
        return HANS
    chars = list(counts)
    to_simplified, to_traditional = _converters()
    # One character per line, so OpenCC's phrase tables never join neighbours.
    simplified = to_simplified.convert("\n".join(chars)).split("\n")
    traditional = to_traditional.convert("\n".join(chars)).split("\n")
    if len(simplified) != len(chars) or len(traditional) != len(chars):
        return HANS
    traditional_only = sum(counts[c] for c, s in zip(chars, simplified, strict=True) if s != c)
    simplified_only = sum(counts[c] for c, t in zip(chars, traditional, strict=True) if t != c)
    return HANT if traditional_only > simplified_only else HANS
