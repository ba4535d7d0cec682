"""Bead scoring and the coarse-to-fine banded dynamic programme over beads."""

from __future__ import annotations

from array import array
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
# Clause marks (ZH ，；：、。！？… runs; EN , ; : — and sentence ends): ZH has 1.11 per EN one
# over all of mac-dev (0.99–1.25 per document).
CLAUSE_RATIO = 1.11
# Weight of the prior chance match rate, in matchable-weight units (about ten sentences).
CHANCE_PSEUDO = 300.0


@dataclass(frozen=True)
class Params:
    """Weights of the bead cost; tuned on mac-dev only (see benchmarks/align_mac.py)."""

    lexical: float = 0.09  # times the log-likelihood ratio of the dictionary matches
    length: float = 0.5  # times the squared Gale–Church deviate / 2
    length_cap: float = 3.0
    punct: float = 0.9  # per question, exclamation, quote or colon mark on one side only
    clause: float = 0.55  # per clause mark more on one side than the ratio expects
    prior: float = 1.0  # times −log(bead-type share / 1-1 share)
    skip: float = 5.5  # per unaligned sentence (1-0 / 0-1 bead)
    band: int = 12  # half-width of the search band around the projected coarse path
    full_cells: int = 200_000  # below this many DP cells, search the whole matrix
    ratio_prior: float = 500.0  # pseudo-characters of the fitted ratio in the per-document one
    margin_scale: float = 1.0  # confidence = 1 − exp(−margin to the runner-up / margin_scale)
    gain: float = 0.15  # a translation matches chance + gain × (1 − chance) of its weight


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
    return _search(evidence.en, evidence.zh, evidence, params, ratio, exact=True)


