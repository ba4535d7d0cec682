"""Per-sentence evidence for the aligner, computed once: dictionary items, lengths, punctuation."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import regex
from scipy import sparse

from review.lexicon import Lexicon

_EN_TOKEN = regex.compile(r"\d[\d,.]*\d|\d|[A-Za-z]+(?:['’-][A-Za-z]+)*")
_HAN = regex.compile(r"\p{Han}")
_DIGITS = regex.compile(r"^[\d０-９][\d０-９,.]*$")
_LATIN = regex.compile(r"[A-Za-z]")
_NON_SPACE = regex.compile(r"\S")
_EN_STOP = frozenset(
    regex.split(
        r"\s+",
        "a an the of to in on at by for from with as and or but not no it its this that i you he"
        " she we they me him her us them my your his our their be have do so if",
    )
)
# Punctuation that translators keep across the two languages: question, exclamation, the
# opening and closing of a quotation (dialogue in fiction), and colon. English quotes may be
# straight or single, so an apostrophe counts only at a word's edge. The last kind counts
# clause marks, which say how many EN sentences a long ZH sentence can become.
_PUNCT_EN = (
    regex.compile(r"\?"),
    regex.compile(r"!"),
    regex.compile(r"(?:^|(?<=[\s(\[—–-]))['\"‘“](?=\S)"),
    regex.compile(r"(?<=\S)['\"’”](?=\s|$|[)\]—–-])"),
    regex.compile(r":"),
    regex.compile(r"[,;:—]|[.!?](?=\s|$|['\"’”])"),
)
_PUNCT_ZH = (
    regex.compile(r"[？?]"),
    regex.compile(r"[！!]"),
    regex.compile(r"[“「『]"),
    regex.compile(r"[”」』]"),
    regex.compile(r"[：:]"),
    regex.compile(r"[，；：、。！？…]+"),
)
PUNCT_KINDS = len(_PUNCT_EN)
# Quotation marks in order, to know whether a sentence ends inside an open quotation: in
# dialogue a bead almost never ends inside a quotation on one side only (3% of mac-dev's).
_QUOTE_EN = regex.compile(
    r"(?P<open>(?:^|(?<=[\s(\[—–-]))['\"‘“](?=\S))|(?<=\S)['\"’”](?=\s|$|[)\]—–-])"
)
_QUOTE_ZH = regex.compile(r"(?P<open>[“「『])|[”」』]")
_PINYIN_TONE = regex.compile(r"[1-5]")


@dataclass(slots=True)
class Side:
    """One side's sentences as sparse rows of item ids, with weights, lengths and punctuation.

    For EN, `items` is the sentence × English-lemma incidence; for ZH, sentence × ZH word (the
    English lemmas a ZH sentence covers are computed a block at a time, see `covers`).
    """

    items: sparse.csr_matrix
    weight: np.ndarray  # per sentence: sum of weights of its items that could be matched
    length: np.ndarray  # per sentence: non-space characters
    punct: np.ndarray  # (sentences, PUNCT_KINDS) counts
    inside: np.ndarray  # per sentence: 1.0 when it ends inside an open quotation
    # per sentence: (1.0 when it starts a block, the block's kind code), or None: no structure
    blocks: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.items.shape[0])

    def merged(self) -> Side:
        """Consecutive pairs of sentences merged into one, for the coarse search level."""
        n = len(self)
        pairing = sparse.csr_matrix(
            (np.ones(n), (np.arange(n) // 2, np.arange(n))), shape=((n + 1) // 2, n)
        )
        return Side(
            _binary(pairing @ self.items),
            _pairsum(self.weight),
            _pairsum(self.length),
            _pairsum(self.punct),
            _last_of_pair(self.inside),
        )


def _pairsum(values: np.ndarray) -> np.ndarray:
    if len(values) % 2:
        pad = np.zeros((1, *values.shape[1:]), dtype=values.dtype)
        values = np.concatenate([values, pad])
    return values[0::2] + values[1::2]


def _last_of_pair(values: np.ndarray) -> np.ndarray:
    last = values[1::2]
    return np.concatenate([last, values[-1:]]) if len(values) % 2 else last


def _binary(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    out = sparse.csr_matrix(matrix, dtype=np.float64)
    out.data[:] = 1.0
    return out


def _incidence(rows: Sequence[Collection[int]], size: int) -> sparse.csr_matrix:
    """A binary sentence × item matrix from each sentence's item ids."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((k for r in rows for k in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), size))
    matrix.sum_duplicates()
    return matrix


