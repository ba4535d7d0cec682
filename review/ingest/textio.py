"""Reading text files in the encodings EN–ZH material comes in, with one-line errors."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import regex

from review.errors import InputError

_SNIFF_BYTES = 1 << 16
MAX_LINE = 100_000
"""Characters in one line at most: longer is a dump, not a sentence or paragraph, and would
stall segmentation and scoring."""
_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}+")
_HAN_IN_WORD = regex.compile(r"(?<=[A-Za-z])\p{Han}(?=[A-Za-z])")
# C0/C1 controls other than tab, newline, carriage return and form feed: a sign of a wrong codec.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Each codec consumes its BOM itself (and takes the byte order from it); UTF-32 goes first
# because its little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_file(path: str | Path) -> Path:
    """The path as a Path, or an InputError when it is missing, a folder or empty."""
    file = Path(path)
    if not file.exists():
        raise InputError(str(path), "no such file")
    if file.is_dir():
        raise InputError(str(path), "is a folder, not a file")
    try:
        size = file.stat().st_size
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error
    if size == 0:
        raise InputError(str(path), "is empty")
    return file


def read_head(path: str | Path, size: int = _SNIFF_BYTES) -> bytes:
    """The first `size` bytes of a checked file."""
    file = check_file(path)
    try:
        with file.open("rb") as stream:
            return stream.read(size)
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error


def bom_length(head: bytes) -> int:
    """How many leading bytes are a byte-order mark."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return len(bom)
    return 0


def detect_encoding(path: str | Path, head: bytes, *, complete: bool) -> str:
    """The codec for a file from its first bytes (`complete` when they are the whole file)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if b"\x00" in head:
        utf16 = _utf16_by_nul_pattern(head)
        if utf16 is None:
            raise InputError(str(path), "looks like a binary file (NUL bytes), not text")
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError as error:
        if _plausible_gb18030(head, complete=complete):
            return "gb18030"
        raise _undecodable(path, head, error) from error
    return "utf-8"


def _utf16_by_nul_pattern(head: bytes) -> str | None:
    """UTF-16 without a BOM shows NULs in every other byte of ASCII-heavy text."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls > 0.3 and even_nuls < 0.02:
        codec = "utf-16-le"
    elif even_nuls > 0.3 and odd_nuls < 0.02:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if not _too_many_controls(text) else None


def _plausible_gb18030(head: bytes, *, complete: bool) -> bool:
    """GB18030 maps almost any byte string, so accept it only when it yields Chinese text."""
    decoder = codecs.getincrementaldecoder("gb18030")("strict")
    try:
        text = decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii or _too_many_controls(text):
        return False
    han = len(_HAN.findall(text))
    # Mostly Han or CJK punctuation / full-width forms among the non-ASCII characters.
    cjk = sum(1 for c in non_ascii if "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    if han == 0 or (han + cjk) < 0.6 * len(non_ascii):
        return False
    # Latin-1 `è` + `r` decodes to one Han inside a Latin word (`Premi鑢e`); Chinese does not.
    runs = _HAN_RUN.findall(text)
    return len(_HAN_IN_WORD.findall(text)) * 3 <= len(runs)


def _too_many_controls(text: str) -> bool:
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def _undecodable(path: str | Path, data: bytes, error: UnicodeDecodeError) -> InputError:
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start : error.start + 1].hex().upper()
    return InputError(
        str(path),
        f"cannot decode byte 0x{byte}: not UTF-8, UTF-16 or GB18030/GBK text",
        line,
        hint="save the file as UTF-8",
    )


def _first_bad_line(path: str | Path, codec: str) -> int | None:
    """The line of the first undecodable byte, for codecs where LF is always one byte."""
    if codec not in ("utf-8", "utf-8-sig", "gb18030"):
        return None
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                return number
    return None


def normalise_newlines(text: str) -> str:
    """CRLF and CR line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """The whole file as text with LF line ends and no BOM; InputError on anything else."""
    file = check_file(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error
    codec = detect_encoding(path, data, complete=True)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise _undecodable(path, data, error) from error
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError(str(path), "has no text (only blank lines)")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(str(path), "contains a NUL character: not a text file", line)
    if len(text) > MAX_LINE:
        for number, line_text in enumerate(text.split("\n"), start=1):
            if len(line_text) > MAX_LINE:
                raise _too_long(path, number)
    return text


def _too_long(path: str | Path, line: int) -> InputError:
    return InputError(
        str(path),
        f"line is too long (over {MAX_LINE:,} characters): not text made of lines",
        line,
        hint="split the text into lines (one paragraph or segment each)",
    )


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Stream (1-based line number, line without its line end); memory stays flat."""
    head = read_head(path)
    codec = detect_encoding(path, head, complete=len(head) < _SNIFF_BYTES)
    number = 0
    try:
        # newline=None turns CRLF and CR into LF while reading.
        with open(path, encoding=codec, errors="strict", newline=None) as stream:
            # readline(limit) keeps one enormous line from being read whole into memory.
            lines = iter(lambda: stream.readline(MAX_LINE + 1), "")
            for number, line in enumerate(lines, start=1):
                if len(line) > MAX_LINE and not line.endswith("\n"):
                    raise _too_long(path, number)
                if "\x00" in line:
                    raise InputError(str(path), "contains a NUL character: not a text file", number)
                yield number, line.rstrip("\n")
    except UnicodeDecodeError as error:
        raise InputError(
            str(path),
            f"cannot decode the text as {codec} ({error.reason})",
            _first_bad_line(path, codec) or number + 1,
            hint="save the file as UTF-8",
        ) from error
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error
