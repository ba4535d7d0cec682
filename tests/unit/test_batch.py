"""Streaming batch scoring equals `score_pairs`, for any jobs, chunk size or engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from review import batch
from review.ingest import iter_blocks
from review.model import Pair, pair_id
from review.score import score_pairs

SAMPLE = Path(__file__).parents[2] / "corpus" / "mlqe-enzh-sample.tsv"


def sample_pairs() -> list[Pair]:
    """The real MT sample, with a few sentences re-translated differently further on."""
    pairs = [
        Pair(pair_id("mlqe", (i,), (i,)), "mlqe", b.en, b.zh, (i,), (i,), b.line)
        for i, b in enumerate(iter_blocks(SAMPLE))
    ][:120]
    first, second, third = pairs[0], pairs[1], pairs[2]
    planted = [
        # The same English, a different Chinese: both are inconsistent-translation.
        (first.en, "完全不同的一种译文，和前面那句毫无关系。"),
        # Near-identical Chinese (one full stop more): the check treats it as the same.
        (second.en, second.zh + "。"),
        (second.en, "另一个版本的翻译文字，意思也不一样。"),
        (second.en, "另一个版本的翻译文字，意思也不一样"),
        # Different English for the same Chinese: inconsistent-source.
        ("Something else entirely, said about another matter.", third.zh),
    ]
    extra = [
        Pair(pair_id("planted", (k,), (k,)), "planted", en, zh, (k,), (k,), k + 1)
        for k, (en, zh) in enumerate(planted)
    ]
    return pairs[:40] + extra[:3] + pairs[40:80] + extra[3:] + pairs[80:]


@pytest.fixture(scope="module")
def pairs() -> list[Pair]:
    return sample_pairs()


@pytest.fixture(scope="module")
def expected(pairs: list[Pair]) -> list[Pair]:
    return score_pairs(pairs)


def codes(scored: list[Pair]) -> dict[str, list[str]]:
    return {
        p.id: [f.code for f in p.findings if f.code.startswith("inconsistent")]
        for p in scored
        if any(f.code.startswith("inconsistent") for f in p.findings)
    }


def test_the_sample_really_has_inconsistencies(expected: list[Pair]) -> None:
    found = codes(expected)
    first, second = pair_id("mlqe", (0,), (0,)), pair_id("mlqe", (1,), (1,))
    assert found[first] == ["inconsistent-translation"]
    assert found[pair_id("planted", (0,), (0,))] == ["inconsistent-translation"]
    assert "inconsistent-translation" in found[second]
    assert found[pair_id("planted", (4,), (4,))] == ["inconsistent-source"]
    assert pair_id("mlqe", (2,), (2,)) in found


@pytest.mark.parametrize("chunk_size", [1, 7, 1000])
def test_one_process_equals_score_pairs(
    pairs: list[Pair], expected: list[Pair], chunk_size: int
) -> None:
    assert list(batch.score_stream(iter(pairs), jobs=1, chunk_size=chunk_size)) == expected


def test_worker_processes_keep_input_order_and_results(
    pairs: list[Pair], expected: list[Pair]
) -> None:
    # Small chunks, so many are in flight at once and finish out of order.
    scored = list(batch.score_stream(iter(pairs), jobs=2, chunk_size=5))
    assert [p.id for p in scored] == [p.id for p in pairs]
    assert scored == expected


def test_input_is_read_lazily_and_progress_sees_the_total(
    pairs: list[Pair], expected: list[Pair]
) -> None:
    seen: list[int] = []

    def generate() -> Iterator[Pair]:
        for pair in pairs:
            seen.append(1)
            yield pair

    calls: list[tuple[int, str]] = []

    def progress(items: object, total: int, label: str) -> Iterator[Pair]:
        calls.append((total, label))
        yield from items  # type: ignore[misc]

    stream = batch.score_stream(generate(), jobs=1, chunk_size=10, progress=progress)
    assert seen == []  # nothing is read before the first result is asked for
    assert next(stream) == expected[0]
    assert calls == [(len(pairs), "scoring")]
    assert [*[expected[0]], *stream] == expected


def test_empty_input_and_bad_jobs() -> None:
    assert list(batch.score_stream([], jobs=2)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(batch.score_stream([], jobs=0))


def test_write_jsonl_is_atomic(pairs: list[Pair], tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")

    def failing() -> Iterator[Pair]:
        yield from pairs[:3]
        raise RuntimeError("input broke half way")

    with pytest.raises(RuntimeError):
        batch.write_jsonl(batch.score_stream(failing(), jobs=1), target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    assert batch.write_jsonl(batch.score_stream(pairs[:3], jobs=1), target) == 3
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == [p.id for p in pairs[:3]]


def test_default_jobs_is_the_affinity_mask() -> None:
    import os

    assert batch.default_jobs() == len(os.sched_getaffinity(0))


def test_dask_gives_byte_identical_jsonl_and_parquet(
    pairs: list[Pair], expected: list[Pair], tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    local = "".join(batch.pair_json(p) + "\n" for p in expected).encode("utf-8")
    with (
        LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        out = tmp_path / "scored.jsonl"
        count = batch.score_dask(iter(pairs), out, client=client, chunk_size=9)
        assert count == len(pairs)
        assert out.read_bytes() == local

        parts = tmp_path / "scored.parquet"
        assert batch.score_dask(iter(pairs), parts, client=client, chunk_size=50) == len(pairs)
        names = sorted(p.name for p in parts.iterdir())
        assert names == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
        rows = pq.read_table(parts).to_pylist()
        assert rows == [json.loads(line) for line in local.decode().splitlines()]
        # A rerun replaces the parts folder whole; no temp folder is left beside it.
        assert batch.score_dask(iter(pairs[:10]), parts, client=client) == 10
        assert pq.read_table(parts).num_rows == 10
        assert sorted(p.name for p in tmp_path.iterdir()) == ["scored.jsonl", "scored.parquet"]


@pytest.mark.parametrize("name", ["sample.tsv", "sample.tmx", "mlqe-enzh-sample.tsv"])
@pytest.mark.parametrize("chunk_size", [3, 1000])
def test_streamed_sources_give_the_aligner_pairs(name: str, chunk_size: int) -> None:
    from review.align import align_document
    from review.ingest import read_source

    path = SAMPLE.parent / name
    streamed = list(batch.iter_source_pairs(path, chunk_size=chunk_size))
    assert streamed == align_document(read_source(path))


def test_streamed_tsv_numbers_sentences_across_chunks_with_empty_sides(tmp_path: Path) -> None:
    from review.align import align_document
    from review.ingest import read_source

    path = tmp_path / "gaps.tsv"
    rows = ["One.\t一。", "Two.\t", "\t三。", "Four.\t四。", "Five.\t", "Six.\t六。", "\t七。"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    streamed = list(batch.iter_source_pairs(path, chunk_size=2))
    assert streamed == align_document(read_source(path))
    assert [p.id for p in streamed][:4] == ["gaps:e0:z0", "gaps:e1:z-", "gaps:e-:z1", "gaps:e2:z2"]


def test_review_score_gives_the_same_file_locally_and_on_a_dask_scheduler(
    pairs: list[Pair], tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    from click.testing import CliRunner
    from distributed import LocalCluster

    from review.cli import cli

    source = tmp_path / "planted.tsv"
    source.write_text("".join(f"{p.en}\t{p.zh}\n" for p in pairs), encoding="utf-8")
    runner = CliRunner()
    local = runner.invoke(cli, ["score", str(source), "-o", str(tmp_path / "local.jsonl")])
    assert local.exit_code == 0, local.output
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        args = ["--scheduler", cluster.scheduler_address, "-o", str(tmp_path / "dask.jsonl")]
        remote = runner.invoke(cli, ["score", str(source), "--engine", "dask", *args])
    assert remote.exit_code == 0, remote.output
    assert f"wrote {len(pairs)} pairs" in remote.output
    local_bytes = (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "dask.jsonl").read_bytes() == local_bytes
    assert local_bytes.count(b"inconsistent-translation") >= 4
    refused = runner.invoke(cli, ["score", str(source), "--engine", "dask"])
    assert refused.exit_code == 2 and "-o OUT.jsonl" in refused.output


def test_engine_memory_stays_flat_as_the_input_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine keeps 32 bytes per pair, not the pairs: peak memory barely grows with N."""
    import tracemalloc

    import review.score

    # Measure the engine itself (spill, keys, peers, windows), not the scorer's caches.
    monkeypatch.setattr(review.score, "score_many", lambda pairs, ctx, scorer=None: list(pairs))

    def generate(count: int) -> Iterator[Pair]:
        for i in range(count):
            yield Pair(f"big:e{i}:z{i}", "big", f"Sentence number {i} is here.", f"第{i}句在这里。")

    def peak(count: int) -> int:
        tracemalloc.start()
        seen = sum(1 for _ in batch.score_stream(generate(count), jobs=1, chunk_size=500))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert seen == count
        return top

    peak(100)  # load the lexicon and warm the caches before measuring
    small, large = peak(1_000), peak(10_000)
    # Holding the pairs would cost ~1 KB each; the engine may add at most 64 bytes per pair.
    assert large - small < 64 * 9_000, (small, large)
