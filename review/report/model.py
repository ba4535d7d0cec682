"""The batch report as plain values, built from scored pairs and, for projects, review states."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from review import __version__
from review.model import Finding, Pair, PairKind, ReviewState, Severity, Status
from review.progress import Progress, quiet
from review.report.counts import TextCounts, count_en, count_zh
from review.report.metrics import Effort, effort
from review.report.script import HANS, han_counts, zh_tag

HISTOGRAM_BINS = 20
WORST = 25
RUN_KINDS = (PairKind.UNTRANSLATED, PairKind.ZH_ONLY)
RUN_MIN = 2  # this many one-sided pairs in a row in one section make one worst-pairs entry
RUN_NOTE = "Untranslated (or Chinese-only) sentences in a row in one section are one entry."
MQM_WEIGHTS: Mapping[Severity, int] = {Severity.MINOR: 1, Severity.MAJOR: 5, Severity.CRITICAL: 25}
"""MQM-style penalty points per error: minor 1, major 5, critical 25 (the MQM/TAUS weights)."""

# Pairs whose Chinese a reviewer signed off as a translation: post-edit effort compares MT to these.
EDITED_STATUSES = (Status.ACCEPTED, Status.CORRECTED)


@dataclass(frozen=True, slots=True)
class Volume:
    """How much material there is: pairs by kind and words/characters per side."""

    pairs: int
    translated: int
    untranslated: int
    zh_only: int
    boilerplate: int
    en: TextCounts
    zh: TextCounts


@dataclass(frozen=True, slots=True)
class Bin:
    """One histogram bin `[low, high)` of divergence (the last bin includes 1.0)."""

    low: float
    high: float
    count: int


@dataclass(frozen=True, slots=True)
class FindingCount:
    """How many findings of one code at one severity."""

    code: str
    severity: Severity
    count: int


@dataclass(frozen=True, slots=True)
class WorstPair:
    """A worst-pairs entry: one high-divergence pair, or a run of one-sided pairs counted once.

    A run is two or more untranslated (or Chinese-only) pairs next to each other in one section,
    so one untranslated paragraph cannot fill the table and hide every other problem.
    """

    rank: int
    pair: Pair  # the pair; for a run, its first pair
    status: Status | None
    final_zh: str | None  # the correction, when a reviewer made one (never for a run)
    run: tuple[Pair, ...] = ()  # every pair of a run in document order, `pair` first; else ()

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """The pairs this entry stands for: the run, or the one pair."""
        return self.run or (self.pair,)

    @property
    def divergence(self) -> float:
        """The highest divergence among the entry's pairs."""
        return max(p.divergence or 0.0 for p in self.pairs)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings of every pair of the entry, in document order."""
        return tuple(f for p in self.pairs for f in p.findings)

    def summary(self) -> str:
        """What a run is, in words (`5 untranslated sentences, lines 33–36`); "" for one pair."""
        if not self.run:
            return ""
        what = (
            "untranslated sentences"
            if self.pair.kind == PairKind.UNTRANSLATED
            else ("Chinese sentences with no English")
        )
        lines = sorted({p.line for p in self.run if p.line})
        where = ""
        if lines:
            where = f", line {lines[0]}" if len(lines) == 1 else f", lines {lines[0]}–{lines[-1]}"
        return f"{len(self.run)} {what}{where}"


@dataclass(frozen=True, slots=True)
class SectionRow:
    """Per-document, per-section totals in document order."""

    doc_id: str
    section: str
    pairs: int
    en_words: int
    zh_chars: int
    flagged: int
    mean_divergence: float | None
    max_divergence: float | None
    findings: int
    reviewed: int | None  # None for sources, which have no review


@dataclass(frozen=True, slots=True)
class ReviewerRow:
    """One reviewer's latest decisions, by status."""

    reviewer: str
    decided: int
    by_status: Mapping[Status, int]


@dataclass(frozen=True, slots=True)
class MqmCount:
    """MQM tags of one category at one severity."""

    category: str
    severity: Severity
    count: int


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """The reviewers' work on a project: progress, decisions, MQM tags and penalty."""

    pairs: int
    reviewed: int
    by_status: Mapping[Status, int]
    reviewers: tuple[ReviewerRow, ...]
    comments: int
    mqm: tuple[MqmCount, ...]
    mqm_points: int
    en_words: int
    mqm_per_1000_words: float | None


