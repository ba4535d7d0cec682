"""Odd but valid input works: UTF-16 without a BOM, standard input and FIFOs, GB18030
glossaries, TMX units holding both zh-CN and zh-TW; CSV reports defuse spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from pathlib import Path

import pytest

from review.ingest import read_source
from review.ingest.textio import detect_encoding
from review.model import Action
from tests.hostile import review
from tests.unit.test_store_fixtures import PAIRS, make_store

TSV = (
    "The river is long and wide.\t这条河又长又宽。\n"
    "She said, “We will not give up.”\t她说：“我们不会放弃。”\n"
    "Prices rose by 3.5% last year.\t去年物价上涨了3.5%。\n"
)
# Chinese with no ASCII at all (no line end, no digit): its UTF-16 has no NUL byte.
ZH_ONLY = "这条河又长又宽，两岸是连绵不断的青山和金黄色的稻田，村民们世世代代在这里生活。"


def _rows(output: str) -> list[tuple[str, str]]:
    return [(row["en"], row["zh"]) for row in map(json.loads, output.splitlines())]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_text(codec: str, tmp_path: Path) -> None:
    source = tmp_path / "mt.tsv"
    source.write_bytes(TSV.encode(codec))
    result = review("score", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _rows(result.stdout) == [tuple(line.split("\t")) for line in TSV.splitlines()]
    article = tmp_path / "zh.txt"
    article.write_bytes(ZH_ONLY.encode(codec))
    assert b"\x00" not in article.read_bytes()
    assert detect_encoding(article, article.read_bytes(), complete=True) == codec
    assert read_source(article).blocks[0].zh == ZH_ONLY


def test_standard_input_and_a_fifo_are_read(tmp_path: Path) -> None:
    piped = review("score", "-", cwd=tmp_path, stdin=TSV)
    assert piped.returncode == 0, piped.stderr
    assert _rows(piped.stdout) == [tuple(line.split("\t")) for line in TSV.splitlines()]
    assert json.loads(piped.stdout.splitlines()[0])["doc_id"] == "stdin"

    zh = tmp_path / "doc.zh.txt"
    zh.write_text("这条河又长又宽。她说：“我们不会放弃。”\n", encoding="utf-8")
    en = "The river is long and wide. She said, “We will not give up.”\n"
    aligned = review("align", "--en", "-", "--zh", zh, cwd=tmp_path, stdin=en)
    assert aligned.returncode == 0, aligned.stderr
    assert aligned.stdout.splitlines() == ["[0]:[0]", "[1]:[1]"]

    fifo = tmp_path / "pipe.tsv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as pipe:
            pipe.write(TSV)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        fed = review("score", fifo, cwd=tmp_path, timeout=60)
    finally:
        writer.join(timeout=60)
    assert fed.returncode == 0, fed.stderr
    assert _rows(fed.stdout) == _rows(piped.stdout)
    assert not fifo.is_file() and fifo.exists()  # still the FIFO


def test_an_empty_standard_input_is_one_line(tmp_path: Path) -> None:
    result = review("score", "-", cwd=tmp_path, stdin="")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["review: error: -: is empty"]


@pytest.mark.parametrize("codec", ["gb18030", "utf-16", "utf-8-sig"])
def test_a_glossary_in_gb18030_or_utf16_is_read(codec: str, tmp_path: Path) -> None:
    glossary = tmp_path / "terms.tsv"
    glossary.write_bytes("en\tzh\tforbidden\nMedia Salon\t媒体沙龙\t媒体酒吧\n".encode(codec))
    source = tmp_path / "mt.tsv"
    source.write_text("The Media Salon met again.\t媒体酒吧再次举行。\n", encoding="utf-8")
    result = review("score", source, "--glossary", glossary, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"glossary-term", "glossary-forbidden"} <= {f["code"] for f in row["findings"]}


TWO_CHINESE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/><body>
<tu><tuv xml:lang="en"><seg>The software is free.</seg></tuv>
<tuv xml:lang="zh-CN"><seg>这个软件是免费的。</seg></tuv>
<tuv xml:lang="zh-TW"><seg>這個軟體是免費的。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Open the <ph>&lt;b&gt;</ph>file.</seg></tuv>
<tuv xml:lang="zh-TW"><seg>打開<ph>&lt;b&gt;</ph>檔案。</seg></tuv>
<tuv xml:lang="zh-CN"><seg>打开<ph>&lt;b&gt;</ph>文件。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Only one.</seg></tuv>
<tuv xml:lang="zh-TW"><seg>只有一個。</seg></tuv></tu>
</body></tmx>
"""


