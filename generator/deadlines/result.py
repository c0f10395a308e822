"""What a due-date computation returns: the date and its working, and their JSON shape.

The JSON shape is shared with the site's JavaScript twin (``docs/assets/deadline.js``), which
returns exactly the same object for the same input; the agreement test compares the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from generator.deadlines.holidays import DAY_LABEL, WEEKDAYS, CalendarDay
from generator.domain.model import Limit
from generator.domain.wording import limit_text


class DueKind(StrEnum):
    DATE = "date"  # ends at 24:00 of ``due``
    DATETIME = "datetime"  # hour limits
    SAME_DAY = "same_day"  # 当日: the day of the trigger itself
    NONE = "none"  # 立即, 及时, 定期, recurrences, fixed dates, floors: no date is computed


@dataclass(frozen=True)
class Rule:
    """A counting rule the computation applied, with its legal source and the source's words."""

    id: str
    text: str
    source: str
    quote: str


@dataclass(frozen=True)
class DueResult:
    limit: Limit
    start: dt.date | dt.datetime
    kind: DueKind
    due: dt.date | dt.datetime | None
    rules: tuple[Rule, ...] = ()
    counted: tuple[CalendarDay, ...] = ()  # days counted toward the limit
    skipped: tuple[CalendarDay, ...] = ()  # rest days not counted (or moved past at the end)
    makeup: tuple[CalendarDay, ...] = ()  # weekend days counted because they were 调休上班
    through: tuple[CalendarDay, ...] = ()  # hour limits: rest days the period runs through
    nominal_due: dt.date | None = None  # calendar days: the last day before 第二百零三条 moved it
    reason: str | None = None  # why no date is computed, or what 当日 means

    def to_json(self) -> dict[str, Any]:
        return {
            "limit": limit_json(self.limit),
            "start": iso(self.start),
            "kind": self.kind.value,
            "due": iso(self.due) if self.due is not None else None,
            "working": {
                "rules": [
                    {"id": r.id, "text": r.text, "source": r.source, "quote": r.quote}
                    for r in self.rules
                ],
                "counted": [day_json(d) for d in self.counted],
                "skipped": [day_json(d) for d in self.skipped],
                "makeup": [day_json(d) for d in self.makeup],
                "through": [day_json(d) for d in self.through],
                "nominal_due": iso(self.nominal_due) if self.nominal_due else None,
                "reason": self.reason,
            },
        }


def iso(value: dt.date | dt.datetime) -> str:
    """``2025-02-07`` or ``2025-10-01T22:30`` (minutes: starts are given to the minute)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def limit_json(limit: Limit) -> dict[str, Any]:
    return {
        "unit": limit.unit.value,
        "value": limit.value,
        "per": limit.per.value if limit.per else None,
        "date": limit.date,
        "upper_bound": limit.upper_bound,
        "label": limit_text(limit),
    }


def day_json(day: CalendarDay) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "weekday": WEEKDAYS[day.date.weekday()],
        "kind": day.kind.value,
        "label": DAY_LABEL[day.kind],
        "holiday": day.holiday,
    }
