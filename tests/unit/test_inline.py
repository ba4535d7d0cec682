"""Inline codes as visible placeholders: shown, read back, checked in a reviewer's correction."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.ingest import read_source
from review.ingest.xliff import KEY_PROP, read_xliff
from review.inline import (
    PLACEHOLDER,
    Role,
    TagView,
    TooManyCodes,
    add_code,
    code_xml,
    is_token,
    restore,
)
from review.model import Block, InlineCode, Pair, Severity

DATA = Path(__file__).parent.parent / "data"
TMX = DATA / "ingest" / "inline-codes.tmx"
XLIFF_12 = DATA / "xliff" / "review-1.2.xlf"
XLIFF_20 = DATA / "xliff" / "review-2.0.xlf"


def blocks() -> list[Block]:
    return [
        *read_source(TMX).blocks,
        *read_xliff(XLIFF_12).blocks,
        *read_xliff(XLIFF_20).blocks,
    ]


def segment(path: Path, key: str) -> Block:
    return next(b for b in read_xliff(path).blocks if dict(b.props)[KEY_PROP] == key)


def view_of(block: Block) -> TagView:
    return TagView.of(block.inline, block.en, block.zh)


def test_tmx_codes_show_as_numbered_pairs_and_standalone_placeholders() -> None:
    shown = [(view_of(b).show(b.en), view_of(b).show(b.zh)) for b in read_source(TMX).blocks]
    assert shown == [
        ("Click ⟨1⟩Save⟨/1⟩ or press ⟨x2/⟩& wait.", "单击⟨1⟩保存⟨/1⟩或按⟨x2/⟩并等待。"),
        # <it pos="begin">, <hi> (matched by order: it has no x), <bpt>…<ept> holding a <sub>
        ("See ⟨1⟩Annex 2, ⟨x2/⟩ and ⟨3⟩1⟨/3⟩.", "见⟨1⟩附件2、⟨x2/⟩和⟨3⟩1⟨/3⟩。"),
    ]


def test_tags_tell_people_what_code_they_stand_for() -> None:
    view = view_of(read_source(TMX).blocks[1])
    described = {tag.label: (tag.role, tag.native) for tag in view.tags.values()}
    assert described == {
        "⟨1⟩": (Role.OPEN, "<i>"),
        "⟨x2/⟩": (Role.SOLO, "中巴经济走廊"),  # the ZH side's, read last
        "⟨3⟩": (Role.OPEN, '<a href="#fn">脚注文本'),
        "⟨/3⟩": (Role.CLOSE, "</a>"),
    }
    xliff = view_of(segment(XLIFF_12, "help/save.html#2"))
    assert {t.label: t.native for t in xliff.tags.values()}["⟨x4/⟩"] == '<ph id="4">{year}</ph>'


def test_no_invisible_character_is_ever_shown() -> None:
    for block in blocks():
        view = view_of(block)
        for text in (block.en, block.zh):
            shown = view.show(text)
            assert not any(is_token(char) for char in shown), shown
            assert len(PLACEHOLDER.findall(shown)) == sum(c in view.tags for c in text)


def test_shown_text_reads_back_to_the_same_tokens() -> None:
    for block in blocks():
        view = view_of(block)
        assert view.read(view.show(block.zh)) == block.zh
        # the target's own token wins for a label both sides have: the same code either way
        assert view.show(view.read(view.show(block.en))) == view.show(block.en)


def test_a_tag_copied_from_the_english_reads_as_the_english_code() -> None:
    block = segment(XLIFF_12, "help/save.html#7")  # untranslated: no target, no target codes
    assert view_of(block).read("发表回复") == "发表回复"
    coded = segment(XLIFF_12, "help/save.html#1")
    view = TagView.of(coded.inline, coded.en, "")  # as if the target were empty
    assert view.read("点击⟨1⟩保存⟨/1⟩。⟨x2/⟩") == "点击\ue000保存\ue001。\ue002"


TEXTS = st.text(st.sampled_from("ab 中文。⟨⟩/x1"), max_size=6)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_mix_of_text_and_codes_survives_show_and_read(data: st.DataObject) -> None:
    block = data.draw(st.sampled_from(blocks()))
    view = view_of(block)
    tokens = [c for c in block.zh + block.en if c in view.tags]
    if not tokens:
        return
    picked = data.draw(st.lists(st.sampled_from(tokens), max_size=8))
    words = data.draw(st.lists(TEXTS, min_size=len(picked) + 1, max_size=len(picked) + 1))
    text = words[0] + "".join(t + w for t, w in zip(picked, words[1:], strict=True))
    # a reviewer's literal "⟨1⟩" cannot be told from the tag; everything else must survive
    if any(PLACEHOLDER.search(w) for w in words) or any(
        PLACEHOLDER.search(a + b) for a, b in itertools.pairwise(words)
    ):
        return
    restored = view.read(view.show(text))
    shown_again = view.show(restored)
    assert shown_again == view.show(text)
    assert [view.tags[c].label for c in restored if c in view.tags] == [
        view.tags[c].label for c in picked
    ]


def test_finding_spans_map_into_the_shown_text() -> None:
    block = segment(XLIFF_12, "help/save.html#2")
    view = view_of(block)
    start = block.zh.index("3000")
    shown = view.show(block.zh)
    s, e = view.shown_span(block.zh, (start, start + 4))
    assert shown[s:e] == "3000"
    s, e = view.shown_span(block.zh, (0, len(block.zh)))
    assert (s, e) == (0, len(shown))


# --- the tag check -------------------------------------------------------------------------

INTACT = "约有⟨1⟩⟨2⟩3万⟨/2⟩名学生⟨/1⟩⟨3⟩每⟨x4/⟩年在这里学习 & 更多。"
CHECKS = [
    ("intact", INTACT, []),
    ("words-moved-tags-kept", "⟨1⟩⟨2⟩3万⟨/2⟩名学生⟨/1⟩⟨3⟩每⟨x4/⟩年都在这里学习。", []),
    (
        "dropped",
        INTACT.replace("⟨x4/⟩", ""),
        [("tag-missing", Severity.MAJOR, "tag ⟨x4/⟩ of the English is missing", None)],
    ),
    (
        "duplicated",
        INTACT.replace("每⟨x4/⟩", "每⟨x4/⟩⟨x4/⟩"),
        [("tag-extra", Severity.MAJOR, "tag ⟨x4/⟩ appears more often", "⟨x4/⟩")],
    ),
    (
        "unknown",
        INTACT + "⟨7⟩",
        [("tag-extra", Severity.MAJOR, "⟨7⟩ is not a tag of this segment", "⟨7⟩")],
    ),
    (
        "overlapping",
        "约有⟨1⟩⟨2⟩3万⟨/1⟩名学生⟨/2⟩⟨3⟩每⟨x4/⟩年在这里学习 & 更多。",
        [
            ("tag-order", Severity.MAJOR, "tag ⟨/1⟩ overlaps ⟨2⟩: pairs must nest", "⟨/1⟩"),
            ("tag-order", Severity.MINOR, "tag ⟨/1⟩ has moved: the original had ⟨/2⟩", "⟨/1⟩"),
        ],
    ),
    (
        "closed-first",
        "约有⟨/2⟩⟨1⟩3万⟨2⟩名学生⟨/1⟩⟨3⟩每⟨x4/⟩年。",
        [
            ("tag-order", Severity.MAJOR, "tag ⟨/2⟩ closes before ⟨2⟩ opens", "⟨/2⟩"),
            ("tag-order", Severity.MINOR, "tag ⟨/2⟩ has moved: the original had ⟨1⟩", "⟨/2⟩"),
        ],
    ),
    (
        "standalone-moved",
        "约有⟨1⟩⟨2⟩3万⟨/2⟩名学生⟨/1⟩⟨x4/⟩⟨3⟩每年在这里学习。",
        [("tag-order", Severity.MINOR, "tag ⟨x4/⟩ has moved: the original had ⟨3⟩", "⟨x4/⟩")],
    ),
]


@pytest.mark.parametrize(("name", "typed", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_a_correction_that_drops_duplicates_or_reorders_a_tag_is_flagged(
    name: str, typed: str, expected: list[tuple[str, Severity, str, str | None]]
) -> None:
    block = segment(XLIFF_12, "help/save.html#2")
    findings = view_of(block).check(typed)
    assert len(findings) == len(expected), findings
    for finding, (code, severity, message, at) in zip(findings, expected, strict=True):
        assert (finding.code, finding.severity) == (code, severity)
        assert finding.message.startswith(message), finding.message
        if at is not None:
            assert finding.zh_span is not None
            assert typed[finding.zh_span[0] : finding.zh_span[1]] == at


def test_a_missing_tag_points_at_it_in_the_english() -> None:
    block = segment(XLIFF_12, "help/save.html#2")
    view = view_of(block)
    [finding] = view.check(INTACT.replace("⟨x4/⟩", ""))
    assert finding.en_span is not None
    assert view.show(block.en)[finding.en_span[0] : finding.en_span[1]] == "⟨x4/⟩"


def test_moving_a_whole_pair_is_allowed_but_asked_about() -> None:
    """Chinese word order may move a tagged phrase: a minor finding to confirm, not an error."""
    block = segment(XLIFF_20, "f1#u2#s1")
    findings = view_of(block).check("你好，⟨1⟩世界⟨/1⟩，和⟨3⟩这个⟨/3⟩参见⟨2⟩XLIFF⟨/2⟩。")
    assert [(f.code, f.severity) for f in findings] == [("tag-order", Severity.MINOR)]


def test_a_tag_the_target_had_beyond_the_english_is_not_an_extra() -> None:
    codes = (
        InlineCode("\ue000", '<ph x="1">&lt;br/&gt;</ph>'),
        InlineCode("\ue001", '<ph x="2">&lt;nbsp/&gt;</ph>'),
    )
    view = TagView.of(codes, "Line\ue000break", "换\ue001行\ue000")
    assert view.show("换\ue001行\ue000") == "换⟨x2/⟩行⟨x1/⟩"
    assert view.check("换⟨x2/⟩行⟨x1/⟩") == ()
    assert [f.code for f in view.check("换行⟨x1/⟩⟨x1/⟩")] == ["tag-extra"]


def test_a_pair_without_codes_shows_and_checks_as_plain_text() -> None:
    pair = Pair(id="p", doc_id="d", en="Hello ⟨1⟩ world", zh="你好世界")
    view = TagView.for_pair(pair)
    assert view.show(pair.zh) == "你好世界"
    assert view.read("你好⟨1⟩世界") == "你好⟨1⟩世界"
    assert [f.code for f in view.check("你好⟨1⟩世界")] == ["tag-extra"]


# --- tokens --------------------------------------------------------------------------------


def test_tokens_are_private_use_characters_numbered_per_unit() -> None:
    codes: list[InlineCode] = []
    first = add_code(codes, code_xml("ph", "`npm i`", x=1))
    second = add_code(codes, code_xml("bpt", "<b>", i=2))
    assert (first, second) == ("\ue000", "\ue001")
    assert codes[1].xml == '<bpt i="2">&lt;b&gt;</bpt>'
    assert codes[0].xml == '<ph x="1">`npm i`</ph>'
    assert restore(f"run {first} now", codes) == 'run <ph x="1">`npm i`</ph> now'


def test_a_unit_with_more_codes_than_private_use_characters_is_refused() -> None:
    codes: list[InlineCode] = []
    for _ in range(6400):
        add_code(codes, "<ph/>")
    assert codes[-1].token == "\uf8ff"
    with pytest.raises(TooManyCodes):
        add_code(codes, "<ph/>")
