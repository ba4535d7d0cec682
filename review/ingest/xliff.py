"""XLIFF 1.2 and 2.0 reader: one aligned block per segment, inline codes kept as their markup.

lxml parses the file (no entities resolved, no DTD, no network; entity bombs refused, as for
TMX) and a small scanner finds where each element lies in the text, so every inline code keeps
its exact source markup and the writer (`review.export.xliff`) can change a target in place.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from review.errors import InputError
from review.ingest.textio import check_file
from review.ingest.tmx import lang_side
from review.inline import TooManyCodes, add_code, code_xml
from review.model import Block, BlockKind, Document, InlineCode, Segmentation

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
_NS_1X = "urn:oasis:names:tc:xliff:document:1."
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

KEY_PROP = "x-xliff-key"
"""The prop holding a segment's stable key (file, unit id, segment): how the writer finds it."""
STATE_PROP = "x-xliff-state"
QUALIFIER_PROP = "x-xliff-state-qualifier"  # 1.2
SUBSTATE_PROP = "x-xliff-substate"  # 2.0
APPROVED_PROP = "x-xliff-approved"  # 1.2
NAME_PROP = "x-xliff-name"  # 1.2 resname, 2.0 name
LOCKED_PROP = "x-xliff-translate"
"""Present (value `no`) on segments marked translate="no": shown, never edited or exported."""

Version = Literal["1.2", "2.0"]
ZH_HINT = "review reads English → Chinese XLIFF (zh, zh-CN, zh-Hans, zh-TW …)"


def is_locked(props: tuple[tuple[str, str], ...]) -> bool:
    """Whether a block's or pair's props mark it translate="no"."""
    return (LOCKED_PROP, "no") in props


def sniff_xliff(head: str) -> bool:
    """Whether the first characters of a file look like XLIFF (an `<xliff` root)."""
    return re.search(r"<(?:[\w.-]+:)?xliff[\s>]", head[:4096]) is not None


# --- where markup lies ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeSpan:
    """Where an element, comment or processing instruction lies in the decoded text."""

    start: int  # its `<`
    open_end: int  # after the start tag (the whole node for a comment or PI)
    close_start: int  # the end tag's `<`; open_end for an empty element
    end: int  # after the end tag
    name: str  # the qualified name as written (`xlf:target`); "" for comments and PIs

    @property
    def empty(self) -> bool:
        """An element written `<x/>`, with no end tag."""
        return self.close_start == self.open_end == self.end


_MARKUP = re.compile(
    r"""(?P<comment><!--.*?-->)
    | (?P<pi><\?.*?\?>)
    | <!\[CDATA\[.*?\]\]>
    | <!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*'|\[(?:<!--.*?-->|"[^"]*"|'[^']*'|[^\]"'])*\])*>
    | </(?P<end>[^\s>]+)\s*>
    | <(?P<start>[^\s/>!?]+)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(?P<empty>/)?>""",
    re.S | re.X,
)


def scan_markup(text: str) -> list[NodeSpan]:
    """Every element, comment and PI inside the root, in document order (as lxml's `iter()`)."""
    found: list[list[int | str]] = []
    stack: list[int] = []
    for match in _MARKUP.finditer(text):
        if match["start"]:
            found.append([match.start(), match.end(), match.end(), match.end(), match["start"]])
            if not match["empty"]:
                stack.append(len(found) - 1)
        elif match["end"]:
            if stack:
                node = found[stack.pop()]
                node[2], node[3] = match.start(), match.end()
        elif stack and (match["comment"] or match["pi"]):
            found.append([match.start(), match.end(), match.end(), match.end(), ""])
    return [NodeSpan(*node) for node in found]  # type: ignore[arg-type]


