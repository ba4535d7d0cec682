"""The reviewer's session: order, filter, cursor, every action and its undo, without any UI."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.errors import ProjectError, ReviewError
from review.model import MqmTag, Severity, Status
from review.session import MQM_CATEGORIES, Filter, Progress, ReviewSession
from review.store import ProjectStore
from tests.unit.test_store_fixtures import OTHER_DOC, PAIRS, make_store, rescore

P = dict(enumerate(PAIRS, 1))  # by number: pair 6 holds EN sentence 7 (pair 5 holds two)
WORST_FIRST = [9, 4, 5, 6, 2, 7, 8, 1, 3]
FIXED = "目前约有3万名巴基斯坦青年在中国各大学学习。"  # by divergence, ties in document order


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return ReviewSession(make_store(tmp_path), "ana")


def numbers(session: ReviewSession) -> list[int]:
    return [session.row(i).number for i in range(len(session))]


def test_opens_worst_divergence_first(session: ReviewSession) -> None:
    assert session.order == "divergence" and session.cursor == 0
    assert numbers(session) == WORST_FIRST
    assert session.current is not None and session.current.pair == P[9]
    assert session.project_path.endswith("p.review") and session.reviewer == "ana"
    assert session.saved_at is None
    with pytest.raises(IndexError):
        session.row(len(session))
    assert [s.number for s in session.window(7, 5)] == [1, 3]


def test_toggle_order_keeps_the_current_pair(session: ReviewSession) -> None:
    session.move_to(3)  # pair 7
    session.toggle_order()
    assert session.order == "document"
    assert numbers(session) == list(range(1, 10))
    assert session.current is not None and session.current.pair == P[6]
    session.toggle_order()
    assert session.cursor == 3 and numbers(session) == WORST_FIRST


def test_move_clamps_to_the_rows(session: ReviewSession) -> None:
    session.move(-5)
    assert session.cursor == 0
    session.move(100)
    assert session.cursor == len(session) - 1
    session.cursor = 2
    assert session.current is not None and session.current.pair == P[5]


def test_accept_reject_misaligned_and_progress(session: ReviewSession) -> None:
    assert session.progress() == Progress(0, 9, {s: 0 for s in Status} | {Status.PENDING: 9})
    assert session.accept() == "accepted pair 9"
    session.move(1)
    assert session.reject() == "rejected pair 4"
    session.move(1)
    assert session.mark_misaligned() == "marked misaligned pair 5"
    assert [session.row(i).status for i in range(3)] == [
        Status.ACCEPTED,
        Status.REJECTED,
        Status.MISALIGNED,
    ]
    progress = session.progress()
    assert (progress.reviewed, progress.total) == (3, 9)
    assert progress.percent == pytest.approx(100 * 3 / 9)
    assert progress.by_status[Status.PENDING] == 6 and progress.by_status[Status.REJECTED] == 1
    assert session.saved_at is not None


def test_correct_offers_pending_pairs_with_nearly_the_same_english(session: ReviewSession) -> None:
    assert session.goto_number(2)
    similar = session.correct("研究与开发计划")
    assert similar == [P[7].id]  # "Research and development initiatives." — case and full stop
    current = session.current
    assert current is not None
    assert (current.status, current.final_zh, current.pair.zh) == (
        Status.CORRECTED,
        "研究与开发计划",
        "研发计划",
    )
    assert session.apply_correction(similar, "研究与开发计划") == "corrected 1 more pair"
    assert session.row(session.index_of(P[7].id) or 0).final_zh == "研究与开发计划"
    assert session.progress().by_status[Status.CORRECTED] == 2
    assert session.undo() == "undid correct on pair 7"  # the batch as one step
    assert session.row(session.index_of(P[7].id) or 0).status is Status.PENDING
    assert session.undo() == "undid correct on pair 2"
    assert session.current is not None and session.current.pair == P[2]
    assert session.current.status is Status.PENDING


def test_reviewed_or_unrelated_pairs_are_not_offered(session: ReviewSession) -> None:
    session.goto_number(7)
    session.accept()
    session.goto_number(2)
    assert session.correct("研究与开发计划") == []  # pair 7 is already reviewed
    session.goto_number(4)
    assert session.correct("目前约有3万名巴基斯坦青年在中国各大学学习。") == []


def test_saving_the_mt_unchanged_is_an_accept_and_empty_is_refused(
    session: ReviewSession,
) -> None:
    session.goto_number(3)
    assert session.correct("基础设施开发") == []
    assert session.current is not None and session.current.status is Status.ACCEPTED
    assert session.current.correction is None
    with pytest.raises(ProjectError, match="cannot be empty"):
        session.correct("  ")


def test_saving_the_mt_after_a_correction_signs_off_the_mt(session: ReviewSession) -> None:
    session.goto_number(4)
    session.correct(FIXED)
    assert session.correct("目前约有巴基斯坦青年在中国各大学学习。") == []
    current = session.current
    assert current is not None and (current.status, current.correction) == (Status.ACCEPTED, None)
    assert current.final_zh == "目前约有巴基斯坦青年在中国各大学学习。"
    assert session.undo() == "undid accept on pair 4"
    assert session.current is not None and session.current.final_zh == FIXED


def test_comment_and_mqm(session: ReviewSession) -> None:
    session.goto_number(4)
    assert session.comment("数字“30,000”漏译") == "commented on pair 4"
    assert session.tag_mqm("accuracy/omission", Severity.MAJOR) == (
        "tagged pair 4 accuracy/omission (major)"
    )
    current = session.current
    assert current is not None and current.status is Status.PENDING
    assert current.comments == ("数字“30,000”漏译",)
    assert current.mqm == (MqmTag("accuracy/omission", Severity.MAJOR),)
    with pytest.raises(ReviewError, match="unknown MQM category"):
        session.tag_mqm("grammar", Severity.MINOR)
    with pytest.raises(ProjectError, match="cannot be empty"):
        session.comment(" ")
    assert "locale-convention" in MQM_CATEGORIES and len(MQM_CATEGORIES) == 8


def test_undo_is_multi_level_and_returns_to_the_pair(session: ReviewSession) -> None:
    session.accept()  # pair 9
    session.move(1)
    session.tag_mqm("fluency", Severity.MINOR)  # pair 4
    session.move(1)
    session.reject()  # pair 5
    session.move(3)
    assert session.undo() == "undid reject on pair 5"
    assert session.current is not None and session.current.number == 5
    assert session.undo() == "undid mqm on pair 4"
    assert session.current.mqm == () if session.current else False
    assert session.undo() == "undid accept on pair 9"
    assert session.undo() is None
    assert session.progress().reviewed == 0


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (Filter(), WORST_FIRST),
        (Filter(min_divergence=0.5), [9, 4, 5]),
        (Filter(code="length-ratio"), [2, 7]),
        (Filter(severity=Severity.MAJOR), [4, 5]),
        (Filter(severity=Severity.CRITICAL), [5]),
        (Filter(query="CPEC"), [5]),
        (Filter(query="research AND"), [2, 7]),
        (Filter(query="催化剂"), [1]),
        (Filter(query="——“所有”"), [8]),
        (Filter(statuses=frozenset({Status.ACCEPTED})), [4]),
        (Filter(statuses=frozenset({Status.PENDING}), min_divergence=0.3), [9, 5, 6, 2, 7]),
        (Filter(code="nonexistent"), []),
    ],
)
def test_filters(session: ReviewSession, f: Filter, expected: list[int]) -> None:
    session.goto_number(4)
    session.accept()
    session.set_filter(f)
    assert session.filter == f
    assert numbers(session) == expected
    if expected:
        assert session.current is not None
    else:
        assert session.current is None and len(session) == 0
        with pytest.raises(ProjectError, match="no pair under the cursor"):
            session.accept()


def test_filter_keeps_current_pair_and_rows_stay_put_until_refiltered(
    session: ReviewSession,
) -> None:
    session.goto_number(5)
    session.set_filter(Filter(statuses=frozenset({Status.PENDING})))
    assert session.current is not None and session.current.number == 5
    session.accept()
    assert len(session) == 9  # the accepted row stays until the filter is applied again
    session.set_filter(session.filter)
    assert len(session) == 8 and 5 not in numbers(session)


def test_search_wraps_both_ways_and_sees_corrections(session: ReviewSession) -> None:
    session.toggle_order()  # document order: rows are numbers 1..9
    session.move_to(0)
    assert session.search("development")  # from pair 1: next is pair 2
    assert session.current is not None and session.current.number == 2
    assert session.search("DEVELOPMENT")
    assert session.current.number == 3 if session.current else False
    assert session.search("developments")
    assert session.current is not None and session.current.number == 9
    assert session.search("developments", forward=True)  # wraps past pair 9 to pair 1
    assert session.current is not None and session.current.number == 1
    assert session.search("developments", forward=False)
    assert session.current is not None and session.current.number == 9
    assert session.search("巴基斯坦青年")
    assert session.current is not None and session.current.number == 4
    session.correct("目前约有3万名巴基斯坦青年在中国各大学学习。")
    session.move_to(0)
    assert session.search("3万名")
    assert session.current is not None and session.current.number == 4
    assert not session.search("Xinhua") and not session.search("")


def test_goto_number(session: ReviewSession) -> None:
    assert session.goto_number(6)
    assert session.current is not None and session.current.pair == P[6]
    assert session.current.pair.en_ids == (7,)  # numbers count pairs, not sentences
    assert not session.goto_number(10)
    session.set_filter(Filter(min_divergence=0.5))
    assert not session.goto_number(1)  # hidden by the filter
    assert session.goto_number(4)


def test_next_and_previous_unreviewed_wrap(session: ReviewSession) -> None:
    session.toggle_order()
    for number in (2, 3, 5):
        session.goto_number(number)
        session.accept()
    session.goto_number(1)
    assert session.next_unreviewed() and session.current and session.current.number == 4
    assert session.prev_unreviewed() and session.current and session.current.number == 1
    assert session.prev_unreviewed() and session.current and session.current.number == 9
    assert session.next_unreviewed() and session.current and session.current.number == 1
    for _ in range(6):
        session.accept()
        session.next_unreviewed()
    assert session.progress().reviewed == 9
    assert not session.next_unreviewed() and not session.prev_unreviewed()


def test_merge_and_its_undo(session: ReviewSession) -> None:
    session.toggle_order()
    session.goto_number(2)
    assert session.merge_with_next() == "merged pair 2 with the next"
    assert len(session) == 8 and session.progress().total == 8
    current = session.current
    assert current is not None and current.pair.id == "catalyst:e2-3:z2-3"
    assert current.pair.zh == "研发计划基础设施开发"
    assert current.pair.findings[0].code == "rescored"
    assert numbers(session) == [1, 2, 4, 5, 6, 7, 8, 9]
    assert session.undo() == "undid merge at pair 2"
    assert numbers(session) == list(range(1, 10)) and len(session) == 9
    assert session.current is not None and session.current.pair == P[2]


def test_split_and_its_undo_in_divergence_order(session: ReviewSession) -> None:
    session.goto_number(5)
    assert session.split_last("zh") == "moved the last ZH sentence of pair 5 to the next"
    current = session.current
    assert current is not None and current.pair.zh == "活动首先概述了中巴经济走廊的进展。"
    rescored = [session.row(i).pair.divergence for i in range(len(session))]
    assert rescored == sorted(rescored, key=lambda d: -(d or 0.0))  # the order takes new scores
    moved = session.row(session.index_of("catalyst:e7:z6-7") or 0)
    assert moved.pair.zh.startswith("来自中国信息和通信技术行业公司的代表出席了会议。")
    with pytest.raises(ProjectError, match="one ZH sentence"):
        session.split_last("zh")
    session.undo()
    assert sorted(numbers(session)) == list(range(1, 10))
    assert session.current is not None and session.current.pair == P[5]


def test_merge_refused_at_the_end_of_a_document(tmp_path: Path) -> None:
    session = ReviewSession(make_store(tmp_path, [*PAIRS, OTHER_DOC]), "ana")
    session.goto_number(9)
    with pytest.raises(ProjectError, match="last of its document"):
        session.merge_with_next()
    assert session.progress().total == 10


def test_decisions_and_cursor_survive_reopening(tmp_path: Path) -> None:
    session = ReviewSession(make_store(tmp_path), "ana")
    session.goto_number(4)
    session.correct("目前约有3万名巴基斯坦青年在中国各大学学习。")
    session.goto_number(6)
    session.comment("“人才” is right here")
    session.goto_number(2)
    session.close()
    store = ProjectStore.open(tmp_path / "p.review", rescore=rescore)
    again = ReviewSession(store, "bo")
    assert again.current is not None and again.current.pair == P[2]  # the cursor came back
    state4 = again.row(again.index_of(P[4].id) or 0)
    assert (state4.status, state4.reviewer) == (Status.CORRECTED, "ana")
    assert again.row(again.index_of(P[6].id) or 0).comments == ("“人才” is right here",)
    assert again.undo() is None  # bo has nothing to undo; ana's work is not his
    again.close()


def test_cursor_is_saved_with_every_action(tmp_path: Path) -> None:
    session = ReviewSession(make_store(tmp_path), "ana")
    session.goto_number(3)
    session.accept()
    assert session.store.get_meta("cursor") == P[3].id


def test_read_only_session_browses_but_cannot_act(tmp_path: Path) -> None:
    make_store(tmp_path).close()
    session = ReviewSession(ProjectStore.open(tmp_path / "p.review", readonly=True), "ana")
    assert session.search("CPEC")
    with pytest.raises(ProjectError, match="read-only"):
        session.accept()
    session.close()


def test_a_reviewer_name_is_required(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="reviewer"):
        ReviewSession(make_store(tmp_path), " ")


def test_window_reads_the_same_states_as_row(session: ReviewSession) -> None:
    session.goto_number(4)
    session.accept()
    assert session.window(0, 100) == [session.row(i) for i in range(len(session))]
    assert session.window(-3, 2) == [session.row(0), session.row(1)]
    assert session.window(8, 5) == [session.row(8)] and session.window(20, 5) == []


OPS = st.lists(
    st.sampled_from(
        ["accept", "reject", "misaligned", "correct", "comment", "mqm", "undo", "merge",
         "split-en", "split-zh", "down", "up", "order", "filter", "next"]
    ),
    max_size=25,
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(OPS)
def test_updating_rows_in_place_matches_a_fresh_session(ops: list[str]) -> None:
    """Whatever the reviewer does, the live session shows what a reopened project shows."""
    with tempfile.TemporaryDirectory() as folder:
        session = ReviewSession(make_store(Path(folder)), "ana")
        for op in ops:
            try:
                if op == "accept":
                    session.accept()
                elif op == "reject":
                    session.reject()
                elif op == "misaligned":
                    session.mark_misaligned()
                elif op == "correct":
                    similar = session.correct("修改后的译文。")
                    session.apply_correction(similar, "修改后的译文。")
                elif op == "comment":
                    session.comment("需要复查")
                elif op == "mqm":
                    session.tag_mqm("style", Severity.MINOR)
                elif op == "undo":
                    session.undo()
                elif op == "merge":
                    session.merge_with_next()
                elif op.startswith("split"):
                    session.split_last("en" if op == "split-en" else "zh")
                elif op == "down":
                    session.move(1)
                elif op == "up":
                    session.move(-2)
                elif op == "order":
                    session.toggle_order()
                elif op == "filter":
                    session.set_filter(Filter(statuses=frozenset({Status.PENDING})))
                else:
                    session.next_unreviewed()
            except ProjectError:
                pass  # e.g. nothing to merge or split there: refused, nothing stored
        session.set_filter(session.filter)  # apply the filter to rows acted on since
        fresh = ReviewSession(session.store, "ana")
        fresh.order = session.order
        fresh.set_filter(session.filter)
        assert session.window(0, len(session)) == fresh.window(0, len(fresh))
        assert session.progress() == fresh.progress()
        session.store.close()


def test_an_empty_project_is_safe_to_drive(tmp_path: Path) -> None:
    session = ReviewSession(make_store(tmp_path, []), "ana")
    assert len(session) == 0 and session.current is None and session.window(0, 10) == []
    assert session.progress().percent == 100.0 and session.progress().total == 0
    session.move(1)
    session.toggle_order()
    assert not session.search("x") and not session.next_unreviewed() and not session.goto_number(1)
    with pytest.raises(ProjectError, match="no pair under the cursor"):
        session.correct("改")
    assert session.undo() is None
    session.close()


@pytest.mark.parametrize(
    ("f", "words"),
    [
        (Filter(severity=Severity.CRITICAL), "critical"),
        (Filter(severity=Severity.MAJOR, code="name-mismatch"), "≥ major · name-mismatch"),
        (
            Filter(statuses=frozenset({Status.CORRECTED, Status.PENDING}), min_divergence=0.5),
            "pending, corrected · div ≥ 0.50",
        ),
        (Filter(query="青年"), "“青年”"),
    ],
)
def test_a_filter_describes_itself_for_the_header(f: Filter, words: str) -> None:
    assert f.describe() == words
