"""Reading XLIFF 1.2 and 2.0: segments, keys, states, notes, translate="no", every inline code,
language pairs, encodings and hostile XML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from review.align import align_document
from review.errors import InputError
from review.ingest.xliff import (
    KEY_PROP,
    LOCKED_PROP,
    is_locked,
    parse_xliff,
    read_xliff,
    sniff_xliff,
)
from review.inline import TagView, escape_text, is_token
from review.model import Block, BlockKind, Segmentation

DATA = Path(__file__).parent.parent / "data" / "xliff"
XLIFF_12 = DATA / "review-1.2.xlf"
XLIFF_20 = DATA / "review-2.0.xlf"


def shown(block: Block) -> tuple[str, str]:
    view = TagView.of(block.inline, block.en, block.zh)
    return view.show(block.en), view.show(block.zh)


def by_key(path: Path) -> dict[str, Block]:
    return {dict(b.props)[KEY_PROP]: b for b in read_xliff(path).blocks}


READ_12 = [
    (
        "help/save.html#1",
        "Click ⟨1⟩Save⟨/1⟩ to keep your changes.⟨x2/⟩",
        "点击⟨1⟩保存⟨/1⟩以保留更改。⟨x2/⟩",
        {"x-xliff-state": "translated", "x-xliff-name": "intro"},
    ),
    (
        "help/save.html#2",
        "About ⟨1⟩⟨2⟩30,000⟨/2⟩ students⟨/1⟩ study here ⟨3⟩each ⟨x4/⟩ & more.",
        "约有⟨1⟩⟨2⟩3000⟨/2⟩名学生⟨/1⟩⟨3⟩每⟨x4/⟩年在这里学习 & 更多。",
        {"x-xliff-state": "needs-review-translation", "x-xliff-state-qualifier": "mt-suggestion"},
    ),
    ("help/save.html#3", "Ant Design", "Ant Design", {LOCKED_PROP: "no"}),
    (
        "help/save.html#4",
        "Press ⟨1⟩Ctrl+S⟨/1⟩ to save a ⟨2⟩draft⟨/2⟩.",
        "按⟨1⟩Ctrl+S⟨/1⟩保存⟨2⟩草稿⟨/2⟩。",
        {"x-xliff-state": "new"},
    ),
    ("help/save.html#5", "Version ⟨x1/⟩", "", {LOCKED_PROP: "no"}),
    ("help/save.html#6#1", "Your changes are saved.", "您的更改已保存。", {}),
    ("help/save.html#6#2", "Close the window.", "关闭窗口。", {}),
    ("help/save.html#7", "Leave a reply", "", {}),
]
READ_20 = [
    (
        "f1#u1#s1",
        "Click ⟨1⟩Save⟨/1⟩ to keep your changes.⟨x2/⟩",
        "点击⟨1⟩保存⟨/1⟩以保留更改。⟨x2/⟩",
        {"x-xliff-state": "translated", "x-xliff-name": "save"},
    ),
    (
        "f1#u2#s1",
        "Hello ⟨1⟩world⟨/1⟩, see ⟨2⟩XLIFF⟨/2⟩ and ⟨3⟩this⟨/3⟩.",
        "你好，⟨1⟩世界⟨/1⟩，参见⟨2⟩XLIFF⟨/2⟩和⟨3⟩这个⟨/3⟩。",
        {"x-xliff-state": "translated"},
    ),
    (
        "f1#u2#s2",
        "About ⟨1⟩⟨2⟩30,000⟨/2⟩ students⟨/1⟩ study here ⟨3⟩each year.",
        "约有⟨1⟩⟨2⟩3000⟨/2⟩名学生⟨/1⟩在这里⟨3⟩每年学习。",
        {"x-xliff-state": "translated", "x-xliff-substate": "mq:edited"},
    ),
    ("f1#u3#@1", "Ant Design", "Ant Design", {LOCKED_PROP: "no"}),
    ("f1#u4#@1", "Leave a reply", "", {}),
]


@pytest.mark.parametrize(("path", "expected"), [(XLIFF_12, READ_12), (XLIFF_20, READ_20)])
def test_every_segment_is_read_with_its_key_codes_and_states(
    path: Path, expected: list[tuple[str, str, str, dict[str, str]]]
) -> None:
    blocks = by_key(path)
    assert list(blocks) == [key for key, *_ in expected]
    for key, en, zh, props in expected:
        block = blocks[key]
        assert shown(block) == (en, zh), key
        assert {k: v for k, v in block.props if k != KEY_PROP} == props, key
        assert block.segmentation is Segmentation.ALIGNED
        assert block.kind is BlockKind.SEGMENT


def test_notes_lines_and_languages_come_from_the_file() -> None:
    blocks_12, blocks_20 = by_key(XLIFF_12), by_key(XLIFF_20)
    assert blocks_12["help/save.html#1"].notes == ("Keep the bold tag.",)
    assert blocks_20["f1#u1#s1"].notes == ("Button label on the toolbar.",)
    assert (blocks_12["help/save.html#1"].line, blocks_12["help/save.html#1"].zh_line) == (12, 13)
    assert blocks_12["help/save.html#7"].zh_line is None
    assert blocks_20["f1#u2#s2"].line == 27
    assert read_xliff(XLIFF_20).format == "xliff"
    assert read_xliff(XLIFF_20).id == "review-2.0"  # the file stem, as for every reader


def test_translate_no_is_kept_and_marked_never_dropped() -> None:
    locked_12 = {key for key, b in by_key(XLIFF_12).items() if is_locked(b.props)}
    locked_20 = {key for key, b in by_key(XLIFF_20).items() if is_locked(b.props)}
    # unit 4 says translate="yes" inside a translate="no" group; unit 5 inherits the group's "no"
    assert locked_12 == {"help/save.html#3", "help/save.html#5"}
    assert locked_20 == {"f1#u3#@1"}


@pytest.mark.parametrize("path", [XLIFF_12, XLIFF_20])
def test_codes_and_text_rebuild_each_target_and_source_exactly(path: Path) -> None:
    """Every character of a source or target is text or a code whose markup is the file's."""
    doc = parse_xliff(path.read_bytes(), str(path))
    for segment in doc.segments:
        for element, text in ((segment.source, segment.en), (segment.target, segment.zh)):
            if element is None:
                continue
            span = doc.spans[element]
            original = doc.text[span.open_end : span.close_start]
            rebuilt = "".join(segment.markup.get(c) or escape_text(c) for c in text)
            assert rebuilt == original, segment.key


