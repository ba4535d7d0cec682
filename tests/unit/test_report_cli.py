"""`review report` from the command line: files written, summary on stdout, errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from review.cli import _progress, cli, main
from review.model import Action
from review.store import ProjectStore
from tests.unit.test_report import CORRECTION, P1, P2, P3, PAIRS


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.review"
    signature = "review-div|checks:numbers|model:lr-abc|flag:0.500|dict:x|v:0.1.0"
    with ProjectStore.create(path, PAIRS, source="catalyst.txt", signature=signature) as store:
        store.record(P1.id, Action.CORRECT, "li", {"text": CORRECTION})
        store.record(P2.id, Action.ACCEPT, "li")
        store.record(P3.id, Action.REJECT, "wang")
    return path


def test_files_written_and_stdout_left_clean(project: Path, tmp_path: Path) -> None:
    out = {ext: tmp_path / f"r.{ext}" for ext in ("html", "json", "csv")}
    args = ["report", str(project)] + [a for e, p in out.items() for a in (f"--{e}", str(p))]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert all(f"wrote {p}" in result.stderr for p in out.values())
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert data["review"]["reviewed"] == 3
    assert data["divergence"]["flag_threshold"] == 0.5
    assert data["scorer_signature"].endswith("flag:0.500|dict:x|v:0.1.0")
    assert out["csv"].read_bytes().count(b"\r\n") == len(PAIRS) + 1
    assert "<!DOCTYPE html>" in out["html"].read_text(encoding="utf-8")


def test_summary_on_stdout_without_file_options(project: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(project)])
    assert result.exit_code == 0, result.output
    assert "flag:0.500" in result.stdout
    assert "2 of 5 scored pairs flagged (≥ 0.500), 40.0%" in result.stdout
    assert "Post-edit effort" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_unwritable_output_is_one_line_error(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "r.html"
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(project), "--html", str(target)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("review: error: ") and "does not exist" in err
    assert not target.parent.exists()


def test_no_input_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 2
    assert "give at least one SOURCE or PROJECT" in result.output


def test_progress_passes_items_through_when_not_a_terminal() -> None:
    assert list(_progress(iter(range(5)), 5, "Counting")) == [0, 1, 2, 3, 4]


SEED = Path(__file__).parents[2] / "corpus" / "science-and-technology-catalyst.txt"


def test_seed_article_report_agrees_with_the_pipeline(tmp_path: Path) -> None:
    from review import pipeline
    from review.score import signature

    pairs = pipeline.score(pipeline.align_documents(pipeline.load_documents([SEED])))
    out = tmp_path / "seed.json"
    result = CliRunner().invoke(cli, ["report", str(SEED), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scorer_signature"] == signature()
    assert data["volume"]["pairs"] == len(pairs)
    assert data["divergence"]["flagged"] == sum(p.flagged for p in pairs)
    assert sum(b["count"] for b in data["divergence"]["histogram"]) == len(pairs)
    assert data["volume"]["untranslated"] == sum(not p.zh.strip() for p in pairs)
    assert data["volume"]["zh"]["han"] == sum(len(regex.findall(r"\p{Han}", p.zh)) for p in pairs)
    worst = max(pairs, key=lambda p: p.divergence or 0.0)
    assert data["worst"][0]["id"] == worst.id
    assert data["review"] is None and data["post_edit"] is None


def test_missing_inputs_get_the_one_line_error_and_exit_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    for args in (
        ["report", str(tmp_path / "missing.tsv")],
        ["report", str(tmp_path)],
        ["export", str(tmp_path / "missing.sqlite"), "--tmx", str(tmp_path / "out.tmx")],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "review", *args], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("review: error: "), result.stderr
        assert str(tmp_path) in lines[0]
    assert not (tmp_path / "out.tmx").exists()
