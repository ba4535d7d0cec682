"""Transliterated names: how an English name sounds against the pinyin of a Chinese name, and
which capitalised English words are ordinary words rather than names.

Both sides become a coarse consonant skeleton (Xinhua transliteration keeps consonants and
turns clusters into syllables: Bergling → 柏格林 bo ge lin, Ashley → 阿什利 a shi li), compared
with an edit ratio; a name written in pinyin (Wang Chuanfu) is compared syllable by syllable.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from review.model import Span

# Skeleton similarity (0–100) from which a Chinese name is taken to render an English one.
SOUNDS_LIKE = 66.0
# Below this, a name-like Chinese run in the place of an English name is a different name.
SOUNDS_UNLIKE = 45.0
# Zipf frequency (wordfreq; 3 = once per million words) from which a capitalised word is an
# ordinary English word ("Health", "Secretary", "I'm"), not a name to look for in the Chinese.
ORDINARY_ZIPF = 4.3
# At a sentence start, where every word is capitalised, a rarer word is ordinary too
# ("However", "Meanwhile", "Borders"; not "Iqbal", 3.0).
SENTENCE_START_ZIPF = 3.5

_VOWELS = frozenset("aeiouy")
# English spellings to one letter per sound class, longest first; applied left to right.
_EN_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "J"),
    ("sch", "S"),
    ("ch", "J"),
    ("sh", "S"),
    ("ph", "F"),
    ("th", "T"),
    ("ck", "K"),
    ("qu", "KW"),
    ("wh", "W"),
    ("dg", "J"),
    ("gh", "K"),
    ("ng", "N"),
    ("x", "KS"),
    ("b", "P"),
    ("p", "P"),
    ("d", "T"),
    ("t", "T"),
    ("k", "K"),
    ("g", "K"),
    ("q", "K"),
    ("j", "J"),
    ("z", "S"),
    ("s", "S"),
    ("f", "F"),
    ("v", "F"),
    ("w", "W"),
    ("m", "M"),
    ("n", "N"),
    ("l", "L"),
    ("r", "L"),
    ("h", "H"),
)
# Pinyin initials to the same classes (zero initials and y/w before i/u read as a vowel).
_PINYIN_INITIALS: tuple[tuple[str, str], ...] = (
    ("zh", "J"),
    ("ch", "J"),
    ("sh", "S"),
    ("b", "P"),
    ("p", "P"),
    ("d", "T"),
    ("t", "T"),
    ("g", "K"),
    ("k", "K"),
    ("j", "J"),
    ("q", "J"),
    ("x", "S"),
    ("z", "S"),
    ("c", "S"),
    ("s", "S"),
    ("f", "F"),
    ("m", "M"),
    ("n", "N"),
    ("l", "L"),
    ("r", "L"),
    ("h", "H"),
    ("w", "W"),
)
_NOT_LETTER = re.compile(r"[^a-z]")


@functools.lru_cache(maxsize=65_536)
def en_skeleton(name: str) -> str:
    """The consonant skeleton of an English (Latin-script) name: "Ashley" → "ASL"."""
    text = _NOT_LETTER.sub("", _ascii(name).lower())
    if not text:
        return ""
    out: list[str] = ["A"] if text[0] in _VOWELS else []
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char in _VOWELS:
            i += 1
            continue
        after = text[i + 1] if i + 1 < size else ""
        if char == "r" and i and text[i - 1] in _VOWELS and after not in _VOWELS:
            i += 1  # a post-vocalic r is mostly not rendered (Morgan 摩根, Carter 卡特)
            continue
        if char == "c":
            out.append("S" if i + 1 < size and text[i + 1] in "eiy" else "K")
            i += 1
            continue
        if char == "g" and i + 1 < size and text[i + 1] in "eiy" and i:
            out.append("J")
            i += 1
            continue
        if char == "v":
            # 维 wei, 瓦 wa, 万 wan before a vowel (Victoria, Ivan); 夫 fu at the end (Dave).
            rest = text[i + 1 :]
            out.append("F" if not rest or rest == "e" else "W")
            i += 1
            continue
        for spelling, sound in _EN_RULES:
            if text.startswith(spelling, i):
                out.append(sound)
                i += len(spelling)
                break
        else:
            i += 1
    return _collapse(out)


@functools.lru_cache(maxsize=65_536)
def pinyin_skeleton(syllables: tuple[str, ...]) -> str:
    """The consonant skeleton of pinyin syllables without tones: (a, shi, li) → "ASL"."""
    out: list[str] = []
    for syllable in syllables:
        if not syllable.isalpha():
            continue
        if syllable == "er":
            out.append("L")  # 尔 renders r and l
            continue
        for initial, sound in _PINYIN_INITIALS:
            if syllable.startswith(initial):
                rest = syllable[len(initial) :]
                if initial == "w" and rest.startswith("u"):
                    out.append("A")  # 乌 wu renders a vowel (Ukraine 乌克兰)
                elif initial == "h" and rest[:2] in ("ua", "ui", "uo"):
                    out.append("W")  # 华 hua, 惠 hui, 霍 huo render w (Washington, Wheeler)
                else:
                    out.append(sound)
                break
        else:
            rest = syllable
            if not out:
                out.append("A")
        if rest.endswith(("n", "ng")):
            out.append("N")
    return _collapse(out)


def _collapse(sounds: Sequence[str]) -> str:
    """The sounds joined, with repeats of one class written once."""
    joined = "".join(sounds)
    return "".join(c for i, c in enumerate(joined) if not i or joined[i - 1] != c)


def _ascii(text: str) -> str:
    """Latin letters without their accents (Kościuszko → Kosciuszko)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@functools.lru_cache(maxsize=65_536)
