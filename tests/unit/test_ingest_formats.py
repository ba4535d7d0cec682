"""TSV, TMX and document-pair ingest, and format detection, on real-looking files."""

from __future__ import annotations

import codecs
import tracemalloc
from pathlib import Path

import pytest

from review.errors import InputError
from review.ingest import detect_format, iter_blocks, read_document_pair, read_source
from review.ingest.tmx import lang_side
from review.model import Block, BlockKind, Segmentation

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def texts(blocks: tuple[Block, ...] | list[Block]) -> list[tuple[str, str]]:
    return [(b.en, b.zh) for b in blocks]


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (CORPUS / "science-and-technology-catalyst.txt", "article"),
        (CORPUS / "sample.tsv", "tsv"),
        (CORPUS / "sample.tmx", "tmx"),
        (CORPUS / "mlqe-enzh-sample.tsv", "tsv"),
        (DATA / "tmx11-lang.tmx", "tmx"),
        (DATA / "not-tmx.xml", "tmx"),
    ],
)
def test_format_detected(path: Path, fmt: str) -> None:
    assert detect_format(path) == fmt


def test_detection_by_content_not_name(tmp_path: Path) -> None:
    tmx = tmp_path / "memory.txt"
    tmx.write_bytes((DATA / "multilingual.tmx").read_bytes())
    tsv = tmp_path / "pairs.txt"
    tsv.write_text("Hello.\t你好。\nThanks.\t谢谢。\n", encoding="utf-8")
    article = tmp_path / "story.tsv.txt"
    article.write_text("A paragraph with\ta stray tab.\n\nAnother paragraph.\n", encoding="utf-8")
    assert [detect_format(p) for p in (tmx, tsv, article)] == ["tmx", "tsv", "article"]
    assert read_source(tsv).id == "pairs"


# --- TSV ------------------------------------------------------------------------------------


def test_sample_tsv() -> None:
    doc = read_source(CORPUS / "sample.tsv")
    assert (doc.id, doc.format, len(doc.blocks)) == ("sample", "tsv", 16)
    first = doc.blocks[0]
    assert first == Block(
        "The Gwadar port handled 1.2 million tonnes of cargo in 2023.",
        "瓜达尔港在2023年处理了120万吨货物。",
        2,
        Segmentation.ALIGNED,
        BlockKind.SEGMENT,
    )
    assert doc.blocks[-1].zh == ""  # the empty Chinese cell stays an untranslated pair


def test_tsv_fields_are_literal_and_extra_columns_ignored() -> None:
    doc = read_source(DATA / "literal-quotes.tsv")
    assert texts(doc.blocks) == [
        ('"Quoted," she said.', "“引用，”她说。"),
        ('"Unclosed quote at the start', "“未闭合的引号"),
        ("The last row.", "最后一行。"),
    ]
    assert [b.line for b in doc.blocks] == [2, 3, 4]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("en\tzh\nHi.\t你好。\n", [("Hi.", "你好。")]),
        ("EN\tZH-CN\nHi.\t你好。\n", [("Hi.", "你好。")]),
        ("zh\ten\n你好。\tHi.\n", [("Hi.", "你好。")]),
        ("id\ten\tzh\n7\tHi.\t你好。\n", [("Hi.", "你好。")]),
        ("English\tChinese\nHi.\t你好。\n", [("Hi.", "你好。")]),
        # MLQE-PE's own columns: the machine translation is the first Chinese column.
        (
            "id\tsrc_en\tmt_zh\tlabel\tda_mean\tpe_zh\thter\ndev-0\tHi.\t你好.\t0.5\t62.8\t你好。\t0.06\n",
            [("Hi.", "你好.")],
        ),
        ("Hi.\t你好。\nBye.\t再见。\n", [("Hi.", "你好。"), ("Bye.", "再见。")]),
        ("Hi.\t你好。\n\n\nBye.\t再见。\textra\tmore\n", [("Hi.", "你好。"), ("Bye.", "再见。")]),
        ("Hi.\t你好。\r\nBye.\t再见。\r\n", [("Hi.", "你好。"), ("Bye.", "再见。")]),
        ("Untranslated.\t\n\t只有中文。\n", [("Untranslated.", ""), ("", "只有中文。")]),
    ],
)
def test_tsv_header_and_rows(tmp_path: Path, content: str, expected: list[tuple[str, str]]) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_bytes(content.encode("utf-8"))
    assert texts(read_source(path).blocks) == expected


def test_tsv_in_gb18030_and_utf16(tmp_path: Path) -> None:
    content = "en\tzh\n“Belt and Road” forum.\t“一带一路”论坛。\n"
    gb, utf16 = tmp_path / "gb.tsv", tmp_path / "u16.tsv"
    gb.write_bytes(content.encode("gb18030"))
    utf16.write_bytes(codecs.BOM_UTF16_LE + content.encode("utf-16-le"))
    for path in (gb, utf16):
        assert texts(read_source(path).blocks) == [("“Belt and Road” forum.", "“一带一路”论坛。")]


