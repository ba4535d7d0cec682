"""`review export PROJECT --tmx OUT`: exit codes, stderr diagnostics, and a valid file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

from review.model import Action
from review.store import ProjectStore
from tests.unit.test_store_fixtures import PAIRS, make_store

DTD = etree.DTD(str(Path(__file__).parent.parent / "data" / "tmx" / "tmx14.dtd"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "review", "export", *args], capture_output=True, text=True
    )


def project(tmp_path: Path) -> Path:
    store = make_store(tmp_path)
    store.record(PAIRS[0].id, Action.ACCEPT, "ana")
    store.record(PAIRS[1].id, Action.REJECT, "ana")
    store.record(
        PAIRS[3].id, Action.CORRECT, "ana", {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"}
    )
    store.close()
    return tmp_path / "p.review"


def test_export_writes_a_valid_tmx_and_reports_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    result = run(str(project(tmp_path)), "--tmx", str(out), "--zh-lang", "zh-Hans")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"review: wrote 8 of 9 pairs to {out}\n"
    root = etree.parse(str(out))
    assert DTD.validate(root), DTD.error_log
    header_props = {p.get("type"): p.text for p in root.findall("header/prop")}
    assert header_props == {"x-review-source": "catalyst.txt", "x-review-signature": "test-sig"}
    langs = {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")}
    assert langs == {"en", "zh-Hans"}


def test_status_selection_and_rejected(tmp_path: Path) -> None:
    path = project(tmp_path)
    out = tmp_path / "out.tmx"
    result = run(str(path), "--tmx", str(out), "--status", "accepted,corrected")
    assert result.returncode == 0 and "wrote 2 of 9" in result.stderr
    result = run(str(path), "--tmx", str(out), "--include-rejected")
    assert result.returncode == 0 and "wrote 9 of 9" in result.stderr


def test_export_works_while_the_project_is_open_for_review(tmp_path: Path) -> None:
    path = project(tmp_path)
    with ProjectStore.open(path) as writer:
        writer.record(PAIRS[2].id, Action.ACCEPT, "bo")
        result = run(str(path), "--tmx", str(tmp_path / "live.tmx"), "--status", "accepted")
    assert result.returncode == 0 and "wrote 2 of 9" in result.stderr


def test_errors_are_one_line_with_exit_1_and_nothing_written(tmp_path: Path) -> None:
    path = project(tmp_path)
    out = tmp_path / "out.tmx"
    result = run(str(path), "--tmx", str(out), "--status", "accepted,done")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines()[0] == "review: error: unknown status 'done'"
    result = run(str(path), "--tmx", str(tmp_path / "no" / "out.tmx"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    junk = tmp_path / "junk.review"
    junk.write_text("not sqlite", encoding="utf-8")
    result = run(str(junk), "--tmx", str(out))
    assert result.returncode == 1 and "not a review project" in result.stderr
    assert not out.exists()
    result = run(str(path))
    assert result.returncode == 2 and "--tmx" in result.stderr
