"""Pair-list row pieces: cell-exact snippets for CJK text and the divergence bar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from review.tui.widgets import BAR_CELLS, divergence_bar, divergence_level, fit_cells


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("目前，约有3000名巴基斯坦青年", 10, "目前，约… "),  # a wide char does not fit in 1
        ("目前，约有3000名巴基斯坦青年", 11, "目前，约有…"),
        ("研发计划", 10, "研发计划  "),
        ("“Infodor媒体沙龙”", 12, "“Infodor媒… "),
        ("Research and\nDevelopment", 30, "Research and Development" + " " * 6),
        ("abc", 0, ""),
    ],
)
def test_fit_cells_counts_terminal_cells_not_characters(
    text: str, width: int, expected: str
) -> None:
    assert fit_cells(text, width) == expected
    assert cell_len(fit_cells(text, width)) == width


@given(st.text(alphabet=st.sampled_from("科学技术。，“”—…ab 1\n"), max_size=80),
       st.integers(min_value=1, max_value=60))
def test_fit_cells_is_always_exactly_the_width(text: str, width: int) -> None:
    assert cell_len(fit_cells(text, width)) == width


@pytest.mark.parametrize(
    ("value", "filled", "level"),
    [(None, "", "none"), (0.0, "", "low"), (0.5, "████", "mid"), (1.0, "█" * 8, "high"),
     (0.91, "███████▎", "high"), (0.35, "██▊", "mid"), (0.12, "█", "low")],
)
def test_divergence_bar_in_eighths(value: float | None, filled: str, level: str) -> None:
    bar, empty = divergence_bar(value)
    assert bar == filled
    assert cell_len(bar + empty) == BAR_CELLS
    assert divergence_level(value) == level
