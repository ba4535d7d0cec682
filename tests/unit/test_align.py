"""Sentence aligner: real beads on texts we wrote, invariants under Hypothesis, and documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.align import Bead, Params, align_document, align_sentences
from review.lexicon import Lexicon, get_lexicon
from review.model import Block, BlockKind, Document, Segmentation, pair_id

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

EN = [
    "The bank opened a new branch in Beijing in 2019.",
    "It has 120 employees.",
    "Wang Qiyao walked to the market.",
    "She bought three apples.",
    "Then she went home.",
    "Why did the company fail?",
    "Nobody knows.",
    "The meeting was held in Shanghai on 5 May, and more than 300 people attended.",
    "Huawei released a new phone.",
]
ZH = [
    "这家银行于2019年在北京开设了一家新分行，拥有120名员工。",
    "王琦瑶走到市场，买了三个苹果。",
    "然后她回家了。",
    "公司为什么失败了？",
    "没有人知道。",
    "会议于5月5日在上海举行。",
    "有300多人参加。",
    "华为发布了一款新手机。",
]
GOLD = [
    ((0, 1), (0,)),  # two EN sentences, one ZH: numbers and the bank
    ((2, 3), (1,)),  # a pinyin name and a merged clause
    ((4,), (2,)),
    ((5,), (3,)),  # question marks
    ((6,), (4,)),
    ((7,), (5, 6)),  # one EN sentence, two ZH
    ((8,), (7,)),
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return get_lexicon()


def _check_cover(beads: list[Bead], n_en: int, n_zh: int) -> None:
    """Every sentence once, in order, each bead contiguous and not empty."""
    en = [i for b in beads for i in b.en]
    zh = [j for b in beads for j in b.zh]
    assert en == list(range(n_en))
    assert zh == list(range(n_zh))
    for bead in beads:
        assert bead.en or bead.zh
        assert 0.0 <= bead.confidence <= 1.0
        for side in (bead.en, bead.zh):
            assert list(side) == list(range(side[0], side[0] + len(side))) if side else True


def test_aligns_two_to_one_and_one_to_two(lexicon: Lexicon) -> None:
    beads = align_sentences(EN, ZH, lexicon)
    assert [(b.en, b.zh) for b in beads] == GOLD
    _check_cover(beads, len(EN), len(ZH))


def test_untranslated_paragraph_becomes_one_to_zero_pairs(lexicon: Lexicon) -> None:
    """Paragraphs are aligned first, so a paragraph with no translation stays untranslated."""
    en = (
        "The bank opened a new branch in Beijing in 2019. It has 120 employees.\n\n"
        "In 2022 the football club in Manchester sold 45,000 tickets for 12 matches. "
        "Its stadium was rebuilt after a fire destroyed the old stands.\n\n"
        "Why did the company fail? Nobody knows."
    )
    zh = "这家银行于2019年在北京开设了一家新分行，拥有120名员工。\n\n公司为什么失败了？没有人知道。"
    block = Block(en, zh, 1, Segmentation.TEXT)
    pairs = align_document(Document("d", "d.txt", "pair", (block,)), lexicon)
    assert [(p.en_ids, p.zh_ids) for p in pairs] == [
        ((0, 1), (0,)),
        ((2,), ()),
        ((3,), ()),
        ((4,), (1,)),
        ((5,), (2,)),
    ]
    assert [p.line for p in pairs] == [1, 3, 3, 5, 5]


def test_one_side_empty() -> None:
    assert align_sentences([], []) == []
    beads = align_sentences(["One.", "Two."], [])
    assert [(b.en, b.zh) for b in beads] == [((0,), ()), ((1,), ())]
    beads = align_sentences([], ["一。"])
    assert [(b.en, b.zh) for b in beads] == [((), (0,))]


def test_banded_search_finds_the_same_path_on_long_input(lexicon: Lexicon) -> None:
    """Coarse-to-fine with a narrow band recovers the alignment of a long repeated text."""
    en = EN * 12
    zh = ZH * 12
    expected = [
        (tuple(i + k * len(EN) for i in e), tuple(j + k * len(ZH) for j in z))
        for k in range(12)
        for e, z in GOLD
    ]
    banded = align_sentences(en, zh, lexicon, Params(full_cells=500, band=4))
    _check_cover(banded, len(en), len(zh))
    assert [(b.en, b.zh) for b in banded] == expected


_SENTENCES_EN = st.sampled_from([*EN, "Yes.", "A long sentence with many words in it, really."])
_SENTENCES_ZH = st.sampled_from([*ZH, "是的。", "一个很长的句子，里面有很多字。"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_SENTENCES_EN, max_size=14),
    st.lists(_SENTENCES_ZH, max_size=14),
    st.sampled_from([200_000, 30]),
)
def test_every_sentence_covered_once_in_order(en: list[str], zh: list[str], cells: int) -> None:
    beads = align_sentences(en, zh, get_lexicon(), Params(full_cells=cells, band=2))
    _check_cover(beads, len(en), len(zh))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=8), st.lists(st.text(max_size=30), max_size=8))
def test_arbitrary_text_is_covered(en: list[str], zh: list[str]) -> None:
    _check_cover(align_sentences(en, zh, get_lexicon()), len(en), len(zh))


def test_seed_article_media_salon_sentences_align_one_to_one(lexicon: Lexicon) -> None:
    from review.ingest import read_source

    document = read_source(CORPUS / "science-and-technology-catalyst.txt")
    pairs = align_document(document, lexicon)
    salon = [p for p in pairs if p.en.startswith("The session was attended")]
    assert len(salon) == 1
    start = pairs.index(salon[0])
    three = pairs[start : start + 3]
    assert [len(p.en_ids) for p in three] == [1, 1, 1]
    assert [len(p.zh_ids) for p in three] == [1, 1, 1]
    assert three[0].zh.startswith("一份新闻稿称")
    assert three[1].en.startswith("Among other participants")
    assert "CCTV" in three[2].en and "CCTV" in three[2].zh
    assert all(p.section == "3rd round of Media Saloon" for p in three)
    # Sentence numbers run through the document on each side, in order.
    en_ids = [i for p in pairs for i in p.en_ids]
    zh_ids = [j for p in pairs for j in p.zh_ids]
    assert en_ids == list(range(len(en_ids)))
    assert zh_ids == list(range(len(zh_ids)))
    assert len({p.id for p in pairs}) == len(pairs)


def test_document_blocks_of_every_kind(lexicon: Lexicon) -> None:
    blocks = (
        Block("Bank news", "银行新闻", 1, Segmentation.ALIGNED, BlockKind.HEADING),
        Block(
            "The bank opened a new branch in Beijing in 2019. It has 120 employees.\n\n"
            "Why did the company fail? Nobody knows.",
            "这家银行于2019年在北京开设了一家新分行，拥有120名员工。\n\n"
            "公司为什么失败了？没有人知道。",
            3,
            Segmentation.TEXT,
            zh_line=7,
        ),
        Block(
            "Then she went home.\nHuawei released a new phone.",
            "然后她回家了。\n华为发布了一款新手机。",
            10,
            Segmentation.LINES,
        ),
        Block("", "注意：本文为机器翻译。", 14, Segmentation.TEXT, BlockKind.NOTE),
        Block("Leave a Reply", "", 16, Segmentation.TEXT, BlockKind.BOILERPLATE),
        Block("Hello", "你好", 18, Segmentation.ALIGNED, BlockKind.SEGMENT, notes=("checked",)),
    )
    document = Document("news", "news.txt", "article", blocks)
    pairs = align_document(document, lexicon)
    rows = [(p.en_ids, p.zh_ids, p.line, p.section, p.boilerplate) for p in pairs]
    assert rows == [
        ((0,), (0,), 1, "Bank news", False),
        ((1, 2), (1,), 3, "Bank news", False),
        ((3,), (2,), 5, "Bank news", False),
        ((4,), (3,), 5, "Bank news", False),
        ((5,), (4,), 10, "Bank news", False),
        ((6,), (5,), 11, "Bank news", False),
        ((), (6,), 14, "Bank news", False),
        ((7,), (), 16, "Bank news", True),
        ((8,), (7,), 18, "Bank news", False),
    ]
    assert pairs[1].en == "The bank opened a new branch in Beijing in 2019. It has 120 employees."
    assert pairs[1].zh == "这家银行于2019年在北京开设了一家新分行，拥有120名员工。"
    assert pairs[1].id == pair_id("news", (1, 2), (1,)) == "news:e1-2:z1"
    assert pairs[-1].notes == ("checked",)
    assert pairs[6].kind.value == "zh-only"
    assert pairs[7].kind.value == "untranslated"


def _side(kind: BlockKind, text: str, line: int, lang: str) -> Block:
    en, zh = (text, "") if lang == "en" else ("", text)
    return Block(en, zh, line, Segmentation.TEXT, kind)


def _markdown_like(en: list[tuple[BlockKind, str]], zh: list[tuple[BlockKind, str]]) -> Document:
    """A document as a reader of two structured files gives it: each side's blocks, one-sided."""
    blocks = [_side(k, t, n + 1, "en") for n, (k, t) in enumerate(en)]
    blocks += [_side(k, t, n + 1, "zh") for n, (k, t) in enumerate(zh)]
    return Document("guide", "guide.en.md", "markdown", tuple(blocks))


