"""TMX export contract: DTD-valid, the review kept as props and notes, atomic, and re-importable."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from review.errors import ExportError
from review.export import EXPORTERS, ExportOptions, export, get_exporter, parse_statuses
from review.export.tmx import clean, tmx_bytes, tmx_date
from review.model import Action, InlineCode, Pair, ReviewState, Status
from review.store import ProjectStore
from tests.unit.test_store_fixtures import PAIRS, make_store

DATA = Path(__file__).parent.parent / "data" / "tmx"
DTD = etree.DTD(str(DATA / "tmx14.dtd"))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
P = dict(enumerate(PAIRS, 1))
FIXED = "目前约有3万名巴基斯坦青年在中国各大学学习。"


def parse_valid(data: bytes) -> etree._Element:
    """Parse an export and assert it is valid against the TMX 1.4 DTD."""
    root = etree.fromstring(data)
    assert DTD.validate(root), DTD.error_log
    return root


def tus(root: etree._Element) -> dict[str, etree._Element]:
    return {tu.get("tuid") or "": tu for tu in root.iter("tu")}


def props(tu: etree._Element) -> list[tuple[str, str]]:
    return [(p.get("type") or "", p.text or "") for p in tu.findall("prop")]


def segs(tu: etree._Element) -> dict[str, etree._Element]:
    found = {}
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        assert seg is not None
        found[tuv.get(XML_LANG) or ""] = seg
    return found


def seg_xml(seg: etree._Element) -> str:
    return etree.tostring(seg, encoding="unicode", with_tail=False)


@pytest.fixture
def reviewed(tmp_path: Path) -> ProjectStore:
    store = make_store(tmp_path)
    store.record(P[1].id, Action.ACCEPT, "ana")
    store.record(P[4].id, Action.CORRECT, "ana", {"text": FIXED})
    store.record(P[4].id, Action.COMMENT, "ana", {"text": "数字“30,000”漏译"})
    store.record(P[4].id, Action.MQM, "bo", {"category": "accuracy/omission", "severity": "major"})
    store.record(P[3].id, Action.REJECT, "ana")
    store.record(P[5].id, Action.MARK_MISALIGNED, "ana")
    return store


def test_default_export_is_valid_and_leaves_out_rejected(
    reviewed: ProjectStore, tmp_path: Path
) -> None:
    out = tmp_path / "out.tmx"
    assert export("tmx", reviewed.states(), out, ExportOptions()) == len(PAIRS) - 1
    data = out.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx SYSTEM")
    root = parse_valid(data)
    assert list(tus(root)) == [p.id for p in PAIRS if p.id != P[3].id]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_header(reviewed: ProjectStore) -> None:
    moment = datetime(2026, 11, 29, 7, 5, 9, tzinfo=UTC)
    options = ExportOptions(header_props=(("x-review-signature", "checks=v1|bleu"),))
    data, _ = tmx_bytes(reviewed.states(), options, now=moment)
    root = parse_valid(data)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert dict(header.attrib.items()) == {
        "creationtool": "review",
        "creationtoolversion": "0.1.0",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "en",
        "datatype": "plaintext",
        "o-tmf": "review",
        "creationdate": "20261129T070509Z",
    }
    assert props(header) == [("x-review-signature", "checks=v1|bleu")]


def test_a_corrected_pair_carries_the_whole_review(reviewed: ProjectStore) -> None:
    data, _ = tmx_bytes(reviewed.states(), ExportOptions())
    tu = tus(parse_valid(data))[P[4].id]
    assert segs(tu)["zh-CN"].text == FIXED
    assert segs(tu)["en"].text == P[4].en
    assert props(tu) == [
        ("x-review-status", "corrected"),
        ("x-original-target", "目前约有巴基斯坦青年在中国各大学学习。"),
        ("x-mqm", "accuracy/omission|major"),
    ]
    assert [n.text for n in tu.findall("note")] == ["数字“30,000”漏译"]
    assert tu.get("changeid") == "bo"  # the latest decision on the pair
    changed = reviewed.state(P[4].id).changed_at
    assert changed is not None and tu.get("changedate") == tmx_date(changed)
    assert re.fullmatch(r"\d{8}T\d{6}Z", tu.get("changedate") or "")


def test_pending_and_accepted_pairs(reviewed: ProjectStore) -> None:
    data, _ = tmx_bytes(reviewed.states(), ExportOptions())
    found = tus(parse_valid(data))
    accepted, pending = found[P[1].id], found[P[2].id]
    assert props(accepted) == [("x-review-status", "accepted")]
    assert accepted.get("changeid") == "ana"
    assert props(pending) == [("x-review-status", "pending")]
    assert pending.get("changeid") is None and pending.get("changedate") is None
    assert segs(pending)["zh-CN"].text == "研发计划"
    untranslated = found[P[9].id]
    assert segs(untranslated)["zh-CN"].text is None and segs(untranslated)["en"].text
    source = found[P[6].id]  # the source's own note and prop come through
    assert [n.text for n in source.findall("note")] == ["translator: “人才” chosen over “人力资源”"]
    assert props(source) == [("x-source", "catalyst.txt"), ("x-review-status", "pending")]


@pytest.mark.parametrize(
    ("statuses", "include_rejected", "expected"),
    [
        ("accepted,corrected", False, [1, 4]),
        ("rejected", False, [3]),
        ("accepted", True, [1, 3]),
        ("misaligned,pending", False, [2, 5, 6, 7, 8, 9]),
        (None, True, list(range(1, 10))),
        ("", False, [1, 2, 4, 5, 6, 7, 8, 9]),
    ],
)
def test_status_selection(
    reviewed: ProjectStore, statuses: str | None, include_rejected: bool, expected: list[int]
) -> None:
    options = ExportOptions(parse_statuses(statuses), include_rejected)
    data, count = tmx_bytes(reviewed.states(), options)
    assert list(tus(parse_valid(data))) == [P[n].id for n in expected]
    assert count == len(expected)


def test_inline_codes_are_restored_exactly(reviewed: ProjectStore) -> None:
    data, _ = tmx_bytes(reviewed.states(), ExportOptions())
    tu = tus(parse_valid(data))[P[8].id]
    assert seg_xml(segs(tu)["en"]) == (
        '<seg>Press <bpt i="1" x="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>'
        " to keep — “all” changes…</seg>"
    )
    assert seg_xml(segs(tu)["zh-CN"]) == (
        '<seg>按<bpt i="1" x="1">&lt;b&gt;</bpt>保存<ept i="1">&lt;/b&gt;</ept>'
        "以保留——“所有”更改……</seg>"
    )


def test_codes_the_seg_cannot_hold_become_placeholders(tmp_path: Path) -> None:
    pair = Pair(
        id="x:e1:z1",
        doc_id="x",
        en="\ue000Bold\ue001 and \ue002",
        zh="\ue000粗体\ue001和\ue002",
        inline=(
            InlineCode("\ue000", "<g id='1'>"),  # not XML on its own
            InlineCode("\ue001", "<sub>note</sub>"),  # not allowed directly in <seg>
            InlineCode("\ue002", '<ph x="3">{0}</ph><ph x="4"/>'),  # two codes, one token
        ),
    )
    data, _ = tmx_bytes([ReviewState(pair, 1)], ExportOptions())
    seg = segs(next(iter(tus(parse_valid(data)).values())))["en"]
    assert seg_xml(seg) == (
        "<seg><ph>&lt;g id='1'&gt;</ph>Bold<ph>&lt;sub&gt;note&lt;/sub&gt;</ph> and "
        '<ph x="3">{0}</ph><ph x="4"/></seg>'
    )


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("NUL\x00 here", "NUL here"),
        ("escape \x1b[31mred\x1b[0m", "escape [31mred[0m"),
        ("form\x0cfeed and vertical\x0btab", "formfeed and verticaltab"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("中文\x08退格。", "中文退格。"),
        ("non-characters \ufffe\uffff gone", "non-characters  gone"),
        ("DEL \x7f and NEL \x85 are legal", "DEL \x7f and NEL \x85 are legal"),
    ],
)
def test_xml_illegal_characters_are_stripped(raw: str, kept: str) -> None:
    assert clean(raw) == kept
    pair = Pair(id=f"ctl:{raw}", doc_id="ctl", en=raw, zh=raw, notes=(raw,), props=(("x-p", raw),))
    state = ReviewState(pair, 1, Status.CORRECTED, correction="改" + raw, comments=(raw,))
    data, _ = tmx_bytes([state], ExportOptions())
    tu = next(iter(tus(parse_valid(data)).values()))
    assert tu.get("tuid") == clean(f"ctl:{raw}")
    assert segs(tu)["en"].text == kept and segs(tu)["zh-CN"].text == "改" + kept
    assert [n.text for n in tu.findall("note")] == [kept, kept]
    assert ("x-p", kept) in props(tu) and ("x-original-target", kept) in props(tu)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-TW", "zh", "zh_CN"])
def test_the_chinese_language_tag_is_configurable(reviewed: ProjectStore, lang: str) -> None:
    data, _ = tmx_bytes(reviewed.states(), ExportOptions(zh_lang=lang))
    tu = tus(parse_valid(data))[P[4].id]
    assert list(segs(tu)) == ["en", lang]


@pytest.mark.parametrize("lang", ["", "中文", "zh CN", "x"])
def test_a_bad_language_tag_is_an_error(reviewed: ProjectStore, lang: str) -> None:
    with pytest.raises(ExportError, match="not a language tag"):
        tmx_bytes(reviewed.states(), ExportOptions(zh_lang=lang))


def test_export_is_atomic(reviewed: ProjectStore, tmp_path: Path) -> None:
    out = tmp_path / "old.tmx"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not a language tag"):
        export("tmx", reviewed.states(), out, ExportOptions(zh_lang="??"))
    assert out.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(ExportError, match="does not exist"):
        export("tmx", reviewed.states(), tmp_path / "missing" / "x.tmx", ExportOptions())
    export("tmx", reviewed.states(), out, ExportOptions())
    parse_valid(out.read_bytes())


def test_registry_and_status_parsing() -> None:
    assert "tmx" in EXPORTERS
    from review.export.tmx import export as tmx_export

    assert get_exporter("tmx") is tmx_export
    with pytest.raises(ExportError, match="unknown export format 'xliff'"):
        get_exporter("xliff")
    assert parse_statuses(" Accepted, corrected ,") == {Status.ACCEPTED, Status.CORRECTED}
    assert parse_statuses(None) is None
    with pytest.raises(ExportError, match="unknown status 'done'"):
        parse_statuses("accepted,done")


def expand(text: str, inline: tuple[InlineCode, ...]) -> str:
    """Text with each inline token replaced by its code's XML: comparable across tokenisations."""
    for code in inline:
        text = text.replace(code.token, code.xml)
    return text


