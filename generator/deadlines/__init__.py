"""Due dates: from a clock's limit and a start to the date, with its working.

``due(limit, start)`` (``engine``) counts by the 民法典's rules over the holiday calendar
(``holidays``: the State Council's notices through chinese-calendar, each day off labelled by
``statutory``); ``parse`` reads limits and starts as people write them (``numerals`` for
二十四); ``clocks`` picks a clock's limit, variant or extension cap from the knowledge base;
``explain`` writes a result in Chinese; ``browser_data`` hands the same calendar to the site's
JavaScript twin, ``docs/assets/deadline.js``.

Updating the holiday data for a new year (one step): when chinese-calendar publishes a release
with the new year's notice, raise its pin in ``pyproject.toml`` (``chinese-calendar>=1.12,<1.13``)
and reinstall.  The covered years, the refusal message and the browser's table follow from the
package's data.  The tests then ask for the new year's cases: ``tests/data/due-cases.yaml``
has a case past the last covered year, which fails until it is moved to the new edge, on purpose.
"""

from generator.deadlines.engine import due
from generator.deadlines.errors import DeadlineError
from generator.deadlines.holidays import HolidayCalendar, holiday_calendar
from generator.deadlines.parse import parse_limit, parse_start
from generator.deadlines.result import DueKind, DueResult

__all__ = [
    "DeadlineError",
    "DueKind",
    "DueResult",
    "HolidayCalendar",
    "due",
    "holiday_calendar",
    "parse_limit",
    "parse_start",
]
