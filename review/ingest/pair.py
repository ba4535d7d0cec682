"""EN + ZH document pairs: running text, one sentence per line, or line-parallel files."""

from __future__ import annotations

from pathlib import Path

import regex

from review.errors import InputError
from review.ingest.textio import read_text
from review.model import Block, BlockKind, Document, Segmentation

_LANG_SUFFIX = regex.compile(r"(?i)[._-](?:en|eng|english|zh|zho|chinese|zh[_-]?(?:cn|hans|tw))$")


def pair_id(en: Path, zh: Path) -> str:
    """The document id: the EN file's stem without a language suffix (`report.en` → `report`)."""
    stem = _LANG_SUFFIX.sub("", en.stem)
    return stem or en.stem or zh.stem


def read_pair(
    en: str | Path | None,
    zh: str | Path | None,
    *,
    presegmented: bool = False,
    parallel: bool = False,
) -> Document:
    """One Document from an EN file and the ZH file that translates it."""
    if en is None or zh is None:
        given = en if en is not None else zh
        missing = "--zh" if zh is None else "--en"
        raise InputError(str(given), f"a document pair needs {missing} too")
    en_path, zh_path = Path(en), Path(zh)
    en_text, zh_text = read_text(en_path), read_text(zh_path)
    if parallel:
        blocks = _parallel(en_path, zh_path, en_text, zh_text)
        fmt = "parallel"
    elif presegmented:
        # Blank lines stay (as empty lines) so that line k of the text is line k of the file.
        blocks = (Block(_lines(en_text), _lines(zh_text), 1, Segmentation.LINES, zh_line=1),)
        fmt = "pair"
    else:
        blocks = (Block(en_text, zh_text, 1, Segmentation.TEXT, zh_line=1),)
        fmt = "pair"
    return Document(pair_id(en_path, zh_path), str(en_path), fmt, blocks)


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.rstrip().split("\n"))


def _parallel(en: Path, zh: Path, en_text: str, zh_text: str) -> tuple[Block, ...]:
    # Blank lines at the end are not lines to translate.
    en_lines = en_text.rstrip().split("\n")
    zh_lines = zh_text.rstrip().split("\n")
    if len(en_lines) != len(zh_lines):
        raise InputError(
            str(en),
            f"has {len(en_lines)} lines but {zh} has {len(zh_lines)}; --parallel needs"
            " line i of one file to translate line i of the other",
        )
    return tuple(
        Block(e.strip(), z.strip(), number, Segmentation.ALIGNED, BlockKind.SEGMENT)
        for number, (e, z) in enumerate(zip(en_lines, zh_lines, strict=True), start=1)
        if e.strip() or z.strip()
    )
