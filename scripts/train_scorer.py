"""Train the divergence scorer on the QE train splits and write review/data/scorer.json.

    python scripts/train_scorer.py DATA_DIR [--out review/data/scorer.json]

DATA_DIR holds mlqe-enzh-train.tsv (DA z-scores, post-edits) and ced-enzh-train.tsv (critical
errors). Only train splits are read: the flag threshold comes from 5-fold cross-validation on
train, never from dev. Seeds are fixed, so a rerun writes the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from review.checks import CheckContext
from review.checks.surface import length_log_ratio
from review.lexicon import get_lexicon
from review.model import Pair, Severity
from review.score import run_checks

SEED = 20240607
FOLDS = 5
# Weight of the critical-error head against the DA head in the one combined linear score;
# picked by cross-validation on train (see `--sweep`).
CED_MIX = 1.0
C = 0.5
RIDGE = 10.0


def fit_da(x: np.ndarray, da: np.ndarray) -> np.ndarray:
    """Ridge regression of the negated DA z-score (so higher = more divergent); returns
    weights with the intercept last."""
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=RIDGE, random_state=SEED).fit(x, -da)
    return np.append(model.coef_, model.intercept_)


def fit_ced(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression of critical errors; weights with the intercept last."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit(x, y)
    return np.append(model.coef_[0], model.intercept_[0])


def combine(
    da_w: np.ndarray, ced_w: np.ndarray, x_da: np.ndarray, x_ced: np.ndarray, mix: float
) -> np.ndarray:
    """One linear logit from the two heads: each head standardised on its own data, then
    mixed; the result is again a weight vector (intercept last)."""
    da_scores = x_da @ da_w[:-1] + da_w[-1]
    ced_scores = x_ced @ ced_w[:-1] + ced_w[-1]
    da_sd, ced_sd = float(np.std(da_scores)) or 1.0, float(np.std(ced_scores)) or 1.0
    weights = da_w / da_sd + mix * ced_w / ced_sd
    weights[-1] = da_w[-1] / da_sd - float(np.mean(da_scores)) / da_sd + mix * (ced_w[-1] / ced_sd)
    return weights


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a QE TSV (header, tab-separated, no quoting)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def length_model(rows: Sequence[dict[str, str]]) -> tuple[float, float]:
    """Mean and sd of the EN–ZH length log-ratio over human post-edits."""
    ratios = [length_log_ratio(r["src_en"], r["pe_zh"]) for r in rows if r["pe_zh"].strip()]
    return statistics.fmean(ratios), statistics.stdev(ratios)


def extract(
    rows: Sequence[dict[str, str]], ctx: CheckContext
) -> tuple[list[dict[str, float]], list[bool]]:
    """Features of every row, and whether the row has a critical finding."""
    features, critical = [], []
    for index, row in enumerate(rows):
        pair = Pair(id=str(index), doc_id="qe", en=row["src_en"], zh=row["mt_zh"])
        findings, values = run_checks(pair, ctx)
        features.append(values)
        critical.append(any(f.severity is Severity.CRITICAL for f in findings))
    return features, critical


def matrix(features: Sequence[dict[str, float]], names: Sequence[str]) -> np.ndarray:
    """Rows × features array, missing features as 0."""
    return np.array([[f.get(n, 0.0) for n in names] for f in features], dtype=float)


def predict(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Divergence in [0, 1] from a weight vector with the intercept last."""
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ weights[:-1] + weights[-1]))))


def best_mcc_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The threshold with the best MCC on these (cross-validated) scores."""
    from sklearn.metrics import matthews_corrcoef

    best = (0.5, -1.0)
    for t in np.unique(np.quantile(scores, np.linspace(0.5, 0.99, 99))):
        mcc = matthews_corrcoef(labels, scores >= t)
        if mcc > best[1]:
            best = (float(t), float(mcc))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("review/data/scorer.json"))
    args = parser.parse_args(argv)
    from scipy.stats import pearsonr
    from sklearn.metrics import roc_auc_score

    mlqe = read_tsv(args.data_dir / "mlqe-enzh-train.tsv")
    ced = read_tsv(args.data_dir / "ced-enzh-train.tsv")
    lengths = length_model(mlqe)
    ctx = CheckContext(get_lexicon(), None, lengths)
    print(f"length model: mean {lengths[0]:.4f} sd {lengths[1]:.4f}", file=sys.stderr)
    da_features, _ = extract(mlqe, ctx)
    ced_features, ced_critical = extract(ced, ctx)
    names = sorted({n for f in da_features + ced_features for n in f})
    x = np.vstack([matrix(da_features, names), matrix(ced_features, names)])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = (x - mean) / scale
    da = np.array([float(r["label"]) for r in mlqe])
    ced_y = np.array([float(r["label"]) for r in ced])
    n_da = len(mlqe)
    x_da, x_ced = xs[:n_da], xs[n_da:]
    critical = np.array(ced_critical)

    rng = np.random.default_rng(SEED)
    fold_da = rng.integers(0, FOLDS, size=n_da)
    fold_ced = rng.integers(0, FOLDS, size=len(ced))
    cv_da, cv_ced = np.zeros(n_da), np.zeros(len(ced))
    for k in range(FOLDS):
        train_da, train_ced = fold_da != k, fold_ced != k
        weights = combine(
            fit_da(x_da[train_da], da[train_da]),
            fit_ced(x_ced[train_ced], ced_y[train_ced]),
            x_da[train_da],
            x_ced[train_ced],
            CED_MIX,
        )
        cv_da[~train_da] = predict(x_da[~train_da], weights)
        cv_ced[~train_ced] = predict(x_ced[~train_ced], weights)
    cv_ced = np.where(critical, np.maximum(cv_ced, 0.85), cv_ced)
    threshold, cv_mcc = best_mcc_threshold(cv_ced, ced_y)
    print(
        f"train CV: DA r = {pearsonr(-cv_da, da)[0]:.3f}, "
        f"CED AUC = {roc_auc_score(ced_y, cv_ced):.3f}, "
        f"MCC = {cv_mcc:.3f} at threshold {threshold:.4f}",
        file=sys.stderr,
    )
    final = combine(fit_da(x_da, da), fit_ced(x_ced, ced_y), x_da, x_ced, CED_MIX)
    coef, bias = final[:-1], float(final[-1])
    data = {
        "kind": "lr",
        "trained_on": "ridge on mlqe-enzh-train.tsv DA z + logistic on ced-enzh-train.tsv, mixed",
        "threshold_rule": f"best MCC on {FOLDS}-fold cross-validated ced-enzh-train scores",
        "seed": SEED,
        "features": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in coef],
        "bias": round(bias, 6),
        "threshold": round(threshold, 4),
        "length_model": [round(lengths[0], 6), round(lengths[1], 6)],
        "dictionary": ctx.lexicon.version,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    from review.score import scorer_from_dict

    digest = scorer_from_dict(data).digest
    print(f"wrote {args.out}: {len(names)} features, model lr-{digest}", file=sys.stderr)
    for name, weight in sorted(zip(names, coef, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {weight:+.3f} {name}", file=sys.stderr)
    return 0 if math.isfinite(bias) else 1


if __name__ == "__main__":
    raise SystemExit(main())
