"""Control characters and escape sequences from the input never reach the terminal.

`--format text`, the terminal report and the CLI's messages show them as placeholders (`␛`);
JSONL, TSV, JSON and CSV keep the text exact.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from review.model import Action
from review.terminal import visible
from tests.hostile import review
from tests.unit.test_store_fixtures import PAIRS, make_store

CLEAR = "\x1b[2J\x1b[H"  # erase the screen, cursor home
TITLE = "\x1b]0;owned\x07"  # OSC: retitle the window, ended by BEL
CSI8 = "\x9b31m"  # the 8-bit CSI (a C1 control): red text on terminals that take it
HOSTILE_EN = f"The meeting {CLEAR}starts at 9 a.m.{TITLE} on Monday.\r"
HOSTILE_ZH = f"会议于星期一{CSI8}上午9点开始。\x7f"
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\r")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain — “text” 。，", "plain — “text” 。，"),
        (CLEAR, "␛[2J␛[H"),
        (TITLE, "␛]0;owned␇"),
        (CSI8, "\ufffd31m"),
        ("a\rb\x08c\x7f", "a␍b␈c␡"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("\x00\x1f", "␀␟"),
        ("caf\udce9", "caf\ufffd"),  # an undecodable file-name byte
    ],
)
def test_visible_shows_every_control_character_one_for_one(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert len(visible(text)) == len(text)  # finding spans still fit
    assert visible("two\nlines\tx", one_line=True) == "two␊lines␉x"


def _assert_safe(output: str) -> None:
    for char in RAW:
        assert char not in output, f"{char!r} reached the terminal"


def test_score_text_table_shows_placeholders_and_data_formats_keep_the_text(
    tmp_path: Path,
) -> None:
    source = tmp_path / "hostile.tsv"
    source.write_text(f"{HOSTILE_EN}\t{HOSTILE_ZH}\n".replace("\r", ""), encoding="utf-8")
    table = review("score", source, "--format", "text", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    _assert_safe(table.stdout)
    assert "␛[2J" in table.stdout and "␛]0;owned␇" in table.stdout
    jsonl = review("score", source, cwd=tmp_path)
    row = json.loads(jsonl.stdout)
    assert (row["en"], row["zh"]) == (HOSTILE_EN.replace("\r", "").strip(), HOSTILE_ZH)
    tsv = review("score", source, "--format", "tsv", cwd=tmp_path)
    assert CLEAR in tsv.stdout and CSI8 in tsv.stdout


def test_the_terminal_report_shows_placeholders_and_json_and_csv_keep_the_text(
    tmp_path: Path,
) -> None:
    first = replace(PAIRS[0], en=HOSTILE_EN, zh=HOSTILE_ZH, divergence=0.99, findings=())
    store = make_store(tmp_path, [first, *PAIRS[1:]])
    store.record(PAIRS[2].id, Action.COMMENT, "kim", {"text": f"check {CLEAR}"})
    store.record(PAIRS[2].id, Action.MQM, "kim", {"category": f"style{CSI8}", "severity": "minor"})
    store.record(PAIRS[3].id, Action.CORRECT, f"kim{TITLE}", {"text": HOSTILE_ZH})
    store.close()
    project = tmp_path / "p.review"
    shown = review("report", project, "--title", f"Q3 {CLEAR}report", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    _assert_safe(shown.stdout)
    assert "Q3 ␛[2J␛[Hreport" in shown.stdout and "kim␛]0;owned␇" in shown.stdout
    assert "␛[2J" in shown.stdout.split("most divergent")[1]  # the pair's own text
    data = review("report", project, "--json", "-", cwd=tmp_path)
    rows = json.loads(data.stdout)["pairs"]
    assert any(row["final_zh"] == HOSTILE_ZH for row in rows)
    reviewers = json.loads(data.stdout)["review"]["reviewers"]
    assert [r["reviewer"] for r in reviewers] == [f"kim{TITLE}"]
    table = review("report", project, "--csv", "-", cwd=tmp_path)
    cells = [row["final_zh"] for row in csv.DictReader(io.StringIO(table.stdout, newline=""))]
    assert HOSTILE_ZH in cells


def test_messages_naming_a_hostile_file_name_stay_one_visible_line(tmp_path: Path) -> None:
    name = f"report{CLEAR}\n{TITLE}.tsv"
    result = review("score", name, cwd=tmp_path)
    assert result.returncode == 1
    _assert_safe(result.stderr)
    assert result.stderr.splitlines()[0] == (
        "review: error: report␛[2J␛[H␊␛]0;owned␇.tsv: no such file"
    )
