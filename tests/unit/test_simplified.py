"""Traditional Chinese read as Simplified, character for character."""

from __future__ import annotations

from review.simplified import as_simplified


def test_traditional_text_becomes_the_same_simplified_text() -> None:
    assert as_simplified("這是一個測試。") == "这是一个测试。"
    assert as_simplified("这是一个测试。") == "这是一个测试。"
    assert as_simplified("The text is English.") == "The text is English."


def test_the_length_never_changes_so_spans_hold_on_the_original() -> None:
    for text in ("臺灣的軟體與網路", "乾隆皇帝很乾燥", "汉密尔顿在乔治 · 華盛頓的選任統治下。"):
        simplified = as_simplified(text)
        assert len(simplified) == len(text)
    # Phrase tables where they keep the length: 乾隆 (an emperor) stays, 乾燥 (dry) is 干燥.
    assert as_simplified("乾隆皇帝很乾燥") == "乾隆皇帝很干燥"
