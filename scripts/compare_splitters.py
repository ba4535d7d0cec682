"""Score maintained English sentence splitters on the hard-case table of tests/data.

    python scripts/compare_splitters.py

Prints, per splitter, how many English cases it splits exactly as the table expects, by kind.
Splitters that are not installed are skipped (pip install pysbd syntok sentencex).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "tests/data/segmentation_cases.tsv"


def cases() -> list[tuple[str, str, str, list[str]]]:
    """(kind, lang, text, expected sentences) rows of the table."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, lang, text, expected = line.split("\t")
        rows.append((kind, lang, text, expected.split(" ‖ ")))
    return rows


def splitters() -> dict[str, Callable[[str], list[str]]]:
    found: dict[str, Callable[[str], list[str]]] = {}
    from review.segment import split_sentences

    found["review.segment"] = lambda t: split_sentences(t, "en")
    if importlib.util.find_spec("pysbd"):
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = lambda t: [s.strip() for s in seg.segment(t) if s.strip()]
    if importlib.util.find_spec("syntok"):
        import syntok.segmenter as syntok

        def run_syntok(text: str) -> list[str]:
            out = []
            for paragraph in syntok.analyze(text):
                for sentence in paragraph:
                    start = sentence[0].offset
                    end = sentence[-1].offset + len(sentence[-1].value)
                    out.append(text[start:end].strip())
            return out

        found["syntok"] = run_syntok
    if importlib.util.find_spec("blingfire"):
        import blingfire

        found["blingfire"] = lambda t: blingfire.text_to_sentences(t).split("\n")
    if importlib.util.find_spec("sentencex"):
        import sentencex

        found["sentencex"] = lambda t: [s.strip() for s in sentencex.segment("en", t) if s.strip()]
    return found


def main() -> None:
    rows = [r for r in cases() if r[1] == "en"]
    kinds = sorted({r[0] for r in rows})
    print(f"{'splitter':<16}" + "".join(f"{k:>14}" for k in kinds) + f"{'all':>8}")
    for name, split in splitters().items():
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for kind, _, text, expected in rows:
            total[kind] += 1
            right[kind] += split(text) == expected
        cells = "".join(f"{f'{right[k]}/{total[k]}':>14}" for k in kinds)
        print(f"{name:<16}{cells}{f'{sum(right.values())}/{len(rows)}':>8}")


if __name__ == "__main__":
    main()