def test_tsv_streams_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.tsv"
    row = "The Karakoram Highway links Kashgar with Havelian.\t喀喇昆仑公路连接喀什和哈维连。\n"
    path.write_text(row * 60_000, encoding="utf-8")  # ~7 MB
    tracemalloc.start()
    count = sum(1 for _ in iter_blocks(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 60_000
    assert peak < 2_000_000


# --- TMX ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "side"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("EN-GB", "en"),
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("ZH-CN", "zh"),
        ("zh_CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-TW", "zh"),
        ("zh-Hant-HK", "zh"),
        ("de-DE", None),
        ("", None),
        (None, None),
    ],
)
def test_language_codes(code: str | None, side: str | None) -> None:
    assert lang_side(code) == side


def test_sample_tmx() -> None:
    doc = read_source(CORPUS / "sample.tmx")
    assert (doc.id, doc.format, len(doc.blocks)) == ("sample", "tmx", 10)
    assert all(
        b.segmentation == Segmentation.ALIGNED and b.kind == BlockKind.SEGMENT for b in doc.blocks
    )
    marked = doc.blocks[1]
    assert marked.line == 10
    assert marked.notes == ("Bold markup around the date must survive the round trip.",)
    assert marked.props == (("x-review-status", "pending"),)
    assert marked.en == "The forum opens on \ue00012 March 2024\ue001 in Lahore."
    assert marked.zh == "论坛将于\ue0022024年3月21日\ue003在拉合尔开幕。"


def test_tmx_11_lang_attribute_and_ut_codes() -> None:
    doc = read_source(DATA / "tmx11-lang.tmx")
    assert texts(doc.blocks) == [
        ("Press the \ue000Start\ue001 button.", "按\ue002开始\ue003按钮。"),
        ("The colour settings are saved automatically.", "颜色设置会自动保存。"),
        ("Traditional script sample.", "繁體字範例。"),
        ("Simplified script sample.", "简体字示例。"),
    ]
    assert [c.xml for c in doc.blocks[0].inline] == ["<ut>{\\b </ut>", "<ut>}</ut>"] * 2
    assert [b.line for b in doc.blocks] == [6, 10, 14, 18]


def test_tmx_other_languages_notes_and_props() -> None:
    doc = read_source(DATA / "multilingual.tmx")
    assert texts(doc.blocks) == [
        ("The dam produces 4,500 megawatts.", "该水坝发电量为4500兆瓦。"),
        ("Only English here.", ""),
    ]
    assert doc.blocks[0].notes == ("Checked by the Lahore office.",)
    assert doc.blocks[0].props == (("x-review-status", "accepted"), ("x-domain", "energy"))


def _seg_xml(path: Path) -> list[str]:
    """The inner XML of every <seg>, exactly as written in the file."""
    raw = path.read_text(encoding="utf-8")
    parts = raw.split("<seg>")[1:]
    return [part.split("</seg>")[0] for part in parts]


def _restore(text: str, block: Block) -> str:
    """Re-serialise a side as export will: escape the text, put each code's XML back."""
    codes = {c.token: c.xml for c in block.inline}
    return "".join(codes.get(char, _escape(char)) for char in text)


def _escape(char: str) -> str:
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char)


def test_tmx_inline_codes_restore_byte_exact() -> None:
    path = DATA / "inline-codes.tmx"
    doc = read_source(path)
    restored = [_restore(side, b) for b in doc.blocks for side in (b.en, b.zh)]
    assert restored == _seg_xml(path)
    second = doc.blocks[1]
    # <hi> and a <bpt> holding a <sub> are each one opaque token.
    assert second.en == "See \ue000Annex 2, \ue001 and \ue0021\ue003."
    assert second.inline[2].xml == '<bpt i="4">&lt;a href="#fn"&gt;<sub>footnote text</sub></bpt>'
    tokens = [c.token for b in doc.blocks for c in b.inline]
    assert all("\ue000" <= t <= "\uf8ff" for t in tokens)
    assert all(len({c.token for c in b.inline}) == len(b.inline) for b in doc.blocks)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8-sig"])
def test_tmx_in_utf16_and_bom_utf8(tmp_path: Path, codec: str) -> None:
    raw = (CORPUS / "sample.tmx").read_text(encoding="utf-8")
    if codec.startswith("utf-16"):
        raw = raw.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + raw.encode(codec)
    else:
        data = raw.encode(codec)
    path = tmp_path / "memory.tmx"
    path.write_bytes(data)
    assert read_source(path).blocks == read_source(CORPUS / "sample.tmx").blocks


