"""Batch report numbers against hand-computed values on a small reviewed project."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import lxml.html
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from sacrebleu.metrics import BLEU, CHRF, TER

from review.model import Action, Finding, Pair, ReviewState, Severity, Status, pair_id
from review.report import build_report, match_reference
from review.report.counts import count_en, count_zh
from review.report.html import marked, render_html, write_html
from review.report.inputs import is_project
from review.report.model import Report, highlight_spans, histogram
from review.report.serialize import CSV_FIELDS, SCHEMA, to_dict, write_csv, write_json
from review.report.text import render_text
from review.store import ProjectStore

DOC = "catalyst"
CAPACITY = "Capacity Building"
ENERGY = "Energy"
NUMBERS = Finding(
    "number-mismatch",
    Severity.MAJOR,
    "30,000 in English but 3000 in Chinese <b>",
    en_span=(17, 23),
    zh_span=(4, 8),
)
UNTRANSLATED = Finding("untranslated", Severity.CRITICAL, "no Chinese", en_span=(0, 13))
CORRECTION = "目前约有3万名巴基斯坦青年在中国学习。"


def _pair(n: int, en: str, zh: str, div: float, section: str, **more: object) -> Pair:
    en_ids, zh_ids = ((n,) if en else ()), ((n,) if zh else ())
    return Pair(
        id=pair_id(DOC, en_ids, zh_ids),
        doc_id=DOC,
        en=en,
        zh=zh,
        en_ids=en_ids,
        zh_ids=zh_ids,
        section=section,
        divergence=div,
        flagged=div >= 0.5,
        **more,  # type: ignore[arg-type]
    )


# Hand counts: EN words / non-space chars; ZH jieba words / chars / Han.
P1 = _pair(
    1,
    "Currently around 30,000 Pakistani youths study in China.",  # 8 words, 49 chars
    "目前约有3000名巴基斯坦青年在中国学习。",  # 10 words, 21 chars, 16 Han
    0.82,
    CAPACITY,
    findings=(NUMBERS,),
)
P2 = _pair(
    2,
    "China has become the largest resource.",  # 6 words, 33 chars
    "中国已成为最大的资源。",  # 6 words, 11 chars, 10 Han
    0.05,
    CAPACITY,
)
P3 = _pair(
    3,
    "Leave a Reply",  # 3 words, 11 chars
    "",
    1.0,
    CAPACITY,
    boilerplate=True,
    findings=(UNTRANSLATED,),
)
P4 = _pair(4, "", "译者注：本文有删节。", 0.35, ENERGY)  # 5 words, 10 chars, 8 Han
P5 = _pair(
    5,
    "Science and technology is the catalyst of development.",  # 8 words, 47 chars
    "科学技术是发展的催化剂",  # 5 words, 11 chars, 11 Han
    0.1,
    ENERGY,
)
PAIRS = (P1, P2, P3, P4, P5)
# 20 bins of 0.05: 0.05 → bin 1, 0.1 → bin 2, 0.35 → bin 7, 0.82 → bin 16, 1.0 → the last bin.
HIST = [0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "catalyst.review"
    store = ProjectStore.create(path, PAIRS, source="catalyst.txt", signature="test-scorer/1")
    with store:
        store.record(P1.id, Action.CORRECT, "li", {"text": CORRECTION})
        store.record(P1.id, Action.COMMENT, "li", {"text": "30,000 is 3万"})
        store.record(
            P1.id, Action.MQM, "li", {"category": "accuracy/mistranslation", "severity": "major"}
        )
        store.record(P2.id, Action.ACCEPT, "li")
        store.record(P3.id, Action.REJECT, "wang")
        store.record(
            P3.id, Action.MQM, "wang", {"category": "accuracy/untranslated", "severity": "critical"}
        )
        store.record(P5.id, Action.ACCEPT, "wang")
        store.record(
            P5.id, Action.MQM, "wang", {"category": "fluency/punctuation", "severity": "minor"}
        )
    return path


@pytest.fixture(scope="module")
def states(project: Path) -> list[ReviewState]:
    with ProjectStore.open(project, readonly=True) as store:
        return store.states()


@pytest.fixture(scope="module")
def report(states: list[ReviewState]) -> Report:
    return build_report(
        [],
        states=states,
        sources=["catalyst.review"],
        scorer_signature="test-scorer/1",
        flag_threshold=0.5,
    )


@pytest.mark.parametrize(
    ("text", "words", "chars"),
    [
        (P1.en, 8, 49),
        ("China’s Belt-and-Road isn't new.", 4, 29),
        ("U.S. funds: $3.5 million", 4, 21),
        ("", 0, 0),
    ],
)
def test_english_counts(text: str, words: int, chars: int) -> None:
    counts = count_en(text)
    assert (counts.words, counts.chars, counts.han) == (words, chars, 0)


@pytest.mark.parametrize(
    ("text", "words", "chars", "han"),
    [
        (P1.zh, 10, 21, 16),
        (P4.zh, 5, 10, 8),
        ("“科学技术”——发展的催化剂……", 4, 16, 10),
        ("华为 Huawei 公司", 3, 10, 4),
    ],
)
def test_chinese_counts(text: str, words: int, chars: int, han: int) -> None:
    counts = count_zh(text)
    assert (counts.words, counts.chars, counts.han) == (words, chars, han)


def test_volume_and_kinds(report: Report) -> None:
    v = report.volume
    assert (v.pairs, v.translated, v.untranslated, v.zh_only, v.boilerplate) == (5, 3, 1, 1, 1)
    assert (v.en.words, v.en.chars) == (25, 140)
    assert (v.zh.words, v.zh.chars, v.zh.han) == (26, 53, 45)
    assert [p.id for p in report.untranslated] == [P3.id]
    assert [p.id for p in report.zh_only] == [P4.id]


def test_histogram_and_flag_share(report: Report) -> None:
    assert [b.count for b in report.histogram] == HIST
    assert (report.scored, report.flagged, report.flagged_share) == (5, 2, 0.4)


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=50))
def test_histogram_counts_every_value_once(values: list[float]) -> None:
    bins = histogram(values)
    assert sum(b.count for b in bins) == len(values)
    assert bins[0].low == 0.0 and bins[-1].high == 1.0


def test_findings_worst_and_sections(report: Report) -> None:
    assert [(f.code, f.severity, f.count) for f in report.findings] == [
        ("untranslated", Severity.CRITICAL, 1),
        ("number-mismatch", Severity.MAJOR, 1),
    ]
    assert [w.pair.id for w in report.worst] == [P3.id, P1.id, P4.id, P5.id, P2.id]
    assert report.worst[1].status is Status.CORRECTED
    assert report.worst[1].final_zh == CORRECTION
    capacity, energy = report.sections
    assert (capacity.section, capacity.pairs, capacity.en_words, capacity.zh_chars) == (
        CAPACITY,
        3,
        17,
        32,
    )
    assert (capacity.flagged, capacity.findings, capacity.reviewed) == (2, 2, 3)
    assert capacity.mean_divergence == pytest.approx((0.82 + 0.05 + 1.0) / 3)
    assert (energy.section, energy.pairs, energy.en_words, energy.zh_chars) == (ENERGY, 2, 8, 21)
    assert (energy.flagged, energy.reviewed, energy.max_divergence) == (0, 1, 0.35)


def test_review_progress_and_mqm_penalty(report: Report) -> None:
    review = report.review
    assert review is not None
    assert (review.pairs, review.reviewed, review.comments) == (5, 4, 1)
    assert dict(review.by_status) == {
        Status.PENDING: 1,
        Status.ACCEPTED: 2,
        Status.CORRECTED: 1,
        Status.REJECTED: 1,
        Status.MISALIGNED: 0,
    }
    assert [(r.reviewer, r.decided, dict(r.by_status)) for r in review.reviewers] == [
        ("li", 2, {Status.ACCEPTED: 1, Status.CORRECTED: 1}),
        ("wang", 2, {Status.ACCEPTED: 1, Status.REJECTED: 1}),
    ]
    assert [(m.category, m.severity.value, m.count) for m in review.mqm] == [
        ("accuracy/mistranslation", "major", 1),
        ("accuracy/untranslated", "critical", 1),
        ("fluency/punctuation", "minor", 1),
    ]
    # 5 (major) + 25 (critical) + 1 (minor) points over 25 English words.
    assert (review.mqm_points, review.en_words) == (31, 25)
    assert review.mqm_per_1000_words == pytest.approx(1240.0)


def test_post_edit_effort_equals_sacrebleu(report: Report) -> None:
    effort = report.effort
    assert effort is not None
    hyps = [P1.zh, P2.zh, P5.zh]  # accepted and corrected pairs, in document order
    refs = [CORRECTION, P2.zh, P5.zh]
    assert effort.pairs == 3
    chrf, bleu = CHRF(), BLEU(tokenize="zh")
    ter = TER(normalized=True, asian_support=True)
    assert effort.chrf == pytest.approx(chrf.corpus_score(hyps, [refs]).score)
    assert effort.bleu == pytest.approx(bleu.corpus_score(hyps, [refs]).score)
    assert effort.ter == pytest.approx(ter.corpus_score(hyps, [refs]).score)
    assert effort.signatures == {
        "chrf": chrf.get_signature().format(),
        "bleu": bleu.get_signature().format(),
        "ter": ter.get_signature().format(),
    }
    assert "tok:zh" in effort.signatures["bleu"] and "asian:yes" in effort.signatures["ter"]
    first = effort.per_pair[0]
    assert first.pair_id == P1.id
    assert first.chrf == pytest.approx(chrf.sentence_score(P1.zh, [CORRECTION]).score)
    sentence_bleu = BLEU(tokenize="zh", effective_order=True)
    assert first.bleu == pytest.approx(sentence_bleu.sentence_score(P1.zh, [CORRECTION]).score)
    # 3000 → 3万 is a two-character substitution plus a deletion over 19 characters.
    assert first.ter == pytest.approx(ter.sentence_score(P1.zh, [CORRECTION]).score)
    assert 0 < first.ter < 30
    assert [m.ter for m in effort.per_pair[1:]] == [0.0, 0.0]


def test_reference_matched_by_text_then_order() -> None:
    by_text = [(" china has become  the largest resource. ", "中国已成为最大的来源。")]
    found, match = match_reference(PAIRS, by_text, "ref.tsv")
    assert found == {P2.id: "中国已成为最大的来源。"}
    assert (match.method, match.matched, match.of) == ("text", 1, 4)
    by_order = [("one", "一"), ("two", "二"), ("three", ""), ("five", "五")]
    found, match = match_reference(PAIRS, by_order, "ref.tsv")
    assert found == {P1.id: "一", P2.id: "二", P5.id: "五"}
    assert (match.method, match.matched) == ("order", 3)
    shifted = [("one", "一"), ("two", "二")]
    assert match_reference(PAIRS, shifted)[0] == {}


def test_reference_metrics_equal_sacrebleu() -> None:
    reference = [(P2.en, "中国已成为最大的来源。"), (P5.en, "科学技术是发展的催化剂。")]
    result = build_report(PAIRS, reference=reference, reference_path="ref.tsv")
    assert result.reference is not None and result.reference_match is not None
    hyps, refs = [P2.zh, P5.zh], ["中国已成为最大的来源。", "科学技术是发展的催化剂。"]
    assert result.reference.chrf == pytest.approx(CHRF().corpus_score(hyps, [refs]).score)
    assert result.reference.bleu == pytest.approx(
        BLEU(tokenize="zh").corpus_score(hyps, [refs]).score
    )
    assert result.review is None and result.effort is None


def test_highlight_spans_take_the_worst_severity_and_clamp() -> None:
    minor = Finding("spacing", Severity.MINOR, "m", zh_span=(0, 4))
    critical = Finding("name", Severity.CRITICAL, "c", zh_span=(2, 99))
    runs = highlight_spans("巴基斯坦青年", [minor, critical], "zh")
    assert [(text, f.code if f else None) for text, f in runs] == [
        ("巴基", "spacing"),
        ("斯坦青年", "name"),
    ]
    assert highlight_spans("abc", [minor], "en") == [("abc", None)]


def test_marked_html_is_escaped() -> None:
    finding = Finding("x", Severity.MAJOR, 'say "<hi>"', en_span=(0, 8))
    html = marked("<script>&", [finding], "en")
    assert html == (
        '<mark class="sev-major" title="x: say &quot;&lt;hi&gt;&quot;">&lt;script&gt;</mark>&amp;'
    )


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_html_sections_and_numbers(report: Report, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_html(report, out)
    page = out.read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(page)
    ids = [s.get("id") for s in doc.iter("section")]
    assert ids == [
        "summary",
        "volume",
        "divergence",
        "findings",
        "review",
        "mqm",
        "corrections",  # the correction's 约 … 万名 is an addition the checks flag
        "effort",
        "worst",
        "sections",
    ]
    card = {c.get("id"): _text(c.find_class("value")[0]) for c in doc.find_class("card")}
    assert card["card-pairs"] == "5"
    assert card["card-en-words"] == "25"
    assert card["card-zh-han"] == "45"
    assert card["card-flagged"] == "40.0%"
    assert card["card-reviewed"] == "80.0%"
    assert card["card-mqm"] == "1240.00"
    assert doc.get_element_by_id("scorer-signature").text == "test-scorer/1"
    assert _text(doc.get_element_by_id("mqm-penalty")) == "1240.00"
    volume = doc.get_element_by_id("volume").find_class("volume")[0]
    assert [_text(td) for td in volume.xpath(".//tr[2]/td")] == ["Chinese", "26", "53", "45"]
    histogram_rows = doc.get_element_by_id("divergence").xpath(".//table//tbody/tr/td[2]")
    assert [_text(td) for td in histogram_rows] == [str(n) for n in HIST]
    worst = doc.get_element_by_id("worst").xpath(".//tbody/tr")
    assert len(worst) == 5
    marks = worst[1].xpath(".//mark")
    assert [m.text for m in marks] == ["30,000", "3000"]
    assert marks[0].get("class") == "sev-major"
    assert marks[0].get("title") == "number-mismatch: 30,000 in English but 3000 in Chinese <b>"
    assert CORRECTION in _text(worst[1])
    assert not doc.xpath("//b"), "a finding message leaked markup"
    effort = doc.get_element_by_id("effort").xpath(
        ".//table[contains(@class, 'metrics')]//tbody/tr"
    )
    assert [_text(tr.xpath("td")[0]) for tr in effort] == ["chrF", "BLEU", "TER"]
    edited = doc.get_element_by_id("effort").xpath(".//table[contains(@class, 'edited')]//tbody/tr")
    assert len(edited) == 1  # only P1 was changed; P2 and P5 were accepted as they were
    assert P1.en in _text(edited[0]) and CORRECTION in _text(edited[0])
    assert f"{report.effort.chrf:.2f}" == _text(effort[0].xpath("td")[1])  # type: ignore[union-attr]
    assert len(doc.xpath("//svg")) == 4  # histogram, findings, status, MQM


def test_html_is_self_contained(report: Report) -> None:
    page = render_html(report)
    doc = lxml.html.document_fromstring(page)
    assert not doc.xpath("//script | //link | //iframe | //img | //object")
    for element in doc.iter():
        for name in ("src", "href"):
            value = element.get(name) or element.get(f"{{http://www.w3.org/1999/xlink}}{name}")
            assert not value or value.startswith("#"), value
    assert "@import" not in page and "url(http" not in page and "@font-face" not in page
    leftover = page
    for namespace in ('"http://www.w3.org/2000/svg"', '"http://www.w3.org/1999/xlink"'):
        leftover = leftover.replace(namespace, "")
    assert "http://" not in leftover and "https://" not in leftover
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "chart ids clash"


def test_json_and_csv(report: Report, tmp_path: Path) -> None:
    write_json(report, tmp_path / "r.json")
    write_csv(report, tmp_path / "r.csv")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["scorer_signature"] == "test-scorer/1"
    assert data["volume"]["en"] == {"words": 25, "chars": 140, "han": 0}
    assert data["divergence"]["flagged_share"] == 0.4
    assert [b["count"] for b in data["divergence"]["histogram"]] == HIST
    assert data["review"]["mqm_per_1000_words"] == 1240.0
    assert data["review"]["by_status"]["accepted"] == 2
    assert data["post_edit"]["signatures"]["bleu"].startswith("nrefs:1|")
    assert data == json.loads(json.dumps(to_dict(report), ensure_ascii=False))
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_FIELDS
    assert [r["id"] for r in rows] == [p.id for p in PAIRS]
    first = rows[0]
    assert (first["status"], first["final_zh"], first["comments"]) == (
        "corrected",
        CORRECTION,
        "30,000 is 3万",
    )
    assert first["findings"] == "number-mismatch:major"
    assert first["mqm"] == "accuracy/mistranslation:major"
    assert float(first["pe_ter"]) == pytest.approx(report.effort.per_pair[0].ter, abs=0.01)  # type: ignore[union-attr]
    assert {r["scorer_signature"] for r in rows} == {"test-scorer/1"}
    assert rows[3]["pe_chrf"] == ""  # pending pair: no post-edit score


def test_terminal_summary(report: Report) -> None:
    console = Console(record=True, width=120, color_system=None)
    console.print(render_text(report))
    text = console.export_text()
    assert "test-scorer/1" in text
    assert "2 of 5 scored pairs flagged (≥ 0.500), 40.0%" in text
    assert "1240.00 penalty points per 1,000 EN words" in text
    assert "Currently around 30,000" in text


def test_source_only_report_has_no_review() -> None:
    result = build_report(PAIRS, sources=["catalyst.txt"])
    assert result.review is None and result.effort is None and result.reference is None
    assert all(s.reviewed is None for s in result.sections)
    page = lxml.html.document_fromstring(render_html(result))
    ids = [s.get("id") for s in page.iter("section")]
    assert "review" not in ids and "effort" not in ids and "worst" in ids


def test_project_detected_by_header(project: Path, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("SQLite format 3 is not a header here\n", encoding="utf-8")
    assert is_project(project)
    assert not is_project(text)


def test_terminal_summary_folds_chinese_instead_of_cutting_it(report: Report) -> None:
    console = Console(record=True, width=70, color_system=None)
    console.print(render_text(report))
    text = console.export_text()
    assert "…" not in text  # rich cuts an unspaced Chinese sentence with an ellipsis by default
    han = "".join(regex.findall(r"\p{Han}", text))
    assert "目前约有名巴基斯坦青年在中国学习" in han  # P1's Chinese, every character kept
