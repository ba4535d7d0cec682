"""Build or reopen the project `review open` reviews, before the UI starts.

Reading, aligning and scoring (and loading the dictionary for it) take seconds on a long text;
doing it here, with progress lines, keeps the UI's event loop free from its first frame.
"""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from review.errors import InputError, ProjectError
from review.session import ReviewSession
from review.store import ProjectStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED_ARTICLE = CORPUS / "science-and-technology-catalyst.txt"
"""The bundled sample `review open` shows when it is given no source."""

PROJECT_SUFFIX = ".review.sqlite"

Progress = Callable[[str], None]


def default_reviewer() -> str:
    """$REVIEW_REVIEWER, else the login name, else `reviewer`."""
    name = os.environ.get("REVIEW_REVIEWER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return "reviewer"


def default_project(sources: Sequence[Path], en: Path | None) -> Path:
    """`<stem of the first source>.review.sqlite` in the current folder."""
    first = sources[0] if sources else en if en is not None else SEED_ARTICLE
    return Path.cwd() / f"{first.stem}{PROJECT_SUFFIX}"


def open_session(
    sources: Sequence[Path],
    *,
    en: Path | None = None,
    zh: Path | None = None,
    project: Path | None = None,
    reviewer: str | None = None,
    readonly: bool = False,
    progress: Progress = lambda line: None,
) -> ReviewSession:
    """Reopen `project` when it exists, else build it from the sources; return a session on it."""
    if not sources and en is None and zh is None:
        if not SEED_ARTICLE.is_file():
            raise InputError(str(SEED_ARTICLE), "the bundled seed article is missing",
                             hint="pass a SOURCE file to review")  # fmt: skip
        sources = [SEED_ARTICLE]
    path = project if project is not None else default_project(sources, en)
    if path.exists():
        progress(f"review: reopening {path}")
        store = ProjectStore.open(path, readonly=readonly)
        built_from = store.get_meta("source")
        if built_from is not None and built_from != _source_text(sources, en, zh):
            progress(f"review: note: {path.name} was built from {built_from}; "
                     "remove it or pass --project to build a new one")  # fmt: skip
    elif readonly:
        raise ProjectError(f"{path}: no such project file",
                           hint="open it once without --readonly to build it")  # fmt: skip
    else:
        store = build_project(path, sources, en=en, zh=zh, progress=progress)
    try:
        return ReviewSession(store, reviewer or default_reviewer())
    except BaseException:
        store.close()
        raise


def build_project(
    path: Path,
    sources: Sequence[Path],
    *,
    en: Path | None,
    zh: Path | None,
    progress: Progress,
) -> ProjectStore:
    """Read, align and score the material, then store it as a new project at `path`."""
    from review.pipeline import align_documents, load_documents, score
    from review.score import signature

    started = time.perf_counter()
    progress(f"review: reading {', '.join(_named(sources, en, zh))}")
    pairs = align_documents(load_documents(sources, en, zh))
    progress(f"review: aligned {len(pairs)} pairs; scoring them")
    scored = score(pairs)
    source = _source_text(sources, en, zh)
    store = ProjectStore.create(path, scored, source=source, signature=signature())
    seconds = time.perf_counter() - started
    progress(f"review: built {path} ({len(scored)} pairs, {seconds:.1f} s)")
    return store


def _named(sources: Sequence[Path], en: Path | None, zh: Path | None) -> list[str]:
    return [*map(str, sources), *(str(p) for p in (en, zh) if p is not None)]


def _source_text(sources: Sequence[Path], en: Path | None, zh: Path | None) -> str:
    """What a project records as its source, to tell a reopen from different material."""
    return " ".join(_named(sources, en, zh))