@pytest.mark.parametrize("path", [XLIFF_12, XLIFF_20])
def test_each_code_is_tmx_inline_xml_holding_its_native_markup(path: Path) -> None:
    doc = parse_xliff(path.read_bytes(), str(path))
    for segment in doc.segments:
        for code in segment.codes:
            element = etree.fromstring(code.xml)
            assert element.tag in {"bpt", "ept", "it", "ph"}
            assert element.text == segment.markup[code.token]
            assert is_token(code.token)


def test_nested_and_isolated_codes_pair_up_as_they_do_in_the_file() -> None:
    doc = parse_xliff(XLIFF_20.read_bytes(), "x")
    segment = next(s for s in doc.segments if s.key == "f1#u2#s2")
    kinds = [etree.fromstring(code.xml).tag for code in segment.codes]
    # <pc id=3><pc id=4>…</pc>…</pc> nests; <sc isolated="yes"/> has its partner elsewhere
    assert kinds == ["bpt", "bpt", "ept", "ept", "it"] * 2


def test_reading_twice_gives_the_same_document_and_keys() -> None:
    assert read_xliff(XLIFF_12) == read_xliff(XLIFF_12)
    keys = [dict(b.props)[KEY_PROP] for b in read_xliff(XLIFF_12).blocks]
    assert len(keys) == len(set(keys))


def test_aligned_pairs_carry_the_key_and_the_codes() -> None:
    pairs = align_document(read_xliff(XLIFF_12))
    assert [dict(p.props)[KEY_PROP] for p in pairs] == [key for key, *_ in READ_12]
    assert pairs[1].inline and pairs[1].en.count("\ue000") == 1
    assert [p.kind.value for p in pairs][-1] == "untranslated"


