"""`review align`: beads, TSV and JSONL output, atomic -o, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import cli

EN = (
    "The bank opened a new branch in Beijing in 2019.\n"
    "It has 120 employees.\n"
    "Why did the company fail?\n"
    "Nobody knows.\n"
    "The meeting was held in Shanghai on 5 May, and more than 300 people attended.\n"
)
ZH = (
    "这家银行于2019年在北京开设了一家新分行，拥有120名员工。\n"
    "公司为什么失败了？\n"
    "没有人知道。\n"
    "会议于5月5日在上海举行。\n"
    "有300多人参加。\n"
)


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    en, zh = tmp_path / "news.en.txt", tmp_path / "news.zh.txt"
    en.write_text(EN, encoding="utf-8")
    zh.write_text(ZH, encoding="utf-8")
    return en, zh


def test_beads_format_is_en_left_zero_based(files: tuple[Path, Path]) -> None:
    en, zh = files
    result = CliRunner().invoke(cli, ["align", "--en", str(en), "--zh", str(zh), "--presegmented"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["[0,1]:[0]", "[2]:[1]", "[3]:[2]", "[4]:[3,4]"]


def test_tsv_format_joins_bead_sentences(files: tuple[Path, Path]) -> None:
    en, zh = files
    result = CliRunner().invoke(
        cli, ["align", "--en", str(en), "--zh", str(zh), "--presegmented", "--format", "tsv"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == [
        "The bank opened a new branch in Beijing in 2019. It has 120 employees.",
        "这家银行于2019年在北京开设了一家新分行，拥有120名员工。",
    ]
    assert rows[-1][1] == "会议于5月5日在上海举行。有300多人参加。"


def test_jsonl_to_file_is_written_whole(files: tuple[Path, Path], tmp_path: Path) -> None:
    en, zh = files
    out = tmp_path / "pairs.jsonl"
    result = CliRunner().invoke(
        cli, ["align", "--en", str(en), "--zh", str(zh), "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["en_ids"] for r in records] == [[0, 1], [2], [3], [4]]
    assert [r["zh_ids"] for r in records] == [[0], [1], [2], [3, 4]]
    assert all(0.0 <= r["align_confidence"] <= 1.0 for r in records)
    assert records[0]["kind"] == "translated"


def test_missing_file_is_a_one_line_error(files: tuple[Path, Path], tmp_path: Path) -> None:
    en, _ = files
    out = tmp_path / "out.txt"
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "review",
            "align",
            "--en",
            str(en),
            "--zh",
            str(tmp_path / "missing.zh"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 1
    assert process.stdout == ""
    assert process.stderr.count("\n") == 1
    assert "missing.zh" in process.stderr
    assert "Traceback" not in process.stderr
    assert not out.exists()
