"""The functional core never imports the UI or CLI libraries."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import review

SHELLS = {"review.cli", "review.__main__"}


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(review.__path__, prefix="review.")
        if info.name not in SHELLS and not info.name.startswith("review.tui")
    ]
    return ["review", *names]


def test_core_imports_neither_textual_nor_click() -> None:
    modules = core_modules()
    assert "review.model" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'click'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core imported {result.stdout.strip()}"
