"""Sentence alignment of EN–ZH text: dictionary, number, name, punctuation and length evidence
combined in a coarse-to-fine bead DP, and documents cut into aligned pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from review.align.document import align_document
from review.align.dp import Params, search
from review.lexicon import Lexicon

__all__ = ["Bead", "Params", "align_document", "align_sentences"]


@dataclass(frozen=True)
class Bead:
    """Consecutive EN and ZH sentence numbers that translate each other (either may be empty)."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    confidence: float


def align_sentences(
    en: Sequence[str],
    zh: Sequence[str],
    lexicon: Lexicon | None = None,
    params: Params | None = None,
    structure: tuple[Sequence[tuple[bool, int]], Sequence[tuple[bool, int]]] | None = None,
) -> list[Bead]:
    """Beads covering every sentence of both sides exactly once, in order.

    `structure` gives per EN and per ZH sentence whether it starts a block (paragraph, heading,
    list item) and the block's kind code: beads then keep to blocks and pair blocks of a kind.
    """
    if not en and not zh:
        return []
    if not en or not zh:
        return [Bead((i,), (), 1.0) for i in range(len(en))] + [
            Bead((), (j,), 1.0) for j in range(len(zh))
        ]
    from review.align.features import build_evidence, tokenize
    from review.lexicon import get_lexicon

    lexicon = lexicon if lexicon is not None else get_lexicon()
    params = params if params is not None else Params()
    evidence = build_evidence(tokenize(en, zh, lexicon), lexicon)  # tokens freed before search
    if structure is not None:
        import numpy as np

        evidence.en.blocks = np.array(structure[0], dtype=np.float64).reshape(len(en), 2)
        evidence.zh.blocks = np.array(structure[1], dtype=np.float64).reshape(len(zh), 2)
    steps = search(evidence, params)
    return [
        Bead(
            tuple(range(s.en_end - s.en_count, s.en_end)),
            tuple(range(s.zh_end - s.zh_count, s.zh_end)),
            s.confidence,
        )
        for s in steps
    ]
