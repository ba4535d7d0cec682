"""Punctuation checks: unbalanced brackets and quotes, full-/half-width use, CJK–Latin spacing."""

from __future__ import annotations

import re

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import defined_acronyms, finding
from review.checks.surface import HAN_CLASS
from review.model import Finding, Pair, Severity

_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "《": "》", "“": "”", "「": "」", "『": "』"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
# Plain character sets: the standard `re` engine matches them as `regex` does, faster.
_BRACKET = re.compile("[" + re.escape("".join([*_PAIRS, *_CLOSERS, '"'])) + "]")
_PAREN_OPEN = regex.compile(r"[(（]")
# Half-width sentence punctuation right after a Han character: Chinese wants the full-width form.
_HALF_AFTER_HAN = regex.compile(r"(?<=\p{Han})[,.?!:;](?![\d\p{Latin}])|(?<=\p{Han})\.$")
_HAN = regex.compile(r"\p{Han}")
_EN_QUESTION = regex.compile(r"\?+")
_ZH_QUESTION = regex.compile(r"[?？]+|吗|呢")
_FULL_ALNUM = re.compile(r"[Ａ-Ｚａ-ｚ０-９]+")
_FULL_IN_EN = regex.compile(r"[，。：；！？、]")
_HAN_LATIN_SPACED = re.compile(f"{HAN_CLASS} [A-Za-z0-9]|[A-Za-z0-9] {HAN_CLASS}")
_HAN_LATIN_TIGHT = re.compile(f"{HAN_CLASS}[A-Za-z0-9]|[A-Za-z0-9]{HAN_CLASS}")


def unbalanced(text: str) -> list[int]:
    """Offsets of brackets and curly quotes with no partner, in order."""
    stack: list[tuple[str, int]] = []
    lone: list[int] = []
    straight: list[int] = []
    if not _BRACKET.search(text):
        return lone  # most texts
    # Only brackets and quotes matter: visit those, not every character.
    for match in _BRACKET.finditer(text):
        char, index = match.group(), match.start()
        if char == '"':
            straight.append(index)
        elif char in _PAIRS:
            stack.append((char, index))
        elif char in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[char]:
                stack.pop()
            elif any(open_ == _CLOSERS[char] for open_, _ in stack):
                while stack and stack[-1][0] != _CLOSERS[char]:
                    lone.append(stack.pop()[1])
                stack.pop()
            else:
                lone.append(index)
    lone.extend(index for _, index in stack)
    # A straight double quote has no direction: an odd number of them is unbalanced.
    if len(straight) % 2:
        lone.append(straight[-1])
    return sorted(lone)


def check_brackets(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Brackets or quotes left open in the Chinese, and bracketed text of the English dropped."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    findings: list[Finding] = []
    en_lone, zh_lone = unbalanced(pair.en), unbalanced(pair.zh)
    if zh_lone and len(zh_lone) > len(en_lone):
        index = zh_lone[0]
        findings.append(
            finding(
                "unbalanced-brackets",
                Severity.MINOR,
                f"“{pair.zh[index]}” in the Chinese has no partner.",
                zh_span=(index, index + 1),
            )
        )
    en_parens: list[int] = []
    if "(" in pair.en or "（" in pair.en:  # few texts have any
        defined = {start for start, _ in defined_acronyms(pair.en)}
        en_parens = [
            m.start()
            for m in _PAREN_OPEN.finditer(pair.en)
            if not any(d <= m.start() <= d + 1 for d in defined)
        ]
    zh_parens = pair.zh.count("(") + pair.zh.count("（")
    if len(en_parens) > zh_parens:
        # The first English parenthesis the Chinese lacks, for a span the reviewer can see.
        start = en_parens[zh_parens]
        end = pair.en.find(")", start)
        end = len(pair.en) if end < 0 else end + 1
        findings.append(
            finding(
                "bracket-dropped",
                Severity.MINOR,
                f"The English has {len(en_parens)} bracketed part(s), the Chinese {zh_parens}: "
                f"check that “{pair.en[start:end]}” was translated.",
                (start, end),
            )
        )
    features = {
        "zh_unbalanced": float(max(0, len(zh_lone) - len(en_lone))),
        "paren_diff": float(len(en_parens) - zh_parens),
    }
    return CheckResult(tuple(findings), features)


def check_punctuation(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Half-width punctuation in Chinese, full-width letters, full-width punctuation in English,
    and CJK–Latin spacing used both ways in one segment."""
    findings: list[Finding] = []
    zh, en = pair.zh, pair.en
    half = list(_HALF_AFTER_HAN.finditer(zh))
    if half:
        marks = "".join(dict.fromkeys(m.group() for m in half))
        findings.append(
            finding(
                "half-width-punctuation",
                Severity.MINOR,
                f"Half-width “{marks}” after Chinese text; Chinese uses full-width "
                "punctuation (，。？！：；).",
                zh_span=(half[0].start(), half[0].end()),
            )
        )
    full = _FULL_ALNUM.search(zh)
    if full:
        findings.append(
            finding(
                "full-width-alphanumeric",
                Severity.MINOR,
                f"Full-width letters or digits “{full.group()}”; use half-width.",
                zh_span=full.span(),
            )
        )
    full_en = None if en.isascii() else _FULL_IN_EN.search(en)
    if full_en and not _HAN.search(en):
        findings.append(
            finding(
                "full-width-in-english",
                Severity.MINOR,
                f"Chinese punctuation “{full_en.group()}” in the English text.",
                full_en.span(),
            )
        )
    spaced = _HAN_LATIN_SPACED.search(zh) if " " in zh else None
    tight = _HAN_LATIN_TIGHT.search(zh) if spaced else None
    if spaced and tight:
        findings.append(
            finding(
                "cjk-latin-spacing",
                Severity.MINOR,
                "Spacing between Chinese and Latin text is used both ways in this segment; "
                "pick one convention.",
                zh_span=tight.span(),
            )
        )
    # Counted only when the English asks something at all (most lines do not).
    en_questions = len(_EN_QUESTION.findall(en)) if "?" in en else 0
    zh_questions = len(_ZH_QUESTION.findall(zh)) if en_questions else 0
    if en.strip() and zh.strip() and en_questions and not zh_questions:
        at = en.find("?")
        findings.append(
            finding(
                "question-lost",
                Severity.MINOR,
                "The English asks a question; the Chinese does not.",
                (at, at + 1) if at >= 0 else None,
            )
        )
    # Question, sentence and exclamation counts were tried as features: no gain in train CV.
    return CheckResult(tuple(findings), {"half_width": float(len(half))})
