"""The Python engine against the hand-worked case table (tests/data/due-cases.yaml).

The browser twin is checked against the same table in tests/browser/test_deadline_agreement.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from due_cases import expected, limit_of, load_cases, observed

from generator.deadlines import DeadlineError, DueKind, due, holiday_calendar, parse_start

CASES = load_cases()


def test_the_table_covers_every_year_and_the_tricky_cases() -> None:
    assert len(CASES) >= 40
    years = {c["start"][:4] for c in CASES} | {c.get("due", "")[:4] for c in CASES}
    assert {str(y) for y in range(2021, 2027)} <= years
    assert len({c["id"] for c in CASES}) == len(CASES)
    kinds = {c.get("kind", "date") for c in CASES}
    assert kinds == {"date", "datetime", "same_day", "none"}
    assert any(c.get("makeup") and c.get("skipped") for c in CASES)  # make-up day inside a count
    assert any(c.get("nominal_due") for c in CASES)  # a calendar-day limit ending on a holiday
    assert any("refused" in c for c in CASES)


def test_the_refusals_name_the_covered_years_of_the_installed_data() -> None:
    coverage = holiday_calendar().coverage
    assert all(coverage in c["refused"] for c in CASES if "覆盖" in c.get("refused", ""))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_python_engine_matches_the_case(case: dict[str, Any]) -> None:
    limit = limit_of(case)
    start = parse_start(case["start"])
    if "refused" in case:
        with pytest.raises(DeadlineError) as refused:
            due(limit, start)
        assert str(refused.value) == case["refused"]
        return
    result = due(limit, start)
    assert observed(result.to_json()) == expected(case)
    if result.kind is not DueKind.DATE:
        return
    if limit.unit.value in {"working_days", "calendar_days"}:
        # the count starts the day after the trigger and has exactly the limit's days
        first = dt.date.fromisoformat(case["start"][:10]) + dt.timedelta(days=1)
        assert len(result.counted) == limit.value
        assert result.counted[0].date >= first
    if limit.unit.value == "working_days":
        assert all(d.working for d in result.counted)
        assert result.counted[-1].date == result.due
