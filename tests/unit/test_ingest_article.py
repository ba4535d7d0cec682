"""Mixed bilingual articles: the seed's structure, and the cases that make script detection hard."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from review.ingest import read_source
from review.ingest.article import article_blocks, classify, split_heading
from review.model import Block, BlockKind, Segmentation

SEED = Path(__file__).resolve().parents[2] / "corpus" / "science-and-technology-catalyst.txt"

HEADINGS = [
    (1, "Science and Technology as a catalyst of Developments.", "科学技术是发展的催化剂"),
    (6, "Research and Development Initiatives", "研发计划"),
    (11, "Infrastructure Development", "基础设施开发"),
    (16, "Capacity Building and Skill Transfer", "能力建设和技能转移"),
    (21, "Information and Communication Technology (ICT) Collaboration", "信息和通信技术合作:"),
    (26, "Renewable Energy Initiatives", "可再生能源倡议"),
    (31, "Biotechnology and Healthcare", "生物技术和医疗保健"),
    (39, "3rd round of Media Saloon", "第三轮媒体沙龙"),
    (
        54,
        "Recently China had launched International Science and Technology Cooperation Initiative:-",
        "最近,中国发起了国际科技合作倡议:-",
    ),
]
UNTRANSLATED_LINES = [3, 8, 13, 18, 23, 28, 33, 36, 41, 48, 51, 56, 59]


@pytest.fixture(scope="module")
def seed_blocks() -> tuple[Block, ...]:
    doc = read_source(SEED)
    assert (doc.id, doc.format) == ("science-and-technology-catalyst", "article")
    return doc.blocks


def test_seed_heading_pairs(seed_blocks: tuple[Block, ...]) -> None:
    headings = [b for b in seed_blocks if b.kind == BlockKind.HEADING]
    assert [(b.line, b.en, b.zh) for b in headings] == HEADINGS
    assert all(b.segmentation == Segmentation.ALIGNED for b in headings)


def test_seed_media_salon_paragraph_with_its_translation(seed_blocks: tuple[Block, ...]) -> None:
    [salon] = [b for b in seed_blocks if b.en and b.zh and b.segmentation == Segmentation.TEXT]
    assert (salon.line, salon.zh_line, salon.kind) == (44, 46, BlockKind.PARAGRAPH)
    assert salon.en.startswith("The session was attended by representatives")
    assert salon.en.endswith("Hum News, APP).")
    assert salon.zh.startswith("一份新闻稿称,来自中国信息和通信技术行业公司的代表")
    assert salon.zh.endswith("也出席了此次活动。")


def test_seed_untranslated_paragraphs(seed_blocks: tuple[Block, ...]) -> None:
    untranslated = [b for b in seed_blocks if b.zh == "" and b.kind == BlockKind.PARAGRAPH]
    assert [b.line for b in untranslated] == UNTRANSLATED_LINES
    assert all(b.segmentation == Segmentation.TEXT for b in untranslated)
    assert untranslated[0].en.startswith("Science and technology play a pivotal role")
    assert untranslated[-1].en.endswith("Thanks to China for facilitating Pakistan’s developments.")


def test_seed_note_and_boilerplate(seed_blocks: tuple[Block, ...]) -> None:
    tail = [(b.line, b.kind, b.en, b.zh) for b in seed_blocks[-4:]]
    assert tail == [
        (
            62,
            BlockKind.NOTE,
            "",
            "( 注意: 本文章有百度翻译的, 很可能有差异。 请参考原版英文的。 谢谢",
        ),
        (64, BlockKind.BOILERPLATE, "Reference Link:-", ""),
        (66, BlockKind.BOILERPLATE, "Leave a Reply", ""),
        (
            68,
            BlockKind.BOILERPLATE,
            "Your email address will not be published. Required fields are marked *",
            "",
        ),
    ]


def test_seed_every_line_lands_in_exactly_one_block(seed_blocks: tuple[Block, ...]) -> None:
    text = SEED.read_text(encoding="utf-8")
    content = "".join(text.split())
    kept = "".join("".join((b.en + b.zh).split()) for b in seed_blocks)
    assert sorted(kept) == sorted(content)
    assert len(seed_blocks) == 9 + 13 + 1 + 1 + 3


@pytest.mark.parametrize("variant", ["crlf", "bom", "gb18030", "utf-16"])
def test_seed_in_other_encodings_reads_the_same(
    tmp_path: Path, seed_blocks: tuple[Block, ...], variant: str
) -> None:
    text = SEED.read_text(encoding="utf-8")
    data = {
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "gb18030": text.replace("\n", "\r\n").encode("gb18030"),
        "utf-16": text.encode("utf-16"),
    }[variant]
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    assert read_source(path).blocks == seed_blocks


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Research and Development Initiatives 研发计划",
            ("Research and Development Initiatives", "研发计划"),
        ),
        (
            "Recently China had launched International Science and Technology Cooperation"
            " Initiative:-最近,中国发起了国际科技合作倡议:-",
            (
                "Recently China had launched International Science and Technology Cooperation"
                " Initiative:-",
                "最近,中国发起了国际科技合作倡议:-",
            ),
        ),
        (
            "The “Digital Silk Road” Forum “数字丝绸之路”论坛",
            ("The “Digital Silk Road” Forum", "“数字丝绸之路”论坛"),
        ),
        ("5G Rollout in Lahore — 拉合尔的5G部署", ("5G Rollout in Lahore —", "拉合尔的5G部署")),
        (
            "Special Economic Zones (SEZs) 经济特区(SEZ)",
            ("Special Economic Zones (SEZs)", "经济特区(SEZ)"),
        ),
        ("Gwadar Port Authority 瓜达尔港 Gwadar", None),
        # Chinese sentences that open with a Latin name are Chinese, not a heading pair.
        ("Huawei公司在伊斯兰堡开设了培训中心。", None),
        ("COMSATS大学中国研究中心的高级代表出席了会议。", None),
        ("Huawei Technologies公司宣布扩大投资。", None),
        ("一份新闻稿称,包括中国移动巴基斯坦公司、华为、Sunwalk。", None),
        # English that merely mentions a Chinese word, or ends in Latin, stays English.
        ("The word 中国 means the Middle Kingdom", None),
        ("Infrastructure Development", None),
        ("( 注意: 本文章有百度翻译的, 很可能有差异。", None),
    ],
)
def test_split_heading(line: str, expected: tuple[str, str] | None) -> None:
    assert split_heading(line) == expected


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (
            "一份新闻稿称,来自中国信息和通信技术行业公司的代表出席了会议,包括中国移动巴基斯坦公司、"
            "华为、Sunwalk、海康威视、Heroboss、Carlcare Services和中兴通讯巴基斯坦公司。",
            "zh",
        ),
        ("China Mobile Pakistan (CM Pak) Zong, Huawei, Sunwalk, Hikvision — 华为.", "en"),
        ("“数字丝绸之路”……", "zh"),
        ("— 2023 —", "neutral"),
    ],
)
def test_classify(text: str, script: str) -> None:
    assert classify(text) == script


def test_english_paragraph_then_two_chinese_paragraphs() -> None:
    text = (
        "Gwadar Port handled 1.2 million tonnes in 2023. Most of it was bulk cargo.\n\n"
        "瓜达尔港在2023年处理了120万吨货物。\n\n"
        "其中大部分是散装货物。\n\n"
        "The port is run by a Chinese company.\n"
    )
    assert article_blocks(text) == [
        Block(
            "Gwadar Port handled 1.2 million tonnes in 2023. Most of it was bulk cargo.",
            "瓜达尔港在2023年处理了120万吨货物。\n\n其中大部分是散装货物。",
            1,
            Segmentation.TEXT,
            BlockKind.PARAGRAPH,
            zh_line=3,
        ),
        Block("The port is run by a Chinese company.", "", 7, Segmentation.TEXT),
    ]


def test_lines_of_one_paragraph_split_where_the_script_changes() -> None:
    text = (
        "The forum opened in Lahore.\nIt drew 400 engineers.\n"
        "论坛在拉合尔开幕。\n吸引了400名工程师。\n"
    )
    assert article_blocks(text) == [
        Block(
            "The forum opened in Lahore.\nIt drew 400 engineers.",
            "论坛在拉合尔开幕。\n吸引了400名工程师。",
            1,
            Segmentation.TEXT,
            zh_line=3,
        )
    ]


def test_chinese_at_the_start_is_a_note_and_short_english_in_the_body_a_heading() -> None:
    text = (
        "译者注：本文由机器翻译。\n\n"
        "Energy\n\n"
        "Solar panels now supply 15% of the electricity used in Punjab.\n\n"
        "Share this:\n\n"
        "Related posts\n"
    )
    assert [(b.line, b.kind, b.en, b.zh) for b in article_blocks(text)] == [
        (1, BlockKind.NOTE, "", "译者注：本文由机器翻译。"),
        (3, BlockKind.HEADING, "Energy", ""),
        (
            5,
            BlockKind.PARAGRAPH,
            "Solar panels now supply 15% of the electricity used in Punjab.",
            "",
        ),
        (7, BlockKind.BOILERPLATE, "Share this:", ""),
        (9, BlockKind.BOILERPLATE, "Related posts", ""),
    ]


def test_a_short_chinese_aside_after_long_english_is_not_its_translation() -> None:
    english = " ".join(["The corridor links the port of Gwadar with Kashgar in Xinjiang."] * 6)
    text = f"{english}\n\n见上文。\n"
    blocks = article_blocks(text)
    assert [(b.kind, bool(b.en), bool(b.zh)) for b in blocks] == [
        (BlockKind.PARAGRAPH, True, False),
        (BlockKind.NOTE, False, True),
    ]


def test_paragraph_and_its_translation_on_one_line_are_aligned_by_sentence() -> None:
    text = (
        "Gwadar Port handled 1.2 million tonnes in 2023. Most of it was bulk cargo. "
        "瓜达尔港在2023年处理了120万吨货物。其中大部分是散装货物。\n"
    )
    assert article_blocks(text) == [
        Block(
            "Gwadar Port handled 1.2 million tonnes in 2023. Most of it was bulk cargo.",
            "瓜达尔港在2023年处理了120万吨货物。其中大部分是散装货物。",
            1,
            Segmentation.TEXT,
            BlockKind.PARAGRAPH,
            zh_line=1,
        )
    ]


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Leave a Reply", True),
        ("Your email address will not be published. Required fields are marked *", True),
        ("Copyright © 2024 Daily Times. All rights reserved.", True),
        ("Share this:", True),
        ("Subscribe to our newsletter", True),
        ("Copyright law in China has changed a great deal in recent years.", False),
        ("Subscribers in Lahore doubled in 2023, the company said.", False),
        (
            "Read more about the corridor in our report on page 4 of the annual review, which "
            "covers the ten largest projects and their financing in detail.",
            False,
        ),
    ],
)
def test_web_chrome_in_the_body(line: str, chrome: bool) -> None:
    text = f"{line}\n\nThe corridor links Gwadar with Kashgar.\n"
    kind = article_blocks(text)[0].kind
    assert (kind == BlockKind.BOILERPLATE) == chrome
