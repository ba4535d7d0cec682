"""Every key flow of the review UI, driven headless with Pilot on a real project file."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from review.model import MqmTag, Severity, Status
from review.session import ReviewSession
from review.store import ProjectStore
from review.tui.app import ReviewApp
from review.tui.screens import (
    ConfirmScreen,
    EditScreen,
    FilterScreen,
    HelpScreen,
    MqmScreen,
    ReviewScreen,
)
from review.tui.widgets import PairList
from tests.tui.conftest import FORCE_EN, REVIEWER, SESSION_ZH, YOUTHS_ZH

Scenario = Callable[[Pilot[None]], Awaitable[None]]
WORST_FIRST = [8, 3, 9, 5, 4, 7, 6, 1, 2]


def drive(session: ReviewSession, scenario: Scenario) -> tuple[ReviewApp, list[str]]:
    """Run the app headless through `scenario`; returns it and the notifications it showed."""
    app = ReviewApp(session)
    notes: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notes.append(message)
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await scenario(pilot)
            await pilot.pause()

    asyncio.run(main())
    return app, notes


def state_of(session: ReviewSession, number: int) -> Any:
    return next(s for s in session.store.states() if s.number == number)


def text_of(pilot: Pilot[None], selector: str) -> str:
    """The plain text a Static shows (Rich renderables drawn on a wide console)."""
    content = pilot.app.screen.query_one(selector, Static).content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def save_editor(pilot: Pilot[None]) -> None:
    """ctrl+s in the editor, then wait for the correction's check, which the save waits for."""
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def goto(pilot: Pilot[None], number: int) -> None:
    await pilot.press("g")
    await type_text(pilot, str(number))
    await pilot.press("enter")
    await pilot.pause()


def test_opens_worst_first_with_the_worst_pair_shown(session: ReviewSession) -> None:
    seen: dict[str, Any] = {}

    async def look(pilot: Pilot[None]) -> None:
        pairs = pilot.app.screen.query_one(PairList)
        seen["rows"] = [session.row(i).number for i in range(len(session))]
        seen["lines"] = [pairs.render_line(y).text for y in range(3)]
        seen["title"] = text_of(pilot, "#pair-title")
        seen["header"] = text_of(pilot, "#header-progress")
        seen["project"] = text_of(pilot, "#header-project")
        seen["saved"] = text_of(pilot, "#header-saved")

    drive(session, look)
    assert seen["rows"] == WORST_FIRST
    assert seen["lines"][0].split()[:4] == ["8", "·", "████████", "1.00"]
    assert "目前，约有3000名" in seen["lines"][1]
    assert seen["lines"][0].rstrip().endswith("│ (untranslated)")
    assert "0.60 MAJ  │ (no English)" in seen["lines"][2]
    assert seen["title"].startswith("#8  pending  divergence 1.00")
    assert "ada  0/9 reviewed (0.0%)" in seen["header"]
    assert "worst first" in seen["header"]
    assert seen["project"] == "catalyst.review.sqlite"
    assert seen["saved"] == "● saved"


def test_list_keys_move_the_cursor_and_the_pair_view(session: ReviewSession) -> None:
    titles: list[str] = []

    async def walk(pilot: Pilot[None]) -> None:
        for key in ("down", "down", "end", "up", "home", "pagedown"):
            await pilot.press(key)
            titles.append(text_of(pilot, "#pair-title").split()[0])

    drive(session, walk)
    assert titles == ["#3", "#9", "#2", "#1", "#8", "#2"]


@pytest.mark.parametrize(
    ("key", "status", "outcome"),
    [
        ("a", Status.ACCEPTED, "accepted pair 8"),
        ("r", Status.REJECTED, "rejected pair 8"),
        ("x", Status.MISALIGNED, "marked misaligned pair 8"),
    ],
)
def test_a_verdict_is_stored_at_once_and_the_cursor_moves_on(
    session: ReviewSession, key: str, status: Status, outcome: str
) -> None:
    seen: dict[str, str] = {}

    async def decide(pilot: Pilot[None]) -> None:
        await pilot.press(key)
        seen["saved"] = text_of(pilot, "#header-saved")
        seen["header"] = text_of(pilot, "#header-progress")
        seen["title"] = text_of(pilot, "#pair-title")

    drive(session, decide)
    stored = state_of(session, 8)
    assert (stored.status, stored.reviewer) == (status, REVIEWER)
    assert seen["saved"] == f"● saved: {outcome}"
    assert "1/9 reviewed (11.1%)" in seen["header"]
    assert seen["title"].startswith("#3 ")


