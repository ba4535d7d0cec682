"""The shared text helpers' quick forms give what the plain computations give, on real text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.checks._text import HAN_RUN, han_tokens, zh_substrings, zh_tokens
from review.lexicon import get_lexicon

_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
_ZH = st.text(
    alphabet=st.sampled_from([*"中国人民哈尔滨的了张成泽，。 TUS恤-2", "𠀀", "㐀"]), max_size=40
)


def _sample_chinese() -> list[str]:
    """The Chinese of the bundled samples (MLQE-PE machine output among them) and seed article."""
    texts = []
    for name in ("mlqe-enzh-sample.tsv", "sample.tsv"):
        with open(_CORPUS / name, encoding="utf-8", newline="") as handle:
            texts += [row[1] for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    texts += (_CORPUS / "science-and-technology-catalyst.txt").read_text("utf-8").splitlines()
    chinese = [text for text in texts if HAN_RUN.search(text)]
    assert len(chinese) > 200
    return chinese


def _plain_substrings(text: str, longest: int = 6) -> list[str]:
    return [
        run[i : i + size]
        for run in HAN_RUN.findall(text)
        for size in range(1, min(len(run), longest) + 1)
        for i in range(len(run) - size + 1)
    ]


def _check_substrings(text: str) -> None:
    for longest in (6, 2, 1):
        found = zh_substrings.__wrapped__(text, longest)
        plain = _plain_substrings(text, longest)
        assert found == frozenset(plain)
        # Built in the same order, so a set built from them iterates the same way too.
        assert list(found) == list(frozenset(plain))


@pytest.mark.parametrize("text", _sample_chinese())
def test_substrings_are_every_short_piece_of_the_han_runs(text: str) -> None:
    _check_substrings(text)


@settings(max_examples=300)
@given(_ZH)
def test_substrings_of_any_text(text: str) -> None:
    _check_substrings(text)


@settings(max_examples=200, deadline=None)  # the first example loads jieba
@given(_ZH)
def test_han_flags_say_whether_each_token_is_all_han(text: str) -> None:
    lexicon = get_lexicon()
    flags = han_tokens.__wrapped__(lexicon, text)
    plain = tuple(HAN_RUN.fullmatch(t.text) is not None for t in zh_tokens(lexicon, text))
    assert flags == plain
    # Asked again (every word now remembered), the same answer.
    assert han_tokens.__wrapped__(lexicon, text) == plain
