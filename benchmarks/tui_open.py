"""Time the review UI on a big project: first paint, and keypress → screen update.

Builds a synthetic project of N pairs (default 100,000) through the store, opens it the way
`review open` does (store, session, app), and drives the app headless with Pilot; every number
is wall-clock time. Usage:

    .venv/bin/python benchmarks/tui_open.py [--pairs 100000] [--project FILE] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from synthetic import synthetic_pairs  # benchmarks/synthetic.py, beside this script
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp
from review.tui.screens import ReviewScreen
from review.tui.widgets import PairList

KEYS = [
    *["down"] * 40, *["pagedown"] * 10, "end", "home", *["up", "down"] * 5,
    *["a"] * 10, *["u"] * 5, *["n"] * 5, "o", "o",
]  # fmt: skip


async def measure(
    project: Path, size: tuple[int, int]
) -> tuple[dict[str, float], dict[str, list[float]], dict[str, list[float]]]:
    """Open the project as `review open` does and drive it; returns the timings in ms.

    A frame counts when the app hands a composed screen update to the driver (headless, the
    driver then drops it). "key → pair drawn" ends at the first frame after the screen last
    redrew the pair for that key; the glosses, looked up in a thread, may come a frame later.
    "Pilot round trip" adds Pilot's own idle detection (~90 ms here even for a trivial app).
    """
    started = time.perf_counter()
    session = ReviewSession(ProjectStore.open(project), "bench")
    opened = time.perf_counter()
    app = ReviewApp(session)
    frames: list[float] = []
    redraws: list[float] = []
    display = app._display
    refresh_pair = ReviewScreen.refresh_pair

    def timed_display(screen: Screen[object], renderable: RenderableType | None) -> None:
        display(screen, renderable)
        if renderable is not None and isinstance(screen, ReviewScreen):
            frames.append(time.perf_counter())

    def timed_refresh_pair(screen: ReviewScreen) -> None:
        refresh_pair(screen)
        redraws.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    ReviewScreen.refresh_pair = timed_refresh_pair  # type: ignore[assignment,method-assign]
    to_frame: dict[str, list[float]] = defaultdict(list)
    round_trip: dict[str, list[float]] = defaultdict(list)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            if not frames or not app.screen.query_one(PairList).render_line(0).text.strip():
                raise SystemExit("the pair list has not drawn a line yet: no first paint")
            painted = frames[0]
            for key in KEYS:
                before = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                round_trip[key].append((time.perf_counter() - before) * 1000)
                last_redraw = max((t for t in redraws if t > before), default=before)
                drawn = [t for t in frames if t > last_redraw]
                if drawn:
                    to_frame[key].append((drawn[0] - before) * 1000)
            await app.workers.wait_for_complete()
    finally:
        ReviewScreen.refresh_pair = refresh_pair  # type: ignore[method-assign]
    session.close()
    times = {
        "store + session": (opened - started) * 1000,
        "app to first frame": (painted - opened) * 1000,
        "first paint total": (painted - started) * 1000,
    }
    return times, to_frame, round_trip


class _Trivial(App[None]):
    """One label and one key: what Pilot's press + pause costs with nothing to do."""

    BINDINGS: ClassVar[list[BindingType]] = [("down", "tick", "Tick")]

    def compose(self) -> ComposeResult:
        yield Static("0")

    def action_tick(self) -> None:
        label = self.query_one(Static)
        label.update(str(int(str(label.content)) + 1))


async def pilot_baseline(size: tuple[int, int], presses: int = 40) -> list[float]:
    """Pilot round trips on the trivial app, in ms."""
    app = _Trivial()
    times = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(presses):
            before = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            times.append((time.perf_counter() - before) * 1000)
    return times


def summary(title: str, samples: dict[str, list[float]]) -> None:
    """Print median, p95 and max per key and over all keys."""
    print(f"{title} (ms): key  n  median  p95  max")
    everything: list[float] = []
    for key, values in [*samples.items(), ("all", [])]:
        values = values or everything
        everything.extend(values if key != "all" else [])
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"  {key:<9}{len(values):>4}  {statistics.median(values):6.1f}  {p95:6.1f}"
              f"  {max(values):6.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--project", type=Path, help="reuse or create this project file")
    parser.add_argument("--rounds", type=int, default=3, help="open the project this many times")
    parser.add_argument("--size", default="160x45", help="terminal size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    folder = tempfile.TemporaryDirectory()
    project = args.project or Path(folder.name) / "bench.review.sqlite"
    if not project.exists():
        started = time.perf_counter()
        pairs = synthetic_pairs(args.pairs)
        ProjectStore.create(project, pairs, source="synthetic", signature="bench").close()
        print(f"built {len(pairs):,} pairs in {time.perf_counter() - started:.1f} s: {project}")
    to_frame: dict[str, list[float]] = defaultdict(list)
    round_trip: dict[str, list[float]] = defaultdict(list)
    for round_ in range(1, args.rounds + 1):
        times, frame_ms, trip_ms = asyncio.run(measure(project, (width, height)))
        print(f"round {round_}: " + "  ".join(f"{k} {v:.0f} ms" for k, v in times.items()))
        for key in frame_ms:
            to_frame[key].extend(frame_ms[key])
        for key in trip_ms:
            round_trip[key].extend(trip_ms[key])
    summary("key → list and pair view drawn", to_frame)
    summary("pilot round trip: press + pause", round_trip)
    summary("pilot round trip on a trivial app (Pilot's own cost)",
            {"down": asyncio.run(pilot_baseline((width, height)))})  # fmt: skip
    folder.cleanup()


if __name__ == "__main__":
    main()
