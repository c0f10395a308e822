"""Chinese wording of structured values: limits, quotas, roles, kinds, statuses, dates.

The site's wording for limits follows the texts themselves (3个工作日内, 立即, 及时, 定期, 当日,
每半年1次, 2016年9月前, 不少于60学时/年).  ``comparable_hours`` is the normalised duration used to
mark the strictest and loosest rule on a topic page: a working day counts as 24 h × 7/5, 立即 as
0 h, 当日 as 24 h; 及时 (no number), 定期, recurrences and fixed dates are not durations and are
left out of the comparison.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

from generator.domain.model import Limit
from generator.vocabulary import Kind, Level, Period, Role, Script, Status, Unit

WORKING_DAY_HOURS = 24 * 7 / 5

ROLE_LABEL: dict[Role, str] = {
    Role.LEAD: "牵头",
    Role.RESPONSIBLE: "负责",
    Role.COOPERATES: "配合",
    Role.SUPPORTS: "支持保障",
    Role.SUPERVISES: "监督",
    Role.INFORMED: "知悉",
}
ROLE_ORDER: dict[Role, int] = {role: i for i, role in enumerate(ROLE_LABEL)}

KIND_LABEL: dict[Kind, str] = {
    Kind.MECHANISM: "工作机制",
    Kind.IMPLEMENTING_OPINION: "实施意见",
    Kind.GUIDING_OPINION: "指导意见",
    Kind.WORK_REPORT: "工作报道",
}

STATUS_LABEL: dict[Status, str] = {
    Status.TRIAL: "试行",
    Status.IN_FORCE: "有效",
    Status.SUPERSEDED: "失效",
    Status.UNKNOWN: "效力未知",
}

SCRIPT_LABEL: dict[Script, str] = {
    Script.SIMPLIFIED: "简体",
    Script.TRADITIONAL: "繁体",
}

LEVEL_LABEL: dict[Level, str] = {
    Level.COUNTRY: "国家",
    Level.PROVINCE: "省级",
    Level.PREFECTURE: "地市级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇级",
}

#: Units of a limit as a column of a table says them (CSV, XLSX).
UNIT_LABEL: dict[Unit, str] = {
    Unit.WORKING_DAYS: "工作日",
    Unit.CALENDAR_DAYS: "自然日",
    Unit.HOURS: "小时",
    Unit.SAME_DAY: "当日",
    Unit.IMMEDIATELY: "立即",
    Unit.TIMELY: "及时",
    Unit.PERIODIC: "定期",
    Unit.RECURRING: "周期",
    Unit.BY_DATE: "截止日期",
}

_PERIOD_EVERY = {
    Period.YEAR: "每年",
    Period.HALF_YEAR: "每半年",
    Period.QUARTER: "每季度",
    Period.MONTH: "每月",
}
_PERIOD_PER = {
    Period.YEAR: "年",
    Period.HALF_YEAR: "半年",
    Period.QUARTER: "季度",
    Period.MONTH: "月",
}
_COMPARATOR = {"at_least": "不少于", "at_most": "不超过", "exactly": ""}

NO_CLEAR_LIMIT = "无明确时限"
NOT_STATED = "未载明"


def limit_text(limit: Limit) -> str:
    """``3个工作日内``, ``24小时内``, ``立即``, ``及时``, ``当日``, ``每半年1次``, ``2016年9月前``.

    A floor (``upper_bound: false``) reads ``不少于3个工作日`` / ``每半年至少1次``.
    """
    match limit.unit:
        case Unit.WORKING_DAYS | Unit.CALENDAR_DAYS | Unit.HOURS:
            amount = {
                Unit.WORKING_DAYS: f"{limit.value}个工作日",
                Unit.CALENDAR_DAYS: f"{limit.value}日",
                Unit.HOURS: f"{limit.value}小时",
            }[limit.unit]
            return f"{amount}内" if limit.upper_bound else f"不少于{amount}"
        case Unit.SAME_DAY:
            return "当日"
        case Unit.IMMEDIATELY:
            return "立即"
        case Unit.TIMELY:
            return "及时"
        case Unit.PERIODIC:
            return "定期"
        case Unit.RECURRING:
            assert limit.per is not None
            every = _PERIOD_EVERY[limit.per]
            return f"{every}{limit.value}次" if limit.upper_bound else f"{every}至少{limit.value}次"
        case Unit.BY_DATE:
            assert limit.date is not None
            return f"{month_text(limit.date)}前"
    assert_never(limit.unit)


def comparable_hours(limit: Limit) -> float | None:
    """Normalised duration in hours, or None when the limit is not a comparable deadline."""
    if not limit.upper_bound:
        return None
    match limit.unit:
        case Unit.WORKING_DAYS:
            return float(limit.value or 0) * WORKING_DAY_HOURS
        case Unit.CALENDAR_DAYS:
            return float(limit.value or 0) * 24
        case Unit.HOURS:
            return float(limit.value or 0)
        case Unit.SAME_DAY:
            return 24.0
        case Unit.IMMEDIATELY:
            return 0.0
        case _:
            return None


def not_comparable_reason(limit: Limit) -> str:
    """Why a limit has no normalised duration (shown instead of 最严/最宽)."""
    if not limit.upper_bound:
        return "下限，不参与比较"
    match limit.unit:
        case Unit.RECURRING | Unit.PERIODIC:
            return "周期要求，不参与比较"
        case Unit.BY_DATE:
            return "截止日期，不参与比较"
        case _:
            return NO_CLEAR_LIMIT


def hours_text(hours: float | None) -> str:
    """``72``, ``33.6``; the comparison column of clock tables."""
    if hours is None:
        return "—"
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def sort_key_hours(limit: Limit) -> str:
    """Value for the ``data-sort`` hook: hours, with non-durations after every number."""
    hours = comparable_hours(limit)
    return hours_text(hours) if hours is not None else "999999"


def quota_text(comparator: str, value: int, unit: str, per: Period | None) -> str:
    """``不少于60学时/年``, ``不少于6人``."""
    text = f"{_COMPARATOR.get(comparator, '')}{value}{unit}"
    return f"{text}/{_PERIOD_PER[per]}" if per is not None else text


def date_text(value: dt.date | None) -> str:
    """``2021年6月17日`` or ``未载明``."""
    if value is None:
        return NOT_STATED
    return f"{value.year}年{value.month}月{value.day}日"


def month_text(value: str) -> str:
    """``2016-09`` → ``2016年9月``; ``2016-09-30`` → ``2016年9月30日``."""
    parts = value.split("-")
    text = f"{int(parts[0])}年{int(parts[1])}月"
    return text + f"{int(parts[2])}日" if len(parts) > 2 else text