# --- decoding ------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def split_encoding(data: bytes, name: str) -> tuple[bytes, str]:
    """The byte-order mark (or b"") and the Python codec the rest of an XML file is in."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return bom, codec
    if data.startswith(b"<\x00?\x00"):
        return b"", "utf-16-le"
    if data.startswith(b"\x00<\x00?"):
        return b"", "utf-16-be"
    declared = _DECLARED.match(data)
    label = declared[1].decode("ascii") if declared else "utf-8"
    try:
        return b"", codecs.lookup(label).name
    except LookupError as error:
        raise InputError(name, f"unknown encoding {label!r} in the XML declaration", 1) from error


# --- parsing -------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=True,
    )


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root of an XML document, parsed safely; InputError with the line when malformed."""
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise InputError(name, f"malformed XML: {error.msg}", line) from error


@dataclass(slots=True)
class Segment:
    """One segment as read, and where it lives in the file, for the reader and the writer."""

    key: str
    unit: etree._Element  # <trans-unit> or <unit>
    source: etree._Element  # <source>, or the seg-source <mrk mtype="seg">
    target: etree._Element | None  # <target> or the target's <mrk>, None when there is none
    segment: etree._Element | None  # 2.0 <segment>
    mid: str | None  # 1.2 seg-source segment id
    en: str
    zh: str
    codes: tuple[InlineCode, ...]
    markup: dict[str, str]  # token → the exact XLIFF markup it stands for
    locked: bool
    notes: tuple[str, ...]
    props: tuple[tuple[str, str], ...]
    line: int  # where the source starts
    zh_line: int | None  # where the target starts

    def block(self) -> Block:
        """The aligned block this segment becomes."""
        return Block(
            en=self.en,
            zh=self.zh,
            line=self.line,
            segmentation=Segmentation.ALIGNED,
            kind=BlockKind.SEGMENT,
            zh_line=self.zh_line,
            notes=self.notes,
            props=self.props,
            inline=self.codes,
        )


@dataclass(slots=True)
class Xliff:
    """A parsed XLIFF file: its text, how to encode it again, where its nodes are, its segments."""

    name: str
    version: Version
    ns: str
    root: etree._Element
    text: str
    bom: bytes
    codec: str
    spans: dict[etree._Element, NodeSpan]
    segments: list[Segment] = field(default_factory=list)
    _newlines: list[int] | None = None

    def q(self, local: str) -> str:
        """The qualified tag of an XLIFF element."""
        return f"{{{self.ns}}}{local}" if self.ns else local

    def line(self, node: etree._Element) -> int:
        """The 1-based line where a node's start tag begins (lxml gives the line it ends on)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, self.spans[node].start) + 1

    def raw(self, node: etree._Element) -> str:
        """A node's exact markup, start tag to end tag."""
        span = self.spans[node]
        return self.text[span.start : span.end]


def _line(element: etree._Element) -> int:
    line: object = element.sourceline
    return line if isinstance(line, int) else 0


def _local(element: etree._Element) -> tuple[str | None, str]:
    if not isinstance(element.tag, str):
        return None, ""
    qname = etree.QName(element)
    return qname.namespace, qname.localname


def parse_xliff(data: bytes, name: str) -> Xliff:
    """Parse an XLIFF 1.x or 2.x file into its segments; InputError on anything it cannot use."""
    root = parse_xml(data, name)
    namespace, local = _local(root)
    if local != "xliff":
        raise InputError(name, f"root element is <{local}>, not <xliff>", _line(root))
    if namespace == NS_20:
        version: Version = "2.0"
    elif namespace is None or namespace.startswith(_NS_1X):
        version = "1.2"
    else:
        raise InputError(name, f"unknown XLIFF namespace {namespace!r}", _line(root))
    bom, codec = split_encoding(data, name)
    try:
        text = data[len(bom) :].decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(name, f"cannot decode as {codec}", None) from error
    spans = _map_spans(root, text, name)
    doc = Xliff(name, version, namespace or "", root, text, bom, codec, spans)
    try:
        if version == "1.2":
            _read_12(doc)
        else:
            _read_20(doc)
    except TooManyCodes as error:
        raise InputError(name, str(error)) from error
    _unique_keys(doc.segments)
    return doc


