"""XLIFF write-back: the original file with only the reviewed targets, states and notes changed.

`write_xliff` is a pure function over the original bytes and per-segment updates. It edits the
text in place, so the skeleton, attributes, unknown namespaces, order, whitespace, the XML
declaration and the encoding stay byte for byte, and every inline code a correction kept is
written back as the exact markup it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from review.atomic import atomic_write
from review.errors import ExportError, InputError
from review.export.tmx import clean
from review.ingest.xliff import (
    KEY_PROP,
    NodeSpan,
    Segment,
    Version,
    Xliff,
    parse_xliff,
    parse_xml,
)
from review.inline import escape_text, escape_xml, is_token
from review.model import ReviewState, Status

REVIEW_STATES: dict[Version, dict[Status, str]] = {
    "1.2": {
        Status.ACCEPTED: "final",
        Status.CORRECTED: "final",
        Status.REJECTED: "needs-review-translation",
        Status.MISALIGNED: "needs-review-translation",
    },
    "2.0": {
        Status.ACCEPTED: "reviewed",
        Status.CORRECTED: "reviewed",
        Status.REJECTED: "initial",
        Status.MISALIGNED: "initial",
    },
}
"""The XLIFF state a reviewer's verdict sets; pending leaves the state as it was."""

# 1.2 states from least to most advanced: a unit of several segments takes the least one.
_RANK_12 = (
    "new",
    "needs-translation",
    "needs-l10n",
    "needs-adaptation",
    "needs-review-translation",
    "needs-review-l10n",
    "needs-review-adaptation",
    "translated",
    "final",
    "signed-off",
)
_SIGNED_OFF_12 = frozenset({"final", "signed-off"})
NOTE_CATEGORY = "review"
"""2.0 `<note category=…>` and the default 1.2 `<note from=…>` of the notes review adds."""


@dataclass(frozen=True)
class UnitUpdate:
    """What review changes in one segment: its target, its state, notes to add."""

    target: str | None = None  # the new target with inline tokens; None keeps the target
    status: Status | None = None  # the verdict, mapped through REVIEW_STATES
    state: str | None = None  # an explicit XLIFF state instead of the mapped one
    notes: tuple[str, ...] = ()
    author: str | None = None  # 1.2 note@from (default "review")


def update_for(state: ReviewState) -> tuple[tuple[str, ...], UnitUpdate] | None:
    """The segment keys of a reviewed pair and its update; None when there is nothing to write."""
    pair = state.pair
    keys = tuple(value for kind, value in pair.props if kind == KEY_PROP)
    notes = (
        *state.comments,
        *(f"MQM {tag.category} ({tag.severity.value})" for tag in state.mqm),
    )
    status = None if state.status is Status.PENDING else state.status
    if not keys or (status is None and not notes):
        return None
    if state.correction is not None and len(keys) > 1:
        raise ExportError(
            f"pair {state.number} joins XLIFF segments {', '.join(keys)}; its correction cannot"
            " be split back into them",
            hint="split the pair again or export TMX",
        )
    return keys, UnitUpdate(
        target=state.correction, status=status, notes=tuple(notes), author=state.reviewer
    )


def updates_from(states: Iterable[ReviewState]) -> dict[str, UnitUpdate]:
    """Per-segment updates from a project's states (pairs without an XLIFF key are skipped)."""
    updates: dict[str, UnitUpdate] = {}
    for state in states:
        found = update_for(state)
        if found is None:
            continue
        keys, update = found
        for key in keys:
            updates[key] = update
    return updates


def export_xliff(
    original: bytes, states: Iterable[ReviewState], out: str | Path, *, name: str = "XLIFF"
) -> int:
    """Write the original XLIFF with the review applied, atomically; returns segments updated."""
    updates = updates_from(states)
    data = write_xliff(original, updates, name=name)
    with atomic_write(out, binary=True) as handle:
        handle.write(data)  # type: ignore[arg-type]
    return len(updates)


# --- editing the text ------------------------------------------------------------------------


@dataclass(frozen=True, order=True, slots=True)
class _Edit:
    start: int
    order: int  # edits at one place apply in this order (a new target before a new note)
    end: int
    text: str


