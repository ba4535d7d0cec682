"""Run the checks and combine their features into one divergence score in [0, 1].

The combination is a small learned model (weights in `review/data/scorer.json`, trained by
`scripts/train_scorer.py`) applied with plain Python, so scoring needs no ML library.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from review import __version__
from review.checks import (
    CHECKS,
    FAMILIES,
    NO_ASSOCIATIONS,
    Associations,
    Check,
    CheckContext,
    CheckResult,
    get_check,
)
from review.model import Finding, Pair, PairKind, Severity

if TYPE_CHECKING:
    from review.checks.fluency import CharLM
    from review.lexicon import Glossary, Lexicon

_SCORER_FILE = "scorer.json"
# Trees per generated expression (see `Head.compiled`).
_CHUNK = 25


Tree = tuple[
    tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[float, ...]
]
"""A regression tree as arrays: left child, right child, feature, threshold, leaf value."""


def _tree_source(tree: Tree, node: int) -> str:
    left, right, feature, threshold, value = tree
    if left[node] < 0:
        return repr(float(value[node]))
    return (
        f"({_tree_source(tree, left[node])} if x{int(feature[node])} <= "
        f"{float(threshold[node])!r} else {_tree_source(tree, right[node])})"
    )


@dataclass(frozen=True)
class Head:
    """One boosted-tree model, standardised so several could be mixed (the shipped file has
    one, fitted to DA, HTER and critical errors together)."""

    name: str
    init: float
    center: float
    scale: float
    weight: float
    trees: tuple[Tree, ...]

    @functools.cached_property
    def compiled(self) -> Callable[[Sequence[float]], float]:
        """`raw` as one generated Python function, several times faster than walking: the
        features in local variables, the trees summed in chunks (one very long sum evaluates
        more slowly than a few short ones), the chunks summed as `raw` adds trees."""
        used = {
            int(feature)
            for tree in self.trees
            for feature, left in zip(tree[2], tree[0], strict=True)
            if left >= 0
        }
        lines = ["def trees(x):"]
        if used:
            names = ", ".join(f"x{i}" if i in used else "_" for i in range(max(used) + 1))
            lines.append(f"    {names}, *_rest = x")
        chunks: list[str] = []
        for start in range(0, len(self.trees), _CHUNK):
            terms = [_tree_source(tree, 0) for tree in self.trees[start : start + _CHUNK]]
            chunks.append(f"c{len(chunks)}")
            lines.append(f"    {chunks[-1]} = " + " + ".join(terms))
        lines.append(f"    return sum(({', '.join(chunks)}{',' if chunks else ''}))")
        namespace: dict[str, Any] = {"__builtins__": {"sum": sum}}
        # The source holds only numbers from our own weights file; only `sum` is reachable.
        exec(compile("\n".join(lines), "<scorer>", "exec"), namespace)
        trees = namespace["trees"]
        init = self.init

        def function(x: Sequence[float]) -> float:
            return init + trees(x)

        return function

    def raw(self, x: Sequence[float]) -> float:
        """The head's raw prediction for one feature vector (reference implementation)."""
        total = self.init
        for left, right, feature, threshold, value in self.trees:
            node = 0
            while left[node] >= 0:
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            total += value[node]
        return total


