"""Mixed bilingual articles: English paragraphs and headings interleaved with their Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import regex

from review.ingest.textio import read_text
from review.model import Block, BlockKind, Segmentation
from review.segment import split_paragraphs, split_sentences

_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")
_LATIN_WORD = regex.compile(r"\p{Latin}+")
_LETTER = regex.compile(r"\p{L}")
_OPENERS = "“‘「『（(《【〔［["
_SENTENCE_END = regex.compile(r"[.!?。！？…\"”’)）]\s*$")
# Web chrome that pages around an article carry; kept but marked so it does not pass for
# untranslated content.
_WEB_CHROME = regex.compile(
    r"(?i)^\W*(?:leave a (?:reply|comment)|your email address will not be published"
    r"|required fields are marked|reference links?\b|sources?\s*:|related (?:posts|articles)"
    r"|share (?:this|on)\b|posted (?:in|on|by)\b|filed under|tags?\s*:|categor(?:y|ies)\s*:"
    r"|previous (?:post|article)|next (?:post|article)|read more|click here|subscribe\b.{0,30}$"
    r"|like this\s*:|loading\.\.\.|all rights reserved|copyright\s*(?:©|\(c\)|\d)|©"
    r"|comments?\s*(?:\(\d+\))?\s*$"
    r"|print this|email this|follow us)"
)
_SHORT_WORDS = 12
# A translator's or editor's note: `注意:` / `译者注：` openers, or talk about machine translation.
_NOTE = regex.compile(
    r"^[\s(（【\[]*(?:注意|注|译注|译者注|编者注|备注|说明|声明|免责声明|按)\s*[:：]"
    r"|(?:百度|谷歌|有道|机器|自动)翻译|译文仅供参考"
)
# Far less Chinese than a translation of the English before it would need (usually ~0.3-0.6
# Han per Latin letter): a note or a caption, not the translation.
_MIN_TRANSLATION_RATIO = 0.08


class _Script(StrEnum):
    EN = "en"
    ZH = "zh"
    SPLIT = "split"  # English followed by its Chinese on one line
    NEUTRAL = "neutral"  # no letters at all: rules, dates, ornaments


@dataclass(frozen=True, slots=True)
class _Unit:
    line: int
    script: _Script
    text: str
    en: str = ""
    zh: str = ""


def split_heading(line: str) -> tuple[str, str] | None:
    """(EN, ZH) when a line is English followed by its Chinese, as bilingual headings are."""
    first_han = _HAN.search(line)
    if first_han is None:
        return None
    stripped = line.lstrip()
    if not stripped or not regex.match(r"[\p{Latin}0-9]", stripped):
        return None
    cut = first_han.start()
    while cut > 0 and line[cut - 1] in _OPENERS:
        cut -= 1
    en, zh = line[:cut].strip(), line[cut:].strip()
    words = _LATIN_WORD.findall(en)
    han = len(_HAN.findall(zh))
    letters = _LETTER.findall(zh)
    # A Chinese sentence may open with a Latin name (`Huawei公司…`): require a real English
    # phrase, set off by a space or punctuation unless it is long, and a mostly-Han tail.
    if len(words) < 2 or (len(words) < 4 and regex.match(r"[\p{L}0-9]", line[cut - 1 : cut])):
        return None
    if han < 2 or len(_LATIN.findall(zh)) > han or not _ends_chinese(zh, letters):
        return None
    return en, zh


def _ends_chinese(zh: str, letters: list[str]) -> bool:
    """The last letter is Han, or only a short acronym follows it (`经济特区(SEZ)`)."""
    if _HAN.match(letters[-1]):
        return True
    tail = zh[max(m.end() for m in _HAN.finditer(zh)) :]
    return len(tail) <= 12 and not regex.search(r"\p{Ll}{3}", tail)


def classify(text: str) -> _Script:
    """The script of a line: Han weighs three Latin letters (a Han carries more meaning)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han and han * 3 >= latin:
        return _Script.ZH
    if latin:
        return _Script.EN
    return _Script.ZH if han else _Script.NEUTRAL


