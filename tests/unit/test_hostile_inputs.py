"""Hostile and broken input through `review score`: a one-line error, exit 1, nothing written.

Each case builds its files in a temp folder and runs the real command in a subprocess (so a
traceback, a hang or a memory blow-up cannot hide), with a time and address-space limit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from review.errors import InputError
from review.ingest.textio import MAX_LINE, iter_lines, read_text

SECRET = "TOP-SECRET-e1f4c9"
GOOD_TSV = (
    "The meeting starts at 9 a.m.\t会议上午9点开始。\nPlease keep the receipt.\t请保留收据。\n"
)
GOOD_EN = "The meeting starts at 9 a.m. on Monday. Please keep the receipt.\n"
GOOD_ZH = "会议于星期一上午9点开始。请保留收据。\n"
TU = (
    '<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv></tu>\n'
)
HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"'
    ' adminlang="en" srclang="en" datatype="plaintext"/>\n'
)


def tmx(body: str, doctype: str = "") -> str:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return f'{prolog}{doctype}<tmx version="1.4">\n{HEADER}{body}</tmx>\n'


@dataclass(frozen=True)
class Case:
    """A hostile input: files to write, the `review score` arguments, and the error to expect."""

    name: str
    build: Callable[[Path], list[str]]  # writes files into the folder, returns the arguments
    problem: str  # a regex the error line must match after "review: error: "
    line: int | None = None  # the line the error must name, when the reader can know it


def _write(folder: Path, name: str, data: str | bytes) -> str:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


def _xxe(folder: Path) -> list[str]:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    doctype = f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    body = "<body>\n" + TU.format(en="Hello &xxe;", zh="你好 &xxe;") + "</body>\n"
    return [_write(folder, "xxe.tmx", tmx(body, doctype))]


def _xxe_parameter(folder: Path) -> list[str]:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    evil = folder / "evil.dtd"
    evil.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    doctype = f'<!DOCTYPE tmx [<!ENTITY % ext SYSTEM "{evil.as_uri()}"> %ext;]>\n'
    body = "<body>\n" + TU.format(en="Hello &leak;", zh="你好 &leak;") + "</body>\n"
    return [_write(folder, "xxe-dtd.tmx", tmx(body, doctype))]


def _billion_laughs(folder: Path) -> list[str]:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE tmx [\n" + "\n".join(entities) + "\n]>\n"
    body = "<body>\n" + TU.format(en="Laugh &lol9;", zh="笑 &lol9;") + "</body>\n"
    return [_write(folder, "lol.tmx", tmx(body, doctype))]


def _quadratic_blowup(folder: Path) -> list[str]:
    doctype = f'<!DOCTYPE tmx [<!ENTITY a "{"x" * 50_000}">]>\n'
    body = "<body>\n" + TU.format(en="&a;" * 2_000, zh="好") + "</body>\n"
    return [_write(folder, "quadratic.tmx", tmx(body, doctype))]


def _long_line(suffix: str) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        line = ("All work and no play makes Jack a dull boy. " * 240_000)[:10_000_000]
        text = line + ("\t只工作不玩耍。\n" if suffix == ".tsv" else "\n")
        return [_write(folder, f"long{suffix}", text)]

    return build


def _binary(name: str) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
        return [_write(folder, name, data)]

    return build


def _bad_utf8_middle(folder: Path) -> list[str]:
    rows = [f"Sentence number {i} is fine.\t第{i}句没有问题。\n".encode() for i in range(1, 600)]
    rows[449] = "Sentence 450 is broken\t第450句".encode() + b"\xff\xfe\xc3\x28" + b"\n"
    return [_write(folder, "bad-middle.tsv", b"".join(rows))]


def _mixed_encodings(folder: Path) -> list[str]:
    head = "".join(f"Paragraph {i} is in English.\n\n这是第{i}段中文。\n\n" for i in range(200))
    tail = "".join(
        f"Paragraph {i} is in English.\n\n这是第{i}段中文。\n\n" for i in range(200, 220)
    )
    data = head.encode("utf-8") + tail.encode("gbk")
    return [_write(folder, "mixed.txt", data)]


def _empty(name: str) -> Callable[[Path], list[str]]:
    return lambda folder: [_write(folder, name, b"")]


def _blank(folder: Path) -> list[str]:
    return [_write(folder, "blank.txt", "\n \n\t\n\n")]


def _tmx_no_body(folder: Path) -> list[str]:
    return [_write(folder, "no-body.tmx", tmx(""))]


def _tmx_unknown_languages(folder: Path) -> list[str]:
    tu = (
        '<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv>'
        '<tuv xml:lang="de"><seg>Hallo</seg></tuv></tu>\n'
    )
    return [_write(folder, "fr-de.tmx", tmx(f"<body>\n{tu}</body>\n"))]


def _tmx_truncated(folder: Path) -> list[str]:
    text = tmx("<body>\n" + TU.format(en="Hello", zh="你好") * 3 + "</body>\n")
    return [_write(folder, "truncated.tmx", text[: text.index("</body>") - 30])]


def _tsv_ragged(folder: Path) -> list[str]:
    rows = GOOD_TSV + "This row has no Chinese column\n" + GOOD_TSV
    return [_write(folder, "ragged.tsv", rows)]


def _folder(folder: Path) -> list[str]:
    (folder / "a-folder.tsv").mkdir()
    return [str(folder / "a-folder.tsv")]


def _missing(folder: Path) -> list[str]:
    return [str(folder / "missing.tsv")]


Builder = Callable[[Path], list[str]]


def _pair(en: Builder, zh: Builder, *flags: str) -> Builder:
    return lambda folder: ["--en", en(folder)[0], "--zh", zh(folder)[0], *flags]


def _good_en(folder: Path) -> list[str]:
    return [_write(folder, "doc.en.txt", GOOD_EN)]


def _good_zh(folder: Path) -> list[str]:
    return [_write(folder, "doc.zh.txt", GOOD_ZH)]


CASES = [
    Case("billion-laughs", _billion_laughs, r"entity amplification"),
    Case("quadratic-blowup", _quadratic_blowup, r"entity amplification", 6),
    Case("10mb-line-article", _long_line(".txt"), r"line is too long", 1),
    Case("10mb-line-tsv", _long_line(".tsv"), r"line is too long", 1),
    Case("binary-as-txt", _binary("image.txt"), r"binary"),
    Case("binary-as-tsv", _binary("image.tsv"), r"binary"),
    Case("binary-as-tmx", _binary("image.tmx"), r"binary|not.*XML|malformed"),
    Case("invalid-utf8-middle", _bad_utf8_middle, r"cannot decode", 450),
    Case("mixed-encodings", _mixed_encodings, r"cannot decode", 803),
    Case("empty-txt", _empty("empty.txt"), r"is empty"),
    Case("empty-tsv", _empty("empty.tsv"), r"is empty"),
    Case("empty-tmx", _empty("empty.tmx"), r"is empty"),
    Case("blank-lines-only", _blank, r"no text"),
    Case("tmx-without-body", _tmx_no_body, r"no <body>"),
    Case("tmx-unknown-languages", _tmx_unknown_languages, r"no en or zh.*fr"),
    Case("tmx-truncated", _tmx_truncated, r"malformed XML"),
    Case("tsv-ragged-rows", _tsv_ragged, r"1 column", 3),
    Case("folder-not-file", _folder, r"folder|directory"),
    Case("missing-file", _missing, r"no such file|does not exist"),
    Case("pair-binary-zh", _pair(_good_en, _binary("doc.zh.txt")), r"binary"),
    Case("pair-missing-zh", _pair(_good_en, _missing), r"no such file|does not exist"),
    Case("pair-folder-en", _pair(_folder, _good_zh), r"folder|directory"),
    Case("pair-empty-zh", _pair(_good_en, _empty("empty.zh.txt")), r"is empty"),
    Case(
        "lines-invalid-utf8",
        _pair(
            _good_en,
            lambda folder: [_write(folder, "lines.zh.txt", "第一句。\n".encode() + b"\xc0\xc1\n")],
            "--presegmented",
        ),
        r"cannot decode",
        2,
    ),
    Case(
        "parallel-unequal-lines",
        _pair(
            lambda folder: [_write(folder, "par.en.txt", "One.\nTwo.\nThree.\n")],
            lambda folder: [_write(folder, "par.zh.txt", "一。\n二。\n")],
            "--parallel",
        ),
        r"3 lines but .* 2",
    ),
]


# `review score` with 4 GiB of address space: an entity bomb that expanded would die there
# instead of taking the machine down. Set in the child itself (preexec_fn is unsafe once the
# test process has threads, as after the Dask tests).
LIMITED_REVIEW = (
    "import resource, runpy, sys; "
    "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)); "
    "sys.argv[0] = 'review'; "
    "runpy.run_module('review', run_name='__main__', alter_sys=True)"
)


def run_score(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LIMITED_REVIEW, "score", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=cwd,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
@pytest.mark.parametrize("suffix", [".jsonl"])
def test_hostile_input_gives_one_line_error_and_no_output(
    case: Case, suffix: str, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    args = case.build(folder)
    out = tmp_path / "out" / f"scored{suffix}"
    out.parent.mkdir()
    result = run_score([*args, "-o", str(out)], tmp_path)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    error = lines[0]
    assert error.startswith("review: error: "), error
    if len(lines) == 2:
        assert lines[1].startswith("review: hint: "), result.stderr
    assert re.search(case.problem, error, re.IGNORECASE), error
    named = [arg for arg in args if not arg.startswith("--")]
    assert any(Path(arg).name in error for arg in named), f"no file named in {error!r}"
    if case.line is not None:
        assert re.search(rf":{case.line}\b", error), f"line {case.line} not in {error!r}"
    assert len(error) < 400, "one short line, not a dump of the input"
    assert list(out.parent.iterdir()) == [], "output or a temp file was left behind"
    assert result.stdout == ""
    assert SECRET not in result.stderr + result.stdout


@pytest.mark.parametrize("build", [_xxe, _xxe_parameter], ids=["system-entity", "parameter-entity"])
def test_external_entities_are_never_read(build: Builder, tmp_path: Path) -> None:
    """The reader never resolves entities: the reference stays an opaque inline code."""
    args = build(tmp_path)
    out = tmp_path / "scored.jsonl"
    result = run_score([*args, "-o", str(out)], tmp_path)
    output = out.read_text(encoding="utf-8") if out.exists() else ""
    assert SECRET not in output + result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in output.splitlines()]
    assert [(row["en"], row["zh"]) for row in rows] == [("Hello \ue000", "你好 \ue001")]


@pytest.mark.parametrize("size", [MAX_LINE - 1, MAX_LINE])
def test_longest_allowed_line_is_read(size: int, tmp_path: Path) -> None:
    en = ("Long line. " * (size // 10 + 1))[: size - 4].rstrip() + "."
    line = en + "\t" + "长。" * 2
    line = line[:size]
    path = tmp_path / "long.tsv"
    path.write_text(f"Short.\t短。\n{line}\n", encoding="utf-8")
    assert [len(text) for _, text in iter_lines(path)] == [9, size]
    assert len(read_text(path).split("\n")[1]) == size
    path.write_text(f"Short.\t短。\n{line}{'x' * (MAX_LINE + 1 - size)}\n", encoding="utf-8")
    with pytest.raises(InputError, match="line is too long") as error:
        list(iter_lines(path))
    assert error.value.line == 2


def test_bad_input_on_the_dask_engine_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    args = _tsv_ragged(tmp_path)
    out = tmp_path / "out" / "scored.parquet"
    out.parent.mkdir()
    result = run_score([*args, "--engine", "dask", "-o", str(out)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"review: error: {args[0]}:3: has 1 column; a TSV needs an EN and a ZH column"
        " separated by a tab"
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.parent.iterdir()) == []
