"""The due date of a limit from a start, with its working, by the rules of the 民法典.

- The day of the trigger is not counted (第二百零一条第一款).
- Working days skip weekends, statutory holidays and the weekdays off the State Council
  arranges, and count the weekend days it makes working days (调休上班).
- Hours run from the start's minute and through holidays (第二百零一条第二款).
- A calendar-day limit whose last day is a rest day ends on the next working day (第二百零三条
  第一款); a day limit ends at 24:00 of its last day (第二百零三条第二款).
- 立即, 及时, 定期, recurrences, fixed dates and floors (不少于) are returned as what they are,
  with the reason no date is computed; 当日 is the day of the trigger.

Every day the computation looks at must lie in the holiday data's covered years, otherwise the
computation is refused (``OutsideCoverage``): a date that silently ignores holidays is worse
than none.
"""

from __future__ import annotations

import datetime as dt

from generator.deadlines.errors import NeedsStartTime
from generator.deadlines.holidays import CalendarDay, DayKind, HolidayCalendar, holiday_calendar
from generator.deadlines.result import DueKind, DueResult, Rule
from generator.domain.model import Limit
from generator.vocabulary import Unit

CIVIL_CODE = "《中华人民共和国民法典》"

START_NOT_COUNTED = Rule(
    "start-not-counted", "起算当日不计入，自次日开始计算", f"{CIVIL_CODE}第二百零一条第一款",
    "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。",
)
WORKING_DAYS = Rule(
    "working-days", "只计工作日：周六、周日、法定节假日和调休放假日不计入，调休上班的周末计入",
    "《国务院关于职工工作时间的规定》第七条；国务院办公厅关于部分节假日安排的通知",
    "国家机关、事业单位实行统一的工作时间，星期六和星期日为周休息日。",
)
CALENDAR_DAYS = Rule(
    "calendar-days", "按自然日计算，期间内的周末和节假日一并计入", f"{CIVIL_CODE}第二百条",
    "民法所称的期间按照公历年、月、日、小时计算。",
)
HOURS = Rule(
    "hours", "按小时计算，自起算时刻开始，节假日照常计算", f"{CIVIL_CODE}第二百零一条第二款",
    "按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。",
)
LAST_DAY_REST = Rule(
    "last-day-rest", "期限最后一日是法定休假日的，顺延至休假日结束的次日",
    f"{CIVIL_CODE}第二百零三条第一款",
    "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。",
)
ENDS_AT_MIDNIGHT = Rule(
    "ends-at-midnight", "最后一日的截止时间为二十四时", f"{CIVIL_CODE}第二百零三条第二款",
    "期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。",
)
SAME_DAY = Rule(
    "same-day", "当日：在起算的同一日内办理", "文件原文",
    "当日",
)

NOT_COMPUTED: dict[Unit, str] = {
    Unit.IMMEDIATELY: "立即：应当立即办理，没有可计算的日期",
    Unit.TIMELY: "及时：文件未规定具体期限，不计算日期",
    Unit.PERIODIC: "定期：文件未规定具体周期，不计算日期",
    Unit.RECURRING: "周期性要求：按周期重复，没有单一的截止日期",
    Unit.BY_DATE: "固定日期：文件直接规定了截止时间，无需计算",
}
FLOOR = "下限：这是至少应有的期间，不是截止期限，不计算日期"
SAME_DAY_REASON = "当日：截止于起算当日二十四时"


def due(
    limit: Limit, start: dt.date | dt.datetime, calendar: HolidayCalendar | None = None
) -> DueResult:
    """The due date (or date-time) of ``limit`` started at ``start``, with its working."""
    cal = calendar or holiday_calendar()
    if not limit.upper_bound:
        return DueResult(limit, start, DueKind.NONE, None, reason=FLOOR)
    match limit.unit:
        case Unit.WORKING_DAYS:
            return _working_days(limit, start, cal)
        case Unit.CALENDAR_DAYS:
            return _calendar_days(limit, start, cal)
        case Unit.HOURS:
            return _hours(limit, start, cal)
        case Unit.SAME_DAY:
            return DueResult(limit, start, DueKind.SAME_DAY, _date(start),
                             rules=(SAME_DAY, ENDS_AT_MIDNIGHT), reason=SAME_DAY_REASON)
        case _:
            return DueResult(limit, start, DueKind.NONE, None, reason=NOT_COMPUTED[limit.unit])


def _date(start: dt.date | dt.datetime) -> dt.date:
    return start.date() if isinstance(start, dt.datetime) else start


def _working_days(limit: Limit, start: dt.date | dt.datetime, cal: HolidayCalendar) -> DueResult:
    counted: list[CalendarDay] = []
    skipped: list[CalendarDay] = []
    day = _date(start)
    while len(counted) < (limit.value or 0):
        day += dt.timedelta(days=1)
        info = cal.day(day)
        (counted if info.working else skipped).append(info)
    return DueResult(
        limit, start, DueKind.DATE, day,
        rules=(START_NOT_COUNTED, WORKING_DAYS, ENDS_AT_MIDNIGHT),
        counted=tuple(counted), skipped=tuple(skipped),
        makeup=tuple(d for d in counted if d.kind is DayKind.MAKEUP),
    )


def _calendar_days(limit: Limit, start: dt.date | dt.datetime, cal: HolidayCalendar) -> DueResult:
    first = _date(start)
    counted = [cal.day(first + dt.timedelta(days=n)) for n in range(1, (limit.value or 0) + 1)]
    last = counted[-1]
    if last.working:
        return DueResult(
            limit, start, DueKind.DATE, last.date,
            rules=(START_NOT_COUNTED, CALENDAR_DAYS, ENDS_AT_MIDNIGHT), counted=tuple(counted),
            makeup=(last,) if last.kind is DayKind.MAKEUP else (),
        )
    skipped: list[CalendarDay] = []
    day = cal.day(last.date + dt.timedelta(days=1))
    while not day.working:
        skipped.append(day)
        day = cal.day(day.date + dt.timedelta(days=1))
    return DueResult(
        limit, start, DueKind.DATE, day.date,
        rules=(START_NOT_COUNTED, CALENDAR_DAYS, LAST_DAY_REST, ENDS_AT_MIDNIGHT),
        counted=tuple(counted), skipped=tuple(skipped),
        makeup=(day,) if day.kind is DayKind.MAKEUP else (), nominal_due=last.date,
    )


def _hours(limit: Limit, start: dt.date | dt.datetime, cal: HolidayCalendar) -> DueResult:
    if not isinstance(start, dt.datetime):
        raise NeedsStartTime(
            f"按小时计算的期限需要起算时刻：请写作 {start.isoformat()}T09:30 这样的形式"
        )
    end = start + dt.timedelta(hours=limit.value or 0)
    last = end.date() if end.time() != dt.time(0, 0) else end.date() - dt.timedelta(days=1)
    days = [cal.day(start.date() + dt.timedelta(days=n))
            for n in range((last - start.date()).days + 1)]
    return DueResult(
        limit, start, DueKind.DATETIME, end, rules=(HOURS,),
        through=tuple(d for d in days if not d.working),
    )
