"""Our TMX export read by another tool (translate-toolkit) and by our own reader, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage.tmx import tmxfile

from review.cli import cli
from review.ingest import read_source
from review.model import Action, Block, InlineCode, Pair, Status, pair_id
from review.store import ProjectStore

DOC = "catalyst"
DTD = Path(__file__).parent.parent / "data" / "tmx" / "tmx14.dtd"
BOLD = (
    InlineCode("\ue000", '<bpt i="1" x="1">&lt;b&gt;</bpt>'),
    InlineCode("\ue001", '<ept i="1">&lt;/b&gt;</ept>'),
    InlineCode("\ue002", '<bpt i="1" x="1">&lt;b&gt;</bpt>'),
    InlineCode("\ue003", '<ept i="1">&lt;/b&gt;</ept>'),
)
LINK = (
    InlineCode("\ue000", '<ph x="1">&lt;a href="#cpec"/&gt;</ph>'),
    InlineCode("\ue001", '<ph x="1">&lt;a href="#cpec"/&gt;</ph>'),
)


def _pair(n: int, en: str, zh: str, **more: object) -> Pair:
    return Pair(
        id=pair_id(DOC, (n,), (n,)),
        doc_id=DOC,
        en=en,
        zh=zh,
        en_ids=(n,),
        zh_ids=(n,),
        line=n,
        divergence=0.3,
        **more,  # type: ignore[arg-type]
    )


CORRECTED = _pair(
    1,
    "Currently around 30,000 Pakistani youths are studying in Chinese Universities.",
    "目前约有3000名巴基斯坦青年在中国大学学习。",
)
ACCEPTED_CODES = _pair(
    2,
    "Press \ue000Save\ue001 to keep — “all” changes…",
    "按\ue002保存\ue003以保留——“所有”更改……",
    inline=BOLD,
)
CORRECTED_CODES = _pair(
    3, "See \ue000CPEC\ue001 & <its> progress.", "见\ue000中巴经济走廊\ue001。", inline=LINK
)
REJECTED = _pair(4, "Leave a Reply", "留下答复")
PENDING = _pair(5, "Infrastructure Development", "基础设施开发")
PAIRS = (CORRECTED, ACCEPTED_CODES, CORRECTED_CODES, REJECTED, PENDING)

FIX_1 = "目前约有3万名巴基斯坦青年在中国大学学习。"
FIX_3 = "参见\ue000中巴经济走廊\ue001的进展 & <其>。"
COMMENTS = {
    CORRECTED.id: ("30,000 = 3万, not 3000", "checked with “the client”…"),
    REJECTED.id: ("web chrome, not content <skip>",),
}
STATUS = {
    CORRECTED.id: Status.CORRECTED,
    ACCEPTED_CODES.id: Status.ACCEPTED,
    CORRECTED_CODES.id: Status.CORRECTED,
    REJECTED.id: Status.REJECTED,
    PENDING.id: Status.PENDING,
}
FINAL = {CORRECTED.id: FIX_1, CORRECTED_CODES.id: FIX_3}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interop") / "catalyst.review"
    with ProjectStore.create(path, PAIRS, source="catalyst.tmx", signature="test") as store:
        store.record(CORRECTED.id, Action.CORRECT, "li", {"text": FIX_1})
        for text in COMMENTS[CORRECTED.id]:
            store.record(CORRECTED.id, Action.COMMENT, "li", {"text": text})
        store.record(
            CORRECTED.id,
            Action.MQM,
            "li",
            {"category": "accuracy/mistranslation", "severity": "major"},
        )
        store.record(ACCEPTED_CODES.id, Action.ACCEPT, "wang")
        store.record(CORRECTED_CODES.id, Action.CORRECT, "wang", {"text": FIX_3})
        store.record(REJECTED.id, Action.REJECT, "wang")
        store.record(REJECTED.id, Action.COMMENT, "wang", {"text": COMMENTS[REJECTED.id][0]})
    return path


def _export(project: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["export", str(project), "--tmx", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def exported(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(project, tmp_path_factory.mktemp("out") / "catalyst.tmx")


def _expand(text: str, inline: tuple[InlineCode, ...]) -> str:
    """Text with every inline-code token replaced by its XML."""
    for code in inline:
        text = text.replace(code.token, code.xml)
    return text


def _plain(text: str, inline: tuple[InlineCode, ...]) -> str:
    """What a tool that flattens inline codes sees: each code's own text content."""
    for code in inline:
        text = text.replace(code.token, etree.fromstring(code.xml).xpath("string()"))
    return text