@dataclass(frozen=True, slots=True)
class ReferenceMatch:
    """How many pairs found their English in a reference translation, and how."""

    path: str
    method: str  # "text", "order" or "text+order"
    matched: int
    of: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a batch report shows; the renderers only format it."""

    title: str
    sources: tuple[str, ...]
    generated_at: datetime
    tool_version: str
    scorer_signature: str
    volume: Volume
    untranslated: tuple[Pair, ...]
    zh_only: tuple[Pair, ...]
    scored: int
    flagged: int
    flag_threshold: float | None
    histogram: tuple[Bin, ...]
    findings: tuple[FindingCount, ...]
    worst: tuple[WorstPair, ...]
    sections: tuple[SectionRow, ...]
    pairs: tuple[Pair, ...]
    states: Mapping[str, ReviewState] = field(default_factory=dict)
    review: ReviewSummary | None = None
    effort: Effort | None = None
    reference: Effort | None = None
    reference_match: ReferenceMatch | None = None
    counts: Mapping[str, tuple[TextCounts, TextCounts]] = field(default_factory=dict)
    zh_tag: str = HANS  # the script of all the Chinese, for Chinese outside any one pair
    zh_tags: Mapping[str, str] = field(default_factory=dict)  # doc_id → script of its Chinese
    # pair id → the findings its correction still has (only corrected pairs that have some)
    correction_findings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)

    @property
    def corrections_with_findings(self) -> tuple[ReviewState, ...]:
        """The corrected pairs whose correction still has findings, worst first."""
        found = self.correction_findings

        def worst(state: ReviewState) -> tuple[int, int]:
            return (-max(f.severity.rank for f in found[state.pair.id]), state.number)

        return tuple(sorted((self.states[pid] for pid in found if pid in self.states), key=worst))

    def zh_tag_of(self, pair: Pair) -> str:
        """The language tag of a pair's Chinese: its document's script (zh-Hans or zh-Hant)."""
        return self.zh_tags.get(pair.doc_id, self.zh_tag)

    @property
    def flagged_share(self) -> float:
        """Flagged pairs as a share of scored pairs (0 when nothing was scored)."""
        return self.flagged / self.scored if self.scored else 0.0


def histogram(values: Iterable[float], bins: int = HISTOGRAM_BINS) -> tuple[Bin, ...]:
    """Equal-width bins over [0, 1]; 1.0 falls into the last bin."""
    counts = [0] * bins
    for value in values:
        counts[min(int(value * bins), bins - 1)] += 1
    return tuple(Bin(i / bins, (i + 1) / bins, n) for i, n in enumerate(counts))


def _finding_counts(pairs: Sequence[Pair]) -> tuple[FindingCount, ...]:
    counter = Counter((f.code, f.severity) for p in pairs for f in p.findings)
    ordered = sorted(counter.items(), key=lambda kv: (-kv[0][1].rank, -kv[1], kv[0][0]))
    return tuple(FindingCount(code, severity, n) for (code, severity), n in ordered)


def _sections(
    pairs: Sequence[Pair],
    counts: Mapping[str, tuple[TextCounts, TextCounts]],
    states: Mapping[str, ReviewState],
) -> tuple[SectionRow, ...]:
    groups: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:  # dicts keep insertion order, so sections stay in document order
        groups[(pair.doc_id, pair.section)].append(pair)
    rows = []
    for (doc_id, section), members in groups.items():
        scores = [p.divergence for p in members if p.divergence is not None]
        reviewed = None
        if states:
            reviewed = sum(
                1 for p in members if p.id in states and states[p.id].status != Status.PENDING
            )
        rows.append(
            SectionRow(
                doc_id=doc_id,
                section=section,
                pairs=len(members),
                en_words=sum(counts[p.id][0].words for p in members),
                zh_chars=sum(counts[p.id][1].chars for p in members),
                flagged=sum(1 for p in members if p.flagged),
                mean_divergence=sum(scores) / len(scores) if scores else None,
                max_divergence=max(scores) if scores else None,
                findings=sum(len(p.findings) for p in members),
                reviewed=reviewed,
            )
        )
    return tuple(rows)


def _run_key(pair: Pair, state: ReviewState | None) -> tuple[object, ...] | None:
    """What pairs must share to join one run; None for a pair that never joins one."""
    if pair.kind not in RUN_KINDS or (state is not None and state.correction is not None):
        return None
    status = state.status if state is not None else None
    return (pair.doc_id, pair.section, pair.kind, pair.boilerplate, status)


def _groups(pairs: Sequence[Pair], states: Mapping[str, ReviewState]) -> list[list[Pair]]:
    """Pairs in document order, each in a group of its own except runs of alike one-sided pairs."""
    groups: list[list[Pair]] = []
    previous: tuple[object, ...] | None = None
    for pair in pairs:
        key = _run_key(pair, states.get(pair.id))
        if key is not None and key == previous:
            groups[-1].append(pair)
        else:
            groups.append([pair])
        previous = key
    return groups


def _worst(pairs: Sequence[Pair], states: Mapping[str, ReviewState]) -> tuple[WorstPair, ...]:
    """The WORST entries of highest divergence above 0 (ties by pair id), a run counted once."""
    entries = [
        WorstPair(0, group[0], None, None, tuple(group) if len(group) >= RUN_MIN else ())
        for group in _groups(pairs, states)
    ]
    ranked = sorted(
        (e for e in entries if e.divergence > 0), key=lambda e: (-e.divergence, e.pair.id)
    )
    return tuple(
        WorstPair(
            rank,
            e.pair,
            states[e.pair.id].status if e.pair.id in states else None,
            states[e.pair.id].correction if e.pair.id in states else None,
            e.run,
        )
        for rank, e in enumerate(ranked[:WORST], start=1)
    )


def _review(states: Sequence[ReviewState], en_words: int) -> ReviewSummary:
    by_status = Counter(s.status for s in states)
    per_reviewer: dict[str, Counter[Status]] = defaultdict(Counter)
    for state in states:
        if state.status != Status.PENDING:
            per_reviewer[state.reviewer or "(unknown)"][state.status] += 1
    reviewers = tuple(
        ReviewerRow(name, sum(c.values()), {s: c[s] for s in Status if c[s]})
        for name, c in sorted(per_reviewer.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    )
    mqm = Counter((tag.category, tag.severity) for s in states for tag in s.mqm)
    points = sum(MQM_WEIGHTS[severity] * n for (_, severity), n in mqm.items())
    return ReviewSummary(
        pairs=len(states),
        reviewed=sum(n for status, n in by_status.items() if status != Status.PENDING),
        by_status={status: by_status[status] for status in Status},
        reviewers=reviewers,
        comments=sum(len(s.comments) for s in states),
        mqm=tuple(
            MqmCount(category, severity, n)
            for (category, severity), n in sorted(
                mqm.items(), key=lambda kv: (kv[0][0], kv[0][1].rank)
            )
        ),
        mqm_points=points,
        en_words=en_words,
        mqm_per_1000_words=points * 1000 / en_words if en_words else None,
    )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_reference(
    pairs: Sequence[Pair], reference: Sequence[tuple[str, str]], path: str = ""
) -> tuple[dict[str, str], ReferenceMatch]:
    """Map pair ids to reference Chinese: by identical English, else by order when counts agree.

    Order is used for the pairs whose English is not found only when the reference has exactly
    as many English segments as the pairs do, so a shifted reference never pairs wrong text.
    """
    with_en = [p for p in pairs if p.en.strip()]
    by_text: dict[str, str] = {}
    for en, zh in reference:
        if en.strip() and zh.strip():
            by_text.setdefault(_key(en), zh)
    found = {p.id: by_text[_key(p.en)] for p in with_en if _key(p.en) in by_text}
    method = "text"
    ref_en = [(en, zh) for en, zh in reference if en.strip()]
    if len(found) < len(with_en) and len(ref_en) == len(with_en):
        by_order = {p.id: zh for p, (_, zh) in zip(with_en, ref_en, strict=True) if zh.strip()}
        method = "order" if not found else "text+order"
        found = {**by_order, **found}
    return found, ReferenceMatch(path, method, len(found), len(with_en))


def measure(
    pairs: Sequence[Pair], progress: Progress | None = None
) -> dict[str, tuple[TextCounts, TextCounts]]:
    """EN and ZH counts of every pair, keyed by pair id (the slow part: jieba)."""
    wrap = progress or quiet
    return {
        p.id: (count_en(p.en), count_zh(p.zh)) for p in wrap(pairs, len(pairs), "Counting words")
    }


def build_report(
    pairs: Sequence[Pair],
    *,
    states: Sequence[ReviewState] = (),
    sources: Sequence[str] = (),
    scorer_signature: str = "",
    flag_threshold: float | None = None,
    reference: Sequence[tuple[str, str]] | None = None,
    reference_path: str = "",
    title: str = "Translation quality report",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Report:
    """Build the report over `pairs` plus the pairs of `states` (a project's review)."""
    all_pairs = tuple([s.pair for s in states] + list(pairs))
    state_by_id = {s.pair.id: s for s in states}
    counts = measure(all_pairs, progress)
    en_total = sum((c[0] for c in counts.values()), TextCounts())
    zh_total = sum((c[1] for c in counts.values()), TextCounts())
    kinds = Counter(p.kind for p in all_pairs)
    scored = [p for p in all_pairs if p.divergence is not None]
    worst = _worst(all_pairs, state_by_id)
    review = post_edit = None
    if states:
        review = _review(states, sum(counts[s.pair.id][0].words for s in states))
        post_edit = effort(
            [
                (s.pair.id, s.pair.zh, s.final_zh)
                for s in states
                if s.status in EDITED_STATUSES and s.final_zh.strip()
            ],
            progress,
        )
    fixes: Mapping[str, tuple[Finding, ...]] = {}
    if any(s.correction is not None for s in states):
        from review.correction import correction_findings

        fixes = correction_findings(states)
    by_doc: dict[str, list[str]] = defaultdict(list)
    for pair in all_pairs:
        by_doc[pair.doc_id].append(pair.zh)
        if pair.id in state_by_id and state_by_id[pair.id].correction:
            by_doc[pair.doc_id].append(state_by_id[pair.id].final_zh)
    han = {doc_id: han_counts(texts) for doc_id, texts in by_doc.items()}
    against_reference = match = None
    if reference is not None:
        found, match = match_reference(all_pairs, reference, reference_path)
        against_reference = effort([(p.id, p.zh, found[p.id]) for p in all_pairs if p.id in found])
    return Report(
        title=title,
        sources=tuple(sources),
        generated_at=now or datetime.now(UTC),
        tool_version=__version__,
        scorer_signature=scorer_signature,
        volume=Volume(
            pairs=len(all_pairs),
            translated=kinds[PairKind.TRANSLATED],
            untranslated=kinds[PairKind.UNTRANSLATED],
            zh_only=kinds[PairKind.ZH_ONLY],
            boilerplate=sum(1 for p in all_pairs if p.boilerplate),
            en=en_total,
            zh=zh_total,
        ),
        untranslated=tuple(p for p in all_pairs if p.kind == PairKind.UNTRANSLATED),
        zh_only=tuple(p for p in all_pairs if p.kind == PairKind.ZH_ONLY),
        scored=len(scored),
        flagged=sum(1 for p in scored if p.flagged),
        flag_threshold=flag_threshold,
        histogram=histogram(p.divergence for p in scored if p.divergence is not None),
        findings=_finding_counts(all_pairs),
        worst=worst,
        sections=_sections(all_pairs, counts, state_by_id),
        pairs=all_pairs,
        states=state_by_id,
        review=review,
        effort=post_edit,
        reference=against_reference,
        reference_match=match,
        counts=counts,
        zh_tag=zh_tag(sum(han.values(), Counter())),
        zh_tags={doc_id: zh_tag(chars) for doc_id, chars in han.items()},
        correction_findings=fixes,
    )


def highlight_spans(
    text: str, findings: Sequence[Finding], side: str
) -> list[tuple[str, Finding | None]]:
    """Cut `text` into runs, each with the worst finding covering it (None when uncovered).

    Spans are clamped to the text, so a check that miscounts cannot break a report.
    """
    worst: list[Finding | None] = [None] * len(text)
    for finding in findings:
        span = finding.en_span if side == "en" else finding.zh_span
        if span is None:
            continue
        start, end = max(0, span[0]), min(len(text), span[1])
        for i in range(start, end):
            current = worst[i]
            if current is None or finding.severity.rank > current.severity.rank:
                worst[i] = finding
    runs: list[tuple[str, Finding | None]] = []
    for i, char in enumerate(text):
        if runs and runs[-1][1] is worst[i]:
            runs[-1] = (runs[-1][0] + char, worst[i])
        else:
            runs.append((char, worst[i]))
    return runs