def test_import_gives_back_the_same_pairs_and_statuses(
    reviewed: ProjectStore, tmp_path: Path
) -> None:
    from review.ingest import read_source

    out = tmp_path / "round.tmx"
    states = [s for s in reviewed.states() if s.status is not Status.REJECTED]
    export("tmx", states, out, ExportOptions())
    document = read_source(out)
    assert document.format == "tmx"
    assert len(document.blocks) == len(states)
    for block, state in zip(document.blocks, states, strict=True):
        assert expand(block.en, block.inline) == expand(state.pair.en, state.pair.inline)
        assert expand(block.zh, block.inline) == expand(state.final_zh, state.pair.inline)
        assert dict(block.props)["x-review-status"] == state.status.value
        assert list(block.notes) == [*state.pair.notes, *state.comments]


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("中文。，“”—…\x00\x1b\x0c\r\t"),
    min_size=1,
    max_size=30,
).filter(lambda t: clean(t).strip() != "")
states = st.builds(
    lambda en, zh, status, correction, comments: ReviewState(
        Pair(id=f"h:{en[:5]}", doc_id="h", en=en, zh=zh),
        1,
        status,
        correction=correction if status is Status.CORRECTED else None,
        comments=tuple(comments),
        reviewer="ana",
        changed_at=datetime(2026, 11, 29, 8, 0, tzinfo=UTC),
    ),
    texts,
    texts,
    st.sampled_from([s for s in Status if s is not Status.REJECTED]),
    texts,
    st.lists(texts, max_size=2),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(states, min_size=1, max_size=4))
