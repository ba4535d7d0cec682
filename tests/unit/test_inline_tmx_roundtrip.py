"""TMX open → correct through placeholders → export: every inline tag comes out byte for byte."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from review.align import align_document
from review.export import ExportOptions
from review.export.tmx import ORIGINAL_PROP, tmx_bytes
from review.ingest import read_source
from review.inline import TagView
from review.model import ReviewState, Status

DATA = Path(__file__).parent.parent / "data"
TMX = DATA / "ingest" / "inline-codes.tmx"
# The inline elements TMX puts in a <seg>: each whole, with the <sub> a <bpt> may hold.
INLINE = re.compile(r"<(bpt|ept|it|ph|hi|ut)\b[^>]*?(?:/>|>.*?</\1>)", re.S)
ZH_SEG = re.compile(r'<tuv xml:lang="zh-CN">\s*<seg>(.*?)</seg>', re.S)

# What a reviewer types over the shown Chinese: words changed, every placeholder kept.
EDITS = {
    "单击⟨1⟩保存⟨/1⟩或按⟨x2/⟩并等待。": "请单击⟨1⟩保存⟨/1⟩或按⟨x2/⟩，然后等待。",
    "见⟨1⟩附件2、⟨x2/⟩和⟨3⟩1⟨/3⟩。": "参见⟨1⟩附录2、⟨x2/⟩和⟨3⟩1⟨/3⟩。",
}


def test_corrected_tmx_keeps_every_inline_tag_byte_for_byte() -> None:
    pairs = align_document(read_source(TMX))
    states = []
    for number, pair in enumerate(pairs, start=1):
        view = TagView.for_pair(pair)
        typed = EDITS[view.show(pair.zh)]
        assert view.check(typed) == ()
        states.append(
            ReviewState(
                pair=pair,
                number=number,
                status=Status.CORRECTED,
                correction=view.read(typed),
                reviewer="mei",
                changed_at=datetime(2024, 3, 12, tzinfo=UTC),
            )
        )
    data, count = tmx_bytes(states, ExportOptions(), now=datetime(2024, 3, 12, tzinfo=UTC))
    assert count == 2
    original = TMX.read_text(encoding="utf-8")
    written = data.decode("utf-8")
    before = [[m[0] for m in INLINE.finditer(seg)] for seg in ZH_SEG.findall(original)]
    after = [[m[0] for m in INLINE.finditer(seg)] for seg in ZH_SEG.findall(written)]
    assert after == before
    assert '<bpt i="4">&lt;a href="#fn"&gt;<sub>脚注文本</sub></bpt>' in after[1]
    assert '<ph x="2" type="image">&lt;img src="key.png" alt=\'Ctrl+S\'/&gt;</ph>' in after[0]

    # the corrected words are there, and the machine's text with its markup in the prop
    root = etree.fromstring(data)
    segs = root.xpath("//tuv[@xml:lang='zh-CN']/seg")
    assert "".join(segs[0].itertext()).startswith("请单击")
    originals = root.xpath(f"//prop[@type='{ORIGINAL_PROP}']/text()")
    assert originals[0].startswith('单击<bpt i="1" type="bold" x="1">&lt;b&gt;</bpt>保存')


def test_reopening_the_export_shows_the_same_placeholders(tmp_path: Path) -> None:
    pairs = align_document(read_source(TMX))
    states = [ReviewState(pair=p, number=n, status=Status.ACCEPTED) for n, p in enumerate(pairs, 1)]
    data, _ = tmx_bytes(states, ExportOptions())
    path = tmp_path / "again.tmx"
    path.write_bytes(data)
    reread = align_document(read_source(path))
    shown = [(TagView.for_pair(p).show(p.en), TagView.for_pair(p).show(p.zh)) for p in reread]
    assert shown == [
        (TagView.for_pair(p).show(p.en), TagView.for_pair(p).show(p.zh)) for p in pairs
    ]
