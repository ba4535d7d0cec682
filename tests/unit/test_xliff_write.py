"""Writing XLIFF back: only targets, states and review notes change; the output validates against
the OASIS schemas and translate-toolkit reads the corrections back."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from review.align import align_document
from review.errors import ExportError
from review.export import ExportOptions
from review.export.tmx import tmx_bytes
from review.export.xliff import UnitUpdate, export_xliff, update_for, updates_from, write_xliff
from review.ingest.xliff import KEY_PROP, parse_xliff, read_xliff
from review.inline import TagView
from review.model import MqmTag, Pair, ReviewState, Severity, Status

DATA = Path(__file__).parent.parent / "data"
SCHEMAS = DATA / "xliff" / "schemas"
XLIFF_12 = DATA / "xliff" / "review-1.2.xlf"
XLIFF_20 = DATA / "xliff" / "review-2.0.xlf"


class LocalXmlXsd(etree.Resolver):
    """The 1.2 schemas import xml.xsd from w3.org: serve the local copy, never the network."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "1.2" / "xml.xsd"), context)
        return None


@cache
def schema(name: str) -> etree.XMLSchema:
    paths = {
        "1.2-strict": SCHEMAS / "1.2" / "xliff-core-1.2-strict.xsd",
        "1.2-transitional": SCHEMAS / "1.2" / "xliff-core-1.2-transitional.xsd",
        "2.0": SCHEMAS / "2.0" / "xliff_core_2.0.xsd",
    }
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(paths[name]), parser))


def assert_valid(data: bytes, name: str) -> None:
    checker = schema(name)
    ok = checker.validate(etree.fromstring(data))
    assert ok, [f"{e.line}: {e.message}" for e in checker.error_log]


def correction(data: bytes, key: str, shown: str) -> str:
    """What the editor hands back: the text a reviewer typed, placeholders read as tokens."""
    segment = next(s for s in parse_xliff(data, "x").segments if s.key == key)
    view = TagView.of(segment.codes, segment.en, segment.zh)
    assert view.check(shown) == ()
    return view.read(shown)


def changed_lines(before: bytes, after: bytes, codec: str = "utf-8") -> list[str]:
    diff = difflib.unified_diff(
        before.decode(codec).splitlines(), after.decode(codec).splitlines(), n=0, lineterm=""
    )
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


# --- the round trips of the issue ----------------------------------------------------------

FIX_12 = "约有⟨1⟩⟨2⟩3万⟨/2⟩名学生⟨/1⟩⟨3⟩每⟨x4/⟩年在这里学习 & 更多。"
FIX_20 = "约有⟨1⟩⟨2⟩3万⟨/2⟩名学生⟨/1⟩在这里⟨3⟩每年学习。"


