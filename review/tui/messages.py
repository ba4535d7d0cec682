"""Messages the review widgets post up to the screen, which decides what they mean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from review.correction import CorrectionQA


class CursorMoved(Message):
    """The reviewer moved the pair list's cursor to a row (a position in the session's order)."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class GlossesReady(Message):
    """Dictionary glosses for a pair's Chinese were computed off the event loop."""

    def __init__(self, zh: str, glosses: tuple[tuple[str, str, tuple[str, ...]], ...]) -> None:
        super().__init__()
        self.zh = zh
        self.glosses = glosses


class CorrectionChecked(Message):
    """The correction being typed was rescored off the event loop."""

    def __init__(self, qa: CorrectionQA, save: bool) -> None:
        super().__init__()
        self.qa = qa
        self.save = save  # the reviewer asked to save this text while it was being checked
