"""Name checks: Latin names and acronyms kept or dropped, and Chinese names of a different entity.

A Chinese name whose CC-CEDICT proper-noun gloss shares only part of a person's name with the
English (张成泽 is "Jang Song-taek"; the English says "Jang Media Group") is the wrong entity.
"""

from __future__ import annotations

import functools
import re
from itertools import compress
from typing import TYPE_CHECKING, NamedTuple

import regex
from rapidfuzz import fuzz

from review.checks import CheckContext, CheckResult
from review.checks._text import (
    LATIN_WORD,
    MONTHS,
    defined_acronyms,
    finding,
    han_tokens,
    quote_words,
    zh_substrings,
    zh_tokens,
)
from review.lexicon import EN_STOPWORDS
from review.model import Finding, Pair, Severity

if TYPE_CHECKING:
    from review.lexicon import Lexicon

_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\"“‘(\[\-–—]\s*|\n)$", regex.REVERSE)
# Marks that end no sentence (none of them is in the pattern above, nor a space).
_NO_SENTENCE_END = frozenset(",)]'’”%")
_NAME_WORD = regex.compile(r"[A-Za-z][\w'’&.-]*[\w]|[A-Za-z]")
# The same pattern on ASCII text, in `re` and with \w spelled out (both quicker to match): on
# ASCII text `regex`'s \w is [A-Za-z0-9_], and ’ never occurs.
_NAME_WORD_ASCII = re.compile(r"[A-Za-z][A-Za-z0-9_'&.-]*[A-Za-z0-9_]|[A-Za-z]")
# ASCII classes only: `re` matches as `regex` would, and is quicker to call.
_GLOSS_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# The same on ASCII text, where ’ never occurs: a class of ASCII characters only is quicker.
_GLOSS_WORD_ASCII = re.compile(r"[A-Za-z][A-Za-z'-]*")
# A gloss's leading capitalised words with what separates them (up to its first word of a
# lower-case letter): a word of `_GLOSS_WORD` starting in capitals, then no letter.
_GLOSS_HEAD = re.compile(r"[^A-Za-z]*(?:[A-Z][A-Za-z'’-]*[^A-Za-z]*)*")
_TONE = re.compile(r"[0-9:]")
_CAMEL_OR_DIGIT = regex.compile(r"[a-z][A-Z]|\d")
# The same on ASCII text, where `re`'s \d is `regex`'s, in `re`: quicker to call.
_CAMEL_OR_DIGIT_ASCII = re.compile(_CAMEL_OR_DIGIT.pattern)
_CAMEL = re.compile(r"[a-z][A-Z]")
_NOT_LETTER = re.compile(r"[^A-Za-z]")
_ACRONYM = regex.compile(r"\b[A-Z]{2,}\b")
# The same on ASCII text in `re`, starting with its first capital so that the engine skips to
# capitals (a leading \b is tried at every position): the capital is at a word start when the
# character before it is no [A-Za-z0-9_], which is ASCII text's \w in both engines.
_ACRONYM_ASCII = re.compile(r"[A-Z](?<![A-Za-z0-9_][A-Z])[A-Z]+\b")
_NAME_RUN = regex.compile(r"[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*")
# Pinyin similarity (0–100) above which a Chinese run is taken as a transliteration of a name.
_TRANSLIT_MIN = 72.0
_CALENDAR = frozenset(
    [*MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
# Words that are no acronym even in capitals; the dictionary indexes none of them.
_PLAIN_WORDS = EN_STOPWORDS | {"not", "no", "nor"}
_NAME_GENERIC = frozenset({"of", "the", "and", "for", "in", "on", "de", "la", "von", "van", "da"})


class Name(NamedTuple):
    """A Latin name or acronym in the English, with its offsets.

    A named tuple, not a frozen dataclass: it is built several times faster.
    """

    text: str
    start: int
    end: int
    acronym: bool
    title: bool = False  # from a title-case line, where capitals say little


def _is_title_case(words: list[str], upper: int) -> bool:
    """Whether most content words are capitalised; `upper` counts the capitalised ones."""
    if not upper:
        return False  # needs two content words, and 70% of them capitalised
    # Counting stops once the content words outnumber what `upper` can make 70% of.
    content = 0
    for word in words:
        if word.lower() not in EN_STOPWORDS:
            content += 1
            if upper < 0.7 * content:
                return False
    return content >= 2


def _is_shouted(words: list[str], capitals: int) -> bool:
    """Whether the text is written in capitals (three or more, and most of its words);
    `capitals` counts the words of two letters or more in capitals."""
    return capitals >= 3 and capitals >= 0.6 * sum(1 for w in words if len(w) > 1)


# What a word is to `en_names` whatever its sentence: never a name, an acronym, a plain
# capitalised word (no name at a sentence start when the dictionary translates it), or a name.
_KIND_SKIP, _KIND_ACRONYM, _KIND_PLAIN, _KIND_NAME = range(4)


# A word's kind: (1 when capitalised and no stopword, for the title-case test; 1 when of two
# letters or more all in capitals, for the shouting test; its kind; its letters). A plain tuple:
# one is built for every new word.
_WordKind = tuple[int, int, int, str]


def _word_kind(word: str) -> _WordKind:
    """What `en_names` reads of a word (not in lower-case letters only) alone."""
    lower = word.lower()
    upper = int(word[0].isupper() and lower not in EN_STOPWORDS)
    capitals = int(len(word) > 1 and word.isupper())
    letters = ""
    if lower in _CALENDAR or (
        not word[0].isupper()
        and not (_CAMEL_OR_DIGIT_ASCII if word.isascii() else _CAMEL_OR_DIGIT).search(word)
    ):
        kind = _KIND_SKIP
    else:
        letters = word if word.isascii() and word.isalpha() else _NOT_LETTER.sub("", word)
        if len(letters) >= 2 and letters.isupper():
            kind = _KIND_ACRONYM
        elif _CAMEL.search(word):
            kind = _KIND_NAME
        elif lower in EN_STOPWORDS or len(letters) < 2:
            kind = _KIND_SKIP
        else:
            kind = _KIND_PLAIN
    return (upper, capitals, kind, letters)


def _word_kinds() -> dict[str, _WordKind]:
    """The memo of `_word_kind` (capitalised words recur: "The", "He", "US", "China")."""
    if len(_WORD_KINDS) >= 100_000:
        _WORD_KINDS.clear()
    return _WORD_KINDS


_WORD_KINDS: dict[str, _WordKind] = {}


_new_tuple = tuple.__new__


@functools.lru_cache(maxsize=4096)
def en_names(lexicon: Lexicon, en: str) -> tuple[Name, ...]:
    """Words of the English that name something: acronyms, mixed case, or capitalised mid-
    sentence words; in a title-case line only acronyms and words no dictionary knows."""
    texts = (_NAME_WORD_ASCII if en.isascii() else _NAME_WORD).findall(en)
    # Words of lower-case letters only (most words) name nothing and count for neither test
    # below. The others are found again with `find` from the previous one's end: having a capital
    # or a non-letter, such a word's text cannot occur inside a lower-case word.
    candidates: list[tuple[str, int, _WordKind]] = []
    upper = capitals = at = 0
    find = en.find
    kinds = _word_kinds()
    for text in texts:
        if text.isalpha() and text.islower():
            continue
        at = find(text, at)
        known = kinds.get(text)
        if known is None:
            known = kinds[text] = _word_kind(text)
        candidates.append((text, at, known))
        at += len(text)
        upper += known[0]
        capitals += known[1]
    if not candidates:
        return ()
    title = _is_title_case(texts, upper)
    # Both tests are written out here for the common case, to spare two calls per text.
    shouted = capitals >= 3 and _is_shouted(texts, capitals)
    defined = defined_acronyms(en) if "(" in en else None  # an acronym is defined in brackets
    names: list[Name] = []
    for word, start, (_, _, kind, letters) in candidates:
        if defined and any(s <= start < e for s, e in defined):
            continue
        if kind == _KIND_SKIP:
            continue
        if kind == _KIND_ACRONYM:
            if shouted and (letters.lower() in _PLAIN_WORDS or lexicon.has_translation(letters)):
                continue  # a shouted ordinary word, not an acronym
        elif kind == _KIND_PLAIN:
            # Searched backwards from the word: only the text just before it can match. It
            # matches at the start of the text; after one space that follows a letter, a digit
            # or a comma (most words) no mark or line break ends there.
            if title or not start:
                starts = True
            elif (
                start >= 2
                and en[start - 1] == " "
                and (en[start - 2].isalnum() or en[start - 2] in _NO_SENTENCE_END)
            ):
                starts = False
            else:
                starts = _SENTENCE_START.search(en, 0, start) is not None
            if starts and lexicon.has_translation(word):
                continue
        # tuple.__new__ skips the named tuple's Python-level constructor.
        acronym = kind == _KIND_ACRONYM
        names.append(_new_tuple(Name, (word, start, start + len(word), acronym, title)))
    return tuple(names)


@functools.lru_cache(maxsize=8192)
def _char_pinyin(lexicon: Lexicon, char: str) -> str:
    readings = lexicon.pinyin(char)
    if readings:
        return _TONE.sub("", readings[0]).lower().replace("u:", "v")
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(char))


@functools.lru_cache(maxsize=8192)
def _sound(lexicon: Lexicon, zh: str) -> str:
    # Cached: each name is compared with every name-like run of its pair.
    return "".join([_char_pinyin(lexicon, c) for c in zh])


def _name_like_words(lexicon: Lexicon) -> dict[str, bool]:
    """The lexicon's memo of Han tokens (they recur) → whether one may be part of a name."""
    memo = _name_like_memo(lexicon)
    if len(memo) >= 200_000:
        memo.clear()
    return memo


@functools.lru_cache(maxsize=8)
def _name_like_memo(lexicon: Lexicon) -> dict[str, bool]:
    return {}


def name_like_runs(lexicon: Lexicon, zh: str) -> list[tuple[str, int, int]]:
    """Runs of Han tokens that read as names: no dictionary gloss, or a proper-noun gloss.

    Transliterations (杰克琳, 海康威视) look like this; ordinary words do not, which keeps a
    short name such as "Zong" from matching the 中 of 中国.
    """
    runs: list[tuple[str, int, int]] = []
    start = end = -1
    known = _name_like_words(lexicon)
    # A word with a proper-noun gloss is one of `proper_headwords`: one set lookup.
    glosses, proper = lexicon.glosses, lexicon.proper_headwords
    # Only the Han tokens are read. A token left out between two name-like ones still ends the
    # run: offsets grow, so the second does not start where the first ends.
    for text, token_start, token_end in compress(zh_tokens(lexicon, zh), han_tokens(lexicon, zh)):
        like = known.get(text)
        if like is None:
            like = known[text] = len(text) > 1 and (text in proper or not glosses(text))
        if like:
            if token_start == end:
                end = token_end
                continue
            if start >= 0:
                runs.append((zh[start:end], start, end))
            start, end = token_start, token_end
    if start >= 0:
        runs.append((zh[start:end], start, end))
    return runs


class _Chinese:
    """The Chinese of a pair as `_where` reads it; its name-like runs and the words of its
    entities' glosses are found on first use (a name kept or translated needs no runs, a name
    of three letters or fewer no entity words)."""

    __slots__ = ("_entity_words", "_runs", "_sounds", "lexicon", "lower", "text")

    def __init__(self, lexicon: Lexicon, text: str) -> None:
        self.lexicon = lexicon
        self.text = text
        self.lower = text.lower()
        self._runs: list[tuple[str, int, int]] | None = None
        self._sounds: list[str] | None = None
        self._entity_words: dict[str, list[tuple[int, int]]] | None = None

    def runs(self) -> list[tuple[str, int, int]]:
        if self._runs is None:
            self._runs = name_like_runs(self.lexicon, self.text)
        return self._runs

    def sounds(self) -> list[str]:
        """The pinyin of each name-like run, in the order of the runs."""
        if self._sounds is None:
            lexicon = self.lexicon
            self._sounds = [_sound(lexicon, text) for text, _, _ in self.runs()]
        return self._sounds

    def entity_words(self) -> dict[str, list[tuple[int, int]]]:
        """The words of the entities' gloss names, lower-cased, by their first four letters:
        each word's length and its entity's offset (a name matches on those four letters)."""
        if self._entity_words is None:
            index: dict[str, list[tuple[int, int]]] = {}
            for _, start, _, glosses in zh_entities(self.lexicon, self.text):
                for gloss in glosses:
                    for word in _gloss_words(gloss):
                        # A word under four letters never shares a name's first four.
                        if len(word) >= 4:
                            key = word[:4].lower()
                            found = index.get(key)
                            if found is None:
                                index[key] = [(len(word), start)]
                            else:
                                found.append((len(word), start))
            self._entity_words = index
        return self._entity_words


def _where(name: Name, zh: _Chinese, cursor: int) -> int | None:
    """Where the Chinese renders the name (kept, translated, a matching entity or a
    transliteration), preferring places after `cursor`; None when it does not."""
    lower = name.text.lower()
    places: list[int] = []
    at = zh.lower.find(lower)
    if at >= 0:
        after = zh.lower.find(lower, cursor)
        places.append(after if after >= 0 else at)
    candidates = zh.lexicon.zh_for_word(name.text)
    if candidates:
        text = zh.text
        for word in candidates & zh_substrings(text):
            after = text.find(word, cursor)
            places.append(after if after >= 0 else text.find(word))
    if len(lower) >= 4:
        size = len(lower)
        for length, offset in zh.entity_words().get(lower[:4], ()):
            if abs(length - size) <= 3:
                places.append(offset)
    if not places and not (name.acronym and len(name.text) <= 3):
        spelled = lower.replace("-", "")
        size = len(spelled)
        for (_, start, _), sound in zip(zh.runs(), zh.sounds(), strict=True):
            if _may_reach(size, len(sound)) and fuzz.ratio(spelled, sound) >= _TRANSLIT_MIN:
                places.append(start)
    if not places:
        return None
    later = [p for p in places if p >= cursor]
    return min(later) if later else min(places)


def _may_reach(size: int, length: int) -> bool:
    """Whether strings of these lengths may reach `_TRANSLIT_MIN`: their ratio is at most
    100·(1 − |a − b|/(a + b)), which is under 70 when this is False."""
    return 10 * abs(length - size) <= 3 * (length + size)


def _placed(name: Name, zh: _Chinese) -> bool:
    """Whether `_where` places the name at all, trying the cheapest tests first and stopping
    at the first that holds (whether it is placed does not depend on the cursor)."""
    lower = name.text.lower()
    if lower in zh.lower:
        return True
    # An entity's gloss word is one lookup in a small index (its entities are found for the
    # entity check anyway); a name's translations may be hundreds of searches.
    if len(lower) >= 4:
        size = len(lower)
        if any(abs(length - size) <= 3 for length, _ in zh.entity_words().get(lower[:4], ())):
            return True
    # The coverage check asks for every substring of the Chinese too (the set is cached): a
    # translation is then one lookup, not a search of the text.
    candidates = zh.lexicon.zh_for_word(name.text)
    if candidates and not candidates.isdisjoint(zh_substrings(zh.text)):
        return True
    if name.acronym and len(name.text) <= 3:
        return False
    spelled = lower.replace("-", "")
    size = len(spelled)
    return any(
        _may_reach(size, len(sound)) and fuzz.ratio(spelled, sound) >= _TRANSLIT_MIN
        for sound in zh.sounds()
    )


def _dropped(
    lexicon: Lexicon, names: tuple[Name, ...], text: str
) -> list[tuple[Name, tuple[str, int, int] | None]]:
    """The names the Chinese does not render, each with the name-like run that may render it."""
    zh = _Chinese(lexicon, text)
    placed_flags = [_placed(name, zh) for name in names]
    if all(placed_flags):
        return []
    # A dropped name's guess is a run whose sound starts with the name's first letter; when no
    # run does, every guess is None whatever the anchors, and the names need no exact places.
    initials = {sound[:1] for sound in zh.sounds()}
    if not any(
        name.text[:1].lower() in initials
        for name, placed in zip(names, placed_flags, strict=True)
        if not placed
    ):
        return [
            (name, None) for name, placed in zip(names, placed_flags, strict=True) if not placed
        ]
    # Walk the names in order: a name found in the Chinese is an anchor, and a dropped name
    # may only be rendered by a name-like run between its neighbours' anchors.
    placed: list[tuple[Name, int | None]] = []
    cursor = 0
    for name, flag in zip(names, placed_flags, strict=True):
        where = _where(name, zh, cursor) if flag else None
        placed.append((name, where))
        if where is not None and where >= cursor:
            cursor = where
    dropped: list[tuple[Name, tuple[str, int, int] | None]] = []
    low = 0  # the furthest anchor so far (offsets are never negative)
    for index, (name, where) in enumerate(placed):
        if where is not None:
            low = max(low, where)
            continue
        high = min(
            (w for _, w in placed[index + 1 :] if w is not None and w >= low), default=len(text)
        )
        initial = name.text[:1].lower()
        guess = next(
            (
                run
                for run, sound in zip(zh.runs(), zh.sounds(), strict=True)
                if low <= run[1] <= high and sound[:1] == initial
            ),
            None,
        )
        dropped.append((name, guess))
    return dropped


def check_latin_names(pair: Pair, ctx: CheckContext) -> CheckResult:
    """English names and acronyms the Chinese neither keeps, translates nor transliterates,
    and Latin names in the Chinese that the English lacks."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    lexicon = ctx.lexicon
    names = en_names(lexicon, pair.en)
    dropped = _dropped(lexicon, names, pair.zh) if names else []
    findings: list[Finding] = []
    # Names next to each other ("CM Pak") are one finding.
    groups: list[list[tuple[Name, tuple[str, int, int] | None]]] = []
    for item in dropped:
        if groups and not pair.en[groups[-1][-1][0].end : item[0].start].strip(" -&'"):
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        first, last = group[0][0], group[-1][0]
        text = pair.en[first.start : last.end]
        guess = group[0][1] if len(group) == 1 else None
        if guess is not None:
            findings.append(
                finding(
                    "name-dropped",
                    Severity.MINOR,
                    f"“{text}” is not kept or in the dictionary; check that {guess[0]} renders it.",
                    (first.start, last.end),
                    (guess[1], guess[2]),
                )
            )
            continue
        weak = all(n.acronym or n.title for n, _ in group)
        findings.append(
            finding(
                "name-dropped",
                Severity.MINOR if weak else Severity.MAJOR,
                f"“{text}” is not in the Chinese (not kept, translated or transliterated).",
                (first.start, last.end),
            )
        )
    en_lower = ""
    added: list[tuple[str, int, int]] = []
    for match in LATIN_WORD.finditer(pair.zh):
        word = match.group()
        if len(word) > 1:
            en_lower = en_lower or pair.en.lower()
            if word.lower() not in en_lower:
                added.append((word, match.start(), match.end()))
    if added:
        findings.append(
            finding(
                "name-added",
                Severity.MAJOR,
                f"Latin text in the Chinese that the English lacks: "
                f"{quote_words([a[0] for a in added])}.",
                zh_span=(added[0][1], added[0][2]),
            )
        )
    hard = [n for n, guess in dropped if guess is None]
    features = {
        "dropped": float(len(hard)),
        "dropped_share": len(hard) / len(names) if names else 0.0,
        "guessed": float(len(dropped) - len(hard)),
        "acronyms_dropped": float(sum(n.acronym for n in hard)),
        "added": float(len(added)),
    }
    return CheckResult(tuple(findings), features)


@functools.lru_cache(maxsize=65_536)
def _gloss_words(gloss: str) -> tuple[str, ...]:
    """The name at the head of a gloss: its leading capitalised words ("Gwadar Port" of
    "Gwadar Port on Arabian Sea in …"); what follows describes the entity."""
    # Only the words before the first lower-case one are read, not the whole (often long) gloss.
    head = _GLOSS_HEAD.match(gloss).end()  # type: ignore[union-attr]  # it matches "" at least
    return tuple(w for w in _GLOSS_WORD.findall(gloss, 0, head) if w.lower() not in _NAME_GENERIC)


def _word_in(word: str, en_words: dict[str, int]) -> int | None:
    """Where (as `en_words` says) an English word matches a gloss word (China ~ Chinese,
    Pakistan ~ Pakistani)."""
    lower = word.lower()
    found = en_words.get(lower)
    if found is not None or len(lower) < 5:
        return found
    head, size = lower[:4], len(lower)
    for candidate, offset in en_words.items():
        if candidate[:4] == head and abs(len(candidate) - size) <= 3:
            return offset
    return None


@functools.lru_cache(maxsize=4096)
def zh_entities(lexicon: Lexicon, zh: str) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
    """Chinese names with CC-CEDICT proper-noun glosses, longest match over 1–3 jieba tokens."""
    tokens = zh_tokens(lexicon, zh)
    if not tokens:
        return ()
    han = han_tokens(lexicon, zh)
    proper, proper_headwords, heads = (
        lexicon.proper_glosses,
        lexicon.proper_headwords,
        lexicon.proper_heads,
    )
    count = len(tokens)
    # A name of two characters or more starting at a token starts with the token's first two
    # characters: one lookup of those rules out most tokens (nine in ten on the QE data). The
    # tokens' offsets are read where needed, not unzipped for every token first.
    first = [
        i for i, (_, start, _) in compress(enumerate(tokens), han) if zh[start : start + 2] in heads
    ]
    if not first:
        return ()
    # At each such Han token, the widest window of it and up to two joined tokens (Han, no gap
    # between them) that is a name of two characters or more; then, from the left, the windows
    # that no earlier one covers.
    hits: list[tuple[int, int, str, int, int, tuple[str, ...]]] = []
    for i in first:
        start, joined = tokens[i][1], tokens[i][2]
        width = 1
        if i + 1 < count and han[i + 1] and tokens[i + 1][1] == joined:
            width = 2
            if i + 2 < count and han[i + 2] and tokens[i + 2][1] == tokens[i + 1][2]:
                width = 3
        while width:
            end = tokens[i + width - 1][2]
            if end - start >= 2:
                word = zh[start:end]
                # One lookup in the small set of names, not in the whole dictionary.
                if word in proper_headwords:
                    hits.append((i, width, word, start, end, proper(word)))
                    break
            width -= 1
    found = []
    after = 0
    for i, width, word, start, end, glosses in hits:
        if i >= after:
            found.append((word, start, end, glosses))
            after = i + width
    return tuple(found)


def check_entities(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Chinese names that the dictionary says are a different entity from the English one."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    lexicon = ctx.lexicon
    entities = zh_entities(lexicon, pair.zh)
    if not entities:
        return CheckResult((), {"wrong": 0.0, "unmatched": 0.0})
    # Each word with the index of its first occurrence: an offset is needed only for a finding
    # (indices order words as offsets do), and findall is quicker than reading each match.
    en_words: dict[str, int] = {}
    en = pair.en
    words_of = _GLOSS_WORD_ASCII if en.isascii() else _GLOSS_WORD
    for index, text in enumerate(words_of.findall(en)):
        key = text.lower().strip("'’-")
        if key not in en_words:
            en_words[key] = index
    acronyms: set[str] | None = None  # found on first use: most glosses are not tested
    findings: list[Finding] = []
    wrong = unmatched = 0
    for word, start, end, glosses in entities:
        best_partial: tuple[str, int] | None = None
        ok = False
        for gloss in glosses:
            words = _gloss_words(gloss)
            if not words:
                continue
            if acronyms is None:
                acronyms = set((_ACRONYM_ASCII if en.isascii() else _ACRONYM).findall(en))
            if acronyms and "".join(w[0] for w in words).upper() in acronyms:
                ok = True
                break
            hits = [(w, _word_in(w, en_words)) for w in words]
            missing = [w for w, at in hits if at is None]
            if not missing:
                ok = True
                break
            found_at = [at for _, at in hits if at is not None]
            if not found_at:
                continue
            # The English naming someone by the last word of the gloss ("Mozart" for
            # "Wolfgang Amadeus Mozart") is normal; by the first only ("Jang" of
            # "Jang Song-taek", "Lee" of "Lee Myung-bak") it is usually someone else, unless
            # every missing word is one the dictionary knows as plain English ("Agency"): a
            # description, not part of the name.
            if hits[-1][1] is not None or all(
                lexicon.zh_for_en(lexicon.en_lemma(w)) for w in missing
            ):
                ok = True
                break
            if best_partial is None:
                best_partial = (gloss, min(found_at))
        if ok:
            continue
        if best_partial is not None:
            gloss, index = best_partial
            at = [m.start() for m in words_of.finditer(en)][index]
            wrong += 1
            en_end = _name_end(pair.en, at)
            findings.append(
                finding(
                    "wrong-entity",
                    Severity.CRITICAL,
                    f"{word} is “{gloss}” in the dictionary, but the English says "
                    f"“{pair.en[at:en_end]}”.",
                    (at, en_end),
                    (start, end),
                )
            )
            continue
        if not _sounds_like_en_word(lexicon, word, en_words):
            unmatched += 1
            findings.append(
                finding(
                    "entity-not-in-source",
                    Severity.MINOR,
                    f"{word} (“{glosses[0]}”) names something the English does not mention.",
                    zh_span=(start, end),
                )
            )
    return CheckResult(tuple(findings), {"wrong": float(wrong), "unmatched": float(unmatched)})


def _sounds_like_en_word(lexicon: Lexicon, word: str, en_words: dict[str, int]) -> bool:
    """The Chinese name's pinyin is close to an English word (a spelling the gloss lacks)."""
    sound = _sound(lexicon, word)
    size = len(sound)
    # The ratio is at most 100·(1 − |a − b|/(a + b)) for lengths a and b: a word whose length
    # puts that under 70 cannot reach the threshold, and is not compared.
    return any(
        fuzz.ratio(sound, w) >= _TRANSLIT_MIN
        for w in en_words
        if len(w) > 2 and 10 * abs(len(w) - size) <= 3 * (len(w) + size)
    )


def _name_end(en: str, start: int) -> int:
    """End of the capitalised name that starts at `start` ("Jang Media Group")."""
    match = _NAME_RUN.match(en, start)
    return match.end() if match else start + len(en[start:].split(" ")[0])