def test_correct_opens_an_editor_with_the_chinese_and_saves_with_ctrl_s(
    session: ReviewSession,
) -> None:
    fixed = YOUTHS_ZH.replace("3000", "30000")
    seen: dict[str, Any] = {}

    async def correct(pilot: Pilot[None]) -> None:
        await pilot.press("down", "e")
        editor = pilot.app.screen
        assert isinstance(editor, EditScreen)
        area = editor.query_one(TextArea)
        seen["prefilled"] = area.text
        area.move_cursor((0, YOUTHS_ZH.index("3000") + 4))
        await type_text(pilot, "0")
        await save_editor(pilot)
        seen["screen"] = pilot.app.screen
        seen["view"] = text_of(pilot, "#pair-body")
        await pilot.press("up")
        seen["view_back"] = text_of(pilot, "#pair-body")

    drive(session, correct)
    assert seen["prefilled"] == YOUTHS_ZH
    assert isinstance(seen["screen"], ReviewScreen)
    assert "Correction:" not in seen["view"]  # the view moved on to the next pair
    assert f"Correction: {fixed}" in seen["view_back"]
    stored = state_of(session, 3)
    assert (stored.status, stored.correction, stored.pair.zh) == (
        Status.CORRECTED,
        fixed,
        YOUTHS_ZH,
    )


def test_saving_the_machine_translation_unchanged_accepts_it(session: ReviewSession) -> None:
    saved: list[str] = []

    async def save_unchanged(pilot: Pilot[None]) -> None:
        await pilot.press("down", "e", "backspace")
        pilot.app.screen.query_one(TextArea).insert("。")  # Pilot cannot type CJK punctuation
        await pilot.press("ctrl+s")
        saved.append(text_of(pilot, "#header-saved"))

    drive(session, save_unchanged)
    stored = state_of(session, 3)
    assert (stored.status, stored.correction) == (Status.ACCEPTED, None)
    assert saved == ["● saved: accepted the unchanged MT of pair 3"]


def test_escape_leaves_the_pair_as_it_was(session: ReviewSession) -> None:
    async def cancel(pilot: Pilot[None]) -> None:
        await pilot.press("down", "enter")
        pilot.app.screen.query_one(TextArea).text = "随便"
        await pilot.press("escape")

    drive(session, cancel)
    assert state_of(session, 3).status is Status.PENDING
    assert session.store.history() == []


@pytest.mark.parametrize(
    ("answer", "other_status"), [("y", Status.CORRECTED), ("n", Status.PENDING)]
)
def test_a_correction_is_offered_to_pairs_with_the_same_english(
    session: ReviewSession, answer: str, other_status: Status
) -> None:
    fixed = "科学技术仍将是推动积极变革的力量。"
    seen: dict[str, str] = {}

    async def propagate(pilot: Pilot[None]) -> None:
        await goto(pilot, 6)
        await pilot.press("e")
        pilot.app.screen.query_one(TextArea).text = fixed
        await save_editor(pilot)
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmScreen)
        seen["question"] = confirm.question
        await pilot.press(answer)

    drive(session, propagate)
    assert seen["question"] == "Apply the same fix to 1 other pair with the same English?"
    assert state_of(session, 6).correction == fixed
    other = state_of(session, 7)
    assert other.pair.en == FORCE_EN
    assert other.status is other_status
    assert other.final_zh == (fixed if answer == "y" else "科技将继续是积极变化的动力。")


def test_comment_is_typed_in_a_prompt(session: ReviewSession) -> None:
    async def comment(pilot: Pilot[None]) -> None:
        await pilot.press("c")
        await type_text(pilot, "check 30,000")
        await pilot.press("enter")

    drive(session, comment)
    assert state_of(session, 8).comments == ("check 30,000",)
    assert state_of(session, 8).status is Status.PENDING


