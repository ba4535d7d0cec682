"""The report as rich tables for a terminal; every text from the input goes through `visible`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from review.model import Finding, Severity, Status
from review.report.metrics import Effort
from review.report.model import MQM_WEIGHTS, RUN_NOTE, Report, highlight_spans
from review.terminal import visible

_SEVERITY_STYLE = {
    Severity.MINOR: "black on yellow",
    Severity.MAJOR: "black on dark_orange",
    Severity.CRITICAL: "bold white on red",
}


def _line(text: str) -> str:
    return visible(text, one_line=True)


def _plain(text: str) -> Text:
    """A table cell of input text: shown as it is (never read as markup), controls visible."""
    return Text(_line(text))


def _marked(text: str, findings: Sequence[Finding], side: str) -> Text:
    out = Text()
    for run, finding in highlight_spans(text, findings, side):
        out.append(visible(run), style=_SEVERITY_STYLE[finding.severity] if finding else "")
    return out


def _codes(findings: Sequence[Finding]) -> str:
    """Finding codes once each, with a count when repeated: `name-dropped ×5, omission`."""
    counts = Counter(_line(f.code) for f in findings)
    return ", ".join(code if n == 1 else f"{code} ×{n}" for code, n in counts.items())


def _table(title: str, *columns: str, numeric: tuple[int, ...] = ()) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=False)
    for i, name in enumerate(columns):
        # fold, not ellipsis: Chinese has no spaces, so a whole sentence is one "word"
        table.add_column(name, justify="right" if i in numeric else "left", overflow="fold")
    return table


def _metrics(title: str, effort: Effort) -> Table:
    table = _table(
        f"{title} ({effort.pairs:,} pairs)", "metric", "score", "signature", numeric=(1,)
    )
    for key, name, value in (
        ("chrf", "chrF", effort.chrf),
        ("bleu", "BLEU", effort.bleu),
        ("ter", "TER", effort.ter),
    ):
        table.add_row(name, f"{value:.2f}", Text(effort.signatures[key], style="dim"))
    return table


def _parts(report: Report) -> Iterator[RenderableType]:
    v = report.volume
    yield Text(_line(report.title), style="bold underline")
    sources = _line(", ".join(report.sources))
    yield Text(f"Sources: {sources or '(none)'}", style="dim")
    yield Text(f"Scorer: {_line(report.scorer_signature)}", style="dim")
    volume = _table("Volume", "side", "words", "characters", "Han", numeric=(1, 2, 3))
    volume.add_row("English", f"{v.en.words:,}", f"{v.en.chars:,}", f"{v.en.han:,}")
    volume.add_row("Chinese", f"{v.zh.words:,}", f"{v.zh.chars:,}", f"{v.zh.han:,}")
    volume.caption = (
        f"{v.pairs:,} pairs: {v.translated:,} translated, {v.untranslated:,} untranslated, "
        f"{v.zh_only:,} Chinese only, {v.boilerplate:,} boilerplate"
    )
    yield volume
    threshold = f" (≥ {report.flag_threshold:.3f})" if report.flag_threshold is not None else ""
    hist = _table(
        f"Divergence: {report.flagged:,} of {report.scored:,} scored pairs flagged{threshold}, "
        f"{report.flagged_share:.1%}",
        "divergence",
        "pairs",
        "",
        numeric=(1,),
    )
    top = max((b.count for b in report.histogram), default=0) or 1
    for b in report.histogram:
        bar = "█" * round(30 * b.count / top)
        above = report.flag_threshold is not None and b.low >= report.flag_threshold
        style = "red" if above else "blue"
        hist.add_row(f"{b.low:.2f}–{b.high:.2f}", f"{b.count:,}", Text(bar, style=style))
    yield hist
    if report.findings:
        findings = _table("Findings", "code", "severity", "count", numeric=(2,))
        for f in report.findings:
            findings.add_row(
                _plain(f.code),
                Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
                f"{f.count:,}",
            )
        yield findings
    if report.review is not None:
        r = report.review
        status = _table(
            f"Review: {r.reviewed:,} of {r.pairs:,} pairs reviewed, {r.comments:,} comments",
            "status",
            "pairs",
            numeric=(1,),
        )
        for s, n in r.by_status.items():
            status.add_row(s.value, f"{n:,}")
        yield status
        if r.reviewers:
            people = _table(
                "Reviewers",
                "reviewer",
                "decided",
                *[s.value for s in Status if s != Status.PENDING],
                numeric=tuple(range(1, len(Status) + 1)),
            )
            for person in r.reviewers:
                people.add_row(
                    _plain(person.reviewer),
                    f"{person.decided:,}",
                    *[f"{person.by_status.get(s, 0):,}" for s in Status if s != Status.PENDING],
                )
            yield people
        weights = ", ".join(f"{s.value} {w}" for s, w in MQM_WEIGHTS.items())
        penalty = "–" if r.mqm_per_1000_words is None else f"{r.mqm_per_1000_words:.2f}"
        mqm = _table(
            f"MQM: {penalty} penalty points per 1,000 EN words ({weights})",
            "category",
            "severity",
            "count",
            numeric=(2,),
        )
        for tag in r.mqm:
            mqm.add_row(_plain(tag.category), tag.severity.value,
                        f"{tag.count:,}")  # fmt: skip
        yield mqm
    fixes = report.corrections_with_findings
    if fixes:
        marked = _table(
            f"{len(fixes)} corrected pair{'s' if len(fixes) != 1 else ''} whose correction still "
            "has findings",
            "#",
            "correction",
            "findings",
            numeric=(0,),
        )
        for state in fixes:
            found = report.correction_findings[state.pair.id]
            marked.add_row(
                str(state.number), _marked(state.final_zh, found, "zh"), Text(_codes(found))
            )
        yield marked
    if report.effort is not None:
        yield _metrics("Post-edit effort: MT against the signed-off text", report.effort)
    if report.reference is not None and report.reference_match is not None:
        m = report.reference_match
        yield _metrics(
            f"Against reference {_line(m.path)}"
            f" ({m.matched:,}/{m.of:,} matched by {m.method})",
            report.reference,
        )
    if report.worst:
        worst = _table(
            f"The {len(report.worst)} most divergent pairs",
            "#",
            "div.",
            "English",
            "Chinese",
            "findings",
            numeric=(0, 1),
        )
        for w in report.worst:
            p = w.pair
            en, zh = _marked(p.en, p.findings, "en"), _marked(p.zh, p.findings, "zh")
            if w.run:  # the run's first sentence stands for it; the empty side says how many
                (zh if p.en else en).append(f"({w.summary()})", style="dim")
            worst.add_row(str(w.rank), f"{w.divergence:.2f}", en, zh, Text(_codes(w.findings)))
        if any(w.run for w in report.worst):
            worst.caption = RUN_NOTE
        yield worst
    documents = sorted({row.doc_id for row in report.sections})
    one = len(documents) == 1
    title = f"By section of {_line(documents[0])}" if one else "By document and section"
    head = ("section", "pairs", "flagged", "mean div.")
    sections = (
        _table(title, *head, numeric=(1, 2, 3))
        if one
        else _table(title, "document", *head, numeric=(2, 3, 4))
    )
    for row in report.sections:
        mean = "–" if row.mean_divergence is None else f"{row.mean_divergence:.2f}"
        cells = (_plain(row.section), f"{row.pairs:,}", f"{row.flagged:,}", mean)
        sections.add_row(*cells) if one else sections.add_row(_plain(row.doc_id), *cells)
    yield sections


def _untitled(part: RenderableType) -> Iterator[RenderableType]:
    """A table's title and caption as lines of their own, so a narrow table never wraps them."""
    if isinstance(part, Table) and (part.title or part.caption):
        title, caption = part.title, part.caption
        part.title = part.caption = None
        yield Text("")
        if title:
            yield Text(str(title), style="bold")
        yield part
        if caption:
            yield Text(str(caption), style="dim")
    else:
        yield part


def render_text(report: Report) -> RenderableType:
    """A rich renderable of the whole summary (print it with a `rich.console.Console`)."""
    return Group(*(line for part in _parts(report) for line in _untitled(part)))
