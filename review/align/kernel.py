"""The bead DP over a band of cells, compiled with numba: costs, best path, and bead posteriors.

Plain arrays in, plain arrays out, so the cost of a bead is written once and used by the
Viterbi pass and by the two passes that give every bead its posterior probability. The passes
spell out bead_cost's arrays one by one: passed as one tuple (`*data`), numba made the DP twice
as slow (measured on 20k x 25k sentences).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Indices into the `weights` vector the kernel reads (one array keeps the signature short).
(
    W_LEXICAL,
    W_LENGTH,
    W_CAP,
    W_PUNCT,
    W_CLAUSE,
    W_QUOTE,
    W_RATIO,
    W_VARIANCE,
    W_CLAUSE_RATIO,
    W_TEMPERATURE,
    W_STRUCTURE,
) = range(11)
WEIGHTS = 11


@njit(cache=True, nogil=True)
def _pair(p_off, p_start, p_width, p_val, i, j, b):  # type: ignore[no-untyped-def]
    """Matches of EN sentence i (0-based) with ZH sentences [j − b, j), from row prefix sums."""
    base = p_off[i]
    s = p_start[i]
    w = p_width[i]
    up = min(max(j - s, 0), w)
    low = min(max(j - b - s, 0), w)
    return p_val[base + up] - p_val[base + low]


@njit(cache=True, nogil=True)
def _llr(matched, possible, log_hit, log_miss):  # type: ignore[no-untyped-def]
    hits = min(matched, possible)
    misses = max(possible - hits, 0.0)
    return hits * log_hit + misses * log_miss


@njit(cache=True, nogil=True)
def bead_cost(  # type: ignore[no-untyped-def]
    i,
    j,
    a,
    b,
    prior,
    p_off,
    p_start,
    p_width,
    p_en,
    p_zh,
    cum_w_en,
    cum_w_zh,
    cum_len_en,
    cum_len_zh,
    cum_p_en,
    cum_p_zh,
    marks_en,
    marks_zh,
    logs_en,
    logs_zh,
    weights,
):
    """The cost of the bead of a EN and b ZH sentences that ends after EN i and ZH j."""
    if a == 0 or b == 0:
        return prior
    match_en = 0.0
    match_zh = 0.0
    for d in range(1, a + 1):
        match_en += _pair(p_off, p_start, p_width, p_en, i - d, j, b)
        match_zh += _pair(p_off, p_start, p_width, p_zh, i - d, j, b)
    weight_en = cum_w_en[i] - cum_w_en[i - a]
    weight_zh = cum_w_zh[j] - cum_w_zh[j - b]
    lexical = -weights[W_LEXICAL] * (
        _llr(match_en, weight_en, logs_en[b, 0], logs_en[b, 1])
        + _llr(match_zh, weight_zh, logs_zh[a, 0], logs_zh[a, 1])
    )
    len_en = cum_len_en[i] - cum_len_en[i - a]
    len_zh = cum_len_zh[j] - cum_len_zh[j - b]
    deviate = (len_zh - weights[W_RATIO] * len_en) ** 2 / (weights[W_VARIANCE] * max(len_en, 1.0))
    length = weights[W_LENGTH] * min(deviate / 2.0, weights[W_CAP])
    kinds = cum_p_en.shape[1]
    shown = 0.0
    # Presence, not counts: English often cuts one Chinese quotation in two around "he said".
    for k in range(kinds - 1):
        e = min(cum_p_en[i, k] - cum_p_en[i - a, k], 1.0)
        z = min(cum_p_zh[j, k] - cum_p_zh[j - b, k], 1.0)
        shown += abs(e - z)
    clauses = abs(
        weights[W_CLAUSE_RATIO] * (cum_p_en[i, kinds - 1] - cum_p_en[i - a, kinds - 1])
        - (cum_p_zh[j, kinds - 1] - cum_p_zh[j - b, kinds - 1])
    )
    quote = abs(marks_en[i, 0] - marks_zh[j, 0])
    # Document structure: a bead starts a block (paragraph, heading, list item) on both sides
    # or on neither, stays inside one block per side, and joins blocks of one kind.
    first_en = marks_en[i - a + 1, 1] - marks_en[i - a, 1]
    first_zh = marks_zh[j - b + 1, 1] - marks_zh[j - b, 1]
    crossed = (marks_en[i, 1] - marks_en[i - a + 1, 1]) + (marks_zh[j, 1] - marks_zh[j - b + 1, 1])
    kind = 1.0 if marks_en[i - a, 2] != marks_zh[j - b, 2] else 0.0
    structure = abs(first_en - first_zh) + crossed + kind
    return (
        lexical
        + length
        + weights[W_PUNCT] * shown
        + weights[W_CLAUSE] * clauses
        + weights[W_QUOTE] * quote
        + weights[W_STRUCTURE] * structure
        + prior
    )


@njit(cache=True, nogil=True)
def viterbi(  # type: ignore[no-untyped-def]
    lo,
    hi,
    offsets,
    shape_a,
    shape_b,
    priors,
    p_off,
    p_start,
    p_width,
    p_en,
    p_zh,
    cum_w_en,
    cum_w_zh,
    cum_len_en,
    cum_len_zh,
    cum_p_en,
    cum_p_zh,
    marks_en,
    marks_zh,
    logs_en,
    logs_zh,
    weights,
    forward,
):
    """Best cost and bead choice of every band cell; `forward` (if not empty) gets the
    −log Σ exp(−cost / temperature) over all ways into each cell."""
    n = lo.shape[0] - 1
    size = offsets[n + 1]
    best = np.full(size, np.inf)
    choice = np.zeros(size, dtype=np.int8)
    shapes = shape_a.shape[0]
    sums = forward.shape[0] > 0
    scale = 1.0 / weights[W_TEMPERATURE]
    via = np.empty(shapes)
    best[0] = 0.0  # row 0 starts at column lo[0] == 0
    if sums:
        forward[0] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            at = offsets[i] + j - lo[i]
            top = np.inf
            pick = 0
            low = np.inf
            for t in range(shapes):
                via[t] = np.inf
                a = shape_a[t]
                b = shape_b[t]
                si = i - a
                sj = j - b
                if si < 0 or sj < lo[si] or sj > hi[si]:
                    continue
                src = offsets[si] + sj - lo[si]
                if best[src] == np.inf:
                    continue
                c = bead_cost(
                    i,
                    j,
                    a,
                    b,
                    priors[t],
                    p_off,
                    p_start,
                    p_width,
                    p_en,
                    p_zh,
                    cum_w_en,
                    cum_w_zh,
                    cum_len_en,
                    cum_len_zh,
                    cum_p_en,
                    cum_p_zh,
                    marks_en,
                    marks_zh,
                    logs_en,
                    logs_zh,
                    weights,
                )
                if best[src] + c < top:
                    top = best[src] + c
                    pick = t
                if sums:
                    via[t] = forward[src] + c * scale
                    low = min(low, via[t])
            best[at] = top
            choice[at] = pick
            if sums and low < np.inf:
                total = 0.0
                for t in range(shapes):
                    if via[t] < np.inf:
                        total += math.exp(low - via[t])
                forward[at] = low - math.log(total)
    return best, choice


@njit(cache=True, nogil=True)
def backward(  # type: ignore[no-untyped-def]
    lo,
    hi,
    offsets,
    shape_a,
    shape_b,
    priors,
    p_off,
    p_start,
    p_width,
    p_en,
    p_zh,
    cum_w_en,
    cum_w_zh,
    cum_len_en,
    cum_len_zh,
    cum_p_en,
    cum_p_zh,
    marks_en,
    marks_zh,
    logs_en,
    logs_zh,
    weights,
    forward,
):
    """−log Σ exp(−cost) of every way from each cell to the end (the backward pass)."""
    n = lo.shape[0] - 1
    m = hi[n]
    size = offsets[n + 1]
    after = np.full(size, np.inf)
    after[offsets[n] + m - lo[n]] = 0.0
    shapes = shape_a.shape[0]
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            at = offsets[i] + j - lo[i]
            if after[at] == np.inf or forward[at] == np.inf:
                continue
            for t in range(shapes):
                a = shape_a[t]
                b = shape_b[t]
                si = i - a
                sj = j - b
                if si < 0 or sj < lo[si] or sj > hi[si]:
                    continue
                src = offsets[si] + sj - lo[si]
                if forward[src] == np.inf:
                    continue
                c = bead_cost(
                    i,
                    j,
                    a,
                    b,
                    priors[t],
                    p_off,
                    p_start,
                    p_width,
                    p_en,
                    p_zh,
                    cum_w_en,
                    cum_w_zh,
                    cum_len_en,
                    cum_len_zh,
                    cum_p_en,
                    cum_p_zh,
                    marks_en,
                    marks_zh,
                    logs_en,
                    logs_zh,
                    weights,
                )
                via = after[at] + c / weights[W_TEMPERATURE]
                old = after[src]
                if old == np.inf:
                    after[src] = via
                else:
                    low = min(old, via)
                    after[src] = low - math.log1p(math.exp(-abs(old - via)))
    return after