@dataclass(slots=True)
class Evidence:
    """Both sides' features plus the item weights the scorer sums."""

    en: Side
    zh: Side
    en_weights: np.ndarray  # by EN lemma id
    zh_weights: np.ndarray  # by ZH word id
    zh_translations: sparse.csr_matrix  # ZH word × EN lemma: the lemmas it translates to


@dataclass(slots=True)
class Tokens:
    """The slow part, done once: per sentence the EN words' keys and the ZH dictionary words."""

    en: list[list[str]]  # keys in order: lemmas, `#` numbers and `py:` pinyin of capitalised words
    zh: list[list[str]]
    en_length: np.ndarray
    zh_length: np.ndarray
    en_punct: np.ndarray
    zh_punct: np.ndarray
    en_inside: np.ndarray
    zh_inside: np.ndarray


def tokenize(en: Sequence[str], zh: Sequence[str], lexicon: Lexicon) -> Tokens:
    """Tokenise both sides (jieba for ZH) and count lengths and punctuation."""
    return Tokens(
        en=[_en_keys(sentence, lexicon) for sentence in en],
        zh=[
            [
                word
                for token in lexicon.zh_tokens(sentence, hmm=False)
                for word in _zh_words(token.text, lexicon)
            ]
            for sentence in zh
        ],
        en_length=np.array([_length(s) for s in en], dtype=np.float64),
        zh_length=np.array([_length(s) for s in zh], dtype=np.float64),
        en_punct=_punct(en, _PUNCT_EN),
        zh_punct=_punct(zh, _PUNCT_ZH),
        en_inside=_inside(en, _QUOTE_EN),
        zh_inside=_inside(zh, _QUOTE_ZH),
    )


def covers(zh_items: sparse.csr_matrix, translations: sparse.csr_matrix) -> sparse.csr_matrix:
    """ZH sentences × the English lemmas their words translate to (0/1)."""
    return _binary(zh_items @ translations)


def en_content_keys(sentence: str, lexicon: Lexicon) -> list[str]:
    """The English content lemmas of a sentence, as the aligner matches them."""
    return [key for key in _en_keys(sentence, lexicon) if _is_lemma(key)]


def zh_content_words(sentence: str, lexicon: Lexicon) -> list[str]:
    """The Chinese words of a sentence with Han characters, as the aligner matches them."""
    return [
        word
        for token in lexicon.zh_tokens(sentence, hmm=False)
        for word in _zh_words(token.text, lexicon)
        if _HAN.search(word)
    ]


def build_evidence(
    tokens: Tokens, lexicon: Lexicon, learned: Mapping[str, Collection[str]] | None = None
) -> Evidence:
    """Look up and weight every sentence of both sides; `learned` adds ZH word → EN keys."""
    learned = learned or {}
    learned_en = {key for keys in learned.values() for key in keys}
    lemma_ids: dict[str, int] = {}
    en_sets: list[frozenset[int]] = []
    en_eligible: list[frozenset[int]] = []
    for keys in tokens.en:
        items: set[int] = set()
        eligible: set[int] = set()
        for key in keys:
            is_lemma = _is_lemma(key)
            counts = not is_lemma or key in learned_en or bool(lexicon.zh_for_en(key))
            if is_lemma and not counts:
                continue
            key_id = lemma_ids.setdefault(key, len(lemma_ids))
            items.add(key_id)
            if counts and not key.startswith("py:"):
                eligible.add(key_id)
        en_sets.append(frozenset(items))
        en_eligible.append(frozenset(eligible))

    zh_ids: dict[str, int] = {}
    zh_translations: list[frozenset[int]] = []  # by ZH word id, restricted to this document
    zh_eligible_ids: set[int] = set()
    zh_sets: list[frozenset[int]] = []
    for words in tokens.zh:
        word_set: set[int] = set()
        for word in words:
            word_id = zh_ids.get(word)
            if word_id is None:
                found, counts = _zh_translations(word, lexicon)
                extra = learned.get(word)
                if extra:
                    found |= set(extra)
                    counts = True
                known = frozenset(lemma_ids[k] for k in found if k in lemma_ids)
                if not known and not counts:
                    continue
                word_id = zh_ids[word] = len(zh_translations)
                zh_translations.append(known)
                if counts:
                    zh_eligible_ids.add(word_id)
            word_set.add(word_id)
        zh_sets.append(frozenset(word_set))

    en_weights = _idf(en_sets, len(lemma_ids))
    zh_weights = _idf(zh_sets, len(zh_translations))
    translations = _incidence(zh_translations, len(lemma_ids))
    zh_items = _incidence(zh_sets, len(zh_translations))
    en_items = _incidence(en_sets, len(lemma_ids))
    en_side = Side(
        items=en_items,
        weight=np.array([sum(en_weights[t] for t in e) for e in en_eligible], dtype=np.float64),
        length=tokens.en_length,
        punct=tokens.en_punct,
        inside=tokens.en_inside,
    )
    zh_side = Side(
        items=zh_items,
        weight=np.array(
            [sum(zh_weights[k] for k in z if k in zh_eligible_ids) for z in zh_sets],
            dtype=np.float64,
        ),
        length=tokens.zh_length,
        punct=tokens.zh_punct,
        inside=tokens.zh_inside,
    )
    return Evidence(en_side, zh_side, en_weights, zh_weights, translations)


