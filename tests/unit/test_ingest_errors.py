"""Every bad input gives one InputError: a one-line message naming the file (and line)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from review.errors import InputError
from review.ingest import iter_blocks, read_document_pair, read_source

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def _copy(name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        return Path(shutil.copy(DATA / name, tmp / name))

    return make


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _folder(tmp: Path) -> Path:
    path = tmp / "articles"
    path.mkdir()
    return path


CASES = [
    (lambda tmp: tmp / "missing.txt", None, "no such file"),
    (_folder, None, "is a folder, not a file"),
    (_write("empty.tsv", b""), None, "is empty"),
    (_write("blank.txt", b"\n\n  \n"), None, "has no text (only blank lines)"),
    (
        _write("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01" * 4),
        None,
        "looks like a binary file (NUL bytes), not text",
    ),
    (
        _write("latin1.txt", "Première ligne.\nDeuxième ligne.\n".encode("latin-1")),
        1,
        "cannot decode byte 0xE8: not UTF-8, UTF-16 or GB18030/GBK text",
    ),
    (
        _copy("malformed.tmx"),
        10,
        "malformed XML: Opening and ending tag mismatch: b line 10 and seg, line 10, column 51",
    ),
    (_copy("no-body.tmx"), None, "TMX has no <body>"),
    (_copy("en-de.tmx"), None, "TMX has no zh <tuv> with text (languages found: de, en)"),
    (_copy("not-tmx.xml"), 2, "root element is <xliff>, not <tmx>"),
    (
        _copy("one-column-row.tsv"),
        2,
        "has 1 column; a TSV needs an EN and a ZH column separated by a tab",
    ),
    (
        _copy("no-tabs.tsv"),
        1,
        "has 1 column; a TSV needs an EN and a ZH column separated by a tab",
    ),
    (_write("header-only.tsv", b"en\tzh\n\n"), None, "has no EN\u2013ZH rows"),
]


@pytest.mark.parametrize(("make", "line", "problem"), CASES)
def test_bad_source(
    tmp_path: Path, make: Callable[[Path], Path], line: int | None, problem: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as error:
        read_source(path)
    where = f"{path}:{line}" if line is not None else str(path)
    assert str(error.value) == f"{where}: {problem}"
    assert (error.value.path, error.value.line, error.value.problem) == (str(path), line, problem)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("make", "line", "problem"), CASES)
def test_streaming_reader_raises_the_same(
    tmp_path: Path, make: Callable[[Path], Path], line: int | None, problem: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as error:
        list(iter_blocks(path))
    assert (error.value.line, error.value.problem) == (line, problem)


def test_pair_needs_both_sides(tmp_path: Path) -> None:
    en = tmp_path / "a.en.txt"
    en.write_text("Hello.\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document_pair(en, None)
    assert str(error.value) == f"{en}: a document pair needs --zh too"
    with pytest.raises(InputError) as error:
        read_document_pair(None, en)
    assert str(error.value) == f"{en}: a document pair needs --en too"


def test_pair_names_the_bad_side(tmp_path: Path) -> None:
    en = tmp_path / "a.en.txt"
    en.write_text("Hello.\n", encoding="utf-8")
    zh = tmp_path / "a.zh.txt"
    with pytest.raises(InputError) as error:
        read_document_pair(en, zh)
    assert str(error.value) == f"{zh}: no such file"
    zh.write_bytes(b"\x00\x01\x02\x03binary\x00\x00")
    with pytest.raises(InputError, match="looks like a binary file"):
        read_document_pair(en, zh, parallel=True)
