"""Sentence-alignment quality on a MAC-format folder: strict/lax P/R/F1, F1 by bead type, time.

Usage: align_mac.py DATA_DIR [--pred-out DIR] [--score-only PRED_DIR] [--loo]

DATA_DIR holds NNN.zh / NNN.en (one sentence a line) and NNN.gold (`[zh]:[en]` beads, Chinese
on the left). The scorer is Sennrich & Volk (2011) as used by Vecalign and Bertalign; with
`--score-only DATA_DIR/published-outputs/bertalign` on mac-dev-2021 it prints Bertalign's
published row (strict 0.909/0.914/0.911, lax 0.996/1.000/0.998).

`--loo` measures the aligner without fitting the documents it is scored on: for each document,
the bead-type prices come from the gold of the other documents and the weights are chosen among
a fixed set of candidate settings (the defaults, each weight alone scaled by 0.7 and 1.4, the
skip price moved, then seeded random scalings) by their F1 on the other documents (pooled F1
plus the worst document's F1, so a setting must hold on every document); the held-out document
is then aligned with them. It prints each held-out document, the spread, and the pooled scores.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

Bead = tuple[tuple[int, ...], tuple[int, ...]]  # (zh ids, en ids), as in the gold files


def read_beads(path: Path) -> list[Bead]:
    """Parse `[zh]:[en]` lines."""
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right = line.strip().split(":")
        beads.append((_ids(left), _ids(right)))
    return beads


def _ids(text: str) -> tuple[int, ...]:
    inner = text.strip()[1:-1]
    return tuple(int(x) for x in inner.split(",")) if inner.strip() else ()


def format_bead(bead: Bead) -> str:
    return "[{}]:[{}]".format(",".join(map(str, bead[0])), ",".join(map(str, bead[1])))


def _pairs(bead: Bead) -> set[tuple[int, int]]:
    return {(z, e) for z in bead[0] for e in bead[1]}


class Tally:
    """Pooled strict and lax hit counts (micro average over documents)."""

    def __init__(self) -> None:
        self.pred = 0
        self.gold = 0
        self.strict_p = 0
        self.lax_p = 0
        self.strict_r = 0
        self.lax_r = 0

    def add(self, gold: list[Bead], pred: list[Bead]) -> None:
        gold_set = set(gold)
        gold_pairs = set().union(*(_pairs(b) for b in gold)) if gold else set()
        self.pred += len(pred)
        for bead in pred:
            if bead in gold_set:
                self.strict_p += 1
                self.lax_p += 1
            elif _pairs(bead) & gold_pairs:
                self.lax_p += 1
        pred_both = [b for b in pred if b[0] and b[1]]
        pred_set = set(pred_both)
        pred_pairs = set().union(*(_pairs(b) for b in pred_both)) if pred_both else set()
        for bead in gold:
            if not (bead[0] and bead[1]):
                continue
            self.gold += 1
            if bead in pred_set:
                self.strict_r += 1
                self.lax_r += 1
            elif _pairs(bead) & pred_pairs:
                self.lax_r += 1

    def scores(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        return _prf(self.strict_p, self.pred, self.strict_r, self.gold), _prf(
            self.lax_p, self.pred, self.lax_r, self.gold
        )


def _prf(hit_p: int, n_p: int, hit_r: int, n_r: int) -> tuple[float, float, float]:
    p = hit_p / n_p if n_p else 0.0
    r = hit_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def bead_type(bead: Bead) -> str:
    """`zh-en` sentence counts, e.g. `1-2` for one Chinese sentence and two English ones."""
    return f"{len(bead[0])}-{len(bead[1])}"


def by_type(gold: Iterable[Bead], pred: Iterable[Bead]) -> dict[str, tuple[int, int, int]]:
    """Per bead type: (gold count, predicted count, exact matches)."""
    gold_list, pred_list = list(gold), list(pred)
    gold_types = Counter(bead_type(b) for b in gold_list)
    pred_types = Counter(bead_type(b) for b in pred_list)
    hits = Counter(bead_type(b) for b in set(gold_list) & set(pred_list))
    return {t: (gold_types[t], pred_types[t], hits[t]) for t in gold_types | pred_types}


Confidences = dict[str, list[float]]


def load_table(path: Path) -> dict[str, set[str]]:
    """ZH word → EN lemmas from a table written by scripts/train_align_lexicon.py."""
    table: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        zh, en = line.split("\t")[:2]
        table.setdefault(zh, set()).add(en)
    return table


def run_aligner(
    data: Path,
    names: list[str],
    pred_out: Path | None,
    confidences: Confidences,
    overrides: dict[str, float],
    table: dict[str, set[str]] | None,
) -> dict[str, list[Bead]]:
    from dataclasses import replace

    from review.align import Params
    from review.align.dp import search
    from review.align.features import build_evidence, tokenize
    from review.lexicon import get_lexicon

    lexicon = get_lexicon()
    params = replace(Params(), **overrides)
    predictions = {}
    for name in names:
        zh = (data / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / f"{name}.en").read_text(encoding="utf-8").splitlines()
        steps = search(build_evidence(tokenize(en, zh, lexicon), lexicon, table), params)
        predictions[name] = [
            (
                tuple(range(s.zh_end - s.zh_count, s.zh_end)),
                tuple(range(s.en_end - s.en_count, s.en_end)),
            )
            for s in steps
        ]
        confidences[name] = [s.confidence for s in steps]
        if pred_out is not None:
            pred_out.mkdir(parents=True, exist_ok=True)
            text = "".join(format_bead(b) + "\n" for b in predictions[name])
            (pred_out / f"{name}.pred").write_text(text, encoding="utf-8")
    return predictions


# The weights the cross-validation chooses among, each scaled by one of these factors (skip is
# additive); candidate 0 is the shipped defaults.
SCALED = ("lexical", "length", "punct", "clause", "quote", "prior", "gain")
FACTORS = (0.5, 0.7, 1.0, 1.4, 2.0)
SKIPS = (-1.0, 0.0, 1.0, 2.0)


def candidates(count: int, seed: int) -> list[dict[str, float]]:
    """`count` settings: the defaults, then seeded random scalings of them."""
    import random

    from review.align import Params

    rng = random.Random(seed)
    default = Params()
    out: list[dict[str, float]] = [{}]
    # First every weight alone scaled down and up, then seeded random scalings of all.
    for name in SCALED:
        out += [{name: getattr(default, name) * f} for f in (FACTORS[1], FACTORS[-2])]
    out += [{"skip": default.skip + s} for s in SKIPS if s]
    while len(out) < count:
        setting = {name: getattr(default, name) * rng.choice(FACTORS) for name in SCALED}
        setting["skip"] = default.skip + rng.choice(SKIPS)
        out.append(setting)
    return out[:count]


def robust_score(tallies: Iterable[Tally]) -> float:
    """Pooled strict F1 plus the worst document's: a setting must hold on every document."""
    docs = list(tallies)
    pooled = Tally()
    for doc in docs:
        for field in vars(pooled):
            setattr(pooled, field, getattr(pooled, field) + getattr(doc, field))
    return pooled.scores()[0][2] + min(doc.scores()[0][2] for doc in docs)