@dataclass(frozen=True)
class Scorer:
    """The learned combination: feature order, heads, the flag threshold and what checks use."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    heads: tuple[Head, ...]
    bias: float
    threshold: float
    length_model: tuple[float, float]
    digest: str
    kind: str = "gbm"
    spread: float = 1.0
    # A pair with a critical finding scores at least this: the model learned from data where
    # such findings are rare, and the reviewer should still see them (chosen by train CV).
    critical_floor: float = 0.0
    associations: Associations = NO_ASSOCIATIONS
    char_lm: CharLM | None = None

    def predict(self, values: Mapping[str, float], drop: frozenset[str] = frozenset()) -> float:
        """Divergence in [0, 1] for one pair's features; `drop` sets the features of those
        checks to their training mean (for the ablation)."""
        x = list(map(values.get, self.features, _ZEROS))
        # A sum is finite only when every term is (inf + -inf is nan); an overflow to inf
        # only sends finite values down the slow path, which keeps them.
        if drop or not math.isfinite(sum(x)):
            for index, (name, mean) in enumerate(zip(self.features, self.mean, strict=True)):
                if not math.isfinite(x[index]) or (drop and name.split(".", 1)[0] in drop):
                    x[index] = mean
        logit = self.bias
        for head in self.heads:
            logit += head.weight * (head.compiled(x) - head.center) / head.scale
        return _sigmoid(logit / self.spread)


_ZEROS = itertools.repeat(0.0)  # the default of each feature a pair lacks


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-min(x, 500.0)))
    e = math.exp(max(x, -500.0))
    return e / (1.0 + e)


def _head(data: Mapping[str, Any]) -> Head:
    trees = tuple(
        (
            tuple(int(v) for v in tree[0]),
            tuple(int(v) for v in tree[1]),
            tuple(int(v) for v in tree[2]),
            tuple(float(v) for v in tree[3]),
            tuple(float(v) for v in tree[4]),
        )
        for tree in data["trees"]
    )
    return Head(
        name=str(data["name"]),
        init=float(data["init"]),
        center=float(data["center"]),
        scale=float(data["scale"]) or 1.0,
        weight=float(data["weight"]),
        trees=trees,
    )


def scorer_digest(raw: bytes) -> str:
    """The model id in the signature: the start of the weights file's SHA-256."""
    return hashlib.sha256(raw).hexdigest()[:8]


def scorer_from_dict(data: Mapping[str, Any], digest: str = "") -> Scorer:
    """A Scorer from the JSON form the training script writes; `digest` names the file."""
    return Scorer(
        features=tuple(data["features"]),
        mean=tuple(float(v) for v in data["mean"]),
        heads=tuple(_head(h) for h in data["heads"]),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        length_model=(float(data["length_model"][0]), float(data["length_model"][1])),
        digest=digest or "unsaved",
        kind=str(data.get("kind", "gbm")),
        spread=float(data.get("spread", 1.0)),
        critical_floor=float(data.get("critical_floor", 0.0)),
        associations=Associations.from_pairs(data.get("associations", {})),
        char_lm=_char_lm(data.get("char_lm")),
    )


def _char_lm(data: Mapping[str, Any] | None) -> CharLM | None:
    if not data:
        return None
    from review.checks.fluency import CharLM

    return CharLM.from_dict(data)


@functools.cache
def load_scorer() -> Scorer:
    """The shipped scorer (`review/data/scorer.json`)."""
    raw = resources.files("review.data").joinpath(_SCORER_FILE).read_bytes()
    return scorer_from_dict(json.loads(raw), scorer_digest(raw))


def make_context(glossary: Glossary | None = None, lexicon: Lexicon | None = None) -> CheckContext:
    """The context checks run in: the shared lexicon (with the glossary's terms) and the
    length model of the shipped scorer."""
    from review.lexicon import get_lexicon

    base = lexicon or get_lexicon()
    if glossary is not None:
        base = base.with_glossary(glossary)
    scorer = load_scorer()
    # Importing the check modules is a one-off cost like the dictionary's: pay it here.
    for name in CHECKS:
        get_check(name)
    _settle_collector()
    return CheckContext(base, glossary, scorer.length_model, scorer.associations, scorer.char_lm)


@functools.cache
def _settle_collector() -> None:
    """Keep Python's cycle collector off the scoring path, once per process.

    Scoring makes no reference cycles (the collector finds nothing), yet with the default
    thresholds it ran every few pairs and re-scanned the loaded dictionary and the checks'
    word caches: 0.29 of 2 s over 2000 new pairs, 0.08 s after this. The loaded data is
    moved out of its scans (`gc.freeze`) and it runs less often; it still runs.
    """
    gc.freeze()
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, 5000), max(second, 50), max(third, 100))


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Keep the cycle collector off while a batch of pairs is scored, then restore it.

    Scoring makes no reference cycles (the collector found none after all 15,859 QE pairs), so
    collections during it only cost time. With `freeze`, what exists at the end is also moved
    out of the collector's scans (`gc.freeze`): in a process that only scores (`review score`
    and its workers) that is the checks' cache entries, many of them sets of hundreds of words,
    which later collections would traverse again and again (about 7% of scoring time). Not for
    an interactive process: an object frozen there is never collected if it later becomes
    cyclic garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def run_checks(pair: Pair, ctx: CheckContext) -> tuple[list[Finding], dict[str, float]]:
    """Every registered per-pair check: all findings, and features named `check.feature`."""
    checks = _checks()
    return _merged(checks, [check(pair, ctx) for _, check, _ in checks])