def _map_spans(root: etree._Element, text: str, name: str) -> dict[etree._Element, NodeSpan]:
    nodes = [node for node in root.iter() if not isinstance(node, etree._Entity)]
    spans = scan_markup(text)
    if len(spans) < len(nodes) or any(
        (span.name == "") != (not isinstance(node.tag, str))
        for node, span in zip(nodes, spans, strict=False)
    ):
        raise InputError(name, "cannot locate the markup of the file")  # a guard, never seen
    return dict(zip(nodes, spans, strict=False))


def _unique_keys(segments: list[Segment]) -> None:
    seen: dict[str, int] = {}
    for segment in segments:
        count = seen.get(segment.key, 0) + 1
        seen[segment.key] = count
        if count > 1:
            segment.key = f"{segment.key}~{count}"


def segment_key(*parts: str | None) -> str:
    """`file#unit#segment`, each part with `%` and `#` escaped so keys never collide."""
    return "#".join(
        (part or "").replace("%", "%25").replace("#", "%23") for part in parts if part is not None
    )


def _check_languages(doc: Xliff, source: str | None, target: str | None, at: int) -> None:
    if lang_side(source) != "en" or lang_side(target) != "zh":
        problem = f"XLIFF is {source or 'no source language'} → {target or 'no target language'}"
        raise InputError(doc.name, f"{problem}; {ZH_HINT}", at)


# --- XLIFF 1.2 -----------------------------------------------------------------------------


def _read_12(doc: Xliff) -> None:
    for file in doc.root.iterchildren(doc.q("file")):
        original = file.get("original") or ""
        target_lang = file.get("target-language")
        if target_lang is None:
            first = next(file.iter(doc.q("target")), None)
            target_lang = first.get(_XML_LANG) if first is not None else None
        _check_languages(doc, file.get("source-language"), target_lang, doc.line(file))
        body = file.find(doc.q("body"))
        if body is not None:
            _walk(doc, body, original, _unit_12, locked=False)


def _walk(
    doc: Xliff,
    parent: etree._Element,
    file_ref: str,
    read_unit: Callable[[Xliff, etree._Element, str, bool], None],
    *,
    locked: bool,
) -> None:
    """Read the units of a <body>, <file> or <group>; translate="no" holds for all inside."""
    unit_tag = doc.q("trans-unit" if doc.version == "1.2" else "unit")
    for child in parent.iterchildren(doc.q("group"), unit_tag):
        lock = child.get("translate") == "no" or (locked and child.get("translate") != "yes")
        if _local(child)[1] == "group":
            _walk(doc, child, file_ref, read_unit, locked=lock)
        else:
            read_unit(doc, child, file_ref, lock)


def _unit_12(doc: Xliff, unit: etree._Element, original: str, locked: bool) -> None:
    uid = unit.get("id") or ""
    source = unit.find(doc.q("source"))
    if source is None:
        raise InputError(doc.name, f"<trans-unit id={uid!r}> has no <source>", doc.line(unit))
    target = unit.find(doc.q("target"))
    notes = tuple(note.text or "" for note in unit.iterchildren(doc.q("note")))
    props: list[tuple[str, str]] = []
    if target is not None:
        for attribute, prop in (("state", STATE_PROP), ("state-qualifier", QUALIFIER_PROP)):
            if target.get(attribute):
                props.append((prop, target.get(attribute) or ""))
    if unit.get("approved"):
        props.append((APPROVED_PROP, unit.get("approved") or ""))
    if unit.get("resname"):
        props.append((NAME_PROP, unit.get("resname") or ""))
    seg_source = unit.find(doc.q("seg-source"))
    marks = [] if seg_source is None else _seg_marks(doc, seg_source)
    if not marks:
        key = segment_key(original, uid)
        doc.segments.append(
            _segment(doc, key, unit, source, target, None, None, locked, notes, props)
        )
        return
    targets = {} if target is None else {m.get("mid"): m for m in _seg_marks(doc, target)}
    for mark in marks:
        mid = mark.get("mid") or ""
        key = segment_key(original, uid, mid)
        segment = _segment(doc, key, unit, mark, targets.get(mid), None, mid, locked, notes, props)
        doc.segments.append(segment)


