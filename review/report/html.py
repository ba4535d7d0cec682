"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import IO, cast

import regex

from review.atomic import atomic_write
from review.model import Finding, Pair, Severity, Status
from review.report import charts
from review.report.metrics import Effort
from review.report.model import MQM_WEIGHTS, RUN_NOTE, Report, WorstPair, highlight_spans
from review.report.script import HANS

MOST_EDITED = 10  # pairs shown under post-edit effort
LIST_LIMIT = 10  # untranslated / ZH-only pairs listed in full before "and N more"

# A run of Chinese inside other text: Han characters and full-width (CJK) punctuation.
_ZH_RUN = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]+")

# Chinese is styled by its `lang` alone. The CJK fonts come in one family per script; naming
# the script's family first is what makes a browser draw 关, 说, 骨 and 直 in their Simplified
# (or Traditional) forms, not the Japanese ones a font fallback picks for an untagged Han run.
CSS = """
:root { --ink:#222; --muted:#666; --rule:#ddd; --band:#f6f7f9; --accent:#1f4e8c;
  --minor:#fff1b8; --major:#ffd3a8; --critical:#ffb3b3; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent);
  color: var(--accent); }
h3 { font-size: 15px; margin: 16px 0 6px; }
header .meta { color: var(--muted); font-size: 13px; }
header .meta code { font-size: 12px; }
section { margin: 28px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); gap: 10px; }
.card { background: var(--band); border-radius: 6px; padding: 10px 14px;
  border-left: 4px solid var(--accent); }
.card.warn { border-left-color: #c62828; }
.card .value { display: block; font-size: 24px; font-weight: 650;
  font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; font-size: 14px; margin: 4px 0 8px; }
table.worst, table.sections { width: 100%; }
table.findings, table.mqm, table.statuses, table.reviewers { min-width: 50%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule);
  vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
.worst td.text { width: 40%; }
.worst .missing { color: var(--muted); font-style: italic; }
.worst .correction { margin-top: 4px; color: #1565c0; }
.worst details.run { margin-top: 4px; }
.worst details.run ol { margin: 4px 0 0; padding-left: 22px; }
.worst ul.findings { margin: 4px 0 0; padding-left: 18px; font-size: 13px; color: var(--muted); }
mark { padding: 0 1px; border-radius: 2px; color: inherit; }
mark.sev-minor { background: var(--minor); }
mark.sev-major { background: var(--major); }
mark.sev-critical { background: var(--critical); }
.sev { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px;
  font-weight: 600; }
.sev.minor { background: var(--minor); } .sev.major { background: var(--major); }
.sev.critical { background: var(--critical); }
.status { font-size: 12px; color: var(--muted); }
.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 10px; }
details summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.note { color: var(--muted); font-size: 13px; }
code, .sig { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 12px; overflow-wrap: anywhere; }
ol.plain { padding-left: 22px; margin: 4px 0; }
.legend mark { margin-right: 8px; }
footer { margin-top: 36px; border-top: 1px solid var(--rule); padding-top: 10px; }
:lang(zh-Hans) { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; }
:lang(zh-Hant) { font-family: "Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC",
  "Microsoft JhengHei", sans-serif; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  @page { size: A4; margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  .chart, .cards { break-inside: avoid; }
  #worst { break-before: page; }
}
"""


