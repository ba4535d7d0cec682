"""How often each finding code fires on MT and on its post-edit, and how precise its spans are.

    python benchmarks/finding_codes.py DATA_DIR [--split dev]

DATA_DIR holds `mlqe-enzh-SPLIT.tsv` (MT with post-edits) and `wordlevel-enzh-SPLIT.tsv` (MLQE-PE
word tags: BAD = changed or deleted by the post-editor). Per code it prints how many edited items
it fires on for the MT and for the post-edit (a code that fires as often on both is noise), and
the share of its findings whose span covers at least one BAD token (ZH span on MT tokens, else EN
span on source tokens), with the share of BAD tokens among all tokens as the chance level.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from review.model import Finding, Pair
from review.score import score_pairs


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a QE TSV (header, tab-separated, no quoting)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def token_spans(text: str, tokens: Sequence[str]) -> list[tuple[int, int] | None]:
    """Each token's character span in `text`, found left to right (None when it is not there)."""
    spans: list[tuple[int, int] | None] = []
    at = 0
    for token in tokens:
        found = text.find(token, at)
        if found < 0:
            spans.append(None)
            continue
        spans.append((found, found + len(token)))
        at = found + len(token)
    return spans


def covers_bad(
    span: tuple[int, int] | None, spans: Sequence[tuple[int, int] | None], tags: Sequence[str]
) -> bool | None:
    """Whether the span overlaps a BAD token; None when it overlaps no token at all."""
    if span is None:
        return None
    hit = [
        tag for s, tag in zip(spans, tags, strict=True) if s and s[0] < span[1] and span[0] < s[1]
    ]
    return ("BAD" in hit) if hit else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    rows = read_tsv(args.data_dir / f"mlqe-enzh-{args.split}.tsv")
    words = {r["id"]: r for r in read_tsv(args.data_dir / f"wordlevel-enzh-{args.split}.tsv")}
    edited = [r for r in rows if r["pe_zh"].strip() and r["pe_zh"] != r["mt_zh"]]
    mt = score_pairs([Pair(id=r["id"], doc_id="mt", en=r["src_en"], zh=r["mt_zh"]) for r in edited])
    pe = score_pairs([Pair(id=r["id"], doc_id="pe", en=r["src_en"], zh=r["pe_zh"]) for r in edited])
    mt_items: Counter[str] = Counter()
    pe_items: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    bad_tokens = all_tokens = 0
    for row, m, p in zip(edited, mt, pe, strict=True):
        mt_items.update({f.code for f in m.findings})
        pe_items.update({f.code for f in p.findings})
        tagged = words.get(row["id"])
        if tagged is None:
            continue
        mt_tokens, mt_tags = tagged["mt_tokens"].split(" "), tagged["mt_tags"].split(" ")
        src_tokens, src_tags = tagged["src_tokens"].split(" "), tagged["src_tags"].split(" ")
        if len(mt_tokens) != len(mt_tags) or len(src_tokens) != len(src_tags):
            continue
        bad_tokens += mt_tags.count("BAD")
        all_tokens += len(mt_tags)
        zh_spans, en_spans = token_spans(m.zh, mt_tokens), token_spans(m.en, src_tokens)
        for f in m.findings:
            verdict = _verdict(f, zh_spans, mt_tags, en_spans, src_tags)
            if verdict is not None:
                judged[f.code] += 1
                hits[f.code] += verdict
    print(
        f"{args.split}: {len(edited)} edited items; BAD share of MT tokens "
        f"{bad_tokens / max(all_tokens, 1):.3f} (chance span precision)"
    )
    print(f"{'code':<26} {'MT':>5} {'PE':>5} {'MT/PE':>6} {'spans':>6} {'prec':>6}")
    for code in sorted(set(mt_items) | set(pe_items), key=lambda c: -mt_items[c]):
        ratio = mt_items[code] / pe_items[code] if pe_items[code] else float("inf")
        precision = f"{hits[code] / judged[code]:.3f}" if judged[code] else "-"
        print(
            f"{code:<26} {mt_items[code]:5d} {pe_items[code]:5d} {ratio:6.2f} "
            f"{judged[code]:6d} {precision:>6}"
        )
    return 0


def _verdict(
    f: Finding,
    zh_spans: Sequence[tuple[int, int] | None],
    mt_tags: Sequence[str],
    en_spans: Sequence[tuple[int, int] | None],
    src_tags: Sequence[str],
) -> bool | None:
    """Whether the finding points at an edited token: its ZH span on MT tags, else its EN span."""
    verdict = covers_bad(f.zh_span, zh_spans, mt_tags)
    if verdict is None:
        verdict = covers_bad(f.en_span, en_spans, src_tags)
    return verdict


if __name__ == "__main__":
    raise SystemExit(main())