def _search(
    en: Side, zh: Side, evidence: Evidence, params: Params, ratio: float, *, exact: bool
) -> list[Step]:
    n, m = len(en), len(zh)
    if (n + 1) * (m + 1) <= params.full_cells or min(n, m) < 8:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        coarse = _search(en.merged(), zh.merged(), evidence, params, ratio, exact=False)
        lo, hi = _project(coarse, n, m, params.band)
    return _dp(en, zh, evidence, params, ratio, lo, hi, exact)


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

    def __init__(
        self,
        en: Side,
        zh: Side,
        evidence: Evidence,
        lo: np.ndarray,
        hi: np.ndarray,
        exact: bool,
    ) -> None:
        n, m = len(en), len(zh)
        en_w = evidence.en_weights.tolist()
        zh_w = evidence.zh_weights.tolist()
        translations = evidence.zh_translations
        self.start = np.empty(n, dtype=np.int64)
        self.offset = np.empty(n, dtype=np.int64)
        self.width = np.empty(n, dtype=np.int64)
        en_values = array("d")  # compact while growing: one float per band cell
        zh_values = array("d")
        zh_items, zh_cover = zh.items, zh.cover
        zh_share = (zh.weight / max(float(en.weight.mean()), 1e-9)).tolist()
        for i in range(n):
            start = max(0, int(lo[i]) - MAX_ZH)
            stop = min(m, int(hi[min(n, i + MAX_EN)]))
            self.start[i], self.offset[i], self.width[i] = start, len(en_values), stop - start
            items = en.items[i]
            total_en = total_zh = 0.0
            en_values.append(0.0)
            zh_values.append(0.0)
            for j in range(start, stop):
                shared = items & zh_cover[j]
                if shared:
                    hit = sum(map(en_w.__getitem__, shared))
                    total_en += hit
                    if exact:  # ZH words of sentence j with a translation among the shared
                        total_zh += sum(
                            zh_w[k] for k in zh_items[j] if not translations[k].isdisjoint(shared)
                        )
                    else:  # coarse levels only place the band: assume equal coverage
                        total_zh += hit * zh_share[j]
                en_values.append(total_en)
                zh_values.append(total_zh)
        self.en = np.frombuffer(en_values, dtype=np.float64)
        self.zh = np.frombuffer(zh_values, dtype=np.float64)
        # Chance match rates: the share of matchable weight that finds a match in an arbitrary
        # sentence of the band (nearly all of whose pairs are not translations).
        ends = self.offset + self.width
        zh_cum = _cumsum0(zh.weight)
        en_possible = float((en.weight * self.width).sum())
        zh_possible = float((zh_cum[self.start + self.width] - zh_cum[self.start]).sum())
        # Few pairs (a short text, or paragraphs) are mostly translations, so the estimate is
        # shrunk towards the rate seen on mac-dev sentences (about 0.05, where a ZH sentence
        # translates to 30 lemmas and an EN sentence has 10.5), scaled by the sizes here.
        en_prior = min(0.5, 0.05 * _mean_size(zh.cover) / 30.0)
        zh_prior = min(0.5, 0.05 * _mean_size(en.items) / 10.5)
        self.en_rate = (float(self.en[ends].sum()) + en_prior * CHANCE_PSEUDO) / (
            en_possible + CHANCE_PSEUDO
        )
        self.zh_rate = (float(self.zh[ends].sum()) + zh_prior * CHANCE_PSEUDO) / (
            zh_possible + CHANCE_PSEUDO
        )

    def block(self, i: np.ndarray, js: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Matches of EN sentences i with ZH sentences [j − b, j), elementwise (broadcast)."""
        base, start, width = self.offset[i], self.start[i], self.width[i]
        upper = base + np.clip(js - start, 0, width)
        lower = base + np.clip(js - b - start, 0, width)
        return self.en[upper] - self.en[lower], self.zh[upper] - self.zh[lower]


def _mean_size(sets: list[frozenset[int]]) -> float:
    return sum(len(x) for x in sets) / max(len(sets), 1)


def _cumsum0(values: np.ndarray) -> np.ndarray:
    zero = np.zeros((1, *values.shape[1:]), dtype=np.float64)
    return np.concatenate([zero, np.cumsum(values, axis=0)])


class _BeadCosts:
    """The cost of every bead shape ending at every cell of the band, a chunk of rows at a time."""

    def __init__(
        self,
        en: Side,
        zh: Side,
        pairs: _PairSums,
        params: Params,
        ratio: float,
        shapes: list[tuple[int, int]],
    ) -> None:
        self.m = len(zh)
        self.pairs = pairs
        self.params = params
        self.ratio = ratio
        self.variance = LEN_VAR * ratio / LEN_RATIO
        self.shapes = shapes
        self.en_weight, self.zh_weight = _cumsum0(en.weight), _cumsum0(zh.weight)
        self.en_len, self.zh_len = _cumsum0(en.length), _cumsum0(zh.length)
        self.en_punct, self.zh_punct = _cumsum0(en.punct), _cumsum0(zh.punct)
        # A bead with k sentences on the other side matches by chance with 1 − (1 − rate)^k.
        self.chance_en = [1.0 - (1.0 - min(pairs.en_rate, 0.9)) ** k for k in range(MAX_ZH + 1)]
        self.chance_zh = [1.0 - (1.0 - min(pairs.zh_rate, 0.9)) ** k for k in range(MAX_EN + 1)]
        one = BEAD_PRIORS[(1, 1)]
        self.prior = {t: -np.log(p / one) * params.prior for t, p in BEAD_PRIORS.items()}

    def chunk(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Costs shaped (shape, row, column) for cells j = lo[row] + column; inf off the band."""
        p = self.params
        i = rows[:, None]
        width = int((hi[rows] - lo[rows]).max()) + 1
        j = lo[i] + np.arange(width)[None, :]
        valid = j <= hi[i]
        j = np.minimum(j, self.m)
        out = np.full((len(self.shapes), len(rows), width), np.inf)
        for t, (a, b) in enumerate(self.shapes):
            if b == 0:
                out[t] = np.where(valid & (i >= a), p.skip, np.inf)
                continue
            ok = valid & (i >= a) & (j >= b)
            i_from = np.maximum(i - a, 0)
            j_from = np.maximum(j - b, 0)
            match_en = np.zeros(j.shape)
            match_zh = np.zeros(j.shape)
            for d in range(1, a + 1):
                got_en, got_zh = self.pairs.block(np.maximum(i - d, 0), j, b)
                match_en += got_en
                match_zh += got_zh
            weight_en = self.en_weight[i] - self.en_weight[i_from]
            weight_zh = self.zh_weight[j] - self.zh_weight[j_from]
            lexical = -p.lexical * (
                _evidence(match_en, weight_en, self.chance_en[b], p.gain)
                + _evidence(match_zh, weight_zh, self.chance_zh[a], p.gain)
            )
            length_en = self.en_len[i] - self.en_len[i_from]
            length_zh = self.zh_len[j] - self.zh_len[j_from]
            deviate = (length_zh - self.ratio * length_en) ** 2 / (
                self.variance * np.maximum(length_en, 1.0)
            )
            length = p.length * np.minimum(deviate / 2.0, p.length_cap)
            punct_en = self.en_punct[i] - self.en_punct[i_from]
            punct_zh = self.zh_punct[j] - self.zh_punct[j_from]
            # Presence, not counts: English often cuts one Chinese quotation in two around
            # "he said", and asks one question where Chinese asks two.
            shown_en = np.minimum(punct_en[..., :-1], 1.0)
            shown_zh = np.minimum(punct_zh[..., :-1], 1.0)
            punct = p.punct * np.abs(shown_en - shown_zh).sum(axis=2)
            clauses = np.abs(CLAUSE_RATIO * punct_en[..., -1] - punct_zh[..., -1])
            punct += p.clause * clauses
            total = lexical + length + punct + self.prior[(a, b)]
            out[t] = np.where(ok, total, np.inf)
        return out


_CHUNK_ROWS = 128


def _dp(
    en: Side,
    zh: Side,
    evidence: Evidence,
    params: Params,
    ratio: float,
    lo: np.ndarray,
    hi: np.ndarray,
    exact: bool,
) -> list[Step]:
    n = len(en)
    pairs = _PairSums(en, zh, evidence, lo, hi, exact)
    shapes = [*BEAD_PRIORS, (1, 0)]
    costs = _BeadCosts(en, zh, pairs, params, ratio, shapes)
    shape_en = np.array([a for a, _ in shapes])
    shape_zh = np.array([b for _, b in shapes])
    chain_index = len(shapes)  # a 0-1 bead, taken along the row
    widths = hi - lo + 1
    offsets = np.concatenate([[0], np.cumsum(widths)])
    best_cost = np.full(int(offsets[-1]), np.inf)
    choice = np.zeros(int(offsets[-1]), dtype=np.int8)
    margin = np.zeros(int(offsets[-1]), dtype=np.float64)
    for first in range(0, n + 1, _CHUNK_ROWS):
        rows = np.arange(first, min(n + 1, first + _CHUNK_ROWS))
        bead_costs = costs.chunk(rows, lo, hi)
        for i in rows.tolist():
            width = int(widths[i])
            js = lo[i] + np.arange(width)
            source = i - shape_en
            source_ok = source >= 0
            source = np.maximum(source, 0)
            column = js[None, :] - shape_zh[:, None] - lo[source][:, None]
            ok = source_ok[:, None] & (column >= 0) & (column < widths[source][:, None])
            index = offsets[source][:, None] + np.clip(column, 0, widths[source][:, None] - 1)
            candidates = np.where(ok, best_cost[index], np.inf) + bead_costs[:, i - first, :width]
            if i == 0:
                candidates[0] = np.where(js == 0, 0.0, np.inf)
            two = np.argpartition(candidates, 1, axis=0)[:2]
            best = np.take_along_axis(candidates, two[:1], axis=0)[0]
            second = np.take_along_axis(candidates, two[1:2], axis=0)[0]
            # 0-1 beads chain along the row: cost[j] = min(direct[j], cost[j − 1] + skip).
            ramp = params.skip * np.arange(width)
            chained = np.minimum.accumulate(best - ramp) + ramp
            chain_wins = chained < best - 1e-12
            with np.errstate(invalid="ignore"):  # unreachable cells: inf − inf, never on the path
                row_margin = np.where(chain_wins, best - chained, second - best)
            row_choice = np.where(chain_wins, chain_index, two[0])
            at = slice(int(offsets[i]), int(offsets[i]) + width)
            best_cost[at] = np.minimum(best, chained)
            choice[at] = row_choice
            margin[at] = row_margin
    return _backtrace([*shapes, (0, 1)], best_cost, choice, margin, offsets, lo, len(zh), n, params)


def _backtrace(
    shapes: list[tuple[int, int]],
    cost: np.ndarray,
    choice: np.ndarray,
    margin: np.ndarray,
    offsets: np.ndarray,
    lo: np.ndarray,
    m: int,
    n: int,
    params: Params,
) -> list[Step]:
    steps: list[Step] = []
    i, j = n, m
    if not np.isfinite(cost[offsets[n] + m - lo[n]]):
        raise AssertionError("the alignment band lost the end of the document")
    while i > 0 or j > 0:
        at = int(offsets[i]) + j - int(lo[i])
        a, b = shapes[int(choice[at])]
        gap = float(margin[at])
        confidence = 1.0 - float(np.exp(-max(gap, 0.0) / params.margin_scale))
        steps.append(Step(i, j, a, b, confidence if np.isfinite(gap) else 1.0))
        i, j = i - a, j - b
    steps.reverse()
    return steps


def _evidence(
    matched: np.ndarray, possible: np.ndarray | float, chance: float, gain: float
) -> np.ndarray:
    """Log-likelihood ratio of the matches under "translation" against "chance" (binomial)."""
    chance = min(max(chance, 1e-3), 0.95)
    p_match = chance + gain * (1.0 - chance)
    hits = np.minimum(matched, possible)
    misses = np.maximum(np.asarray(possible) - hits, 0.0)
    return hits * np.log(p_match / chance) + misses * np.log((1.0 - p_match) / (1.0 - chance))