class _Edits:
    def __init__(self) -> None:
        self.edits: list[_Edit] = []

    def replace(self, start: int, end: int, text: str, order: int = 0) -> None:
        self.edits.append(_Edit(start, order, end, text))

    def insert(self, at: int, text: str, order: int = 0) -> None:
        self.edits.append(_Edit(at, order, at, text))

    def apply(self, text: str) -> str:
        parts: list[str] = []
        cursor = 0
        for edit in sorted(self.edits):
            if edit.start < cursor:
                raise ExportError("two changes to the XLIFF overlap")  # a bug guard
            parts.append(text[cursor : edit.start])
            parts.append(edit.text)
            cursor = edit.end
        parts.append(text[cursor:])
        return "".join(parts)


_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ATTRIBUTE = re.compile(r"""(\s+)([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_TAG_END = re.compile(r"\s*/?>$")


def _attributes(tag: str) -> list[re.Match[str]]:
    """The attributes of a start tag, matched one after another from its name on."""
    found: list[re.Match[str]] = []
    position = len(re.match(r"<[^\s/>]+", tag)[0])  # type: ignore[index]
    while (match := _ATTRIBUTE.match(tag, position)) is not None:
        found.append(match)
        position = match.end()
    return found


def set_attribute(tag: str, name: str, value: str | None) -> str:
    """A start tag with attribute `name` set to `value` (removed when None), all else as it was."""
    for match in _attributes(tag):
        if match[2] == name:
            if value is None:
                return tag[: match.start()] + tag[match.end() :]
            return tag[: match.start(3)] + f'"{escape_xml(value)}"' + tag[match.end(3) :]
    if value is None:
        return tag
    end = _TAG_END.search(tag)
    at = end.start() if end else len(tag) - 1
    return f'{tag[:at]} {name}="{escape_xml(value)}"{tag[at:]}'


def _prefix(span: NodeSpan) -> str:
    """The namespace prefix an element was written with, with its colon (`xlf:`), or ""."""
    head, colon, _ = span.name.rpartition(":")
    return head + colon


def _indent(text: str, at: int) -> str | None:
    """The whitespace before `at` on its line, or None when other text precedes it there."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    return before if not before.strip() else None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text[:4096] else "\n"


def _balanced(content: str) -> bool:
    """Whether the start and end tags in a piece of content nest (a reordered pair does not)."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([^\s/>!?]+)[^>]*?(/?)>", content):
        closing, name, empty = match[1], match[2], match[3]
        if empty:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


class _Writer:
    def __init__(self, doc: Xliff, updates: Mapping[str, UnitUpdate]) -> None:
        self.doc = doc
        self.updates = updates
        self.edits = _Edits()
        self.nl = _newline(doc.text)

    # the pieces ---------------------------------------------------------------------------

    def content(self, segment: Segment, text: str) -> str:
        """A target text as XLIFF content: text escaped, tokens as their original markup."""
        out: list[str] = []
        for char in clean(text):
            markup = segment.markup.get(char)
            if markup is not None:
                out.append(markup)
            elif is_token(char):
                raise ExportError(
                    f"{self.doc.name}: segment {segment.key} holds an inline code it was not"
                    f" read with (U+{ord(char):04X})"
                )
            else:
                out.append(_ESCAPES.get(char, char))
        content = "".join(out)
        if not _balanced(content):
            raise ExportError(
                f"{self.doc.name}: the correction of segment {segment.key} breaks the nesting"
                " of its tags",
                hint="put each ⟨n⟩ before its ⟨/n⟩ and close inner pairs first",
            )
        return content

    def span(self, element: etree._Element) -> NodeSpan:
        return self.doc.spans[element]

    def start_tag(self, element: etree._Element) -> str:
        span = self.span(element)
        return self.doc.text[span.start : span.open_end]

    def rewrite(
        self,
        element: etree._Element,
        content: str | None,
        attributes: Mapping[str, str | None],
    ) -> None:
        """Set attributes of `element` and, unless None, replace its content."""
        span = self.span(element)
        tag = self.start_tag(element)
        new_tag = tag
        for name, value in attributes.items():
            new_tag = set_attribute(new_tag, name, value)
        if span.empty and content is not None:
            opening = re.sub(r"\s*/>$", ">", new_tag)
            self.edits.replace(span.start, span.end, f"{opening}{content}</{span.name}>")
            return
        if new_tag != tag:
            self.edits.replace(span.start, span.open_end, new_tag)
        if content is not None:
            self.edits.replace(span.open_end, span.close_start, content)

    def insert_after(self, element: etree._Element, markup: str, order: int) -> None:
        """Insert an element after `element`, on a line of its own when `element` has one."""
        span = self.span(element)
        indent = _indent(self.doc.text, span.start)
        lead = self.nl + indent if indent is not None else ""
        self.edits.insert(span.end, lead + markup, order)

    def changed(self, segment: Segment, update: UnitUpdate) -> bool:
        """Whether an update changes the segment's target; refused on translate="no"."""
        if update.target is None or update.target == segment.zh:
            return False
        if segment.locked:
            raise ExportError(
                f'{self.doc.name}: segment {segment.key} is translate="no"; its target cannot'
                " change"
            )
        return True

    def state(self, update: UnitUpdate) -> str | None:
        if update.state is not None:
            return update.state
        if update.status is None:
            return None
        return REVIEW_STATES[self.doc.version].get(update.status)

    # XLIFF 1.2 ----------------------------------------------------------------------------

    def unit_12(self, unit: etree._Element, segments: list[Segment]) -> None:
        doc = self.doc
        updates = [(s, self.updates[s.key]) for s in segments if s.key in self.updates]
        target = unit.find(doc.q("target"))
        changed = [(s, u) for s, u in updates if self.changed(s, u)]
        states = [state for _, u in updates if (state := self.state(u)) is not None]
        new_state: str | None = None
        if len(states) == len(segments):  # a unit's state speaks for all its segments
            new_state = min(states, key=lambda s: _RANK_12.index(s) if s in _RANK_12 else -1)
        attributes: dict[str, str | None] = {}
        if new_state is not None:
            attributes["state"] = new_state
        if changed:
            attributes["state-qualifier"] = None  # it told how the old target was made
        anchor = unit.find(doc.q("seg-source"))
        if anchor is None:
            anchor = unit.find(doc.q("source"))
        assert anchor is not None  # the reader refuses units without a source
        if target is None and changed:
            prefix = _prefix(self.span(anchor))
            attrs = "".join(
                f' {k}="{escape_xml(v)}"' for k, v in attributes.items() if v is not None
            )
            body = self.content_12(segments, {s.key: u for s, u in changed})
            self.insert_after(anchor, f"<{prefix}target{attrs}>{body}</{prefix}target>", 0)
        elif target is not None:
            whole = None
            if changed and segments[0].mid is None:
                whole = self.content(changed[0][0], changed[0][1].target or "")
            elif changed:
                self.marks_12(target, changed)
            self.rewrite(target, whole, attributes)
        self.approve_12(unit, new_state)
        self.notes_12(unit, [u for _, u in updates])

    def approve_12(self, unit: etree._Element, new_state: str | None) -> None:
        """`approved="yes"` on a signed-off unit, `"no"` on a rejected one that had it."""
        if new_state is None:
            return
        if new_state in _SIGNED_OFF_12:
            self.rewrite(unit, None, {"approved": "yes"})
        elif unit.get("approved") == "yes":
            self.rewrite(unit, None, {"approved": "no"})

    def content_12(self, segments: list[Segment], changed: Mapping[str, UnitUpdate]) -> str:
        """The content of a new 1.2 target: the text, or one `<mrk mtype="seg">` per segment."""
        if segments[0].mid is None:
            return self.content(segments[0], changed[segments[0].key].target or "")
        marks = []
        for segment in segments:
            update = changed.get(segment.key)
            body = self.content(segment, update.target or "") if update else ""
            prefix = _prefix(self.span(segment.source))
            mid = escape_xml(segment.mid or "")
            marks.append(f'<{prefix}mrk mtype="seg" mid="{mid}">{body}</{prefix}mrk>')
        return "".join(marks)

    def marks_12(self, target: etree._Element, changed: list[tuple[Segment, UnitUpdate]]) -> None:
        """Change the target `<mrk mtype="seg">` of each changed segment (added when missing)."""
        for segment, update in changed:
            body = self.content(segment, update.target or "")
            if segment.target is not None:
                self.rewrite(segment.target, body, {})
                continue
            prefix = _prefix(self.span(segment.source))
            mid = escape_xml(segment.mid or "")
            span = self.span(target)
            mark = f'<{prefix}mrk mtype="seg" mid="{mid}">{body}</{prefix}mrk>'
            if span.empty:
                raise ExportError(f"{self.doc.name}: unit of {segment.key} has an empty <target/>")
            self.edits.insert(span.close_start, mark, 1)

    def notes_12(self, unit: etree._Element, updates: list[UnitUpdate]) -> None:
        notes = [(note, u.author) for u in updates for note in u.notes]
        if not notes:
            return
        known = {"source", "seg-source", "target", "context-group", "count-group", "note"}
        known.add("alt-trans")
        last = [
            child
            for child in unit
            if isinstance(child.tag, str)
            and etree.QName(child).namespace == (self.doc.ns or None)
            and etree.QName(child).localname in known
        ][-1]
        prefix = _prefix(self.span(last))
        for order, (note, author) in enumerate(notes, start=2):
            author_attr = escape_xml(author or NOTE_CATEGORY)
            markup = f'<{prefix}note from="{author_attr}">{escape_text(clean(note))}</{prefix}note>'
            self.insert_after(last, markup, order)

    # XLIFF 2.0 ----------------------------------------------------------------------------

    def unit_20(self, unit: etree._Element, segments: list[Segment]) -> None:
        notes: list[str] = []
        for segment in segments:
            update = self.updates.get(segment.key)
            if update is None:
                continue
            assert segment.segment is not None
            new_state = self.state(update)
            if new_state is not None:
                self.rewrite(segment.segment, None, {"state": new_state})
            if self.changed(segment, update):
                content = self.content(segment, update.target or "")
                if segment.target is not None:
                    self.rewrite(segment.target, content, {})
                else:
                    prefix = _prefix(self.span(segment.source))
                    self.insert_after(
                        segment.source, f"<{prefix}target>{content}</{prefix}target>", 0
                    )
            notes.extend(update.notes)
        if notes:
            self.notes_20(unit, notes)

    def notes_20(self, unit: etree._Element, notes: list[str]) -> None:
        doc = self.doc
        prefix = _prefix(self.span(unit))
        markups = [
            f'<{prefix}note category="{NOTE_CATEGORY}">{escape_text(clean(note))}</{prefix}note>'
            for note in notes
        ]
        holder = unit.find(doc.q("notes"))
        if holder is not None:
            existing = list(holder.iterchildren(doc.q("note")))
            if existing:
                for order, markup in enumerate(markups, start=2):
                    self.insert_after(existing[-1], markup, order)
                return
            span = self.span(holder)
            self.edits.insert(span.close_start, "".join(markups), 2)
            return
        anchor = next(
            child
            for child in unit
            if isinstance(child.tag, str)
            and child.tag in (doc.q("originalData"), doc.q("segment"), doc.q("ignorable"))
        )
        at = self.span(anchor).start
        indent = _indent(doc.text, at)
        unit_indent = _indent(doc.text, self.span(unit).start)
        if indent is None:
            self.edits.insert(at, f"<{prefix}notes>{''.join(markups)}</{prefix}notes>")
            return
        step = indent[len(unit_indent) :] if unit_indent is not None else "  "
        inner = "".join(self.nl + indent + step + markup for markup in markups)
        block = f"<{prefix}notes>{inner}{self.nl}{indent}</{prefix}notes>{self.nl}{indent}"
        self.edits.insert(at, block)

    # the whole file -----------------------------------------------------------------------

    def write(self) -> str:
        by_unit: dict[etree._Element, list[Segment]] = {}
        for segment in self.doc.segments:
            by_unit.setdefault(segment.unit, []).append(segment)
        for unit, segments in by_unit.items():
            if not any(s.key in self.updates for s in segments):
                continue
            if self.doc.version == "1.2":
                self.unit_12(unit, segments)
            else:
                self.unit_20(unit, segments)
        return self.edits.apply(self.doc.text)


def write_xliff(
    original: bytes, updates: Mapping[str, UnitUpdate], *, name: str = "XLIFF"
) -> bytes:
    """The original XLIFF bytes with `updates` (keyed by segment key) applied, all else kept."""
    try:
        doc = parse_xliff(original, name)
    except InputError as error:
        raise ExportError(f"the original XLIFF cannot be read again: {error}") from error
    keys = {segment.key for segment in doc.segments}
    unknown = sorted(key for key in updates if key not in keys)
    if unknown:
        raise ExportError(
            f"{name}: no segment {unknown[0]!r} in the original XLIFF"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
        )
    text = _Writer(doc, updates).write()
    data = doc.bom + text.encode(doc.codec, errors="xmlcharrefreplace")
    try:
        parse_xml(data, name)
    except InputError as error:  # a guard: every change above keeps the file well-formed
        raise ExportError(f"the XLIFF written for {name} is not well-formed: {error}") from error
    return data
