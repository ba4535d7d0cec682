"""Invariants of ingest over generated input: nothing lost, nothing invented."""

from __future__ import annotations

import tempfile
from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from review.ingest import read_source
from review.ingest.article import article_blocks

_WS = regex.compile(r"\s+")
_FIELD = st.text(
    alphabet=st.sampled_from(list("ab Z\"',.;:!?—“”‘’()0123") + list("中文好。，！？、《》")),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(_FIELD, _FIELD), min_size=1, max_size=12))
def test_tsv_rows_come_back_as_written(rows: list[tuple[str, str]]) -> None:
    kept = [(en.strip(), zh.strip()) for en, zh in rows if en.strip() or zh.strip()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.tsv"
        path.write_text("en\tzh\n" + "".join(f"{en}\t{zh}\n" for en, zh in rows), "utf-8")
        if not kept:
            return
        blocks = read_source(path).blocks
    assert [(b.en, b.zh) for b in blocks] == kept


_LINE = st.lists(
    st.sampled_from(
        [
            "Research and Development Initiatives ",
            "研发计划",
            "The port opened in 2016. ",
            "该港口于2016年开放。",
            "Huawei",
            "Leave a Reply",
            "( 注意: 本文章有百度翻译的。",
            "— ",
            "\n",
            "\n\n",
            "\r\n",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=_LINE)
def test_article_keeps_every_character_once_in_order_of_lines(text: str) -> None:
    blocks = article_blocks(text)
    kept = "".join(b.en + b.zh for b in blocks)
    assert sorted(_WS.sub("", kept)) == sorted(_WS.sub("", text))
    assert [b.line for b in blocks] == sorted(b.line for b in blocks)
    assert all(b.en or b.zh for b in blocks)
