"""The site's JavaScript engine (docs/assets/deadline.js) against the case table and Python.

A blank page loads the generated holiday script and deadline.js, as a file:// page would.  For
every case of tests/data/due-cases.yaml the JS result must give the table's due date, skipped
and make-up days (or its refusal), and equal the Python engine's JSON as a whole.  toICS is
parsed back: CRLF, folding at 75 octets, the required properties, a stable UID.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from due_cases import (
    expected,
    limit_expectation,
    limit_of,
    load_cases,
    load_limit_cases,
    observed,
    python_reading,
    reading,
)

from generator.deadlines import DeadlineError, due, parse_start
from generator.deadlines.browser_data import holiday_script
from generator.deadlines.result import limit_json

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_JS = ROOT / "docs" / "assets" / "deadline.js"
CLOCK = "jinhu-2021-coordination/transfer-to-competent-party"

RUN = """([limit, start]) => {
  try {
    return {result: PolicykbDeadline.due(limit, start, window.PolicykbHolidays)};
  } catch (error) {
    return {error: error.message, name: error.name};
  }
}"""


@pytest.fixture
def engine(page: Any) -> Any:
    page.set_content("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>t</title>")
    page.add_script_tag(content=holiday_script())
    page.add_script_tag(content=DEADLINE_JS.read_text(encoding="utf-8"))
    return page


def js_due(page: Any, limit: dict[str, Any], start: str) -> dict[str, Any]:
    outcome: dict[str, Any] = page.evaluate(RUN, [limit, start])
    return outcome


def test_javascript_and_python_agree_with_the_case_table(engine: Any) -> None:
    problems = []
    cases = load_cases()
    for case in cases:
        limit = limit_of(case)
        outcome = js_due(engine, limit_json(limit), case["start"])
        if "refused" in case:
            if outcome.get("error") != case["refused"] or outcome.get("name") != "DeadlineError":
                problems.append(f"{case['id']}: expected refusal, got {outcome}")
            continue
        if "error" in outcome:
            problems.append(f"{case['id']}: {outcome['error']}")
            continue
        js = outcome["result"]
        if observed(js) != expected(case):
            problems.append(f"{case['id']}: table {expected(case)} != js {observed(js)}")
        python = due(limit, parse_start(case["start"])).to_json()
        if js != python:
            problems.append(f"{case['id']}: python {python} != js {js}")
    assert problems == []
    assert len(cases) >= 40
    assert engine.console_problems == []


def test_javascript_refuses_like_python(engine: Any) -> None:
    hours = {"unit": "hours", "value": 24, "upper_bound": True}
    for start in ("2025-02-30", "2025-01-27T24:00", "27.01.2025"):
        with pytest.raises(DeadlineError) as python:
            parse_start(start)
        assert js_due(engine, hours, start) == {"error": str(python.value),
                                                "name": "DeadlineError"}


PARSE = """(text) => {
  try {
    return {limit: PolicykbDeadline.parseLimit(text)};
  } catch (error) {
    return {error: error.message, name: error.name};
  }
}"""


def test_javascript_reads_limits_like_python(engine: Any) -> None:
    """Every text of tests/data/limit-cases.yaml, and every limit written in due-cases.yaml."""
    texts = [c["text"] for c in load_limit_cases()]
    table = {c["text"]: limit_expectation(c) for c in load_limit_cases()}
    texts += [c["limit"] for c in load_cases() if isinstance(c["limit"], str)]
    problems = []
    for text in texts:
        outcome = engine.evaluate(PARSE, text)
        if "error" in outcome:
            assert outcome["name"] == "DeadlineError", outcome
            js = {"refused": outcome["error"]}
        else:
            js = reading(outcome["limit"]["unit"], outcome["limit"]["value"])
        if js != python_reading(text) or js != table.get(text, js):
            problems.append(f"{text!r}: js {js}, python {python_reading(text)}")
    assert problems == []
    assert len(texts) > 60


def ics_of(page: Any, result: dict[str, Any], options: dict[str, Any]) -> str:
    text: str = page.evaluate("([r, o]) => PolicykbDeadline.toICS(r, o)", [result, options])
    return text


def parse_ics(text: str) -> dict[str, str]:
    """Unfold and split the content lines; check the physical form on the way."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert "\n" not in "".join(physical) and "\r" not in "".join(physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    unfolded = text.replace("\r\n ", "")[:-2].split("\r\n")
    properties: dict[str, str] = {}
    for line in unfolded:
        name, _, value = line.partition(":")
        if name in ("BEGIN", "END"):
            properties[f"{name}:{value}"] = ""
        else:
            assert name not in properties, name
            properties[name] = value
    return properties