def _units(text: str) -> list[_Unit]:
    """Paragraphs cut further where the script changes from one line to the next."""
    units: list[_Unit] = []
    for start, paragraph in split_paragraphs(text):
        group: list[str] = []
        group_line, group_script = start, _Script.NEUTRAL
        for offset, line in enumerate(paragraph.split("\n")):
            number = start + offset
            heading = split_heading(line)
            script = _Script.SPLIT if heading else classify(line)
            if group and (script in (_Script.SPLIT,) or not _same(script, group_script)):
                units.append(_Unit(group_line, group_script, "\n".join(group).strip()))
                group = []
            if heading:
                units.append(_Unit(number, _Script.SPLIT, line.strip(), *heading))
                continue
            if not group:
                group_line, group_script = number, script
            elif group_script == _Script.NEUTRAL:
                group_script = script
            group.append(line)
        if group:
            units.append(_Unit(group_line, group_script, "\n".join(group).strip()))
    return units


def _same(script: _Script, group: _Script) -> bool:
    return script == group or _Script.NEUTRAL in (script, group)


def _boilerplate_lines(units: list[_Unit]) -> set[int]:
    """Lines of web chrome: known phrases anywhere, short unpunctuated English at the end."""
    marked = {u.line for u in units if u.script == _Script.EN and _is_web_chrome(u.text)}
    for unit in reversed(units):
        if unit.script == _Script.NEUTRAL or (
            unit.script == _Script.EN and (unit.line in marked or _is_short_fragment(unit.text))
        ):
            marked.add(unit.line)
            continue
        break
    return marked


def _is_web_chrome(text: str) -> bool:
    return len(text.split()) <= 15 and _WEB_CHROME.match(text) is not None


def _is_short_fragment(text: str) -> bool:
    return "\n" not in text and len(text.split()) <= _SHORT_WORDS and not _SENTENCE_END.search(text)


def _one_sentence_each(en: str, zh: str) -> bool:
    return len(split_sentences(en, "en")) <= 1 and len(split_sentences(zh, "zh")) <= 1


def _translates(candidate: _Unit, english: _Unit) -> bool:
    """Whether a unit after an English paragraph is its Chinese translation."""
    if candidate.script != _Script.ZH or _NOTE.search(candidate.text):
        return False
    han = len(_HAN.findall(candidate.text))
    return han >= _MIN_TRANSLATION_RATIO * len(_LATIN.findall(english.text))


def article_blocks(text: str) -> list[Block]:
    """Blocks of a mixed article: heading pairs, EN paragraphs with their ZH, notes, chrome."""
    units = _units(text)
    chrome = _boilerplate_lines(units)
    blocks: list[Block] = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        if unit.script == _Script.SPLIT and _one_sentence_each(unit.en, unit.zh):
            blocks.append(
                Block(unit.en, unit.zh, unit.line, Segmentation.ALIGNED, BlockKind.HEADING)
            )
        elif unit.script == _Script.SPLIT:
            # A whole paragraph followed by its translation on one line: align its sentences.
            blocks.append(Block(unit.en, unit.zh, unit.line, Segmentation.TEXT, zh_line=unit.line))
        elif unit.script == _Script.ZH:
            blocks.append(Block("", unit.text, unit.line, Segmentation.TEXT, BlockKind.NOTE))
        elif unit.line in chrome or unit.script == _Script.NEUTRAL:
            blocks.append(Block(unit.text, "", unit.line, Segmentation.TEXT, BlockKind.BOILERPLATE))
        else:
            # The Chinese paragraphs right after an English one are its translation.
            chinese = []
            while i < len(units) and _translates(units[i], unit):
                chinese.append(units[i])
                i += 1
            kind = BlockKind.PARAGRAPH
            if not chinese and _is_short_fragment(unit.text):
                kind = BlockKind.HEADING
            blocks.append(
                Block(
                    unit.text,
                    "\n\n".join(u.text for u in chinese),
                    unit.line,
                    Segmentation.TEXT,
                    kind,
                    zh_line=chinese[0].line if chinese else None,
                )
            )
    return blocks


def read_article(path: str | Path) -> list[Block]:
    """Blocks of the mixed bilingual article at `path`."""
    return article_blocks(read_text(path))
