from __future__ import annotations

import pytest

from analysis.dates import kanji_to_int, parse_date, parse_number, parse_times


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("令和5年2月14日(火)", "2023-02-14"),
        ("令和元年5月1日", "2019-05-01"),
        ("令和五年二月十四日", "2023-02-14"),
        ("平成31年4月30日", "2019-04-30"),
        ("2024年7月3日", "2024-07-03"),
        ("2024/7/3 10:00", "2024-07-03"),
        ("R6.11.20", "2024-11-20"),
        ("令和5年2月30日", None),
        ("日付なし", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("令和5年2月14日(火)13:00~14:45", ("13:00", "14:45")),
        ("10時00分～11時30分", ("10:00", "11:30")),
        ("13時から14時半まで", ("13:00", "14:30")),
        ("9:30〜", ("09:30", None)),
        ("終日", (None, None)),
    ],
)
def test_parse_times(text, times):
    assert parse_times(text) == times


def test_numbers():
    assert parse_number("第4回東京都・区市町村CIOフォーラム") == 4
    assert parse_number("第二回") == 2
    assert parse_number("第十二回") == 12
    assert parse_number("CIOフォーラム") is None
    assert kanji_to_int("二十三") == 23
    assert kanji_to_int("二〇二三") == 2023