def test_xliff_12_round_trip_changes_only_the_reviewed_targets_states_and_notes() -> None:
    original = XLIFF_12.read_bytes()
    updates = {
        "help/save.html#1": UnitUpdate(status=Status.ACCEPTED),
        "help/save.html#2": UnitUpdate(
            target=correction(original, "help/save.html#2", FIX_12),
            status=Status.CORRECTED,
            notes=("30,000 is 3万, not 3000",),
            author="mei",
        ),
    }
    out = write_xliff(original, updates)
    old_2 = (
        '<bpt id="1">&lt;b&gt;</bpt><bpt id="2">&lt;i&gt;</bpt>{}<ept id="2">&lt;/i&gt;</ept>名学生'
        '<ept id="1">&lt;/b&gt;</ept><it id="3" pos="open">&lt;span class="x"&gt;</it>每'
        '<ph id="4">{{year}}</ph>年在这里学习 &amp; 更多。</target>'
    )
    target_1 = '点击<g id="1" ctype="bold">保存</g>以保留更改。<x id="2" ctype="lb"/></target>'
    assert changed_lines(original, out) == [
        '-      <trans-unit id="1" resname="intro" sdl:origin="tm">',
        '+      <trans-unit id="1" resname="intro" sdl:origin="tm" approved="yes">',
        '-        <target state="translated">' + target_1,
        '+        <target state="final">' + target_1,
        '-      <trans-unit id="2">',
        '+      <trans-unit id="2" approved="yes">',
        '-        <target state="needs-review-translation" state-qualifier="mt-suggestion">约有'
        + old_2.format("3000"),
        '+        <target state="final">约有' + old_2.format("3万"),
        '+        <note from="mei">30,000 is 3万, not 3000</note>',
    ]
    # The file carries SDL extensions, which only the transitional schema admits (see README).
    assert_valid(original, "1.2-transitional")
    assert_valid(out, "1.2-transitional")

    units = {unit.getid().rpartition("\x04")[2]: unit for unit in xlifffile.parsestring(out).units}
    assert (
        units["2"].target
        == '约有<b><i>3万</i>名学生</b><span class="x">每{year}年在这里学习 & 更多。'
    )
    assert units["2"].getnotes() == "30,000 is 3万, not 3000"
    assert units["1"].getnotes() == "Keep the bold tag."
    assert units["1"].isapproved() and units["2"].isapproved()
    assert not units["2"].isfuzzy() and units["4"].isfuzzy()
    assert not units["3"].istranslatable()


def test_xliff_20_round_trip_changes_only_the_reviewed_targets_states_and_notes() -> None:
    original = XLIFF_20.read_bytes()
    updates = {
        "f1#u1#s1": UnitUpdate(status=Status.ACCEPTED),
        "f1#u2#s2": UnitUpdate(
            target=correction(original, "f1#u2#s2", FIX_20),
            status=Status.CORRECTED,
            notes=("30,000 is 3万, not 3000",),
        ),
    }
    out = write_xliff(original, updates)
    tail = '名学生</pc>在这里<sc id="5" isolated="yes"/>每年学习。</target>'
    assert changed_lines(original, out) == [
        '-      <segment id="s1" state="translated">',
        '+      <segment id="s1" state="reviewed">',
        "+      <notes>",
        '+        <note category="review">30,000 is 3万, not 3000</note>',
        "+      </notes>",
        '-      <segment id="s2" state="translated" subState="mq:edited">',
        '+      <segment id="s2" state="reviewed" subState="mq:edited">',
        '-        <target>约有<pc id="3"><pc id="4">3000</pc>' + tail,
        '+        <target>约有<pc id="3"><pc id="4">3万</pc>' + tail,
    ]
    assert_valid(original, "2.0")
    assert_valid(out, "2.0")

    units = {unit.getid(): unit for unit in Xliff2File.parsestring(out).units}
    assert units["u2::s2"].target == "约有3万名学生在这里每年学习。"
    assert units["u2::s2"].isapproved() and units["u1::s1"].isapproved()
    assert not units["u2::s1"].isapproved()
    assert not units["u3"].istranslatable()
    # translate-toolkit looks for 2.0 notes inside <segment>, where the schema allows none;
    # the core puts them on the unit, so read them there.
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    notes = etree.fromstring(out).xpath("//x:unit[@id='u2']/x:notes/x:note/text()", namespaces=ns)
    assert notes == ["30,000 is 3万, not 3000"]


STRICT_12 = (
    XLIFF_12.read_text(encoding="utf-8")
    .replace('\n       xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"', "")
    .replace(' sdl:filetype="HTML 5"', "")
    .replace(' sdl:origin="tm"', "")
    .replace('        <sdl:seg-defs><sdl:seg id="1" conf="Translated"/></sdl:seg-defs>\n', "")
    .replace(
        '    <header>\n      <sdl:file-info><sdl:value key="SourceFile">save.html</sdl:value>'
        "</sdl:file-info>\n    </header>\n",
        "",
    )
    .encode("utf-8")
)


