"""Divergence checks: one small pure function per check, each returning findings with spans.

Every check is `check_x(pair, ctx) -> CheckResult`: findings a reviewer reads, and numeric
features the learned scorer combines. Checks are registered by name and imported lazily.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from review.model import Finding, Pair

if TYPE_CHECKING:
    from review.checks.fluency import CharLM
    from review.lexicon import Glossary, Lexicon


_NO_FEATURES: Mapping[str, float] = MappingProxyType({})


class CheckResult(NamedTuple):
    """What one check found: findings with spans, and features for the scorer.

    A named tuple, not a frozen dataclass: every check returns one for every pair, and a
    frozen dataclass sets each field through `object.__setattr__` (a third more instructions).
    """

    findings: tuple[Finding, ...] = ()
    features: Mapping[str, float] = _NO_FEATURES


@dataclass(frozen=True, slots=True)
class Associations:
    """Word translations learned from the QE train data (Dice co-occurrence), both ways.

    They add to CC-CEDICT what it lacks (inflections, Wikipedia terms, loose renderings).
    """

    en_to_zh: Mapping[str, frozenset[str]]
    zh_to_en: Mapping[str, frozenset[str]]

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, list[str]]) -> Associations:
        """From `{en lemma: [zh word, …]}`, with the reverse index built too.

        All sets are built here (about 30 ms for the shipped table): built on first lookup,
        they cost more, one new word at a time, while pairs are scored.
        """
        reverse: dict[str, list[str]] = {}
        for lemma, words in pairs.items():
            for word in words:
                reverse.setdefault(word, []).append(lemma)
        return cls(
            {lemma: frozenset(words) for lemma, words in pairs.items()},
            {word: frozenset(lemmas) for word, lemmas in reverse.items()},
        )


NO_ASSOCIATIONS = Associations({}, {})


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What checks may consult besides the pair: the dictionary and an optional glossary."""

    lexicon: Lexicon
    glossary: Glossary | None = None
    # Mean and sd of `surface.length_log_ratio` over human post-edits (set by the scorer file).
    length_model: tuple[float, float] = (0.0, 0.3)
    associations: Associations = NO_ASSOCIATIONS
    # Character model of fluent Chinese (set by the scorer file); None skips its features.
    char_lm: CharLM | None = None


Check = Callable[[Pair, CheckContext], CheckResult]

# name → (family, "module:function"). A family is one module; the ablation drops families.
CHECKS: dict[str, tuple[str, str]] = {
    "empty": ("surface", "review.checks.surface:check_empty"),
    "copied": ("surface", "review.checks.surface:check_copied"),
    "length": ("surface", "review.checks.surface:check_length"),
    "repeated": ("surface", "review.checks.surface:check_repeated"),
    "brackets": ("punctuation", "review.checks.punctuation:check_brackets"),
    "punctuation": ("punctuation", "review.checks.punctuation:check_punctuation"),
    "numbers": ("numbers", "review.checks.numbers:check_numbers"),
    "latin-names": ("names", "review.checks.names:check_latin_names"),
    "entities": ("names", "review.checks.names:check_entities"),
    "coverage": ("coverage", "review.checks.coverage:check_coverage"),
    "polarity": ("meaning", "review.checks.meaning:check_polarity"),
    "fluency": ("fluency", "review.checks.fluency:check_fluency"),
    "glossary": ("glossary", "review.checks.glossary:check_glossary"),
    "alignment": ("alignment", "review.checks.alignment:check_alignment"),
}

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(family for family, _ in CHECKS.values()))

_LOADED: dict[str, Check] = {}


def get_check(name: str) -> Check:
    """The check function registered under `name`, imported on first use."""
    check = _LOADED.get(name)
    if check is None:
        module_name, function_name = CHECKS[name][1].split(":")
        check = getattr(importlib.import_module(module_name), function_name)
        _LOADED[name] = check
    return check


def family_of(feature: str) -> str:
    """The family of a scorer feature named `check.feature`."""
    return CHECKS[feature.split(".", 1)[0]][0]
