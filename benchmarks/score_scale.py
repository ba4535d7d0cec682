"""End-to-end scale of `review score`: pairs/second per core and peak memory at 10k–1M pairs.

    python benchmarks/score_scale.py QE_DIR [--sizes 10000,100000,1000000] [--jobs N]
                                     [--workdir DIR] [--engine local|dask]

Builds each input by resampling the real QE pairs (benchmarks/make_big_input.py), runs
`review score BIG.tsv -o OUT.jsonl --jobs N` in a child process and prints wall time, pairs per
second per core (wall time x jobs) and per CPU-second, and peak memory: the whole process tree's
memory sampled every 0.2 s (main process plus workers: PSS, which splits shared pages, and summed
RSS, which counts them in each) and the largest single process (getrusage maxrss).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import make_big_input


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) bytes of `pid` and all its descendants; PSS splits shared pages fairly."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    stack.extend(int(child) for child in kids.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, pss


def run(command: list[str]) -> dict[str, float]:
    """Run `command`, sampling its tree's RSS; returns wall, CPU seconds and peaks in bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    while child.poll() is None:
        rss, pss = tree_memory(child.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.2)  # smaps_rollup is not free: sample lightly
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": wall,
        "cpu": cpu,
        "tree_rss": float(peak_rss),
        "tree_pss": float(peak_pss),
        "process_peak": float(after.ru_maxrss * 1024),  # kB on Linux; the largest one process
    }


def main(argv: list[str] | None = None) -> int:
    """Build the inputs, score each end to end, print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qe_dir", type=Path)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--workdir", type=Path, help="Keep the inputs here [default: a temp dir].")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="review-scale-") as temp:
        workdir = args.workdir or Path(temp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"review score, --jobs {args.jobs}, engine {args.engine}, cores {os.cpu_count()}")
        for size in (int(s) for s in args.sizes.split(",")):
            big = workdir / f"qe-{size}.tsv"
            if not big.exists():
                make_big_input.main([str(args.qe_dir), str(size), str(big)])
            out = workdir / f"qe-{size}.jsonl"
            command = [sys.executable, "-m", "review", "score", str(big), "-o", str(out)]
            command += ["--jobs", str(args.jobs)] if args.engine == "local" else []
            command += ["--engine", "dask"] if args.engine == "dask" else []
            result = run(command)
            rate = size / result["wall"]
            print(
                f"{size:>9,} pairs: {result['wall']:8.1f} s wall, {rate:8,.0f} pairs/s, "
                f"{rate / args.jobs:7,.0f} pairs/s per core, "
                f"{size / result['cpu']:7,.0f} pairs per CPU-second; peak memory: "
                f"{result['process_peak'] / 2**20:5,.0f} MB RSS largest process, "
                f"{result['tree_pss'] / 2**20:6,.0f} MB PSS all processes "
                f"({result['tree_rss'] / 2**20:,.0f} MB summed RSS)",
                flush=True,
            )
            out.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
