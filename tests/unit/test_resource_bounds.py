"""Readers stay flat on any input shape, one unit's size is bounded, and --jobs is capped.

Memory is measured in a child process (its peak RSS, so lxml's C allocations count too) on a
small and a ten-times larger input of the same shape: the difference is what the shape costs.
The full-size shapes (50 million elements, a 300 MB line) are in benchmarks/hostile_shapes.py.
"""

from __future__ import annotations

import multiprocessing.context
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from review import batch
from review.errors import InputError
from review.ingest.textio import MAX_LINE
from review.ingest.tmx import MAX_TU_NODES, iter_tmx
from tests.hostile import assert_one_line_failure, review

MB = 1 << 20
pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
TU = '<tu><tuv xml:lang="en"><seg>The river is long.</seg></tuv><tuv xml:lang="zh-CN"><seg>这条河很长。</seg></tuv></tu>\n'  # noqa: E501

# Reads the input as `review score` does and prints its peak RSS in kB: VmHWM, not getrusage,
# whose maxrss on Linux keeps the parent's size from before the exec.
READ = r"""
import sys
from review.batch import iter_input_pairs
from review.errors import InputError
try:
    count = sum(1 for _ in iter_input_pairs([sys.argv[1]]))
except InputError as error:
    count = f"error {error.line}"
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(count, peak)
"""


def _peak(path: Path) -> tuple[str, int]:
    """What reading `path` gave (pair count or `error LINE`) and the peak RSS in bytes."""
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    outcome, peak = done.stdout.rsplit(maxsplit=1)
    return outcome, int(peak) * 1024


def _tmx(path: Path, filler: bytes, count: int) -> Path:
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/>\n<body>\n')
        out.write(filler * count)
        out.write(TU.encode())
        out.write(b"</body></tmx>\n")
    return path


@pytest.mark.parametrize(
    ("filler", "count"),
    [(b"<x/>", 300_000), (b"<!---->", 200_000), (b"<?pi x?>", 200_000)],
    ids=["empty-elements", "comments", "processing-instructions"],
)
def test_a_tmx_full_of_nodes_that_are_not_units_reads_in_flat_memory(
    filler: bytes, count: int, tmp_path: Path
) -> None:
    small = _peak(_tmx(tmp_path / "small.tmx", filler, count // 10))
    large = _peak(_tmx(tmp_path / "large.tmx", filler, count))
    assert small[0] == large[0] == "1"
    # Kept in the tree, each node would cost ~100 bytes or more: 27+ MB for the larger file.
    assert large[1] - small[1] < 8 * MB, (small, large)


def test_a_unit_with_too_many_nodes_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "fat.tmx"
    inner = "<note/>" * (MAX_TU_NODES + 1)
    body = f'<tu>{inner}<tuv xml:lang="en"><seg>Hi.</seg></tuv></tu>'
    path.write_text(f'<tmx version="1.4"><header/><body>{body}</body></tmx>', encoding="utf-8")
    with pytest.raises(InputError, match=f"more than {MAX_TU_NODES:,} elements"):
        list(iter_tmx(path))


def test_a_tmx_segment_longer_than_a_line_may_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.tmx"
    long = "The river is long. " * (MAX_LINE // 19 + 1)
    unit = TU.replace("The river is long.", long)
    path.write_text(f'<tmx version="1.4"><header/><body>\n{unit}</body></tmx>', encoding="utf-8")
    result = review("score", path, cwd=tmp_path)
    assert_one_line_failure(result, path, problem=f"{path}:2: a segment is over 100,000")


def _bad_byte_line(path: Path, size: int) -> Path:
    """A TSV whose first line is `size` bytes, with a byte that is not UTF-8 at 70 KB."""
    with path.open("wb") as out:
        out.write(b"x" * 70_000 + b"\xff")
        out.write(b"abcdefghij" * ((size - 70_001) // 10))
        out.write("\t这一行很长。\n".encode())
    return path


def test_a_decode_error_on_a_huge_line_is_found_in_flat_memory(tmp_path: Path) -> None:
    small = _peak(_bad_byte_line(tmp_path / "small.tsv", 4 * MB))
    large = _peak(_bad_byte_line(tmp_path / "large.tsv", 40 * MB))
    assert small[0] == large[0] == "error 1"
    # Reading the line whole to find its number would cost 40 MB and more.
    assert large[1] - small[1] < 8 * MB, (small, large)


def test_jobs_beyond_the_cores_are_capped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "two.tsv"
    source.write_text("The river is long.\t这条河很长。\nIt rained.\t下雨了。\n", encoding="utf-8")
    result = review("score", source, "--jobs", "64", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    cores = batch.default_jobs()
    assert result.stderr.splitlines()[0] == (
        f"review: note: --jobs 64 is more than the {cores} cores this process may use:"
        f" using {cores}"
    )
    assert len(result.stdout.splitlines()) == 2

    # The engine itself never starts more workers than there are cores either.
    started: list[int] = []
    real_pool = multiprocessing.context.SpawnContext.Pool

    def pool(self: Any, processes: int, *args: Any, **kwargs: Any) -> Any:
        started.append(processes)
        return real_pool(self, processes, *args, **kwargs)

    monkeypatch.setattr(multiprocessing.context.SpawnContext, "Pool", pool)
    if cores < 2:
        pytest.skip("one core: no worker processes are started at all")
    pairs = [
        batch.Pair(f"d:e{i}:z{i}", "d", f"Row {i} has apples.", f"第{i}行有苹果。")
        for i in range(1_200)
    ]
    scored = list(batch.score_stream(pairs, jobs=64, chunk_size=400))
    assert [p.id for p in scored] == [p.id for p in pairs]
    assert started == [cores]