@pytest.mark.parametrize(
    ("original", "schema_name"),
    [
        (STRICT_12, "1.2-strict"),
        (XLIFF_12.read_bytes(), "1.2-transitional"),
        (XLIFF_20.read_bytes(), "2.0"),
    ],
    ids=["1.2-strict", "1.2-extensions", "2.0"],
)
def test_every_segment_reviewed_still_validates_and_reads_back(
    original: bytes, schema_name: str
) -> None:
    """Accept, correct (keeping each tag, adding targets that were missing) and reject all."""
    assert_valid(original, schema_name)
    doc = parse_xliff(original, "x")
    updates: dict[str, UnitUpdate] = {}
    expected: dict[str, str] = {}
    for number, segment in enumerate(doc.segments):
        if segment.locked:
            updates[segment.key] = UnitUpdate(status=Status.ACCEPTED, notes=("brand name",))
            expected[segment.key] = segment.zh
            continue
        verdict = (Status.CORRECTED, Status.ACCEPTED, Status.REJECTED)[number % 3]
        view = TagView.of(segment.codes, segment.en, segment.zh)
        target = None
        if verdict is Status.CORRECTED or not segment.zh:
            # keep the English tags in their order around new words, the way a reviewer does
            target = view.read("译：" + view.show(segment.en).replace("&", "和") + "（已审）")
            verdict = Status.CORRECTED
        updates[segment.key] = UnitUpdate(
            target=target, status=verdict, notes=(f"note {number} <&>",)
        )
        expected[segment.key] = target if target is not None else segment.zh
    out = write_xliff(original, updates)
    assert_valid(out, schema_name)
    again = {s.key: s for s in parse_xliff(out, "y").segments}
    for key, zh in expected.items():
        shown_before = TagView.of(again[key].codes, again[key].en, zh).show
        assert TagView.of(again[key].codes, again[key].en, again[key].zh).show(again[key].zh) == (
            shown_before(zh)
        ), key
    assert any(note.startswith("note ") for s in again.values() for note in s.notes)


def test_nothing_to_write_gives_the_same_bytes() -> None:
    for path in (XLIFF_12, XLIFF_20):
        assert write_xliff(path.read_bytes(), {}) == path.read_bytes()
    assert write_xliff(STRICT_12, {}) == STRICT_12


def test_an_accepted_target_is_not_rewritten_even_if_passed_back_unchanged() -> None:
    original = XLIFF_12.read_bytes()
    segment = parse_xliff(original, "x").segments[1]
    out = write_xliff(original, {segment.key: UnitUpdate(target=segment.zh)})
    assert out == original


def test_a_missing_target_is_added_after_the_source_with_its_indentation() -> None:
    original = XLIFF_20.read_bytes()
    out = write_xliff(
        original, {"f1#u4#@1": UnitUpdate(target="发表回复", status=Status.CORRECTED)}
    )
    assert changed_lines(original, out) == [
        "-        <segment>",
        '+        <segment state="reviewed">',
        "+          <target>发表回复</target>",
    ]


def test_a_segmented_12_unit_changes_only_its_segment_and_keeps_the_unit_state() -> None:
    original = XLIFF_12.read_bytes()
    out = write_xliff(
        original, {"help/save.html#6#2": UnitUpdate(target="关上窗口。", status=Status.CORRECTED)}
    )
    # one segment of two was reviewed: the unit's state speaks for both, so it stays
    head = (
        '        <target><mrk mtype="seg" mid="1">您的更改已保存。</mrk><mrk mtype="seg" mid="2">'
    )
    assert changed_lines(original, out) == [
        f"-{head}关闭窗口。</mrk></target>",
        f"+{head}关上窗口。</mrk></target>",
    ]
    both = write_xliff(
        original,
        {
            "help/save.html#6#1": UnitUpdate(status=Status.ACCEPTED),
            "help/save.html#6#2": UnitUpdate(status=Status.REJECTED),
        },
    )
    assert '<target state="needs-review-translation">' in both.decode()  # the least advanced


