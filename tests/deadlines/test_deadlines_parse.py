"""Limits, starts and Chinese numerals as people write them; anything else is one clear error."""

from __future__ import annotations

import datetime as dt

import pytest
from due_cases import limit_expectation, load_limit_cases, python_reading

from generator.deadlines.errors import LimitSyntaxError, StartSyntaxError
from generator.deadlines.numerals import parse_number, to_chinese
from generator.deadlines.parse import parse_limit, parse_start
from generator.domain.model import Limit
from generator.vocabulary import Unit

W, C, H = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS


@pytest.mark.parametrize(("text", "value"), [
    ("〇", 0), ("零", 0), ("一", 1), ("两", 2), ("九", 9), ("十", 10), ("十一", 11),
    ("一十五", 15), ("二十", 20), ("二十四", 24), ("七十二", 72), ("九十九", 99),
    ("一百", 100), ("两百", 200), ("一百零五", 105), ("一百一十", 110), ("一千零五十", 1050),
    ("九千九百九十九", 9999), ("二〇二五", 2025), ("24", 24), ("２４", 24),
])
def test_numerals(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", [
    "", "十十", "百", "一百十", "二百五", "一千五十", "二十零", "零五", "三十一百", "4十", "abc",
])
def test_numerals_that_are_not_well_formed_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="数字"):
        parse_number(text)


def test_digit_strings_are_refused_where_a_quantity_is_meant() -> None:
    assert parse_number("二二") == 22
    with pytest.raises(ValueError):
        parse_number("二二", digit_strings=False)


def test_every_number_to_9999_reads_back_from_its_chinese_form() -> None:
    assert [to_chinese(n) for n in (0, 10, 24, 105, 110, 1050, 2000)] == [
        "零", "十", "二十四", "一百零五", "一百一十", "一千零五十", "二千"]
    assert all(parse_number(to_chinese(n)) == n for n in range(10000))
    with pytest.raises(ValueError):
        to_chinese(10000)


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("3个工作日", W, 3), ("5个工作日内", W, 5), ("十个工作日", W, 10), ("3工作日以内", W, 3),
    ("24小时", H, 24), ("24小时内", H, 24), ("二十四小时", H, 24), ("２４个小时之内", H, 24),
    ("10日", C, 10), ("三日内", C, 3), ("7天", C, 7), ("15个自然日", C, 15), (" 7 天 ", C, 7),
])
def test_limits_as_written_in_the_documents(text: str, unit: Unit, value: int) -> None:
    assert parse_limit(text) == Limit(unit=unit, value=value)


@pytest.mark.parametrize(("text", "unit"), [
    ("立即", Unit.IMMEDIATELY), ("及时", Unit.TIMELY), ("当日", Unit.SAME_DAY),
    ("当天", Unit.SAME_DAY), ("定期", Unit.PERIODIC),
])
def test_limits_without_a_number(text: str, unit: Unit) -> None:
    assert parse_limit(text) == Limit(unit=unit)


@pytest.mark.parametrize(("text", "message"), [
    ("3周", "无法识别的期限“3周”：可写作 3个工作日"),
    ("个工作日", "无法识别的期限"),
    ("3个日", "无法识别的期限"),
    ("3个天", "无法识别的期限"),
    ("5个工作日后", "无法识别的期限"),
    ("二二个工作日", "数字写法不规范"),
    ("十十日", "数字写法不规范"),
    ("0日", "数值须在1到10000之间"),
    ("10001小时", "数值须在1到10000之间"),
    ("", "无法识别的期限"),
])
def test_anything_else_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(LimitSyntaxError) as refused:
        parse_limit(text)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_starts() -> None:
    assert parse_start("2025-01-27") == dt.date(2025, 1, 27)
    assert parse_start("2025-01-27T15:30") == dt.datetime(2025, 1, 27, 15, 30)
    assert parse_start("2025-01-27 08:05") == dt.datetime(2025, 1, 27, 8, 5)


@pytest.mark.parametrize("text", [
    "2025-02-30", "2025-1-27", "2025-01-27T24:00", "2025-01-27T9:30", "27.01.2025", "",
    "2025-01-27T15:30:00",
])
def test_bad_starts_are_refused(text: str) -> None:
    with pytest.raises(StartSyntaxError, match="请写作 2025-01-27 或 2025-01-27T15:30"):
        parse_start(text)


LIMIT_CASES = load_limit_cases()


@pytest.mark.parametrize("case", LIMIT_CASES, ids=[c["text"] or "(empty)" for c in LIMIT_CASES])
def test_python_parser_matches_the_shared_limit_table(case: dict[str, str]) -> None:
    """The table the JavaScript parser is held to (tests/browser/test_deadline_agreement.py)."""
    assert python_reading(case["text"]) == limit_expectation(case)


def test_the_limit_table_has_every_unit_and_every_kind_of_refusal() -> None:
    units = {c["unit"] for c in LIMIT_CASES if "unit" in c}
    assert units == {"working_days", "hours", "calendar_days", "immediately", "timely",
                     "same_day", "periodic"}
    refusals = " ".join(c["refused"] for c in LIMIT_CASES if "refused" in c)
    assert "数字写法不规范" in refusals and "数值须在1到10000之间" in refusals