H, P, LI = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM
GUIDE_EN = [
    (H, "Installation"),
    (P, "The bank opened a new branch in Beijing in 2019. It has 120 employees."),
    (H, "Usage"),
    (LI, "Why did the company fail?"),
    (LI, "Nobody knows."),
    (P, "In 2022 the football club in Manchester sold 45,000 tickets for 12 matches."),
    (H, "Contact"),
    (P, "Huawei released a new phone."),
]
GUIDE_ZH = [
    (H, "安装"),
    (P, "这家银行于2019年在北京开设了一家新分行，拥有120名员工。"),
    (P, "本节只有中文版：请先阅读许可证，再下载安装包。"),
    (H, "用法"),
    (LI, "公司为什么失败了？"),
    (LI, "没有人知道。"),
    (H, "联系"),
    (P, "华为发布了一款新手机。"),
]


def test_structure_anchors_headings_and_lists_and_keeps_unmatched_paragraphs_apart(
    lexicon: Lexicon,
) -> None:
    """Headings pair with headings, list items with list items; the ZH-only paragraph is 0-1
    and the untranslated EN paragraph 1-0, instead of being absorbed by a neighbour."""
    pairs = align_document(_markdown_like(GUIDE_EN, GUIDE_ZH), lexicon)
    rows = [(p.en, p.zh, p.section) for p in pairs]
    assert rows == [
        ("Installation", "安装", "Installation"),
        (
            "The bank opened a new branch in Beijing in 2019. It has 120 employees.",
            "这家银行于2019年在北京开设了一家新分行，拥有120名员工。",
            "Installation",
        ),
        ("", "本节只有中文版：请先阅读许可证，再下载安装包。", "Installation"),
        ("Usage", "用法", "Usage"),
        ("Why did the company fail?", "公司为什么失败了？", "Usage"),
        ("Nobody knows.", "没有人知道。", "Usage"),
        (
            "In 2022 the football club in Manchester sold 45,000 tickets for 12 matches.",
            "",
            "Usage",
        ),
        ("Contact", "联系", "Contact"),
        ("Huawei released a new phone.", "华为发布了一款新手机。", "Contact"),
    ]
    assert [p.line for p in pairs] == [1, 2, 3, 3, 4, 5, 6, 7, 8]


