"""Inline codes: private-use tokens in the text, short visible placeholders for people, tag checks.

Readers (TMX, XLIFF, Markdown) replace every inline code by one private-use character and keep
the code's markup in an `InlineCode`; the markup is TMX inline XML (`<bpt i="1">…</bpt>`,
`<ept>`, `<it>`, `<ph>` …) whose text is the native code. People never see the tokens: `TagView`
shows them as `⟨1⟩…⟨/1⟩` (a pair) or `⟨x2/⟩` (a standalone code), reads an edited text back into
tokens, and checks a correction for dropped, duplicated or reordered tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from review.model import Finding, InlineCode, Pair, Severity, Span

TOKEN_BASE = 0xE000
"""The first token: a unit's codes are U+E000, U+E001 … in the order they were read."""
TOKEN_LAST = 0xF8FF
"""The last private-use character of the BMP; a unit holds at most 6,400 codes."""


class TooManyCodes(ValueError):
    """A unit with more inline codes than there are private-use characters."""


def add_code(codes: list[InlineCode], xml: str) -> str:
    """Append a code for `xml` with the next free token of its unit and return the token."""
    point = TOKEN_BASE + len(codes)
    if point > TOKEN_LAST:
        raise TooManyCodes(f"more than {TOKEN_LAST - TOKEN_BASE + 1} inline codes in one unit")
    token = chr(point)
    codes.append(InlineCode(token, xml))
    return token


def is_token(char: str) -> bool:
    """Whether a character is in the private-use range tokens are taken from."""
    return TOKEN_BASE <= ord(char) <= TOKEN_LAST


def restore(text: str, codes: Iterable[InlineCode]) -> str:
    """`text` with each token replaced by its code's markup."""
    markup = {code.token: code.xml for code in codes}
    return "".join(markup.get(char, char) for char in text) if markup else text


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_XML_SPECIAL = re.compile('[&<>"]')
_TEXT_SPECIAL = re.compile("[&<>]")


def escape_xml(text: str) -> str:
    """Text escaped for XML content and double-quoted attribute values."""
    return _XML_SPECIAL.sub(lambda m: _XML_ESCAPES[m[0]], text)


def escape_text(text: str) -> str:
    """Text escaped for XML content (`&`, `<` and `>`; quotes stay as they are)."""
    return _TEXT_SPECIAL.sub(lambda m: _XML_ESCAPES[m[0]], text)


def code_xml(element: str, native: str, **attributes: str | int) -> str:
    """TMX inline XML for a native code: `code_xml("ph", "`x`", x=2)` → `<ph x="2">`x`</ph>`."""
    attrs = "".join(f' {name}="{escape_xml(str(value))}"' for name, value in attributes.items())
    return f"<{element}{attrs}>{escape_text(native)}</{element}>"


class Role(StrEnum):
    """What a code does in the text: opens a pair, closes one, or stands alone."""

    OPEN = "open"
    CLOSE = "close"
    SOLO = "solo"


@dataclass(frozen=True, slots=True)
class Tag:
    """How one token is shown: its role, the number it shares with its partner and other side."""

    token: str
    role: Role
    number: int
    native: str  # the native code (e.g. `<b>`, `` `npm i` ``) for a legend or tooltip

    @property
    def label(self) -> str:
        """The placeholder people see: `⟨1⟩`, `⟨/1⟩` or `⟨x1/⟩`."""
        if self.role is Role.OPEN:
            return f"⟨{self.number}⟩"
        if self.role is Role.CLOSE:
            return f"⟨/{self.number}⟩"
        return f"⟨x{self.number}/⟩"


PLACEHOLDER = re.compile(r"⟨(?:/?\d+|x\d+/)⟩")
"""Anything that looks like a placeholder, known to the unit or not."""

_START = re.compile(r"\s*<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)")
_ATTRIBUTE = re.compile(r"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_UNESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos);")


