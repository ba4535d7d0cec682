"""The review widgets: a virtualised pair list, a pair view, and the project header."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from review.model import ReviewState, Severity, Status
from review.terminal import visible
from review.tui.messages import CursorMoved

Glosses = tuple[tuple[str, str, tuple[str, ...]], ...]
"""Each Chinese word of a pair with its pinyin and dictionary glosses, in text order."""

STATUS_GLYPH = {
    Status.PENDING: "·",
    Status.ACCEPTED: "✓",
    Status.CORRECTED: "✎",
    Status.REJECTED: "✗",
    Status.MISALIGNED: "⇄",
}
SEVERITY_LABEL = {Severity.MINOR: "min", Severity.MAJOR: "MAJ", Severity.CRITICAL: "CRIT"}
BAR_CELLS = 8
_EIGHTHS = "▏▎▍▌▋▊▉"


class RowSource(Protocol):
    """What the pair list reads: a length and one review state per row (the session)."""

    def __len__(self) -> int: ...

    def row(self, index: int) -> ReviewState: ...

    def window(self, start: int, count: int) -> list[ReviewState]: ...


def one_line(text: str) -> str:
    """Collapse all whitespace, line breaks included, so a snippet fits on one row."""
    return " ".join(text.split())


def fit_cells(text: str, width: int) -> str:
    """Crop or pad `text` to exactly `width` terminal cells, marking a crop with an ellipsis."""
    if width <= 0:
        return ""
    # Every character takes at least one cell, so a long text never needs more than `width`
    # characters; cropping first keeps rendering a paragraph-sized pair cheap.
    text = visible(one_line(text[: width * 2 + 2]), one_line=True)
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    # A wide character that does not fit leaves a pad space: put the ellipsis before it.
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + "…", width)


def divergence_bar(value: float | None, cells: int = BAR_CELLS) -> tuple[str, str]:
    """The filled and empty parts of a bar showing a divergence in [0, 1] in eighths of a cell."""
    if value is None:
        return "", " " * cells
    eighths = round(max(0.0, min(1.0, value)) * cells * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (_EIGHTHS[part - 1] if part else "")
    return filled, " " * (cells - cell_len(filled))


def divergence_level(value: float | None) -> str:
    """A coarse band for a divergence, named as the CSS component class suffix."""
    if value is None:
        return "none"
    if value >= 0.66:
        return "high"
    return "mid" if value >= 0.33 else "low"


class PairList(ScrollView, can_focus=True):
    """Every pair on one row, drawn line by line so 100,000 pairs cost no more than 40."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "pair-list--cursor",
        "pair-list--number",
        "pair-list--pending",
        "pair-list--accepted",
        "pair-list--corrected",
        "pair-list--rejected",
        "pair-list--misaligned",
        "pair-list--bar-high",
        "pair-list--bar-mid",
        "pair-list--bar-low",
        "pair-list--bar-none",
        "pair-list--bar-empty",
        "pair-list--minor",
        "pair-list--major",
        "pair-list--critical",
        "pair-list--en",
        "pair-list--zh",
        "pair-list--rule",
        "pair-list--missing",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: RowSource | None = None
        self.cursor = 0
        self._count = 0
        # Keyed by row; the state object tells whether the row changed (states are immutable
        # and the session replaces the ones an action touched), so a reload keeps the rest.
        self._lines: LRUCache[tuple[int, int, bool], tuple[ReviewState, Strip]] = LRUCache(1024)

    def reload(self, cursor: int) -> None:
        """Re-read the source after it changed (decision, filter, order) and place the cursor."""
        self._count = len(self.source) if self.source is not None else 0
        self.virtual_size = Size(0, self._count)
        self.cursor = max(0, min(cursor, self._count - 1))
        self._scroll_to_cursor()
        self.refresh()

    def set_cursor(self, index: int) -> None:
        """Move the cursor to a row and tell the screen, which owns the position."""
        if self._count == 0:
            return
        index = max(0, min(index, self._count - 1))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_to_cursor()
        self.post_message(CursorMoved(index))

    def action_move(self, delta: int) -> None:
        self.set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.set_cursor(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, index: int) -> None:
        self.set_cursor(index if index >= 0 else self._count - 1)

    def on_click(self, event: events.Click) -> None:
        self.set_cursor(int(self.scroll_offset.y) + event.y)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.source is not None:
            # One read for the rows about to be drawn, not one per row.
            self.source.window(int(self.scroll_offset.y) + crop.y, crop.height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if self.source is None or index >= self._count:
            return Strip.blank(width, self.rich_style)
        state = self.source.row(index)
        key = (index, width, index == self.cursor)
        cached = self._lines.get(key)
        if cached is not None and cached[0] is state:
            return cached[1]
        strip = self._render_row(state, width, index == self.cursor)
        self._lines[key] = (state, strip)
        return strip

    def _render_row(self, state: ReviewState, width: int, is_cursor: bool) -> Strip:
        style = self.get_component_rich_style
        pair = state.pair
        filled, empty = divergence_bar(pair.divergence)
        score = "  – " if pair.divergence is None else f"{pair.divergence:4.2f}"
        severity = pair.top_severity
        head = [
            Segment(f"{state.number:>6} ", style("pair-list--number")),
            Segment(STATUS_GLYPH[state.status] + " ", style(f"pair-list--{state.status.value}")),
            Segment(filled, style(f"pair-list--bar-{divergence_level(pair.divergence)}")),
            Segment(empty, style("pair-list--bar-empty")),
            Segment(f" {score} ", style("pair-list--number")),
            Segment(
                f"{SEVERITY_LABEL[severity] if severity else '':<4} ",
                style(f"pair-list--{severity.value}") if severity else Style(),
            ),
        ]
        used = sum(segment.cell_length for segment in head)
        room = max(0, width - used - 3)
        en_cells = room // 2
        rule = style("pair-list--rule")
        segments = [
            *head,
            Segment("│ ", rule),
            self._snippet(pair.en, "(no English)", en_cells, "pair-list--en"),
            Segment("│ ", rule),
            self._snippet(state.final_zh, "(untranslated)", room - en_cells - 1, "pair-list--zh"),
        ]
        strip = Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)
        if is_cursor:
            strip = strip.apply_style(style("pair-list--cursor"))
        return strip

    def _snippet(self, text: str, missing: str, cells: int, component: str) -> Segment:
        if not text.strip():
            text, component = missing, "pair-list--missing"
        return Segment(fit_cells(text, cells), self.get_component_rich_style(component))


