"""Atomic writes leave either the complete new file or the untouched old one."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.atomic import atomic_write
from review.errors import ExportError


def test_replaces_target_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.tsv"
    target.write_text("old\n", encoding="utf-8")
    with atomic_write(target) as handle:
        handle.write("新的\n")  # type: ignore[arg-type]
        assert target.read_text(encoding="utf-8") == "old\n"
    assert target.read_text(encoding="utf-8") == "新的\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]


def test_failure_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.tsv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")  # type: ignore[arg-type]
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]


def test_missing_folder_and_directory_target_are_export_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"), atomic_write(tmp_path / "no" / "x"):
        pass
    with pytest.raises(ExportError, match="is a folder"), atomic_write(tmp_path):
        pass


def test_output_gets_the_umask_mode_not_mkstemp_0600(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "report.html") as handle:
            handle.write("<p>ok</p>")  # type: ignore[arg-type]
    finally:
        os.umask(mask)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644