def run_checks_many(
    pairs: Sequence[Pair], ctx: CheckContext
) -> list[tuple[list[Finding], dict[str, float]]]:
    """`run_checks` of each pair, the same findings and features, each check run over a block
    of pairs before the next: its code and tables stay in the CPU's caches (a fifth less CPU
    time than pair by pair). A block stays within the 4,096 texts the per-text caches hold."""
    checks = _checks()
    merged = []
    for start in range(0, len(pairs), _BLOCK):
        block = pairs[start : start + _BLOCK]
        columns = [[check(pair, ctx) for pair in block] for _, check, _ in checks]
        merged += [_merged(checks, results) for results in zip(*columns, strict=True)]
    return merged


# Pairs each check runs over in `run_checks_many` before the next check.
_BLOCK = 1000


def _merged(
    checks: tuple[tuple[str, Check, dict[str, str]], ...], results: Sequence[CheckResult]
) -> tuple[list[Finding], dict[str, float]]:
    """One pair's findings and features from its checks' results, in the checks' order."""
    findings: list[Finding] = []
    features: dict[str, float] = {}
    # A loop, not `features.update(zip(map(...)))`: checks have three features on average, and
    # building the iterators cost more than the loop (8.5 against 13-15 us per pair).
    for (name, _, full_names), result in zip(checks, results, strict=True):
        if result.findings:
            findings.extend(result.findings)
        for key, value in result.features.items():
            full = full_names.get(key)
            if full is None:
                full = full_names[key] = f"{name}.{key}"
            features[full] = float(value)
    return findings, features


@functools.cache
def _checks() -> tuple[tuple[str, Check, dict[str, str]], ...]:
    """Each check with its name and a memo of its features' full names (they are the same
    few for every pair: formatting them was a good part of `_merged`)."""
    return tuple((name, get_check(name), {}) for name in CHECKS)


def _order(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: -f.severity.rank))


def score_pair(pair: Pair, ctx: CheckContext, scorer: Scorer | None = None) -> Pair:
    """The pair with divergence, flag and findings from the per-pair checks (no cross-pair)."""
    findings, features = run_checks(pair, ctx)
    return _scored(pair, findings, features, scorer or load_scorer())


def score_many(
    pairs: Sequence[Pair], ctx: CheckContext, scorer: Scorer | None = None
) -> list[Pair]:
    """`score_pair` of each pair, the same values, with the checks run one at a time over
    blocks of pairs (`run_checks_many`)."""
    scorer = scorer or load_scorer()
    return [
        _scored(pair, findings, features, scorer)
        for pair, (findings, features) in zip(pairs, run_checks_many(pairs, ctx), strict=True)
    ]


def _scored(
    pair: Pair, findings: list[Finding], features: dict[str, float], scorer: Scorer
) -> Pair:
    """The scored pair from its checks' findings and features."""
    predicted = scorer.predict(features) if pair.kind is PairKind.TRANSLATED else None
    if predicted is None:
        # Nothing to compare: the finding says what is wrong, the score puts it at the flag.
        divergence = 0.0 if not pair.en.strip() and not pair.zh.strip() else scorer.threshold
    else:
        divergence = predicted
        if any(f.severity is Severity.CRITICAL for f in findings):
            divergence = max(divergence, scorer.critical_floor)
    flagged = divergence >= scorer.threshold and (
        predicted is not None or bool(pair.en.strip() or pair.zh.strip())
    )
    if pair.boilerplate:
        findings = [replace(f, severity=Severity.MINOR) for f in findings]
        divergence, flagged = min(divergence, scorer.threshold * 0.5), False
    # Every field by name: `dataclasses.replace` costs twice as much, once per pair. A test
    # checks that scoring keeps every other field.
    return Pair(
        id=pair.id,
        doc_id=pair.doc_id,
        en=pair.en,
        zh=pair.zh,
        en_ids=pair.en_ids,
        zh_ids=pair.zh_ids,
        line=pair.line,
        section=pair.section,
        boilerplate=pair.boilerplate,
        align_confidence=pair.align_confidence,
        divergence=min(1.0, max(0.0, divergence)),
        flagged=flagged,
        findings=_order(findings),
        notes=pair.notes,
        props=pair.props,
        inline=pair.inline,
    )


