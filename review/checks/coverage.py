"""Omission and addition through dictionary coverage in both directions.

An English content word is covered when a CC-CEDICT translation of it occurs in the Chinese; a
Chinese word is covered when one of its glosses is an English word of the source. Runs of
uncovered words are reported as possibly dropped or added material.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from review.checks import Associations, CheckContext, CheckResult
from review.checks._text import (
    ZH_FUNCTION_WORDS,
    Word,
    en_words,
    finding,
    han_tokens,
    quote_words,
    zh_substrings,
    zh_tokens,
)
from review.lexicon import EN_STOPWORDS, word_rarity
from review.model import Finding, Pair, Severity

if TYPE_CHECKING:
    from review.lexicon import Lexicon, ZhToken


@functools.lru_cache(maxsize=65_536)
def gloss_lemmas(lexicon: Lexicon, zh_word: str) -> frozenset[str]:
    """English lemmas of the word's glosses; for a word the dictionary lacks, of its characters."""
    lemmas = lexicon.gloss_word_lemmas(zh_word)
    if lemmas is None:
        if len(zh_word) > 1:
            # The same set as from all the characters' glosses at once, from cached parts.
            return frozenset().union(*(gloss_lemmas(lexicon, char) for char in zh_word))
        return frozenset()
    return lemmas


@functools.lru_cache(maxsize=4096)
def _content_en(lexicon: Lexicon, en: str) -> tuple[tuple[Word, str], ...]:
    """The content words of the English with their lower-case forms."""
    # "rd" of "3rd" is a suffix, not a word.
    found = []
    for w in en_words(lexicon, en):
        lower = w.text.lower()
        if lower in EN_STOPWORDS or len(w.text) < 2 or (w.start and en[w.start - 1].isdigit()):
            continue
        found.append((w, lower))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _en_lemmas(lexicon: Lexicon, en: str) -> frozenset[str]:
    return frozenset(w.lemma for w in en_words(lexicon, en))


def _runs(items: list[tuple[int, int, str, bool]], gap_ok: int) -> list[list[tuple[int, int, str]]]:
    """Runs of uncovered items (start, end, text, uncovered) broken by covered ones."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for start, end, text, uncovered in items:
        if uncovered:
            if current and start - current[-1][1] > gap_ok:
                runs.append(current)
                current = []
            current.append((start, end, text))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _run_findings(
    runs: list[list[tuple[int, int, str]]], code: str, message: str, *, side: str
) -> list[Finding]:
    """One finding per run of two or more uncovered words: major from four words on."""
    found = []
    for run in runs:
        if len(run) < 2:
            continue
        span = (run[0][0], run[-1][1])
        found.append(
            finding(
                code,
                Severity.MAJOR if len(run) >= 4 else Severity.MINOR,
                message.format(words=quote_words([w for _, _, w in run])),
                span if side == "en" else None,
                zh_span=span if side == "zh" else None,
            )
        )
    return found


class _Targets:
    """Per word, what covers it, for one lexicon and one set of learned associations.

    EN lemma → the Chinese words that translate it (dictionary, learned); ZH word → the
    English lemmas of its glosses and the learned ones. Words recur across pairs: each is
    worked out once.
    """

    __slots__ = ("associations", "en", "lexicon", "zh")

    def __init__(self, lexicon: Lexicon, associations: Associations) -> None:
        self.lexicon = lexicon
        self.associations = associations
        # lemma → (known, dictionary words, learned words); known is False when neither
        # source knows it. Kept apart: a union would copy the large dictionary sets.
        self.en: dict[str, tuple[bool, frozenset[str], frozenset[str]]] = {}
        # token → (gloss lemmas, learned lemmas) that cover it, or None when it is skipped
        # (function word, non-Han, unknown to both sources). Kept apart like the English.
        self.zh: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}

    def en_targets(self, lemma: str, word: str) -> tuple[bool, frozenset[str], frozenset[str]]:
        candidates = self.lexicon.zh_for_word(word)
        learned = self.associations.en_to_zh.get(lemma) or _NONE
        return bool(candidates or learned), candidates, learned

    def zh_targets(self, text: str, han: bool) -> tuple[frozenset[str], frozenset[str]] | None:
        """`han`: the token is all Han characters (`han_tokens`)."""
        if not han or text in ZH_FUNCTION_WORDS:
            return None
        lemmas = gloss_lemmas(self.lexicon, text)
        learned = self.associations.zh_to_en.get(text)
        if not lemmas and not learned:
            return None
        return lemmas, learned or _NONE


_NONE: frozenset[str] = frozenset()
_UNKNOWN: Any = object()  # a token the memo has not seen (None is a token it skips)
_MEMO_LIMIT = 200_000
_memo: list[_Targets] = []


def _targets(ctx: CheckContext) -> _Targets:
    """The word memo for this context's lexicon and associations (a new one when they change)."""
    if _memo:
        memo = _memo[0]
        if memo.lexicon is ctx.lexicon and memo.associations is ctx.associations:
            if len(memo.en) + len(memo.zh) > _MEMO_LIMIT:
                memo.en.clear()
                memo.zh.clear()
            return memo
    memo = _Targets(ctx.lexicon, ctx.associations)
    _memo[:] = [memo]
    return memo


