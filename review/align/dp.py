"""Bead scoring and the coarse-to-fine banded dynamic programme over beads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from review.align.features import Evidence, Side

# Bead types as (EN sentences, ZH sentences) with their share among the beads of the mac-dev
# gold (ZH-to-EN literary translation; rare types get a floor of 0.2%).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.615,
    (2, 1): 0.207,
    (3, 1): 0.056,
    (1, 2): 0.047,
    (4, 1): 0.025,
    (2, 2): 0.016,
    (3, 2): 0.010,
    (5, 1): 0.004,
    (2, 3): 0.003,
    (1, 3): 0.002,
    (1, 4): 0.002,
}
SKIP_TYPES = ((1, 0), (0, 1))
MAX_EN = max(a for a, _ in BEAD_PRIORS)
MAX_ZH = max(b for _, b in BEAD_PRIORS)

# Length model (Gale & Church 1993 on characters): ZH non-space characters ≈ LEN_RATIO × EN
# non-space characters, with variance LEN_VAR × EN characters. Fitted on the mac-dev gold beads
# that have both sides (1,316 beads): LEN_RATIO = ΣZH / ΣEN, LEN_VAR = mean((zh − c·en)² / en).
LEN_RATIO = 0.2945
LEN_VAR = 0.855
# Prior for the chance match rate: per item a sentence's translations cover, and its weight in
# matchable-weight units (about ten sentences' worth).
CHANCE_PER_ITEM = 0.05 / 30
CHANCE_PSEUDO = 300.0


@dataclass(frozen=True)
class Params:
    """Weights of the bead cost; tuned on mac-dev only (see benchmarks/align_mac.py)."""

    lexical: float = 0.06  # times the log-likelihood ratio of the dictionary matches
    length: float = 0.5  # times the squared Gale–Church deviate / 2
    length_cap: float = 8.0
    punct: float = 0.5  # per unmatched question, exclamation, quotation or colon
    prior: float = 1.0  # times −log(bead-type share / 1-1 share)
    skip: float = 5.0  # per unaligned sentence (1-0 / 0-1 bead)
    band: int = 12  # half-width of the search band around the projected coarse path
    full_cells: int = 200_000  # below this many DP cells, search the whole matrix
    ratio_prior: float = 500.0  # pseudo-characters of the fitted ratio in the per-document one
    margin_scale: float = 1.0  # confidence = 1 − exp(−margin to the runner-up / margin_scale)
    gain: float = 0.22  # a translation matches chance + gain × (1 − chance) of its weight


@dataclass(frozen=True, slots=True)
class Step:
    """One bead of the best path: where it ends, its shape, and its confidence."""

    en_end: int
    zh_end: int
    en_count: int
    zh_count: int
    confidence: float


def search(evidence: Evidence, params: Params) -> list[Step]:
    """The best bead path through the whole document pair, found coarse to fine."""
    # Translators differ in how much they expand (mac-dev documents range from 0.23 to 0.35 ZH
    # characters per EN character), so the ratio is re-estimated per document, shrunk towards
    # the fitted one by `ratio_prior` pseudo-characters.
    total_en = float(evidence.en.length.sum())
    total_zh = float(evidence.zh.length.sum())
    ratio = (total_zh + LEN_RATIO * params.ratio_prior) / (total_en + params.ratio_prior)
    return _search(evidence.en, evidence.zh, evidence, params, ratio)


def _search(en: Side, zh: Side, evidence: Evidence, params: Params, ratio: float) -> list[Step]:
    n, m = len(en), len(zh)
    if (n + 1) * (m + 1) <= params.full_cells or min(n, m) < 8:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        coarse = _search(en.merged(), zh.merged(), evidence, params, ratio)
        lo, hi = _project(coarse, n, m, params.band)
    return _dp(en, zh, evidence, params, ratio, lo, hi)


def _project(coarse: list[Step], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The fine-level band: every row's ZH range on the doubled coarse path, widened."""
    jmin = np.full(n + 1, m, dtype=np.int64)
    jmax = np.zeros(n + 1, dtype=np.int64)
    for step in coarse:
        i0, i1 = min(2 * (step.en_end - step.en_count), n), min(2 * step.en_end, n)
        j0, j1 = min(2 * (step.zh_end - step.zh_count), m), min(2 * step.zh_end, m)
        jmin[i0 : i1 + 1] = np.minimum(jmin[i0 : i1 + 1], j0)
        jmax[i0 : i1 + 1] = np.maximum(jmax[i0 : i1 + 1], j1)
    lo = np.maximum.accumulate(np.clip(jmin - width, 0, m))
    hi = np.minimum.accumulate(np.clip(jmax + width, 0, m)[::-1])[::-1]
    lo[0], hi[n] = 0, m
    return lo, np.maximum(hi, lo)


