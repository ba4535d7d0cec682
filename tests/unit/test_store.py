"""The project store keeps every action, never the MT overwritten, and undo walks the history."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review import store as store_module
from review.errors import ProjectError
from review.model import Action, Finding, InlineCode, MqmTag, Pair, Severity, Status
from review.repair import split_last_sentence
from review.store import ProjectStore
from tests.unit.test_store_fixtures import OTHER_DOC, PAIRS, make_store, rescore

P = dict(enumerate(PAIRS, 1))  # by number: pair 6 holds EN sentence 7 (pair 5 holds two)


def test_create_then_open_gives_the_pairs_back_in_order(tmp_path: Path) -> None:
    make_store(tmp_path).close()
    with ProjectStore.open(tmp_path / "p.review") as store:
        states = store.states()
        assert [s.pair for s in states] == list(PAIRS)
        assert [s.number for s in states] == list(range(1, len(PAIRS) + 1))
        assert {s.status for s in states} == {Status.PENDING}
        assert store.get_meta("source") == "catalyst.txt"
        assert store.get_meta("signature") == "test-sig"
        created = datetime.fromisoformat(store.get_meta("created") or "")
        assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store._db.execute("SELECT version FROM schema_version").fetchone()[0] == 1


def test_create_leaves_no_temp_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    make_store(tmp_path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.review"]
    with pytest.raises(ProjectError, match="already exists"):
        make_store(tmp_path)


def test_create_with_duplicate_ids_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="occurs twice"):
        make_store(tmp_path, [PAIRS[0], PAIRS[0]])
    assert not (tmp_path / "p.review").exists()


def test_open_rejects_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        ProjectStore.open(tmp_path / "nope.review")
    junk = tmp_path / "junk.review"
    junk.write_text("“not a database”", encoding="utf-8")
    with pytest.raises(ProjectError, match="not a review project"):
        ProjectStore.open(junk)


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("中文。，“”—…\x00\x1b"),
    max_size=40,
)
findings = st.builds(
    Finding,
    code=st.sampled_from(["number-mismatch", "untranslated", "name-mismatch"]),
    severity=st.sampled_from(list(Severity)),
    message=texts,
    en_span=st.none() | st.tuples(st.integers(0, 9), st.integers(10, 20)),
    zh_span=st.none() | st.tuples(st.integers(0, 9), st.integers(10, 20)),
)
pairs = st.builds(
    Pair,
    id=st.uuids().map(str),
    doc_id=st.sampled_from(["a", "文章"]),
    en=texts,
    zh=texts,
    en_ids=st.lists(st.integers(1, 99), max_size=3).map(tuple),
    zh_ids=st.lists(st.integers(1, 99), max_size=3).map(tuple),
    line=st.none() | st.integers(1, 10_000),
    section=texts,
    boilerplate=st.booleans(),
    align_confidence=st.floats(0, 1),
    divergence=st.none() | st.floats(0, 1),
    flagged=st.booleans(),
    findings=st.lists(findings, max_size=3).map(tuple),
    notes=st.lists(texts, max_size=2).map(tuple),
    props=st.lists(st.tuples(texts, texts), max_size=2).map(tuple),
    inline=st.lists(st.builds(InlineCode, st.sampled_from("\ue000\ue001"), texts), max_size=2).map(
        tuple
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(pairs, max_size=6, unique_by=lambda p: p.id))
def test_load_of_save_is_identity(tmp_path: Path, items: list[Pair]) -> None:
    path = tmp_path / f"h{len(list(tmp_path.iterdir()))}.review"
    ProjectStore.create(path, items, source="s", signature="g").close()
    with ProjectStore.open(path, readonly=True) as store:
        assert store.pairs() == items


@pytest.mark.parametrize(
    ("action", "payload", "status", "correction"),
    [
        (Action.ACCEPT, {}, Status.ACCEPTED, None),
        (
            Action.CORRECT,
            {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"},
            Status.CORRECTED,
            "目前约有3万名巴基斯坦青年在中国各大学学习。",
        ),
        (Action.REJECT, {}, Status.REJECTED, None),
        (Action.MARK_MISALIGNED, {}, Status.MISALIGNED, None),
    ],
)
def test_verdicts_set_status_and_keep_the_mt(
    tmp_path: Path, action: Action, payload: dict[str, str], status: Status, correction: str | None
) -> None:
    store = make_store(tmp_path)
    pid = P[4].id
    before = datetime.now(UTC)
    decision = store.record(pid, action, "li.wei", payload)
    state = store.state(pid)
    assert (state.status, state.correction, state.reviewer) == (status, correction, "li.wei")
    assert state.pair.zh == "目前约有巴基斯坦青年在中国各大学学习。"  # the MT, untouched
    assert state.final_zh == (correction or state.pair.zh)
    assert state.changed_at == decision.at and before <= decision.at <= datetime.now(UTC)
    assert decision.at.tzinfo is not None and decision.at.utcoffset() == timedelta(0)
    store.close()
    with ProjectStore.open(tmp_path / "p.review") as again:
        assert again.state(pid) == state
        assert again.states()[3] == state


def test_comments_and_mqm_tags_accumulate(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    pid = P[4].id
    store.record(pid, Action.COMMENT, "ana", {"text": "数字“30,000”漏译"})
    store.record(pid, Action.MQM, "ana", {"category": "accuracy/omission", "severity": "major"})
    store.record(pid, Action.COMMENT, "ana", {"text": "check the unit"})
    store.record(pid, Action.MQM, "ana", {"category": "terminology", "severity": "minor"})
    state = store.state(pid)
    assert state.status is Status.PENDING
    assert state.comments == ("数字“30,000”漏译", "check the unit")
    assert state.mqm == (
        MqmTag("accuracy/omission", Severity.MAJOR),
        MqmTag("terminology", Severity.MINOR),
    )


def test_accept_after_correction_keeps_the_correction_and_reset_drops_it(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    pid = P[2].id
    store.record(pid, Action.CORRECT, "ana", {"text": "研究与开发计划"})
    store.record(pid, Action.ACCEPT, "ana")
    state = store.state(pid)
    assert (state.status, state.final_zh) == (Status.ACCEPTED, "研究与开发计划")
    store.record(pid, Action.RESET, "ana")
    state = store.state(pid)
    assert (state.status, state.final_zh) == (Status.PENDING, "研发计划")


@pytest.mark.parametrize(
    ("action", "payload", "problem"),
    [
        (Action.CORRECT, {}, "needs its text"),
        (Action.COMMENT, {"text": "  "}, "needs its text"),
        (Action.MQM, {"category": "style", "severity": "huge"}, "severity"),
        (Action.MQM, {"category": "", "severity": "minor"}, "category"),
        (Action.SPLIT, {"side": "fr"}, "side"),
    ],
)
def test_bad_payloads_are_refused_and_nothing_is_stored(
    tmp_path: Path, action: Action, payload: dict[str, str], problem: str
) -> None:
    store = make_store(tmp_path)
    with pytest.raises(ProjectError, match=problem):
        store.record(P[1].id, action, "ana", payload)
    assert store.history() == []


def test_unknown_pair_and_empty_reviewer_are_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with pytest.raises(ProjectError, match="no pair"):
        store.record("catalyst:e99:z99", Action.ACCEPT, "ana")
    with pytest.raises(ProjectError, match="reviewer"):
        store.record(P[1].id, Action.ACCEPT, " ")


def test_undo_walks_back_several_levels_and_keeps_history(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    a, b = P[1].id, P[4].id
    d1 = store.record(a, Action.ACCEPT, "ana")
    d2 = store.record(
        b, Action.CORRECT, "ana", {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"}
    )
    d3 = store.record(b, Action.ACCEPT, "ana")
    other = store.record(a, Action.COMMENT, "bo", {"text": "fine"})
    undone = store.undo("ana")
    assert undone is not None and (undone.id, undone.undone) == (d3.id, True)
    assert store.state(b).status is Status.CORRECTED
    assert store.undo("ana").id == d2.id  # type: ignore[union-attr]
    assert (store.state(b).status, store.state(b).correction) == (Status.PENDING, None)
    assert store.undo("ana").id == d1.id  # type: ignore[union-attr]
    assert store.undo("ana") is None
    assert store.state(a).status is Status.PENDING
    assert store.state(a).comments == ("fine",)  # another reviewer's work is not undone
    history = store.history()
    assert [(d.id, d.undone) for d in history] == [
        (d1.id, True),
        (d2.id, True),
        (d3.id, True),
        (other.id, False),
    ]
    assert [d.id for d in store.history(b)] == [d2.id, d3.id]


def test_a_batch_is_recorded_one_by_one_and_undone_together(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    ids = [P[2].id, P[7].id]
    store.record(P[1].id, Action.ACCEPT, "ana")
    batch = store.record_batch(ids, Action.CORRECT, "ana", {"text": "研究与开发计划"})
    assert [d.pair_id for d in batch] == ids and len({d.id for d in batch}) == 2
    undone = store.undo("ana")
    assert undone is not None and sorted(store.undone_batch(undone)) == sorted(ids)
    assert [store.state(i).status for i in ids] == [Status.PENDING, Status.PENDING]
    assert store.state(P[1].id).status is Status.ACCEPTED


def test_merge_retires_both_pairs_and_adds_a_rescored_one(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    decision = store.record(P[2].id, Action.MERGE, "ana")
    assert decision.payload["retired"] == [P[2].id, P[3].id]
    (merged_id,) = decision.payload["created"]
    assert merged_id == "catalyst:e2-3:z2-3"
    states = store.states()
    assert len(states) == len(PAIRS) - 1
    merged = states[1]
    assert merged.pair.id == merged_id and merged.number == 2
    assert merged.pair.en == "Research and Development Initiatives Infrastructure Development"
    assert merged.pair.zh == "研发计划基础设施开发"
    assert merged.pair.findings[0].code == "rescored"
    assert merged.status is Status.PENDING
    assert states[2].number == 4  # numbers stay stable; the merged pair takes the first's
    assert not store.is_active(P[3].id) and store.state(P[3].id).pair == P[3]  # kept
    store.undo("ana")
    assert [s.pair for s in store.states()] == list(PAIRS)
    again = store.record(P[2].id, Action.MERGE, "ana")
    assert again.payload["created"] == [merged_id + "~2"]  # a retired id is never reused


@pytest.mark.parametrize(
    ("side", "first", "second"),
    [
        (
            "en",
            (
                "The event commenced with an overview of CPEC’s progress.",
                "活动首先概述了中巴经济走廊的进展。来自中国信息和通信技术行业公司的代表出席了会议。",
            ),
            (
                "The session was attended by representatives from Chinese ICT sector companies. "
                "China has become the largest resource for developing scientific human resource.",
                "中国已成为培养科技人才的最大来源。",
            ),
        ),
        (
            "zh",
            (
                "The event commenced with an overview of CPEC’s progress. The session was attended "
                "by representatives from Chinese ICT sector companies.",
                "活动首先概述了中巴经济走廊的进展。",
            ),
            (
                "China has become the largest resource for developing scientific human resource.",
                "来自中国信息和通信技术行业公司的代表出席了会议。中国已成为培养科技人才的最大来源。",
            ),
        ),
    ],
)
def test_split_moves_the_last_sentence_to_the_next_pair(
    tmp_path: Path, side: str, first: tuple[str, str], second: tuple[str, str]
) -> None:
    store = make_store(tmp_path)
    decision = store.record(P[5].id, Action.SPLIT, "ana", {"side": side})
    assert decision.payload["retired"] == [P[5].id, P[6].id]
    states = {s.number: s for s in store.states()}
    assert (states[5].pair.en, states[5].pair.zh) == first
    assert (states[6].pair.en, states[6].pair.zh) == second
    assert states[5].pair.id == ("catalyst:e5:z5-6" if side == "en" else "catalyst:e5-6:z5")
    assert states[6].pair.id == ("catalyst:e6-7:z7" if side == "en" else "catalyst:e7:z6-7")
    assert all(s.pair.findings[0].code == "rescored" for s in (states[5], states[6]))
    store.undo("ana")
    assert [s.pair for s in store.states()] == list(PAIRS)


def test_split_of_the_last_pair_makes_a_new_one(tmp_path: Path) -> None:
    last = Pair(
        id="x:e1-2:z1",
        doc_id="x",
        en="The event commenced. It was held in Islamabad.",
        zh="活动在伊斯兰堡举行。",
        en_ids=(1, 2),
        zh_ids=(1,),
    )
    store = make_store(tmp_path, [last])
    store.record(last.id, Action.SPLIT, "ana", {"side": "en"})
    states = store.states()
    assert [(s.number, s.pair.en, s.pair.zh) for s in states] == [
        (1, "The event commenced.", "活动在伊斯兰堡举行。"),
        (2, "It was held in Islamabad.", ""),
    ]
    assert [s.pair.id for s in states] == ["x:e1:z1", "x:e2:z-"]


def test_alignment_edits_refused_where_they_make_no_sense(tmp_path: Path) -> None:
    store = make_store(tmp_path, [*PAIRS, OTHER_DOC])
    with pytest.raises(ProjectError, match="last of its document"):
        store.record(P[9].id, Action.MERGE, "ana")
    with pytest.raises(ProjectError, match="one ZH sentence"):
        store.record(P[1].id, Action.SPLIT, "ana", {"side": "zh"})
    assert store.history() == [] and len(store.states()) == len(PAIRS) + 1


def test_undo_of_a_merge_waits_for_later_work_on_the_merged_pair(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    merge = store.record(P[2].id, Action.MERGE, "ana")
    store.record(merge.payload["created"][0], Action.ACCEPT, "bo")
    with pytest.raises(ProjectError, match="changed later by bo"):
        store.undo("ana")
    store.undo("bo")
    assert store.undo("ana") is not None
    assert [s.pair for s in store.states()] == list(PAIRS)


def test_a_second_writer_is_turned_away_but_readers_are_welcome(tmp_path: Path) -> None:
    writer = make_store(tmp_path)
    path = tmp_path / "p.review"
    with pytest.raises(ProjectError, match=r"open in another review \(pid \d+\)") as error:
        ProjectStore.open(path)
    assert error.value.hint is not None and "--readonly" in error.value.hint
    reader = ProjectStore.open(path, readonly=True)
    writer.record(P[1].id, Action.ACCEPT, "ana")
    assert reader.state(P[1].id).status is Status.ACCEPTED  # sees committed work
    with pytest.raises(ProjectError, match="read-only"):
        reader.record(P[1].id, Action.REJECT, "ana")
    with pytest.raises(ProjectError, match="read-only"):
        reader.set_meta("cursor", P[2].id)
    writer.close()
    ProjectStore.open(path).close()  # the lock went with the writer
    reader.close()


def test_meta_values_persist(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.set_meta("cursor", P[4].id)
    store.set_meta("cursor", P[5].id)
    store.close()
    with ProjectStore.open(tmp_path / "p.review", readonly=True) as again:
        assert again.get_meta("cursor") == P[5].id
        assert again.get_meta("missing") is None


def test_a_newer_schema_is_refused_and_an_older_one_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(tmp_path).close()
    path = tmp_path / "p.review"
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 9")
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match="newer review"):
        ProjectStore.open(path)

    def add_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE decisions ADD COLUMN origin TEXT")

    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 1")
    db.commit()
    db.close()
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, add_column)
    with pytest.raises(ProjectError, match="needs upgrading"):
        ProjectStore.open(path, readonly=True)
    with ProjectStore.open(path, rescore=rescore) as store:
        assert store._db.execute("SELECT version FROM schema_version").fetchone()[0] == 2
        columns = [row[1] for row in store._db.execute("PRAGMA table_info(decisions)")]
        assert "origin" in columns
        assert len(store.states()) == len(PAIRS)


@pytest.mark.parametrize(
    ("text", "side", "expected"),
    [
        ("One. Two.", "en", ("One.", "Two.")),
        ("He said “stop.” Then he left!", "en", ("He said “stop.”", "Then he left!")),
        ("Only one sentence here.", "en", None),
        ("Dr. Smith arrived", "en", ("Dr.", "Smith arrived")),  # a known limit of the rule
        (
            "活动首先概述了进展。代表出席了会议。",
            "zh",
            ("活动首先概述了进展。", "代表出席了会议。"),
        ),
        ("他说：“好！”然后离开了。", "zh", ("他说：“好！”", "然后离开了。")),
        ("只有一句话。", "zh", None),
        ("真的吗？……是的", "zh", ("真的吗？……", "是的")),
    ],
)
def test_split_last_sentence(text: str, side: str, expected: tuple[str, str] | None) -> None:
    assert split_last_sentence(text, side) == expected  # type: ignore[arg-type]


def test_light_index_and_texts_agree_with_the_full_states(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.record(
        P[4].id, Action.CORRECT, "ana", {"text": "目前约有3万名巴基斯坦青年在中国各大学学习。"}
    )
    store.record(P[4].id, Action.ACCEPT, "ana")
    store.record(P[2].id, Action.REJECT, "ana")
    store.record(P[2].id, Action.COMMENT, "ana", {"text": "太短"})
    store.record(P[3].id, Action.CORRECT, "ana", {"text": "基础设施建设"})
    store.record(P[3].id, Action.RESET, "ana")
    store.record(P[6].id, Action.CORRECT, "ana", {"text": "中国已成为培养科学人才的最大来源。"})
    store.record(P[6].id, Action.ACCEPT, "ana", {"mt": True})  # back to the MT, signed off
    store.record(P[1].id, Action.MERGE, "ana")  # pairs 1 and 2 become one
    states = store.states()
    index = store.index()
    assert index.ids == [s.pair.id for s in states]
    assert index.numbers == [s.number for s in states]
    assert index.statuses == [s.status for s in states]
    assert index.divergences == [s.pair.divergence or 0.0 for s in states]
    assert index.severities == [
        s.pair.top_severity.rank if s.pair.top_severity else 0 for s in states
    ]
    assert index.codes[3] == "omission" and index.codes[2] == "number-mismatch"
    assert states[4].pair == P[6] and states[4].correction is None
    assert states[4].status is Status.ACCEPTED
    texts = store.texts()
    assert texts == {s.pair.id: (s.pair.en, s.pair.zh, s.correction) for s in states}
    assert texts[P[4].id][2] == "目前约有3万名巴基斯坦青年在中国各大学学习。"
    picked = [states[5].pair.id, states[0].pair.id]
    assert store.states_for(picked) == [states[5], states[0]]
    with pytest.raises(ProjectError, match="no pair"):
        store.states_for(["catalyst:e99:z99"])


def _expand(text: str, codes: tuple[InlineCode, ...]) -> str:
    for code in codes:
        text = text.replace(code.token, code.xml)
    return text


BOLD = (
    InlineCode("\ue000", '<bpt i="1">&lt;b&gt;</bpt>'),
    InlineCode("\ue001", '<ept i="1">&lt;/b&gt;</ept>'),
)
LINK = (InlineCode("\ue000", '<ph x="1">&lt;br/&gt;</ph>'),)
TMX_PAIRS = [
    Pair(id="t:e1:z1", doc_id="t", en="Press \ue000Save\ue001.", zh="按\ue000保存\ue001。",
         en_ids=(1,), zh_ids=(1,), inline=BOLD),
    Pair(id="t:e2:z2", doc_id="t", en="Then quit.\ue000", zh="然后退出。\ue000",
         en_ids=(2,), zh_ids=(2,), inline=LINK),
]  # fmt: skip


def test_merging_pairs_keeps_each_inline_code_distinct(tmp_path: Path) -> None:
    store = make_store(tmp_path, TMX_PAIRS)
    store.record("t:e1:z1", Action.MERGE, "ana")
    (merged,) = store.pairs()
    tokens = [code.token for code in merged.inline]
    assert len(set(tokens)) == 3
    assert _expand(merged.en, merged.inline) == (
        'Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>. '
        'Then quit.<ph x="1">&lt;br/&gt;</ph>'
    )
    assert _expand(merged.zh, merged.inline) == (
        '按<bpt i="1">&lt;b&gt;</bpt>保存<ept i="1">&lt;/b&gt;</ept>。'
        '然后退出。<ph x="1">&lt;br/&gt;</ph>'
    )


def test_splitting_moves_inline_codes_with_their_sentence(tmp_path: Path) -> None:
    first = Pair(id="t:e1-2:z1", doc_id="t", en="Press Enter. Then \ue000Save\ue001.",
                 zh="按回车键。", en_ids=(1, 2), zh_ids=(1,), inline=BOLD)  # fmt: skip
    store = make_store(tmp_path, [first, TMX_PAIRS[1]])
    store.record(first.id, Action.SPLIT, "ana", {"side": "en"})
    kept, target = store.pairs()
    assert (kept.en, kept.inline) == ("Press Enter.", ())
    assert _expand(target.en, target.inline) == (
        'Then <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>. '
        'Then quit.<ph x="1">&lt;br/&gt;</ph>'
    )
    assert _expand(target.zh, target.inline) == '然后退出。<ph x="1">&lt;br/&gt;</ph>'
    assert len({code.token for code in target.inline}) == 3


def test_alignment_edits_are_rescored_by_the_real_scorer_by_default(tmp_path: Path) -> None:
    store = ProjectStore.create(tmp_path / "r.review", PAIRS, source="s", signature="g")
    store.record(P[2].id, Action.MERGE, "ana")
    merged = store.states()[1].pair
    assert merged.divergence is not None and 0.0 <= merged.divergence <= 1.0
    assert all(f.code != "rescored" for f in merged.findings)


def test_another_sqlite_file_is_not_a_project(tmp_path: Path) -> None:
    other = tmp_path / "notes.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match="not a review project"):
            ProjectStore.open(other, readonly=readonly)


def test_a_failed_write_is_a_project_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store._db.execute(
        "CREATE TRIGGER full BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(ProjectError, match=r"not saved \(disk full\)"):
        store.record(P[1].id, Action.ACCEPT, "ana")
    with pytest.raises(ProjectError, match="not saved"):
        store.record(P[2].id, Action.MERGE, "ana")  # the retire/insert of pairs rolls back too
    assert store.history() == [] and [s.pair for s in store.states()] == list(PAIRS)
    store._db.execute("DROP TRIGGER full")
    store.record(P[1].id, Action.ACCEPT, "ana")
    assert store.state(P[1].id).status is Status.ACCEPTED


def test_reading_leaves_no_sqlite_side_files_and_the_project_gets_the_umask_mode(
    tmp_path: Path,
) -> None:
    make_store(tmp_path).close()
    path = tmp_path / "p.review"
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    with ProjectStore.open(path, readonly=True) as reader:
        assert len(reader.states()) == len(PAIRS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.review"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