def score_pairs(pairs: Sequence[Pair], *, glossary: Glossary | None = None) -> list[Pair]:
    """Score every pair, then add findings of the whole-input consistency check."""
    from review.checks.consistency import check_consistency

    ctx = make_context(glossary)
    scorer = load_scorer()
    with collector_paused():
        scored = score_many(pairs, ctx, scorer)
    extra = check_consistency(scored)
    if not extra:
        return scored
    return [
        replace(p, findings=_order([*p.findings, *extra[p.id]])) if p.id in extra else p
        for p in scored
    ]


def signature(lexicon: Lexicon | None = None) -> str:
    """A sacrebleu-style string naming checks, model, dictionary, flag threshold and version."""
    from review.lexicon import get_lexicon

    scorer = load_scorer()
    version = (lexicon or get_lexicon()).version
    families = "+".join([*FAMILIES, "consistency"])
    return (
        f"review-div|checks:{families}|model:{scorer.kind}-{scorer.digest}"
        f"|flag:{scorer.threshold:.3f}|dict:{version}|v:{__version__}"
    )


def jsonl_lines(pairs: Iterable[Pair]) -> Iterator[str]:
    """One JSON object per pair, in the order given."""
    for pair in pairs:
        yield json.dumps(pair.to_dict(), ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split())


def tsv_lines(pairs: Iterable[Pair]) -> Iterator[str]:
    """A header and one row per pair: id, divergence, flagged, en, zh, findings."""
    yield "id\tdivergence\tflagged\ten\tzh\tfindings\n"
    for pair in pairs:
        findings = "; ".join(f"{f.severity.value}:{f.code}" for f in pair.findings)
        divergence = "" if pair.divergence is None else f"{pair.divergence:.4f}"
        yield (
            f"{pair.id}\t{divergence}\t{int(pair.flagged)}\t{_cell(pair.en)}\t"
            f"{_cell(pair.zh)}\t{findings}\n"
        )


def text_table(pairs: Sequence[Pair], caption: str = "") -> Any:
    """A rich Table of the pairs, most divergent first, with each finding's words quoted."""
    from rich.markup import escape
    from rich.table import Table

    from review.terminal import visible

    def shown(text: str) -> str:
        return escape(visible(text))  # no markup, no control character reaches the terminal

    table = Table(caption=caption, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("div", justify="right", no_wrap=True)
    table.add_column("EN", ratio=3)
    table.add_column("ZH", ratio=3)
    table.add_column("findings", ratio=4)
    numbered = sorted(enumerate(pairs, start=1), key=lambda item: -(item[1].divergence or 0.0))
    for number, pair in numbered:
        lines = []
        for f in pair.findings:
            words = [
                text[span[0] : span[1]]
                for text, span in ((pair.en, f.en_span), (pair.zh, f.zh_span))
                if span is not None and span[1] - span[0] <= 40
            ]
            where = f" [{' / '.join(words)}]" if words else ""
            lines.append(f"{f.severity.value} {shown(f.code)}: {shown(f.message)}{shown(where)}")
        divergence = "" if pair.divergence is None else f"{pair.divergence:.2f}"
        flag = "[bold red]⚑[/] " if pair.flagged else ""
        table.add_row(
            str(number), f"{flag}{divergence}", shown(pair.en), shown(pair.zh), "\n".join(lines)
        )
    return table
