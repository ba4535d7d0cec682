"""Glue for the shells: source files → documents → aligned pairs → scored pairs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from review.model import Document, Pair


def load_documents(
    sources: Sequence[str | Path],
    en: str | Path | None = None,
    zh: str | Path | None = None,
    *,
    presegmented: bool = False,
    parallel: bool = False,
) -> list[Document]:
    """Read every source (format auto-detected) and the optional EN/ZH document pair."""
    from review.ingest import read_document_pair, read_source

    documents = [read_source(source) for source in sources]
    if en is not None or zh is not None:
        documents.append(read_document_pair(en, zh, presegmented=presegmented, parallel=parallel))
    return documents


def align_documents(documents: Sequence[Document]) -> list[Pair]:
    """Cut every document into aligned pairs, in document order."""
    from review.align import align_document

    return [pair for document in documents for pair in align_document(document)]


def score(pairs: Sequence[Pair]) -> list[Pair]:
    """Score pairs for divergence; returns new pairs with divergence, flag and findings set."""
    from review.score import score_pairs

    return score_pairs(pairs)
