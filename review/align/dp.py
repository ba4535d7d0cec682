"""Bead scoring and the coarse-to-fine banded dynamic programme over beads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import sparse

from review.align.features import Evidence, Side, covers

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
    return {t: float(-np.log((seen.get(t, 0) + SMOOTHING) / total / one)) for t in sorted(types)}


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
    temperature: float = 1.0  # bead posteriors (the confidence) from exp(−cost / temperature)
    quote: float = 0.5  # a bead that ends inside a quotation on one side only
    structure: float = 4.0  # per block start met on one side only, or blocks of two kinds
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
        translations = evidence.zh_translations
        if exact:  # ZH side: weights of ZH words of j with a translation among i's lemmas
            translations_t = evidence.zh_translations.T.tocsr()
            zh_t = (zh.items @ sparse.diags(evidence.zh_weights)).T.tocsc()
        else:  # coarse levels only place the band: assume equal coverage
            zh_share = zh.weight / max(float(en.weight.mean()), 1e-9)
        for first in range(0, n, _CHUNK_ROWS):
            last = min(n, first + _CHUNK_ROWS)
            c0 = int(self.start[first:last].min())
            c1 = int((self.start + self.width)[first:last].max())
            if c1 <= c0:
                continue
            # The ZH side's lemma cover is made for the band's columns only: whole, on every
            # coarse level at once, it was the aligner's largest memory.
            cover_t = covers(zh.items[c0:c1], translations).T
            hit_en = (en_weighted[first:last] @ cover_t).toarray()
            if exact:  # a chunk at a time: the whole sentence × ZH word reach is large
                reach = en.items[first:last] @ translations_t
                reach.data[:] = 1.0
                hit_zh = (reach @ zh_t[:, c0:c1]).toarray()
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
        sample = covers(zh.items[: min(m, 2000)], translations)  # lemmas per ZH sentence
        en_prior = min(0.5, 0.05 * _mean_size(sample) / 30.0)
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
    from review.align import kernel

    pairs = _PairSums(en, zh, evidence, lo, hi, exact)
    prices = _prices(params.beads)
    shapes = list(prices)
    shape_a = np.array([a for a, _ in shapes], dtype=np.int64)
    shape_b = np.array([b for _, b in shapes], dtype=np.int64)
    priors = np.array([prices[t] * params.prior + (params.skip if 0 in t else 0.0) for t in shapes])
    weights = np.zeros(kernel.WEIGHTS)
    weights[kernel.W_LEXICAL] = params.lexical
    weights[kernel.W_LENGTH] = params.length
    weights[kernel.W_CAP] = params.length_cap
    weights[kernel.W_PUNCT] = params.punct
    weights[kernel.W_CLAUSE] = params.clause
    weights[kernel.W_QUOTE] = params.quote
    weights[kernel.W_RATIO] = ratio
    weights[kernel.W_VARIANCE] = LEN_VAR * ratio / LEN_RATIO
    weights[kernel.W_CLAUSE_RATIO] = CLAUSE_RATIO
    weights[kernel.W_TEMPERATURE] = params.temperature
    weights[kernel.W_STRUCTURE] = params.structure
    arrays = (
        lo.astype(np.int64),
        hi.astype(np.int64),
        np.concatenate([[0], np.cumsum(hi - lo + 1)]).astype(np.int64),
        shape_a,
        shape_b,
        priors,
        pairs.offset,
        pairs.start,
        pairs.width,
        pairs.en,
        pairs.zh,
        _cumsum0(en.weight),
        _cumsum0(zh.weight),
        _cumsum0(en.length),
        _cumsum0(zh.length),
        np.ascontiguousarray(_cumsum0(en.punct)),
        np.ascontiguousarray(_cumsum0(zh.punct)),
        _marks(en.inside, en.blocks),
        _marks(zh.inside, zh.blocks),
        _logs(pairs.en_rate, MAX_ZH, params.gain),
        _logs(pairs.zh_rate, MAX_EN, params.gain),
        weights,
    )
    offsets = arrays[2]
    forward = np.full(int(offsets[-1]) if exact else 0, np.inf)
    best, choice = kernel.viterbi(*arrays, forward)
    n, m = len(en), len(zh)
    if not np.isfinite(best[offsets[n] + m - lo[n]]):
        raise AssertionError("the alignment band lost the end of the document")
    path = _backtrace(shapes, choice, offsets, lo, m, n)
    if not exact:  # coarse levels only place the band
        return [Step(i, j, a, b, 1.0) for i, j, a, b in path]
    after = kernel.backward(*arrays, forward)
    total = float(forward[offsets[n] + m - lo[n]])
    steps = []
    for i, j, a, b in path:
        t = shapes.index((a, b))
        cost = kernel.bead_cost(i, j, a, b, priors[t], *arrays[6:])
        source = int(offsets[i - a]) + (j - b) - int(lo[i - a])
        end = int(offsets[i]) + j - int(lo[i])
        energy = forward[source] + cost / params.temperature + after[end] - total
        steps.append(Step(i, j, a, b, float(min(1.0, np.exp(-max(energy, 0.0))))))
    return steps


def _marks(inside: np.ndarray, blocks: np.ndarray | None) -> np.ndarray:
    """Rows 0..n: quotation state after k sentences, block starts among the first k sentences,
    and the block kind of sentence k (what the kernel reads of a bead's ends)."""
    n = len(inside)
    marks = np.zeros((n + 1, 3))
    marks[1:, 0] = inside
    if blocks is not None:
        marks[1:, 1] = np.cumsum(blocks[:, 0])
        marks[:n, 2] = blocks[:, 1]
    return marks


def _logs(rate: float, most: int, gain: float) -> np.ndarray:
    """Per count k of sentences on the other side: log-odds of a hit and of a miss."""
    out = np.zeros((most + 1, 2))
    for k in range(most + 1):
        chance = 1.0 - (1.0 - min(rate, 0.9)) ** k
        chance = min(max(chance, 1e-3), 0.95)
        hit = chance + gain * (1.0 - chance)
        out[k] = np.log(hit / chance), np.log((1.0 - hit) / (1.0 - chance))
    return out


def _backtrace(
    shapes: list[tuple[int, int]],
    choice: np.ndarray,
    offsets: np.ndarray,
    lo: np.ndarray,
    m: int,
    n: int,
) -> list[tuple[int, int, int, int]]:
    path: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = shapes[int(choice[int(offsets[i]) + j - int(lo[i])])]
        path.append((i, j, a, b))
        i, j = i - a, j - b
    path.reverse()
    return path
