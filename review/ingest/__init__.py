"""Readers for every input format, with format and encoding detection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from review.ingest.textio import STDIN, detect_encoding, read_head, read_text
from review.model import Block, Document

__all__ = [
    "detect_format", "doc_id", "iter_blocks", "read_document_pair", "read_source", "read_text",
]  # fmt: skip

Note = Callable[[str], None]
"""Receives one-line remarks about the input (which Chinese variant a TMX unit kept …)."""

SourceFormat = Literal["article", "tsv", "tmx"]


def detect_format(path: str | Path) -> SourceFormat:
    """TMX (XML with a <tmx> root), TSV (tab-separated EN/ZH columns) or a mixed article."""
    from review.ingest.tsv import header_columns

    head = read_head(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".tmx":
        return "tmx"
    codec = detect_encoding(path, head, complete=len(head) < (1 << 16))
    text = head.decode(codec, errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<?xml") or text.startswith("<tmx") or "<tmx" in text[:4096]:
        return "tmx"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    lines = [line for line in text.replace("\r", "\n").split("\n")[:50] if line.strip()]
    if lines and header_columns(lines[0].split("\t")) is not None:
        return "tsv"
    # Most lines of a TSV hold a tab; an article may hold a stray one.
    if lines and sum("\t" in line for line in lines) >= 0.8 * len(lines):
        return "tsv"
    return "article"


def doc_id(path: str | Path) -> str:
    """The document id of a source: its file stem (`stdin` for standard input)."""
    return "stdin" if str(path) == STDIN else Path(path).stem


def iter_blocks(
    path: str | Path, *, zh_lang: str | None = None, note: Note | None = None
) -> Iterator[Block]:
    """Stream the blocks of a source; TSV and TMX are read row by row with flat memory.

    `zh_lang` picks the Chinese of a TMX unit holding several (zh-CN and zh-TW …).
    """
    return _blocks(path, detect_format(path), zh_lang, note)


def _blocks(
    path: str | Path, fmt: SourceFormat, zh_lang: str | None = None, note: Note | None = None
) -> Iterator[Block]:
    if fmt == "tmx":
        from review.ingest.tmx import iter_tmx

        return iter_tmx(path, zh_lang=zh_lang, note=note)
    if fmt == "tsv":
        from review.ingest.tsv import iter_tsv

        return iter_tsv(path)
    from review.ingest.article import read_article

    return iter(read_article(path))


def read_source(
    path: str | Path, *, zh_lang: str | None = None, note: Note | None = None
) -> Document:
    """Read one source file, its format auto-detected, into a Document with id = file stem."""
    fmt = detect_format(path)
    blocks = tuple(_blocks(path, fmt, zh_lang, note))
    return Document(doc_id(path), str(path), fmt, blocks)


def read_document_pair(
    en: str | Path | None,
    zh: str | Path | None,
    *,
    presegmented: bool = False,
    parallel: bool = False,
) -> Document:
    """An EN document and its ZH translation as one Document (format `pair` or `parallel`)."""
    from review.ingest.pair import read_pair

    return read_pair(en, zh, presegmented=presegmented, parallel=parallel)
