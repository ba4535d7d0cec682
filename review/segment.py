"""EN / ZH sentence splitting and paragraph splitting."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Literal

import regex

if TYPE_CHECKING:
    import pysbd

# URLs and e-mail addresses are masked before pysbd sees them: it splits `a.b?x=1.` otherwise.
_URL_OR_EMAIL = regex.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"“”]+[^\s<>\"“”.,;:!?'’)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_BLANK_LINE = regex.compile(r"\n[ \t\f\v\u3000]*\n\s*")
# A Chinese sentence ends at a run of terminators (。！？；… and friends, ASCII ! ? only
# before Han so that code or English inside Chinese is not cut), plus any closing quotes or
# brackets, which belong to the sentence they close.
_ZH_CLOSERS = "”’」』）》〉】〕］\"')]"
_ZH_END = regex.compile(
    r"(?:[。！？；…⋯]+|[!?]+(?=\p{Han})|(?<=\p{Han})\.(?=\p{Han}))"
    rf"[{regex.escape(_ZH_CLOSERS)}]*"
)


@cache
def _en_segmenter() -> pysbd.Segmenter:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, lang: Literal["en", "zh"]) -> list[str]:
    """Split text into stripped, non-empty sentences; no non-space character is ever lost."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sentences: list[str] = []
    for chunk in _BLANK_LINE.split(text):
        if not chunk.strip():
            continue
        cuts = _en_cuts(chunk) if lang == "en" else _zh_cuts(chunk)
        start = 0
        for end in [*cuts, len(chunk)]:
            piece = chunk[start:end].strip()
            if piece:
                sentences.append(piece)
            start = end
    return sentences


def _zh_cuts(text: str) -> list[int]:
    return [m.end() for m in _ZH_END.finditer(text) if m.end() < len(text)]


def _en_cuts(text: str) -> list[int]:
    """Sentence end offsets from pysbd, computed on a copy where URLs and e-mails are masked."""
    masked = _URL_OR_EMAIL.sub(lambda m: "x" * len(m.group()), text)
    cuts: list[int] = []
    cursor = 0
    # pysbd may normalise what it returns; locating each piece keeps our cuts on the original.
    for segment in _en_segmenter().segment(masked):
        piece = segment.strip()
        if not piece:
            continue
        found = masked.find(piece, cursor)
        if found < 0:
            continue
        cursor = found + len(piece)
        cuts.append(cursor)
    return [cut for cut in cuts if cut < len(text)]


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """Paragraphs separated by blank lines: (1-based line where each starts, its text)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            paragraphs.append((start, "\n".join(current).strip()))
            current = []
    if current:
        paragraphs.append((start, "\n".join(current).strip()))
    return paragraphs
