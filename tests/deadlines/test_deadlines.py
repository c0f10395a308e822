"""The due-date engine's parts: the holiday calendar, the statutory days, rules, clocks, data.

The dates themselves are checked against the hand-worked table in test_deadlines_cases.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import chinese_calendar
import pytest

from generator.deadlines import DueKind, due, holiday_calendar
from generator.deadlines import holidays as holidays_module
from generator.deadlines.browser_data import holiday_script
from generator.deadlines.clocks import clock_limit
from generator.deadlines.errors import NeedsStartTime, OutsideCoverage, UnknownClock
from generator.deadlines.holidays import DayKind
from generator.deadlines.statutory import statutory_days
from generator.domain.model import KnowledgeBase, Limit
from generator.pipeline import load_knowledge_base
from generator.vocabulary import Period, Unit

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


# --- the calendar ------------------------------------------------------------------------------


def test_covered_years_are_those_of_the_package_data() -> None:
    cal = holiday_calendar()
    years = {d.year for d in (*chinese_calendar.holidays, *chinese_calendar.workdays)}
    assert (cal.first_year, cal.last_year) == (min(years), max(years))
    assert cal.coverage == f"{min(years)}—{max(years)}年"
    assert cal.source == f"chinese-calendar {chinese_calendar.__version__}"


def test_a_day_outside_the_covered_years_is_refused_with_the_years() -> None:
    cal = holiday_calendar()
    outside = D(cal.last_year + 1, 1, 1)
    with pytest.raises(OutsideCoverage) as refused:
        cal.day(outside)
    assert str(refused.value) == (
        f"节假日数据仅覆盖{cal.first_year}—{cal.last_year}年；本次计算需要"
        f"{cal.last_year + 1}年1月1日的节假日安排，无法计算"
    )
    with pytest.raises(OutsideCoverage):
        cal.day(D(cal.first_year - 1, 12, 31))


def test_every_statutory_day_is_a_day_off_in_the_state_council_notices() -> None:
    """The law's days (放假办法 + lunar dates) agree with the notices for every covered year."""
    cal = holiday_calendar()
    for year in range(cal.first_year, cal.last_year + 1):
        for day, name in statutory_days(year).items():
            assert day in chinese_calendar.holidays or day.weekday() >= 5, (day, name)
            assert day not in chinese_calendar.workdays, (day, name)
            assert cal.day(day).kind is DayKind.HOLIDAY


def test_the_calendar_keeps_every_day_off_and_every_makeup_day_of_the_package() -> None:
    cal = holiday_calendar()
    for day in chinese_calendar.holidays:
        assert not cal.day(day).working, day
        assert cal.day(day).holiday, day
    for day in chinese_calendar.workdays:
        assert cal.day(day).kind is DayKind.MAKEUP and day.weekday() >= 5, day


@pytest.mark.parametrize(("day", "kind", "name"), [
    (D(2021, 2, 11), DayKind.IN_LIEU, "春节"),  # 除夕 before 2025: a swapped day off …
    (D(2022, 1, 31), DayKind.IN_LIEU, "春节"),
    (D(2023, 1, 21), DayKind.WEEKEND, "春节"),  # … on a Saturday in 2023 …
    (D(2024, 2, 9), DayKind.WORKDAY, None),  # … a working day in 2024 …
    (D(2025, 1, 28), DayKind.HOLIDAY, "春节"),  # … statutory from 2025
    (D(2026, 2, 16), DayKind.HOLIDAY, "春节"),
    (D(2025, 5, 2), DayKind.HOLIDAY, "劳动节"),  # 劳动节 2 days from 2025
    (D(2024, 5, 2), DayKind.IN_LIEU, "劳动节"),
    (D(2025, 10, 6), DayKind.HOLIDAY, "中秋节"),
    (D(2020, 10, 1), DayKind.HOLIDAY, "中秋节、国庆节"),  # both on one day
    (D(2012, 6, 23), DayKind.HOLIDAY, "端午节"),  # a Saturday the package does not list
    (D(2007, 5, 3), DayKind.HOLIDAY, "劳动节"),  # 3 days before 2008
    (D(2026, 1, 4), DayKind.MAKEUP, "元旦"),
    (D(2026, 3, 7), DayKind.WEEKEND, None),
])
def test_days_are_labelled_by_law_and_notice(day: D, kind: DayKind, name: str | None) -> None:
    info = holiday_calendar().day(day)
    assert (info.kind, info.holiday) == (kind, name)