def test_mqm_category_then_severity(session: ReviewSession) -> None:
    async def tag(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        assert isinstance(pilot.app.screen, MqmScreen)
        await pilot.press("down", "enter", "down", "enter")

    drive(session, tag)
    assert state_of(session, 8).mqm == (MqmTag("accuracy/omission", Severity.MAJOR),)


def test_undo_walks_back_several_actions_then_says_there_is_nothing(
    session: ReviewSession,
) -> None:
    titles: list[str] = []

    async def undo(pilot: Pilot[None]) -> None:
        await pilot.press("a", "r", "u")
        titles.append(text_of(pilot, "#pair-title").split()[0])
        await pilot.press("u", "u")

    _, notes = drive(session, undo)
    assert titles == ["#3"]  # undo returns to the pair it changed
    assert [state_of(session, n).status for n in (8, 3)] == [Status.PENDING, Status.PENDING]
    assert notes == ["Nothing to undo."]


def test_filter_by_status_then_clear(session: ReviewSession) -> None:
    counts: list[int] = []

    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("a", "a", "f")
        assert isinstance(pilot.app.screen, FilterScreen)
        await pilot.press("down", "space", "ctrl+s")  # "accepted"
        counts.append(len(session))
        await pilot.press("f")
        await pilot.click("#clear")
        counts.append(len(session))

    drive(session, filter_)
    assert counts == [2, 9]


def test_filter_by_divergence(session: ReviewSession) -> None:
    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#filter-divergence", Input).focus()
        await type_text(pilot, "0.5")
        await pilot.press("enter")

    drive(session, filter_)
    assert [session.row(i).number for i in range(len(session))] == [8, 3, 9, 5]


def test_the_finding_code_is_chosen_from_the_codes_present_and_the_header_shows_it(
    session: ReviewSession,
) -> None:
    seen: dict[str, Any] = {}

    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        codes = pilot.app.screen.query_one("#filter-code", OptionList)
        seen["choices"] = [
            str(codes.get_option_at_index(i).prompt) for i in range(codes.option_count)
        ]
        codes.focus()
        await pilot.press("down", "ctrl+s")
        await pilot.pause()
        seen["header"] = text_of(pilot, "#header-filter")

    drive(session, filter_)
    assert seen["choices"] == [
        "any code", "name-mismatch (2)", "number-mismatch (1)", "untranslated (1)", "zh-only (1)"
    ]  # fmt: skip
    assert [session.row(i).number for i in range(len(session))] == [5, 4]
    assert seen["header"] == "filter: name-mismatch · 2 of 9"


def test_filter_rejects_a_divergence_out_of_range(session: ReviewSession) -> None:
    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#filter-divergence", Input).focus()
        await type_text(pilot, "7")
        await pilot.press("enter", "escape")

    _, notes = drive(session, filter_)
    assert notes == ["The minimum divergence is a number from 0 to 1."]
    assert len(session) == 9


def test_search_finds_chinese_and_english(session: ReviewSession) -> None:
    titles: list[str] = []

    async def search(pilot: Pilot[None]) -> None:
        for query in ("海康威视", "youths", "no such words"):
            await pilot.press("slash")
            await type_text(pilot, query)
            await pilot.press("enter")
            titles.append(text_of(pilot, "#pair-title").split()[0])
        await pilot.press("slash")
        seen_query.append(pilot.app.screen.query_one(Input).value)
        await pilot.press("escape")

    seen_query: list[str] = []
    _, notes = drive(session, search)
    assert seen_query == ["no such words"]
    assert titles == ["#5", "#3", "#3"]
    assert notes == ["No pair contains “no such words”."]
    assert SESSION_ZH.count("海康威视") == 1


def test_goto_a_pair_number(session: ReviewSession) -> None:
    titles: list[str] = []

    async def go(pilot: Pilot[None]) -> None:
        await goto(pilot, 9)
        titles.append(text_of(pilot, "#pair-title").split()[0])
        await goto(pilot, 99)
        titles.append(text_of(pilot, "#pair-title").split()[0])

    _, notes = drive(session, go)
    assert titles == ["#9", "#9"]
    assert notes == ["There is no pair #99."]


def test_next_and_previous_unreviewed_skip_reviewed_pairs(session: ReviewSession) -> None:
    titles: list[str] = []

    async def hop(pilot: Pilot[None]) -> None:
        await pilot.press("down", "a", "a", "home", "n")  # 3 and 9 accepted
        titles.append(text_of(pilot, "#pair-title").split()[0])
        await pilot.press("N")
        titles.append(text_of(pilot, "#pair-title").split()[0])

    drive(session, hop)
    assert titles == ["#5", "#8"]


def test_o_toggles_document_order(session: ReviewSession) -> None:
    orders: list[list[int]] = []

    async def toggle(pilot: Pilot[None]) -> None:
        await pilot.press("o")
        orders.append([session.row(i).number for i in range(len(session))])
        await pilot.press("o")
        orders.append([session.row(i).number for i in range(len(session))])

    drive(session, toggle)
    assert orders == [list(range(1, 10)), WORST_FIRST]


def test_split_then_merge_then_undo_repair_the_alignment(session: ReviewSession) -> None:
    texts: list[tuple[str, str]] = []

    def doc_order() -> list[tuple[str, str]]:
        return [(s.pair.en, s.pair.zh) for s in session.store.states()]

    async def repair(pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await goto(pilot, 4)
        await pilot.press("s")  # move "The event commenced…" to pair 5
        texts.extend(doc_order()[3:5])
        await pilot.press("plus")  # merge pair 4 with the (new) pair 5
        texts.extend(doc_order()[3:4])
        await pilot.press("u", "u")

    drive(session, repair)
    split_4, split_5, merged = texts
    assert split_4[0].endswith("was held in Islamabad.")
    assert split_5[0].startswith("The event commenced with an overview of CPEC’s progress. The")
    assert merged[0].startswith("Recently, the 3rd round") and merged[0].endswith("ZTE Pakistan.")
    assert len(doc_order()) == 9 and doc_order()[3][0].endswith("CPEC’s progress.")


def test_split_of_a_single_sentence_is_an_error_notification(session: ReviewSession) -> None:
    saved: list[str] = []

    async def split(pilot: Pilot[None]) -> None:
        await goto(pilot, 3)
        await pilot.press("S")
        saved.append(text_of(pilot, "#header-saved"))
        await pilot.press("a")
        saved.append(text_of(pilot, "#header-saved"))

    app, notes = drive(session, split)
    assert notes == ["pair 3 has one ZH sentence: nothing to move"]
    assert saved == [
        "✗ not saved: pair 3 has one ZH sentence: nothing to move",
        "● saved: accepted pair 3",
    ]
    assert app.return_code in (None, 0)


def test_decisions_and_cursor_survive_quit_and_reopen(project: Path) -> None:
    first = ReviewSession(ProjectStore.open(project), REVIEWER)

    async def work(pilot: Pilot[None]) -> None:
        await pilot.press("a", "e")
        pilot.app.screen.query_one(TextArea).text = YOUTHS_ZH.replace("3000", "30000")
        await save_editor(pilot)
        await pilot.press("c")
        await type_text(pilot, "ok")
        await pilot.press("enter", "q")

    app, _ = drive(first, work)
    first.close()
    assert not app.is_running
    again = ReviewSession(ProjectStore.open(project), REVIEWER)
    try:
        by_number = {s.number: s for s in again.store.states()}
        assert by_number[8].status is Status.ACCEPTED
        assert by_number[3].correction == YOUTHS_ZH.replace("3000", "30000")
        assert by_number[9].comments == ("ok",)
        assert again.current is not None and again.current.number == 9
    finally:
        again.close()


def test_help_lists_every_key_and_closes(session: ReviewSession) -> None:
    seen: dict[str, Any] = {}

    async def help_(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        seen["screen"] = pilot.app.screen
        seen["text"] = text_of(pilot, "#help-keys")
        await pilot.press("escape")
        seen["after"] = pilot.app.screen

    drive(session, help_)
    assert isinstance(seen["screen"], HelpScreen)
    for key, words in [("a", "accept"), ("u", "undo"), ("+", "merge"), ("S", "last ZH"),
                       ("/", "search"), ("pgup pgdn", "page"), ("shift+↑ ↓", "scroll")]:
        assert any(
            line.split("  ")[0].strip() == key and words in line
            for line in seen["text"].splitlines()
        ), key
    assert isinstance(seen["after"], ReviewScreen)


def test_a_read_only_project_turns_actions_into_notifications(project: Path) -> None:
    session = ReviewSession(ProjectStore.open(project, readonly=True), REVIEWER)

    async def try_accept(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        saved.append(text_of(pilot, "#header-saved"))

    saved: list[str] = []

    try:
        _, notes = drive(session, try_accept)
        assert len(notes) == 1 and "read-only" in notes[0].lower()
        assert saved == ["○ read-only"]
        assert state_of(session, 8).status is Status.PENDING
    finally:
        session.store.close()


def test_glosses_come_from_the_dictionary(session: ReviewSession) -> None:
    seen: dict[str, str] = {}

    async def glosses(pilot: Pilot[None]) -> None:
        await pilot.press("down")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        seen["glosses"] = text_of(pilot, "#pair-glosses")

    drive(session, glosses)
    lines = seen["glosses"].splitlines()
    assert lines[0] == "Glosses (CC-CEDICT): "
    assert any(line.split()[:2] == ["巴基斯坦", "Ba1"] and "Pakistan" in line for line in lines)
    assert any(line.split()[0] == "青年" and "youth" in line for line in lines)


def test_pair_view_shows_en_and_zh_side_by_side_with_every_finding(
    session: ReviewSession,
) -> None:
    seen: dict[str, str] = {}

    async def look(pilot: Pilot[None]) -> None:
        await pilot.press("down")
        seen["body"] = text_of(pilot, "#pair-body")
        await goto(pilot, 5)
        seen["other"] = text_of(pilot, "#pair-body")

    drive(session, look)
    first_line = seen["body"].splitlines()[0]
    assert "Currently around 30,000" in first_line and "目前，约有3000名" in first_line
    assert " critical  number-mismatch: 30,000 in the English is 3000 in the Chinese" in seen[
        "body"
    ]
    assert " major  name-mismatch: CM Pak and Zong are not in the Chinese" in seen["other"]


def test_shift_arrows_scroll_a_long_pair_view(session: ReviewSession) -> None:
    offsets: list[float] = []

    async def scroll(pilot: Pilot[None]) -> None:
        await goto(pilot, 5)  # the long Media Salon sentence, with glosses below
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        view = pilot.app.screen.query_one("#pair")
        offsets.append(view.scroll_offset.y)
        await pilot.press("shift+down", "shift+down")
        offsets.append(view.scroll_offset.y)
        await pilot.press("shift+up")
        offsets.append(view.scroll_offset.y)

    drive(session, scroll)
    assert offsets == [0, 6, 3]


def test_filter_by_worst_finding_severity(session: ReviewSession) -> None:
    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#filter-severity").focus()
        await pilot.press("down", "down", "ctrl+s")  # "at least major"

    drive(session, filter_)
    assert [session.row(i).number for i in range(len(session))] == [8, 3, 9, 5]


def test_a_filter_that_matches_nothing_leaves_an_empty_view_and_refuses_actions(
    session: ReviewSession,
) -> None:
    seen: dict[str, str] = {}

    async def filter_(pilot: Pilot[None]) -> None:
        await pilot.press("f", "down", "space", "ctrl+s")  # only accepted pairs: none yet
        await pilot.press("a", "e", "down")
        seen["title"] = text_of(pilot, "#pair-title")
        seen["screen"] = type(pilot.app.screen).__name__

    _, notes = drive(session, filter_)
    assert len(session) == 0
    assert seen == {"title": "No pair matches the filter.", "screen": "ReviewScreen"}
    assert notes == [
        "No pair matches this filter.",
        "No pair here: the filter matches nothing.",
        "No pair here: the filter matches nothing.",
    ]
    assert session.store.history() == []


def test_clicking_a_row_selects_its_pair(session: ReviewSession) -> None:
    titles: list[str] = []

    async def click(pilot: Pilot[None]) -> None:
        await pilot.click(PairList, offset=(20, 3))  # the fourth row: pair 5
        titles.append(text_of(pilot, "#pair-title").split()[0])

    drive(session, click)
    assert titles == ["#5"]


def test_go_to_a_pair_the_filter_hides_offers_to_clear_the_filter(session: ReviewSession) -> None:
    seen: dict[str, Any] = {}

    async def go(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#filter-severity").focus()
        await pilot.press("down", "down", "down", "ctrl+s")  # critical: pairs 8 and 3
        await pilot.pause()
        seen["header"] = text_of(pilot, "#header-filter")
        await goto(pilot, 6)
        seen["question"] = getattr(pilot.app.screen, "question", "")
        await pilot.press("y")
        await pilot.pause()
        seen["title"] = text_of(pilot, "#pair-title")
        seen["filter_shown"] = pilot.app.screen.query_one("#header-filter").display
        await goto(pilot, 42)

    _, notes = drive(session, go)
    assert seen["header"] == "filter: critical · 2 of 9"
    assert seen["question"] == (
        "Pair #6 is hidden by the filter (critical). Clear the filter and go to it?"
    )
    assert seen["title"].startswith("#6 ") and not seen["filter_shown"]
    assert not session.filter.active and len(session) == 9
    assert notes == ["There is no pair #42."]


def test_declining_to_clear_the_filter_keeps_it(session: ReviewSession) -> None:
    async def go(pilot: Pilot[None]) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#filter-severity").focus()
        await pilot.press("down", "down", "down", "ctrl+s")
        await goto(pilot, 6)
        await pilot.press("n")

    drive(session, go)
    assert session.filter.active and len(session) == 2
    assert session.current is not None and session.current.number == 8


def test_the_order_is_kept_with_the_cursor_across_a_reopen(project: Path) -> None:
    first = ReviewSession(ProjectStore.open(project), REVIEWER)

    async def order(pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await goto(pilot, 4)
        await pilot.press("q")

    drive(first, order)
    first.close()
    again = ReviewSession(ProjectStore.open(project), REVIEWER)
    try:
        assert again.order == "document"
        assert again.current is not None and again.current.number == 4
        assert [again.row(i).number for i in range(3)] == [1, 2, 3]
    finally:
        again.store.close()