def zh_syllables(zh: str) -> tuple[str, ...]:
    """The toneless pinyin of each Han character of `zh` (other characters are left out)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(
        s.replace("ü", "v")
        for s in lazy_pinyin(zh, style=Style.NORMAL, errors="ignore", v_to_u=False)
        if s.isalpha()
    )


def sound_similarity(en: str, zh: str) -> float:
    """How alike (0–100) an English name and a Chinese transliteration sound."""
    return _similarity(en_skeleton(en), pinyin_skeleton(zh_syllables(zh)))


# Sound classes that transliteration trades for each other (Gibson 吉布森 ji, Viki 维基 ji,
# Dave 戴夫 fu, William 威廉 lian): swapping them costs half an edit.
_NEAR = frozenset(frozenset(p) for p in ("KJ", "JS", "WF", "WH", "MN", "TJ", "TS"))


@functools.lru_cache(maxsize=65_536)
def _similarity(en_key: str, zh_key: str) -> float:
    """100 × (1 − weighted edit distance / the longer key's length)."""
    if not en_key or not zh_key:
        return 0.0
    if en_key == zh_key:
        return 100.0
    previous = [float(j) for j in range(len(zh_key) + 1)]
    for i, a in enumerate(en_key, start=1):
        current = [float(i)]
        for j, b in enumerate(zh_key, start=1):
            swap = 0.0 if a == b else 0.5 if frozenset((a, b)) in _NEAR else 1.0
            current.append(min(previous[j] + 1.0, current[j - 1] + 1.0, previous[j - 1] + swap))
        previous = current
    return max(0.0, 100.0 * (1.0 - previous[-1] / max(len(en_key), len(zh_key))))


class Rendering(NamedTuple):
    """Where and how well a Chinese text transliterates an English name."""

    similarity: float
    start: int  # offsets into the Chinese text
    end: int


def best_rendering(en: str, zh: str, start: int = 0) -> Rendering | None:
    """The run of characters of `zh` (a name-like run at offset `start` of its text) that
    sounds most like `en`: every window of whole characters is tried, since a run may hold
    more than the name (a title or a second name)."""
    en_key = en_skeleton(en)
    if not en_key:
        return None
    chars = [(i, c) for i, c in enumerate(zh) if "\u3400" <= c <= "\u9fff"]
    if not chars:
        return None
    syllables = zh_syllables("".join(c for _, c in chars))
    if len(syllables) != len(chars):
        return None
    best: Rendering | None = None
    width = 0
    count = len(chars)
    # A window longer than about two syllables per English consonant cannot be its name.
    longest = min(count, 2 * len(en_key) + 2)
    for first in range(count):
        for last in range(first + 1, min(count, first + longest) + 1):
            score = _similarity(en_key, pinyin_skeleton(syllables[first:last]))
            # On a tie the longer window: the whole name, not its first syllables.
            if best is None or (score, last - first) > (best.similarity, width):
                best = Rendering(score, start + chars[first][0], start + chars[last - 1][0] + 1)
                width = last - first
    return best


@functools.cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (about 400)."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading).encode("ascii", "ignore").decode()
            if plain.isalpha():
                found.add(plain.lower())
    found.discard("")
    return frozenset(found)


@functools.lru_cache(maxsize=16_384)
def as_pinyin(word: str) -> tuple[str, ...] | None:
    """A Latin word read as pinyin syllables ("Chuanfu" → (chuan, fu)); None when it is not
    pinyin. Longest syllables first, backtracking (Xian is xian, not xi-an)."""
    text = word.lower().replace("-", "").replace("'", "").replace("’", "")
    if not text.isascii() or not text.isalpha() or len(text) > 12:
        return None
    syllables = _pinyin_syllables()

    def split(at: int) -> tuple[str, ...] | None:
        if at == len(text):
            return ()
        for size in range(min(6, len(text) - at), 0, -1):
            head = text[at : at + size]
            if head in syllables:
                rest = split(at + size)
                if rest is not None:
                    return (head, *rest)
        return None

    return split(0)


def pinyin_name_matches(words: Sequence[str], zh: str) -> bool | None:
    """Whether a name written in pinyin (Wang Chuanfu) is the Chinese name `zh` (王传福):
    True when the syllables are the same (in either name order), False when they differ,
    None when the English is not pinyin or the lengths differ."""
    syllables: list[str] = []
    for word in words:
        read = as_pinyin(word)
        if read is None:
            return None
        syllables.extend(read)
    zh_read = list(zh_syllables(zh))
    if len(zh_read) != len(syllables) or not syllables:
        return None
    if zh_read == syllables:
        return True
    # Heteronyms: pypinyin reads a surname's character by its common reading (单 dan, shan).
    if len(words) > 1:
        first = list(as_pinyin(words[0]) or ())
        flipped = syllables[len(first) :] + first
        if zh_read == flipped:
            return True
    return False


@functools.lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of an English word (contractions included: "I'm" is 6.2)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.replace("’", "'"), "en", wordlist="small"))


