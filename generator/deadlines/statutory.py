"""Which days the law itself makes holidays (法定节假日), year by year.

The State Council's annual notices (as chinese-calendar records them) give each block of days off
and the weekends worked instead, but not which days of a block are the statutory holiday and
which are swapped (调休) or made up for a holiday on a weekend (补假).  The 全国年节及纪念日放假办法
says so, and it changed: 除夕 was a holiday from 2008, not from 2014, and again from 2025 (春节 4
days); 劳动节 went from 3 days to 1 (2008) to 2 (2025).  Lunar dates come from lunar-python,
the 清明 solar term from chinese-calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NEW_YEAR = "元旦"
SPRING = "春节"
QINGMING = "清明节"
LABOUR = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL = "国庆节"
VICTORY_70 = "抗战胜利70周年纪念日"


@dataclass(frozen=True)
class _Rules:
    """One version of the 放假办法: its first day in force and the holidays it grants."""

    effective: dt.date
    spring_offsets: tuple[int, ...]  # days from 正月初一: -1 is 除夕
    labour_days: int
    lunar_festivals: bool  # 清明, 端午 and 中秋 are holidays


#: 全国年节及纪念日放假办法 (1999, 2007, 2013 and 2024 versions), newest first.
_VERSIONS = (
    _Rules(dt.date(2025, 1, 1), (-1, 0, 1, 2), 2, True),
    _Rules(dt.date(2014, 1, 1), (0, 1, 2), 1, True),
    _Rules(dt.date(2008, 1, 1), (-1, 0, 1), 1, True),
    _Rules(dt.date(1999, 9, 18), (0, 1, 2), 3, False),
)

#: Holidays granted once by a decision of the State Council rather than by the 放假办法.
_ONE_OFF = {dt.date(2015, 9, 3): VICTORY_70}


def _lunar(year: int, month: int, day: int) -> dt.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    from chinese_calendar import get_solar_terms

    terms: list[tuple[dt.date, str]] = get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    return next(day for day, name in terms if name == "清明")


def statutory_days(year: int) -> dict[dt.date, str]:
    """Each statutory holiday of ``year`` with its name (two names where festivals coincide)."""
    rules = next(v for v in _VERSIONS if v.effective <= dt.date(year, 1, 1))
    days: dict[dt.date, list[str]] = {}

    def add(day: dt.date, name: str) -> None:
        days.setdefault(day, []).append(name)

    add(dt.date(year, 1, 1), NEW_YEAR)
    new_moon = _lunar(year, 1, 1)
    for offset in rules.spring_offsets:
        add(new_moon + dt.timedelta(days=offset), SPRING)
    if rules.lunar_festivals:
        add(_qingming(year), QINGMING)
    for n in range(rules.labour_days):
        add(dt.date(year, 5, 1 + n), LABOUR)
    if rules.lunar_festivals:
        add(_lunar(year, 5, 5), DRAGON_BOAT)
        add(_lunar(year, 8, 15), MID_AUTUMN)
    for n in range(3):
        add(dt.date(year, 10, 1 + n), NATIONAL)
    for day, name in _ONE_OFF.items():
        if day.year == year:
            add(day, name)
    return {day: "、".join(names) for day, names in sorted(days.items())}