def test_a_holiday_the_project_does_not_name_stops_the_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(holidays_module.FESTIVAL_NAMES, "labour_day")
    with pytest.raises(RuntimeError, match="does not name: labour_day"):
        holidays_module.holiday_calendar.__wrapped__()


# --- rules and results -------------------------------------------------------------------------


def _rule_ids(limit: Limit, start: dt.date | dt.datetime) -> list[str]:
    return [r.id for r in due(limit, start).rules]


def test_each_result_states_the_rules_it_applied_with_their_source() -> None:
    working = Limit(unit=Unit.WORKING_DAYS, value=3)
    assert _rule_ids(working, D(2025, 3, 3)) == [
        "start-not-counted", "working-days", "ends-at-midnight"]
    days = Limit(unit=Unit.CALENDAR_DAYS, value=10)
    assert _rule_ids(days, D(2025, 3, 3)) == [
        "start-not-counted", "calendar-days", "ends-at-midnight"]
    assert _rule_ids(days, D(2025, 9, 23)) == [
        "start-not-counted", "calendar-days", "last-day-rest", "ends-at-midnight"]
    assert _rule_ids(Limit(unit=Unit.HOURS, value=24), dt.datetime(2025, 3, 3, 9)) == ["hours"]
    rules = {r.id: r for r in due(days, D(2025, 9, 23)).rules}
    assert rules["start-not-counted"].source == "《中华人民共和国民法典》第二百零一条第一款"
    assert "开始的当日不计入，自下一日开始计算" in rules["start-not-counted"].quote
    assert rules["last-day-rest"].source == "《中华人民共和国民法典》第二百零三条第一款"
    assert rules["ends-at-midnight"].quote.startswith("期间的最后一日的截止时间为二十四时")


@pytest.mark.parametrize(("limit", "reason"), [
    (Limit(unit=Unit.IMMEDIATELY), "立即"),
    (Limit(unit=Unit.TIMELY), "及时"),
    (Limit(unit=Unit.PERIODIC), "定期"),
    (Limit(unit=Unit.RECURRING, value=1, per=Period.HALF_YEAR), "周期性要求"),
    (Limit(unit=Unit.BY_DATE, date="2016-09"), "固定日期"),
    (Limit(unit=Unit.HOURS, value=24, upper_bound=False), "下限"),
])
def test_limits_without_a_date_say_why_and_make_none_up(limit: Limit, reason: str) -> None:
    # a start far outside the holiday data: nothing is looked up, so nothing is refused either
    result = due(limit, D(2090, 1, 1))
    assert result.kind is DueKind.NONE and result.due is None
    assert result.reason is not None and result.reason.startswith(reason)
    assert result.to_json()["due"] is None


def test_same_day_is_the_day_of_the_trigger() -> None:
    result = due(Limit(unit=Unit.SAME_DAY), dt.datetime(2025, 10, 1, 23, 50))
    assert (result.kind, result.due) == (DueKind.SAME_DAY, D(2025, 10, 1))
    assert result.to_json()["due"] == "2025-10-01"


def test_hour_limits_need_a_time_rather_than_an_invented_midnight() -> None:
    with pytest.raises(NeedsStartTime, match="需要起算时刻"):
        due(Limit(unit=Unit.HOURS, value=24), D(2025, 3, 3))


