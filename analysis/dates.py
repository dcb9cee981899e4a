"""Japanese dates, times and numerals found in minutes headers.

令和5年2月14日(火) -> 2023-02-14, 13:00~14:45 -> ("13:00", "14:45"), 第二回 -> 2. Input is
expected to be NFKC-normalized (full-width digits already ASCII).
"""

from __future__ import annotations

import datetime as dt
import re

ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988}
KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[0-9〇零一二三四五六七八九十百千]+|元"
ERA_DATE = re.compile(rf"(令和|平成|昭和|R|H)\s*({_NUM})\s*[年.]\s*({_NUM})\s*[月.]\s*({_NUM})\s*日?")
WESTERN_DATE = re.compile(r"((?:19|20)\d{2})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?")
TIME = r"(午前|午後)?\s*(\d{1,2})\s*(?:[:：]\s*(\d{2})|時\s*(?:(\d{1,2})\s*分|(半))?)"
TIME_RANGE = re.compile(rf"{TIME}\s*(?:[~〜～\-–—−ー]|から)\s*{TIME}")
SINGLE_TIME = re.compile(TIME)
_KANJI_TIME = re.compile(r"([〇零一二三四五六七八九十]+)(?=\s*[時分])")


def kanji_to_int(text: str) -> int | None:
    """Arabic or kanji numeral (二十三, 十, 二〇二三, 元) to int; None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if all(c in KANJI_DIGITS for c in text):
        return int("".join(str(KANJI_DIGITS[c]) for c in text))
    total, current = 0, 0
    for ch in text:
        if ch in KANJI_DIGITS:
            current = KANJI_DIGITS[ch]
        elif ch in KANJI_UNITS:
            total += (current or 1) * KANJI_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def parse_date(text: str) -> str | None:
    """First era or western date in the text as YYYY-MM-DD, or None (invalid dates are skipped)."""
    for m in ERA_DATE.finditer(text):
        year, month, day = (kanji_to_int(g) for g in m.groups()[1:])
        if None not in (year, month, day):
            iso = _iso(ERAS[m.group(1)] + year, month, day)  # type: ignore[operator]
            if iso:
                return iso
    for m in WESTERN_DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _hhmm(
    meridiem: str | None, hour: str, minute: str | None, minute_kanji: str | None, half: str | None
) -> str | None:
    h, m = int(hour), int(minute or minute_kanji or (30 if half else 0))
    if meridiem == "午後" and h < 12:
        h += 12
    if h > 24 or m > 59:
        return None
    return f"{h:02d}:{m:02d}"


def parse_times(text: str) -> tuple[str | None, str | None]:
    """Start and end time (HH:MM) of a 日時 value: 13:00~14:45, 13時から14時45分まで, 午後一時開議."""
    body = ERA_DATE.sub(" ", WESTERN_DATE.sub(" ", text))
    body = _KANJI_TIME.sub(lambda m: str(kanji_to_int(m.group(1))), body.replace("正午", "午後0時"))
    if m := TIME_RANGE.search(body):
        g = m.groups()
        end = g[5:] if g[5] else (g[0], *g[6:])  # 午後6時45分～8時45分: the end keeps 午後
        return _hhmm(*g[:5]), _hhmm(*end)
    times = [t for m in SINGLE_TIME.finditer(body) if (t := _hhmm(*m.groups()))]
    if len(times) >= 2 and re.search(r"閉会|終了|散会|まで", body):
        return times[0], times[-1]  # 午前10時00分開会 午前11時05分閉会
    return (times[0], None) if times else (None, None)


def parse_number(title: str) -> int | None:
    """Meeting number from 第4回 / 第二回 / 第１２回 in a title."""
    m = re.search(r"第\s*([0-9〇一二三四五六七八九十百]+)\s*回", title)
    return kanji_to_int(m.group(1)) if m else None