class _PairSums:
    """Row prefix sums of sentence-pair dictionary matches over the band, both directions."""

    def __init__(self, en: Side, zh: Side, evidence: Evidence, lo: np.ndarray, hi: np.ndarray):
        n, m = len(en), len(zh)
        en_w = evidence.en_weights.tolist()
        zh_w = evidence.zh_weights.tolist()
        self.start = np.empty(n, dtype=np.int64)
        self.offset = np.empty(n, dtype=np.int64)
        self.width = np.empty(n, dtype=np.int64)
        en_values: list[float] = []
        zh_values: list[float] = []
        for i in range(n):
            start = max(0, int(lo[i]) - MAX_ZH)
            stop = min(m, int(hi[min(n, i + MAX_EN)]))
            self.start[i], self.offset[i], self.width[i] = start, len(en_values), stop - start
            items, cover = en.items[i], en.cover[i]
            total_en = total_zh = 0.0
            en_values.append(0.0)
            zh_values.append(0.0)
            for j in range(start, stop):
                shared = items & zh.cover[j]
                if shared:
                    total_en += sum(en_w[t] for t in shared)
                covered = zh.items[j] & cover
                if covered:
                    total_zh += sum(zh_w[k] for k in covered)
                en_values.append(total_en)
                zh_values.append(total_zh)
        self.en = np.array(en_values, dtype=np.float64)
        self.zh = np.array(zh_values, dtype=np.float64)
        # Chance match rates: the share of matchable weight that finds a match in an arbitrary
        # sentence of the band (nearly all of whose pairs are not translations).
        ends = self.offset + self.width
        zh_cum = _cumsum0(zh.weight)
        en_possible = float((en.weight * self.width).sum())
        zh_possible = float((zh_cum[self.start + self.width] - zh_cum[self.start]).sum())
        # Few pairs (a short text, or paragraphs) are mostly translations, so the estimate is
        # shrunk towards the rate seen on mac-dev sentences (about 0.05 per 30 cover items),
        # scaled by how many items a sentence here covers.
        en_prior = min(0.5, CHANCE_PER_ITEM * _mean_size(zh.cover))
        zh_prior = min(0.5, CHANCE_PER_ITEM * _mean_size(en.cover))
        self.en_rate = (float(self.en[ends].sum()) + en_prior * CHANCE_PSEUDO) / (
            en_possible + CHANCE_PSEUDO
        )
        self.zh_rate = (float(self.zh[ends].sum()) + zh_prior * CHANCE_PSEUDO) / (
            zh_possible + CHANCE_PSEUDO
        )

    def block(self, i: int, js: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Matches of EN sentence i with ZH sentences [j − b, j) for every j in js."""
        base, start, width = int(self.offset[i]), int(self.start[i]), int(self.width[i])
        upper = base + np.clip(js - start, 0, width)
        lower = base + np.clip(js - b - start, 0, width)
        return self.en[upper] - self.en[lower], self.zh[upper] - self.zh[lower]


def _mean_size(sets: list[frozenset[int]]) -> float:
    return sum(len(x) for x in sets) / max(len(sets), 1)


def _cumsum0(values: np.ndarray) -> np.ndarray:
    zero = np.zeros((1, *values.shape[1:]), dtype=np.float64)
    return np.concatenate([zero, np.cumsum(values, axis=0)])


def _dp(
    en: Side,
    zh: Side,
    evidence: Evidence,
    params: Params,
    ratio: float,
    lo: np.ndarray,
    hi: np.ndarray,
) -> list[Step]:
    n, m = len(en), len(zh)
    pairs = _PairSums(en, zh, evidence, lo, hi)
    en_weight, zh_weight = _cumsum0(en.weight), _cumsum0(zh.weight)
    en_len, zh_len = _cumsum0(en.length), _cumsum0(zh.length)
    en_punct, zh_punct = _cumsum0(en.punct), _cumsum0(zh.punct)
    types = list(BEAD_PRIORS)
    variance = LEN_VAR * ratio / LEN_RATIO
    prior_cost = {
        t: -np.log(p / BEAD_PRIORS[(1, 1)]) * params.prior for t, p in BEAD_PRIORS.items()
    }
    # A bead with k sentences on the other side matches by chance with 1 − (1 − rate)^k.
    chance_en = [1.0 - (1.0 - min(pairs.en_rate, 0.9)) ** k for k in range(MAX_ZH + 1)]
    chance_zh = [1.0 - (1.0 - min(pairs.zh_rate, 0.9)) ** k for k in range(MAX_EN + 1)]
    skip_index, chain_index = len(types), len(types) + 1
    costs: list[np.ndarray] = []
    choices: list[np.ndarray] = []
    margins: list[np.ndarray] = []
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1)
        width = len(js)
        candidates = np.full((len(types) + 1, width), np.inf)
        if i == 0:
            candidates[0, js == 0] = 0.0
        matches: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        for t, (a, b) in enumerate(types):
            if a > i:
                continue
            previous = _previous(costs[i - a], int(lo[i - a]), js - b)
            if not np.isfinite(previous).any():
                continue
            match_en = np.zeros(width)
            match_zh = np.zeros(width)
            for k in range(i - a, i):
                key = (k, b)
                if key not in matches:
                    matches[key] = pairs.block(k, js, b)
                match_en += matches[key][0]
                match_zh += matches[key][1]
            j_from = np.maximum(js - b, 0)
            weight_en = en_weight[i] - en_weight[i - a]
            weight_zh = zh_weight[js] - zh_weight[j_from]
            lexical = -params.lexical * (
                _evidence(match_en, weight_en, chance_en[b], params.gain)
                + _evidence(match_zh, weight_zh, chance_zh[a], params.gain)
            )
            length_en = en_len[i] - en_len[i - a]
            length_zh = zh_len[js] - zh_len[j_from]
            deviate = (length_zh - ratio * length_en) ** 2 / (variance * max(length_en, 1.0))
            length = params.length * np.minimum(deviate / 2.0, params.length_cap)
            punct = params.punct * np.abs(
                (en_punct[i] - en_punct[i - a])[None, :] - (zh_punct[js] - zh_punct[j_from])
            ).sum(axis=1)
            candidates[t] = previous + lexical + length + punct + prior_cost[(a, b)]
        if i >= 1:  # 1-0: an EN sentence with no ZH counterpart
            candidates[skip_index] = _previous(costs[i - 1], int(lo[i - 1]), js) + params.skip
        order = np.argsort(candidates, axis=0)
        best = np.take_along_axis(candidates, order[:1], axis=0)[0]
        second = np.take_along_axis(candidates, order[1:2], axis=0)[0]
        choice = order[0].astype(np.int8)
        # 0-1 beads chain along the row: cost[j] = min(direct[j], cost[j − 1] + skip).
        ramp = params.skip * np.arange(width)
        chained = np.minimum.accumulate(best - ramp) + ramp
        chain_wins = chained < best - 1e-12
        with np.errstate(invalid="ignore"):  # unreachable cells: inf − inf, never on the path
            margin = np.where(chain_wins, best - chained, second - best)
        choice[chain_wins] = chain_index
        costs.append(np.minimum(best, chained))
        choices.append(choice)
        margins.append(margin)
    return _backtrace(types, costs, choices, margins, lo, n, m, params)


def _evidence(
    matched: np.ndarray, possible: np.ndarray | float, chance: float, gain: float
) -> np.ndarray:
    """Log-likelihood ratio of the matches under "translation" against "chance" (binomial)."""
    chance = min(max(chance, 1e-3), 0.95)
    p_match = chance + gain * (1.0 - chance)
    hits = np.minimum(matched, possible)
    misses = np.maximum(np.asarray(possible) - hits, 0.0)
    return hits * np.log(p_match / chance) + misses * np.log((1.0 - p_match) / (1.0 - chance))


def _previous(row: np.ndarray, row_lo: int, js: np.ndarray) -> np.ndarray:
    index = js - row_lo
    valid = (index >= 0) & (index < len(row))
    return np.where(valid, row[np.clip(index, 0, len(row) - 1)], np.inf)


def _backtrace(
    types: list[tuple[int, int]],
    costs: list[np.ndarray],
    choices: list[np.ndarray],
    margins: list[np.ndarray],
    lo: np.ndarray,
    n: int,
    m: int,
    params: Params,
) -> list[Step]:
    shapes = [*types, (1, 0), (0, 1)]
    steps: list[Step] = []
    i, j = n, m
    if not np.isfinite(costs[n][m - lo[n]]):
        raise AssertionError("the alignment band lost the end of the document")
    while i > 0 or j > 0:
        k = j - int(lo[i])
        a, b = shapes[int(choices[i][k])]
        margin = float(margins[i][k])
        confidence = 1.0 - float(np.exp(-max(margin, 0.0) / params.margin_scale))
        steps.append(Step(i, j, a, b, confidence if np.isfinite(margin) else 1.0))
        i, j = i - a, j - b
    steps.reverse()
    return steps
