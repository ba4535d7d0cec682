"""Post-edit effort with sacrebleu: chrF, BLEU (tokenize="zh"), TER (normalized, asian_support)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


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
    ids = [item[0] for item in items]
    hyps = [item[1] for item in items]
    refs = [item[2] for item in items]
    chrf, bleu, ter = _metrics(sentence=False)
    corpus = (
        chrf.corpus_score(hyps, [refs]),
        bleu.corpus_score(hyps, [refs]),
        ter.corpus_score(hyps, [refs]),
    )
    s_chrf, s_bleu, s_ter = _metrics(sentence=True)
    triples: Iterable[tuple[str, str, str]] = zip(ids, hyps, refs, strict=True)
    if progress is not None:
        triples = progress(triples, len(items), "Post-edit metrics")
    per_pair = tuple(
        PairMetrics(
            pair_id,
            s_chrf.sentence_score(hyp, [ref]).score,
            s_bleu.sentence_score(hyp, [ref]).score,
            s_ter.sentence_score(hyp, [ref]).score,
        )
        for pair_id, hyp, ref in triples
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
