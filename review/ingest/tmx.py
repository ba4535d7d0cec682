"""TMX 1.1–1.4 reader: one aligned block per <tu>, streamed, with inline codes kept verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

from lxml import etree

from review.errors import InputError
from review.ingest.textio import check_file
from review.inline import TooManyCodes, add_code
from review.model import Block, BlockKind, InlineCode, Segmentation

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EN = {"en", "eng"}
_ZH = {"zh", "zho", "chi", "cmn"}


@lru_cache(maxsize=256)
def lang_side(code: str | None) -> Literal["en", "zh"] | None:
    """Which side a language code names: `en-US`, `EN-GB` → en; `zh_CN`, `zh-Hans` → zh."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    if primary in _EN:
        return "en"
    if primary in _ZH:
        return "zh"
    return None


_LOCAL_NAMES: dict[object, str] = {}


def _local(element: etree._Element) -> str:
    """The tag without a namespace (`""` for comments, entities …), cached: it runs per node."""
    tag = element.tag
    local = _LOCAL_NAMES.get(tag)
    if local is None:
        local = etree.QName(tag).localname if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < 1024:
            _LOCAL_NAMES[tag] = local
    return local


def iter_tmx(path: str | Path) -> Iterator[Block]:
    """Stream one Block per <tu> holding English and/or Chinese; InputError on bad TMX."""
    check_file(path)
    name = str(path)
    seen_body = False
    srclang: str | None = None
    languages: set[str] = set()
    sides: set[str] = set()
    parser = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )
    first = True
    try:
        for event, element in parser:
            tag = _local(element)
            if first:
                first = False
                if tag != "tmx":
                    raise InputError(
                        name, f"root element is <{tag}>, not <tmx>", element.sourceline
                    )
            if event == "start":
                if tag == "body":
                    seen_body = True
                continue
            if tag == "header":
                srclang = element.get("srclang")
            elif tag == "tu":
                try:
                    block = _tu_block(element, srclang, languages)
                except TooManyCodes as error:
                    raise InputError(name, str(error), element.sourceline) from error
                sides.update(side for side, text in (("en", block.en), ("zh", block.zh)) if text)
                _free(element)
                if block.en or block.zh:
                    yield block
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise InputError(name, f"malformed XML: {error.msg}", line) from error
    except OSError as error:
        raise InputError(name, f"cannot be read ({error})") from error
    if not seen_body:
        raise InputError(name, "TMX has no <body>")
    missing = [side for side in ("en", "zh") if side not in sides]
    if missing:
        found = ", ".join(sorted(languages)) or "none"
        raise InputError(
            name,
            f"TMX has no {' or '.join(missing)} <tuv> with text (languages found: {found})",
        )


def _free(element: etree._Element) -> None:
    """Drop a finished <tu> and its earlier siblings so memory stays flat on huge files."""
    element.clear(keep_tail=True)  # type: ignore[call-arg]  # stubs predate keep_tail
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _tu_block(tu: etree._Element, srclang: str | None, languages: set[str]) -> Block:
    texts: dict[str, str] = {}
    inline: list[InlineCode] = []
    notes: list[str] = []
    props: list[tuple[str, str]] = []
    for child in tu:
        tag = _local(child)
        if tag == "note":
            notes.append(child.text or "")
        elif tag == "prop":
            props.append((child.get("type") or "", child.text or ""))
        elif tag == "tuv":
            lang = child.get(_XML_LANG) or child.get("lang") or srclang
            if lang and len(languages) < 50:  # only for the error message; keep it bounded
                languages.add(lang)
            side = lang_side(lang)
            seg = next((c for c in child if _local(c) == "seg"), None)
            if side is None or side in texts or seg is None:
                continue
            texts[side] = _seg_text(seg, inline)
    return Block(
        en=texts.get("en", ""),
        zh=texts.get("zh", ""),
        line=_line(tu),
        segmentation=Segmentation.ALIGNED,
        kind=BlockKind.SEGMENT,
        notes=tuple(notes),
        props=tuple(props),
        inline=tuple(inline),
    )


def _line(element: etree._Element) -> int:
    line: object = element.sourceline
    return line if isinstance(line, int) else 0


def _seg_text(seg: etree._Element, inline: list[InlineCode]) -> str:
    """The text of a <seg> with every child node (code, entity, comment) as one token."""
    parts = [seg.text or ""]
    for child in seg:
        parts.append(add_code(inline, etree.tostring(child, encoding="unicode", with_tail=False)))
        parts.append(child.tail or "")
    return "".join(parts)
