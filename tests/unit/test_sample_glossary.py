"""The README's glossary example, run as written on the bundled sample glossary."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from review.cli import cli
from review.lexicon import load_glossary

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = "corpus/glossary.tsv"


def _readme_glossary_commands() -> list[list[str]]:
    """Every `review score … --glossary corpus/glossary.tsv` line of the README's code blocks."""
    tokens = MarkdownIt().parse((ROOT / "README.md").read_text(encoding="utf-8"))
    commands = []
    for token in tokens:
        if token.type != "fence":
            continue
        for line in token.content.splitlines():
            command = line.removeprefix("$ ").split("#")[0].split("|")[0]
            if command.startswith("review score") and f"--glossary {GLOSSARY}" in command:
                commands.append(shlex.split(command))
    return commands


def _findings(args: list[str]) -> dict[str, list[dict[str, object]]]:
    """Run `review score` as the README does, as JSONL: findings by pair id."""
    options = [a for a in args[2:] if a not in ("--format", "tsv", "text")]
    cwd = os.getcwd()
    os.chdir(ROOT)  # the README's paths are relative to the repository
    try:
        result = CliRunner().invoke(cli, ["score", *options, "--format", "jsonl"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return {row["id"]: row["findings"] for row in rows}


def _glossary(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f["code"], f["message"]) for f in findings if str(f["code"]).startswith("glossary")]


def test_readme_uses_the_sample_glossary() -> None:
    commands = _readme_glossary_commands()
    assert commands, "the README shows `review score … --glossary corpus/glossary.tsv`"
    assert all(c[:2] == ["review", "score"] for c in commands)
    entries = load_glossary(ROOT / GLOSSARY).entries
    assert len(entries) == 28
    assert {e.en for e in entries} >= {"Ahsan Iqbal", "Karachi", "Huawei", "initiative"}


@pytest.mark.parametrize("args", _readme_glossary_commands(), ids=" ".join)
def test_readme_glossary_command_flags_the_violated_terms(args: list[str]) -> None:
    by_pair = _findings(args)
    # Row 5 names Ahsan Iqbal 阿西夫·阿里: the required name is missing and a forbidden one is used.
    assert _glossary(by_pair["sample:e4:z4"]) == [
        ("glossary-term", "Glossary: “Ahsan Iqbal” must be translated as 阿赫桑·伊克巴尔."),
        (
            "glossary-forbidden",
            "Glossary: 阿西夫·阿里 is a forbidden rendering of “Ahsan Iqbal”; use 阿赫桑·伊克巴尔.",
        ),
    ]
    forbidden = next(f for f in by_pair["sample:e4:z4"] if f["code"] == "glossary-forbidden")
    assert forbidden["zh_span"] == [4, 10]  # 该协议由[阿西夫·阿里]和…
    # Row 13 drops Karachi (卡拉奇).
    assert _glossary(by_pair["sample:e12:z12"]) == [
        ("glossary-term", "Glossary: “Karachi” must be translated as 卡拉奇.")
    ]
    # Rows that keep to the glossary (瓜达尔港, 喀喇昆仑公路 … 伊斯兰堡, 华为) have no finding.
    clean = [pid for pid, found in by_pair.items() if not _glossary(found)]
    assert {"sample:e0:z0", "sample:e2:z2", "sample:e3:z3", "sample:e6:z6"} <= set(clean)
    assert len(by_pair) - len(clean) == 2


def test_sample_glossary_on_the_seed_article_flags_its_known_errors(tmp_path: Path) -> None:
    seed = ROOT / "corpus" / "science-and-technology-catalyst.txt"
    result = CliRunner().invoke(cli, ["score", str(seed), "--glossary", str(ROOT / GLOSSARY)])
    assert result.exit_code == 0, result.output
    found = {
        (row["en"][:36], f["code"], f["message"])
        for row in map(json.loads, result.stdout.splitlines())
        for f in row["findings"]
        if f["code"].startswith("glossary")
    }
    assert found == {
        (
            "Research and Development Initiatives",
            "glossary-term",
            "Glossary: “Initiatives” must be translated as 倡议.",
        ),
        (
            "The event also had significant prese",
            "glossary-term",
            "Glossary: “Jang Media Group” must be translated as Jang传媒集团.",
        ),
        (
            "The event also had significant prese",
            "glossary-forbidden",
            "Glossary: 张成泽 is a forbidden rendering of “Jang Media Group”; use Jang传媒集团.",
        ),
    }