def _seg_marks(doc: Xliff, parent: etree._Element) -> list[etree._Element]:
    return [mark for mark in parent.iter(doc.q("mrk")) if mark.get("mtype") == "seg"]


# --- XLIFF 2.0 -----------------------------------------------------------------------------


def _read_20(doc: Xliff) -> None:
    _check_languages(doc, doc.root.get("srcLang"), doc.root.get("trgLang"), doc.line(doc.root))
    for file in doc.root.iterchildren(doc.q("file")):
        file_id = file.get("id") or ""
        _walk(doc, file, file_id, _unit_20, locked=file.get("translate") == "no")


def _unit_20(doc: Xliff, unit: etree._Element, file_id: str, locked: bool) -> None:
    uid = unit.get("id") or ""
    notes_holder = unit.find(doc.q("notes"))
    notes = (
        ()
        if notes_holder is None
        else tuple(n.text or "" for n in notes_holder.iterchildren(doc.q("note")))
    )
    for number, segment in enumerate(unit.iterchildren(doc.q("segment")), start=1):
        source = segment.find(doc.q("source"))
        if source is None:
            raise InputError(
                doc.name, f"<unit id={uid!r}> has a <segment> with no <source>", doc.line(segment)
            )
        props: list[tuple[str, str]] = []
        for attribute, prop in (("state", STATE_PROP), ("subState", SUBSTATE_PROP)):
            if segment.get(attribute):
                props.append((prop, segment.get(attribute) or ""))
        if unit.get("name"):
            props.append((NAME_PROP, unit.get("name") or ""))
        key = segment_key(file_id, uid, segment.get("id") or f"@{number}")
        target = segment.find(doc.q("target"))
        doc.segments.append(
            _segment(doc, key, unit, source, target, segment, None, locked, notes, props)
        )


# --- segments and their inline codes -------------------------------------------------------


def _segment(
    doc: Xliff,
    key: str,
    unit: etree._Element,
    source: etree._Element,
    target: etree._Element | None,
    segment: etree._Element | None,
    mid: str | None,
    locked: bool,
    notes: tuple[str, ...],
    props: list[tuple[str, str]],
) -> Segment:
    codes = _Codes(doc)
    en = codes.text_of(source)
    zh = codes.text_of(target) if target is not None else ""
    all_props = [(KEY_PROP, key), *props]
    if locked:
        all_props.append((LOCKED_PROP, "no"))
    return Segment(
        key=key,
        unit=unit,
        source=source,
        target=target,
        segment=segment,
        mid=mid,
        en=en,
        zh=zh,
        codes=tuple(codes.codes),
        markup=codes.markup,
        locked=locked,
        notes=notes,
        props=tuple(all_props),
        line=doc.line(source),
        zh_line=doc.line(target) if target is not None else None,
    )


# Elements whose content is text to translate: a start token, the content, an end token.
_WRAPPING = frozenset({"g", "mrk", "pc"})
# Codes that open or close a span whose partner may be in the same text or elsewhere.
_OPENING = {"bx": "bx", "bpt": "bpt", "sc": "sc", "sm": "sm"}
_CLOSING = {"ex": "bx", "ept": "bpt", "ec": "sc", "em": "sm"}


