"""Scoring speed on sentence-length pairs, and the one-off dictionary load time.

    python benchmarks/score_throughput.py QE_TSV [QE_TSV …] [--pairs N] [--seed S]
                                          [--warm-with OTHER_TSV …] [--per-check]

Pairs are resampled (with replacement, fixed seed) from the `src_en`/`mt_zh` columns of the
given QE files. Prints the load time, then pairs/second on one core through the chunk scorer
`review score` runs, first over distinct pairs (nothing cached yet) and then over the resampled
stream.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections.abc import Sequence
from pathlib import Path

from review.model import Pair


def read_pairs(paths: Sequence[Path]) -> list[Pair]:
    """Pairs from the `src_en` / `mt_zh` columns of QE TSV files."""
    pairs = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            for index, row in enumerate(
                csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            ):
                pairs.append(
                    Pair(
                        id=f"{path.stem}:{index}",
                        doc_id=path.stem,
                        en=row["src_en"],
                        zh=row["mt_zh"],
                    )
                )
    return pairs


def load_time() -> float:
    """Seconds to load the lexicon, jieba and the scorer weights (once per process)."""
    from review.score import load_scorer, make_context

    start = time.perf_counter()
    ctx = make_context()
    ctx.lexicon.zh_tokens("词典加载")
    load_scorer().predict({})  # builds the compiled trees
    return time.perf_counter() - start


def measure(pairs: Sequence[Pair], jobs: int = 1) -> dict[str, float]:
    """Score `pairs` as `review score` does on one core (`review.batch.score_chunk`, in chunks
    of 1,000) and return pairs and seconds.

    `jobs` > 1 is for a parallel runner to add; this measures one core.
    """
    if jobs != 1:
        raise ValueError("only jobs=1 is measured here")
    from review.batch import NO_PEERS, chunked, score_chunk

    score_chunk([], 0, NO_PEERS, None)  # the one-off load, if `load_time` has not run
    start, cpu_start = time.perf_counter(), time.process_time()
    done = 0
    for chunk in chunked(pairs, 1000):
        score_chunk(chunk, done, NO_PEERS, None)
        done += len(chunk)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "pairs": float(len(pairs)),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pairs_per_second": len(pairs) / seconds if seconds else 0.0,
        # CPU time is what one core spends, even when other processes share the machine.
        "pairs_per_cpu_second": len(pairs) / cpu if cpu else 0.0,
    }


def per_check(pairs: Sequence[Pair]) -> dict[str, float]:
    """Seconds each per-pair check spends on `pairs`, run in the scorer's order on new text."""
    from review.checks import CHECKS, get_check
    from review.score import make_context

    ctx = make_context()
    seconds = dict.fromkeys(CHECKS, 0.0)
    checks = [(name, get_check(name)) for name in CHECKS]
    for pair in pairs:
        for name, check in checks:
            start = time.perf_counter()
            check(pair, ctx)
            seconds[name] += time.perf_counter() - start
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--warm-with",
        nargs="+",
        type=Path,
        default=[],
        metavar="TSV",
        help="then score these other QE files (warming every per-word memo, evicting the "
        "per-text caches) and the distinct pairs again: what first encounters of words cost",
    )
    parser.add_argument(
        "--scale",
        metavar="SIZES",
        help="then run `review score` end to end on inputs of these sizes (e.g. "
        "10000,100000,1000000) resampled from the QE folder: pairs/s per core, peak memory",
    )
    parser.add_argument(
        "--per-check",
        action="store_true",
        help="instead, time each check on the distinct pairs (new text) and stop",
    )
    args = parser.parse_args(argv)
    print(f"load (lexicon + jieba + weights): {load_time():.2f} s")
    source = read_pairs(args.paths)
    distinct = random.Random(args.seed).sample(source, min(len(source), 2000))
    if args.per_check:
        seconds = per_check(distinct)
        total = sum(seconds.values())
        for name, spent in sorted(seconds.items(), key=lambda item: -item[1]):
            print(f"{name:12} {spent * 1000:7.1f} ms  {spent / total:6.1%}")
        print(f"all checks   {total * 1000:7.1f} ms for {len(distinct)} pairs")
        return 0
    cold = measure(distinct)
    print(
        f"first pass, {len(distinct)} distinct pairs: {cold['pairs_per_second']:,.0f} pairs/s "
        f"wall, {cold['pairs_per_cpu_second']:,.0f} per CPU second"
    )
    if args.warm_with:
        others = read_pairs(args.warm_with)
        measure(others)
        again = measure(distinct)
        print(
            f"the same {len(distinct)} pairs after {len(others)} other pairs (words known, "
            f"texts new): {again['pairs_per_cpu_second']:,.0f} per CPU second"
        )
    stream = random.Random(args.seed + 1).choices(source, k=args.pairs)
    warm = measure(stream)
    print(
        f"resampled stream, {args.pairs} pairs from {len(source)}: "
        f"{warm['pairs_per_second']:,.0f} pairs/s wall, "
        f"{warm['pairs_per_cpu_second']:,.0f} per CPU second (one core)"
    )
    if args.scale:
        import score_scale  # benchmarks/score_scale.py, beside this script

        score_scale.main([str(args.paths[0].parent), "--sizes", args.scale])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
