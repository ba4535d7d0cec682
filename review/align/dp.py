"""Bead scoring and the coarse-to-fine banded dynamic programme over beads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import sparse

from review.align.features import Evidence, Side

# Bead types as (EN sentences, ZH sentences) with how often the mac-dev gold has them
# (ZH-to-EN literary translation, 1,329 beads); `bead_costs` prices every type from counts like
# these, so a type is as cheap as the data says and no rarer type is hand-set.
MAC_DEV_BEADS: tuple[tuple[int, int, int], ...] = (
    (1, 1, 817),
    (2, 1, 275),
    (3, 1, 75),
    (1, 2, 62),
    (4, 1, 33),
    (2, 2, 21),
    (3, 2, 13),
    (0, 1, 9),
    (2, 3, 6),
    (5, 1, 5),
    (1, 0, 4),
    (4, 2, 3),
    (3, 3, 2),
    (6, 1, 2),
    (5, 3, 1),
    (4, 3, 1),
)
# Types the search considers: at most this many sentences on a side, and 1-3 / 1-4 (rare in
# ZH-to-EN fiction, common when English is the source) are always allowed.
MAX_EN = 5
MAX_ZH = 4
ALWAYS = ((1, 1), (2, 1), (1, 2), (1, 3), (1, 4), (2, 2), (3, 1), (2, 3), (3, 2))
MIN_SEEN = 3  # a type seen fewer times is left out: merging beads is already cheap enough
SMOOTHING = 0.5  # add-half counts for every considered type


@cache
def _prices(counts: tuple[tuple[int, int, int], ...]) -> dict[tuple[int, int], float]:
    return bead_costs(counts)


def bead_costs(counts: tuple[tuple[int, int, int], ...]) -> dict[tuple[int, int], float]:
    """−log(share / share of 1-1) for every bead type the search considers, 1-0 and 0-1 too."""
    seen = {(a, b): c for a, b, c in counts}
    types = {t for t, c in seen.items() if c >= MIN_SEEN and t[0] <= MAX_EN and t[1] <= MAX_ZH}
    types |= set(ALWAYS)
    types |= {(1, 0), (0, 1)}
    total = sum(seen.get(t, 0) + SMOOTHING for t in types)
    one = (seen.get((1, 1), 0) + SMOOTHING) / total
    return {
        t: float(-np.log((seen.get(t, 0) + SMOOTHING) / total / one)) for t in sorted(types)
    }


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
    skip: float = 0.0  # added to the data's price of a 1-0 or 0-1 bead
    band: int = 12  # half-width of the search band around the projected coarse path
    full_cells: int = 200_000  # below this many DP cells, search the whole matrix
    ratio_prior: float = 500.0  # pseudo-characters of the fitted ratio in the per-document one
    margin_scale: float = 1.0  # confidence = 1 − exp(−margin to the runner-up / margin_scale)
    quote: float = 0.5  # a bead that ends inside a quotation on one side only
    beads: tuple[tuple[int, int, int], ...] = MAC_DEV_BEADS  # bead type counts to price from
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


_CHUNK_ROWS = 128


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
        self.start = np.maximum(0, lo[:n] - MAX_ZH)
        stop = np.minimum(m, hi[np.minimum(n, np.arange(n) + MAX_EN)])
        self.width = np.maximum(stop - self.start, 0)
        self.offset = np.concatenate([[0], np.cumsum(self.width + 1)[:-1]]).astype(np.int64)
        size = int(self.offset[-1] + self.width[-1] + 1) if n else 0
        self.en = np.zeros(size)
        self.zh = np.zeros(size)
        # EN side: weights of the EN lemmas of sentence i that ZH sentence j's glosses cover.
        en_weighted = en.items @ sparse.diags(evidence.en_weights)
        cover_t = zh.cover.T.tocsc()
        if exact:  # ZH side: weights of ZH words of j with a translation among i's lemmas
            reach = en.items @ evidence.zh_translations.T
            reach.data[:] = 1.0
            zh_t = (zh.items @ sparse.diags(evidence.zh_weights)).T.tocsc()
        else:  # coarse levels only place the band: assume equal coverage
            zh_share = zh.weight / max(float(en.weight.mean()), 1e-9)
        for first in range(0, n, _CHUNK_ROWS):
            last = min(n, first + _CHUNK_ROWS)
            c0 = int(self.start[first:last].min())
            c1 = int((self.start + self.width)[first:last].max())
            if c1 <= c0:
                continue
            hit_en = (en_weighted[first:last] @ cover_t[:, c0:c1]).toarray()
            if exact:
                hit_zh = (reach[first:last] @ zh_t[:, c0:c1]).toarray()
            else:
                hit_zh = hit_en * zh_share[None, c0:c1]
            cum_en = _cumsum0(hit_en.T).T
            cum_zh = _cumsum0(hit_zh.T).T
            for row in range(first, last):
                s0 = int(self.start[row]) - c0
                w = int(self.width[row])
                at = int(self.offset[row])
                r = row - first
                self.en[at : at + w + 1] = cum_en[r, s0 : s0 + w + 1] - cum_en[r, s0]
                self.zh[at : at + w + 1] = cum_zh[r, s0 : s0 + w + 1] - cum_zh[r, s0]
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


def _mean_size(matrix: sparse.csr_matrix) -> float:
    return float(matrix.nnz) / max(int(matrix.shape[0]), 1)


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
        # State after row i / column j (row 0 and column 0: before any sentence, outside).
        self.en_inside = np.concatenate([[0.0], en.inside])
        self.zh_inside = np.concatenate([[0.0], zh.inside])
        # A bead with k sentences on the other side matches by chance with 1 − (1 − rate)^k.
        self.chance_en = [1.0 - (1.0 - min(pairs.en_rate, 0.9)) ** k for k in range(MAX_ZH + 1)]
        self.chance_zh = [1.0 - (1.0 - min(pairs.zh_rate, 0.9)) ** k for k in range(MAX_EN + 1)]
        self.prior = {t: c * params.prior for t, c in _prices(params.beads).items()}

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
                out[t] = np.where(valid & (i >= a), self.prior[(a, b)] + p.skip, np.inf)
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
            quote = p.quote * np.abs(self.en_inside[i] - self.zh_inside[j])
            total = lexical + length + punct + quote + self.prior[(a, b)]
            out[t] = np.where(ok, total, np.inf)
        return out


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
    shapes = [t for t in _prices(params.beads) if t != (0, 1)]
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
            ramp = (costs.prior[(0, 1)] + params.skip) * np.arange(width)
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
