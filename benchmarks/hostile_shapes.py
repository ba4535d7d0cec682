"""Peak memory and time of `review score` on hostile input shapes (issue 14, deliverable 5).

    python benchmarks/hostile_shapes.py [--shapes a,b,…] [--scale 1.0] [--cap-gb 3]
                                        [--timeout 300] [--repeat 1] [--workdir DIR]

Each shape is written once into the work folder, then `python -m review score FILE -o OUT`
runs in a child process (its own session, so its workers can be stopped with it). The whole
process tree's RSS is sampled every 0.2 s; a tree over `--cap-gb` or past `--timeout` seconds
is stopped and its row says so (the machine is shared: the unbounded shapes of old builds took
6-14 GB). Printed per shape: exit code, wall seconds (median of --repeat runs), peak tree RSS,
the largest single process (getrusage maxrss) and the last line review printed on stderr.

Shapes (sizes at --scale 1):
  letters-row     one TSV row: 99,000 letters as one English word (check-side bound)
  brackets        one TSV row: 33,000 unbalanced brackets (`[`×16,500 then `)`×16,500) on
                  each side (check-side bound)
  tmx-empty       a TMX whose body holds 50 million empty non-<tu> elements, then one <tu>
  tmx-comments    a TMX whose body holds 10 million comments, then one <tu>
  decode-error    a TSV whose first line is 300 MB with a byte that is not UTF-8 at 70 KB
  long-line       a TSV whose first line is 300 MB of text (no decode error)
  jobs-64         3,000 short pairs scored with --jobs 64 on however many cores there are
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from score_scale import tree_memory

MB = 1 << 20


def _letters(count: int) -> str:
    """`count` lowercase letters in a fixed pseudo-random order (no repeats a cache could fold)."""
    state, out = 12345, []
    for _ in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(chr(ord("a") + state % 26))
    return "".join(out)


def letters_row(path: Path, scale: float) -> list[str]:
    path.write_text(f"{_letters(int(99_000 * scale))}\t这是一个很长的词。\n", encoding="utf-8")
    return []


def brackets(path: Path, scale: float) -> list[str]:
    half = int(16_500 * scale)
    # Square brackets that `)` never closes: each closer looked through every open one.
    run = "[" * half + ")" * half
    path.write_text(f"The value {run} is open.\t这个值{run}是开着的。\n", encoding="utf-8")
    return []


def _tmx(path: Path, filler: bytes, count: int) -> None:
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(b'<header srclang="en" segtype="sentence" datatype="plaintext"/>\n<body>\n')
        block = filler * 100_000
        for _ in range(count // 100_000):
            out.write(block)
        out.write(filler * (count % 100_000))
        out.write(b'\n<tu><tuv xml:lang="en"><seg>The river is long.</seg></tuv>')
        out.write('<tuv xml:lang="zh-CN"><seg>这条河很长。</seg></tuv></tu>\n'.encode())
        out.write(b"</body>\n</tmx>\n")


def tmx_empty(path: Path, scale: float) -> list[str]:
    _tmx(path, b"<x/>", int(50_000_000 * scale))
    return []


def tmx_comments(path: Path, scale: float) -> list[str]:
    _tmx(path, b"<!---->", int(10_000_000 * scale))
    return []


def _long_line(path: Path, size: int, bad_at: int | None) -> None:
    chunk = b"abcdefghij" * (MB // 10)
    with path.open("wb") as out:
        written = 0
        if bad_at is not None:
            out.write(b"x" * bad_at + b"\xff")
            written = bad_at + 1
        while written < size:
            piece = chunk[: size - written]
            out.write(piece)
            written += len(piece)
        out.write("\t一行很长的文字。\nThe second line.\t第二行。\n".encode())


def decode_error(path: Path, scale: float) -> list[str]:
    _long_line(path, int(300 * MB * scale), bad_at=70_000)
    return []


def long_line(path: Path, scale: float) -> list[str]:
    _long_line(path, int(300 * MB * scale), bad_at=None)
    return []


def jobs_64(path: Path, scale: float) -> list[str]:
    rows = max(1_500, int(3_000 * scale))
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            n = i % 97
            out.write(f"Row {i} holds {n} apples and a pear.\t第{i}行有{n}个苹果和一个梨。\n")
    return ["--jobs", "64"]


SHAPES: dict[str, tuple[str, Callable[[Path, float], list[str]]]] = {
    "letters-row": (".tsv", letters_row),
    "brackets": (".tsv", brackets),
    "tmx-empty": (".tmx", tmx_empty),
    "tmx-comments": (".tmx", tmx_comments),
    "decode-error": (".tsv", decode_error),
    "long-line": (".tsv", long_line),
    "jobs-64": (".tsv", jobs_64),
}


@dataclass(frozen=True)
class Run:
    code: int
    wall: float
    peak: int  # bytes: the tree's sampled RSS, or the largest process if that was higher
    maxrss: int  # bytes: the largest single process (getrusage)
    said: str


def run(command: list[str], cap: int, timeout: float) -> Run:
    """Run `command` in its own session, sampling its tree; stop it past `cap` or `timeout`."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    peak, stopped = 0, ""
    while True:
        # wait4, not poll(): it also gives the child's resource usage.
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        rss, _ = tree_memory(child.pid)
        peak = max(peak, rss)
        elapsed = time.perf_counter() - started
        if rss > cap or elapsed > timeout:
            stopped = f"stopped over {cap / MB / 1024:.1f} GB" if rss > cap else "timed out"
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.2)
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    lines = [line for line in stderr.splitlines() if line.strip()]
    maxrss = usage.ru_maxrss * 1024  # kB on Linux
    errors = [line for line in lines if "error" in line]
    said = stopped or (errors or lines or [""])[-1]
    return Run(os.waitstatus_to_exitcode(status), wall, max(peak, maxrss), maxrss, said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's size")
    parser.add_argument("--cap-gb", type=float, default=3.0, help="stop a run past this RSS")
    parser.add_argument("--timeout", type=float, default=300.0, help="stop a run past this")
    parser.add_argument("--repeat", type=int, default=1, help="runs per shape (median time)")
    parser.add_argument("--workdir", type=Path, help="where the inputs go [default: a temp dir]")
    args = parser.parse_args()
    names = [name.strip() for name in args.shapes.split(",") if name.strip()]
    unknown = [name for name in names if name not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    cap = int(args.cap_gb * 1024 * MB)
    print(f"cores {os.cpu_count()}, scale {args.scale}, cap {args.cap_gb} GB, "
          f"timeout {args.timeout:.0f} s, {args.repeat} run(s) per shape", flush=True)
    columns = ("input", "exit", "wall s", "peak RSS", "max proc")
    widths = (9, 4, 8, 10, 10)
    head = " ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True))
    print(f"{'shape':<14} {head}  review said", flush=True)
    with tempfile.TemporaryDirectory(prefix="hostile-", dir=args.workdir) as folder:
        for name in names:
            suffix, build = SHAPES[name]
            source = Path(folder) / f"{name}{suffix}"
            extra = build(source, args.scale)
            command = [sys.executable, "-m", "review", "score", str(source),
                       "-o", str(Path(folder) / "out.jsonl"), *extra]  # fmt: skip
            runs = [run(command, cap, args.timeout) for _ in range(args.repeat)]
            last = runs[-1]
            wall = statistics.median(r.wall for r in runs)
            peak = max(r.peak for r in runs)
            size = source.stat().st_size
            print(
                f"{name:<14} {size / MB:>7.1f}MB {last.code:>4} {wall:>8.1f}"
                f" {peak / MB:>8.0f}MB {last.maxrss / MB:>8.0f}MB  {last.said}",
                flush=True,
            )
            source.unlink()


if __name__ == "__main__":
    main()
