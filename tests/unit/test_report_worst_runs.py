"""Worst pairs: 25 entries everywhere, and a run of untranslated sentences is one entry."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from rich.console import Console

from review.cli import cli
from review.model import Action, Finding, Pair, Severity
from review.report import build_report
from review.report.html import render_html
from review.report.model import WORST, Report
from review.report.serialize import to_dict
from review.report.text import render_text
from review.store import ProjectStore
from tests.unit.test_report import _pair

UNTRANSLATED = "untranslated"
# Twelve sentences of the seed article's untranslated "Capacity Building" and "Energy" paragraphs.
CAPACITY = [
    "China has been instrumental in supporting Pakistan’s efforts to build technological "
    "capabilities through skill transfer programs and educational exchanges.",
    "Scholarships, training programs, and collaborative projects have allowed Pakistani students "
    "and professionals to benefit from China’s advanced technological ecosystem.",
    "This exchange of knowledge and expertise contributes to human capital development, "
    "fostering innovation and competitiveness.",
    "Currently around 30,000 Pakistani youths are studying in various Chinese Universities.",
    "China has become the largest resource for developing scientific human resource for Pakistan.",
    "In the digital age, the role of Information and Communication Technology (ICT) cannot be "
    "overstated.",
    "China and Pakistan have recognized the importance of ICT in driving economic growth.",
    "Projects like the Huawei Technical Support Centre in Islamabad show this commitment.",
    "Several Hi-tech Chinese companies are operating in Pakistan.",
    "Both China and Pakistan are committed to sustainable development.",
    "Projects such as the Quaid-e-Azam Solar Park in Punjab show the results.",
    "China is instrumental in improving the Energy mix of Pakistan.",
]
# Translated pairs with real problems, each a little less divergent than the untranslated ones.
TRANSLATED = [
    (
        "Currently around 30,000 Pakistani youths study in China.",
        "目前约有3000名巴基斯坦青年在中国学习。",
    ),
    ("The agreement was signed by Ahsan Iqbal.", "该协议由阿西夫·阿里签署。"),
    (
        "ZTE and Jazz tested 5G services in Lahore and Karachi.",
        "中兴通讯和Jazz在拉合尔测试了5G服务。",
    ),
    ("Lunch will be served at 1 p.m. in Hall B.", "午餐将于下午2点在B厅供应。"),
    ("The forum opens on 12 March.", "论坛将于3月21日开幕。"),
]


def _untranslated(n: int, line: int, section: str, **more: object) -> Pair:
    finding = Finding(UNTRANSLATED, Severity.MAJOR, "No Chinese for this English.", (0, 10), None)
    en = CAPACITY[n % len(CAPACITY)]
    return _pair(n, en, "", 0.5132, section, line=line, findings=(finding,), **more)


def _translated(n: int, en: str, zh: str, divergence: float, line: int, section: str) -> Pair:
    finding = Finding("number-mismatch", Severity.CRITICAL, "The numbers differ.", (0, 4), (0, 2))
    return _pair(n, en, zh, divergence, section, line=line, findings=(finding,))


def _article() -> list[Pair]:
    """30 untranslated sentences in two paragraphs of one section, then five translated pairs."""
    pairs = [_untranslated(n, 18 if n < 15 else 20, "Capacity Building") for n in range(30)]
    pairs += [
        _translated(30 + i, en, zh, 0.50 - i / 100, 22 + i, "Energy")
        for i, (en, zh) in enumerate(TRANSLATED)
    ]
    return pairs


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(_article(), sources=["catalyst.txt"])


def test_one_untranslated_section_is_one_entry_so_other_problems_stay_listed(
    report: Report,
) -> None:
    # Without grouping the 25 slots would hold 25 of the 30 untranslated sentences and nothing else.
    assert len(report.worst) == 6
    run = report.worst[0]
    assert [p.en_ids[0] for p in run.run] == list(range(30))
    assert run.pair is run.run[0] and run.divergence == pytest.approx(0.5132)
    assert run.summary() == "30 untranslated sentences, lines 18–20"
    assert [w.pair.en for w in report.worst[1:]] == [en for en, _ in TRANSLATED]
    assert [w.rank for w in report.worst] == [1, 2, 3, 4, 5, 6]


def test_runs_break_at_a_translated_pair_a_section_and_boilerplate() -> None:
    heading = _translated(3, *TRANSLATED[0], 0.2, 12, "Energy")
    pairs = [
        _untranslated(0, 10, "Capacity Building"),
        _untranslated(1, 10, "Capacity Building"),
        _untranslated(2, 11, "Energy"),  # another section
        heading,  # a translated pair between
        _untranslated(4, 13, "Energy"),
        _untranslated(5, 14, "Energy", boilerplate=True),  # web chrome is not the article
    ]
    worst = build_report(pairs).worst
    groups = sorted([p.en_ids[0] for p in w.pairs] for w in worst)
    assert groups == [[0, 1], [2], [3], [4], [5]]
    assert [w.summary() for w in worst if w.run] == ["2 untranslated sentences, line 10"]


def test_chinese_only_sentences_in_a_row_are_one_entry_too() -> None:
    note = ["( 注意: 本文章有百度翻译的, 很可能有差异。", "请参考原版英文的。", "谢谢"]
    zh_only = Finding("zh-only", Severity.MINOR, "Chinese with no English.", None, (0, 2))
    pairs = [
        _pair(n, "", zh, 0.5132, "", line=62, findings=(zh_only,)) for n, zh in enumerate(note)
    ]
    (entry,) = build_report(pairs).worst
    assert [p.zh for p in entry.run] == note
    assert entry.summary() == "3 Chinese sentences with no English, line 62"


def test_a_corrected_or_differently_decided_pair_leaves_the_run(tmp_path: Path) -> None:
    pairs = [_untranslated(n, 18, "Capacity Building") for n in range(6)]
    path = tmp_path / "p.review"
    with ProjectStore.create(path, pairs, source="catalyst.txt", signature="s") as store:
        store.record(pairs[2].id, Action.CORRECT, "li", {"text": "中国一直在支持巴基斯坦。"})
        store.record(pairs[4].id, Action.REJECT, "li")
        states = store.states()
    worst = build_report([], states=states).worst
    groups = sorted([p.en_ids[0] for p in w.pairs] for w in worst)
    assert groups == [[0, 1], [2], [3], [4], [5]]
    corrected = next(w for w in worst if w.pair.id == pairs[2].id)
    assert corrected.final_zh == "中国一直在支持巴基斯坦。" and not corrected.run


def test_html_text_and_json_show_the_same_entries(report: Report) -> None:
    data = to_dict(report)
    assert data["schema"] == "review-report/2"
    entries = data["worst"]
    assert [e["id"] for e in entries] == [w.pair.id for w in report.worst]
    assert entries[0]["run"]["kind"] == "untranslated"
    assert entries[0]["run"]["summary"] == "30 untranslated sentences, lines 18–20"
    assert [p["id"] for p in entries[0]["run"]["pairs"]] == [p.id for p in report.worst[0].run]
    assert all(e["run"] is None for e in entries[1:])

    page = lxml.html.document_fromstring(render_html(report))
    rows = page.xpath('//section[@id="worst"]//tbody/tr')
    assert len(rows) == len(entries)
    first = rows[0]
    assert len(first.xpath('.//details[@class="run"]//li')) == 29  # the first sentence is shown
    assert "30 untranslated sentences, lines 18–20" in first.text_content()
    (finding,) = first.xpath('.//ul[@class="findings"]/li')
    assert " ".join(finding.text_content().split()) == (
        "major untranslated No Chinese for this English. ×30"
    )

    console = Console(record=True, width=160, color_system=None)
    console.print(render_text(report))
    text = console.export_text()
    assert f"The {len(entries)} most divergent pairs" in text
    assert "(30 untranslated sentences, lines 18–20)" in text
    assert "untranslated ×30" in text
    assert text.count("Scholarships, training programs") == 0  # folded into the run's entry


def test_terminal_lists_the_same_25_worst_pairs_as_the_html() -> None:
    pairs = [
        _translated(
            n,
            f"In 2023 the port handled {n} million tonnes.",
            f"港口处理了{n + 1}百万吨。",
            0.9 - n / 100,
            n + 1,
            "Energy",
        )
        for n in range(40)
    ]
    report = build_report(pairs)
    assert len(report.worst) == WORST == 25
    console = Console(record=True, width=200, color_system=None)
    console.print(render_text(report))
    text = console.export_text()
    assert "The 25 most divergent pairs" in text
    listed = [n for n in range(40) if f"handled {n} million" in text]
    assert listed == list(range(25))  # the 25 highest, none of the 15 below them
    page = lxml.html.document_fromstring(render_html(report))
    assert len(page.xpath('//section[@id="worst"]//tbody/tr')) == 25


def test_seed_article_worst_list_reaches_past_its_untranslated_paragraphs(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "corpus" / "science-and-technology-catalyst.txt"
    out = tmp_path / "seed.json"
    result = CliRunner().invoke(cli, ["report", str(seed), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = [p["id"] for e in data["worst"] for p in (e["run"]["pairs"] if e["run"] else [e])]
    assert len(ids) == len(set(ids))  # no pair is listed twice
    capacity = [e for e in data["worst"] if e["section"] == "Capacity Building and Skill Transfer"]
    run = next(e["run"] for e in capacity if e["run"])
    assert run["summary"] == "5 untranslated sentences, line 18"
    # every translated pair that has a finding is listed, the headings' mistranslations among them
    translated = [p["id"] for p in data["pairs"] if p["kind"] == "translated" and p["findings"]]
    assert set(translated) <= set(ids)
