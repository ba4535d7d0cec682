"""The HTML report tags its Chinese and English and sets Chinese in a font of the right script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import regex
import tinycss2
from lxml.cssselect import CSSSelector

from review import pipeline
from review.lexicon import load_glossary
from review.model import Action, Pair, pair_id
from review.report import build_report
from review.report.html import render_html
from review.report.script import HANS, HANT, han_counts, zh_tag
from review.score import score_pairs
from review.store import ProjectStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SC = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
TC = ["Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", "sans-serif"]
CHINESE = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> lxml.html.HtmlElement:
    """The report of the seed article and sample.tsv, scored with the sample glossary, as a
    project with a Chinese reviewer name and a correction, so Chinese appears in every place."""
    documents = pipeline.load_documents(
        [CORPUS / "science-and-technology-catalyst.txt", CORPUS / "sample.tsv"]
    )
    glossary = load_glossary(CORPUS / "glossary.tsv")
    pairs = score_pairs(pipeline.align_documents(documents), glossary=glossary)
    path = tmp_path_factory.mktemp("lang") / "seed.review"
    worst = max(pairs, key=lambda p: p.divergence or 0.0)
    with ProjectStore.create(path, pairs, source="seed", signature="s") as store:
        store.record(worst.id, Action.CORRECT, "王芳", {"text": "中国媒体和巴基斯坦媒体也出席了。"})
        store.record(worst.id, Action.COMMENT, "王芳", {"text": "张成泽不是 Jang"})
        states = store.states()
    report = build_report([], states=states, sources=["科技合作.review"], title="审校报告 2024")
    return lxml.html.document_fromstring(render_html(report))


def _own_text(element: lxml.html.HtmlElement) -> str:
    """The text directly inside an element, not inside its children."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _lang(element: lxml.html.HtmlElement) -> str | None:
    for node in (element, *element.iterancestors()):
        if node.get("lang") is not None:
            return str(node.get("lang"))
    return None


def _holding_chinese(page: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    for element in page.iter():
        if (
            isinstance(element.tag, str)
            and element.tag != "style"
            and (CHINESE.search(_own_text(element)))
        ):
            yield element


def _rules(page: lxml.html.HtmlElement) -> list[tuple[str, dict[str, str]]]:
    """The page's top-level CSS rules as (selector, {property: value})."""
    css = "".join(page.xpath("//style/text()"))
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue  # @media print
        declarations = tinycss2.parse_declaration_list(
            rule.content, skip_whitespace=True, skip_comments=True
        )
        rules.append(
            (
                tinycss2.serialize(rule.prelude).strip(),
                {
                    d.lower_name: tinycss2.serialize(d.value).strip()
                    for d in declarations
                    if d.type == "declaration"
                },
            )
        )
    return rules


def _families(value: str) -> list[str]:
    return [name.strip().strip('"') for name in value.split(",")]


def test_every_element_holding_chinese_is_tagged_chinese(seed_page: lxml.html.HtmlElement) -> None:
    holders = list(_holding_chinese(seed_page))
    assert len(holders) > 50  # pair text, corrections, messages, names, the title and sources
    untagged = [(h.tag, _own_text(h)[:40]) for h in holders if _lang(h) not in (HANS, HANT)]
    assert untagged == []
    assert seed_page.get("lang") == "en"
    assert seed_page.xpath("//title")[0].get("lang") == HANS
    # Chinese inside English text is its own span: the English around it stays English.
    h1 = seed_page.xpath("//h1")[0]
    assert _lang(h1) == "en" and [s.text for s in h1.xpath("span")] == ["审校报告"]
    reviewer = seed_page.xpath('//span[@lang="zh-Hans" and text()="王芳"]')
    assert reviewer, "the reviewer's Chinese name is tagged"


def test_english_text_is_tagged_english(seed_page: lxml.html.HtmlElement) -> None:
    english = seed_page.xpath('//*[contains(concat(" ", @class, " "), " en ")]')
    assert len(english) > 20
    assert {_lang(e) for e in english} == {"en"}
    texts = [e for e in english if "missing" not in (e.get("class") or "")]
    assert all(e.get("lang") == "en" for e in texts)  # set on the element, not only inherited
    chinese = seed_page.xpath('//*[contains(concat(" ", @class, " "), " zh ")]')
    chinese = [e for e in chinese if "missing" not in (e.get("class") or "")]
    assert len(chinese) >= 15 and {e.get("lang") for e in chinese} == {HANS}


def test_chinese_is_set_in_a_cjk_font_of_its_script(seed_page: lxml.html.HtmlElement) -> None:
    rules = _rules(seed_page)
    fonts = {selector: props["font-family"] for selector, props in rules if "font-family" in props}
    assert _families(fonts[":lang(zh-Hans)"]) == SC
    assert _families(fonts[":lang(zh-Hant)"]) == TC
    # No other rule picks a font for an element that holds Chinese, so the script's font wins.
    setting = [(sel, CSSSelector(sel, translator="html")) for sel in fonts]
    for element in _holding_chinese(seed_page):
        matched = [sel for sel, match in setting if element in match(seed_page)]
        assert matched == [":lang(zh-Hans)"], (element.tag, _own_text(element)[:30], matched)


def _doc_pair(doc_id: str, n: int, en: str, zh: str) -> Pair:
    return Pair(
        id=pair_id(doc_id, (n,), (n,)),
        doc_id=doc_id,
        en=en,
        zh=zh,
        en_ids=(n,),
        zh_ids=(n,),
        divergence=0.6,
        flagged=True,
    )


def test_a_document_in_traditional_characters_is_tagged_zh_hant() -> None:
    pairs = [
        _doc_pair(
            "taipei",
            0,
            "Solar panels now supply 15% of the power.",
            "太陽能電池板目前供應15%的用電量。",
        ),
        _doc_pair("taipei", 1, "China", "中國"),
        _doc_pair("taipei", 2, "Thank you.", "中文"),  # shared characters: the document decides
        _doc_pair("lahore", 0, "Thank you.", "谢谢你说的话。"),
    ]
    report = build_report(pairs)
    assert report.zh_tags == {"taipei": HANT, "lahore": HANS}
    page = lxml.html.document_fromstring(render_html(report))
    tags = {
        div.text_content(): div.get("lang")
        for div in page.xpath('//section[@id="worst"]//div[contains(@class, "zh")]')
    }
    assert tags == {
        "太陽能電池板目前供應15%的用電量。": HANT,
        "中國": HANT,
        "中文": HANT,
        "谢谢你说的话。": HANS,
    }


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("巴基斯坦去年的信息技术出口增长了42%，达到26亿美元。", HANS),
        ("巴基斯坦去年的資訊科技出口增長了42%，達到26億美元。", HANT),
        (
            "台灣的軟體",
            HANT,
        ),  # 台 is also a Simplified form; the Traditional-only 灣軟體 outvote it
        ("中文", HANS),  # no evidence either way
        ("", HANS),
        ("Leave a Reply", HANS),
    ],
)
def test_script_of_chinese_text(text: str, tag: str) -> None:
    assert zh_tag(han_counts([text])) == tag
