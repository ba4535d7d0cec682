"""Dates, ordinals and converted quantities read as whole values on both sides."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from review.checks.dates import (
    date_mismatches,
    en_dates,
    ordinal_mismatches,
    small_zh_number,
    zh_dates,
)
from review.checks.quantities import converted, en_quantities, zh_quantities

ROWS = Path(__file__).resolve().parents[1] / "data" / "qe" / "mlqe_dev_rows.tsv"


def _rows() -> list[dict[str, str]]:
    with open(ROWS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_a_wrong_month_is_paired_with_the_date_in_its_place() -> None:
    zh = "会议于5月3日举行。"
    [(en_date, zh_date)] = date_mismatches("The meeting was held on 3 March.", zh)
    assert (en_date.month, en_date.day) == (3, 3)
    assert (zh_date.month, zh_date.day) == (5, 3)
    assert zh[zh_date.span[0] : zh_date.span[1]] == "5月3日"
    assert date_mismatches("The meeting was held on 3 March.", "会议于3月3日举行。") == []


@pytest.mark.parametrize(
    ("en", "zh", "month", "day"),
    [
        ("On 29 December 2013, he left.", "2013 年 12 月 29 日 ，他离开了。", 12, 29),
        ("On November 24, against them.", "11 月 24 日 ，对他们。", 11, 24),
        ("It opened on 3rd of March.", "它于三月三日开业。", 3, 3),
        ("In late May Eliza sailed.", "五月下旬 ，埃利亚扎驶入。", 5, None),
    ],
)
def test_dates_in_either_writing_agree(en: str, zh: str, month: int, day: int | None) -> None:
    assert date_mismatches(en, zh) == []
    assert (zh_dates(zh)[0].month, zh_dates(zh)[0].day) == (month, day)


def test_may_the_verb_and_durations_are_no_dates() -> None:
    assert en_dates("He may come, or he May not.") == ()
    assert zh_dates("它持续了三个月。") == ()


def test_the_post_edited_dates_of_real_rows_agree() -> None:
    for row in _rows():
        assert date_mismatches(row["src_en"], row["pe_zh"]) == [], row["id"]


def test_a_wrong_ordinal_is_caught_and_a_right_one_is_not() -> None:
    zh = "她在比赛中获得第四名。"
    [(en_ordinal, zh_ordinal)] = ordinal_mismatches("She finished third in the race.", zh)
    assert (en_ordinal.value, zh_ordinal.value) == (3, 4)
    assert zh[zh_ordinal.span[0] : zh_ordinal.span[1]] == "第四"
    assert ordinal_mismatches("She finished third in the race.", "她获得第三名。") == []
    assert ordinal_mismatches("He finished 2nd in the race.", "他在比赛中第二名。") == []


def test_small_chinese_numbers() -> None:
    assert [small_zh_number(t) for t in ("12", "十二", "二十九", "三", "十", "两")] == [
        12,
        12,
        29,
        3,
        10,
        2,
    ]
    assert small_zh_number("百") is None


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("The bridge is 1,200 metres long.", "这座桥长1.2公里。"),
        ("It was a 5-mile walk.", "这是一次8公里的步行。"),
        ("The flight took 2 hours.", "飞行耗时120分钟。"),
        ("It weighs 3.5 million tons.", "它重350万吨。"),
        ("Floodwaters up to 3 ft deep reached it.", "水深达 3 英尺的洪水到达了这里。"),
    ],
)
def test_a_conversion_with_the_same_value_agrees(en: str, zh: str) -> None:
    [(en_quantity, zh_quantity)] = converted(en, zh)
    assert en_quantity.span == en_quantities(en)[0].span
    assert zh_quantity.span == zh_quantities(zh)[0].span


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("The bridge is 1,200 metres long.", "这座桥长1.5公里。"),
        ("He ran 100 m.", "他跑了150米。"),
        ("The flight took 2 hours.", "飞行耗时2分钟。"),
    ],
)
def test_a_conversion_with_another_value_does_not(en: str, zh: str) -> None:
    assert converted(en, zh) == []
