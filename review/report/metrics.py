"""Post-edit effort with sacrebleu: chrF, BLEU (tokenize="zh"), TER (normalized, asian_support)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from review.progress import Progress


@dataclass(frozen=True, slots=True)
class PairMetrics:
    """Sentence-level scores of one pair's MT against its reference text."""

    pair_id: str
    chrf: float
    bleu: float
    ter: float


@dataclass(frozen=True, slots=True)
class Effort:
    """Corpus-level chrF, BLEU and TER of MT against references, with sacrebleu signatures.

    `signatures` holds the corpus-level signature of each metric; `sentence_signatures` those of
    the per-pair scores (sentence BLEU uses effective order, so it differs).
    """

    pairs: int
    chrf: float
    bleu: float
    ter: float
    signatures: dict[str, str]
    sentence_signatures: dict[str, str]
    per_pair: tuple[PairMetrics, ...]


def _metrics(sentence: bool) -> tuple[Any, Any, Any]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    # TER splits Chinese into characters only when normalising: asian_support alone is a no-op,
    # and without it a one-character change would cost the whole unspaced sentence.
    ter = TER(normalized=True, asian_support=True)
    return CHRF(), BLEU(tokenize="zh", effective_order=sentence), ter


def effort(
    items: Sequence[tuple[str, str, str]], progress: Progress | None = None
) -> Effort | None:
    """Score `(pair_id, mt, reference)` triples; None when there is nothing to score."""
    if not items:
        return None
    corpus_metrics = _metrics(sentence=False)
    sentence_metrics = _metrics(sentence=True)
    labelled: Iterable[tuple[str, str, str]] = items
    if progress is not None:
        labelled = progress(items, len(items), "Post-edit metrics")
    # Segment statistics are extracted once per pair and metric; the corpus score aggregates
    # them and each sentence score is computed from its own row (sacrebleu's corpus_score and
    # sentence_score do exactly this, so the numbers are the same at half the cost).
    stats: list[list[Any]] = [[], [], []]
    for _, hyp, ref in labelled:
        for rows, metric in zip(stats, corpus_metrics, strict=True):
            rows.extend(metric._extract_corpus_statistics([hyp], [[ref]]))
    corpus = [m._aggregate_and_compute(rows) for m, rows in zip(corpus_metrics, stats, strict=True)]
    chrf, bleu, ter = corpus_metrics
    s_chrf, s_bleu, s_ter = sentence_metrics
    for metric in sentence_metrics:  # a public call once, so the metric knows its reference count
        metric.sentence_score(items[0][1], [items[0][2]])
    per_pair = tuple(
        PairMetrics(
            item[0],
            s_chrf._aggregate_and_compute([stats[0][i]]).score,
            s_bleu._aggregate_and_compute([stats[1][i]]).score,
            s_ter._aggregate_and_compute([stats[2][i]]).score,
        )
        for i, item in enumerate(items)
    )
    return Effort(
        pairs=len(items),
        chrf=corpus[0].score,
        bleu=corpus[1].score,
        ter=corpus[2].score,
        signatures={
            "chrf": chrf.get_signature().format(),
            "bleu": bleu.get_signature().format(),
            "ter": ter.get_signature().format(),
        },
        sentence_signatures={
            "chrf": s_chrf.get_signature().format(),
            "bleu": s_bleu.get_signature().format(),
            "ter": s_ter.get_signature().format(),
        },
        per_pair=per_pair,
    )
