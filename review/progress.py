"""The progress hook the core accepts: the shells pass a function that wraps an iterable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Wraps `items` (about `total` of them) and yields them unchanged while showing progress.

    The core calls it around its slow per-item loops; `review.cli._progress` draws a rich bar
    on stderr when stderr is a terminal. The core never draws anything itself.
    """

    def __call__(self, items: Iterable[T], total: int, label: str, /) -> Iterable[T]: ...


def quiet(items: Iterable[T], total: int, label: str, /) -> Iterable[T]:
    """The do-nothing progress hook."""
    return items