def test_without_structure_the_same_sentences_drift(lexicon: Lexicon) -> None:
    """The anchors are what keeps the pairs apart: as plain sentences the ZH-only paragraph
    is merged into a neighbour (so the structure test above could fail)."""
    en = [t for _, t in GUIDE_EN]
    zh = [t for _, t in GUIDE_ZH]
    from review.segment import split_sentences

    en_s = [s for t in en for s in split_sentences(t, "en")]
    zh_s = [s for t in zh for s in split_sentences(t, "zh")]
    beads = align_sentences(en_s, zh_s, lexicon)
    _check_cover(beads, len(en_s), len(zh_s))
    assert ((), (2,)) not in [(b.en, b.zh) for b in beads]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(GUIDE_EN), max_size=8),
    st.lists(st.sampled_from(GUIDE_ZH), max_size=8),
)
def test_structured_documents_cover_every_sentence_once_in_order(
    en: list[tuple[BlockKind, str]], zh: list[tuple[BlockKind, str]]
) -> None:
    pairs = align_document(_markdown_like(en, zh), get_lexicon())
    en_ids = [i for p in pairs for i in p.en_ids]
    zh_ids = [j for p in pairs for j in p.zh_ids]
    assert en_ids == list(range(len(en_ids)))
    assert zh_ids == list(range(len(zh_ids)))
    assert all(p.en or p.zh for p in pairs)