def leave_one_out(data: Path, names: list[str], count: int, seed: int) -> None:
    """Per held-out document: prices and weights chosen on the others, then scored on it."""
    from dataclasses import replace

    from review.align import Params
    from review.align.dp import search
    from review.align.features import build_evidence, tokenize
    from review.lexicon import get_lexicon

    lexicon = get_lexicon()
    golds = {n: read_beads(data / f"{n}.gold") for n in names}
    evidence = {}
    for name in names:
        zh = (data / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / f"{name}.en").read_text(encoding="utf-8").splitlines()
        evidence[name] = build_evidence(tokenize(en, zh, lexicon), lexicon)
    settings = candidates(count, seed)

    def predict(name: str, params: Params) -> tuple[list[Bead], list[float]]:
        steps = search(evidence[name], params)
        beads = [
            (
                tuple(range(s.zh_end - s.zh_count, s.zh_end)),
                tuple(range(s.en_end - s.en_count, s.en_end)),
            )
            for s in steps
        ]
        return beads, [s.confidence for s in steps]

    def tally(name: str, params: Params) -> Tally:
        t = Tally()
        t.add(golds[name], predict(name, params)[0])
        return t

    def choose(train: list[str]) -> tuple[int, Params]:
        counts = Counter((len(e), len(z)) for n in train for z, e in golds[n])
        beads = tuple((a, b, c) for (a, b), c in sorted(counts.items()))
        scored = []
        for index, setting in enumerate(settings):
            params = replace(Params(), beads=beads, **setting)
            scored.append((robust_score(tally(n, params) for n in train), -index, params))
        best = max(scored, key=lambda x: x[:2])
        return -best[1], best[2]

    predictions: dict[str, list[Bead]] = {}
    confidences: Confidences = {}
    print(f"leave one document out over {len(settings)} candidate settings (seed {seed})")
    for held in names:
        index, params = choose([n for n in names if n != held])
        predictions[held], confidences[held] = predict(held, params)
        doc = Tally()
        doc.add(golds[held], predictions[held])
        print(f"  held out {held}: strict F1 {doc.scores()[0][2]:.3f}  (setting {index})")
    print_scores(data, names, predictions, confidences)
    index, params = choose(names)
    chosen = {k: round(v, 3) for k, v in settings[index].items()}
    print(f"chosen on all documents: setting {index} {chosen or '(the defaults)'}")


