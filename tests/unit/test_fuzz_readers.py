"""Fuzzing the article and TSV readers: any bytes give a Document or a one-line InputError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.errors import InputError
from review.ingest import read_source
from review.model import Document

# Characters that stress the readers: CJK text and punctuation, tabs, every line end, BOMs,
# NUL and other controls, lone surrogates' neighbours, private-use and wide characters.
_ALPHABET = st.sampled_from(
    list("ab Z9.,;:!?'\"\t\n\r\x00\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\ue000\U0001f600")
    + list("中文翻译。，；：！？“”‘’（）《》—…、　")
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=300)
_ROWS = st.lists(st.tuples(_TEXT, _TEXT), max_size=12).map(
    lambda rows: "\n".join(f"{en}\t{zh}" for en, zh in rows)
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"])


@st.composite
def _file_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "rows"]))
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    text = draw(_TEXT if kind == "text" else _ROWS)
    return text.encode(draw(_ENCODINGS), errors="replace")


def _read(data: bytes, name: str) -> Document | InputError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return read_source(path)
        except InputError as error:
            assert str(error).startswith(str(path)), str(error)
            assert "\n" not in str(error), str(error)
            return error


def _check_document(document: Document) -> None:
    assert document.blocks, "a Document is returned only when it has content"
    for block in document.blocks:
        assert block.line >= 1
        assert "\x00" not in block.en + block.zh
        assert block.en.strip() or block.zh.strip()


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(_file_bytes())
def test_tsv_reader_returns_rows_or_input_error(data: bytes) -> None:
    result = _read(data, "fuzz.tsv")
    if isinstance(result, Document):
        _check_document(result)
        for block in result.blocks:
            assert "\t" not in block.en + block.zh and "\n" not in block.en + block.zh


@_FUZZ
@given(_file_bytes())
def test_article_reader_returns_blocks_or_input_error(data: bytes) -> None:
    result = _read(data, "fuzz.txt")
    if isinstance(result, Document):
        _check_document(result)


@_FUZZ
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=8))
def test_well_formed_tsv_rows_survive_in_order(rows: list[tuple[str, str]]) -> None:
    """Well-formed UTF-8 rows keep their stripped text, in order, whatever the characters."""
    clean = [
        (en.replace("\t", " ").strip(), zh.replace("\t", " ").strip())
        for en, zh in ((e.translate(_NO_BREAKS), z.translate(_NO_BREAKS)) for e, z in rows)
    ]
    data = "".join(f"{en}\t{zh}\n" for en, zh in clean).encode("utf-8")
    result = _read(data, "rows.tsv")
    expected = [(en, zh) for en, zh in clean if en or zh]
    if not expected:
        assert isinstance(result, InputError) and "no EN–ZH rows" in result.problem
        return
    assert isinstance(result, Document), result
    assert [(b.en, b.zh) for b in result.blocks] == expected


# Line breaks (as Python's universal newlines see them), NUL and a BOM cannot sit inside a row.
_NO_BREAKS = str.maketrans(dict.fromkeys("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\ufeff", " "))