def test_an_hour_limit_ending_at_midnight_does_not_run_through_the_next_day() -> None:
    result = due(Limit(unit=Unit.HOURS, value=24), dt.datetime(2025, 9, 30, 0, 0))
    assert result.to_json()["due"] == "2025-10-01T00:00"
    assert result.through == ()


def test_json_is_plain_data_with_iso_dates() -> None:
    result = due(Limit(unit=Unit.WORKING_DAYS, value=5), D(2025, 1, 24)).to_json()
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    assert result["due"] == "2025-02-07" and result["start"] == "2025-01-24"
    assert result["limit"]["label"] == "5个工作日内"
    assert result["working"]["makeup"] == [{
        "date": "2025-01-26", "weekday": "周日", "kind": "makeup", "label": "调休上班",
        "holiday": "春节",
    }]


# --- clocks, variants and extension caps -------------------------------------------------------


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge_base, report = load_knowledge_base(ROOT / "policies")
    assert knowledge_base is not None, report.sorted()
    return knowledge_base


CLOCK = "jinhu-2021-coordination/transfer-to-competent-party"


def test_a_clock_its_variants_and_its_extension_cap_are_limits_alike(kb: KnowledgeBase) -> None:
    assert clock_limit(kb, CLOCK).limit == Limit(unit=Unit.WORKING_DAYS, value=5)
    urgent = clock_limit(kb, CLOCK, variant=0)
    assert (urgent.limit, urgent.case) == (Limit(unit=Unit.HOURS, value=24), "情况紧急")
    assert clock_limit(kb, CLOCK, variant=1).limit.unit is Unit.IMMEDIATELY
    capped = clock_limit(kb, "jinhu-2021-coordination/information-sharing-same-day",
                         extended=True)
    assert capped.limit == Limit(unit=Unit.WORKING_DAYS, value=7)
    # 10月9日、10日、11日（周六，调休上班）、13日–16日
    assert due(capped.limit, D(2025, 9, 30)).due == D(2025, 10, 16)
    assert "--variant 0：情况紧急，24小时内" in "\n".join(clock_limit(kb, CLOCK).heading())


@pytest.mark.parametrize(("reference", "options", "message"), [
    ("jinhu-2021-coordination", {}, "不是“文件id/时限id”的形式"),
    ("jinhu-2021/transfer-to-competent-party", {}, "是否要找 jinhu-2021-coordination？"),
    ("jinhu-2021-coordination/transfer", {}, "中没有时限“transfer”；可选：complaint-acceptance、"),
    (CLOCK, {"variant": 2}, "没有第 2 种情形；可选 --variant 0 情况紧急、1 发现违法行为正在进行"),
    (CLOCK, {"variant": -1}, "没有第 -1 种情形"),
    (CLOCK, {"extended": True}, "没有延长的规定"),
    ("jinhu-2021-coordination/technical-assistance-opinion", {"extended": True},
     "的延长没有规定上限"),
])
def test_a_reference_that_names_nothing_says_what_is_wrong(
    kb: KnowledgeBase, reference: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UnknownClock) as refused:
        clock_limit(kb, reference, **options)  # type: ignore[arg-type]
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


# --- the table for the browser -----------------------------------------------------------------


def test_the_browser_table_is_the_python_table_as_a_script() -> None:
    text = holiday_script()
    assert text == holiday_script()  # same input, same bytes
    assert "DO NOT EDIT" in text.splitlines()[1]
    assignment = text.splitlines()[2]
    prefix = "window.PolicykbHolidays = "
    assert assignment.startswith(prefix) and assignment.endswith(";")
    data = json.loads(assignment[len(prefix):-1])
    cal = holiday_calendar()
    assert (data["first_year"], data["last_year"]) == (cal.first_year, cal.last_year)
    assert data["days"] == {
        d.isoformat(): [info.kind.value, info.holiday] for d, info in cal.special.items()
    }
    assert data["days"]["2025-01-26"] == ["makeup", "春节"]
    assert "<" not in text
