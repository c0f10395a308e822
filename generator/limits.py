"""Time limits in words and in comparable numbers.

``limit_label`` writes a Limit the way Chinese texts do (3个工作日内, 24小时内, 立即, 每半年1次);
``limit_hours`` turns it into an approximate duration so that the strictest and the loosest
rule on a topic can be marked.  A working day counts as 7/5 calendar days (weekends), which is
the usual reading when comparing 5个工作日 with 7日.
"""

from __future__ import annotations

from generator.schema import Limit, Period, Unit

_PERIOD_LABEL = {
    Period.YEAR: "每年",
    Period.HALF_YEAR: "每半年",
    Period.QUARTER: "每季度",
    Period.MONTH: "每月",
}
_PERIOD_HOURS = {
    Period.YEAR: 365 * 24,
    Period.HALF_YEAR: 182.5 * 24,
    Period.QUARTER: 91.25 * 24,
    Period.MONTH: 30.4 * 24,
}
WORKING_DAY_HOURS = 24 * 7 / 5


def limit_label(limit: Limit) -> str:
    """Chinese wording of a limit, e.g. ``3个工作日内``."""
    suffix = "内" if limit.upper_bound else "以上"
    match limit.unit:
        case Unit.WORKING_DAYS:
            return f"{limit.value}个工作日{suffix}"
        case Unit.CALENDAR_DAYS:
            return f"{limit.value}日{suffix}"
        case Unit.HOURS:
            return f"{limit.value}小时{suffix}"
        case Unit.SAME_DAY:
            return "当日"
        case Unit.IMMEDIATELY:
            return "立即"
        case Unit.TIMELY:
            return "及时（无具体时限）"
        case Unit.PERIODIC:
            return "定期（未规定周期）"
        case Unit.RECURRING:
            assert limit.per is not None
            return f"{_PERIOD_LABEL[limit.per]}{limit.value}次"
        case Unit.BY_DATE:
            assert limit.date is not None
            parts = limit.date.split("-")
            day = f"{int(parts[2])}日" if len(parts) > 2 else ""
            return f"{parts[0]}年{int(parts[1])}月{day}前"
    raise AssertionError(limit.unit)  # pragma: no cover


def limit_hours(limit: Limit) -> float | None:
    """Approximate duration in hours; None when the text gives no number (及时, a date)."""
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
        case Unit.RECURRING:
            assert limit.per is not None and limit.value
            return _PERIOD_HOURS[limit.per] / limit.value
        case _:
            return None
