"""Traditional Chinese read as Simplified, one character for one, so the checks (written for
Simplified text and a Simplified dictionary) score 這是一個測試。 as 这是一个测试。 and every
span they report holds on the original text unchanged.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=8192)
def as_simplified(zh: str) -> str:
    """The text with Traditional characters replaced by their Simplified forms, of the same
    length: OpenCC's phrase tables where they keep the length (乾隆 stays, 乾燥 → 干燥), its
    character table where they do not."""
    if zh.isascii():
        return zh
    converted: str = _t2s().convert(zh)
    if converted == zh or len(converted) == len(zh):
        return converted
    return "".join(_char(c) for c in zh)


@functools.lru_cache(maxsize=16_384)
def _char(char: str) -> str:
    """One character's Simplified form; the character itself when that is not one character."""
    converted: str = _t2s().convert(char)
    return converted if len(converted) == 1 else char
