"""The holiday calendar: the State Council's annual arrangements, read once into a plain table.

chinese-calendar records every 国务院办公厅关于部分节假日安排的通知: the days off of each holiday
and the weekend days worked instead (调休上班).  ``statutory`` says which days off the law itself
grants, so each day off is labelled 法定节假日, 周末 or 调休放假 (a weekday off that the notice
arranges: a swap for a make-up working day, or a 补假 for a holiday that fell on a weekend).
The years covered are those the package has data for; any other day is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import generator.deadlines.statutory as statutory
from generator.deadlines.errors import OutsideCoverage

#: chinese-calendar's ``Holiday`` members by name → the festival's Chinese name.
FESTIVAL_NAMES: dict[str, str] = {
    "new_years_day": statutory.NEW_YEAR,
    "spring_festival": statutory.SPRING,
    "tomb_sweeping_day": statutory.QINGMING,
    "labour_day": statutory.LABOUR,
    "dragon_boat_festival": statutory.DRAGON_BOAT,
    "mid_autumn_festival": statutory.MID_AUTUMN,
    "national_day": statutory.NATIONAL,
    "anti_fascist_70th_day": statutory.VICTORY_70,
}

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class DayKind(StrEnum):
    WORKDAY = "workday"
    MAKEUP = "makeup"  # a weekend day worked instead of a weekday off
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # statutory
    IN_LIEU = "in_lieu"  # a weekday off arranged by the notice


DAY_LABEL: dict[DayKind, str] = {
    DayKind.WORKDAY: "工作日",
    DayKind.MAKEUP: "调休上班",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.IN_LIEU: "调休放假",
}
WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP})


@dataclass(frozen=True)
class CalendarDay:
    """One day as the calendar sees it; ``holiday`` names the festival it belongs to."""

    date: dt.date
    kind: DayKind
    holiday: str | None = None

    @property
    def working(self) -> bool:
        return self.kind in WORKING_KINDS


@dataclass(frozen=True)
class HolidayCalendar:
    """Covered years and every day that is not an ordinary weekday or weekend."""

    first_year: int
    last_year: int
    special: Mapping[dt.date, CalendarDay]
    source: str

    @property
    def coverage(self) -> str:
        return f"{self.first_year}—{self.last_year}年"

    def covers(self, day: dt.date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def day(self, day: dt.date) -> CalendarDay:
        """The day's kind; a day outside the covered years is refused, never guessed."""
        if not self.covers(day):
            raise OutsideCoverage(
                f"节假日数据仅覆盖{self.coverage}；本次计算需要"
                f"{day.year}年{day.month}月{day.day}日的节假日安排，无法计算"
            )
        found = self.special.get(day)
        if found is not None:
            return found
        return CalendarDay(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY)


def _festival(member_value: str) -> str:
    from chinese_calendar import Holiday

    name = Holiday(member_value).name
    if name not in FESTIVAL_NAMES:
        raise RuntimeError(
            f"chinese-calendar has a holiday this project does not name: {name}; "
            "add it to FESTIVAL_NAMES in generator/deadlines/holidays.py"
        )
    return FESTIVAL_NAMES[name]


@functools.cache
def holiday_calendar() -> HolidayCalendar:
    """Read chinese-calendar once (its data are constants; the result never changes)."""
    import chinese_calendar

    days_off = {day: _festival(value) for day, value in chinese_calendar.holidays.items()}
    worked = {day: _festival(value) for day, value in chinese_calendar.workdays.items()}
    years = sorted({day.year for day in (*days_off, *worked)})
    first, last = years[0], years[-1]
    by_law: dict[dt.date, str] = {}
    for year in range(first, last + 1):
        by_law.update(statutory.statutory_days(year))
    special: dict[dt.date, CalendarDay] = {}
    for day in sorted({*days_off, *by_law}):
        if day in by_law:
            special[day] = CalendarDay(day, DayKind.HOLIDAY, by_law[day])
        elif day.weekday() >= 5:
            special[day] = CalendarDay(day, DayKind.WEEKEND, days_off[day])
        else:
            special[day] = CalendarDay(day, DayKind.IN_LIEU, days_off[day])
    for day, name in sorted(worked.items()):
        special[day] = CalendarDay(day, DayKind.MAKEUP, name)
    return HolidayCalendar(
        first_year=first,
        last_year=last,
        special=MappingProxyType(dict(sorted(special.items()))),
        source=f"chinese-calendar {chinese_calendar.__version__}",
    )