@dataclass
class _Codes:
    """The inline codes of one segment (source and target), numbered by identity."""

    doc: Xliff
    codes: list[InlineCode] = field(default_factory=list)
    markup: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    opens: set[str] = field(default_factory=set)
    closes: set[str] = field(default_factory=set)

    def text_of(self, element: etree._Element) -> str:
        """An element's text with each inline code as a token."""
        self.opens = {
            self._identity(n, self._kind(n))
            for n in element.iterdescendants()
            if self._kind(n) in _OPENING
        }
        self.closes = {
            self._identity(n, self._kind(n))
            for n in element.iterdescendants()
            if self._kind(n) in _CLOSING
        }
        return self._render(element)

    def _kind(self, node: etree._Element) -> str:
        """The XLIFF element an inline node is (`it` as `bpt`/`ept` by its pos), "" otherwise."""
        namespace, local = _local(node)
        if not local or (namespace or "") != self.doc.ns:
            return ""
        if local == "it":
            return {"open": "bpt", "close": "ept"}.get(node.get("pos") or "", "ph")
        return local

    @staticmethod
    def _identity(node: etree._Element, kind: str) -> str:
        if kind in _CLOSING:
            start_ref = node.get("startRef") or node.get("rid") or node.get("id") or ""
            return f"{_CLOSING[kind]}#{start_ref}"
        ref = node.get("rid") if kind in ("bx", "bpt") and node.get("rid") else node.get("id")
        if ref is None and kind == "mrk":
            ref = node.get("mid")
        return f"{kind}#{ref}" if ref is not None else ""

    def _number(self, identity: str, raw: str) -> int:
        return self.numbers.setdefault(identity or "=" + raw, len(self.numbers) + 1)

    def _add(self, raw: str, xml: str) -> str:
        token = add_code(self.codes, xml)
        self.markup[token] = raw
        return token

    def _render(self, element: etree._Element) -> str:
        parts = [element.text or ""]
        for child in element:
            parts.append(self._code(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def _code(self, node: etree._Element) -> str:
        if isinstance(node, etree._Entity):
            raw = node.text or ""  # `&name;`, never resolved
            return self._add(raw, code_xml("ph", raw, x=self._number("", raw)))
        raw = self.doc.raw(node)
        kind = self._kind(node)
        span = self.doc.spans[node]
        identity = self._identity(node, kind) if kind else ""
        protected = node.get("translate") == "no" or node.get("mtype") == "protected"
        if kind in _WRAPPING and not span.empty and not protected:
            start = self.doc.text[span.start : span.open_end]
            end = self.doc.text[span.close_start : span.end]
            number = self._number(identity, start)  # no id: the same start tag is the same code
            opening = self._add(start, code_xml("bpt", start, i=number))
            inner = self._render(node)
            return opening + inner + self._add(end, code_xml("ept", end, i=number))
        number = self._number(identity, raw)
        if kind in _OPENING:
            if identity in self.closes:
                return self._add(raw, code_xml("bpt", raw, i=number))
            return self._add(raw, code_xml("it", raw, pos="begin", x=number))
        if kind in _CLOSING:
            if identity in self.opens:
                return self._add(raw, code_xml("ept", raw, i=number))
            return self._add(raw, code_xml("it", raw, pos="end", x=number))
        return self._add(raw, code_xml("ph", raw, x=number))


# --- the reader ----------------------------------------------------------------------------


def read_xliff(path: str | Path) -> Document:
    """Read an XLIFF 1.2 or 2.0 file into a Document with one aligned block per segment."""
    file = check_file(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from error
    doc = parse_xliff(data, str(path))
    blocks = tuple(s.block() for s in doc.segments if s.en.strip() or s.zh.strip())
    if not blocks:
        raise InputError(str(path), "XLIFF has no segment with text")
    return Document(file.stem, str(path), "xliff", blocks)


def iter_xliff(path: str | Path) -> Iterator[Block]:
    """The blocks of an XLIFF file (read whole: the writer needs the file as it is)."""
    return iter(read_xliff(path).blocks)