def test_tmx_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<tmx version="1.4"><header srclang="en"/><body>\n'
        '<tu><tuv xml:lang="en"><seg>Leak: &xxe;</seg></tuv>'
        '<tuv xml:lang="zh"><seg>泄露：&xxe;</seg></tuv></tu>\n'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    doc = read_source(path)
    assert "TOP-SECRET" not in repr(doc)
    # The unexpanded reference is kept as an opaque code, so export writes it back unchanged.
    assert [c.xml for c in doc.blocks[0].inline] == ["&xxe;", "&xxe;"]


def test_tmx_entity_bomb_is_refused_quickly() -> None:
    with pytest.raises(InputError) as error:
        read_source(DATA / "billion-laughs.tmx")
    assert str(error.value).startswith(f"{DATA / 'billion-laughs.tmx'}:")
    assert "malformed XML" in error.value.problem


def test_tmx_streams_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.tmx"
    tu = (
        '<tu><prop type="x-review-status">pending</prop>'
        '<tuv xml:lang="en"><seg>The port opened in <ph x="1">&lt;br/&gt;</ph>2016.</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>该港口于2016年开放。</seg></tuv></tu>\n'
    )
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body>\n')
        for _ in range(30_000):
            out.write(tu)
        out.write("</body></tmx>\n")
    tracemalloc.start()
    count = sum(1 for _ in iter_blocks(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 30_000
    assert peak < 3_000_000


# --- document pairs -------------------------------------------------------------------------


def test_document_pair_running_text() -> None:
    doc = read_document_pair(CORPUS / "sample-doc.en.txt", CORPUS / "sample-doc.zh.txt")
    assert (doc.id, doc.format, len(doc.blocks)) == ("sample-doc", "pair", 1)
    block = doc.blocks[0]
    assert block.segmentation == Segmentation.TEXT
    assert block.en.startswith("The China-Pakistan Economic Corridor (CPEC) entered")
    assert block.zh.startswith("中巴经济走廊（CPEC）于2021年")
    assert block.en.count("\n\n") == 2 and block.zh.count("\n\n") == 2


def test_document_pair_presegmented_crlf(tmp_path: Path) -> None:
    en, zh = tmp_path / "talk_en.txt", tmp_path / "talk_zh.txt"
    en.write_bytes(b"Good morning.\r\nWelcome to Lahore.\r\n\r\nLet us begin.\r\n")
    zh.write_bytes("早上好。欢迎来到拉合尔。\r\n\r\n我们开始吧。\r\n".encode("gb18030"))
    doc = read_document_pair(en, zh, presegmented=True)
    assert doc.id == "talk"
    assert doc.blocks == (
        Block(
            "Good morning.\nWelcome to Lahore.\n\nLet us begin.",
            "早上好。欢迎来到拉合尔。\n\n我们开始吧。",
            1,
            Segmentation.LINES,
            zh_line=1,
        ),
    )


def test_document_pair_parallel(tmp_path: Path) -> None:
    en, zh = tmp_path / "news.en", tmp_path / "news.zh"
    en.write_text("First line.\n\nThird line.\nFourth line.\n", encoding="utf-8")
    zh.write_bytes(codecs.BOM_UTF8 + "第一行。\r\n\r\n\r\n第四行。\r\n\r\n".encode())
    doc = read_document_pair(en, zh, parallel=True)
    assert (doc.id, doc.format) == ("news", "parallel")
    assert [(b.en, b.zh, b.line) for b in doc.blocks] == [
        ("First line.", "第一行。", 1),
        ("Third line.", "", 3),
        ("Fourth line.", "第四行。", 4),
    ]
    assert all(b.segmentation == Segmentation.ALIGNED for b in doc.blocks)
    assert all(b.kind == BlockKind.SEGMENT for b in doc.blocks)


def test_document_pair_parallel_counts_must_match(tmp_path: Path) -> None:
    en, zh = tmp_path / "a.en.txt", tmp_path / "a.zh.txt"
    en.write_text("One.\nTwo.\nThree.\n", encoding="utf-8")
    zh.write_text("一。\n二。\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document_pair(en, zh, parallel=True)
    assert str(error.value) == (
        f"{en}: has 3 lines but {zh} has 2; --parallel needs line i of one file to translate"
        " line i of the other"
    )


def test_pipeline_load_documents() -> None:
    from review.pipeline import load_documents

    docs = load_documents(
        [
            CORPUS / "sample.tsv",
            CORPUS / "sample.tmx",
            CORPUS / "science-and-technology-catalyst.txt",
        ],
        CORPUS / "sample-doc.en.txt",
        CORPUS / "sample-doc.zh.txt",
        presegmented=True,
    )
    assert [(d.id, d.format) for d in docs] == [
        ("sample", "tsv"),
        ("sample", "tmx"),
        ("science-and-technology-catalyst", "article"),
        ("sample-doc", "pair"),
    ]
    assert docs[-1].blocks[0].segmentation == Segmentation.LINES
