"""How well the divergence score tracks human quality labels on the QE dev splits.

    python benchmarks/qe.py DATA_DIR [--split dev]

Prints Pearson and Spearman r of the sign-flipped divergence with DA (and of the divergence
with HTER), critical-error ROC-AUC, average precision and MCC at the shipped flag threshold
(chosen by cross-validation on train), and an ablation that drops one check family at a time.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from review.checks import CHECKS, FAMILIES, CheckContext, get_check
from review.model import Pair, Severity
from review.score import Scorer, load_scorer, make_context


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a QE TSV (header, tab-separated, no quoting)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


Detail = tuple[dict[str, float], dict[str, int]]  # features, worst severity rank per family


def details(rows: Sequence[dict[str, str]], ctx: CheckContext) -> list[Detail]:
    """Per row: the features and, per check family, the worst finding severity."""
    result = []
    for index, row in enumerate(rows):
        pair = Pair(id=str(index), doc_id="qe", en=row["src_en"], zh=row["mt_zh"])
        features: dict[str, float] = {}
        worst: dict[str, int] = {}
        for name, (family, _) in CHECKS.items():
            outcome = get_check(name)(pair, ctx)
            for key, value in outcome.features.items():
                features[f"{name}.{key}"] = value
            for f in outcome.findings:
                worst[family] = max(worst.get(family, 0), f.severity.rank)
        result.append((features, worst))
    return result


def divergences(rows: Sequence[Detail], scorer: Scorer, drop: str | None = None) -> np.ndarray:
    """The final divergence per row, as `score_pair` computes it, without one family."""
    checks = frozenset(n for n, (family, _) in CHECKS.items() if family == drop)
    out = []
    for features, worst in rows:
        value = scorer.predict(features, checks)
        rank = max((r for fam, r in worst.items() if fam != drop), default=0)
        if rank == Severity.CRITICAL.rank:
            value = max(value, scorer.critical_floor)
        out.append(value)
    return np.array(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import average_precision_score, matthews_corrcoef, roc_auc_score

    scorer = load_scorer()
    ctx = make_context()
    mlqe = read_tsv(args.data_dir / f"mlqe-enzh-{args.split}.tsv")
    ced = read_tsv(args.data_dir / f"ced-enzh-{args.split}.tsv")
    da = np.array([float(r["label"]) for r in mlqe])
    hter = np.array([float(r["hter"]) for r in mlqe])
    err = np.array([int(r["label"]) for r in ced])
    da_rows, ced_rows = details(mlqe, ctx), details(ced, ctx)

    def metrics(drop: str | None) -> dict[str, float]:
        d, c = divergences(da_rows, scorer, drop), divergences(ced_rows, scorer, drop)
        return {
            "da_pearson": float(pearsonr(-d, da)[0]),
            "da_spearman": float(spearmanr(-d, da)[0]),
            "hter_pearson": float(pearsonr(d, hter)[0]),
            "hter_spearman": float(spearmanr(d, hter)[0]),
            "ced_auc": float(roc_auc_score(err, c)),
            "ced_ap": float(average_precision_score(err, c)),
            "ced_mcc": float(matthews_corrcoef(err, c >= scorer.threshold)),
        }

    full = metrics(None)
    print(
        f"{args.split} split: {len(mlqe)} MLQE-PE pairs, {len(ced)} CED pairs "
        f"({int(err.sum())} ERR); flag threshold {scorer.threshold:.4f} (train CV)"
    )
    print(
        f"DA   Pearson r {full['da_pearson']:.3f}  Spearman {full['da_spearman']:.3f}"
        "   (sign-flipped divergence; OpenKiwi baseline r = 0.17)"
    )
    print(f"HTER Pearson r {full['hter_pearson']:.3f}  Spearman {full['hter_spearman']:.3f}")
    print(
        f"CED  ROC-AUC {full['ced_auc']:.3f}  AP {full['ced_ap']:.3f}  "
        f"MCC {full['ced_mcc']:.3f}   (COMETKiwi zero-shot MCC ≈ 0.19)"
    )
    print("\nablation (drop one family; Δ against the full scorer)")
    print(f"{'family':<12} {'DA r':>7} {'ΔDA r':>7} {'AUC':>7} {'ΔAUC':>7} {'MCC':>7}")
    for family in FAMILIES:
        m = metrics(family)
        print(
            f"{family:<12} {m['da_pearson']:7.3f} {m['da_pearson'] - full['da_pearson']:+7.3f}"
            f" {m['ced_auc']:7.3f} {m['ced_auc'] - full['ced_auc']:+7.3f} {m['ced_mcc']:7.3f}"
        )
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