@pytest.mark.parametrize(
    "namespace",
    ['xmlns="urn:oasis:names:tc:xliff:document:1.1"', ""],
    ids=["xliff-1.1", "no-namespace"],
)
def test_older_and_namespace_less_1x_files_read_like_1_2(namespace: str, tmp_path: Path) -> None:
    text = XLIFF_12.read_text(encoding="utf-8")
    text = text.replace('xmlns="urn:oasis:names:tc:xliff:document:1.2"', namespace)
    path = tmp_path / "old.xlf"
    path.write_text(text, encoding="utf-8")
    assert [shown(b) for b in read_xliff(path).blocks] == [
        shown(b) for b in by_key(XLIFF_12).values()
    ]


@pytest.mark.parametrize(
    "target", ["zh", "zh-CN", "zh-Hans", "zh-TW", "zh-Hant-HK", "zh_CN", "ZH-cn"]
)
def test_any_chinese_target_tag_is_read(target: str, tmp_path: Path) -> None:
    path = tmp_path / "t.xlf"
    text = XLIFF_20.read_text(encoding="utf-8").replace('trgLang="zh-Hans"', f'trgLang="{target}"')
    path.write_text(text, encoding="utf-8")
    assert len(read_xliff(path).blocks) == 5


@pytest.mark.parametrize(
    ("path", "old", "new", "problem", "line"),
    [
        (XLIFF_12, 'target-language="zh-CN"', 'target-language="ja"', "en-US → ja", 5),
        (XLIFF_12, 'source-language="en-US"', 'source-language="fr"', "fr → zh-CN", 5),
        (XLIFF_12, 'target-language="zh-CN"', "", "en-US → no target language", 5),
        (XLIFF_20, 'trgLang="zh-Hans"', 'trgLang="de"', "en → de", 2),
        (XLIFF_20, 'srcLang="en"', 'srcLang="zh"', "zh → zh-Hans", 2),
    ],
    ids=["1.2-ja-target", "1.2-fr-source", "1.2-no-target", "2.0-de-target", "2.0-zh-source"],
)
def test_other_language_pairs_give_one_line_naming_file_and_line(
    path: Path, old: str, new: str, problem: str, line: int, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlf"
    bad.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_xliff(bad)
    message = str(error.value)
    assert message.startswith(f"{bad}:{line}: XLIFF is {problem}; review reads English → Chinese")
    assert "\n" not in message


def test_target_language_may_come_from_the_targets(tmp_path: Path) -> None:
    text = XLIFF_12.read_text(encoding="utf-8").replace(' target-language="zh-CN"', "")
    text = text.replace("<target>", '<target xml:lang="zh-TW">', 1)
    text = text.replace('<target state="translated">', '<target xml:lang="zh-TW" state="x">', 1)
    path = tmp_path / "lang.xlf"
    path.write_text(text, encoding="utf-8")
    assert len(read_xliff(path).blocks) == len(READ_12)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (
            b'<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>',
            "root element is <tmx>, not <xliff>",
        ),
        (
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file',
            "malformed XML",
        ),
        (b'<xliff version="3" xmlns="urn:example:other"/>', "unknown XLIFF namespace"),
        (
            b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"'
            b' trgLang="zh"><file id="f"><unit id="u"><segment/></unit></file></xliff>',
            "has a <segment> with no <source>",
        ),
        (
            b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"'
            b' trgLang="zh"><file id="f"/></xliff>',
            "XLIFF has no segment with text",
        ),
        (b'<?xml version="1.0" encoding="klingon"?><xliff/>', "unknown encoding|malformed"),
    ],
    ids=[
        "empty",
        "tmx",
        "truncated",
        "namespace",
        "segment-without-source",
        "no-segments",
        "codec",
    ],
)
def test_broken_files_give_one_line_errors(content: bytes, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlf"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_xliff(path)
    assert str(error.value).startswith(str(path))
    assert re.search(problem, str(error.value)), str(error.value)


def test_sniffer_tells_xliff_from_tmx_and_text() -> None:
    assert sniff_xliff(XLIFF_12.read_text(encoding="utf-8"))
    assert sniff_xliff('<?xml version="1.0"?>\n<xlf:xliff xmlns:xlf="urn:x" version="1.2">')
    assert not sniff_xliff('<?xml version="1.0"?>\n<tmx version="1.4">')
    assert not sniff_xliff("The xliff format is used by CAT tools.\t它被使用。")


# --- encodings -------------------------------------------------------------------------------


def _reencoded(codec: str, declared: str, bom: bytes = b"") -> bytes:
    text = XLIFF_20.read_text(encoding="utf-8")
    text = text.replace('encoding="UTF-8"', f'encoding="{declared}"')
    return bom + text.encode(codec, errors="xmlcharrefreplace")


ENCODINGS = [
    ("utf-8-bom", _reencoded("utf-8", "UTF-8", b"\xef\xbb\xbf")),
    ("utf-16-le", _reencoded("utf-16-le", "UTF-16", b"\xff\xfe")),
    ("utf-16-be", _reencoded("utf-16-be", "UTF-16", b"\xfe\xff")),
    ("gb18030", _reencoded("gb18030", "GB18030")),
    ("big5-refs", _reencoded("big5", "Big5")),
    ("latin-1-refs", _reencoded("latin-1", "ISO-8859-1")),
]


@pytest.mark.parametrize(("codec", "data"), ENCODINGS, ids=[c for c, _ in ENCODINGS])
def test_every_xml_encoding_reads_the_same_text(codec: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"{codec}.xlf"
    path.write_bytes(data)
    assert [shown(b) for b in read_xliff(path).blocks] == [
        shown(b) for b in read_xliff(XLIFF_20).blocks
    ]


# --- hostile XML -----------------------------------------------------------------------------

SECRET = "TOP-SECRET-x7"
ONE_UNIT = (
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
    '<file original="a" source-language="en" target-language="zh-CN" datatype="plaintext">\n'
    '<body>\n<trans-unit id="1"><source>{en}</source><target>{zh}</target></trans-unit>\n'
    "</body>\n</file>\n</xliff>\n"
)
# Read in a child with 2 GiB of address space: a bomb that expanded would die there.
READ_LIMITED = (
    "import json, resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
    "from review.errors import InputError; from review.ingest.xliff import read_xliff\n"
    "try:\n  doc = read_xliff(sys.argv[1])\n"
    "except InputError as e:\n  print(json.dumps({'error': str(e)}))\n"
    "else:\n  print(json.dumps({'blocks': [[b.en, b.zh, [c.xml for c in b.inline]]"
    " for b in doc.blocks]}))"
)


def read_in_child(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", READ_LIMITED, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout + result.stderr
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    evil = tmp_path / "evil.dtd"
    evil.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    doctype = (
        f'<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        f' <!ENTITY % ext SYSTEM "{evil.as_uri()}"> %ext;]>\n'
    )
    path = tmp_path / "xxe.xlf"
    path.write_text(doctype + ONE_UNIT.format(en="Hello &xxe;", zh="你好 &leak;"), encoding="utf-8")
    result = read_in_child(path)
    assert "blocks" in result, result
    [[en, zh, codes]] = result["blocks"]  # type: ignore[misc]
    assert en == "Hello \ue000"
    assert zh.startswith("你好")
    assert codes[0] == '<ph x="1">&amp;xxe;</ph>'


def test_a_remote_dtd_is_never_fetched(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE xliff SYSTEM "http://192.0.2.1/xliff.dtd">\n'
    path = tmp_path / "remote.xlf"
    path.write_text(doctype + ONE_UNIT.format(en="Hello", zh="你好"), encoding="utf-8")
    assert read_in_child(path) == {"blocks": [["Hello", "你好", []]]}


@pytest.mark.parametrize("kind", ["billion-laughs", "quadratic"])
def test_entity_bombs_are_refused_with_one_line(kind: str, tmp_path: Path) -> None:
    if kind == "billion-laughs":
        entities = ['<!ENTITY l0 "lol">'] + [
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
        ]
        doctype, en = "<!DOCTYPE xliff [" + "".join(entities) + "]>\n", "&l9;"
    else:
        doctype, en = f'<!DOCTYPE xliff [<!ENTITY a "{"x" * 50_000}">]>\n', "&a;" * 2_000
    path = tmp_path / f"{kind}.xlf"
    path.write_text(doctype + ONE_UNIT.format(en=en, zh="笑"), encoding="utf-8")
    result = read_in_child(path)
    error = str(result.get("error"))
    assert error.startswith(f"{path}:"), result
    assert "entity amplification" in error
    assert "\n" not in error