def _is_lemma(key: str) -> bool:
    return not key.startswith(("#", "py:"))


def _en_keys(sentence: str, lexicon: Lexicon) -> list[str]:
    """Lemmas of the content words, numbers as `#123`, capitalised words also as `py:` keys."""
    keys: list[str] = []
    words = [m.group() for m in _EN_TOKEN.finditer(sentence)]
    for index, word in enumerate(words):
        if word[0].isdigit():
            keys.append("#" + word.replace(",", ""))
            continue
        lower = word.lower()
        if lower in _EN_STOP:
            continue
        keys.append(lexicon.en_lemma(word))
        if word[0].isupper():
            # A capitalised word may be a romanised Chinese name: match it on pinyin.
            keys.append("py:" + regex.sub(r"[^a-z]", "", lower))
            if index + 1 < len(words) and words[index + 1][0].isupper():
                pair = lower + words[index + 1].lower()
                keys.append("py:" + regex.sub(r"[^a-z]", "", pair))
    return keys


def _zh_words(token: str, lexicon: Lexicon) -> list[str]:
    """A jieba token, or its longest dictionary words when the token itself is unknown."""
    if not _HAN.search(token) or len(token) == 1 or lexicon.glosses(token):
        return [token]
    words = [token]  # the whole token still carries its pinyin as a possible name
    start = 0
    while start < len(token):
        for end in range(min(len(token), start + 4), start, -1):
            piece = token[start:end]
            if end - start > 1 and lexicon.glosses(piece):
                words.append(piece)
                start = end
                break
        else:
            start += 1
    return words


def _zh_translations(word: str, lexicon: Lexicon) -> tuple[set[str], bool]:
    """The EN keys a ZH word can match, and whether a missing match is evidence against."""
    if _DIGITS.match(word):
        return {"#" + word.replace(",", "")}, True
    if not _HAN.search(word):
        if _LATIN.search(word):
            return {lexicon.en_lemma(word), "py:" + word.lower()}, True
        return set(), False
    keys = set(lexicon.gloss_lemmas(word))
    eligible = bool(keys)
    if 2 <= len(word) <= 4:
        syllables = [_syllable(char, lexicon) for char in word]
        if all(syllables):
            keys.add("py:" + "".join(syllables))
            if len(word) == 3:
                keys.add("py:" + syllables[0])
                keys.add("py:" + "".join(syllables[1:]))
    return keys, eligible


def _syllable(char: str, lexicon: Lexicon) -> str:
    syllable = _SYLLABLES.get(char)
    if syllable is None:
        readings = lexicon.pinyin(char)
        syllable = _PINYIN_TONE.sub("", readings[0]).lower().replace("u:", "u") if readings else ""
        _SYLLABLES[char] = syllable
    return syllable


# First CC-CEDICT reading of a character, toneless; bounded by the size of the Han script.
_SYLLABLES: dict[str, str] = {}


def _idf(sets: list[frozenset[int]], size: int) -> np.ndarray:
    counts = np.zeros(size, dtype=np.float64)
    for items in sets:
        for item in items:
            counts[item] += 1
    n = max(len(sets), 1)
    return np.log1p(n / np.maximum(counts, 1.0)) if size else counts


def _length(sentence: str) -> float:
    return float(len(_NON_SPACE.findall(sentence)))


def _punct(sentences: Sequence[str], kinds: tuple[regex.Pattern[str], ...]) -> np.ndarray:
    counts = np.zeros((len(sentences), len(kinds)), dtype=np.float64)
    for row, sentence in enumerate(sentences):
        for column, pattern in enumerate(kinds):
            counts[row, column] = len(pattern.findall(sentence))
    return counts


def _inside(sentences: Sequence[str], pattern: regex.Pattern[str]) -> np.ndarray:
    """Per sentence, 1.0 when its last quotation mark opens (no nesting: a mark sets the state)."""
    state = 0.0
    out = np.zeros(len(sentences), dtype=np.float64)
    for row, sentence in enumerate(sentences):
        for match in pattern.finditer(sentence):
            state = 1.0 if match.group("open") else 0.0
        out[row] = state
    return out
