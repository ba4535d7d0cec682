"""`review open`: build a project from material, reopen it, defaults, and errors as one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import cli
from review.errors import ProjectError
from review.model import Status
from review.session import ReviewSession
from review.tui import app as tui_app
from review.tui.launch import default_reviewer, open_session

# Four rows in the style of corpus/sample.tsv, written here so the test owns its data.
TSV = (
    "en\tzh\n"
    "The Gwadar port handled 1.2 million tonnes of cargo in 2023.\t"
    "瓜达尔港在2023年处理了120万吨货物。\n"
    "Pakistan's IT exports rose by 24 percent to $2.6 billion last year.\t"
    "巴基斯坦去年的信息技术出口增长了42%，达到26亿美元。\n"
    "Huawei opened a training centre in Islamabad that will teach 3,000 students each year.\t"
    "华为在伊斯兰堡开设了一个培训中心。\n"
    "Thanks to China for facilitating Pakistan’s developments.\t感谢中国促进巴基斯坦的发展。\n"
)


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "gwadar.tsv"
    path.write_text(TSV, encoding="utf-8")
    return path


def test_builds_a_project_next_to_where_it_runs_then_reopens_it(source: Path) -> None:
    lines: list[str] = []
    session = open_session([source], reviewer="lin", progress=lines.append)
    project = Path.cwd() / "gwadar.review.sqlite"
    try:
        assert session.project_path == str(project)
        assert len(session) == 4
        scores = [session.row(i).pair.divergence or 0.0 for i in range(len(session))]
        assert scores == sorted(scores, reverse=True)  # worst first
        assert all(0.0 <= score <= 1.0 for score in scores)
        session.accept()
    finally:
        session.close()
    assert lines[0] == f"review: reading {source}"
    assert lines[1] == "review: aligned 4 pairs; scoring them"
    assert lines[2].startswith(f"review: built {project} (4 pairs, ")

    lines.clear()
    again = open_session([source], reviewer="lin", progress=lines.append)
    try:
        assert lines == [f"review: reopening {project}"]
    finally:
        again.close()

    lines.clear()
    other = source.with_name("other.tsv")
    other.write_text(TSV, encoding="utf-8")
    again = open_session([other], project=project, reviewer="lin", progress=lines.append)
    try:
        assert lines == [
            f"review: reopening {project}",
            f"review: note: gwadar.review.sqlite was built from {source}; "
            "remove it or pass --project to build a new one",
        ]
        assert [s.status for s in again.store.states()].count(Status.ACCEPTED) == 1
    finally:
        again.close()


def test_a_document_pair_names_the_project_after_the_english(source: Path) -> None:
    en, zh = Path("report.en.txt"), Path("report.zh.txt")
    en.write_text("The port handled 1.2 million tonnes.\n", encoding="utf-8")
    zh.write_text("该港口处理了120万吨货物。\n", encoding="utf-8")
    session = open_session([], en=en, zh=zh, reviewer="lin")
    try:
        assert Path(session.project_path).name == "report.en.review.sqlite"
        current = session.current
        assert current is not None and current.pair.zh == "该港口处理了120万吨货物。"
    finally:
        session.close()


def test_read_only_needs_an_existing_project(source: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        open_session([source], reviewer="lin", readonly=True)
    assert not Path("gwadar.review.sqlite").exists()


@pytest.mark.parametrize(("env", "expected"), [("Lin Wei", "Lin Wei"), ("  ", None)])
def test_reviewer_defaults_to_the_environment_then_the_login(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: str | None
) -> None:
    import getpass

    monkeypatch.setenv("REVIEW_REVIEWER", env)
    assert default_reviewer() == (expected or getpass.getuser())


def test_open_command_runs_the_ui_on_the_session_and_closes_it(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ReviewSession] = []

    def fake_run(session: ReviewSession) -> None:
        seen.append(session)
        session.reject()

    monkeypatch.setattr(tui_app, "run", fake_run)
    result = CliRunner().invoke(cli, ["open", str(source), "--reviewer", "lin"])
    assert result.exit_code == 0, result.output
    assert seen[0].reviewer == "lin"
    assert "review: every decision is saved in" in result.output
    reopened = open_session([source], reviewer="lin")
    try:
        assert [s.status for s in reopened.store.states()].count(Status.REJECTED) == 1
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["open", "missing.tsv"], "missing.tsv"),
        (["open", "--project", "nothing.review.sqlite", "--readonly"],
         "nothing.review.sqlite: no such project file"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(
    source: Path, args: list[str], message: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "review", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("review: error: ")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["gwadar.tsv"]