def _shape(xml: str) -> tuple[Role, str | None, str]:
    """A code's role, the key matching it with its partner and other side, its native code.

    The key is None for a code with no `i` or `x` to match by (a TMX `<hi>`, `<ut>`, a `<ph>`
    without `x`): `TagView` then matches such codes by start tag and order on each side.
    """
    start = _START.match(xml)
    if start is None:
        return Role.SOLO, "=" + xml, xml  # an entity or a comment: the same text is the same code
    name = start[1].rpartition(":")[2]
    attrs = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(start[2])}
    inner = xml[start.end() :].partition(">")[2].rpartition("<")[0]
    native = _ENTITY.sub(lambda m: _UNESCAPES[m[0]], re.sub(r"<[^>]*>", "", inner))
    if name in ("bpt", "ept") and "i" in attrs:
        return (Role.OPEN if name == "bpt" else Role.CLOSE), "i" + attrs["i"], native
    if name == "it" and attrs.get("pos") in ("begin", "end") and "x" in attrs:
        role = Role.OPEN if attrs["pos"] == "begin" else Role.CLOSE
        return role, "x" + attrs["x"], native
    if "x" in attrs:
        return Role.SOLO, "x" + attrs["x"], native
    return Role.SOLO, None, native


def _tokens_in(text: str, markup: Mapping[str, str]) -> list[str]:
    return [char for char in text if char in markup]


