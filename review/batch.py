"""Streaming batch scoring: bounded chunks on local worker processes, or partitions on Dask.

The cross-pair consistency check needs the whole input, so scoring makes two passes. The first
reads the pairs once, spills them to an anonymous temporary file and keeps 32 bytes per pair
(64-bit hashes of the consistency keys); from those it finds the texts translated more than one
way and keeps, for each, the first pair of every variant ("peers"). The second pass scores the
spilled pairs chunk by chunk, each chunk with the peers its pairs need, and yields them in input
order. Every engine (one process, N processes, a Dask cluster) scores through `score_chunk`, and
a pair's consistency findings are exactly those `score_pairs` gives it over the whole input.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import signal
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

from review.errors import ReviewError
from review.model import Document, Finding, Pair, pair_id

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from review.checks import CheckContext
    from review.lexicon import Glossary

T = TypeVar("T")

# Chunks in flight per worker: enough to keep every worker busy while the parent reads and
# writes, few enough that memory stays flat however long the input is.
_WINDOW_PER_JOB = 3

Progress = Callable[[Iterable[Any], int, str], Iterator[Any]]
"""Wraps the output (items, total, label) in a progress bar; the shells supply it."""


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity mask), at least 1."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- the consistency peers --------------------------------------------------------------------


def _hash64(text: str) -> int:
    """A stable 64-bit hash (the built-in `hash` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _group_keys(pair: Pair) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(EN group, ZH key) and (ZH group, EN key) hashes, as `check_consistency` groups pairs."""
    from review.checks.consistency import _key  # the check's own normalisation

    if not pair.en.strip() or not pair.zh.strip() or pair.boilerplate:
        return None, None
    en_key, zh_key = _key(pair.en), _key(pair.zh)
    en_hash, zh_hash = _hash64(en_key), _hash64(zh_key)
    by_en = (en_hash, zh_hash) if len(en_key) >= 8 else None
    by_zh = (zh_hash, en_hash) if len(zh_key) >= 4 else None
    return by_en, by_zh


class _KeyTable:
    """32 bytes per pair: group and variant hashes, from which inconsistent groups are found."""

    def __init__(self) -> None:
        # Per side, (group, variant) hashes interleaved, so they sort in place as records.
        self.rows = array("Q"), array("Q")

    def add(self, pairs: Iterable[Pair]) -> None:
        for pair in pairs:
            for rows, key in zip(self.rows, _group_keys(pair), strict=True):
                if key is not None:
                    rows.extend(key)

    def inconsistent(self) -> tuple[set[int], set[int]]:
        """EN and ZH group hashes seen with two or more distinct variants (sorts the rows)."""
        import numpy as np

        found: list[set[int]] = []
        for rows in self.rows:
            records = np.frombuffer(rows, dtype=[("group", "<u8"), ("variant", "<u8")])
            records.sort(order=("group", "variant"))  # in place: no index array per row
            group, variant = records["group"], records["variant"]
            same_group = group[1:] == group[:-1]
            # A row that starts a new variant inside the group of the row before it.
            another = same_group & (variant[1:] != variant[:-1])
            found.append({int(value) for value in group[1:][another]})
        return found[0], found[1]


Peer = tuple[int, Pair]
"""A pair's position in the input and the pair: the first of its variant in its group."""


@dataclass(frozen=True, slots=True)
class Peers:
    """For each group (same EN, or same ZH) with several variants: the first pair of each."""

    en: Mapping[int, tuple[Peer, ...]]
    zh: Mapping[int, tuple[Peer, ...]]

    def findings(self, index: int, pair: Pair) -> list[Finding]:
        """The consistency findings of the pair at `index`, as over the whole input."""
        if not self.en and not self.zh:
            return []  # no group of the input has two variants (most inputs): skip the hashing
        from review.checks.consistency import check_consistency

        found: list[Finding] = []
        for key, groups in zip(_group_keys(pair), (self.en, self.zh), strict=True):
            peers = groups.get(key[0], ()) if key is not None else ()
            # The check names the first pair in input order that differs; the first pair of
            # each variant stands for all its pairs, and two pairs decide what one pair finds.
            for position, peer in peers:
                if position != index:
                    mine = check_consistency([pair, peer]).get(pair.id)
                    if mine:
                        found.extend(mine)
                        break
        return found


NO_PEERS = Peers({}, {})


def collect_peers(chunks: Iterable[Sequence[Pair]], wanted: tuple[set[int], set[int]]) -> Peers:
    """The first pair of each variant in the wanted EN and ZH groups, in input order."""
    if not wanted[0] and not wanted[1]:
        return NO_PEERS
    found: tuple[dict[int, dict[int, Peer]], dict[int, dict[int, Peer]]] = ({}, {})
    index = 0
    for chunk in chunks:
        for pair in chunk:
            for side, key in enumerate(_group_keys(pair)):
                if key is not None and key[0] in wanted[side]:
                    found[side].setdefault(key[0], {}).setdefault(key[1], (index, pair))
            index += 1
    en, zh = ({group: tuple(v.values()) for group, v in side.items()} for side in found)
    return Peers(en, zh)


# --- scoring one chunk (the one code path every engine runs) --------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(glossary: Glossary | None) -> None:
    """Load the lexicon and the scorer once per worker process, not once per chunk."""
    from review.score import make_context

    _WORKER["ctx"] = make_context(glossary)
    _WORKER["glossary"] = _fingerprint(glossary)


def _fingerprint(glossary: Glossary | None) -> str:
    if glossary is None:
        return ""
    return hashlib.blake2b(pickle.dumps(glossary), digest_size=16).hexdigest()


def _context(glossary: Glossary | None) -> CheckContext:
    if "ctx" not in _WORKER or _WORKER["glossary"] != _fingerprint(glossary):
        _init_worker(glossary)
    ctx: CheckContext = _WORKER["ctx"]
    return ctx


def _order(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    # As `score_pairs` orders them: worst first, stable within a severity.
    return tuple(sorted(findings, key=lambda f: -f.severity.rank))


def score_chunk(
    chunk: Sequence[Pair], start: int, peers: Peers, glossary: Glossary | None
) -> list[Pair]:
    """Score the pairs at input positions start, start+1, … and add their consistency findings."""
    from review.score import collector_paused, load_scorer, score_many

    ctx, scorer = _context(glossary), load_scorer()
    scored = []
    # Chunks are scored in a process that does nothing else (review score, its workers).
    with collector_paused(freeze=True):
        for offset, (pair, result) in enumerate(
            zip(chunk, score_many(chunk, ctx, scorer), strict=True)
        ):
            extra = peers.findings(start + offset, pair)
            if extra:
                result = replace(result, findings=_order([*result.findings, *extra]))
            scored.append(result)
    return scored


def _score_task(task: tuple[bytes, int]) -> list[Pair]:
    frame, start = task
    chunk: list[Pair] = pickle.loads(frame)
    return score_chunk(chunk, start, _WORKER["peers"], _WORKER["glossary_object"])


# Ctrl-C and a closed terminal reach every process of the group: the parent stops the workers
# (SIGTERM, which ends them quietly), so they ignore those signals themselves.
_PARENT_STOPS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _inherited_ignore() -> Iterator[None]:
    """Ignore SIGINT/SIGHUP while workers start, so they start ignored (exec keeps SIG_IGN)."""
    try:
        saved = [(signum, signal.signal(signum, signal.SIG_IGN)) for signum in _PARENT_STOPS]
    except ValueError:  # not the main thread: signal handlers cannot be changed here
        yield
        return
    try:
        yield
    finally:
        for signum, handler in saved:
            signal.signal(signum, handler)


def _init_pool_worker(glossary: Glossary | None, peers: Peers) -> None:
    for signum in _PARENT_STOPS:
        signal.signal(signum, signal.SIG_IGN)
    _init_worker(glossary)
    _WORKER["glossary_object"] = glossary
    _WORKER["peers"] = peers


# --- the local streaming engine ---------------------------------------------------------------


def _spill(chunks: Iterable[list[Pair]], handle: IO[bytes], table: _KeyTable) -> int:
    """Pickle every chunk to `handle` as a frame and record its keys; returns the pair count."""
    count = 0
    for chunk in chunks:
        data = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(len(data).to_bytes(8, "little") + len(chunk).to_bytes(8, "little"))
        handle.write(data)
        table.add(chunk)
        count += len(chunk)
    handle.flush()
    return count


@contextlib.contextmanager
def _spill_file() -> Iterator[IO[bytes]]:
    try:
        spill = tempfile.TemporaryFile(prefix="review-score-")  # noqa: SIM115 - closed below
    except OSError as error:
        raise _spill_failed(error) from error
    with spill:
        yield spill


def _spill_failed(error: OSError) -> ReviewError:
    return ReviewError(
        f"{tempfile.gettempdir()}: cannot hold the input in the temporary folder"
        f" ({error.strerror or error})",
        hint="free some space there, or set TMPDIR to a folder with room",
    )


def _frames(handle: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """The spilled chunks as (pickled bytes, number of pairs), in order."""
    handle.seek(0)
    while header := handle.read(16):
        size, count = int.from_bytes(header[:8], "little"), int.from_bytes(header[8:], "little")
        yield handle.read(size), count


def _unspill(handle: IO[bytes]) -> Iterator[list[Pair]]:
    for frame, _ in _frames(handle):
        yield pickle.loads(frame)


def score_stream(
    pairs: Iterable[Pair],
    *,
    jobs: int,
    chunk_size: int = 1000,
    glossary: Glossary | None = None,
    progress: Progress | None = None,
) -> Iterator[Pair]:
    """Score `pairs` on `jobs` processes and yield them in input order, in flat memory.

    The output is the same for every `jobs` and equals `review.score.score_pairs` on the input.
    More jobs than the cores this process may use are not started (`default_jobs`).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    jobs = min(jobs, default_jobs())  # each worker holds its own lexicon: more only cost memory
    # An unlinked temporary file: nothing is left behind even if the process is killed.
    with _spill_file() as spill:
        table = _KeyTable()
        try:
            total = _spill(chunked(pairs, chunk_size), spill, table)
        except OSError as error:
            raise _spill_failed(error) from error
        peers = collect_peers(_unspill(spill), table.inconsistent())
        del table
        # One chunk is scored in this process: starting workers would cost more than it.
        results = _score_spilled(spill, peers, jobs if total > chunk_size else 1, glossary)
        yield from progress(results, total, "scoring") if progress is not None else results


def _score_spilled(
    spill: IO[bytes], peers: Peers, jobs: int, glossary: Glossary | None
) -> Iterator[Pair]:
    if jobs == 1:
        start = 0
        for chunk in _unspill(spill):
            yield from score_chunk(chunk, start, peers, glossary)
            start += len(chunk)
        return
    import multiprocessing

    # spawn: workers start clean (no copied locks or threads), as on macOS and Windows; each
    # loads the lexicon and receives the peers once, in its initializer. Chunks go to them as
    # the spilled bytes, so this process does not unpickle and pickle them again.
    context = multiprocessing.get_context("spawn")
    with _inherited_ignore():
        pool = context.Pool(jobs, initializer=_init_pool_worker, initargs=(glossary, peers))
    # Leaving the block (done, an error, Ctrl-C, SIGTERM) terminates the workers.
    with pool:
        # Pool.imap would read the whole input ahead; a bounded window keeps memory flat.
        window = jobs * _WINDOW_PER_JOB
        pending: deque[AsyncResult[list[Pair]]] = deque()
        start = 0
        for frame, count in _frames(spill):
            pending.append(pool.apply_async(_score_task, ((frame, start),)))
            start += count
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


# --- reading and writing ------------------------------------------------------------------------


def iter_source_pairs(
    path: str | Path,
    chunk_size: int = 1000,
    *,
    zh_lang: str | None = None,
    note: Callable[[str], None] | None = None,
) -> Iterator[Pair]:
    """The aligned pairs of one source: TSV and TMX streamed, other formats aligned whole.

    Pairs are exactly those of `align_document(read_source(path))`.
    """
    from review.align import align_document
    from review.ingest import detect_format, iter_blocks, read_source
    from review.ingest import doc_id as source_id

    fmt = detect_format(path)
    if fmt not in ("tsv", "tmx"):
        yield from align_document(read_source(path, zh_lang=zh_lang, note=note))
        return
    doc_id = source_id(path)
    en_next = zh_next = 0
    # Pre-aligned blocks (no headings) align one by one, so a chunk aligned on its own only
    # needs its sentence numbers shifted by the sentences of the chunks before it.
    for blocks in chunked(iter_blocks(path, zh_lang=zh_lang, note=note), chunk_size):
        en_count = zh_count = 0
        for pair in align_document(Document(doc_id, str(path), fmt, tuple(blocks))):
            en_ids = tuple(i + en_next for i in pair.en_ids)
            zh_ids = tuple(i + zh_next for i in pair.zh_ids)
            en_count, zh_count = en_count + len(en_ids), zh_count + len(zh_ids)
            yield replace(pair, id=pair_id(doc_id, en_ids, zh_ids), en_ids=en_ids, zh_ids=zh_ids)
        en_next, zh_next = en_next + en_count, zh_next + zh_count


def iter_input_pairs(
    sources: Sequence[str | Path],
    en: str | Path | None = None,
    zh: str | Path | None = None,
    *,
    presegmented: bool = False,
    parallel: bool = False,
    zh_lang: str | None = None,
    note: Callable[[str], None] | None = None,
) -> Iterator[Pair]:
    """The pairs of every source, then of the EN/ZH document pair, as `review score` reads them."""
    for source in sources:
        yield from iter_source_pairs(source, zh_lang=zh_lang, note=note)
    if en is not None or zh is not None:
        from review.align import align_document
        from review.ingest import read_document_pair

        document = read_document_pair(en, zh, presegmented=presegmented, parallel=parallel)
        yield from align_document(document)


def pair_json(pair: Pair) -> str:
    """One JSONL line (without newline) for a scored pair."""
    return json.dumps(pair.to_dict(), ensure_ascii=False)


def write_jsonl(pairs: Iterable[Pair], path: str | Path) -> int:
    """Write pairs as JSONL progressively into a temp file renamed over `path` at the end."""
    from review.atomic import atomic_write

    count = 0
    with atomic_write(path) as handle:
        text = cast(IO[str], handle)
        for pair in pairs:
            text.write(pair_json(pair) + "\n")
            count += 1
    return count


# --- the Dask engine ----------------------------------------------------------------------------

_PARQUET_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("doc_id", "string"),
    ("en", "string"),
    ("zh", "string"),
    ("en_ids", "ids"),
    ("zh_ids", "ids"),
    ("line", "int"),
    ("kind", "string"),
    ("section", "string"),
    ("boilerplate", "bool"),
    ("align_confidence", "float"),
    ("divergence", "float"),
    ("flagged", "bool"),
    ("findings", "findings"),
)


def _parquet_schema() -> Any:
    import pyarrow as pa

    ids = pa.list_(pa.int64())
    finding = pa.struct(
        [
            ("code", pa.string()),
            ("severity", pa.string()),
            ("message", pa.string()),
            ("en_span", ids),
            ("zh_span", ids),
        ]
    )
    types = {
        "string": pa.string(),
        "ids": ids,
        "int": pa.int64(),
        "bool": pa.bool_(),
        "float": pa.float64(),
        "findings": pa.list_(finding),
    }
    return pa.schema([(name, types[kind]) for name, kind in _PARQUET_FIELDS])


def _write_parquet_part(pairs: Sequence[Pair], indices: Sequence[int], folder: str) -> list[int]:
    """Write one partition as `part-NNNNN.parquet` in `folder`; returns [its row count]."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([pair.to_dict() for pair in pairs], schema=_parquet_schema())
    pq.write_table(table, os.path.join(folder, f"part-{indices[0]:05d}.parquet"))
    return [len(pairs)]


def _jsonl_part(pairs: Sequence[Pair]) -> list[str]:
    return [pair_json(pair) + "\n" for pair in pairs]


def _peers_part(pairs: Sequence[Pair], starts: Sequence[int], wanted: Any) -> list[Any]:
    """The first pair of each variant of the wanted groups within one partition."""
    peers = collect_peers([pairs], wanted)
    start = starts[0]
    shift = {
        side: {g: tuple((i + start, p) for i, p in v) for g, v in groups.items()}
        for side, groups in (("en", peers.en), ("zh", peers.zh))
    }
    return [shift]


def _merge_peers(parts: Iterable[Sequence[Any]]) -> Peers:
    """Merge partitions in input order: the earliest pair of each variant wins."""
    found: dict[str, dict[int, dict[int, Peer]]] = {"en": {}, "zh": {}}
    for (part,) in parts:
        for side in ("en", "zh"):
            for group, peers in part[side].items():
                variants = found[side].setdefault(group, {})
                for index, pair in peers:
                    by_en, by_zh = _group_keys(pair)
                    key = by_en if side == "en" else by_zh
                    assert key is not None
                    variants.setdefault(key[1], (index, pair))
    en, zh = ({g: tuple(v.values()) for g, v in found[side].items()} for side in ("en", "zh"))
    return Peers(en, zh)


def _score_partition(
    pairs: Sequence[Pair], starts: Sequence[int], peers: Peers, glossary: Glossary | None
) -> list[Pair]:
    return score_chunk(pairs, starts[0], peers, glossary)


def score_dask(
    pairs: Iterable[Pair],
    out: str | Path,
    *,
    scheduler: str | None = None,
    client: Any = None,
    chunk_size: int = 1000,
    glossary: Glossary | None = None,
    progress: Progress | None = None,
) -> int:
    """Score `pairs` on a Dask cluster and write JSONL (`out` file) or Parquet parts (`out/`).

    Connects to `scheduler` (e.g. tcp://host:8786), uses `client`, or starts a LocalCluster.
    The input is read here once and scattered to the workers partition by partition; each
    partition is scored by `score_chunk`, so the JSONL equals the local engine's byte for byte.
    """
    import dask
    import dask.bag as db
    from distributed import Client, LocalCluster

    target = Path(out)
    own: list[Any] = []
    if client is None:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=default_jobs(), threads_per_worker=1, dashboard_address=None
            )
            own.append(cluster)
            client = Client(cluster)
        else:
            client = Client(scheduler)
        own.insert(0, client)
    try:
        table = _KeyTable()
        futures, starts, total = [], [], 0
        for chunk in chunked(pairs, chunk_size):
            table.add(chunk)
            # A one-item list: scatter sends the chunk as one object, not pair by pair.
            futures.append(client.scatter([chunk])[0])
            starts.append(total)
            total += len(chunk)
        if not futures:
            futures, starts = [client.scatter([[]])[0]], [0]
        raw = db.from_delayed([dask.delayed(future) for future in futures])
        offsets = db.from_sequence(starts, npartitions=len(starts))
        wanted = table.inconsistent()
        del table
        peers = NO_PEERS
        if wanted[0] or wanted[1]:
            parts = db.map_partitions(_peers_part, raw, offsets, wanted).to_delayed()
            peers = _merge_peers(client.compute(parts, sync=True))
        shared = client.scatter(peers, broadcast=True)
        scored = db.map_partitions(_score_partition, raw, offsets, shared, glossary)
        if target.suffix == ".parquet":
            return _write_parquet_parts(client, scored, target, progress, total)
        return _write_jsonl_parts(client, scored, target, progress, total)
    finally:
        for resource in own:
            resource.close()


def _shown(items: Iterable[Any], total: int, progress: Progress | None) -> Iterable[Any]:
    return progress(items, total, "scoring on dask") if progress is not None else items


def _write_jsonl_parts(
    client: Any, scored: Any, target: Path, progress: Progress | None, total: int
) -> int:
    """Fetch the partitions' JSONL in input order into a temp file renamed over `target`."""
    from review.atomic import atomic_write

    def lines() -> Iterator[str]:
        for future in client.compute(scored.map_partitions(_jsonl_part).to_delayed()):
            part = future.result()
            future.release()
            yield from part

    count = 0
    with atomic_write(target) as handle:
        text = cast(IO[str], handle)
        for line in _shown(lines(), total, progress):
            text.write(line)
            count += 1
    return count


def _write_parquet_parts(
    client: Any, scored: Any, target: Path, progress: Progress | None, total: int
) -> int:
    """Workers write parts into a temp folder beside `target`, renamed over it at the end."""
    import shutil

    import dask.bag as db

    from review.errors import ExportError

    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{target}: folder {directory} does not exist")
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: exists and is not a folder of Parquet parts")
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory))
    try:
        indices = db.from_sequence(range(scored.npartitions), npartitions=scored.npartitions)
        writes = db.map_partitions(_write_parquet_part, scored, indices, str(temp))

        def rows() -> Iterator[None]:
            for future in client.compute(writes.to_delayed()):
                yield from [None] * int(future.result()[0])

        count = sum(1 for _ in _shown(rows(), total, progress))
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=directory))
            os.replace(target, old / "parts")
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return count


class Counted(Iterator[T]):
    """Pass items through and count them, for a 'wrote N pairs' after streaming them out."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self.count = 0

    def __next__(self) -> T:
        item = next(self._items)
        self.count += 1
        return item
