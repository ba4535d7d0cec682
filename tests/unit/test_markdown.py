"""Markdown: prose blocks with their lines, code never prose, sections paired by heading."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from review.align import align_document
from review.errors import InputError
from review.ingest.markdown import (
    MdCode,
    _parser,
    markdown_document,
    parse_markdown,
    read_markdown,
    read_markdown_pair,
)
from review.inline import Role, TagView, is_token
from review.model import BlockKind, Pair, PairKind, Segmentation

DOCS = Path(__file__).parent.parent / "data" / "markdown"
PAIRS = ["antd-001", "antd-002", "antd-003", "antd-004"]


@cache
def pairs_of(name: str) -> tuple[Pair, ...]:
    document = read_markdown_pair(DOCS / f"{name}.en.md", DOCS / f"{name}.zh.md")
    return tuple(align_document(document))


def plain(text: str) -> str:
    return "".join(c for c in text if not is_token(c))


def fenced_code(path: Path) -> list[str]:
    return [
        t.content for t in _parser().parse(path.read_text(encoding="utf-8")) if t.type == "fence"
    ]


# --- the four document pairs ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAIRS)
def test_no_code_block_becomes_a_sentence(name: str) -> None:
    pairs = pairs_of(name)
    texts = [plain(p.en) + "\n" + plain(p.zh) for p in pairs]
    for side in ("en", "zh"):
        for code in fenced_code(DOCS / f"{name}.{side}.md"):
            for line in code.splitlines():
                if len(line.strip()) >= 12:  # `}` or `);` could be anywhere
                    assert not any(line.strip() in text for text in texts), line
    assert not any("`" in plain(p.en) + plain(p.zh) for p in pairs), "inline code left as text"
    assert not any("http" in plain(p.en) + plain(p.zh) for p in pairs), "a URL left as text"


def test_the_faq_has_code_blocks_and_they_are_left_out() -> None:
    assert len(fenced_code(DOCS / "antd-003.en.md")) == 9
    skipped = read_markdown(DOCS / "antd-003.en.md").skipped
    assert [line for what, line in skipped if what == "code"][:2] == [134, 151]


def test_the_chinese_only_final_section_of_antd_001_is_chinese_only() -> None:
    pairs = pairs_of("antd-001")
    final = [p for p in pairs if p.section == "基本标点规范"]
    assert final and all(p.kind is PairKind.ZH_ONLY for p in final)
    texts = [plain(p.zh) for p in final]
    assert texts[:3] == ["基本标点规范", "标点名称", "字符"]  # the heading, then the table's cells
    assert "只在需要表达强烈情感的情况下使用。" in texts
    before = [p for p in pairs if p.section == "Use exclamation marks with caution"]
    assert before and all(p.kind is PairKind.TRANSLATED for p in before)


def test_faq_questions_pair_by_heading_and_the_chinese_only_ones_stand_alone() -> None:
    pairs = pairs_of("antd-003")
    by_kind = {kind: [plain(p.en or p.zh) for p in pairs if p.kind is kind] for kind in PairKind}
    zh_only_headings = [
        plain(p.zh) for p in pairs if p.kind is PairKind.ZH_ONLY and plain(p.section) == plain(p.zh)
    ]
    assert zh_only_headings == [
        " 是否有国内镜像？",  # moved: its English is further up, alone (below)
        "在我的网络环境下没法获取到  文件。",
        "我的组件默认语言是英文的？如何切回中文的。",
    ]
    # the mirror question moved: its English alone, its Chinese alone, further down
    assert "Does  have a mirror in China?" in by_kind[PairKind.UNTRANSLATED]
    assert " 是否有国内镜像？" in by_kind[PairKind.ZH_ONLY]
    translated = [p for p in pairs if p.kind is PairKind.TRANSLATED]
    assert any(plain(p.en).startswith("How to spell Ant Design") for p in translated)


@pytest.mark.parametrize("name", ["antd-002", "antd-004"])
def test_parallel_documents_pair_every_heading_and_sentence(name: str) -> None:
    pairs = pairs_of(name)
    assert all(p.kind is PairKind.TRANSLATED for p in pairs)
    document = read_markdown_pair(DOCS / f"{name}.en.md", DOCS / f"{name}.zh.md")
    heading_blocks = [b for b in document.blocks if b.kind is BlockKind.HEADING]
    assert all(b.en and b.zh for b in heading_blocks)
    assert len(heading_blocks) == {"antd-002": 25, "antd-004": 4}[name]


@pytest.mark.parametrize("name", PAIRS)
def test_every_pair_starts_on_the_line_of_its_block(name: str) -> None:
    sides = {side: read_markdown(DOCS / f"{name}.{side}.md") for side in ("en", "zh")}
    for pair in pairs_of(name):
        side = "en" if pair.en else "zh"
        start = plain(pair.en or pair.zh).strip()[:12]
        there = [b for b in sides[side].blocks if b.line == pair.line]
        assert any(start in b.prose() for b in there), (pair.line, start)


def test_front_matter_is_never_prose() -> None:
    text = read_markdown(DOCS / "antd-001.en.md")
    assert ("front matter", 1) in text.skipped
    assert not any("title:" in b.source() or "order: 5" in b.source() for b in text.blocks)
    assert text.blocks[0].line == 8


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_each_block_gives_its_markdown_source_back(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sources = {
        t.map[0] + 1: t.content for t in _parser().parse(text) if t.type == "inline" and t.map
    }
    lines = text.split("\n")
    for block in read_markdown(path).blocks:
        if block.type == "html":  # a run of an HTML block: text of the file as it is
            assert block.source().split("\n")[0] in lines[block.line - 1]
        elif block.type != "cell":
            assert block.source() == sources[block.line]


def test_codes_are_tmx_inline_xml_and_match_across_languages() -> None:
    pair = next(p for p in pairs_of("antd-003") if plain(p.en).startswith("Is there a difference"))
    view = TagView.for_pair(pair)
    assert view.show(pair.en) == (
        "Is there a difference between ⟨x1/⟩ and ⟨x2/⟩ in the controlled components of ⟨x3/⟩?"
    )
    assert view.show(pair.zh) == "⟨x1/⟩ 和 ⟨x2/⟩ 在 ⟨x3/⟩ 的受控组件中有区别吗？"
    natives = {tag.label: tag.native for tag in view.tags.values()}
    assert natives == {"⟨x1/⟩": "`undefined`", "⟨x2/⟩": "`null`", "⟨x3/⟩": "`antd`"}
    for code in pair.inline:
        assert etree.fromstring(code.xml).tag in {"bpt", "ept", "ph"}


# --- the reader on small texts -------------------------------------------------------------

SMALL = """---
title: Guide
---

