"""Alignment repair as pure functions: merge two pairs, move a pair's last sentence onward.

The store calls these inside its transaction and gives the results ids, numbers and scores.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from review.errors import ProjectError
from review.model import InlineCode, Pair

Side = Literal["en", "zh"]


_EN_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=\S)""")
_ZH_BOUNDARY = re.compile(r"""[。！？!?…]+[”’」』）)"']*\s*(?=\S)""")


def split_last_sentence(text: str, side: Side) -> tuple[str, str] | None:
    """Cut `text` before its last sentence: (head, last), or None when it has one sentence."""
    pattern = _EN_BOUNDARY if side == "en" else _ZH_BOUNDARY
    cut = None
    for match in pattern.finditer(text.rstrip()):
        cut = match.end()
    if cut is None:
        return None
    return text[:cut].rstrip(), text[cut:].strip()


def _join(side: Side, first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    # Chinese runs sentences together; English needs a space between them.
    return first + ("" if side == "zh" else " ") + second


def _side(pair: Pair, side: Side) -> tuple[str, tuple[int, ...]]:
    return (pair.en, pair.en_ids) if side == "en" else (pair.zh, pair.zh_ids)


def _with_side(pair: Pair, side: Side, text: str, ids: tuple[int, ...]) -> Pair:
    if side == "en":
        return replace(pair, en=text, en_ids=ids)
    return replace(pair, zh=text, zh_ids=ids)


def _codes_in(codes: tuple[InlineCode, ...], *texts: str) -> tuple[InlineCode, ...]:
    """The inline codes whose token occurs in one of `texts`."""
    return tuple(code for code in codes if any(code.token in text for text in texts))


def _rename_clashes(
    kept: tuple[InlineCode, ...], en: str, zh: str, codes: tuple[InlineCode, ...]
) -> tuple[str, str, tuple[InlineCode, ...]]:
    """Give `codes` (used in `en`/`zh`) fresh tokens wherever they clash with `kept`'s.

    Every TMX unit numbers its codes from U+E000, so two joined units would share tokens.
    """
    used = {code.token for code in kept}
    clashes = [code for code in codes if code.token in used]
    if not clashes:
        return en, zh, codes
    taken = used | {code.token for code in codes} | set(en) | set(zh)
    mapping: dict[str, str] = {}
    point = 0xE000
    for code in clashes:
        while chr(point) in taken:
            point += 1
        if point > 0xF8FF:
            raise ProjectError("too many inline codes to join these pairs")
        mapping[code.token] = chr(point)
        taken.add(chr(point))
    table = {ord(old): new for old, new in mapping.items()}
    renamed = tuple(InlineCode(mapping.get(c.token, c.token), c.xml) for c in codes)
    return en.translate(table), zh.translate(table), renamed


def merge_pairs(first: Pair, second: Pair) -> Pair:
    """One pair holding both, in order (id left empty for the store to assign; not scored)."""
    second_en, second_zh, second_codes = _rename_clashes(
        first.inline, second.en, second.zh, second.inline
    )
    return Pair(
        id="",
        doc_id=first.doc_id,
        en=_join("en", first.en, second_en),
        zh=_join("zh", first.zh, second_zh),
        en_ids=first.en_ids + second.en_ids,
        zh_ids=first.zh_ids + second.zh_ids,
        line=first.line if first.line is not None else second.line,
        section=first.section,
        boilerplate=first.boilerplate and second.boilerplate,
        align_confidence=min(first.align_confidence, second.align_confidence),
        notes=first.notes + second.notes,
        props=first.props + tuple(p for p in second.props if p not in first.props),
        inline=first.inline + second_codes,
    )


def move_last_sentence(first: Pair, second: Pair | None, side: Side) -> tuple[Pair, Pair] | None:
    """Move the last `side` sentence of `first` to the front of `second`: (first', second').

    With no `second` the sentence becomes a new pair of its own; None when `first` has only
    one sentence on that side. Inline codes go with the text that holds their tokens.
    """
    cut = split_last_sentence(_side(first, side)[0], side)
    if cut is None:
        return None
    head, tail = cut
    ids = _side(first, side)[1]
    keep_ids, move_ids = (ids[:-1], ids[-1:]) if len(ids) > 1 else (ids, ())
    kept = _with_side(first, side, head, keep_ids)
    kept = replace(kept, inline=_codes_in(first.inline, kept.en, kept.zh))
    tail_codes = _codes_in(first.inline, tail)
    if second is None:
        other: Side = "zh" if side == "en" else "en"
        target = _with_side(_with_side(first, other, "", ()), side, tail, move_ids)
        return kept, replace(target, inline=tail_codes)
    text, second_ids = _side(second, side)
    tail, _, tail_codes = _rename_clashes(second.inline, tail, "", tail_codes)
    target = _with_side(second, side, _join(side, tail, text), move_ids + second_ids)
    return kept, replace(target, inline=second.inline + tail_codes)
