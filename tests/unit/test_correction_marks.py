"""Reports and exports mark the corrected pairs whose correction still has findings."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from rich.console import Console

from review.correction import correction_findings
from review.export import ExportOptions
from review.export.tmx import CORRECTION_FINDING_PROP, tmx_bytes
from review.model import Action, Pair
from review.report import build_report
from review.report.html import render_html
from review.report.serialize import pair_rows, to_dict
from review.report.text import render_text
from review.score import score_pairs
from review.store import ProjectStore
from tests.unit.test_checks import SEED_MEDIA_EN, SEED_MEDIA_ZH

YOUTHS_EN = "Currently around 30,000 Pakistani youths are studying in various Chinese Universities."
YOUTHS_ZH = "目前，约有3000名巴基斯坦青年在中国各大学学习。"
KEPT_NAME = SEED_MEDIA_ZH.replace("此次", "这次")
GOOD_NUMBER = YOUTHS_ZH.replace("3000", "30000")


def _project(tmp_path: Path) -> ProjectStore:
    pairs = score_pairs(
        [
            Pair(id="seed:e1:z1", doc_id="seed", en=SEED_MEDIA_EN, zh=SEED_MEDIA_ZH),
            Pair(id="seed:e2:z2", doc_id="seed", en=YOUTHS_EN, zh=YOUTHS_ZH),
        ]
    )
    store = ProjectStore.create(tmp_path / "p.review.sqlite", pairs, source="t", signature="t")
    store.record("seed:e1:z1", Action.CORRECT, "ada", {"text": KEPT_NAME})
    store.record("seed:e2:z2", Action.CORRECT, "ada", {"text": GOOD_NUMBER})
    return store


def test_the_report_lists_the_correction_that_keeps_the_wrong_name(tmp_path: Path) -> None:
    with _project(tmp_path) as store:
        states = store.states()
    report = build_report([], states=states)
    assert [s.pair.id for s in report.corrections_with_findings] == ["seed:e1:z1"]
    assert "wrong-entity" in {f.code for f in report.correction_findings["seed:e1:z1"]}

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(render_text(report))
    text = console.export_text()
    assert "1 corrected pair whose correction still has findings" in text
    assert "这次活动" in text and "wrong-entity" in text

    html = render_html(report)
    section = html[html.index('<section id="corrections">') :]
    section = section[: section.index("</section>")]
    assert 'class="sev-critical"' in section and "张成泽" in section and "这次" in section
    assert "30000" not in section  # the clean correction is not listed

    rows = {row["id"]: row for row in pair_rows(report)}
    assert "wrong-entity:critical" in rows["seed:e1:z1"]["correction_findings"]
    assert rows["seed:e2:z2"]["correction_findings"] == ""
    [entry] = to_dict(report)["corrections_with_findings"]
    assert entry["correction"] == KEPT_NAME


def test_the_tmx_export_carries_the_correction_findings(tmp_path: Path) -> None:
    with _project(tmp_path) as store:
        states = store.states()
    options = ExportOptions(correction_findings=correction_findings(states))
    data, count = tmx_bytes(states, options)
    assert count == 2
    tree = etree.fromstring(data)
    props = {
        tu.get("tuid"): [
            p.text for p in tu.findall("prop") if p.get("type") == CORRECTION_FINDING_PROP
        ]
        for tu in tree.iter("tu")
    }
    assert props["seed:e2:z2"] == []
    assert any(
        p.startswith("critical|wrong-entity|") and "张成泽" in p for p in props["seed:e1:z1"]
    )
