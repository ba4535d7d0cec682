"""Markdown documents: headings, paragraphs, list items and table cells as blocks of prose.

markdown-it-py (CommonMark, with tables, strikethrough, linkify and front matter) finds the
structure. Code (fenced and inline), URLs, images, HTML tags and front matter are never prose:
code blocks and front matter are left out, and what sits inside a sentence becomes an inline
code whose native text is its exact Markdown source, so `MdBlock.source()` gives the block back.
An EN and a ZH document are paired section by section: their headings anchor the alignment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import regex

from review.ingest.pair import pair_id
from review.ingest.textio import read_text
from review.inline import Role, TooManyCodes, add_code, code_xml
from review.model import Block, BlockKind, Document, InlineCode, Segmentation

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


BlockType = Literal["heading", "paragraph", "item", "cell", "html"]


@dataclass(frozen=True, slots=True)
class MdCode:
    """A piece of Markdown that is not prose, kept as its exact source."""

    role: Role  # a link's `[` opens and its `](url)` closes; inline code stands alone
    native: str


@dataclass(frozen=True, slots=True)
class MdBlock:
    """One block of prose of one document: text pieces and codes, in order."""

    type: BlockType
    line: int  # 1-based line of the file where it starts
    pieces: tuple[str | MdCode, ...]
    level: int = 0  # 1–6 for headings

    def source(self) -> str:
        """The block's Markdown source, as the file has it (without block markers)."""
        return "".join(p if isinstance(p, str) else p.native for p in self.pieces)

    def prose(self) -> str:
        """Only its words: what a reader sees of the block, codes left out."""
        return "".join(p for p in self.pieces if isinstance(p, str))


@dataclass(frozen=True, slots=True)
class MarkdownText:
    """One Markdown document read into its blocks of prose."""

    path: str
    blocks: tuple[MdBlock, ...]
    skipped: tuple[tuple[str, int], ...] = ()  # (what, line) left out: code, front matter …


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark", {"linkify": True})
    parser.enable(["table", "strikethrough", "linkify"])
    return parser.use(front_matter_plugin)


_HAS_LETTER = regex.compile(r"\p{L}")
_NOT_PROSE = {"fence": "code", "code_block": "code", "front_matter": "front matter"}


def parse_markdown(text: str, path: str = "") -> MarkdownText:
    """The blocks of prose of a Markdown text, each with its line; code is never prose."""
    tokens = _parser().parse(text)
    blocks: list[MdBlock] = []
    skipped: list[tuple[str, int]] = []
    context: list[tuple[BlockType, int]] = []  # the open heading / item / cell around an inline
    row_line = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else row_line
        if token.type in _NOT_PROSE:
            skipped.append((_NOT_PROSE[token.type], line))
        elif token.type == "heading_open":
            context.append(("heading", int(token.tag[1:])))
        elif token.type == "list_item_open":
            context.append(("item", 0))
        elif token.type == "tr_open":
            row_line = line  # cells have no line of their own
        elif token.type in ("th_open", "td_open"):
            context.append(("cell", 0))
        elif token.type in ("heading_close", "list_item_close", "th_close", "td_close"):
            context.pop()
        elif token.type == "html_block":
            blocks.extend(_html_blocks(token.content, line))
        elif token.type == "inline":
            kind, level = context[-1] if context else ("paragraph", 0)
            block = MdBlock(kind, line, _inline_pieces(token), level)
            if _HAS_LETTER.search(block.prose()):
                blocks.append(block)
            else:
                skipped.append(("no prose", line))  # a bare URL, an image, a number …
    return MarkdownText(path, tuple(blocks), tuple(skipped))


def read_markdown(path: str | Path) -> MarkdownText:
    """Read a Markdown file (any encoding the text readers know) into its blocks of prose."""
    return parse_markdown(read_text(path), str(path))


# --- inline content ------------------------------------------------------------------------

_LINK_TAIL = re.compile(
    r"""\](?:\(\s*(?:<[^>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
    r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)"""
    r"""|\[(?:[^\]\\]|\\.)*\])?""",
    re.S,
)
_URL = re.compile(r"(?:https?|ftp)://[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?。，；：！？]")
_BREAK = re.compile(r"(?:[ \t]*\\|[ \t]*)\n[ \t]*")
_PAIRED = {"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"}


