"""Glossary (termbase) checks: required EN→ZH terms and forbidden Chinese terms."""

from __future__ import annotations

import functools

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import finding
from review.model import Finding, Pair, Severity


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str) -> regex.Pattern[str]:
    """The English term as a whole-word, case-insensitive pattern allowing a plural ending."""
    words = [regex.escape(w) for w in term.split()]
    return regex.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?:s|es)?(?![\w])", regex.IGNORECASE)


def check_glossary(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Every glossary term in the English must have its required Chinese; forbidden Chinese
    renderings must not appear."""
    glossary = ctx.glossary
    if glossary is None or not pair.zh.strip():
        return CheckResult()
    findings: list[Finding] = []
    missing = forbidden_used = 0
    for entry in glossary.entries:
        match = _term_pattern(entry.en).search(pair.en) if pair.en else None
        if match is not None and entry.zh not in pair.zh:
            missing += 1
            findings.append(
                finding(
                    "glossary-term",
                    Severity.MAJOR,
                    f"Glossary: “{match.group()}” must be translated as {entry.zh}.",
                    match.span(),
                )
            )
        for bad in entry.forbidden:
            at = pair.zh.find(bad)
            if at >= 0 and (match is not None or entry.zh not in pair.zh):
                forbidden_used += 1
                findings.append(
                    finding(
                        "glossary-forbidden",
                        Severity.MAJOR,
                        f"Glossary: {bad} is a forbidden rendering of “{entry.en}”; "
                        f"use {entry.zh}.",
                        match.span() if match is not None else None,
                        (at, at + len(bad)),
                    )
                )
    return CheckResult(
        tuple(findings), {"missing": float(missing), "forbidden": float(forbidden_used)}
    )