def check_coverage(pair: Pair, ctx: CheckContext) -> CheckResult:
    """English words with no counterpart in the Chinese, and Chinese words with no source."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    lexicon = ctx.lexicon
    memo = _targets(ctx)
    en_memo, zh_memo = memo.en, memo.zh
    substrings = zh_substrings(pair.zh)
    en_items: list[tuple[int, int, str, bool]] = []
    en_known = en_covered = en_unknown = 0
    # Chinese characters that render a covered English word: the tokens inside them have a
    # source even when their own glosses differ (生物 + 技术 for "biotechnology").
    rendered: set[int] = set()
    zh_lower = pair.zh.lower()
    zh = pair.zh
    # Words and tokens are unpacked, not read by field name: a named tuple's field is a
    # descriptor call, and these loops run for every word of every pair.
    for (text, lemma, start, end), lower in _content_en(lexicon, pair.en):
        if lower in zh_lower:
            en_known += 1
            en_covered += 1
            en_items.append((start, end, text, False))
            continue
        found = en_memo.get(lemma)
        if found is None:
            found = en_memo[lemma] = memo.en_targets(lemma, text)
        known, candidates, learned = found
        if not known:
            # No evidence either way, except that an unknown word the Chinese does not keep
            # was guessed at (MT turns typos and rare names into other words).
            en_unknown += len(text) > 2
            continue
        en_known += 1
        # Each set met with the small substring set (a union first would copy the large
        # dictionary set of a common word, "make", for every pair), and once: a disjointness
        # test before the intersection walked the substrings twice.
        targets = candidates & substrings
        if learned:
            targets |= learned & substrings
        covered = bool(targets)
        en_covered += covered
        for target in targets:
            at = zh.find(target)
            rendered.update(range(at, at + len(target)))
        en_items.append((start, end, text, not covered))
    en_lemmas = _en_lemmas(lexicon, pair.en)
    zh_items: list[tuple[int, int, str, bool]] = []
    zh_known = zh_covered = 0
    tokens: tuple[ZhToken, ...] = zh_tokens(lexicon, zh)
    for (text, start, end), han in zip(tokens, han_tokens(lexicon, zh), strict=True):
        # One lookup, not `in` and then `[]`: the memo is large, and each probe of it is a
        # cache miss. A token that is skipped is remembered as None.
        sources = zh_memo.get(text, _UNKNOWN)
        if sources is _UNKNOWN:
            sources = zh_memo[text] = memo.zh_targets(text, han)
        if sources is None:
            continue
        zh_known += 1
        covered = (
            not sources[0].isdisjoint(en_lemmas)
            or not sources[1].isdisjoint(en_lemmas)
            or (start in rendered and end - 1 in rendered)
        )
        zh_covered += covered
        zh_items.append((start, end, text, not covered))
    en_runs, zh_runs = _runs(en_items, gap_ok=12), _runs(zh_items, gap_ok=3)
    findings = [
        *_run_findings(en_runs, "omission", "No counterpart in the Chinese for {words}: "
                       "possibly dropped or mistranslated.", side="en"),
        *_run_findings(zh_runs, "addition", "No source in the English for {words}: "
                       "possibly added or mistranslated.", side="zh"),
    ]  # fmt: skip
    en_lone = [i for i in en_items if i[3]]
    zh_lone = [i for i in zh_items if i[3]]
    if len(en_lone) == 1 and len(zh_lone) == 1 and len(en_items) <= 8:
        # A short segment where exactly one word on each side has no counterpart: most likely
        # the one was rendered as the other, wrongly ("Development" as 破坏). Minor: the
        # dictionary also misses good renderings (能力 for "Capacity").
        (en_start, en_end, en_text, _), (zh_start, zh_end, zh_text, _) = en_lone[0], zh_lone[0]
        gloss = lexicon.glosses(zh_text)
        meaning = f" (“{gloss[0]}”)" if gloss else ""
        findings.append(
            finding(
                "mistranslation",
                Severity.MINOR,
                f"“{en_text}” and {zh_text}{meaning} do not match in the dictionary: check "
                "that one translates the other.",
                (en_start, en_end),
                (zh_start, zh_end),
            )
        )
    en_missing = en_known - en_covered
    zh_missing = zh_known - zh_covered
    # A rare word with no source is more telling than a common one: MT fills gaps with
    # confident wrong words (疟疾 "malaria" for the city "malayer").
    rarities = [word_rarity(text) for _, _, text, uncovered in zh_items if uncovered]
    features = {
        "en_cov": en_covered / en_known if en_known else 1.0,
        "zh_cov": zh_covered / zh_known if zh_known else 1.0,
        "en_missing": float(en_missing),
        "zh_missing": float(zh_missing),
        "en_run": float(max((len(r) for r in en_runs), default=0)),
        "zh_run": float(max((len(r) for r in zh_runs), default=0)),
        "zh_rare_max": max(rarities, default=0.0),
        "zh_rare_sum": sum(rarities),
        "en_unknown": float(en_unknown),
    }
    return CheckResult(tuple(findings), features)