class _Locator:
    """Walks an inline token's source beside its children, cutting text from codes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.pieces: list[str | MdCode] = []

    def text_to(self, end: int) -> None:
        if end > self.pos:
            self.pieces.append(self.source[self.pos : end])
            self.pos = end

    def code(self, start: int, end: int, role: Role) -> None:
        self.text_to(start)
        self.pieces.append(MdCode(role, self.source[start:end]))
        self.pos = end

    def find(self, literal: str) -> int:
        """The next unescaped `literal` from the cursor, or -1."""
        at = self.source.find(literal, self.pos)
        while at > 0 and _escaped(self.source, at):
            at = self.source.find(literal, at + 1)
        return at

    def finish(self) -> tuple[str | MdCode, ...]:
        self.text_to(len(self.source))
        return _with_urls(self.pieces)


def _with_urls(pieces: Sequence[str | MdCode]) -> tuple[str | MdCode, ...]:
    """Text pieces merged, and any URL in them (a link's text, say) made a code too."""
    merged: list[str | MdCode] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    out: list[str | MdCode] = []
    for piece in merged:
        if not isinstance(piece, str):
            out.append(piece)
            continue
        position = 0
        for url in _URL.finditer(piece):
            if url.start() > position:
                out.append(piece[position : url.start()])
            out.append(MdCode(Role.SOLO, url[0]))
            position = url.end()
        if position < len(piece):
            out.append(piece[position:])
    return tuple(out)


def _escaped(source: str, at: int) -> bool:
    """Whether the character at `at` follows an odd run of backslashes."""
    run = len(source[:at]) - len(source[:at].rstrip("\\"))
    return run % 2 == 1


def _inline_pieces(token: Token) -> tuple[str | MdCode, ...]:
    walk = _Locator(token.content)
    children = token.children or []
    index = 0
    while index < len(children):
        child = children[index]
        index += 1
        if child.type == "text":
            if walk.source.startswith(child.content, walk.pos):
                walk.text_to(walk.pos + len(child.content))
        elif child.type in ("softbreak", "hardbreak"):
            brk = _BREAK.match(walk.source, walk.pos)
            if brk:
                walk.text_to(brk.end())
        elif child.type == "code_inline":
            _code_span(walk, child.markup)
        elif child.type == "html_inline":
            at = walk.source.find(child.content, walk.pos)
            if at >= 0:
                walk.code(at, at + len(child.content), Role.SOLO)
        elif child.type == "image":
            _image(walk)
        elif child.type == "link_open" and child.markup in ("linkify", "autolink"):
            index = _whole_link(walk, children, index, child.markup)
        elif child.type == "link_open":
            at = walk.find("[")
            if at >= 0:
                walk.code(at, at + 1, Role.OPEN)
        elif child.type == "link_close":
            at = walk.find("]")
            tail = _LINK_TAIL.match(walk.source, at) if at >= 0 else None
            if tail:
                walk.code(at, tail.end(), Role.CLOSE)
        elif child.type in _PAIRED:
            at = walk.find(child.markup)
            if at >= 0:
                role = Role.OPEN if child.type.endswith("_open") else Role.CLOSE
                walk.code(at, at + len(child.markup), role)
    return walk.finish()


def _code_span(walk: _Locator, ticks: str) -> None:
    pattern = re.compile(rf"(?<!`){re.escape(ticks)}(?!`).*?(?<!`){re.escape(ticks)}(?!`)", re.S)
    match = pattern.search(walk.source, walk.pos)
    while match and _escaped(walk.source, match.start()):
        match = pattern.search(walk.source, match.start() + 1)
    if match:
        walk.code(match.start(), match.end(), Role.SOLO)


def _image(walk: _Locator) -> None:
    at = walk.find("![")
    if at < 0:
        return
    depth, end = 0, at + 1
    while end < len(walk.source):
        char = walk.source[end]
        if char == "\\":
            end += 2
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            break
        end += 1
    tail = _LINK_TAIL.match(walk.source, end)
    if tail:
        walk.code(at, tail.end(), Role.SOLO)


def _whole_link(walk: _Locator, children: Sequence[Token], index: int, markup: str) -> int:
    """A bare URL or an `<autolink>` as one code; returns the index after its link_close."""
    shown = ""
    while index < len(children) and children[index].type != "link_close":
        shown += children[index].content
        index += 1
    if markup == "autolink":
        at = walk.find("<")
        end = walk.source.find(">", at) + 1 if at >= 0 else 0
    else:
        at = walk.source.find(shown, walk.pos) if shown else -1
        end = at + len(shown)
    if at >= 0 and end > at:
        walk.code(at, end, Role.SOLO)
    return index + 1


# --- HTML blocks ---------------------------------------------------------------------------

_HTML_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_INLINE_HTML = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "img",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
_RAW_HTML = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea"})


def _html_blocks(content: str, first_line: int) -> list[MdBlock]:
    """The runs of text in an HTML block (a table's cells …), inline tags as codes."""
    blocks: list[MdBlock] = []
    pieces: list[str | MdCode] = []
    start: int | None = None
    raw_depth = 0
    position = 0

    def flush() -> None:
        nonlocal pieces, start
        block = _trimmed(pieces, first_line + content.count("\n", 0, start or 0))
        if block is not None and _HAS_LETTER.search(block.prose()):
            blocks.append(block)
        pieces, start = [], None

    for match in _HTML_TAG.finditer(content):
        text = content[position : match.start()]
        if text:
            if raw_depth:
                pieces.append(MdCode(Role.SOLO, text))
            else:
                if start is None and text.strip():
                    start = position + len(text) - len(text.lstrip())
                pieces.append(text)
        name = (match[2] or "").lower()
        if name in _RAW_HTML:
            raw_depth += -1 if match[1] else 1
            raw_depth = max(raw_depth, 0)
        if name in _INLINE_HTML or raw_depth or (name in _RAW_HTML and match[1]):
            pieces.append(MdCode(Role.SOLO, match[0]))
        else:
            flush()
        position = match.end()
    pieces.append(content[position:])
    if start is None and content[position:].strip():
        start = position + len(content[position:]) - len(content[position:].lstrip())
    flush()
    return blocks


def _trimmed(pieces: list[str | MdCode], line: int) -> MdBlock | None:
    """An HTML text run without the whitespace around it (its codes kept), or None."""
    parts = list(pieces)
    while parts and isinstance(parts[0], str) and not parts[0].strip():
        parts.pop(0)
    while parts and isinstance(parts[-1], str) and not parts[-1].strip():
        parts.pop()
    if not parts:
        return None
    if isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return MdBlock("html", line, tuple(parts))


# --- pairing an EN and a ZH document -------------------------------------------------------


@dataclass(slots=True)
class _Section:
    heading: MdBlock | None
    body: list[MdBlock] = field(default_factory=list)


def _sections(text: MarkdownText) -> list[_Section]:
    sections = [_Section(None)]
    for block in text.blocks:
        if block.type == "heading":
            sections.append(_Section(block))
        else:
            sections[-1].body.append(block)
    return sections


Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
Aligner = Callable[[list[str], list[str], Literal["heading", "paragraph"]], Beads]
"""Pairs EN with ZH headings or paragraphs, in order: each bead the numbers of one side and the
other (either may be empty); `align_blocks`, the project's aligner, is the default."""


def align_blocks(en: list[str], zh: list[str], what: Literal["heading", "paragraph"]) -> Beads:
    """The project's bead aligner, with its paragraph settings or with heading ones."""
    from review.align import Params, align_sentences
    from review.align.document import PARAGRAPH_PARAMS

    heading = Params(lexical=0.3, beads=HEADING_BEADS)
    params = heading if what == "heading" else PARAGRAPH_PARAMS
    return [(b.en, b.zh) for b in align_sentences(en, zh, None, params)]


# A heading pairs with one heading or with none, never with two. The aligner prices bead types
# from counts (`review.align.dp.bead_costs`); with the counts of literary prose, where a 1-2 is
# seven times as common as a 0-1, a heading the other document lacks would merge into its
# neighbour. Heading counts instead: about one heading in ten has no counterpart, and the types
# that merge headings keep only their smoothing, so a 0-1 or 1-0 costs 2.1 and a 1-2 or 2-1 3.7.
# Dictionary evidence counts more than in prose, as headings are short.
HEADING_BEADS: tuple[tuple[int, int, int], ...] = ((1, 1, 20), (1, 0, 2), (0, 1, 2))


def read_markdown_pair(
    en: str | Path, zh: str | Path, *, aligner: Aligner | None = None
) -> Document:
    """An EN Markdown document and its ZH translation as one Document, paired by sections."""
    return markdown_document(
        read_markdown(en), read_markdown(zh), pair_id(Path(en), Path(zh)), aligner=aligner
    )


def markdown_document(
    en: MarkdownText, zh: MarkdownText, doc_id: str, *, aligner: Aligner | None = None
) -> Document:
    """Pair two read documents: preamble with preamble, then section by aligned heading.

    An aligned heading becomes an aligned HEADING block; the paragraphs under it are paired
    as the aligner pairs paragraphs, each pair a TEXT block with its own lines, whose sentences
    `align_document` then pairs. A heading the other document lacks keeps its section on its
    side alone, so it shows as untranslated or Chinese-only.
    """
    align = aligner or align_blocks
    en_sections, zh_sections = _sections(en), _sections(zh)
    beads = align(
        [s.heading.source() for s in en_sections[1:] if s.heading],
        [s.heading.source() for s in zh_sections[1:] if s.heading],
        "heading",
    )
    blocks: list[Block] = []
    _append_body(blocks, en_sections[0].body, zh_sections[0].body, align, en.path)
    for en_ids, zh_ids in beads:
        en_group = [en_sections[i + 1] for i in en_ids]
        zh_group = [zh_sections[j + 1] for j in zh_ids]
        en_head = en_group[0].heading if en_group else None
        zh_head = zh_group[0].heading if zh_group else None
        en_heads, zh_heads = [en_head] if en_head else [], [zh_head] if zh_head else []
        _append_block(blocks, en_heads, zh_heads, en.path, BlockKind.HEADING)
        _append_body(blocks, _rest(en_group), _rest(zh_group), align, en.path)
    return Document(doc_id, en.path, "markdown", tuple(blocks))


def _append_body(
    blocks: list[Block], en: list[MdBlock], zh: list[MdBlock], align: Aligner, path: str
) -> None:
    """The paragraphs of a section pair, one TEXT block per aligned group of paragraphs."""
    if not en or not zh:  # one side alone: nothing to align, each block keeps its own line
        for block in en or zh:
            _append_block(blocks, [block] if en else [], [] if en else [block], path)
        return
    if len(en) == len(zh) == 1:
        _append_block(blocks, en, zh, path)
        return
    beads = align([b.source() for b in en], [b.source() for b in zh], "paragraph")
    for en_ids, zh_ids in beads:
        _append_block(blocks, [en[i] for i in en_ids], [zh[j] for j in zh_ids], path)


def _rest(group: list[_Section]) -> list[MdBlock]:
    """The body of a group of sections, the headings after the first one kept as prose."""
    rest: list[MdBlock] = []
    for number, section in enumerate(group):
        if number and section.heading is not None:
            rest.append(section.heading)
        rest.extend(section.body)
    return rest


class _Codes:
    """The codes of one Block as it is built: tokens, and numbers that match EN with ZH."""

    def __init__(self) -> None:
        self.codes: list[InlineCode] = []
        self.solo: dict[str, int] = {}  # the same code text is the same code on both sides
        self.pairs: dict[str, int] = {"en": 0, "zh": 0}  # the k-th pair of each side match

    def text(self, block: MdBlock, side: str) -> str:
        parts: list[str] = []
        open_pairs: list[int] = []
        for piece in block.pieces:
            if isinstance(piece, str):
                parts.append(piece)
            elif piece.role is Role.SOLO:
                number = self.solo.setdefault(piece.native, len(self.solo) + 1)
                parts.append(add_code(self.codes, code_xml("ph", piece.native, x=number)))
            elif piece.role is Role.OPEN:
                self.pairs[side] += 1
                open_pairs.append(self.pairs[side])
                xml = code_xml("bpt", piece.native, i=self.pairs[side])
                parts.append(add_code(self.codes, xml))
            else:  # a close whose open was not found stays a pair of its own
                number = open_pairs.pop() if open_pairs else self.pairs[side] + 1
                parts.append(add_code(self.codes, code_xml("ept", piece.native, i=number)))
        return "".join(parts)


def _append_block(
    blocks: list[Block],
    en: list[MdBlock],
    zh: list[MdBlock],
    path: str,
    kind: BlockKind = BlockKind.PARAGRAPH,
) -> None:
    """One Block of EN and ZH Markdown blocks: a heading pair (aligned) or running text."""
    if not en and not zh:
        return
    codes = _Codes()
    try:
        en_text = _layout(en, codes, "en")
        zh_text = _layout(zh, codes, "zh")
    except TooManyCodes as error:
        from review.errors import InputError

        raise InputError(path, str(error), (en or zh)[0].line) from error
    heading = kind is BlockKind.HEADING
    blocks.append(
        Block(
            en=en_text,
            zh=zh_text,
            line=en[0].line if en else zh[0].line,
            segmentation=Segmentation.ALIGNED if heading else Segmentation.TEXT,
            kind=kind,
            zh_line=zh[0].line if zh else None,
            inline=tuple(codes.codes),
        )
    )


def _layout(blocks: list[MdBlock], codes: _Codes, side: str) -> str:
    """Blocks as paragraphs of running text, each at its own line of the file where it can be
    (blocks on one line or on consecutive lines, as table cells or a tight list, need a blank
    line between them and move down)."""
    if not blocks:
        return ""
    first = blocks[0].line
    lines: list[str] = []
    for block in blocks:
        at = max(block.line - first, len(lines) + 1 if lines else 0)
        lines.extend([""] * (at - len(lines)))
        lines.extend(codes.text(block, side).split("\n"))
    return "\n".join(lines)
