"""Report charts as inline SVG drawn by matplotlib (text kept as text, no fonts embedded)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import regex

from review.model import Severity, Status
from review.report.model import Bin, FindingCount, MqmCount

SEVERITY_COLOURS = {
    Severity.MINOR: "#e0b100",
    Severity.MAJOR: "#e06a00",
    Severity.CRITICAL: "#c62828",
}
STATUS_COLOURS = {
    Status.PENDING: "#b0b7c3",
    Status.ACCEPTED: "#2e7d32",
    Status.CORRECTED: "#1565c0",
    Status.REJECTED: "#c62828",
    Status.MISALIGNED: "#8e24aa",
}
_INK = "#333333"
WIDTH = 10.0  # inches at 72 dpi: 720 pt, so 10 pt text reads at body size on the page
_FONTS = ["Noto Sans", "Helvetica", "Arial", "DejaVu Sans", "sans-serif"]
_HEADER = regex.compile(r"\A.*?(?=<svg)", regex.DOTALL)
_METADATA = regex.compile(
    r'<metadata>.*?</metadata>\s*|\s+xmlns:(?:dc|cc|rdf)="[^"]*"', regex.DOTALL
)
_ID = regex.compile(r'(\s)id="')


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=72, layout="constrained")
    return figure


def _style(axes: Any) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=_INK, labelsize=10)
    axes.spines["left"].set_color("#999999")
    axes.spines["bottom"].set_color("#999999")


def _svg(figure: Any, name: str, title: str) -> str:
    """The figure as an `<svg>` element that scales to its container and carries a title."""
    import matplotlib

    params: Any = {
        "svg.fonttype": "none",  # text stays text: searchable, selectable, no glyph paths
        "svg.hashsalt": name,  # deterministic ids that differ between charts on one page
        "font.family": "sans-serif",
        "font.sans-serif": _FONTS,
    }
    buffer = io.StringIO()
    with matplotlib.rc_context(params):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    svg = _HEADER.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg)  # Dublin Core boilerplate: nothing a reader needs
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" class="chart" ', 1)
    # Prefix every id so several charts can share one HTML page without clashing.
    svg = _ID.sub(rf'\1id="{name}-', svg)
    return svg.replace("url(#", f"url(#{name}-").replace('href="#', f'href="#{name}-')


def _apply_fonts() -> Any:
    import matplotlib

    return matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": list(_FONTS)})


def _bin_colour(b: Bin, threshold: float | None) -> str:
    """Red when every pair in the bin is flagged, light red when the threshold cuts the bin."""
    if threshold is None or b.high <= threshold:
        return "#5b7fb0"
    return "#c62828" if b.low >= threshold else "#e89a9a"


def divergence_histogram(bins: Sequence[Bin], threshold: float | None) -> str:
    """Bars of pair counts per divergence bin, with the flag threshold as a dashed line."""
    with _apply_fonts():
        figure = _figure(WIDTH, 3.0)
        axes = figure.add_subplot()
        _style(axes)
        lefts = [b.low for b in bins]
        width = bins[0].high - bins[0].low if bins else 0.1
        colours = [_bin_colour(b, threshold) for b in bins]
        bars = axes.bar(
            lefts, [b.count for b in bins], width=width * 0.92, align="edge", color=colours
        )
        axes.bar_label(
            bars, labels=[str(b.count) if b.count else "" for b in bins], fontsize=9, color=_INK
        )
        if threshold is not None:
            axes.axvline(threshold, color="#c62828", linestyle="--", linewidth=1)
            axes.annotate(
                f"flag ≥ {threshold:.3f}",
                (threshold, 1),
                xycoords=("data", "axes fraction"),
                xytext=(4, -2),
                textcoords="offset points",
                va="top",
                fontsize=9,
                color="#c62828",
            )
        axes.set_xlim(0, 1)
        axes.set_xticks([i / 10 for i in range(11)])
        axes.set_xlabel("divergence (0 = faithful, 1 = unrelated)", color=_INK)
        axes.set_ylabel("pairs", color=_INK)
        axes.margins(y=0.15)
        return _svg(figure, "hist", "Divergence histogram")


def stacked_bars(
    labels: Sequence[str], counts: Mapping[Severity, Sequence[int]], name: str, title: str
) -> str:
    """Horizontal bars per label, stacked by severity (used for findings and MQM tags)."""
    with _apply_fonts():
        figure = _figure(WIDTH, 0.9 + 0.3 * max(len(labels), 1))
        axes = figure.add_subplot()
        _style(axes)
        positions = list(range(len(labels)))
        left = [0] * len(labels)
        for severity in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR):
            values = counts.get(severity, [0] * len(labels))
            if any(values):
                axes.barh(
                    positions,
                    values,
                    left=left,
                    color=SEVERITY_COLOURS[severity],
                    label=severity.value,
                    height=0.7,
                )
                left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in zip(positions, left, strict=True):
            axes.annotate(
                str(total),
                (total, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color=_INK,
            )
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.margins(x=0.08)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend(
            frameon=False,
            fontsize=9,
            loc="lower right",
            bbox_to_anchor=(1, 1),
            ncols=3,
            borderaxespad=0.2,
        )
        return _svg(figure, name, title)


def findings_chart(findings: Sequence[FindingCount]) -> str:
    """Findings per code, stacked by severity."""
    codes = list(dict.fromkeys(f.code for f in findings))
    counts = {s: [0] * len(codes) for s in Severity}
    for f in findings:
        counts[f.severity][codes.index(f.code)] += f.count
    order = sorted(range(len(codes)), key=lambda i: -sum(counts[s][i] for s in Severity))
    return stacked_bars(
        [codes[i] for i in order],
        {s: [counts[s][i] for i in order] for s in Severity},
        "findings",
        "Findings by code and severity",
    )


def mqm_chart(tags: Sequence[MqmCount]) -> str:
    """MQM tags per category, stacked by severity."""
    categories = sorted({t.category for t in tags})
    counts = {s: [0] * len(categories) for s in Severity}
    for t in tags:
        counts[t.severity][categories.index(t.category)] += t.count
    return stacked_bars(categories, counts, "mqm", "MQM tags by category and severity")


def status_chart(by_status: dict[Status, int]) -> str:
    """One horizontal bar split by review status, with the counts written in."""
    with _apply_fonts():
        figure = _figure(WIDTH, 0.9)
        axes = figure.add_subplot()
        total = sum(by_status.values()) or 1
        left = 0
        for status in Status:
            n = by_status.get(status, 0)
            if not n:
                continue
            axes.barh(
                [0],
                [n],
                left=left,
                color=STATUS_COLOURS[status],
                height=0.8,
                label=f"{status.value} {n}",
            )
            if n / total > 0.06:
                axes.annotate(
                    str(n), (left + n / 2, 0), ha="center", va="center", fontsize=10, color="white"
                )
            left += n
        axes.set_xlim(0, total)
        axes.set_axis_off()
        axes.legend(
            frameon=False, fontsize=9, ncols=5, loc="upper center", bbox_to_anchor=(0.5, 0.0)
        )
        return _svg(figure, "status", "Pairs by review status")
