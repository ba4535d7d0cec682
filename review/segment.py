"""EN / ZH sentence splitting and paragraph splitting."""

from __future__ import annotations

from typing import Literal

import regex

# URLs and e-mail addresses are masked before the splitter sees them: `a.b?x=1.` is one word.
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
# sentence and the next one goes on in lower case. A splitter would cut at every line break.
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
    """Sentence end offsets from blingfire, computed on a copy where URLs and e-mails are masked.

    blingfire is the best maintained splitter on tests/data/segmentation_cases.tsv (company
    abbreviations, `Vol. 3`; see scripts/compare_splitters.py); its one miss there, a cut after
    a quotation that the sentence goes on from in lower case, is joined back here.
    """
    import blingfire

    masked = _URL_OR_EMAIL.sub(lambda m: "x" * len(m.group()), text)
    masked = _SOFT_WRAP.sub(" ", masked)
    _, offsets = blingfire.text_to_sentences_and_offsets(masked)
    # A line break that is not a soft wrap ends a line of its own (a heading, a list item).
    cuts = [m.start() for m in regex.finditer(r"\n", masked)]
    for _, end in offsets[:-1]:
        following = _NEXT_WORD.match(text, end)
        if following and following.group(1).islower():
            continue
        cuts.append(end)
    return sorted({cut for cut in cuts if 0 < cut < len(text)})


_NEXT_WORD = regex.compile(r"\s*(\p{L})")


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
