"""Sentence and paragraph splitting on real EN / ZH text, including the hard cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from review.segment import split_paragraphs, split_sentences

EN_CASES = [
    (
        "Dr. Smith went to the U.S. in 2019. He paid 3.5 dollars, e.g. a lot.",
        ["Dr. Smith went to the U.S. in 2019.", "He paid 3.5 dollars, e.g. a lot."],
    ),
    (
        "See https://example.com/a.b?x=1. Mail me at john.doe@example.com. Thanks!",
        ["See https://example.com/a.b?x=1.", "Mail me at john.doe@example.com.", "Thanks!"],
    ),
    (
        "Visit www.cpec.gov.pk/projects.html for details. It lists 3.14 billion dollars.",
        ["Visit www.cpec.gov.pk/projects.html for details.", "It lists 3.14 billion dollars."],
    ),
    (
        "Recently, the 3rd round of the “Infodor Media Salon” was held on 20th December 2023, "
        "in Islamabad, Pakistan. The event commenced with an overview of CPEC’s progress.",
        [
            "Recently, the 3rd round of the “Infodor Media Salon” was held on 20th December "
            "2023, in Islamabad, Pakistan.",
            "The event commenced with an overview of CPEC’s progress.",
        ],
    ),
    (
        'Mr. Li said "ok." Then he left at 5 p.m. She arrived at 6 p.m. on Jan. 5.',
        ['Mr. Li said "ok."', "Then he left at 5 p.m.", "She arrived at 6 p.m. on Jan. 5."],
    ),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    (
        "One paragraph.\n\nSecond paragraph without a stop",
        ["One paragraph.", "Second paragraph without a stop"],
    ),
    ("Line one.\r\n\r\nLine two.", ["Line one.", "Line two."]),
    (
        "The port of Gwadar\nopened in 2016. It is deep\n  and wide.",
        ["The port of Gwadar opened in 2016.", "It is deep and wide."],
    ),
    (
        "Heading without a stop\nThe port opened in 2016.",
        ["Heading without a stop", "The port opened in 2016."],
    ),
    ("   ", []),
    ("", []),
    ("No full stop at all", ["No full stop at all"]),
]

ZH_CASES = [
    ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
    ("她问：「你来吗？」我说：『来！』", ["她问：「你来吗？」", "我说：『来！』"]),
    (
        "价格上涨了3.5%。随后回落（见图1。）接着稳定。",
        ["价格上涨了3.5%。", "随后回落（见图1。）", "接着稳定。"],
    ),
    ("他犹豫了……最后还是去了。", ["他犹豫了……", "最后还是去了。"]),
    ("第一，提高效率；第二，降低成本。", ["第一，提高效率；", "第二，降低成本。"]),
    ("真的吗?是的!我们走吧。", ["真的吗?", "是的!", "我们走吧。"]),
    (
        "请访问 https://example.com/a?b=1 了解详情。谢谢！",
        ["请访问 https://example.com/a?b=1 了解详情。", "谢谢！"],
    ),
    ("投资增长了2.5倍。", ["投资增长了2.5倍。"]),
    ("他们来了.然后走了。", ["他们来了.", "然后走了。"]),
    (
        "汉密尔顿监督他的同事们 . 柏格林推出了新曲 .",
        ["汉密尔顿监督他的同事们 .", "柏格林推出了新曲 ."],
    ),
    ("真的吗? 是的! 走吧", ["真的吗?", "是的!", "走吧"]),
    ("版本2.0发布了。", ["版本2.0发布了。"]),
    ("他说Hello! Nice to meet you.", ["他说Hello! Nice to meet you."]),
    (
        "一份新闻稿称,来自中国信息和通信技术行业公司的代表出席了会议,包括中国移动巴基斯坦公司、"
        "华为、Sunwalk。一份新闻稿称,其他参与者包括来自中华人民共和国大使馆的高级代表。",
        [
            "一份新闻稿称,来自中国信息和通信技术行业公司的代表出席了会议,包括中国移动巴基斯坦公司、"
            "华为、Sunwalk。",
            "一份新闻稿称,其他参与者包括来自中华人民共和国大使馆的高级代表。",
        ],
    ),
    (
        "( 注意: 本文章有百度翻译的, 很可能有差异。 请参考原版英文的。 谢谢",
        ["( 注意: 本文章有百度翻译的, 很可能有差异。", "请参考原版英文的。", "谢谢"],
    ),
    ("没有句号的标题", ["没有句号的标题"]),
    (
        "港口于2016年\n开放。很深，\n  适合 Post-Panamax\n船舶。",
        ["港口于2016年开放。", "很深，适合 Post-Panamax 船舶。"],
    ),
    ("《经济日报》报道。", ["《经济日报》报道。"]),
]

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(("text", "expected"), EN_CASES)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), ZH_CASES)
def test_chinese_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "zh") == expected


_WS = regex.compile(r"\s+")

_PIECES = [
    *"abcXYZ .,!?;:\"'()\n\t0123.@/",
    *"中文好。！？；…“”’」』）（《》，、",
    "https://",
    "Dr.",
    "e.g.",
    " U.S. ",
    "a@b.cn",
]
_MIXED = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_MIXED, lang=st.sampled_from(["en", "zh"]))
def test_sentences_keep_every_character(text: str, lang: str) -> None:
    sentences = split_sentences(text, lang)  # type: ignore[arg-type]
    assert all(s and s == s.strip() for s in sentences)
    assert _WS.sub("", "".join(sentences)) == _WS.sub("", text)


def test_paragraphs_with_line_offsets() -> None:
    text = "Title 标题\n\nFirst line\nsecond line\n\n\n  \n一段中文。\r\nmore\n"
    assert split_paragraphs(text) == [
        (1, "Title 标题"),
        (3, "First line\nsecond line"),
        (8, "一段中文。\nmore"),
    ]


def test_paragraphs_crlf_and_empty() -> None:
    assert split_paragraphs("a\r\n\r\nb") == [(1, "a"), (3, "b")]
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n") == []


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab 中\n\r\t")), max_size=80))
def test_paragraphs_keep_every_character(text: str) -> None:
    paragraphs = split_paragraphs(text)
    assert all(p.strip() == p and p for _, p in paragraphs)
    assert _WS.sub("", "".join(p for _, p in paragraphs)) == _WS.sub("", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for start, paragraph in paragraphs:
        assert lines[start - 1].strip() == paragraph.split("\n")[0].strip()


SEED_EN = (
    "Recently, the 3rd round of the “Infodor Media Salon” this time on China-Pak Economic "
    "Corridor (CPEC) ICT projects was held at the office of the All-Pakistan Chinese Enterprises’ "
    "Association (APCEA), on 20th December 2023, in Islamabad, Pakistan. The event commenced "
    "with an overview of CPEC’s progress, the contributions of all stakeholders, and perspectives "
    "on Pak-China relations. Dr. Li met Prof. Khan at 5 p.m. in the U.S. embassy, e.g. the one "
    "at www.example.gov/pk. The session was attended by representatives from Chinese ICT "
    "sector companies including China Mobile Pakistan (CM Pak) Zong, Huawei, Sunwalk, said a "
    "news release. Mail info@example.org. Thanks to China for facilitating Pakistan’s "
    "developments. "
)


def test_long_text_splits_as_its_repeated_parts() -> None:
    """Long input is split in one pass with the same sentences as each of its copies."""
    assert split_sentences(SEED_EN * 8, "en") == split_sentences(SEED_EN, "en") * 8


def _hard_cases() -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for line in (DATA / "segmentation_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, lang, text, expected = line.split("\t")
        rows.append((kind, lang, text, expected.split(" ‖ ")))
    return rows


@pytest.mark.parametrize(("kind", "lang", "text", "expected"), _hard_cases())
def test_hard_cases_of_the_segmentation_table(
    kind: str, lang: str, text: str, expected: list[str]
) -> None:
    """Abbreviations, initials, quotes, decimals, URLs, ellipses, Chinese quotes and brackets."""
    assert split_sentences(text, "en" if lang == "en" else "zh") == expected, kind
