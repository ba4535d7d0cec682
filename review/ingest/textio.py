"""Reading text files in the encodings EN–ZH material comes in, with one-line errors.

Every reader opens its input through `open_source`. Standard input (`-`) and FIFOs can be read
only once, and a reader looks at the head before it reads the rest, so those are copied once
into an anonymous temp file (gone when closed, even after kill -9) that stands in for them
until `release_streams`; the CLI releases them when a command ends.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import regex

from review.errors import InputError, undecodable_name

STDIN = "-"
"""The input name that means standard input."""

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


class _PositionalReader(io.RawIOBase):
    """A reader with its own offset over a shared file descriptor (`os.pread`)."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = os.pread(self._descriptor, len(buffer), self._offset)
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)


_STREAMS: dict[str, IO[bytes]] = {}
"""Input name → the anonymous temp file holding what standard input or a FIFO gave."""


def release_streams() -> None:
    """Close the copies of standard input and FIFOs (the shells call it when a command ends)."""
    while _STREAMS:
        _STREAMS.popitem()[1].close()


def _is_stream(path: str | Path, info: os.stat_result | None) -> bool:
    if str(path) == STDIN:
        return True
    return info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode))


def _copy_stream(path: str | Path) -> IO[bytes]:
    """Read standard input or a FIFO once into an anonymous temp file; InputError on failure."""
    name = str(path)
    try:
        source: IO[bytes] = sys.stdin.buffer if name == STDIN else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        raise InputError(name, f"cannot be read ({error.strerror})") from error
    try:
        head = source.read(_SNIFF_BYTES)
        if not head:
            raise InputError(name, "is empty")
        # A device that never ends (/dev/zero) is binary: say so before copying any more.
        detect_encoding(name, head, complete=len(head) < _SNIFF_BYTES)
        folder = tempfile.gettempdir()
        copy: IO[bytes] | None = None
        try:
            copy = tempfile.TemporaryFile(prefix="review-input-")  # noqa: SIM115 - kept open
            copy.write(head)
            shutil.copyfileobj(source, copy, 1 << 20)
            copy.flush()
        except OSError as error:
            if copy is not None:
                copy.close()
            raise InputError(
                name,
                f"cannot be copied into the temporary folder {folder} ({error.strerror})",
                hint="free some space there, or set TMPDIR to a folder with room",
            ) from error
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    return copy


def check_file(path: str | Path) -> Path:
    """The path as a Path, or an InputError when it is missing, a folder or empty.

    Standard input (`-`) and FIFOs are read here, once (see `open_source`).
    """
    name = str(path)
    shown = undecodable_name(path)
    if shown is not None:
        raise InputError(shown, "the file name is not valid UTF-8", hint="rename the file")
    if name in _STREAMS:
        return Path(path)
    try:
        info: os.stat_result | None = os.stat(path) if name != STDIN else None
    except FileNotFoundError as error:
        raise InputError(name, "no such file") from error
    except OSError as error:
        raise InputError(name, f"cannot be read ({error.strerror})") from error
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a folder, not a file")
    if _is_stream(path, info):
        _STREAMS[name] = _copy_stream(path)
        return Path(path)
    if info is None or not stat.S_ISREG(info.st_mode):
        raise InputError(name, "is not a regular file, a FIFO or standard input")
    if info.st_size == 0:
        raise InputError(name, "is empty")
    return Path(path)


def open_source(path: str | Path) -> IO[bytes]:
    """A binary reader over a checked input, from its start (a FIFO or `-` as read once)."""
    check_file(path)
    stream = _STREAMS.get(str(path))
    try:
        if stream is not None:
            return io.BufferedReader(_PositionalReader(stream.fileno()), 1 << 16)
        return open(path, "rb")
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error


def read_head(path: str | Path, size: int = _SNIFF_BYTES) -> bytes:
    """The first `size` bytes of a checked file."""
    try:
        with open_source(path) as stream:
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
        utf16 = _utf16_without_bom(head, complete=complete)
        if utf16 is None:
            raise InputError(str(path), "looks like a binary file (NUL bytes), not text")
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError as error:
        if _plausible_gb18030(head, complete=complete):
            return "gb18030"
        # Chinese in UTF-16 with no ASCII at all (no line end) has no NUL byte either.
        utf16 = _utf16_without_bom(head, complete=complete)
        if utf16 is not None:
            return utf16
        raise _undecodable(path, head, error) from error
    return "utf-8"


# What UTF-16 text of this tool's languages is made of: ASCII, Latin-1, general and CJK
# punctuation, kana, Han, full-width forms. Random or mis-ordered bytes land elsewhere.
_TEXT_CHARS = regex.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2e80-\u2fdf\u3000-\u312f"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


def _utf16_without_bom(head: bytes, *, complete: bool) -> str | None:
    """UTF-16 LE or BE without a BOM, when the bytes read as text in one byte order.

    ASCII (line ends, digits, Latin) puts NULs in the high byte of each unit, so that order is
    tried first; Chinese text has few or none (`一` is U+4E00), so the text itself decides.
    """
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    orders = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    units = len(sample) // 2
    for codec in orders:
        low_nuls = even if codec == "utf-16-le" else odd
        if low_nuls > 0.05 * units:  # NUL characters, or U+xx00 far more often than text has
            continue
        try:
            text = codecs.getincrementaldecoder(codec)("strict").decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        if text and len(_TEXT_CHARS.findall(text)) >= 0.9 * len(text):
            return codec
    return None


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
    """The line of the first undecodable byte, read in fixed-size chunks (flat memory)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    line = 1
    with open_source(path) as stream:
        while chunk := stream.read(1 << 16):
            state = decoder.getstate()
            try:
                line += _line_ends(decoder.decode(chunk))
            except UnicodeDecodeError as error:
                # The error's bytes are the decoder's pending ones, then this chunk; the part
                # before the bad byte decodes (from the state the decoder had before it).
                good = error.object[: error.start]
                before = codecs.getincrementaldecoder(codec)("strict")
                before.setstate((b"", state[1]))
                return line + _line_ends(before.decode(bytes(good), final=False))
    return None


def _line_ends(text: str) -> int:
    """LF, CRLF and lone CR line ends in `text`, as the readers count lines."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def normalise_newlines(text: str) -> str:
    """CRLF and CR line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """The whole file as text with LF line ends and no BOM; InputError on anything else."""
    try:
        with open_source(path) as stream:
            data = stream.read()
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
        with io.TextIOWrapper(open_source(path), encoding=codec, errors="strict",
                              newline=None) as stream:  # fmt: skip
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
