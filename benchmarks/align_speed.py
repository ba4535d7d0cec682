"""Aligner speed and memory on synthetic document pairs, and the lexicon's cache load time.

Usage: align_speed.py [--sizes 2000x2500,20000x25000] [--seed 1]

Each size runs in a fresh process so its peak RSS is its own. The synthetic text is made here:
random CC-CEDICT words with their first gloss form "sentences" (ZH words joined, EN glosses
joined, plus numbers), grouped into 1-1, 1-2 and 2-1 beads in the proportions needed to reach
the requested EN × ZH sentence counts, with a few untranslated sentences.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time


def _vocabulary(seed: int) -> list[tuple[str, str]]:
    from review.lexicon import get_lexicon

    lexicon = get_lexicon()
    rng = random.Random(seed)
    words = []
    for zh in rng.sample(sorted(lexicon._entries), 40_000):
        glosses = [g for g in lexicon.glosses(zh) if g.isascii() and len(g.split()) <= 2]
        if glosses and 2 <= len(zh) <= 3 and not lexicon.proper_glosses(zh):
            words.append((zh, glosses[0].removeprefix("to ")))
    return words


def synthetic(n_en: int, n_zh: int, seed: int) -> tuple[list[str], list[str]]:
    """EN and ZH sentence lists of exactly the requested sizes, translations of each other."""
    rng = random.Random(seed)
    vocab = _vocabulary(seed)

    def pair() -> tuple[str, str]:
        chosen = rng.sample(vocab, rng.randint(4, 12))
        number = str(rng.randint(2, 2000)) if rng.random() < 0.3 else ""
        en = " ".join(g for _, g in chosen) + (f" {number}" if number else "")
        zh = "".join(z for z, _ in chosen) + number
        ending = rng.choice([(".", "。"), (".", "。"), ("?", "？"), ("!", "！")])
        return en.capitalize() + ending[0], zh + ending[1]

    en: list[str] = []
    zh: list[str] = []
    while len(en) < n_en or len(zh) < n_zh:
        need_en, need_zh = n_en - len(en), n_zh - len(zh)
        if need_zh > need_en and need_en > 0:
            shape = (1, 2) if rng.random() < 0.6 else (1, 1)
        elif need_en > need_zh and need_zh > 0:
            shape = (2, 1) if rng.random() < 0.6 else (1, 1)
        elif need_en > 0 and need_zh > 0:
            shape = rng.choice([(1, 1), (1, 1), (1, 2), (2, 1)])
        else:
            shape = (1, 0) if need_en > 0 else (0, 1)
        first_en, first_zh = pair()
        second_en, second_zh = pair()
        if shape == (1, 1):
            en.append(first_en)
            zh.append(first_zh)
        elif shape == (1, 2):
            en.append(first_en[:-1] + ", and " + second_en[0].lower() + second_en[1:])
            zh.extend([first_zh, second_zh])
        elif shape == (2, 1):
            en.extend([first_en, second_en])
            zh.append(first_zh[:-1] + "，" + second_zh)
        elif shape == (1, 0):
            en.append(first_en)
        else:
            zh.append(first_zh)
    return en, zh


def run_one(size: str, seed: int) -> None:
    """Align one synthetic pair in this process and print time and peak RSS."""
    from review.align import align_sentences
    from review.lexicon import get_lexicon

    n_en, n_zh = (int(x) for x in size.split("x"))
    lexicon = get_lexicon()
    lexicon.zh_tokens("预热")  # jieba's own start-up is not the aligner's time
    en, zh = synthetic(n_en, n_zh, seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    beads = align_sentences(en, zh, lexicon)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    covered = sum(len(b.en) for b in beads) == n_en and sum(len(b.zh) for b in beads) == n_zh
    print(
        f"{n_en:>6} EN x {n_zh:>6} ZH sentences: {elapsed:6.2f} s ({cpu:.2f} s CPU), "
        f"peak RSS {peak_mb:7.1f} MB, "
        f"{len(beads)} beads, every sentence covered: {covered}"
    )


def lexicon_load() -> None:
    """Time a cold load of the compiled lexicon from the cache (compiling it first if needed)."""
    from review.lexicon import load_lexicon

    load_lexicon()
    started = time.perf_counter()
    load_lexicon()
    print(f"lexicon load from the compiled cache: {time.perf_counter() - started:.3f} s")
    # The sized runs include loading the compiled DP from numba's disk cache (compiled here on
    # the very first run, so that no sized run pays for compiling).
    from review.align import align_sentences

    started = time.perf_counter()
    align_sentences(["One.", "Two."], ["一。", "二。"])
    print(f"first alignment in a process (DP loaded): {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000x2500,20000x25000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--lexicon-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.seed)
        return
    if args.lexicon_only:
        lexicon_load()
        return
    me = [sys.executable, __file__]
    subprocess.run([*me, "--lexicon-only"], check=True)
    for size in args.sizes.split(","):
        subprocess.run([*me, "--one", size, "--seed", str(args.seed)], check=True)


if __name__ == "__main__":
    main()
