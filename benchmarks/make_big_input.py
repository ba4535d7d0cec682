"""Build a big EN–ZH TSV by resampling the real pairs of the QE data set.

Usage: python benchmarks/make_big_input.py QE_DIR N OUT.tsv [--seed S]

Reads every `*.tsv` in QE_DIR (columns `src_en` and `mt_zh`), draws N rows with replacement
(seeded, so runs repeat) and writes them as `en<TAB>zh` lines, streaming, so N can be millions.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path


def load_pairs(qe_dir: Path) -> list[tuple[str, str]]:
    """Every (src_en, mt_zh) row of the QE TSVs in `qe_dir`, in file order."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(qe_dir.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(rows)
            en_col, zh_col = header.index("src_en"), header.index("mt_zh")
            pairs.extend(
                (row[en_col].strip(), row[zh_col].strip())
                for row in rows
                if len(row) > max(en_col, zh_col) and row[en_col].strip()
            )
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Write the resampled TSV and print what was written to stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qe_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    pairs = load_pairs(args.qe_dir)
    if not pairs:
        print(f"no src_en/mt_zh rows in {args.qe_dir}/*.tsv", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        written = 0
        while written < args.n:
            batch = min(10_000, args.n - written)
            out.writelines(f"{en}\t{zh}\n" for en, zh in rng.choices(pairs, k=batch))
            written += batch
    size_mb = args.out.stat().st_size / 1e6
    print(
        f"{args.out}: {args.n} pairs resampled from {len(pairs)} real pairs, "
        f"{size_mb:.1f} MB in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
