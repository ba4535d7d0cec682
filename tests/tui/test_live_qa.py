"""Live QA of a correction: the editor rescores what is typed and shows its own findings."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from review.model import Finding, Severity, Status
from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp
from review.tui.screens import ConfirmScreen, EditScreen
from tests.tui.conftest import REVIEWER, YOUTHS_ZH, _pair, _span, sample_pairs

# The seed article's media sentence: its Chinese calls Jang Media Group 张成泽 (Jang Song-taek).
MEDIA_EN = (
    "The event also had significant presence from both Chinese media (CCTV, Economic Daily, "
    "Huashang Weekly, Xinhua News, China Economic Net) and Pakistani media (Pakistan Observer, "
    "PTV, Jang Media Group, Daily Ittehad, Pakistan Economic Net, Gwadar Pro, Hum News, APP)."
)
MEDIA_ZH = (
    "中国媒体(CCTV、《经济日报》、《华商周刊》、新华社、中国经济网)和巴基斯坦媒体"
    "(《巴基斯坦观察家报》、PTV、张成泽传媒集团、Daily Ittehad、巴基斯坦经济网、Gwadar Pro、"
    "Hum News、APP)也出席了此次活动。"
)
MEDIA_NUMBER = 10


def _media_project(tmp_path: Path) -> Path:
    media = _pair(
        (9,), (9,), MEDIA_EN, MEDIA_ZH, 0.95,
        Finding("wrong-entity", Severity.CRITICAL, "张成泽 is not Jang Media Group",
                _span(MEDIA_EN, "Jang Media Group"), _span(MEDIA_ZH, "张成泽")),
    )  # fmt: skip
    path = tmp_path / "media.review.sqlite"
    ProjectStore.create(path, [*sample_pairs(), media], source="tests", signature="t").close()
    return path


def _qa_text(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#edit-qa", Static).content)


async def _type_correction(pilot: Pilot[Any], text: str) -> None:
    """Replace the editor's text as a reviewer would, then wait for the check to come back."""
    area = pilot.app.screen.query_one(TextArea)
    area.text = text
    await pilot.pause(0.5)  # past the typing pause
    await pilot.app.screen.workers.wait_for_complete()
    await pilot.pause()


def _run(session: ReviewSession, scenario: Any) -> None:
    async def main() -> None:
        async with ReviewApp(session).run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await scenario(pilot)
            await pilot.pause()

    asyncio.run(main())


def test_a_correction_that_keeps_the_wrong_name_shows_it_and_asks_before_saving(
    tmp_path: Path,
) -> None:
    session = ReviewSession(ProjectStore.open(_media_project(tmp_path)), REVIEWER)
    seen: dict[str, Any] = {}
    fix = MEDIA_ZH.replace("也出席了此次活动", "也参加了这次活动")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("g", *str(MEDIA_NUMBER), "enter", "e")
        await _type_correction(pilot, fix)
        seen["qa"] = _qa_text(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["asked"] = isinstance(pilot.app.screen, ConfirmScreen)
        seen["question"] = str(pilot.app.screen.query_one(".title", Static).content)
        await pilot.press("n")  # back to the editor, nothing saved
        await pilot.pause()
        seen["back"] = isinstance(pilot.app.screen, EditScreen)
        seen["after_no"] = session.current.status if session.current else None
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()

    _run(session, scenario)
    assert "critical" in seen["qa"] and "wrong-entity" in seen["qa"]
    assert "the correction still holds 张成泽" in seen["qa"]
    assert seen["asked"] and "critical finding" in seen["question"]
    assert "张成泽" in seen["question"]
    assert seen["back"] and seen["after_no"] is Status.PENDING
    state = next(s for s in session.store.states() if s.number == MEDIA_NUMBER)
    assert state.status is Status.CORRECTED and state.correction == fix
    session.store.close()


def test_fixing_the_name_clears_the_finding_and_saves_at_once(tmp_path: Path) -> None:
    session = ReviewSession(ProjectStore.open(_media_project(tmp_path)), REVIEWER)
    seen: dict[str, Any] = {}
    fix = MEDIA_ZH.replace("张成泽传媒集团", "Jang传媒集团")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("g", *str(MEDIA_NUMBER), "enter", "e")
        await _type_correction(pilot, fix)
        seen["qa"] = _qa_text(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["screen"] = type(pilot.app.screen).__name__

    _run(session, scenario)
    assert "wrong-entity" not in seen["qa"].split("fixed:")[0]
    assert "fixed: wrong-entity" in seen["qa"]
    assert seen["screen"] == "ReviewScreen"
    state = next(s for s in session.store.states() if s.number == MEDIA_NUMBER)
    assert state.status is Status.CORRECTED and state.correction == fix
    session.store.close()


def test_a_correction_that_breaks_a_number_is_caught_even_when_saved_at_once(
    session: ReviewSession,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("g", "3", "enter", "e")
        pilot.app.screen.query_one(TextArea).text = YOUTHS_ZH.replace("学习", "读书")
        await pilot.press("ctrl+s")  # before the typing pause is over
        await pilot.app.screen.workers.wait_for_complete()
        await pilot.pause()
        seen["screen"] = pilot.app.screen

    _run(session, scenario)
    assert isinstance(seen["screen"], ConfirmScreen)
    assert "3000" in seen["screen"].question and "30,000" in seen["screen"].question
    assert session.current is not None and session.current.status is Status.PENDING
