"""TMX 1.1–1.4 reader: one aligned block per <tu>, streamed, with inline codes kept verbatim."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

from lxml import etree

from review.errors import InputError
from review.ingest.textio import MAX_LINE, open_source
from review.inline import TooManyCodes, add_code
from review.model import Block, BlockKind, InlineCode, Segmentation

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EN = {"en", "eng"}
_ZH = {"zh", "zho", "chi", "cmn"}
MAX_TU_NODES = 10_000
"""Elements and comments one <tu> may hold: a unit is built whole, so this bounds its memory
(the private-use area holds 6,400 inline-code tokens, so no real unit comes near)."""
_SCRIPTS = {  # regions that write Simplified or Traditional Chinese, for --zh-lang zh-TW …
    "cn": "hans", "sg": "hans", "my": "hans", "hans": "hans",
    "tw": "hant", "hk": "hant", "mo": "hant", "hant": "hant",
}  # fmt: skip


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


def _tag(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def _script(code: str) -> str | None:
    """`hans` or `hant` for a Chinese tag that says which (`zh-CN`, `zh-Hant-TW`), else None."""
    for part in _tag(code).split("-")[1:]:
        if part in _SCRIPTS:
            return _SCRIPTS[part]
    return None


def pick_zh(languages: list[str], wanted: str | None) -> int:
    """Which of a unit's Chinese variants to keep: the one `wanted` names exactly, else one in
    the same script (`zh-TW` for `zh-Hant`), else the first."""
    if wanted:
        tags = [_tag(lang) for lang in languages]
        if _tag(wanted) in tags:
            return tags.index(_tag(wanted))
        script = _script(wanted)
        for index, lang in enumerate(languages):
            if script is not None and _script(lang) == script:
                return index
    return 0


Note = Callable[[str], None]
"""Receives a one-line remark about the input (the CLI prints it as `review: note: …`)."""


def iter_tmx(
    path: str | Path, *, zh_lang: str | None = None, note: Note | None = None
) -> Iterator[Block]:
    """Stream one Block per <tu> holding English and/or Chinese; InputError on bad TMX.

    Memory stays flat whatever the file holds: every finished element outside a <tu> is
    dropped too, and one <tu> may hold at most MAX_TU_NODES nodes. A unit with several Chinese
    variants keeps the one `zh_lang` picks (see `pick_zh`); `note` hears which were dropped.
    """
    name = str(path)
    seen_body = False
    srclang: str | None = None
    languages: set[str] = set()
    sides: set[str] = set()
    dropped: Counter[tuple[str, str]] = Counter()
    with open_source(path) as stream:
        parser = etree.iterparse(
            stream,
            events=("start", "end", "comment", "pi"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_blank_text=False,
        )
        root_seen = False
        in_tu = 0  # nodes seen inside the current <tu>, 0 outside one
        try:
            for event, element in parser:
                if event in ("comment", "pi"):
                    if in_tu:
                        in_tu = _count(in_tu, name, element)
                    elif element.getparent() is not None:
                        _free(element)  # comments between units are dropped as they come
                    continue
                if event == "start":
                    tag = _local(element)
                    if not root_seen:
                        root_seen = True
                        if tag != "tmx":
                            raise InputError(
                                name, f"root element is <{tag}>, not <tmx>", element.sourceline
                            )
                    if in_tu:
                        in_tu = _count(in_tu, name, element)
                    elif tag == "tu":
                        in_tu = 1
                    elif tag == "body":
                        seen_body = True
                    continue
                tag = _local(element)
                if tag == "tu":
                    in_tu = 0
                    try:
                        block = _tu_block(element, srclang, languages, zh_lang, dropped)
                    except TooManyCodes as error:
                        raise InputError(name, str(error), element.sourceline) from error
                    _free(element)
                    for side, text in (("en", block.en), ("zh", block.zh)):
                        if len(text) > MAX_LINE:
                            raise InputError(
                                name, f"a segment is over {MAX_LINE:,} characters", block.line
                            )
                        if text:
                            sides.add(side)
                    if block.en or block.zh:
                        yield block
                elif not in_tu and tag not in ("tmx", "body"):
                    if tag == "header":
                        srclang = element.get("srclang")
                    _free(element)  # the header, its props, elements TMX does not have
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
    if note is not None:
        for (kept, lost), count in sorted(dropped.items()):
            units = f"{count:,} units hold" if count != 1 else "1 unit holds"
            note(f"{name}: {units} {kept} and {lost}: kept {kept}, dropped {lost}"
                 + ("" if zh_lang else " (choose with --zh-lang)"))  # fmt: skip


def _count(nodes: int, name: str, element: etree._Element) -> int:
    if nodes >= MAX_TU_NODES:
        raise InputError(
            name, f"a <tu> holds more than {MAX_TU_NODES:,} elements", _line(element) or None
        )
    return nodes + 1


def _free(element: etree._Element) -> None:
    """Drop a finished <tu> and its earlier siblings so memory stays flat on huge files."""
    element.clear(keep_tail=True)  # type: ignore[call-arg]  # stubs predate keep_tail
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _tu_block(
    tu: etree._Element,
    srclang: str | None,
    languages: set[str],
    zh_lang: str | None,
    dropped: Counter[tuple[str, str]],
) -> Block:
    segs: dict[str, list[tuple[str, etree._Element]]] = {"en": [], "zh": []}
    order: list[etree._Element] = []  # every candidate <seg>, in document order
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
            if side is not None and seg is not None and lang is not None:
                segs[side].append((lang, seg))
                order.append(seg)
    chosen = {"en": 0, "zh": 0}
    if len(segs["zh"]) > 1:
        variants = [lang for lang, _ in segs["zh"]]
        chosen["zh"] = pick_zh(variants, zh_lang)
        kept = variants[chosen["zh"]]
        for lang in dict.fromkeys(variants):
            if _tag(lang) != _tag(kept):
                dropped[kept, lang] += 1
    kept_segs = {found[chosen[side]][1]: side for side, found in segs.items() if found}
    inline: list[InlineCode] = []  # tokens are numbered in document order, as the unit has them
    texts = {kept_segs[seg]: _seg_text(seg, inline) for seg in order if seg in kept_segs}
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
