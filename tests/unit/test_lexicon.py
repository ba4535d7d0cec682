"""CC-CEDICT lexicon: real entries both ways, glossaries, jieba offsets and the compiled cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.errors import InputError
from review.lexicon import (
    Glossary,
    GlossaryEntry,
    Lexicon,
    ZhToken,
    get_lexicon,
    load_glossary,
    load_lexicon,
)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return get_lexicon()


@pytest.mark.parametrize(
    ("zh", "gloss"),
    [
        ("银行", "bank"),
        ("銀行", "bank"),  # traditional headword
        ("新闻稿", "press release"),
        ("华为", "Huawei (brand)"),
        ("华為", None),  # mixed forms are no headword
    ],
)
def test_glosses_of_real_entries(lexicon: Lexicon, zh: str, gloss: str | None) -> None:
    if gloss is None:
        assert lexicon.glosses(zh) == ()
    else:
        assert gloss in lexicon.glosses(zh)


def test_every_reading_of_a_headword_is_kept(lexicon: Lexicon) -> None:
    assert {"hang2", "xing2"} <= set(lexicon.pinyin("行"))
    glosses = lexicon.glosses("行")
    assert "row" in glosses  # hang2
    assert "to walk" in glosses  # xing2


def test_classifier_notes_are_not_glosses(lexicon: Lexicon) -> None:
    assert not any(g.startswith("CL:") for g in lexicon.glosses("银行"))


@pytest.mark.parametrize(
    ("zh", "proper"),
    [
        ("华为", "Huawei"),
        ("華為", "Huawei"),
        ("张成泽", "Jang Song-taek"),
        ("北京", "Beijing"),
        ("王", "Wang"),  # surname reading
    ],
)
def test_proper_glosses_name_the_entity(lexicon: Lexicon, zh: str, proper: str) -> None:
    assert proper in lexicon.proper_glosses(zh)


@pytest.mark.parametrize("zh", ["银行", "手机", "发布"])
def test_common_words_have_no_proper_gloss(lexicon: Lexicon, zh: str) -> None:
    assert lexicon.proper_glosses(zh) == ()


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("banks", "bank"), ("Running", "run"), ("said", "say"), ("went", "go"), ("bank's", "bank")],
)
def test_en_lemma(lexicon: Lexicon, word: str, lemma: str) -> None:
    assert lexicon.en_lemma(word) == lemma


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("bank", "银行"),
        ("banks", "银行"),
        ("say", "说"),
        ("said", "说"),
        ("salon", "沙龙"),
        ("Huawei", "华为"),
        ("walk", "行"),
        ("telephones", "电话"),
    ],
)
def test_zh_for_en_finds_the_translation(lexicon: Lexicon, en: str, zh: str) -> None:
    assert zh in lexicon.zh_for_en(lexicon.en_lemma(en))


@pytest.mark.parametrize(
    ("zh", "lemmas"),
    [
        ("银行", {"bank"}),
        ("说", {"say", "speak", "talk"}),
        ("华为", {"huawei"}),
        ("王", {"wang", "king"}),
    ],
)
def test_gloss_lemmas_invert_zh_for_en(lexicon: Lexicon, zh: str, lemmas: set[str]) -> None:
    assert lemmas <= lexicon.gloss_lemmas(zh)
    for lemma in lemmas:
        assert zh in lexicon.zh_for_en(lemma)


def test_zh_for_en_of_unknown_or_function_words_is_empty(lexicon: Lexicon) -> None:
    assert lexicon.zh_for_en("qwxzv") == frozenset()
    assert lexicon.zh_for_en(lexicon.en_lemma("the")) == frozenset()


@pytest.mark.parametrize(
    "word",
    ["bank", "Banks", "healthcare", "Biotechnology", "hamilton", "Zong", "xqzvbn", "the", "CM"],
)
def test_has_translation_answers_as_zh_for_word(lexicon: Lexicon, word: str) -> None:
    # "healthcare" only through its parts ("health care"); "xqzvbn" and "Zong" not at all.
    assert lexicon.has_translation(word) == bool(lexicon.zh_for_word(word))


def test_proper_headwords_are_the_words_with_proper_glosses(lexicon: Lexicon) -> None:
    assert {"华为", "北京", "张成泽"} <= lexicon.proper_headwords
    assert not {"银行", "技术", "的"} & lexicon.proper_headwords
    sample = list(lexicon.headwords)[::97]
    assert [w for w in sample if lexicon.proper_glosses(w)] == [
        w for w in sample if w in lexicon.proper_headwords
    ]


def test_gloss_word_lemmas_are_the_lemmas_field_of_a_glossed_word(lexicon: Lexicon) -> None:
    assert {"bank"} <= (lexicon.gloss_word_lemmas("银行") or set())
    assert lexicon.gloss_word_lemmas("不是词的词") is None
    for word in list(lexicon.headwords)[::41]:
        _, glosses, _, _, lemmas = lexicon._fields(word)
        expected = (frozenset(lemmas.split("\x1e")) if lemmas else frozenset()) if glosses else None
        assert lexicon.gloss_word_lemmas(word) == expected, word


def test_proper_heads_are_the_first_two_characters_of_the_names(lexicon: Lexicon) -> None:
    # Compiled with the dictionary; it must be what the names give now.
    heads = {w[:2] for w in lexicon.proper_headwords if len(w) >= 2}
    assert lexicon.proper_heads == heads
    assert {"华为", "北京", "张成"} <= lexicon.proper_heads and "银行" not in lexicon.proper_heads


def test_en_tokens_give_lemmas_and_offsets(lexicon: Lexicon) -> None:
    text = "The bank’s 3 news releases said so."
    tokens = lexicon.en_tokens(text)
    assert [t[0] for t in tokens] == ["the", "bank", "news", "releas", "say", "so"]
    words = [text[start:end] for _, start, end in tokens]
    assert words == ["The", "bank’s", "news", "releases", "said", "so"]


def test_zh_tokens_have_code_point_offsets(lexicon: Lexicon) -> None:
    text = "一份新闻稿称，华为在北京 发布了5G手机。"
    tokens = lexicon.zh_tokens(text)
    assert ZhToken("新闻稿", 2, 5) in tokens
    assert ZhToken("华为", 7, 9) in tokens
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert all(t.text.strip() for t in tokens)


def test_zh_tokens_without_hmm_do_not_guess_new_words(lexicon: Lexicon) -> None:
    text = "韦小宝从桌底下瞧出去"
    assert "从桌" in [t.text for t in lexicon.zh_tokens(text)]  # jieba's HMM guesses a word
    tokens = lexicon.zh_tokens(text, hmm=False)
    assert [t.text for t in tokens] == ["韦小宝", "从", "桌", "底下", "瞧", "出去"]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_version_names_the_dictionary_release(lexicon: Lexicon) -> None:
    assert lexicon.version == "cc-cedict-2023-11-07"


def test_glossary_adds_terms_both_ways(lexicon: Lexicon) -> None:
    glossary = Glossary(
        entries=(
            GlossaryEntry("review tool", "审校工具", ("评论工具",)),
            GlossaryEntry("Acme", "阿克米"),
            GlossaryEntry("Meowverse", "喵宇宙"),
        ),
        path="terms.tsv",
    )
    extended = lexicon.with_glossary(glossary)
    assert "review tool" in extended.glosses("审校工具")
    assert "阿克米" in extended.zh_for_en(extended.en_lemma("Acme"))
    assert "审校工具" in extended.zh_for_en(extended.en_lemma("tools"))
    assert "Acme" in extended.proper_glosses("阿克米")
    assert "阿克米" in extended.proper_headwords and "阿克米" not in lexicon.proper_headwords
    # A new name's first two characters join the heads; those already there stay.
    assert extended.proper_heads - lexicon.proper_heads == {"喵宇"}
    assert extended.proper_heads == {w[:2] for w in extended.proper_headwords if len(w) >= 2}
    assert {"review", "tool"} <= extended.gloss_lemmas("审校工具")
    assert "审校工具" in [t.text for t in extended.zh_tokens("这个审校工具很好")]
    # The base lexicon is unchanged.
    assert lexicon.glosses("审校工具") == ()
    assert "bank" in extended.glosses("银行")


def test_load_glossary_reads_tsv(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text("en\tzh\tforbidden\nbank\t银行\t岸, 堤\nHuawei\t华为\n\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.path == str(path)
    assert glossary.entries == (
        GlossaryEntry("bank", "银行", ("岸", "堤")),
        GlossaryEntry("Huawei", "华为"),
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [("bank\n", 1), ("en\tzh\nbank\t银行\nsalon\n", 3), ("a\tb\tc\td\n", 1), ("\t银行\n", 1)],
)
def test_bad_glossary_rows_name_the_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_glossary(path)
    assert caught.value.line == line
    assert str(path) in str(caught.value)


def test_missing_glossary_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_glossary(tmp_path / "nope.tsv")


def test_compiled_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_lexicon()
    cached = list((tmp_path / "review").glob("cedict-*.pickle"))
    assert len(cached) == 1
    second = load_lexicon()
    assert second.version == first.version
    assert second.glosses("银行") == first.glosses("银行")
    assert second.zh_for_en("bank") == first.zh_for_en("bank")
    # A corrupt cache is rebuilt, not trusted.
    cached[0].write_bytes(b"not a pickle")
    third = load_lexicon()
    assert third.glosses("银行") == first.glosses("银行")
    assert cached[0].read_bytes() != b"not a pickle"
