"""Learn a lexical translation table for the aligner from the QE train splits.

    python scripts/train_align_lexicon.py DATA_DIR --out TABLE.tsv
    python benchmarks/align_mac.py MAC_DIR --table TABLE.tsv

Measured on mac-dev (literary ZH→EN) it does not help: strict F1 0.889 without, 0.883 with
(1,860 pairs; Wikipedia sentences teach little about fiction), so no table is shipped. The
script stays to measure it on other material and as the start of a better one.

DATA_DIR holds mlqe-enzh-train.tsv (English sources with their MT and post-edits) and
ced-enzh-train.tsv (sources with MT), all CC0. IBM Model 1 is trained in both directions on the
aligner's own units (English content lemmas, Chinese dictionary words), starting from CC-CEDICT:
a dictionary pair starts with pseudo-counts, so the data adds what the dictionary lacks (said
for 道, ordinal and measure words, common paraphrases). A pair is kept when it is likely in both
directions and seen in several sentences; pairs CC-CEDICT already has are left out, since the
aligner finds those in the dictionary. EM is deterministic, so a rerun writes the same file.
Only train splits are read, never dev, and never the alignment benchmark.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from review.align.features import en_content_keys, zh_content_words
from review.lexicon import Lexicon, get_lexicon

ITERATIONS = 6
PRIOR_COUNT = 2.0  # pseudo-count of a CC-CEDICT pair at the start of EM
NULL = ""
MIN_PROBABILITY = 0.15  # in both directions
MIN_SENTENCES = 3  # the pair co-occurs in at least this many sentence pairs


def read_pairs(data: Path) -> list[tuple[str, str]]:
    """(EN, ZH) sentence pairs: source/MT and source/post-edit of MLQE-PE, source/MT of CED."""
    pairs: list[tuple[str, str]] = []
    with (data / "mlqe-enzh-train.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            pairs.append((row["src_en"], row["mt_zh"]))
            pairs.append((row["src_en"], row["pe_zh"]))
    with (data / "ced-enzh-train.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            pairs.append((row["src_en"], row["mt_zh"]))
    return pairs


def units(pairs: list[tuple[str, str]], lexicon: Lexicon) -> list[tuple[list[str], list[str]]]:
    return [(en_content_keys(en, lexicon), zh_content_words(zh, lexicon)) for en, zh in pairs]


def model1(
    corpus: list[tuple[list[str], list[str]]],
    prior: set[tuple[str, str]],
) -> dict[tuple[str, str], float]:
    """t(target | source) for (source, target) pairs, sources with a NULL word."""
    counts: dict[tuple[str, str], float] = defaultdict(float)
    for source, target in corpus:
        for s in {*source, NULL}:
            for t in set(target):
                counts[(s, t)] += PRIOR_COUNT if (s, t) in prior else 1.0
    table = _normalise(counts)
    for _ in range(ITERATIONS):
        counts = defaultdict(float)
        for source, target in corpus:
            sources = [*source, NULL]
            for t in target:
                weights = [table.get((s, t), 0.0) for s in sources]
                total = sum(weights)
                if total <= 0.0:
                    continue
                for s, w in zip(sources, weights, strict=True):
                    if w:
                        counts[(s, t)] += w / total
        for pair in prior:
            if pair in counts:
                counts[pair] += PRIOR_COUNT
        table = _normalise(counts)
    return table


def _normalise(counts: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    totals: dict[str, float] = defaultdict(float)
    for (s, _), c in counts.items():
        totals[s] += c
    return {(s, t): c / totals[s] for (s, t), c in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    lexicon = get_lexicon()
    corpus = units(read_pairs(args.data_dir), lexicon)
    known = {(z, e) for _, zh in corpus for z in set(zh) for e in lexicon.gloss_lemmas(z)}
    zh_to_en = model1([(zh, en) for en, zh in corpus], known)
    en_to_zh = model1(corpus, {(e, z) for z, e in known})
    together: Counter[tuple[str, str]] = Counter()
    for en, zh in corpus:
        together.update((z, e) for z in set(zh) for e in set(en))
    kept = sorted(
        (z, e, p, en_to_zh.get((e, z), 0.0))
        for (z, e), p in zh_to_en.items()
        if z != NULL
        and e != NULL
        and (z, e) not in known
        and p >= MIN_PROBABILITY
        and en_to_zh.get((e, z), 0.0) >= MIN_PROBABILITY
        and together[(z, e)] >= MIN_SENTENCES
    )
    lines = [f"{z}\t{e}\t{p:.3f}\t{q:.3f}\n" for z, e, p, q in kept]
    header = "# zh\ten\tt(en|zh)\tt(zh|en): IBM Model 1 on the QE train splits, see scripts/\n"
    args.out.write_text(header + "".join(lines), encoding="utf-8")
    print(
        f"{len(corpus)} sentence pairs, {len(kept)} pairs written to {args.out} "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