class PairView(VerticalScroll, can_focus=False):
    """One pair in full: EN | ZH with the findings' words highlighted, findings, glosses."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "pair-view--minor",
        "pair-view--major",
        "pair-view--critical",
        "pair-view--label",
        "pair-view--word",
        "pair-view--pinyin",
        "pair-view--fix",
        "pair-view--number",
    }

    def compose(self) -> ComposeResult:
        yield Static(id="pair-title")
        yield Static(id="pair-body")
        yield Static(id="pair-glosses")

    def show(self, state: ReviewState | None, glosses: Glosses | None) -> None:
        """Draw a pair (or an empty view); `glosses` is None while they are being computed."""
        # Three widgets, not one per section: every update costs a layout pass per keypress.
        for status in Status:
            self.set_class(state is not None and state.status is status, f"-{status.value}")
        title = self.query_one("#pair-title", Static)
        body = self.query_one("#pair-body", Static)
        if state is None:
            title.update("No pair matches the filter.", layout=False)
            body.update("")
            self.query_one("#pair-glosses", Static).update("")
            return
        pair = state.pair
        score = "–" if pair.divergence is None else f"{pair.divergence:.2f}"
        title.update(
            Text.assemble(
                (f"#{state.number}", self.get_component_rich_style("pair-view--number")),
                f"  {state.status.value}  divergence {score}  "
                f"alignment {pair.align_confidence:.2f}  {visible(pair.id, one_line=True)}",
            ),
            layout=False,
        )
        # Fold: Chinese has no spaces to wrap at, so a line breaks between any two characters.
        # Control characters as placeholders, one for one, so the finding spans still fit.
        en = Text(visible(pair.en) or "(no English)", overflow="fold")
        zh = Text(visible(pair.zh) or "(no Chinese)", overflow="fold")
        # Worst last, so a critical span wins where spans overlap.
        for finding in sorted(pair.findings, key=lambda f: f.severity.rank):
            highlight = self.get_component_rich_style(f"pair-view--{finding.severity.value}")
            if finding.en_span and pair.en:
                en.stylize(highlight, *finding.en_span)
            if finding.zh_span and pair.zh:
                zh.stylize(highlight, *finding.zh_span)
        texts = Table.grid(expand=True, padding=(0, 2, 0, 0))
        texts.add_column(ratio=1)
        texts.add_column(ratio=1)
        texts.add_row(en, zh)
        sections: list[RenderableType] = [texts]
        if state.correction is not None:
            correction = Text(
                visible(state.correction),
                self.get_component_rich_style("pair-view--fix"),
                overflow="fold",
            )
            sections += ["", self._labelled("Correction", correction)]
        sections += ["", self._findings(state)]
        notes = self._notes(state)
        if notes.plain:
            sections += ["", notes]
        body.update(Group(*sections))
        self.query_one("#pair-glosses", Static).update(self._glosses(glosses))

    def _labelled(self, label: str, body: str | Text) -> Text:
        label_style = self.get_component_rich_style("pair-view--label")
        return Text.assemble((f"{label}: ", label_style), body)  # callers pass visible() text

    def _findings(self, state: ReviewState) -> Text:
        if not state.pair.findings:
            return self._labelled("Findings", "none")
        lines = [self._labelled("Findings", "")]
        for finding in sorted(state.pair.findings, key=lambda f: -f.severity.rank):
            mark = self.get_component_rich_style(f"pair-view--{finding.severity.value}")
            lines.append(
                Text.assemble(
                    "  ", (f" {finding.severity.value} ", mark),
                    f" {visible(finding.code, one_line=True)}: ", visible(finding.message),
                )
            )
        return Text("\n").join(lines)

    def _notes(self, state: ReviewState) -> Text:
        lines: list[Text] = []
        if state.reviewer:
            lines.append(self._labelled("Decided by", visible(state.reviewer, one_line=True)))
        lines.extend(self._labelled("Comment", visible(comment)) for comment in state.comments)
        lines.extend(
            self._labelled("MQM", f"{visible(tag.category, one_line=True)} ({tag.severity.value})")
            for tag in state.mqm
        )
        return Text("\n").join(lines)

    def _glosses(self, glosses: Glosses | None) -> Text:
        if glosses is None:
            return self._labelled("Glosses", "looking up the dictionary…")
        if not glosses:
            return self._labelled("Glosses", "no dictionary entries")
        word_cells = min(12, max(cell_len(word) for word, _, _ in glosses))
        pinyin_cells = min(24, max(cell_len(pinyin) for _, pinyin, _ in glosses))
        word_style = self.get_component_rich_style("pair-view--word")
        pinyin_style = self.get_component_rich_style("pair-view--pinyin")
        lines = [self._labelled("Glosses (CC-CEDICT)", "")]
        for word, pinyin, meanings in glosses:
            lines.append(
                Text.assemble(
                    "  ",
                    (set_cell_size(word, word_cells), word_style),
                    "  ",
                    (set_cell_size(pinyin, pinyin_cells), pinyin_style),
                    "  ",
                    "; ".join(meanings[:3]),
                )
            )
        return Text("\n").join(lines)


class ReviewHeader(Horizontal):
    """Reviewer, progress, counts by status, the project file and whether all is saved."""

    def compose(self) -> ComposeResult:
        yield Static("review", id="header-title")
        yield Static(id="header-filter")
        yield Static(id="header-project")
        yield Static(id="header-progress")
        yield Static(id="header-saved")

    def show(
        self,
        *,
        reviewer: str,
        reviewed: int,
        total: int,
        counts: Sequence[tuple[Status, int]],
        project_path: str,
        save_state: Literal["saved", "failed", "readonly"],
        note: str,
        order: str,
        filter_text: str = "",
        shown: int = 0,
    ) -> None:
        """Redraw from plain values (the screen reads them from the session); `filter_text`
        describes an active filter, which lets `shown` of the `total` pairs through."""
        percent = 100.0 * reviewed / total if total else 0.0
        by_status = "  ".join(f"{STATUS_GLYPH[status]} {count}" for status, count in counts)
        # Text, not a markup string: a file or reviewer name is shown as it is, never parsed.
        shown_filter = self.query_one("#header-filter", Static)
        shown_filter.display = bool(filter_text)
        if filter_text:
            described = visible(filter_text, one_line=True)
            shown_filter.update(Text(f"filter: {described} · {shown:,} of {total:,}"))
        name = visible(Path(project_path).name, one_line=True)
        self.query_one("#header-project", Static).update(Text(name))
        self.query_one("#header-progress", Static).update(
            Text(
                f"{visible(reviewer, one_line=True)}  {reviewed}/{total} reviewed"
                f" ({percent:.1f}%)  {by_status}  "
                f"{'worst first' if order == 'divergence' else 'document order'}"
            )
        )
        note = visible(note, one_line=True)
        saved_label = self.query_one("#header-saved", Static)
        if save_state == "readonly":
            saved_label.update("○ read-only")
        elif save_state == "failed":
            saved_label.update(Text(f"✗ not saved: {note}"))
        else:
            # Every action is its own committed transaction: what is shown is on disk.
            saved_label.update(Text(f"● saved: {note}" if note else "● saved"))
        for state in ("saved", "failed", "readonly"):
            saved_label.set_class(save_state == state, f"-{state}")


class KeyBar(Static):
    """The review keys on one line, like a footer, but one widget: cheap to lay out."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key"}

    def __init__(self, keys: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = tuple(keys)

    def on_mount(self) -> None:
        self._draw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        key_style = self.get_component_rich_style("key-bar--key")
        parts: list[str | tuple[str, Style]] = []
        for key, label in self.keys:
            parts += [(f" {key} ", key_style), f"{label} "]
        self.update(Text.assemble(*parts))
