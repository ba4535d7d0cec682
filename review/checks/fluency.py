"""Fluency of the Chinese: how common its words are, from jieba's word frequencies.

Broken machine output falls apart into rare words and stray single characters; a unigram
model is crude but costs one dictionary lookup per token.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import finding, han_tokens, quote_words, zh_tokens
from review.lexicon import jieba_log_frequencies
from review.model import Finding, Pair, Severity


@functools.cache
def _word_logps() -> dict[str, tuple[float, bool]]:
    """Memo of `_word_logp`: words recur, and the log is the costly part."""
    return {}


def _word_logp(word: str) -> tuple[float, bool]:
    """log P of a word under jieba's unigram counts (add-one), and whether jieba knows it."""
    freq, log_total = jieba_log_frequencies()
    count = freq.get(word, 0)
    memo = _word_logps()
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    found = memo[word] = (math.log(count + 1) - log_total, bool(count))
    return found


_LM_NORM = regex.compile(r"[A-Za-z]+|\d+|\s+")
_BACKOFF = math.log(0.4)
# A character this unlikely after its two predecessors is one post-editors (almost) never wrote.
_LOW = math.log(0.001)
_MEMO_SIZE = 200_000


def _lm_text(zh: str) -> str:
    """The text as the character model sees it: Latin words as `a`, numbers as `0`, no spaces."""
    return _LM_NORM.sub(_lm_token, zh)


def _lm_token(match: regex.Match[str]) -> str:
    text = match.group()
    return "" if text.isspace() else "0" if text[0].isdigit() else "a"


@dataclass(frozen=True)
class CharLM:
    """A character trigram model with stupid backoff, counted on human post-edits.

    Machine output that reads badly has character sequences post-editors never write.
    """

    counts: Mapping[str, int]
    total: int
    # log P of each step of the backoff, worked out once from the counts (a few ms): scoring
    # then looks values up instead of dividing and taking logs for every new trigram.
    _tables: tuple[dict[str, float], dict[str, float], dict[str, float], float] = field(
        init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        counts = self.counts
        unseen = self.total + len(counts)
        trigram, bigram, unigram = {}, {}, {}
        for gram, count in counts.items():
            if len(gram) == 3:
                trigram[gram] = math.log(count / counts[gram[:2]])
            elif len(gram) == 2:
                bigram[gram] = _BACKOFF + math.log(count / counts.get(gram[0], count))
            else:
                unigram[gram] = math.log(0.16 * (count + 1) / unseen)
        floor = math.log(0.16 / unseen)  # a character the model never saw (count 0)
        object.__setattr__(self, "_tables", (trigram, bigram, unigram, floor))

    @classmethod
    def train(cls, texts: Iterable[str], min_count: int = 2) -> CharLM:
        """Counts of 1-, 2- and 3-grams of `texts`; longer grams seen fewer than `min_count`
        times are pruned (they are most of the table and carry little)."""
        counts: Counter[str] = Counter()
        for text in texts:
            chars = "^^" + _lm_text(text) + "$"
            for n in (1, 2, 3):
                counts.update(chars[i : i + n] for i in range(len(chars) - n + 1))
        kept = {g: c for g, c in counts.items() if len(g) == 1 or c >= min_count}
        total = sum(c for g, c in counts.items() if len(g) == 1)
        return cls(dict(sorted(kept.items())), total)

    def to_dict(self) -> dict[str, Any]:
        """A compact JSON form: the grams joined by newlines (text never has one after
        normalising), the counts in the same order."""
        return {
            "total": self.total,
            "grams": "\n".join(self.counts),
            "counts": list(self.counts.values()),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CharLM:
        """The model from `to_dict`'s form."""
        grams = str(data["grams"]).split("\n")
        return cls(dict(zip(grams, data["counts"], strict=True)), int(data["total"]))

    def logprobs(self, zh: str) -> list[float]:
        """log P of each character (and the end) given the two before it: the trigram's
        estimate, else the bigram's (backed off), else the character's."""
        chars = "^^" + _lm_text(zh) + "$"
        grams = [chars[i : i + 3] for i in range(len(chars) - 2)]
        trigram, bigram, unigram, floor = self._tables
        # No memo of grams: the tables are small, and a growing memo cost more in memory
        # traffic than the two lookups it saved.
        out: list[float | None] = list(map(trigram.get, grams))
        if None in out:
            for index, value in enumerate(out):
                if value is None:
                    gram = grams[index]
                    value = bigram.get(gram[1:])
                    out[index] = unigram.get(gram[2], floor) if value is None else value
        return out  # type: ignore[return-value]  # every None was filled in


def check_fluency(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Rare words and stray single characters in the Chinese."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    tokens = list(compress(zh_tokens(ctx.lexicon, pair.zh), han_tokens(ctx.lexicon, pair.zh)))
    if not tokens:
        return CheckResult()
    word_logps = _word_logps()
    logps = []
    unknown = []
    for token in tokens:
        found = word_logps.get(token.text)
        if found is None:
            found = _word_logp(token.text)
        logp, seen = found
        logps.append(logp)
        if not seen and not ctx.lexicon.glosses(token.text):
            unknown.append(token)
    mean = sum(logps) / len(logps)
    singles = sum(len(t.text) == 1 for t in tokens) / len(tokens)
    features = {
        "logp": mean,
        "min_logp": min(logps),
        "singles": singles,
        "unknown": len(unknown) / len(tokens),
    }
    if ctx.char_lm is not None:
        char_logps = ctx.char_lm.logprobs(pair.zh)
        features["lm_mean"] = sum(char_logps) / len(char_logps)
        features["lm_min"] = min(char_logps)
        features["lm_low"] = len([v for v in char_logps if v < _LOW]) / len(char_logps)
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