def test_a_rejection_takes_back_an_approval() -> None:
    original = XLIFF_12.read_bytes().replace(
        b'<trans-unit id="2">', b'<trans-unit id="2" approved="yes">'
    )
    out = write_xliff(original, {"help/save.html#2": UnitUpdate(status=Status.REJECTED)})
    # the target already said needs-review-translation: only the approval changes
    assert changed_lines(original, out) == [
        '-      <trans-unit id="2" approved="yes">',
        '+      <trans-unit id="2" approved="no">',
    ]


@pytest.mark.parametrize(
    ("codec", "declared", "bom"),
    [
        ("utf-8", "UTF-8", b"\xef\xbb\xbf"),
        ("utf-16-le", "UTF-16", b"\xff\xfe"),
        ("utf-16-be", "UTF-16", b"\xfe\xff"),
        ("gb18030", "GB18030", b""),
        ("latin-1", "ISO-8859-1", b""),
    ],
)
def test_the_encoding_and_byte_order_mark_are_kept(codec: str, declared: str, bom: bytes) -> None:
    text = XLIFF_20.read_text(encoding="utf-8").replace(
        'encoding="UTF-8"', f'encoding="{declared}"'
    )
    original = bom + text.encode(codec, errors="xmlcharrefreplace")
    assert write_xliff(original, {}) == original
    out = write_xliff(original, {"f1#u2#s2": UnitUpdate(target="约有3万名学生。")})
    assert out.startswith(bom + text[:5].encode(codec))
    changed = changed_lines(original[len(bom) :], out[len(bom) :], codec)
    assert len(changed) == 2 and changed[1][1:].strip().startswith("<target>")
    if codec == "latin-1":  # Chinese cannot be Latin-1 bytes: character references instead
        refs = "&#32422;&#26377;3&#19975;&#21517;&#23398;&#29983;&#12290;"
        assert changed[1][1:].strip() == f"<target>{refs}</target>"
    again = {s.key: s.zh for s in parse_xliff(out, "x").segments}
    assert again["f1#u2#s2"] == "约有3万名学生。"


def test_windows_line_ends_are_kept_in_what_is_added() -> None:
    original = XLIFF_12.read_bytes().replace(b"\n", b"\r\n")
    out = write_xliff(
        original, {"help/save.html#7": UnitUpdate(target="发表回复", notes=("added",))}
    )
    assert b"</source>\r\n        <target>" in out
    assert b'</target>\r\n        <note from="review">added</note>' in out
    assert out.count(b"\n") == out.count(b"\r\n")


# --- what the writer refuses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "update", "problem"),
    [
        ("help/save.html#3", UnitUpdate(target="蚂蚁设计"), 'translate="no"'),
        ("help/save.html#99", UnitUpdate(status=Status.ACCEPTED), "no segment 'help/save.html#99'"),
        (
            "help/save.html#1",
            UnitUpdate(target="点击\ue00f保存"),
            "inline code it was not read with",
        ),
        ("help/save.html#1", UnitUpdate(target="点击\ue004保存\ue003"), "breaks the nesting"),
    ],
    ids=["locked", "unknown-key", "foreign-token", "reordered-pair"],
)
def test_impossible_updates_are_refused(key: str, update: UnitUpdate, problem: str) -> None:
    with pytest.raises(ExportError, match=problem):
        write_xliff(XLIFF_12.read_bytes(), {key: update})


def test_a_locked_unit_may_still_be_accepted_and_annotated() -> None:
    original = XLIFF_12.read_bytes()
    out = write_xliff(
        original, {"help/save.html#3": UnitUpdate(status=Status.ACCEPTED, notes=("ok",))}
    )
    assert [line[0] + line[1:].strip() for line in changed_lines(original, out)] == [
        '-<trans-unit id="3" translate="no">',
        '+<trans-unit id="3" translate="no" approved="yes">',
        "-<target>Ant Design</target>",
        '+<target state="final">Ant Design</target>',
        '+<note from="review">ok</note>',
    ]