@dataclass(frozen=True)
class TagView:
    """The placeholders of one pair's codes: show, read back and check texts that hold them."""

    tags: Mapping[str, Tag]  # token → how it is shown
    en: str  # the source text: the tags a correction must carry
    zh: str  # the target as it was: the order a correction keeps, the tokens it reads back to

    @classmethod
    def of(cls, codes: Sequence[InlineCode], en: str, zh: str) -> TagView:
        """Number the codes used in `en` then `zh` in the order they appear, partners alike."""
        markup = {code.token: code.xml for code in codes}
        numbers: dict[str, int] = {}
        tags: dict[str, Tag] = {}
        for text in (en, zh):
            ordinal: Counter[str] = Counter()
            for token in _tokens_in(text, markup):
                if token in tags:
                    continue
                role, key, native = _shape(markup[token])
                if key is None:  # the n-th `<hi type="term">` of each side match
                    start = markup[token].partition(">")[0]
                    ordinal[start] += 1
                    key = f"{start}#{ordinal[start]}"
                number = numbers.setdefault(key, len(numbers) + 1)
                tags[token] = Tag(token, role, number, native)
        return cls(tags, en, zh)

    @classmethod
    def for_pair(cls, pair: Pair) -> TagView:
        """The view of a pair as read: its EN, its machine or original ZH, its codes."""
        return cls.of(pair.inline, pair.en, pair.zh)

    def show(self, text: str) -> str:
        """`text` with every token as its placeholder, never as an invisible character."""
        if not self.tags:
            return text
        return "".join(self.tags[c].label if c in self.tags else c for c in text)

    def shown_span(self, text: str, span: Span) -> Span:
        """Where a `[start, end)` span of `text` (a finding's) lies in `show(text)`."""
        start, end = span
        before = len(self.show(text[:start]))
        return before, before + len(self.show(text[start:end]))

    def placeholders(self, shown: str) -> list[tuple[Span, Tag | None]]:
        """Each placeholder in a shown text and its tag (None: not one of this unit's)."""
        by_label: dict[str, Tag] = {}
        for tag in self.tags.values():
            by_label.setdefault(tag.label, tag)
        return [((m.start(), m.end()), by_label.get(m[0])) for m in PLACEHOLDER.finditer(shown)]

    def read(self, shown: str) -> str:
        """A shown (edited) text back in tokens: the k-th `⟨1⟩` becomes the k-th such token of
        the target, else of the source; placeholders the unit does not have stay as typed."""
        candidates: dict[str, list[str]] = {}
        for token in (*self.zh, *self.en):
            tag = self.tags.get(token)
            if tag is not None and token not in candidates.get(tag.label, []):
                candidates.setdefault(tag.label, []).append(token)
        seen: Counter[str] = Counter()

        def token_for(match: re.Match[str]) -> str:
            options = candidates.get(match[0])
            if not options:
                return match[0]
            index = min(seen[match[0]], len(options) - 1)
            seen[match[0]] += 1
            return options[index]

        return PLACEHOLDER.sub(token_for, shown)

    def check(self, shown: str) -> tuple[Finding, ...]:
        """Tag findings for a correction as typed (spans into `shown`, EN spans into `show(en)`).

        A correction must carry each tag of the English (`tag-missing`), no tag more often than
        the English or the original target held it and no placeholder the unit lacks
        (`tag-extra`), pairs that nest (`tag-order`, major) and the original target's order
        (`tag-order`, minor: translation may move tags, so it asks to confirm).
        """
        found = self.placeholders(shown)
        typed = [(span, tag) for span, tag in found if tag is not None]
        findings = [
            Finding(
                "tag-extra",
                Severity.MAJOR,
                f"{shown[s:e]} is not a tag of this segment; it would be exported as text",
                zh_span=(s, e),
            )
            for (s, e), tag in found
            if tag is None
        ]
        en_shown = self.show(self.en)
        en_tags = [(span, tag) for span, tag in self.placeholders(en_shown) if tag is not None]
        wanted = Counter(tag.label for _, tag in en_tags)
        allowed = wanted | Counter(self.tags[c].label for c in self.zh if c in self.tags)
        have = Counter(tag.label for _, tag in typed)
        first_in_en: dict[str, Span] = {}
        for span, tag in en_tags:
            first_in_en.setdefault(tag.label, span)
        findings.extend(
            Finding(
                "tag-missing",
                Severity.MAJOR,
                f"tag {label} of the English is missing from the correction",
                en_span=first_in_en[label],
            )
            for label, count in wanted.items()
            if have[label] < count
        )
        seen: Counter[str] = Counter()
        for span, tag in typed:
            seen[tag.label] += 1
            if seen[tag.label] > allowed[tag.label]:
                findings.append(
                    Finding(
                        "tag-extra",
                        Severity.MAJOR,
                        f"tag {tag.label} appears more often than in the English",
                        zh_span=span,
                    )
                )
        findings.extend(self._nesting(typed))
        findings.extend(self._order(typed))
        return tuple(findings)

    def _nesting(self, typed: list[tuple[Span, Tag]]) -> list[Finding]:
        """A pair closed before it opens, or two pairs that overlap: markup that cannot nest."""
        opened = {tag.number for _, tag in typed if tag.role is Role.OPEN}
        paired = opened & {tag.number for _, tag in typed if tag.role is Role.CLOSE}
        stack: list[int] = []
        closed_early: set[int] = set()
        findings: list[Finding] = []
        for span, tag in typed:
            if tag.number not in paired:
                continue  # a code whose partner lies in another segment (an isolated `it`)
            if tag.role is Role.OPEN:
                if tag.number not in closed_early:  # already reported at its close
                    stack.append(tag.number)
                continue
            if stack and stack[-1] == tag.number:
                stack.pop()
                continue
            if tag.number in stack:
                problem = f"overlaps ⟨{stack[-1]}⟩: pairs must nest"
                stack.remove(tag.number)
            else:
                problem = f"closes before ⟨{tag.number}⟩ opens"
                closed_early.add(tag.number)
            findings.append(
                Finding("tag-order", Severity.MAJOR, f"tag {tag.label} {problem}", zh_span=span)
            )
        return findings

    def _order(self, typed: list[tuple[Span, Tag]]) -> list[Finding]:
        """The first tag the correction puts where the original target had another one."""
        before = [self.tags[c].label for c in self.zh if c in self.tags]
        moved = [(span, tag) for span, tag in typed if tag.label in before]
        kept = [label for label in before if label in {tag.label for _, tag in moved}]
        if len(kept) != len(moved):
            return []  # duplicated or dropped tags: reported as extra / missing instead
        for (span, tag), label in zip(moved, kept, strict=True):
            if tag.label != label:
                return [
                    Finding(
                        "tag-order",
                        Severity.MINOR,
                        f"tag {tag.label} has moved: the original had {label} here",
                        zh_span=span,
                    )
                ]
        return []