@pytest.mark.parametrize(
    ("option", "kept", "chinese", "note"),
    [
        ((), "first", ["这个软件是免费的。", "打開\ue001檔案。", "只有一個。"], None),
        (
            ("--zh-lang", "zh-TW"),
            "zh-TW",
            ["這個軟體是免費的。", "打開\ue001檔案。", "只有一個。"],
            "2 units hold zh-TW and zh-CN: kept zh-TW, dropped zh-CN",
        ),
        (
            ("--zh-lang", "zh-Hans"),
            "zh-CN",
            ["这个软件是免费的。", "打开\ue001文件。", "只有一個。"],
            "2 units hold zh-CN and zh-TW: kept zh-CN, dropped zh-TW",
        ),
    ],
    ids=["default", "zh-TW", "zh-Hans"],
)
def test_a_tmx_unit_with_two_chinese_keeps_the_one_zh_lang_picks_and_says_so(
    option: tuple[str, ...], kept: str, chinese: list[str], note: str | None, tmp_path: Path
) -> None:
    source = tmp_path / "two.tmx"
    source.write_text(TWO_CHINESE, encoding="utf-8")
    result = review("score", source, *option, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [zh for _, zh in _rows(result.stdout)] == chinese
    notes = [line for line in result.stderr.splitlines() if line.startswith("review: note: ")]
    if note is None:  # no choice given: the first of each unit, and how to choose
        assert notes == [
            f"review: note: {source}: 1 unit holds zh-CN and zh-TW: kept zh-CN, dropped zh-TW"
            " (choose with --zh-lang)",
            f"review: note: {source}: 1 unit holds zh-TW and zh-CN: kept zh-TW, dropped zh-CN"
            " (choose with --zh-lang)",
        ]
    else:
        assert notes == [f"review: note: {source}: {note}"]


def test_csv_cells_that_would_be_formulas_are_defused_and_json_keeps_them(
    tmp_path: Path,
) -> None:
    store = make_store(tmp_path)
    store.record(PAIRS[0].id, Action.CORRECT, "=cmd|' /C calc'!A0", {"text": "=1+1"})
    store.record(PAIRS[1].id, Action.COMMENT, "ana", {"text": "@SUM(A1:A9)"})
    store.record(PAIRS[2].id, Action.CORRECT, "ana", {"text": "+86 10 1234 5678"})
    store.record(PAIRS[3].id, Action.CORRECT, "ana", {"text": "-2 dB 的增益"})
    store.record(PAIRS[4].id, Action.CORRECT, "ana", {"text": "\t=HYPERLINK(\"x\")"})
    store.close()
    project = tmp_path / "p.review"
    table = review("report", project, "--csv", "-", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout, newline="")))
    assert [row["final_zh"] for row in rows[:5]] == [
        "'=1+1", rows[1]["zh"], "'+86 10 1234 5678", "'-2 dB 的增益", "'\t=HYPERLINK(\"x\")",
    ]  # fmt: skip
    assert rows[0]["reviewer"] == "'=cmd|' /C calc'!A0"
    assert rows[1]["comments"] == "'@SUM(A1:A9)"
    assert rows[0]["divergence"] == str(PAIRS[0].divergence)  # numbers stay numbers
    data = json.loads(review("report", project, "--json", "-", cwd=tmp_path).stdout)
    assert data["pairs"][0]["final_zh"] == "=1+1" and data["pairs"][0]["reviewer"].startswith("=")
