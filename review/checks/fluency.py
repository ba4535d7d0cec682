"""Fluency of the Chinese: how common its words are, from jieba's word frequencies.

Broken machine output falls apart into rare words and stray single characters; a unigram
model is crude but costs one dictionary lookup per token.
"""

from __future__ import annotations

import functools
import logging
import math
from typing import Any

from review.checks import CheckContext, CheckResult
from review.checks._text import HAN_RUN, finding, quote_words, zh_tokens
from review.model import Finding, Pair, Severity


@functools.cache
def _frequencies() -> tuple[dict[str, int], float]:
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer: Any = jieba.dt
    tokenizer.initialize()
    return tokenizer.FREQ, math.log(tokenizer.total)


def check_fluency(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Rare words and stray single characters in the Chinese."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    tokens = [t for t in zh_tokens(ctx.lexicon, pair.zh) if HAN_RUN.fullmatch(t.text)]
    if not tokens:
        return CheckResult()
    freq, log_total = _frequencies()
    logps = []
    unknown = []
    for token in tokens:
        count = freq.get(token.text, 0)
        logps.append(math.log(count + 1) - log_total)
        if not count and not ctx.lexicon.glosses(token.text):
            unknown.append(token)
    mean = sum(logps) / len(logps)
    singles = sum(len(t.text) == 1 for t in tokens) / len(tokens)
    features = {
        "logp": mean,
        "min_logp": min(logps),
        "singles": singles,
        "unknown": len(unknown) / len(tokens),
    }
    findings: tuple[Finding, ...] = ()
    if len(unknown) >= 3 and len(unknown) >= 0.3 * len(tokens):
        findings = (
            finding(
                "unusual-wording",
                Severity.MINOR,
                f"Words no Chinese dictionary knows: {quote_words([t.text for t in unknown])}; "
                "check that the Chinese reads naturally.",
                zh_span=(unknown[0].start, unknown[0].end),
            ),
        )
    return CheckResult(findings, features)
