"""Quality checks of a reviewer's own correction: the pair rescored with the corrected Chinese.

The same checks that scored the machine translation look at the correction, so a fix that keeps
a wrong name or breaks a number is caught before it is saved, and reports and exports can mark
signed-off pairs whose Chinese still has findings. Corrections are the text other pairs are
compared with for consistency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import regex

from review.model import Finding, Pair, ReviewState, Severity

if TYPE_CHECKING:
    from review.checks import CheckContext

_NOT_WORD = regex.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class CorrectionQA:
    """What the checks find in a correction, set against what they found in the MT."""

    text: str
    pair: Pair  # the pair rescored with `text` as its Chinese
    still: tuple[Finding, ...]  # findings the MT had and the correction keeps
    new: tuple[Finding, ...]  # findings of the correction the MT did not have
    fixed: tuple[Finding, ...]  # findings of the MT the correction no longer has

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the correction, worst first."""
        return self.pair.findings

    @property
    def critical(self) -> bool:
        """Whether the correction still carries a critical finding (saving asks to confirm)."""
        return any(f.severity is Severity.CRITICAL for f in self.pair.findings)

    def words(self, finding: Finding) -> str:
        """The words a finding points at: the correction's, else the English's ("" for none)."""
        for text, span in ((self.text, finding.zh_span), (self.pair.en, finding.en_span)):
            if span is not None and text[span[0] : span[1]].strip():
                return text[span[0] : span[1]]
        return ""

    def summary(self, finding: Finding) -> str:
        """One line for a reviewer: `the correction still holds 张成泽: …`."""
        words = self.words(finding)
        in_zh = finding.zh_span is not None and words == _slice(self.text, finding.zh_span)
        if finding in self.still:
            lead = f"the correction still holds {words}" if in_zh and words else "still"
        else:
            lead = f"new in the correction: {words}" if in_zh and words else "new"
        return f"{lead}: {finding.message}"


def _slice(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def _same(a: Finding, a_pair: Pair, b: Finding, b_pair: Pair) -> bool:
    """Two findings report the same fault: one code, the same English words at fault."""
    if a.code != b.code:
        return False
    if a.en_span is None or b.en_span is None:
        return a.en_span is None and b.en_span is None
    return _slice(a_pair.en, a.en_span) == _slice(b_pair.en, b.en_span)


class Peers:
    """Other pairs' English and signed-off Chinese (their correction, else the MT), found by
    their words, so a correction is checked for consistency against the project as it is now."""

    def __init__(self, texts: Mapping[str, tuple[str, str, str | None]]) -> None:
        self._by_en: dict[str, list[tuple[str, str, str]]] = {}
        self._by_zh: dict[str, list[tuple[str, str, str]]] = {}
        for pid, (en, zh, correction) in texts.items():
            self.add(pid, en, correction if correction is not None else zh)

    def add(self, pid: str, en: str, zh: str) -> None:
        """Record (or update) one pair's current texts."""
        entry = (pid, en, zh)
        for index, key in ((self._by_en, _words(en)), (self._by_zh, _words(zh))):
            if key:
                group = index.setdefault(key, [])
                group[:] = [e for e in group if e[0] != pid]
                group.append(entry)

    def around(self, pair: Pair, zh: str) -> list[Pair]:
        """The other pairs with the same English words, or the same Chinese words as `zh`."""
        found: dict[str, tuple[str, str, str]] = {}
        for index, key in ((self._by_en, _words(pair.en)), (self._by_zh, _words(zh))):
            for entry in index.get(key, []) if key else []:
                if entry[0] != pair.id:
                    found[entry[0]] = entry
        return [
            Pair(id=pid, doc_id=pair.doc_id, en=en, zh=text) for pid, en, text in found.values()
        ]


def _words(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()


def corrected(pair: Pair, text: str) -> Pair:
    """The pair with `text` as its Chinese, unscored."""
    return replace(pair, zh=text, divergence=None, flagged=False, findings=())


def _tag_findings(pair: Pair, text: str) -> list[Finding]:
    """Dropped, extra or misordered inline codes of the correction (no spans: they point into
    the text as shown with placeholders, not the stored text)."""
    if not pair.inline:
        return []
    from review.inline import TagView

    view = TagView.for_pair(pair)
    return [replace(f, en_span=None, zh_span=None) for f in view.check(view.show(text))]


def check_correction(
    pair: Pair, text: str, ctx: CheckContext, peers: Iterable[Pair] = ()
) -> CorrectionQA:
    """Rescore `pair` with `text` as its Chinese and compare its findings with the MT's."""
    from review.checks.consistency import check_consistency
    from review.score import score_pair

    scored = score_pair(corrected(pair, text), ctx)
    extra = [*_tag_findings(pair, text)]
    others = list(peers)
    if others:
        extra += check_consistency([scored, *others]).get(pair.id, [])
    if extra:
        ordered = sorted([*scored.findings, *extra], key=lambda f: -f.severity.rank)
        scored = replace(scored, findings=tuple(ordered))
    mt = pair.findings
    still = tuple(f for f in scored.findings if any(_same(f, scored, m, pair) for m in mt))
    new = tuple(f for f in scored.findings if f not in still)
    fixed = tuple(m for m in mt if not any(_same(f, scored, m, pair) for f in scored.findings))
    return CorrectionQA(text, scored, still, new, fixed)


def correction_findings(
    states: Sequence[ReviewState], ctx: CheckContext | None = None
) -> dict[str, tuple[Finding, ...]]:
    """The findings of every correction among `states`, by pair id (pairs without a correction
    or whose correction has no finding are left out); consistency is judged on signed-off text."""
    with_fix = [s for s in states if s.correction is not None]
    if not with_fix:
        return {}
    from review.score import make_context

    context = ctx or make_context()
    peers = Peers({s.pair.id: (s.pair.en, s.pair.zh, s.correction) for s in states})
    found: dict[str, tuple[Finding, ...]] = {}
    for state in with_fix:
        assert state.correction is not None
        qa = check_correction(
            state.pair, state.correction, context, peers.around(state.pair, state.correction)
        )
        if qa.findings:
            found[state.pair.id] = qa.findings
    return found
