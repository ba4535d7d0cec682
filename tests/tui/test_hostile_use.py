"""The review UI under hostile use: keys typed right after `q`, and text full of escapes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from textual import events
from textual.widgets import TextArea

from review.model import Action
from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp
from review.tui.screens import EditScreen
from tests.tui.conftest import REVIEWER, sample_pairs

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;owned\x07"
RAW = ("\x1b", "\x07", "\x9b")


@pytest.mark.parametrize("key", ["e", "c", "f", "m", "slash", "g", "question_mark", "a", "u"])
def test_a_key_typed_right_after_q_does_nothing(key: str, session: ReviewSession) -> None:
    """Both keys are queued before the app handles either, as a fast typist's are."""
    app = ReviewApp(session)

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            character = {"slash": "/", "question_mark": "?"}.get(key, key)
            for name, char in (("q", "q"), (key, character)):
                app.post_message(events.Key(name, char))
            await pilot.pause()

    asyncio.run(main())  # an exception in the app (NoMatches …) is raised here
    assert app.return_code == 0
    assert session.store.history() == []


def _hostile_project(tmp_path: Path) -> Path:
    pairs = sample_pairs()
    worst = max(range(len(pairs)), key=lambda i: pairs[i].divergence or 0.0)
    pairs[worst] = replace(
        pairs[worst],
        en=f"Currently {CLEAR}30,000 students{TITLE} study here.",
        zh="目前\x9b31m约有3000名学生在这里学习。",
        findings=(),
    )
    path = tmp_path / "hostile.review.sqlite"
    with ProjectStore.create(path, pairs, source="t", signature="s") as store:
        store.record(pairs[worst].id, Action.COMMENT, f"ada{TITLE}", {"text": f"see {CLEAR}"})
    return path


def test_escapes_in_the_text_are_drawn_as_placeholders(tmp_path: Path) -> None:
    session = ReviewSession(ProjectStore.open(_hostile_project(tmp_path)), REVIEWER)
    app = ReviewApp(session)
    shots: list[str] = []
    saved: list[tuple[str, str | None]] = []

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            shots.append(app.export_screenshot())  # list, pair view, comment, header
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, EditScreen)
            assert app.screen.query_one(TextArea).text == "目前\ufffd31m约有3000名学生在这里学习。"
            shots.append(app.export_screenshot())  # the correction editor
            await pilot.press("ctrl+s")  # saved unchanged: the MT is accepted as it is
            await pilot.pause()
            state = session.store.state(session.store.history()[-1].pair_id)
            saved.append((state.status.value, state.correction))

    try:
        asyncio.run(main())
    finally:
        session.store.close()
    for shot in shots:
        for char in RAW:
            assert char not in shot, f"{char!r} reached the terminal"
    assert "␛[2J␛[H30,000" in shots[0] and "ada␛]0;owned␇" in shots[0]
    assert "目前\ufffd31m" in shots[1]
    assert saved == [("accepted", None)]  # not a "correction" to the placeholder text