# --- any text a reviewer types survives ------------------------------------------------------

TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Co", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("&<>\"' \n\t]]>—“”…。，"),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(TEXT, min_size=11, max_size=11))
def test_any_corrected_text_reads_back_as_typed(pieces: list[str]) -> None:
    original = XLIFF_20.read_bytes()
    segment = next(s for s in parse_xliff(original, "x").segments if s.key == "f1#u2#s2")
    tokens = [c for c in segment.zh if c in segment.markup]  # the tags, in their order
    target = pieces[0] + "".join(t + p for t, p in zip(tokens, pieces[1:], strict=False))
    out = write_xliff(original, {segment.key: UnitUpdate(target=target)})
    again = next(s for s in parse_xliff(out, "y").segments if s.key == segment.key)
    assert again.zh == target
    assert [again.markup[c] for c in again.zh if c in again.markup] == [
        segment.markup[t] for t in tokens
    ]


# --- from a project's review to updates ------------------------------------------------------


def _state(pair: Pair, status: Status, **more: object) -> ReviewState:
    return ReviewState(
        pair=pair,
        number=1,
        status=status,
        reviewer="mei",
        changed_at=datetime(2024, 3, 12, tzinfo=UTC),
        **more,  # type: ignore[arg-type]
    )


def test_review_states_become_updates_keyed_by_segment() -> None:
    pairs = align_document(read_xliff(XLIFF_12))
    states = [
        _state(pairs[0], Status.ACCEPTED),
        _state(
            pairs[1],
            Status.CORRECTED,
            correction="改正",
            comments=("why",),
            mqm=(MqmTag("accuracy/mistranslation", Severity.MAJOR),),
        ),
        _state(pairs[2], Status.PENDING),
        _state(pairs[3], Status.PENDING, comments=("look again",)),
    ]
    updates = updates_from(states)
    assert updates == {
        "help/save.html#1": UnitUpdate(status=Status.ACCEPTED, author="mei"),
        "help/save.html#2": UnitUpdate(
            target="改正",
            status=Status.CORRECTED,
            notes=("why", "MQM accuracy/mistranslation (major)"),
            author="mei",
        ),
        "help/save.html#4": UnitUpdate(notes=("look again",), author="mei"),
    }


def test_a_corrected_pair_that_joins_two_segments_is_refused() -> None:
    pairs = align_document(read_xliff(XLIFF_12))
    joined = Pair(id="x", doc_id="d", en="a", zh="b", props=pairs[0].props + pairs[1].props)
    assert update_for(_state(joined, Status.ACCEPTED)) is not None
    with pytest.raises(
        ExportError, match=r"joins XLIFF segments help/save\.html#1, help/save\.html#2"
    ):
        update_for(_state(joined, Status.CORRECTED, correction="c"))


def test_export_writes_the_file_atomically(tmp_path: Path) -> None:
    pairs = align_document(read_xliff(XLIFF_20))
    out = tmp_path / "reviewed.xlf"
    count = export_xliff(XLIFF_20.read_bytes(), [_state(pairs[0], Status.ACCEPTED)], out)
    assert count == 1
    assert b'<segment id="s1" state="reviewed">' in out.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["reviewed.xlf"]


def test_xliff_pairs_export_as_dtd_valid_tmx() -> None:
    """The codes are TMX inline XML, so XLIFF material also goes into a translation memory."""
    pairs = align_document(read_xliff(XLIFF_12))
    states = [_state(p, Status.ACCEPTED) for p in pairs if p.zh]
    data, count = tmx_bytes(states, ExportOptions())
    dtd = etree.DTD(str(DATA / "tmx" / "tmx14.dtd"))
    assert count == len(states)
    assert dtd.validate(etree.fromstring(data)), dtd.error_log
    assert '&lt;g id="1" ctype="bold"&gt;' in data.decode()
    assert all(dict(p.props)[KEY_PROP] for p in pairs)