# Install `antd` **now**

Run the [installer](https://ant.design/install "Install") or see <https://ant.design>.
Read www.example.com and https://x.org/a_b. Press <kbd>Ctrl</kbd>+S, a literal \\* star,
and ``code with ` tick``. ![logo](logo.png) ~~old~~ *new*

```js
const secret = "never prose";
```

    indented code is code too

- First item with `code`
- Second item
  1. Nested **bold** item

| Name | Note |
| --- | --- |
| Button | Use it *well* |

> Quoted words.

<div class="x"><p>Text in HTML with <b>bold</b> words.</p><pre>raw code</pre></div>

Title underlined
----------------
"""


def test_small_document_blocks_and_their_codes() -> None:
    text = parse_markdown(SMALL, "small.md")
    shown = [(b.type, b.line, _shown(b.pieces)) for b in text.blocks]
    assert shown == [
        ("heading", 5, "Install ⟨`antd`⟩ ⟨**⟩now⟨**⟩"),
        (
            "paragraph",
            7,
            'Run the ⟨[⟩installer⟨](https://ant.design/install "Install")⟩ or see'
            " ⟨<https://ant.design>⟩.\nRead ⟨www.example.com⟩ and ⟨https://x.org/a_b⟩. Press"
            " ⟨<kbd>⟩Ctrl⟨</kbd>⟩+S, a literal \\* star,\nand ⟨``code with ` tick``⟩."
            " ⟨![logo](logo.png)⟩ ⟨~~⟩old⟨~~⟩ ⟨*⟩new⟨*⟩",
        ),
        ("item", 17, "First item with ⟨`code`⟩"),
        ("item", 18, "Second item"),
        ("item", 19, "Nested ⟨**⟩bold⟨**⟩ item"),
        ("cell", 21, "Name"),
        ("cell", 21, "Note"),
        ("cell", 23, "Button"),
        ("cell", 23, "Use it ⟨*⟩well⟨*⟩"),
        ("paragraph", 25, "Quoted words."),
        ("html", 27, "Text in HTML with ⟨<b>⟩bold⟨</b>⟩ words."),
        ("heading", 29, "Title underlined"),
    ]
    assert [what for what, _ in text.skipped] == ["front matter", "code", "code"]


