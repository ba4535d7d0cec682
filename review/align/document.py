"""Documents to aligned pairs: paragraphs first, then sentences inside aligned paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from review.align.dp import Params
from review.lexicon import Lexicon
from review.model import Block, BlockKind, Document, Pair, Segmentation, pair_id

# Paragraphs hold many words, so their dictionary evidence is far more reliable than a
# sentence's (whose weight was tuned on free literary translation); weighting it up lets an
# untranslated paragraph stay 1-0 instead of being absorbed by a neighbour.
PARAGRAPH_PARAMS = Params(lexical=1.0)


@dataclass(slots=True)
class _Sentence:
    text: str
    line: int


@dataclass(slots=True)
class _Cursor:
    """Running state over a document: sentence numbers per side and the current heading."""

    doc_id: str
    en_next: int = 0
    zh_next: int = 0
    section: str = ""
    pairs: list[Pair] = field(default_factory=list)

    def emit(
        self,
        en: Sequence[_Sentence],
        zh: Sequence[_Sentence],
        confidence: float,
        block: Block,
    ) -> None:
        en_ids = tuple(range(self.en_next, self.en_next + len(en)))
        zh_ids = tuple(range(self.zh_next, self.zh_next + len(zh)))
        self.en_next += len(en)
        self.zh_next += len(zh)
        first = en[0] if en else zh[0]
        self.pairs.append(
            Pair(
                id=pair_id(self.doc_id, en_ids, zh_ids),
                doc_id=self.doc_id,
                en=" ".join(s.text for s in en),
                zh="".join(s.text for s in zh),
                en_ids=en_ids,
                zh_ids=zh_ids,
                line=first.line,
                section=self.section,
                boilerplate=block.kind is BlockKind.BOILERPLATE,
                align_confidence=confidence,
                notes=block.notes,
                props=block.props,
                inline=block.inline,
            )
        )


def align_document(
    document: Document, lexicon: Lexicon | None = None, params: Params | None = None
) -> list[Pair]:
    """Cut every block of the document into aligned pairs, in document order."""
    cursor = _Cursor(document.id)
    for run in _runs(document.blocks):
        if len(run) > 1:
            _align_stream(cursor, run, lexicon, params)
            continue
        block = run[0]
        if block.kind is BlockKind.HEADING:
            cursor.section = block.en.strip() or block.zh.strip()
        en_line = block.line
        zh_line = block.zh_line if block.zh_line is not None else block.line
        if block.segmentation is Segmentation.ALIGNED:
            en = [_Sentence(block.en, en_line)] if block.en.strip() else []
            zh = [_Sentence(block.zh, zh_line)] if block.zh.strip() else []
            if en or zh:
                cursor.emit(en, zh, 1.0, block)
        elif block.segmentation is Segmentation.LINES:
            en = _lines(block.en, en_line)
            zh = _lines(block.zh, zh_line)
            _align_into(cursor, en, zh, block, lexicon, params)
        else:
            _align_text(cursor, block, en_line, zh_line, lexicon, params)
    return cursor.pairs


# One-sided blocks of these kinds are each side's own structure (two Markdown files, say): the
# EN ones and the ZH ones of a run are aligned together, with block starts as anchors.
_STREAM_KINDS = {BlockKind.HEADING: 1, BlockKind.PARAGRAPH: 0, BlockKind.LIST_ITEM: 2}


def _one_sided(block: Block) -> bool:
    return (
        block.segmentation is Segmentation.TEXT
        and block.kind in _STREAM_KINDS
        and bool(block.en.strip()) != bool(block.zh.strip())
    )


def _runs(blocks: Sequence[Block]) -> list[list[Block]]:
    """Blocks one by one, except runs of one-sided blocks with both languages among them."""
    runs: list[list[Block]] = []
    current: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and _one_sided(block):
            current.append(block)
            continue
        if current:
            both = any(b.en.strip() for b in current) and any(b.zh.strip() for b in current)
            runs.extend([current] if both else [[b] for b in current])
            current = []
        if block is not None:
            runs.append([block])
    return runs


@dataclass(slots=True)
class _Unit:
    """A sentence of a stream with its block, whether it starts a paragraph, and its kind."""

    sentence: _Sentence
    block: Block
    first: bool


def _units(blocks: Sequence[Block], lang: str) -> list[_Unit]:
    units: list[_Unit] = []
    for block in blocks:
        text = block.en if lang == "en" else block.zh
        if not text.strip():
            continue
        line = block.line if lang == "en" or block.zh_line is None else block.zh_line
        for paragraph in _paragraphs(text, line):
            sentences = _sentences([paragraph], lang)
            units.extend(_Unit(s, block, k == 0) for k, s in enumerate(sentences))
    return units


def _align_stream(
    cursor: _Cursor, blocks: Sequence[Block], lexicon: Lexicon | None, params: Params | None
) -> None:
    """EN and ZH blocks of a run aligned as one text; paragraphs, headings and list items
    anchor it, so an untranslated or added paragraph comes out as 1-0 / 0-1 pairs."""
    from review.align import align_sentences

    en = _units(blocks, "en")
    zh = _units(blocks, "zh")
    structure = (
        [(u.first, _STREAM_KINDS[u.block.kind]) for u in en],
        [(u.first, _STREAM_KINDS[u.block.kind]) for u in zh],
    )
    beads = align_sentences(
        [u.sentence.text for u in en], [u.sentence.text for u in zh], lexicon, params, structure
    )
    for bead in beads:
        units = [en[i] for i in bead.en] + [zh[j] for j in bead.zh]
        heading = next((u for u in units if u.block.kind is BlockKind.HEADING), None)
        if heading is not None:
            cursor.section = heading.block.en.strip() or heading.block.zh.strip()
        cursor.emit(
            [en[i].sentence for i in bead.en],
            [zh[j].sentence for j in bead.zh],
            bead.confidence,
            units[0].block,
        )


def _lines(text: str, first_line: int) -> list[_Sentence]:
    return [
        _Sentence(line.strip(), first_line + number)
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"))
        if line.strip()
    ]


def _paragraphs(text: str, first_line: int) -> list[tuple[int, str]]:
    from review.segment import split_paragraphs

    return [(first_line + offset - 1, para) for offset, para in split_paragraphs(text)]


def _sentences(paragraphs: Sequence[tuple[int, str]], lang: str) -> list[_Sentence]:
    from review.segment import split_sentences

    return [
        _Sentence(sentence, line)
        for line, para in paragraphs
        for sentence in split_sentences(para, "en" if lang == "en" else "zh")
    ]


def _align_text(
    cursor: _Cursor,
    block: Block,
    en_line: int,
    zh_line: int,
    lexicon: Lexicon | None,
    params: Params | None,
) -> None:
    """Running text: align paragraphs when both sides have several, then their sentences."""
    en_paras = _paragraphs(block.en, en_line)
    zh_paras = _paragraphs(block.zh, zh_line)
    if len(en_paras) > 1 and len(zh_paras) > 1:
        from review.align import align_sentences

        paras_en, paras_zh = [p for _, p in en_paras], [p for _, p in zh_paras]
        beads = align_sentences(paras_en, paras_zh, lexicon, PARAGRAPH_PARAMS)
        groups = [([en_paras[i] for i in b.en], [zh_paras[j] for j in b.zh]) for b in beads]
    else:
        groups = [(en_paras, zh_paras)]
    for en_group, zh_group in groups:
        en = _sentences(en_group, "en")
        zh = _sentences(zh_group, "zh")
        _align_into(cursor, en, zh, block, lexicon, params)


def _align_into(
    cursor: _Cursor,
    en: Sequence[_Sentence],
    zh: Sequence[_Sentence],
    block: Block,
    lexicon: Lexicon | None,
    params: Params | None,
) -> None:
    from review.align import align_sentences

    beads = align_sentences([s.text for s in en], [s.text for s in zh], lexicon, params)
    for bead in beads:
        cursor.emit([en[i] for i in bead.en], [zh[j] for j in bead.zh], bead.confidence, block)
