"""Limits and starts as people write them: ``5个工作日内``, ``二十四小时``, ``2025-01-27T15:30``.

The limit forms are those of the documents: a number (Arabic, full-width or Chinese) and a unit
(工作日, 小时, 日 or 天, 自然日), optionally 个 before the unit and 内 / 以内 / 之内 after it; and
the words 立即, 及时, 当日 / 当天, 定期.  Anything else is refused with one line saying what
is accepted: a limit misread is a wrong date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from generator.deadlines.errors import LimitSyntaxError, StartSyntaxError
from generator.deadlines.numerals import NUMERAL_CHARS, parse_number
from generator.domain.model import Limit
from generator.vocabulary import Unit

_UNITS = {
    "工作日": Unit.WORKING_DAYS,
    "小时": Unit.HOURS,
    "自然日": Unit.CALENDAR_DAYS,
    "日": Unit.CALENDAR_DAYS,
    "天": Unit.CALENDAR_DAYS,
}
_WORDS = {
    "立即": Unit.IMMEDIATELY,
    "及时": Unit.TIMELY,
    "当日": Unit.SAME_DAY,
    "当天": Unit.SAME_DAY,
    "定期": Unit.PERIODIC,
}
_LIMIT = re.compile(
    rf"(?P<number>[0-9{NUMERAL_CHARS}]+)"
    r"(?:个?(?P<unit>工作日|小时|自然日)|(?P<day>日|天))"
    r"(?:内|以内|之内)?"
)
_START = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?")
#: The largest value a limit may have (as in the policy format).
MAX_LIMIT_VALUE = 10000
_HINT = "可写作 3个工作日、5个工作日内、24小时、二十四小时、10日、三日内、7天、立即、当日"


def parse_limit(text: str) -> Limit:
    """``3个工作日`` → ``Limit(unit=working_days, value=3)``; a clear error otherwise."""
    written = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if written in _WORDS:
        return Limit(unit=_WORDS[written])
    match = _LIMIT.fullmatch(written)
    if match is None:
        raise LimitSyntaxError(f"无法识别的期限“{text}”：{_HINT}")
    try:
        value = parse_number(match["number"], digit_strings=False)
    except ValueError:
        raise LimitSyntaxError(f"无法识别的期限“{text}”：数字写法不规范；{_HINT}") from None
    unit = _UNITS[match["unit"] or match["day"]]
    if not 1 <= value <= MAX_LIMIT_VALUE:
        raise LimitSyntaxError(f"无法计算的期限“{text}”：数值须在1到{MAX_LIMIT_VALUE}之间")
    return Limit(unit=unit, value=value)


def parse_start(text: str) -> dt.date | dt.datetime:
    """``2025-01-27`` → a date; ``2025-01-27T15:30`` → a date-time (Beijing time)."""
    match = _START.fullmatch(text.strip())
    problem = f"无法识别的起算时间“{text}”：请写作 2025-01-27 或 2025-01-27T15:30"
    if match is None:
        raise StartSyntaxError(problem)
    try:
        day = dt.date.fromisoformat(match[1])
        if match[2] is None:
            return day
        return dt.datetime.combine(day, dt.time(int(match[2]), int(match[3])))
    except ValueError:
        raise StartSyntaxError(problem) from None