def test_any_text_exports_valid_and_reimports(tmp_path: Path, items: list[ReviewState]) -> None:
    from review.ingest import read_source

    out = tmp_path / "h.tmx"
    export("tmx", items, out, ExportOptions())
    parse_valid(out.read_bytes())
    blocks = read_source(out).blocks
    assert len(blocks) == len(items)
    for block, state in zip(blocks, items, strict=True):
        assert block.en == clean(state.pair.en)  # CR survives too: written as &#13;
        assert block.zh == clean(state.final_zh)
        assert dict(block.props)["x-review-status"] == state.status.value


def test_nothing_selected_is_still_a_valid_tmx(reviewed: ProjectStore, tmp_path: Path) -> None:
    out = tmp_path / "empty.tmx"
    options = ExportOptions(frozenset({Status.ACCEPTED}))
    assert export("tmx", [s for s in reviewed.states() if s.number > 1], out, options) == 0
    root = parse_valid(out.read_bytes())
    assert root.find("body") is not None and tus(root) == {}


SAMPLE = Path(__file__).parent.parent.parent / "corpus" / "sample.tmx"


def test_the_bundled_sample_survives_review_and_export(tmp_path: Path) -> None:
    """Source TMX → pairs → project → decisions → TMX → pairs: same pairs, codes and statuses."""
    from review.ingest import read_source
    from review.pipeline import align_documents

    pairs = align_documents([read_source(SAMPLE)])
    assert any(p.inline for p in pairs)
    store = ProjectStore.create(tmp_path / "s.review", pairs, source="sample", signature="g")
    coded = next(p for p in pairs if p.inline)
    fixed = coded.zh.replace("2024年3月21日", "2024年3月12日")
    store.record(coded.id, Action.CORRECT, "ana", {"text": fixed})
    store.record(pairs[0].id, Action.ACCEPT, "ana")
    store.record(pairs[-1].id, Action.REJECT, "ana")
    states = store.states()
    out = tmp_path / "sample-reviewed.tmx"
    assert export("tmx", states, out, ExportOptions()) == len(pairs) - 1
    parse_valid(out.read_bytes())
    again = align_documents([read_source(out)])
    kept = [s for s in states if s.status is not Status.REJECTED]
    assert len(again) == len(kept)
    for pair, state in zip(again, kept, strict=True):
        assert expand(pair.en, pair.inline) == expand(state.pair.en, state.pair.inline)
        assert expand(pair.zh, pair.inline) == expand(state.final_zh, state.pair.inline)
        assert dict(pair.props)["x-review-status"] == state.status.value
    corrected = next(p for p in again if dict(p.props)["x-review-status"] == "corrected")
    assert "2024年3月12日" in corrected.zh and "<bpt" in expand(corrected.zh, corrected.inline)
    original = dict(corrected.props)["x-original-target"]
    assert original == expand(coded.zh, coded.inline)
    assert original.startswith('论坛将于<bpt i="1" x="1">&lt;b&gt;</bpt>2024年3月21日')