def _props(block: Block) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in block.props:
        out.setdefault(name, []).append(value)
    return out


def test_export_is_valid_tmx14(exported: Path) -> None:
    dtd = etree.DTD(str(DTD))
    tree = etree.parse(str(exported), etree.XMLParser(resolve_entities=False, no_network=True))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_translate_toolkit_reads_our_tmx(exported: Path) -> None:
    store = tmxfile.parsefile(str(exported))
    assert store.sourcelanguage == "en"
    units = store.units
    kept = [p for p in PAIRS if p is not REJECTED]  # rejected pairs are left out by default
    assert len(units) == len(kept)
    for unit, pair in zip(units, kept, strict=True):
        assert unit.source == _plain(pair.en, pair.inline)
        assert unit.target == _plain(FINAL.get(pair.id, pair.zh), pair.inline)
        assert unit.getnotes() == "\n".join(COMMENTS.get(pair.id, ()))
        props = {p.get("type"): p.text for p in unit.xmlelement.iter("{*}prop")}
        assert props["x-review-status"] == STATUS[pair.id].value
        if pair.id not in FINAL:
            assert "x-original-target" not in props
        elif not pair.inline:
            assert props["x-original-target"] == pair.zh
        langs = [
            n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in unit.getlanguageNodes()
        ]
        assert langs[0] == "en" and langs[1].lower().startswith("zh")


def test_our_reader_reimports_everything(exported: Path) -> None:
    blocks = read_source(exported).blocks
    kept = [p for p in PAIRS if p is not REJECTED]
    assert len(blocks) == len(kept)
    for block, pair in zip(blocks, kept, strict=True):
        assert _expand(block.en, block.inline) == _expand(pair.en, pair.inline)
        final = FINAL.get(pair.id, pair.zh)
        assert _expand(block.zh, block.inline) == _expand(final, pair.inline)
        assert block.notes == COMMENTS.get(pair.id, ())
        props = _props(block)
        assert props["x-review-status"] == [STATUS[pair.id].value]
        if pair.id in FINAL and not pair.inline:
            assert props["x-original-target"] == [pair.zh]
    mqm = [v for name, v in blocks[0].props if "mqm" in name.lower()]
    assert mqm and "accuracy/mistranslation" in mqm[0] and "major" in " ".join(mqm)


def test_original_target_with_inline_codes_survives(exported: Path) -> None:
    """A <prop> holds text only, so the MT's codes are written as their XML source."""
    unit = tmxfile.parsefile(str(exported)).units[2]
    props = {p.get("type"): p.text for p in unit.xmlelement.iter("{*}prop")}
    original = props["x-original-target"] or ""
    assert not any("\ue000" <= char <= "\uf8ff" for char in original)
    assert original == _expand(CORRECTED_CODES.zh, LINK)  # the codes' XML source: lossless


def test_rejected_pairs_exported_when_asked(project: Path, tmp_path: Path) -> None:
    statuses = "accepted,corrected,rejected,pending"
    out = _export(project, tmp_path / "all.tmx", "--status", statuses)
    units = tmxfile.parsefile(str(out)).units
    assert len(units) == len(PAIRS)
    rejected = units[3]
    assert rejected.source == REJECTED.en and rejected.target == REJECTED.zh
    assert rejected.getnotes() == COMMENTS[REJECTED.id][0]
    props = {p.get("type"): p.text for p in rejected.xmlelement.iter("{*}prop")}
    assert props["x-review-status"] == "rejected"


def test_translate_toolkit_rewrite_reads_back_the_same(exported: Path, tmp_path: Path) -> None:
    """Another tool re-saves our TMX; our reader still gets the same text, codes, notes, props."""
    store = tmxfile.parsefile(str(exported))
    resaved = tmp_path / "resaved.tmx"
    resaved.write_bytes(bytes(store))
    ours, theirs = read_source(exported).blocks, read_source(resaved).blocks
    assert [(_expand(b.en, b.inline), _expand(b.zh, b.inline), b.notes, b.props) for b in ours] == [
        (_expand(b.en, b.inline), _expand(b.zh, b.inline), b.notes, b.props) for b in theirs
    ]
