"""`review score`: JSONL/TSV/text on the bundled corpus and tmp files, -o, glossary, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from review.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "science-and-technology-catalyst.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["score", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seed_rows() -> list[dict[str, Any]]:
    code, out, err = run(str(SEED))
    assert code == 0 and "review-div|" in err
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_one_object_per_pair_in_document_order(seed_rows: list[dict[str, Any]]) -> None:
    assert seed_rows[0]["en"] == "Science and Technology as a catalyst of Developments."
    for row in seed_rows:
        assert {"id", "en", "zh", "divergence", "findings", "flagged"} <= row.keys()
        assert 0.0 <= float(row["divergence"]) <= 1.0
    lines = [row.get("line") or 0 for row in seed_rows]
    assert lines == sorted(lines)


def test_seed_article_worst_pairs_point_at_the_words(seed_rows: list[dict[str, Any]]) -> None:
    translated = [r for r in seed_rows if r["kind"] == "translated"]
    ranked = sorted(translated, key=lambda r: -float(r["divergence"]))
    # The two pairs a reader fixes first, in either order: a wrong entity (critical) and two
    # dropped names (major) score within a few hundredths of each other.
    found = [r for r in ranked[:2] if any(f["code"] == "wrong-entity" for f in r["findings"])]
    assert found, "张成泽传媒集团 for “Jang Media Group” must be in the top two"
    top = found[0]
    wrong = [f for f in top["findings"] if f["code"] == "wrong-entity"]
    start, end = wrong[0]["zh_span"]
    assert str(top["zh"])[start:end] == "张成泽"
    second = next(r for r in ranked[:2] if r is not top)
    dropped = [
        str(second["en"])[f["en_span"][0] : f["en_span"][1]]
        for f in second["findings"]
        if f["code"] == "name-dropped"
    ]
    assert "CM Pak" in dropped and "Zong" in dropped
    untranslated = [r for r in seed_rows if r["kind"] == "untranslated"]
    assert untranslated and all(
        [f["code"] for f in r["findings"]] == ["untranslated"] for r in untranslated
    )


def test_tsv_and_text_formats(tmp_path: Path) -> None:
    tsv = tmp_path / "mt.tsv"
    tsv.write_text(
        "en\tzh\nThe bridge was finished in 2006.\t这座桥于2007年完工。\n"
        "China and Pakistan signed an agreement.\t中国和巴基斯坦签署了一项协议。\n",
        encoding="utf-8",
    )
    code, out, _ = run(str(tsv), "--format", "tsv")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and rows[0] == ["id", "divergence", "flagged", "en", "zh", "findings"]
    assert "critical:number-mismatch" in rows[1][5] and rows[1][2] == "1"
    code, out, _ = run(str(tsv), "--format", "text")
    assert code == 0 and "number-mismatch" in out and "2006" in out


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "scores.jsonl"
    code, stdout, err = run(str(SEED), "-o", str(out))
    assert code == 0 and stdout == "" and "wrote" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) > 20
    assert [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]


def test_glossary_violations_are_findings(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("en\tzh\tforbidden\nMedia Salon\t媒体沙龙\t媒体酒吧\n", encoding="utf-8")
    tsv = tmp_path / "mt.tsv"
    tsv.write_text("The Media Salon met again.\t媒体酒吧再次举行。\n", encoding="utf-8")
    code, out, _ = run(str(tsv), "--glossary", str(glossary))
    [row] = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert {"glossary-term", "glossary-forbidden"} <= {f["code"] for f in row["findings"]}


@pytest.mark.parametrize(
    ("make", "needle"),
    [(lambda d: d / "missing.txt", "missing.txt"), (lambda d: d, "folder")],
)
def test_bad_input_is_one_line_exit_1(
    tmp_path: Path, make: Callable[[Path], Path], needle: str
) -> None:
    target = make(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "review", "score", str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("review: error: ") and "Traceback" not in done.stderr
    assert needle in done.stderr


def test_no_source_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["score"])
    assert result.exit_code == 2 and "SOURCE" in result.output
