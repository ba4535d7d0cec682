"""Outputs never replace what is being read, and go only to regular files or standard output.

Every command that writes (export, report, score -o, align -o) is pointed at one of its own
inputs, by the same name, through a symlink and through a hard link; then at a FIFO, a folder
and a device. Each is refused in one line and the file is left byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from review.model import Action
from tests.hostile import assert_one_line_failure, leftovers, review
from tests.unit.test_store_fixtures import PAIRS, make_store

TSV = (
    "The meeting starts at 9 a.m. on Monday.\t会议于星期一上午9点开始。\n"
    "Prices rose by 3.5% last year.\t去年物价上涨了3.5%。\n"
)
EN = "The meeting starts at 9 a.m. on Monday. Prices rose by 3.5% last year.\n"
ZH = "会议于星期一上午9点开始。去年物价上涨了3.5%。\n"


def _inputs(folder: Path) -> dict[str, Path]:
    store = make_store(folder, name="p.review")
    store.record(PAIRS[0].id, Action.ACCEPT, "ana")
    store.close()
    files = {"project": folder / "p.review"}
    for name, text in (("source", TSV), ("en", EN), ("zh", ZH)):
        files[name] = folder / f"{name}.txt"
        files[name].write_text(text, encoding="utf-8")
    return files


# (command name, the input it is pointed at, arguments given the inputs and the output)
Command = tuple[str, str, Callable[[dict[str, Path], Path], list[str]]]
COMMANDS: list[Command] = [
    ("export", "project", lambda f, out: ["export", str(f["project"]), "--tmx", str(out)]),
    ("report-html", "project", lambda f, out: ["report", str(f["project"]), "--html", str(out)]),
    ("report-json", "project", lambda f, out: ["report", str(f["project"]), "--json", str(out)]),
    ("report-csv", "project", lambda f, out: ["report", str(f["project"]), "--csv", str(out)]),
    ("report-source", "source", lambda f, out: ["report", str(f["source"]), "--html", str(out)]),
    ("score", "source", lambda f, out: ["score", str(f["source"]), "-o", str(out)]),
    (
        "align-en",
        "en",
        lambda f, out: ["align", "--en", str(f["en"]), "--zh", str(f["zh"]), "-o", str(out)],
    ),
    (
        "align-zh",
        "zh",
        lambda f, out: ["align", "--en", str(f["en"]), "--zh", str(f["zh"]), "-o", str(out)],
    ),
]


def _name(target: Path, kind: str, folder: Path) -> Path:
    """`target` itself, or a symlink or a hard link to it under another name."""
    if kind == "same":
        return target
    other = folder / f"other-name-{kind}"
    if kind == "symlink":
        other.symlink_to(target.name)
    else:
        os.link(target, other)
    return other


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_an_output_that_is_one_of_the_inputs_is_refused_and_the_input_kept(
    command: Command, kind: str, tmp_path: Path
) -> None:
    _, which, arguments = command
    files = _inputs(tmp_path)
    target = files[which]
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    out = _name(target, kind, tmp_path)
    result = review(*arguments(files, out), cwd=tmp_path)
    assert_one_line_failure(result, out, target, problem="is the same file as the input")
    after = {name: (tmp_path / name).read_bytes() for name in before}
    assert after == before, "an input was changed"
    assert out.read_bytes() == before[target.name]
    if kind == "symlink":
        assert out.is_symlink()
    assert not [name for name in leftovers(tmp_path) if name.endswith((".tmp", ".lock"))]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _device(path: Path) -> None:
    try:  # a private copy of /dev/null: an old build would replace this node, not the real one
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")


@pytest.mark.parametrize(
    ("make", "kind", "test"),
    [
        (_fifo, "a FIFO", stat.S_ISFIFO),
        (_folder, "a folder", stat.S_ISDIR),
        (_device, "a character device", stat.S_ISCHR),
    ],
    ids=["fifo", "folder", "device"],
)
@pytest.mark.parametrize("command", COMMANDS[:2] + COMMANDS[5:7], ids=lambda c: c[0])
def test_devices_fifos_and_folders_are_refused_as_outputs(
    command: Command,
    make: Callable[[Path], None],
    kind: str,
    test: Callable[[int], bool],
    tmp_path: Path,
) -> None:
    files = _inputs(tmp_path)
    out = tmp_path / "target"
    make(out)
    result = review(*command[2](files, out), cwd=tmp_path)
    assert_one_line_failure(result, out, problem=f"is {kind}.*not a regular file")
    assert test(os.lstat(out).st_mode), "the target was replaced"


def test_a_dash_writes_each_output_to_standard_output(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    tmx = review("export", files["project"], "--tmx", "-", cwd=tmp_path)
    assert tmx.returncode == 0, tmx.stderr
    assert tmx.stdout.startswith("<?xml") and "<tu " in tmx.stdout
    report = review("report", files["project"], "--json", "-", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["volume"]["pairs"] == len(PAIRS)
    score = review("score", files["source"], "-o", "-", cwd=tmp_path)
    assert score.returncode == 0, score.stderr
    rows = [json.loads(line) for line in score.stdout.splitlines()]
    assert [row["zh"] for row in rows] == ["会议于星期一上午9点开始。", "去年物价上涨了3.5%。"]
    align = review("align", "--en", files["en"], "--zh", files["zh"], "-o", "-", cwd=tmp_path)
    assert align.returncode == 0, align.stderr
    assert align.stdout.splitlines() == ["[0]:[0]", "[1]:[1]"]
    assert not (tmp_path / "-").exists()


def test_an_output_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "latest.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    result = review("report", files["project"], "--json", link, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["volume"]
    assert leftovers(tmp_path / "reports") == ["latest.json"]
