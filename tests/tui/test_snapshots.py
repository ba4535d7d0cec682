"""SVG snapshots of the review UI with Chinese text (fixed size, reviewer and project name)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp
from tests.tui.conftest import REVIEWER

SIZE = (130, 40)
SnapCompare = Callable[..., bool]


@pytest.fixture
def app(project: Path) -> Iterator[ReviewApp]:
    session = ReviewSession(ProjectStore.open(project), REVIEWER)
    yield ReviewApp(session)
    session.store.close()


async def settle(pilot: Pilot[Any]) -> None:
    """Let the dictionary worker finish so the glosses are in the picture."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_number_mismatch_with_glosses(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_decisions_in_the_list_and_header(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("a", "r", "x", "a")  # pairs 8, 3, 9, 5
        await pilot.press("c", *"CM Pak is missing", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_correction_editor(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("down", "e")
        area = pilot.app.screen.query_one(TextArea)
        area.cursor_blink = False
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_apply_to_the_same_english(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("g", "6", "enter", "e")
        pilot.app.screen.query_one(TextArea).text = "科学技术仍将是推动积极变革的力量。"
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_document_order_with_mqm_dialog(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("o", "m", "down", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(app: ReviewApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
