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
# brackets, which belong to the sentence they close. MT output often ends Chinese sentences
# with an ASCII `.` (`同事们. 然后`), so a stop between Han characters counts too.
_ZH_CLOSERS = "”’」』）》〉】〕］\"')]"
_ZH_END = regex.compile(
    r"(?:[。！？；…⋯]+|[!?]+(?=\s*\p{Han})|(?<=\p{Han}\s?)\.(?=\s*\p{Han}))"
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
                sentences.append(_unwrap(piece, lang))
            start = end
    return sentences


# A line break inside a sentence of hard-wrapped English: the line before it does not end a
# sentence and the next one goes on in lower case. pysbd would cut at every line break.
_SOFT_WRAP = regex.compile(r"(?<=[^\s.!?:;\"”’)\]])\n(?=[ \t]*[\p{Ll}0-9(“\"‘'])")
_LINE_BREAK = regex.compile(r"[ \t\u3000]*\n\s*")
_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’]"
_CJK_BREAK = regex.compile(rf"(?<={_CJK})[ \t\u3000]*\n\s*(?={_CJK})")


def _unwrap(sentence: str, lang: str) -> str:
    """A sentence on one line: a break becomes a space, or nothing between Chinese characters."""
    if "\n" not in sentence:
        return sentence
    if lang == "zh":
        sentence = _CJK_BREAK.sub("", sentence)
    return _LINE_BREAK.sub(" ", sentence)


def _zh_cuts(text: str) -> list[int]:
    return [m.end() for m in _ZH_END.finditer(text) if m.end() < len(text)]


def _en_cuts(text: str) -> list[int]:
    """Sentence end offsets from pysbd, computed on a copy where URLs and e-mails are masked."""
    masked = _URL_OR_EMAIL.sub(lambda m: "x" * len(m.group()), text)
    masked = _SOFT_WRAP.sub(" ", masked)
    cuts: list[int] = []
    for start, end in _chunks(masked):
        cuts.extend(start + cut for cut in _pysbd_cuts(masked[start:end]))
        cuts.append(end)
    return [cut for cut in cuts if 0 < cut < len(text)]


def _pysbd_cuts(text: str) -> list[int]:
    cuts: list[int] = []
    cursor = 0
    # pysbd may normalise what it returns; locating each piece keeps our cuts on the original.
    for segment in _en_segmenter().segment(text):
        piece = segment.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:
            continue
        cursor = found + len(piece)
        cuts.append(cursor)
    return cuts


# pysbd's time grows with the square of its input; long text is fed to it in pieces cut at
# unmistakable sentence ends: a word of 4+ lowercase letters, a stop, then a capital.
_CHUNK = 1000
_MAX_CHUNK = 5000
_SURE_END = regex.compile(r"(?<=[a-z]{4}[.!?][\"”’)]?)\s+(?=[\"“‘(]?[A-Z])")
_SPACE = regex.compile(r"\s+")


def _chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) pieces of at most about `_CHUNK` characters, cut between sentences."""
    if len(text) <= _CHUNK:
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > _CHUNK:
        window = text[start : start + _MAX_CHUNK]
        sure = [m.end() for m in _SURE_END.finditer(window) if m.end() <= _CHUNK] or [
            m.end() for m in _SURE_END.finditer(window)
        ][:1]
        # With no sure sentence end in reach, a space is the least bad place to cut.
        cut = sure[-1] if sure else max((m.end() for m in _SPACE.finditer(window)), default=0)
        if cut <= 0:
            cut = len(window)
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, len(text)))
    return pieces


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
