"""The fast segmenter must give jieba's tokens exactly: every check's features depend on them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.lexicon import (
    FastJieba,
    _make_tokenizer,
    _stem,
    get_lexicon,
    jieba_frequencies,
)

_DATA = Path(__file__).parent.parent / "data" / "zh_segmentation.txt"
_LINES = [
    line
    for line in _DATA.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
# Han characters inside and outside jieba's range, Latin letters, digits and the punctuation
# jieba keeps in a block (._%#&+-) or passes through (spaces, full-width marks, CR LF).
_ALPHABET = (
    "的一是不了在人有我他这中大来上国个到说们为和你地出道也时年得就那要下以生会着去之过家学对"
    "阿兰索恩偶尔桑德拉华为新闻稿北京大学读书查韦斯卡洛斯豺狼"
    "ABCSTUNabcxyz0123456789.-_%#&+ ,，。!?（）()“”\"'\n\t\r　〇㐀鿖"
)


@pytest.fixture(scope="module")
def reference() -> Any:
    """jieba's own default tokenizer."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


@pytest.fixture(scope="module")
def fast() -> FastJieba:
    tokenizer = _make_tokenizer(())
    assert isinstance(tokenizer, FastJieba)
    return tokenizer


def test_frequencies_equal_jiebas(reference: Any) -> None:
    freq, total = jieba_frequencies()
    assert total == reference.total
    assert freq == {word: count for word, count in reference.FREQ.items() if count}


@pytest.mark.parametrize("hmm", [True, False])
def test_real_sentences_segment_as_jieba_does(reference: Any, fast: FastJieba, hmm: bool) -> None:
    assert len(_LINES) > 100
    for line in _LINES:
        assert fast.tokenize(line, HMM=hmm) == list(reference.tokenize(line, HMM=hmm)), line


def test_latin_runs_are_split_as_jiebas_hmm_splits_them(fast: FastJieba) -> None:
    # jieba-rs alone keeps "U.S" and "InterCasino.com" whole; jieba splits them.
    words = [w for w, _, _ in fast.tokenize("该游戏于2009年在InterCasino.com和U.S.首发。")]
    assert words[words.index("InterCasino") : words.index("InterCasino") + 3] == [
        "InterCasino",
        ".",
        "com",
    ]
    assert "U.S" not in words


@pytest.mark.parametrize(
    "text",
    [
        "汉密尔顿在乔治 · 华盛顿的选任统治下监督他的同事们.",  # jieba-rs cuts it whole
        "阿兰索恩偶尔会把袋子塞回来",
        # Han characters outside jieba's block: jieba-rs would join them ("鿖鿖", "_鿖").
        "_鿖",
        "鿖鿖的",
        "㐀㐀说",
    ],
)
def test_texts_without_latin_segment_as_jieba_does(
    reference: Any, fast: FastJieba, text: str
) -> None:
    assert fast.tokenize(text) == list(reference.tokenize(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.booleans())
def test_any_text_segments_as_jieba_does(
    reference: Any, fast: FastJieba, text: str, hmm: bool
) -> None:
    assert fast.tokenize(text, HMM=hmm) == list(reference.tokenize(text, HMM=hmm))


def test_lexicon_uses_the_fast_segmenter() -> None:
    tokens = get_lexicon().zh_tokens("阿兰索恩偶尔会把袋子塞回来")
    assert [t.text for t in tokens][:2] == ["阿兰", "索恩"]
    assert isinstance(get_lexicon()._jieba(), FastJieba)


def test_seeded_lemmas_are_the_stemmers() -> None:
    import review.lexicon as lexicon_module

    get_lexicon()
    seeded = list(lexicon_module._LEMMAS.items())
    assert len(seeded) > 50_000  # every word of the dictionary's glosses
    for word, lemma in seeded[:: len(seeded) // 500]:
        assert _stem(word) == lemma, word
