"""TSV reader: EN and ZH columns, optional `en`/`zh` header, literal fields (no CSV quoting)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from review.errors import InputError
from review.ingest.textio import iter_lines
from review.ingest.tmx import lang_side
from review.model import Block, BlockKind, Segmentation

_WORDS = {"english": "en", "chinese": "zh"}


def _side(field: str) -> str | None:
    """The side a header field names: `en`, `ZH-CN`, `English`, or a suffix as in `src_en`."""
    name = field.strip().lstrip("#").lower()
    side = lang_side(name) or _WORDS.get(name)
    if side is None and "_" in name:
        side = lang_side(name.rsplit("_", 1)[1])
    return side


def header_columns(fields: list[str]) -> tuple[int, int] | None:
    """The (en, zh) column indices when a row is a header naming them, else None."""
    if not all(len(field.split()) <= 1 and len(field) <= 30 for field in fields):
        return None
    named = [_side(field) for field in fields]
    if "en" in named and "zh" in named:
        return named.index("en"), named.index("zh")
    return None


def iter_tsv(path: str | Path) -> Iterator[Block]:
    """Stream one aligned Block per row; a row without a tab is an InputError naming its line."""
    en_col, zh_col = 0, 1
    first = True
    yielded = False
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        fields = line.split("\t")
        if first:
            first = False
            columns = header_columns(fields)
            if columns is not None:
                en_col, zh_col = columns
                continue
        if len(fields) <= max(en_col, zh_col):
            raise InputError(
                str(path),
                f"has {len(fields)} column{'s' if len(fields) != 1 else ''}; a TSV needs"
                " an EN and a ZH column separated by a tab",
                number,
            )
        en, zh = fields[en_col].strip(), fields[zh_col].strip()
        if en or zh:
            yielded = True
            yield Block(en, zh, number, Segmentation.ALIGNED, BlockKind.SEGMENT)
    if not yielded:
        raise InputError(str(path), "has no EN–ZH rows")
