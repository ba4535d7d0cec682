"""Text made safe for a terminal: control characters become visible placeholders.

Input text may hold ESC, CSI/OSC sequences, C1 controls or BEL, which a terminal would obey
(clear the screen, retitle the window, ring, rewrite lines). Every terminal renderer (the TUI,
`review score --format text`, the terminal report, the CLI's messages) shows text through
`visible`; data formats (JSONL, TSV, TMX, CSV, JSON) keep the text exact.
"""

from __future__ import annotations

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␛ … ␟
_PICTURES[0x7F] = "\u2421"  # ␡
# C1 controls (0x9B is an 8-bit CSI) and lone surrogates (undecodable file-name bytes) have no
# picture; U+FFFD keeps the text one character per character, so finding spans still fit.
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_PICTURES.update({code: "\ufffd" for code in range(0xD800, 0xE000)})

_IN_TEXT = {code: char for code, char in _PICTURES.items() if code not in (0x09, 0x0A)}
"""Tab and line feed stay in multi-line text: they only move to the next cell or line."""


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character as a visible placeholder (`␛` for ESC, `␇` for BEL).

    Tab and line feed are kept unless `one_line`; the result has as many characters as `text`.
    """
    if text.isprintable():
        return text  # almost every text: one C-level scan
    return text.translate(_PICTURES if one_line else _IN_TEXT)
