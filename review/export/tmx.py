"""TMX 1.4b export of a reviewed project: the signed-off Chinese with the review as props/notes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from lxml import etree

from review import __version__
from review.atomic import atomic_write
from review.errors import ExportError
from review.export import ExportOptions
from review.model import Finding, ReviewState

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
STATUS_PROP = "x-review-status"
ORIGINAL_PROP = "x-original-target"
MQM_PROP = "x-mqm"
CORRECTION_FINDING_PROP = "x-review-correction-finding"  # severity|code|message, one a finding
_OWN_PROPS = frozenset({STATUS_PROP, ORIGINAL_PROP, MQM_PROP, CORRECTION_FINDING_PROP})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SEG_CHILDREN = frozenset({"bpt", "ept", "it", "ph", "hi", "ut"})

# Characters XML 1.0 cannot hold at all, not even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the control characters XML 1.0 forbids (tab, LF and CR stay)."""
    return _XML_ILLEGAL.sub("", text)


def tmx_date(moment: datetime) -> str:
    """TMX's date format, `YYYYMMDDThhmmssZ`, in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _seg(parent: etree._Element, text: str, codes: Mapping[str, str]) -> None:
    """A <seg> holding `text`, each inline-code token replaced by the code's original XML."""
    seg = etree.SubElement(parent, "seg")
    present = [token for token in codes if token in text]
    if not present:
        seg.text = clean(text)
        return
    # Splitting on a capturing group puts the tokens at the odd positions.
    parts = re.split("([" + "".join(map(re.escape, present)) + "])", text)
    seg.text = clean(parts[0])
    for token, chunk in zip(parts[1::2], parts[2::2], strict=True):
        nodes = _inline_nodes(codes[token])  # never empty
        seg.extend(nodes)
        nodes[-1].tail = clean(chunk) or None


def _inline_nodes(xml: str) -> list[etree._Element]:
    """Parse one stored inline code; anything the DTD does not allow in <seg> goes in a <ph>."""
    try:
        holder = etree.fromstring(f"<w>{xml}</w>")
    except etree.XMLSyntaxError:
        holder = None
    if (
        holder is not None
        and not (holder.text or "").strip()
        and all(isinstance(n.tag, str) and n.tag in _SEG_CHILDREN for n in holder)
        and all(not (n.tail or "").strip() for n in holder)
        and len(holder)
    ):
        nodes = list(holder)
        for node in nodes:
            node.tail = None
        return nodes
    placeholder = etree.Element("ph")
    placeholder.text = clean(xml)  # native code kept as text, as <ph> is meant to hold it
    return [placeholder]


def _tu(
    state: ReviewState, zh_lang: str, fixes: Mapping[str, tuple[Finding, ...]]
) -> etree._Element:
    """One <tu>, indented by hand: whitespace is set only between structural elements."""
    pair = state.pair
    tu = etree.Element("tu", tuid=clean(pair.id))
    if state.changed_at is not None and state.reviewer:
        tu.set("changeid", clean(state.reviewer))
        tu.set("changedate", tmx_date(state.changed_at))
    for text in (*pair.notes, *state.comments):
        etree.SubElement(tu, "note").text = clean(text)
    codes = {code.token: code.xml for code in pair.inline}
    props = [(kind, value) for kind, value in pair.props if kind not in _OWN_PROPS]
    props.append((STATUS_PROP, state.status.value))
    if state.correction is not None:
        # A prop holds text only: inline codes appear as their XML source, not as tokens.
        original = "".join(codes.get(char, char) for char in pair.zh) if codes else pair.zh
        props.append((ORIGINAL_PROP, original))
    props.extend((MQM_PROP, f"{tag.category}|{tag.severity.value}") for tag in state.mqm)
    if state.correction is not None:
        props.extend(
            (CORRECTION_FINDING_PROP, f"{f.severity.value}|{f.code}|{f.message}")
            for f in fixes.get(pair.id, ())
        )
    for kind, value in props:
        etree.SubElement(tu, "prop", type=clean(kind) or "x-unnamed").text = clean(value)
    for lang, text in (("en", pair.en), (zh_lang, state.final_zh)):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(_XML_LANG, lang)
        tuv.text = "\n        "
        _seg(tuv, text, codes)
        tuv[-1].tail = "\n      "
    tu.text = "\n      "
    for child in tu:
        child.tail = "\n      "
    tu[-1].tail = "\n    "
    return tu


def _language(tag: str) -> str:
    lang = tag.strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*", lang):
        raise ExportError(f"{tag!r} is not a language tag", hint="e.g. zh-CN")
    return lang


def write_tmx(
    handle: IO[bytes],
    states: Iterable[ReviewState],
    options: ExportOptions,
    *,
    now: datetime | None = None,
) -> int:
    """Stream the TMX for the states `options` selects to `handle`; returns the <tu> count."""
    lang = _language(options.zh_lang)
    header = etree.Element(
        "header",
        creationtool="review",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en",
        srclang="en",
        datatype="plaintext",
    )
    header.set("o-tmf", "review")
    header.set("creationdate", tmx_date(now or datetime.now(UTC)))
    for kind, value in options.header_props:
        etree.SubElement(header, "prop", type=clean(kind)).text = clean(value)
    if len(header):
        header.text = "\n    "
        for prop in header:
            prop.tail = "\n    "
        header[-1].tail = "\n  "
    count = 0
    with etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("tmx", version="1.4"):
            xf.write("\n  ", header, "\n  ")
            with xf.element("body"):
                for state in states:
                    if options.wants(state.status):
                        xf.write("\n    ", _tu(state, lang, options.correction_findings))
                        count += 1
                xf.write("\n  ")
            xf.write("\n")
    handle.write(b"\n")
    return count


def tmx_bytes(
    states: Iterable[ReviewState], options: ExportOptions, *, now: datetime | None = None
) -> tuple[bytes, int]:
    """The TMX document in memory, and how many <tu> it holds."""
    buffer = io.BytesIO()
    count = write_tmx(buffer, states, options, now=now)
    return buffer.getvalue(), count


def export(states: Iterable[ReviewState], out: str | Path, options: ExportOptions) -> int:
    """Write the TMX atomically to `out`; returns the number of pairs written."""
    _language(options.zh_lang)  # fail before any file is touched
    with atomic_write(out, binary=True) as handle:
        return write_tmx(handle, states, options)  # type: ignore[arg-type]