def _shown(pieces: tuple[str | MdCode, ...]) -> str:
    return "".join(p if isinstance(p, str) else f"⟨{p.native}⟩" for p in pieces)


def test_links_and_emphasis_open_and_close_around_their_words() -> None:
    [block] = parse_markdown("See [the **docs**](https://x.org).\n").blocks
    roles = [(p.role, p.native) for p in block.pieces if isinstance(p, MdCode)]
    assert roles == [
        (Role.OPEN, "["),
        (Role.OPEN, "**"),
        (Role.CLOSE, "**"),
        (Role.CLOSE, "](https://x.org)"),
    ]
    document = markdown_document(
        parse_markdown("See [the **docs**](https://x.org).\n"),
        parse_markdown("见[**文档**](https://x.org)。\n"),
        "d",
        aligner=lambda en, zh, what: [],
    )
    [block] = document.blocks
    assert block.segmentation is Segmentation.TEXT
    view = TagView.of(block.inline, block.en, block.zh)
    assert (view.show(block.en), view.show(block.zh)) == (
        "See ⟨1⟩the ⟨2⟩docs⟨/2⟩⟨/1⟩.",
        "见⟨1⟩⟨2⟩文档⟨/2⟩⟨/1⟩。",
    )


def test_the_aligner_is_asked_for_headings_then_paragraphs() -> None:
    asked: list[tuple[str, list[str], list[str]]] = []

    def aligner(
        en: list[str], zh: list[str], what: str
    ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        asked.append((what, en, zh))
        if what == "heading":
            return [((0,), ()), ((), (0,)), ((1,), (1,))]
        return [((i,), (i,)) for i in range(len(en))]

    en = parse_markdown("# One\n\nFirst.\n\n# Two\n\nA.\n\nB.\n")
    zh = parse_markdown("# 甲\n\n首先。\n\n# 二\n\n甲。\n\n乙。\n")
    document = markdown_document(en, zh, "d", aligner=aligner)  # type: ignore[arg-type]
    assert asked == [
        ("heading", ["One", "Two"], ["甲", "二"]),
        ("paragraph", ["A.", "B."], ["甲。", "乙。"]),
    ]
    shown = [(b.kind.value, b.en, b.zh, b.line, b.zh_line) for b in document.blocks]
    assert shown == [
        ("heading", "One", "", 1, None),
        ("paragraph", "First.", "", 3, None),
        ("heading", "", "甲", 1, 1),
        ("paragraph", "", "首先。", 3, 3),
        ("heading", "Two", "二", 5, 5),
        ("paragraph", "A.", "甲。", 7, 7),
        ("paragraph", "B.", "乙。", 9, 9),
    ]


def test_markdown_in_another_encoding_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "doc.zh.md"
    path.write_bytes((DOCS / "antd-004.zh.md").read_text(encoding="utf-8").encode("gb18030"))
    assert read_markdown(path).blocks == read_markdown(DOCS / "antd-004.zh.md").blocks


def test_an_empty_file_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="is empty"):
        read_markdown(path)


def test_a_heading_the_english_lacks_stands_alone_instead_of_merging() -> None:
    en = parse_markdown("# Colours\n\nUse red.\n\n# Sizes\n\nUse small.\n")
    zh = parse_markdown("# 颜色\n\n使用红色。\n\n# 标点\n\n少用感叹号。\n\n# 尺寸\n\n使用小号。\n")
    document = markdown_document(en, zh, "d")
    headings = [(b.en, b.zh) for b in document.blocks if b.kind is BlockKind.HEADING]
    assert headings == [("Colours", "颜色"), ("", "标点"), ("Sizes", "尺寸")]
