"""The review App: owns a ReviewSession and shows the review screen; nothing else."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App

from review.session import ReviewSession
from review.tui.screens import ReviewScreen


class ReviewApp(App[None]):
    """A thin shell over a `ReviewSession`: the screen maps keys to session calls."""

    CSS_PATH: ClassVar[str] = "review.tcss"
    TITLE = "review"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.session))


def run(session: ReviewSession) -> None:
    """Run the review UI in the terminal until the reviewer quits."""
    ReviewApp(session).run()
