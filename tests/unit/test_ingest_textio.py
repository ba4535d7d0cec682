"""Encodings EN–ZH files arrive in: each decodes to the same text, or fails with a clear error."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from review.errors import InputError
from review.ingest.textio import iter_lines, read_text

TEXT = "Research and Development Initiatives 研发计划\n\n他说：“好。”然后走了——真的……\n"

ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("gb18030", b""),
    ("gbk", b""),
]


@pytest.mark.parametrize(("codec", "bom"), ENCODINGS)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_encoding_and_line_end_reads_the_same(
    tmp_path: Path, codec: str, bom: bytes, newline: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(bom + TEXT.replace("\n", newline).encode(codec))
    assert read_text(path) == TEXT
    assert list(iter_lines(path)) == list(enumerate(TEXT.rstrip("\n").split("\n"), start=1))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_detected_by_nul_pattern(tmp_path: Path, codec: str) -> None:
    text = (
        "The port opened in 2016.\t该港口于2016年开放。\n"
        "It handles ships of 70,000 tonnes.\t它可停靠7万吨船舶。\n"
    )
    path = tmp_path / "pairs.tsv"
    path.write_bytes(text.encode(codec))
    assert read_text(path) == text


def test_gb18030_is_only_taken_when_it_yields_chinese(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café in Zürich, naïve résumé.\nSecond line.\n".encode("latin-1"))
    with pytest.raises(InputError) as error:
        read_text(latin1)
    assert str(error.value) == (
        f"{latin1}:1: cannot decode byte 0xE9: not UTF-8, UTF-16 or GB18030/GBK text"
    )


def test_undecodable_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"first line\nsecond line\nthird \xff\xfe line\n")
    with pytest.raises(InputError) as error:
        read_text(path)
    assert error.value.line == 3
    assert "0xFF" in error.value.problem


def test_streaming_reports_the_line_of_a_late_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "late.tsv"
    good = "".join(f"Line {i}.\t第{i}行。\n" for i in range(1, 20001)).encode()
    path.write_bytes(good + b"Bad \xc3\x28 byte.\t\xe5\n")
    lines = iter_lines(path)
    with pytest.raises(InputError) as error:
        for _ in lines:
            pass
    assert error.value.line == 20001
    assert str(path) in str(error.value)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    with pytest.raises(InputError, match=r"image\.png: looks like a binary file"):
        read_text(path)


def test_only_blank_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\r\n  \r\n\t\n")
    with pytest.raises(InputError, match=r"blank\.txt: has no text"):
        read_text(path)