def is_ordinary_word(word: str, *, sentence_start: bool = False) -> bool:
    """Whether a capitalised word is most likely an ordinary English word, not a name."""
    return zipf(word) >= (SENTENCE_START_ZIPF if sentence_start else ORDINARY_ZIPF)


_NAME_JOINERS = frozenset("·•・‧-－ ")


def joined_runs(zh: str, runs: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Name-like runs with the runs that only a name's middle dot separates joined into one
    (阿西夫 · 阿里 is one name): a foreign person's name is written so."""
    joined: list[tuple[str, int, int]] = []
    for text, start, end in runs:
        if joined:
            _, first, last = joined[-1]
            gap = zh[last:start]
            if gap and set(gap) <= _NAME_JOINERS and gap.strip(" ") and len(gap) <= 3:
                joined[-1] = (zh[first:end], first, end)
                continue
        joined.append((text, start, end))
    return joined


def is_person_form(zh: str) -> bool:
    """Whether a Chinese name is written as a foreign person's name (given · family)."""
    return any(c in "·•・‧" for c in zh)


def pinyin_name_in(words: Sequence[str], zh: str) -> tuple[bool, Span] | None:
    """A name written in pinyin (Wang Chuanfu, Xi Jinping) against the Chinese: (True, span)
    where the Chinese has it (王传福), (False, span) where it has the surname with another
    given name (王传军), None when the English is no pinyin name of two or more words or the
    surname does not occur."""
    if len(words) < 2:
        return None
    readings = [as_pinyin(w) for w in words]
    if any(r is None for r in readings):
        return None
    parts: list[tuple[str, ...]] = [r for r in readings if r is not None]
    wanted = [s for r in parts for s in r]
    orders = [(parts[0], [s for r in parts[1:] for s in r])]
    orders.append((parts[-1], [s for r in parts[:-1] for s in r]))  # Chuanfu Wang
    chars = [(i, c) for i, c in enumerate(zh) if "\u3400" <= c <= "\u9fff"]
    if len(chars) < len(wanted):
        return None
    syllables = zh_syllables("".join(c for _, c in chars))
    if len(syllables) != len(chars):
        return None
    wrong: Span | None = None
    for surname, given in orders:
        size = len(surname) + len(given)
        for at in range(len(chars) - size + 1):
            window = list(syllables[at : at + size])
            if window[: len(surname)] != list(surname):
                continue
            # Adjacent characters only: the window must be one run of text.
            if chars[at + size - 1][0] - chars[at][0] != size - 1:
                continue
            span = (chars[at][0], chars[at + size - 1][0] + 1)
            if window[len(surname) :] == given:
                return True, span
            if wrong is None and sum(
                a == b for a, b in zip(window[len(surname) :], given, strict=True)
            ):
                wrong = span  # the surname and part of the given name: another person
    return (False, wrong) if wrong is not None else None
