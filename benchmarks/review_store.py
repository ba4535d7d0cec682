"""Time the review store, the session model and the TMX export on a big project (no UI).

Builds a synthetic project of N pairs (real sentence shapes from the seed article, numbers
varied), then prints wall-clock milliseconds for: create, open + session, each session call a
key runs, a committed action (with its fsync), an alignment edit and its undo, and the export.
Usage:

    .venv/bin/python benchmarks/review_store.py [--pairs 100000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from synthetic import synthetic_pairs  # benchmarks/synthetic.py, beside this script

from review.export import ExportOptions, export
from review.model import Pair
from review.session import Filter, ReviewSession
from review.store import ProjectStore


def ms(call: Callable[[], object]) -> float:
    """Wall-clock milliseconds of one call."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def line(label: str, value: str) -> None:
    """One aligned result line."""
    print(f"{label:<26} {value}")


def main() -> None:
    """Build, open, drive and export a project; print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    pairs = synthetic_pairs(args.pairs)

    def same(batch: Sequence[Pair]) -> list[Pair]:
        return list(batch)  # the benchmark times the store, not the scorer

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.review"
        line("pairs", f"{args.pairs:,}")
        took = ms(lambda: ProjectStore.create(path, pairs, source="b", signature="b").close())
        line("create ms", f"{took:.0f}")
        holder: list[ReviewSession] = []
        took = ms(lambda: holder.append(ReviewSession(ProjectStore.open(path, rescore=same), "b")))
        session = holder[0]
        line("open + session ms", f"{took:.0f}")
        line("first window of 60 ms", f"{ms(lambda: session.window(0, 60)):.1f}")
        timings: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, call in (
                ("move", lambda: session.move(1)),
                ("accept (commit+fsync)", session.accept),
                ("comment", lambda: session.comment("需要复查")),
                ("undo", session.undo),
                ("next unreviewed", session.next_unreviewed),
                ("toggle order", session.toggle_order),
                ("filter min divergence", lambda: session.set_filter(Filter(min_divergence=0.5))),
                ("clear filter", lambda: session.set_filter(Filter())),
                ("search", lambda: session.search("Islamabad")),
                ("goto number", lambda: session.goto_number(args.pairs // 2)),
                ("progress", session.progress),
                ("merge", session.merge_with_next),
                ("undo merge", session.undo),
            ):
                timings.setdefault(name, []).append(ms(call))
        for name, values in timings.items():
            median, worst = statistics.median(values), max(values)
            line(f"{name} ms", f"median {median:8.2f}   max {worst:8.2f}")
        session.close()
        with ProjectStore.open(path, readonly=True) as store:
            out = Path(folder) / "bench.tmx"
            start = time.perf_counter()
            written = export("tmx", store.states(), out, ExportOptions())
            took = (time.perf_counter() - start) * 1000
            size = out.stat().st_size / 1e6
            line("export tmx ms", f"{took:.0f} ({written:,} tu, {size:.1f} MB)")


if __name__ == "__main__":
    main()