OPTIONS = {"dtstamp": "2025-01-01T00:00:00Z", "key": CLOCK}


def test_an_all_day_event_for_a_date(engine: Any) -> None:
    result = js_due(engine, {"unit": "working_days", "value": 5, "label": "5个工作日内"},
                    "2025-01-24")["result"]
    matter = "在执法或日常监管过程中发现违法行为属于对方管辖，移送给有管辖权的一方处理"
    long_summary = "截止：" + matter * 2
    text = ics_of(engine, result, {**OPTIONS, "summary": long_summary})
    assert any(line.startswith(" ") for line in text.split("\r\n"))  # it was folded
    ics = parse_ics(text)
    assert list(ics)[:2] == ["BEGIN:VCALENDAR", "VERSION"] and list(ics)[-1] == "END:VCALENDAR"
    assert {"BEGIN:VEVENT", "END:VEVENT", "PRODID", "UID", "DTSTAMP"} <= set(ics)
    assert ics["VERSION"] == "2.0"
    assert ics["DTSTAMP"] == "20250101T000000Z"
    assert ics["DTSTART;VALUE=DATE"] == "20250207"
    assert ics["DTEND;VALUE=DATE"] == "20250208"
    assert ics["SUMMARY"] == long_summary  # a full-width comma needs no escape
    assert "跳过：2025-01-25周末" in ics["DESCRIPTION"] and "\\n" in ics["DESCRIPTION"]
    assert ics["UID"].endswith("@policykb") and ics["UID"].isascii()
    assert ics_of(engine, result, {**OPTIONS, "summary": long_summary}) == text  # stable


def test_a_timed_event_in_utc_for_an_hour_limit(engine: Any) -> None:
    result = js_due(engine, {"unit": "hours", "value": 24}, "2025-09-30T23:00")["result"]
    ics = parse_ics(ics_of(engine, result, {**OPTIONS, "summary": "移送; 含分号, 逗号\\ 反斜杠"}))
    assert ics["DTSTART"] == "20251001T150000Z"  # 23:00 Beijing time is 15:00 UTC
    assert "DTEND" not in ics and "DTSTART;VALUE=DATE" not in ics
    assert ics["SUMMARY"] == "移送\\; 含分号\\, 逗号\\\\ 反斜杠"
    other = js_due(engine, {"unit": "hours", "value": 24}, "2025-09-30T22:00")["result"]
    assert parse_ics(ics_of(engine, other, OPTIONS))["UID"] != ics["UID"]


def test_no_event_without_a_date_or_a_timestamp(engine: Any) -> None:
    none = js_due(engine, {"unit": "immediately"}, "2025-09-30")["result"]
    message = engine.evaluate(
        "([r, o]) => { try { PolicykbDeadline.toICS(r, o); } catch (e) { return e.message; } }",
        [none, OPTIONS])
    assert message == "没有可计算的截止日期，无法生成日历事件"
    dated = js_due(engine, {"unit": "calendar_days", "value": 3}, "2025-09-30")["result"]
    message = engine.evaluate(
        "([r]) => { try { PolicykbDeadline.toICS(r, {}); } catch (e) { return e.message; } }",
        [dated])
    assert message == "toICS 需要 dtstamp（生成时间）"
