"""A due-date result as Chinese text for the terminal: the date first, then its working."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generator.deadlines.holidays import DAY_LABEL, WEEKDAYS, CalendarDay, DayKind
from generator.deadlines.result import DueKind, DueResult
from generator.domain.wording import date_text, limit_text
from generator.vocabulary import Unit


def explain(result: DueResult, heading: Sequence[str] = ()) -> str:
    lines = [*heading, f"期限：{limit_text(result.limit)}", f"起算：{_moment(result.start)}"]
    match result.kind:
        case DueKind.DATE | DueKind.SAME_DAY:
            assert isinstance(result.due, dt.date)
            lines.append(f"截止：{_moment(result.due)}24时")
        case DueKind.DATETIME:
            assert isinstance(result.due, dt.datetime)
            lines.append(f"截止：{_moment(result.due)}")
        case DueKind.NONE:
            lines.append("截止：不计算日期")
    if result.reason:
        lines.append(f"说明：{result.reason}")
    if result.rules:
        lines.append("计算规则：")
        lines.extend(f"  - {r.text}（{r.source}：“{r.quote}”）" for r in result.rules)
    if result.counted:
        unit = "个工作日" if result.limit.unit is Unit.WORKING_DAYS else "日"
        lines.append(f"计入（{len(result.counted)}{unit}）：{_days(result.counted)}")
    if result.nominal_due is not None:
        lines.append(f"顺延：第{len(result.counted)}日{_day(result.counted[-1])}为法定休假日，"
                     f"顺延至{_moment(result.due or result.nominal_due)}")
    if result.skipped:
        lines.append(f"跳过（{len(result.skipped)}日）：{_days(result.skipped)}")
    if result.makeup:
        lines.append(f"调休上班的周末（计入）：{_days(result.makeup)}")
    if result.through:
        lines.append(f"期间经过的休息日（照常计算）：{_days(result.through)}")
    return "\n".join(lines) + "\n"


def _moment(value: dt.date | dt.datetime) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    text = f"{date_text(day)}（{WEEKDAYS[day.weekday()]}）"
    return f"{text}{value:%H:%M}" if isinstance(value, dt.datetime) else text


def _day(day: CalendarDay) -> str:
    note = [WEEKDAYS[day.date.weekday()]]
    if day.kind is not DayKind.WORKDAY:
        note.append(DAY_LABEL[day.kind] + (f"·{day.holiday}" if day.holiday else ""))
    return f"{date_text(day.date)}（{'，'.join(note)}）"


def _days(days: Sequence[CalendarDay]) -> str:
    return "、".join(_day(d) for d in days)
