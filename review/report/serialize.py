"""The report for machines: one JSON document and one CSV row per pair (docs/report-schema.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, cast

from review.atomic import atomic_write
from review.model import Pair
from review.report.counts import TextCounts
from review.report.metrics import Effort, PairMetrics
from review.report.model import MQM_WEIGHTS, Report, WorstPair

SCHEMA = "review-report/2"

CSV_FIELDS = (
    "number",
    "id",
    "doc_id",
    "section",
    "line",
    "kind",
    "boilerplate",
    "en",
    "zh",
    "en_words",
    "en_chars",
    "zh_words",
    "zh_chars",
    "zh_han",
    "divergence",
    "flagged",
    "top_severity",
    "findings",
    "status",
    "reviewer",
    "changed_at",
    "final_zh",
    "comments",
    "mqm",
    "pe_chrf",
    "pe_bleu",
    "pe_ter",
    "ref_chrf",
    "ref_bleu",
    "ref_ter",
    "scorer_signature",
    "correction_findings",
)
"""CSV columns, in order; new columns are only ever appended."""


def _counts(counts: TextCounts) -> dict[str, int]:
    return {"words": counts.words, "chars": counts.chars, "han": counts.han}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _effort(effort: Effort | None) -> dict[str, Any] | None:
    if effort is None:
        return None
    return {
        "pairs": effort.pairs,
        "chrf": round(effort.chrf, 2),
        "bleu": round(effort.bleu, 2),
        "ter": round(effort.ter, 2),
        "signatures": dict(effort.signatures),
        "sentence_signatures": dict(effort.sentence_signatures),
    }


def pair_rows(report: Report) -> list[dict[str, Any]]:
    """One flat dict per pair with the CSV_FIELDS keys, in report order."""
    post_edit = {m.pair_id: m for m in report.effort.per_pair} if report.effort else {}
    against_ref = {m.pair_id: m for m in report.reference.per_pair} if report.reference else {}
    rows = []
    for number, pair in enumerate(report.pairs, start=1):
        state = report.states.get(pair.id)
        en, zh = report.counts[pair.id]
        pe: PairMetrics | None = post_edit.get(pair.id)
        ref: PairMetrics | None = against_ref.get(pair.id)
        top = pair.top_severity
        rows.append(
            {
                "number": state.number if state else number,
                "id": pair.id,
                "doc_id": pair.doc_id,
                "section": pair.section,
                "line": pair.line,
                "kind": pair.kind.value,
                "boilerplate": pair.boilerplate,
                "en": pair.en,
                "zh": pair.zh,
                "en_words": en.words,
                "en_chars": en.chars,
                "zh_words": zh.words,
                "zh_chars": zh.chars,
                "zh_han": zh.han,
                "divergence": _round(pair.divergence),
                "flagged": pair.flagged,
                "top_severity": top.value if top else None,
                "findings": ";".join(f"{f.code}:{f.severity.value}" for f in pair.findings),
                "status": state.status.value if state else None,
                "reviewer": state.reviewer if state else None,
                "changed_at": state.changed_at.isoformat() if state and state.changed_at else None,
                "final_zh": state.final_zh if state else None,
                "comments": " | ".join(state.comments) if state else None,
                "mqm": ";".join(f"{t.category}:{t.severity.value}" for t in state.mqm)
                if state
                else None,
                "pe_chrf": _round(pe.chrf, 2) if pe else None,
                "pe_bleu": _round(pe.bleu, 2) if pe else None,
                "pe_ter": _round(pe.ter, 2) if pe else None,
                "ref_chrf": _round(ref.chrf, 2) if ref else None,
                "ref_bleu": _round(ref.bleu, 2) if ref else None,
                "ref_ter": _round(ref.ter, 2) if ref else None,
                "scorer_signature": report.scorer_signature,
                "correction_findings": ";".join(
                    f"{f.code}:{f.severity.value}"
                    for f in report.correction_findings.get(pair.id, ())
                ),
            }
        )
    return rows


def _pair_brief(pair: Pair) -> dict[str, Any]:
    return {"id": pair.id, "doc_id": pair.doc_id, "section": pair.section, "line": pair.line}


def _run(entry: WorstPair) -> dict[str, Any] | None:
    """A grouped run of one-sided pairs with every pair of it; None for a single pair."""
    if not entry.run:
        return None
    return {
        "kind": entry.pair.kind.value,
        "summary": entry.summary(),
        "pairs": [
            _pair_brief(p)
            | {
                "divergence": _round(p.divergence),
                "en": p.en,
                "zh": p.zh,
                "findings": [f.to_dict() for f in p.findings],
            }
            for p in entry.run
        ],
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready values (schema `review-report/2`)."""
    review = report.review
    return {
        "schema": SCHEMA,
        "title": report.title,
        "generated_at": report.generated_at.isoformat(),
        "tool_version": report.tool_version,
        "scorer_signature": report.scorer_signature,
        "sources": list(report.sources),
        "volume": {
            "pairs": report.volume.pairs,
            "translated": report.volume.translated,
            "untranslated": report.volume.untranslated,
            "zh_only": report.volume.zh_only,
            "boilerplate": report.volume.boilerplate,
            "en": _counts(report.volume.en),
            "zh": _counts(report.volume.zh),
        },
        "untranslated": [_pair_brief(p) | {"en": p.en} for p in report.untranslated],
        "zh_only": [_pair_brief(p) | {"zh": p.zh} for p in report.zh_only],
        "divergence": {
            "scored": report.scored,
            "flagged": report.flagged,
            "flagged_share": round(report.flagged_share, 4),
            "flag_threshold": report.flag_threshold,
            "histogram": [
                {"low": b.low, "high": b.high, "count": b.count} for b in report.histogram
            ],
        },
        "findings": [
            {"code": f.code, "severity": f.severity.value, "count": f.count}
            for f in report.findings
        ],
        "worst": [
            {
                "rank": w.rank,
                **_pair_brief(w.pair),
                "divergence": _round(w.divergence),
                "en": w.pair.en,
                "zh": w.pair.zh,
                "status": w.status.value if w.status else None,
                "correction": w.final_zh,
                "findings": [f.to_dict() for f in w.pair.findings],
                "run": _run(w),
            }
            for w in report.worst
        ],
        "sections": [
            {
                "doc_id": s.doc_id,
                "section": s.section,
                "pairs": s.pairs,
                "en_words": s.en_words,
                "zh_chars": s.zh_chars,
                "flagged": s.flagged,
                "mean_divergence": _round(s.mean_divergence),
                "max_divergence": _round(s.max_divergence),
                "findings": s.findings,
                "reviewed": s.reviewed,
            }
            for s in report.sections
        ],
        "review": None
        if review is None
        else {
            "pairs": review.pairs,
            "reviewed": review.reviewed,
            "by_status": {status.value: n for status, n in review.by_status.items()},
            "reviewers": [
                {
                    "reviewer": r.reviewer,
                    "decided": r.decided,
                    "by_status": {status.value: n for status, n in r.by_status.items()},
                }
                for r in review.reviewers
            ],
            "comments": review.comments,
            "mqm": [
                {"category": m.category, "severity": m.severity.value, "count": m.count}
                for m in review.mqm
            ],
            "mqm_weights": {severity.value: w for severity, w in MQM_WEIGHTS.items()},
            "mqm_points": review.mqm_points,
            "en_words": review.en_words,
            "mqm_per_1000_words": _round(review.mqm_per_1000_words, 2),
        },
        "corrections_with_findings": [
            {
                "number": state.number,
                "id": state.pair.id,
                "correction": state.final_zh,
                "findings": [f.to_dict() for f in report.correction_findings[state.pair.id]],
            }
            for state in report.corrections_with_findings
        ],
        "post_edit": _effort(report.effort),
        "reference": None
        if report.reference_match is None
        else {
            "path": report.reference_match.path,
            "method": report.reference_match.method,
            "matched": report.reference_match.matched,
            "of": report.reference_match.of,
            "metrics": _effort(report.reference),
        },
        "pairs": pair_rows(report),
    }


def write_json(report: Report, path: str | Path) -> None:
    """Write the report as one JSON document, atomically."""
    with atomic_write(path) as raw:
        handle = cast(IO[str], raw)
        json.dump(to_dict(report), handle, ensure_ascii=False, indent=2)
        handle.write("\n")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet cannot run: text starting like a formula gets a leading `'`.

    Numbers stay numbers; the `'` is what OWASP recommends (spreadsheets show it as text).
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(report: Report, path: str | Path) -> None:
    """Write one CSV row per pair (UTF-8, RFC 4180 quoting, formulas defused), atomically."""
    with atomic_write(path) as raw:
        writer = csv.DictWriter(cast(IO[str], raw), fieldnames=CSV_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for row in pair_rows(report):
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