def _n(value: int) -> str:
    return f"{value:,}"


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _table(
    head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (), cls: str = ""
) -> str:
    """A table from already-escaped cells; `numeric` column indexes are right-aligned."""
    klass = f' class="{cls}"' if cls else ""

    def cell(tag: str, i: int, text: str) -> str:
        return f'<{tag} class="num">{text}</{tag}>' if i in numeric else f"<{tag}>{text}</{tag}>"

    out = [f"<table{klass}><thead><tr>"]
    out += [cell("th", i, escape(h)) for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _card(key: str, value: str, label: str, warn: bool = False) -> str:
    klass = "card warn" if warn else "card"
    return (
        f'<div class="{klass}" id="card-{key}"><span class="value">{escape(value)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
    )


def mixed(text: str, tag: str = HANS) -> str:
    """The text, HTML-escaped, with each run of Chinese in it in a `<span lang=tag>`."""
    out, at = [], 0
    for match in _ZH_RUN.finditer(text):
        out.append(escape(text[at : match.start()]))
        out.append(f'<span lang="{tag}">{escape(match.group())}</span>')
        at = match.end()
    out.append(escape(text[at:]))
    return "".join(out)


def marked(text: str, findings: Sequence[Finding], side: str, tag: str = HANS) -> str:
    """The text, HTML-escaped, with each finding's words in a `<mark>` titled with its message.

    On the English side any Chinese in the text is tagged `tag`; the Chinese side's element
    carries the tag itself.
    """
    text_of = escape if side == "zh" else lambda run: mixed(run, tag)
    parts = []
    for run, finding in highlight_spans(text, findings, side):
        if finding is None:
            parts.append(text_of(run))
        else:
            title = escape(f"{finding.code}: {finding.message}", quote=True)
            parts.append(
                f'<mark class="sev-{finding.severity.value}" title="{title}">{text_of(run)}</mark>'
            )
    return "".join(parts)


def _sev(severity: Severity) -> str:
    return f'<span class="sev {severity.value}">{severity.value}</span>'


def _summary(report: Report) -> str:
    volume = report.volume
    cards = [
        _card("pairs", _n(volume.pairs), "pairs"),
        _card("en-words", _n(volume.en.words), "English words"),
        _card("zh-han", _n(volume.zh.han), "Chinese characters (Han)"),
        _card(
            "flagged",
            _pct(report.flagged_share),
            f"flagged ({_n(report.flagged)} pairs)",
            warn=report.flagged > 0,
        ),
        _card("findings", _n(sum(f.count for f in report.findings)), "findings"),
        _card(
            "untranslated",
            _n(volume.untranslated),
            "untranslated pairs",
            warn=volume.untranslated > 0,
        ),
    ]
    if report.review is not None:
        review = report.review
        share = review.reviewed / review.pairs if review.pairs else 0.0
        cards.append(_card("reviewed", _pct(share), f"reviewed ({_n(review.reviewed)})"))
        cards.append(_card("mqm", _f(review.mqm_per_1000_words), "MQM penalty / 1,000 words"))
    if report.effort is not None:
        cards.append(_card("pe-chrf", _f(report.effort.chrf, 1), "post-edit chrF (MT vs final)"))
    if report.reference is not None:
        cards.append(_card("ref-chrf", _f(report.reference.chrf, 1), "chrF against reference"))
    cards_html = "".join(cards)
    return f'<section id="summary"><h2>Summary</h2><div class="cards">{cards_html}</div></section>'


def _where(pair: Pair, tag: str) -> str:
    """Where a pair is, for a reader: its line when known, else its id."""
    return f"line {pair.line}" if pair.line else mixed(pair.id, tag)


def _lang(side: str, tag: str) -> str:
    """The `lang` attribute of one side's text."""
    return f'lang="{"en" if side == "en" else tag}"'


def _side_html(text: str, findings: Sequence[Finding], side: str, tag: str) -> str:
    if not text.strip():
        missing = "no English" if side == "en" else "no Chinese"
        return f'<div class="{side} missing">({missing})</div>'
    return f'<div class="{side}" {_lang(side, tag)}>{marked(text, findings, side, tag)}</div>'


def _pair_list(report: Report, pairs: Sequence[Pair], side: str) -> str:
    items = [
        f'<li><span class="status">{_where(p, report.zh_tag)}</span> '
        f'<span class="{side}" {_lang(side, report.zh_tag_of(p))}>'
        f"{mixed(p.en) if side == 'en' else escape(p.zh)}</span></li>"
        for p in pairs[:LIST_LIMIT]
    ]
    more = len(pairs) - LIST_LIMIT
    tail = f'<p class="note">… and {_n(more)} more (see the CSV).</p>' if more > 0 else ""
    return f'<ol class="plain">{"".join(items)}</ol>{tail}'


def _volume(report: Report) -> str:
    v = report.volume
    table = _table(
        ["side", "words", "characters", "Han characters"],
        [
            ["English", _n(v.en.words), _n(v.en.chars), _n(v.en.han)],
            ["Chinese", _n(v.zh.words), _n(v.zh.chars), _n(v.zh.han)],
        ],
        numeric=(1, 2, 3),
        cls="volume",
    )
    kinds = _table(
        ["pairs", "translated", "untranslated", "Chinese only", "boilerplate"],
        [[_n(v.pairs), _n(v.translated), _n(v.untranslated), _n(v.zh_only), _n(v.boilerplate)]],
        numeric=(0, 1, 2, 3, 4),
        cls="kinds",
    )
    parts = [
        '<section id="volume"><h2>Volume</h2>',
        kinds,
        "<h3>Words and characters</h3>",
        table,
        '<p class="note">Words: English letter/digit runs; Chinese jieba tokens holding a letter '
        "or digit. Characters exclude whitespace.</p>",
    ]
    if report.untranslated:
        parts += [
            f"<h3>Untranslated ({_n(len(report.untranslated))})</h3>",
            _pair_list(report, report.untranslated, "en"),
        ]
    if report.zh_only:
        parts += [
            f"<h3>Chinese with no English ({_n(len(report.zh_only))})</h3>",
            _pair_list(report, report.zh_only, "zh"),
        ]
    parts.append("</section>")
    return "".join(parts)


def _divergence(report: Report) -> str:
    threshold = (
        f" (divergence ≥ {report.flag_threshold:.3f})" if report.flag_threshold is not None else ""
    )
    text = (
        f'<p><strong id="flagged-share">{_pct(report.flagged_share)}</strong> of '
        f"{_n(report.scored)} scored pairs are flagged{escape(threshold)}: "
        f"{_n(report.flagged)} pairs.</p>"
    )
    chart = charts.divergence_histogram(report.histogram, report.flag_threshold)
    table = _table(
        ["divergence", "pairs"],
        [[f"{b.low:.2f}–{b.high:.2f}", _n(b.count)] for b in report.histogram],
        numeric=(1,),
        cls="histogram",
    )
    return (
        f'<section id="divergence"><h2>Divergence</h2>{text}{chart}'
        f"<details><summary>Histogram as a table</summary>{table}</details></section>"
    )


def _findings(report: Report) -> str:
    if not report.findings:
        return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    table = _table(
        ["code", "severity", "count"],
        [[escape(f.code), _sev(f.severity), _n(f.count)] for f in report.findings],
        numeric=(2,),
        cls="findings",
    )
    return (
        f'<section id="findings"><h2>Findings by code and severity</h2>'
        f"{charts.findings_chart(report.findings)}{table}</section>"
    )


def _worst(report: Report) -> str:
    runs = f" {RUN_NOTE}" if any(w.run for w in report.worst) else ""
    legend = (
        '<p class="note legend">Highlighted words: <mark class="sev-critical">critical</mark>'
        f'<mark class="sev-major">major</mark><mark class="sev-minor">minor</mark>{runs}</p>'
    )
    rows = []
    for w in report.worst:
        p, tag = w.pair, report.zh_tag_of(w.pair)
        en, zh = _side_html(p.en, p.findings, "en", tag), _side_html(p.zh, p.findings, "zh", tag)
        if w.run:
            en, zh = _run_sides(w, en, zh, tag)
        if w.final_zh is not None:
            zh += f'<div class="correction zh" lang="{tag}">→ {escape(w.final_zh)}</div>'
        status = f'<div class="status">{escape(w.status.value)}</div>' if w.status else ""
        where = _where(p, report.zh_tag)
        if p.section:
            where += f" · {mixed(p.section, report.zh_tag)}"
        rows.append(
            [
                str(w.rank),
                f"{_f(w.divergence)}{status}",
                f'{en}<div class="status">{where}</div>',
                f'{zh}<ul class="findings">{_finding_items(w, report.zh_tag)}</ul>',
            ]
        )
    body = (
        _table(
            ["#", "divergence", "English", "Chinese and findings"],
            rows,
            numeric=(0, 1),
            cls="worst",
        )
        if rows
        else "<p>No divergent pairs.</p>"
    )
    return (
        f'<section id="worst"><h2>The {len(report.worst)} most divergent pairs</h2>'
        f"{legend}{body}</section>"
    )


def _run_sides(entry: WorstPair, en: str, zh: str, tag: str) -> tuple[str, str]:
    """A run's first sentence, the rest folded under it, and its size on the empty side."""
    side = "en" if entry.pair.en.strip() else "zh"
    rest = "".join(
        f"<li {_lang(side, tag)}>{mixed(p.en, tag) if side == 'en' else escape(p.zh)}</li>"
        for p in entry.run[1:]
    )
    more = len(entry.run) - 1
    folded = (
        f'<details class="run"><summary>{more} more in this run</summary>'
        f'<ol class="plain" start="2">{rest}</ol></details>'
    )
    size = (
        f'<div class="{"zh" if side == "en" else "en"} missing">({escape(entry.summary())})</div>'
    )
    return (en + folded, size) if side == "en" else (size, zh + folded)


def _finding_items(entry: WorstPair, tag: str) -> str:
    """The entry's findings as list items; a run's alike findings once each, with a count."""
    alike = Counter((f.severity, f.code, f.message) for f in entry.findings)
    return "".join(
        f"<li>{_sev(severity)} <code>{escape(code)}</code> {mixed(message, tag)}"
        + (f" ×{n}" if n > 1 else "")
        + "</li>"
        for (severity, code, message), n in alike.items()
    )


def _sections(report: Report) -> str:
    project = report.review is not None
    head = [
        "document",
        "section",
        "pairs",
        "EN words",
        "ZH chars",
        "flagged",
        "mean div.",
        "max div.",
        "findings",
    ] + (["reviewed"] if project else [])
    rows = [
        [
            mixed(s.doc_id, report.zh_tag),
            mixed(s.section, report.zh_tag) or "<em>(before the first heading)</em>",
            _n(s.pairs),
            _n(s.en_words),
            _n(s.zh_chars),
            _n(s.flagged),
            _f(s.mean_divergence),
            _f(s.max_divergence),
            _n(s.findings),
        ]
        + ([_n(s.reviewed or 0)] if project else [])
        for s in report.sections
    ]
    documents = {s.doc_id for s in report.sections}
    title = "By document and section"
    if len(documents) == 1:  # one document: its name once in the title, not on every row
        title = f"By section of {documents.pop()}"
        head, rows = head[1:], [row[1:] for row in rows]
    numeric = tuple(range(len(head) - (8 if project else 7), len(head)))
    return (
        f'<section id="sections"><h2>{escape(title)}</h2>'
        f"{_table(head, rows, numeric=numeric, cls='sections')}</section>"
    )


def _review(report: Report) -> str:
    review = report.review
    if review is None:
        return ""
    statuses = _table(
        ["status", "pairs", "share"],
        [
            [escape(s.value), _n(n), _pct(n / review.pairs if review.pairs else 0)]
            for s, n in review.by_status.items()
        ],
        numeric=(1, 2),
        cls="statuses",
    )
    reviewers = _table(
        ["reviewer", "decided", *[s.value for s in Status if s != Status.PENDING]],
        [
            [
                mixed(r.reviewer, report.zh_tag),
                _n(r.decided),
                *[_n(r.by_status.get(s, 0)) for s in Status if s != Status.PENDING],
            ]
            for r in review.reviewers
        ],
        numeric=tuple(range(1, len(Status) + 1)),
        cls="reviewers",
    )
    progress = (
        f"<p><strong>{_n(review.reviewed)}</strong> of {_n(review.pairs)} pairs reviewed; "
        f"{_n(review.comments)} comments.</p>"
    )
    return (
        f'<section id="review"><h2>Review progress and decisions</h2>{progress}'
        f"{charts.status_chart(dict(review.by_status))}{statuses}"
        f"<h3>By reviewer (latest decision per pair)</h3>{reviewers}</section>" + _mqm(report)
    )


def _corrections(report: Report) -> str:
    """The corrected pairs whose correction still has findings, the words at fault marked."""
    fixes = report.corrections_with_findings
    if not fixes:
        return ""
    rows = []
    for state in fixes:
        found = report.correction_findings[state.pair.id]
        tag = report.zh_tag_of(state.pair)
        items = "".join(
            f"<li>{_sev(f.severity)} <code>{escape(f.code)}</code> {mixed(f.message, tag)}</li>"
            for f in found
        )
        rows.append(
            [
                str(state.number),
                f'<div lang="en">{mixed(state.pair.en, tag)}</div>',
                f'<div class="zh" lang="{tag}">{marked(state.final_zh, found, "zh", tag)}</div>'
                f'<ul class="findings">{items}</ul>',
            ]
        )
    count = f"{len(fixes)} corrected pair{'s' if len(fixes) != 1 else ''}"
    return (
        f'<section id="corrections"><h2>Corrections that still have findings</h2>'
        f"<p>{count} whose correction the checks still find fault with.</p>"
        f"{_table(['#', 'English', 'correction and its findings'], rows, numeric=(0,))}"
        "</section>"
    )


def _mqm(report: Report) -> str:
    review = report.review
    assert review is not None
    weights = ", ".join(f"{s.value} {w}" for s, w in MQM_WEIGHTS.items())
    penalty = (
        f'<p>MQM penalty: <strong id="mqm-penalty">{_f(review.mqm_per_1000_words)}</strong> '
        f"points per 1,000 English words ({_n(review.mqm_points)} points over "
        f"{_n(review.en_words)} words; weights {escape(weights)}).</p>"
    )
    if not review.mqm:
        return (
            f'<section id="mqm"><h2>MQM error annotation</h2>{penalty}<p>No MQM tags.</p></section>'
        )
    table = _table(
        ["category", "severity", "count", "points"],
        [
            [
                mixed(m.category, report.zh_tag),
                _sev(m.severity),
                _n(m.count),
                _n(m.count * MQM_WEIGHTS[m.severity]),
            ]
            for m in review.mqm
        ],
        numeric=(2, 3),
        cls="mqm",
    )
    return (
        f'<section id="mqm"><h2>MQM error annotation</h2>{penalty}'
        f"{charts.mqm_chart(review.mqm)}{table}</section>"
    )


def _sig(signature: str) -> str:
    return f'<span class="sig">{escape(signature)}</span>'


def _metrics(effort: Effort, key: str, title: str, intro: str) -> str:
    table = _table(
        ["metric", "corpus score", "sacrebleu signature"],
        [
            ["chrF", _f(effort.chrf), _sig(effort.signatures["chrf"])],
            ["BLEU", _f(effort.bleu), _sig(effort.signatures["bleu"])],
            ["TER", _f(effort.ter), _sig(effort.signatures["ter"])],
        ],
        numeric=(1,),
        cls=f"metrics {key}",
    )
    sentence = "; ".join(
        f"{k} <code>{escape(v)}</code>" for k, v in effort.sentence_signatures.items()
    )
    return (
        f'<section id="{key}"><h2>{escape(title)}</h2><p>{intro}</p>{table}'
        f'<p class="note">Per-pair scores are in the CSV and JSON (sentence-level signatures: '
        f"{sentence}).</p></section>"
    )


def _most_edited(report: Report) -> str:
    """The pairs reviewers changed most (highest TER), MT above the signed-off text."""
    if report.effort is None:
        return ""
    edited = sorted(
        (m for m in report.effort.per_pair if m.ter > 0),
        key=lambda m: (-m.ter, m.chrf, m.pair_id),
    )[:MOST_EDITED]
    if not edited:
        return "<p>Reviewers accepted every machine translation as it was.</p>"
    rows = []
    for m in edited:
        state = report.states[m.pair_id]
        pair = state.pair
        tag = report.zh_tag_of(pair)
        mt = escape(pair.zh) if pair.zh.strip() else '<span class="missing">(no MT)</span>'
        rows.append(
            [
                _f(m.ter, 1),
                _f(m.chrf, 1),
                f'<div class="en" lang="en">{mixed(pair.en, tag)}</div><div class="status">'
                f"{_where(pair, report.zh_tag)} · "
                f"{mixed(state.reviewer or '', report.zh_tag)}</div>",
                f'<div class="zh" lang="{tag}">{mt}</div>'
                f'<div class="correction zh" lang="{tag}">→ {escape(state.final_zh)}</div>',
            ]
        )
    table = _table(
        ["TER", "chrF", "English", "MT → signed off"], rows, numeric=(0, 1), cls="worst edited"
    )
    return f"<h3>Most edited pairs</h3>{table}"


def _effort(report: Report) -> str:
    parts = []
    if report.effort is not None:
        parts.append(
            _metrics(
                report.effort,
                "effort",
                "Post-edit effort",
                "The machine translation scored against the text reviewers signed off "
                f"(accepted or corrected), over {_n(report.effort.pairs)} pairs. "
                "Higher chrF/BLEU and lower TER mean less editing.",
            )
        )
        parts[-1] = parts[-1].replace("</section>", _most_edited(report) + "</section>")
    if report.reference_match is not None:
        m = report.reference_match
        intro = (
            "The machine translation against the reference "
            f"<code>{mixed(m.path, report.zh_tag)}</code>: "
            f"{_n(m.matched)} of {_n(m.of)} pairs matched by {escape(m.method)}."
        )
        if report.reference is not None:
            parts.append(_metrics(report.reference, "reference", "Against a reference", intro))
        else:
            parts.append(
                f'<section id="reference"><h2>Against a reference</h2><p>{intro}</p></section>'
            )
    return "".join(parts)


def render_html(report: Report) -> str:
    """The whole report page."""
    sources = ", ".join(mixed(s, report.zh_tag) for s in report.sources) or "(none)"
    when = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"<header><h1>{mixed(report.title, report.zh_tag)}</h1>"
        f'<div class="meta">Sources: {sources} · generated {when} by review '
        f"{escape(report.tool_version)}<br>Scorer: "
        f'<code id="scorer-signature">{escape(report.scorer_signature)}</code></div></header>'
    )
    footer = (
        '<footer id="signatures"><p class="note">Divergence is in [0, 1], higher means the '
        "Chinese says something different from the English. Scores are reproducible from the "
        f"scorer signature <code>{escape(report.scorer_signature)}</code>"
        "; sacrebleu signatures are given with each metric.</p>"
        '<p class="note">Chinese is set in Noto Sans CJK, Source Han Sans, PingFang or Microsoft '
        "YaHei (their Simplified or Traditional cut, as the text's script), whichever is "
        "installed; a device with no Chinese font shows boxes instead.</p></footer>"
    )
    body = "".join(
        [
            header,
            _summary(report),
            _volume(report),
            _divergence(report),
            _findings(report),
            _review(report),
            _corrections(report),
            _effort(report),
            _worst(report),
            _sections(report),
            footer,
        ]
    )
    # <title> holds text only, no spans: a title with Chinese in it is tagged Chinese as a whole.
    title_lang = f' lang="{report.zh_tag}"' if _ZH_RUN.search(report.title) else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title{title_lang}>{escape(report.title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def write_html(report: Report, path: str | Path) -> None:
    """Write the HTML page atomically."""
    page = render_html(report)
    with atomic_write(path) as handle:
        cast(IO[str], handle).write(page)