def print_scores(
    data: Path, names: list[str], predictions: dict[str, list[Bead]], confidences: Confidences
) -> None:
    """Pooled strict and lax scores, the per-document spread, F1 by type, confidence bands."""
    import statistics

    total = Tally()
    per_doc = []
    type_rows: dict[str, list[int]] = {}
    for name in names:
        gold = read_beads(data / f"{name}.gold")
        total.add(gold, predictions[name])
        doc = Tally()
        doc.add(gold, predictions[name])
        per_doc.append(doc.scores()[0][2])
        for kind, (g, p, h) in by_type(gold, predictions[name]).items():
            row = type_rows.setdefault(kind, [0, 0, 0])
            row[0] += g
            row[1] += p
            row[2] += h
    strict, lax = total.scores()
    print(f"documents: {len(names)}  gold beads: {total.gold}  predicted beads: {total.pred}")
    print("strict P/R/F1: {:.3f}/{:.3f}/{:.3f}".format(*strict))
    print("lax    P/R/F1: {:.3f}/{:.3f}/{:.3f}".format(*lax))
    if len(per_doc) > 1:
        print(
            f"per-document strict F1: min {min(per_doc):.3f}  max {max(per_doc):.3f}  "
            f"sd {statistics.stdev(per_doc):.3f}"
        )
    print("by bead type (zh-en): gold  pred  exact  F1")
    for kind in sorted(type_rows, key=lambda k: (-type_rows[k][0], k)):
        g, p, h = type_rows[kind]
        f1 = 2 * h / (g + p) if g + p else 0.0
        print(f"  {kind:>5}: {g:5d} {p:5d} {h:6d}  {f1:.3f}")
    if confidences:
        print_confidence(data, names, predictions, confidences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--pred-out", type=Path, default=None)
    parser.add_argument("--score-only", type=Path, default=None, metavar="PRED_DIR")
    parser.add_argument("--per-doc", action="store_true", help="also print F1 per document")
    parser.add_argument("--loo", action="store_true", help="leave-one-document-out selection")
    parser.add_argument("--candidates", type=int, default=18, help="settings --loo chooses among")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a weight"
    )
    parser.add_argument("--table", type=Path, help="extra ZH→EN pairs (train_align_lexicon.py)")
    args = parser.parse_args()
    names = sorted(p.stem for p in args.data_dir.glob("*.gold"))
    if not names:
        sys.exit(f"{args.data_dir}: no NNN.gold files")
    if args.loo:
        started = time.perf_counter()
        leave_one_out(args.data_dir, names, args.candidates, args.seed)
        print(f"time: {time.perf_counter() - started:.0f} s")
        return
    started = time.perf_counter()
    confidences: Confidences = {}
    if args.score_only is not None:
        predictions = {n: read_beads(args.score_only / f"{n}.pred") for n in names}
        missing = [n for n in names if not (args.score_only / f"{n}.pred").exists()]
        if missing:
            sys.exit(f"{args.score_only}: missing {missing}")
    else:
        overrides = {k: float(v) for k, v in (item.split("=") for item in args.set)}
        table = load_table(args.table) if args.table else None
        predictions = run_aligner(
            args.data_dir, names, args.pred_out, confidences, overrides, table
        )
    elapsed = time.perf_counter() - started
    if args.per_doc:
        for name in names:
            doc = Tally()
            doc.add(read_beads(args.data_dir / f"{name}.gold"), predictions[name])
            print(f"  {name}: strict F1 {doc.scores()[0][2]:.3f}")
    print_scores(args.data_dir, names, predictions, confidences)
    print(f"time: {elapsed:.2f} s")


def print_confidence(
    data: Path, names: list[str], predictions: dict[str, list[Bead]], confidences: Confidences
) -> None:
    """Share of predicted beads that are exactly right, by confidence band."""
    bands = [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 0.9), (0.9, 1.01)]
    rows = [[0, 0] for _ in bands]
    gold_sets = {name: set(read_beads(data / f"{name}.gold")) for name in names}
    for name in names:
        gold = gold_sets[name]
        for bead, confidence in zip(predictions[name], confidences[name], strict=True):
            for row, (low, high) in zip(rows, bands, strict=True):
                if low <= confidence < high:
                    row[0] += 1
                    row[1] += bead in gold
    print("precision by confidence: band  beads  exact")
    for (low, high), (count, exact) in zip(bands, rows, strict=True):
        share = exact / count if count else 0.0
        print(f"  [{low:.2f}, {min(high, 1.0):.2f}): {count:5d}  {share:.3f}")
    ranked = sorted(
        (confidence, bead not in gold_sets[name])
        for name in names
        for bead, confidence in zip(predictions[name], confidences[name], strict=True)
    )
    wrong = sum(w for _, w in ranked)
    print("wrong beads among the least confident: share  beads  wrong  of all wrong")
    for share in (0.05, 0.10, 0.20):
        k = max(1, round(share * len(ranked)))
        hits = sum(w for _, w in ranked[:k])
        print(f"  lowest {share:4.0%}: {k:5d}  {hits / k:.3f}  {hits / max(wrong, 1):.3f}")


if __name__ == "__main__":
    main()
