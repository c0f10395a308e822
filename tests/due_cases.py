"""tests/data/due-cases.yaml: the hand-worked due-date cases both engines are checked against;
tests/data/limit-cases.yaml: the limits as written that both parsers must read alike.

``expected(case)`` and ``observed(result)`` project a case and a result (the JSON shape both
engines return) onto the same plain dict, so the Python and the browser tests compare alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.deadlines.errors import LimitSyntaxError
from generator.deadlines.parse import parse_limit
from generator.domain.model import Limit
from generator.domain.resolve import limit as resolved_limit
from generator.source import schema as spec

CASES_FILE = Path(__file__).resolve().parent / "data" / "due-cases.yaml"
LIMIT_CASES_FILE = CASES_FILE.with_name("limit-cases.yaml")


def _load(path: Path) -> list[dict[str, Any]]:
    # BaseLoader: every scalar stays a string, as written
    cases: list[dict[str, Any]] = yaml.load(path.read_text(encoding="utf-8"),
                                            Loader=yaml.BaseLoader)
    return cases


def load_cases() -> list[dict[str, Any]]:
    return _load(CASES_FILE)


def load_limit_cases() -> list[dict[str, Any]]:
    return _load(LIMIT_CASES_FILE)


def limit_expectation(case: dict[str, Any]) -> dict[str, str]:
    """What a limit case says its text reads as: unit (and value), or the refusal."""
    return {key: value for key, value in case.items() if key != "text"}


def reading(unit: str, value: int | None) -> dict[str, str]:
    """A parser's result in the shape of ``limit_expectation``."""
    return {"unit": unit} if value is None else {"unit": unit, "value": str(value)}


def python_reading(text: str) -> dict[str, str]:
    try:
        limit = parse_limit(text)
    except LimitSyntaxError as refused:
        return {"refused": str(refused)}
    return reading(limit.unit.value, limit.value)


def limit_of(case: dict[str, Any]) -> Limit:
    written = case["limit"]
    if isinstance(written, str):
        return parse_limit(written)
    return resolved_limit(spec.Limit.model_validate(written))


def _day(text: str) -> list[str | None]:
    parts = text.split()
    return [parts[0], parts[1], parts[2] if len(parts) > 2 else None]


def expected(case: dict[str, Any]) -> dict[str, Any]:
    kind = case.get("kind", "date")
    return {
        "kind": kind,
        "due": case.get("due"),
        "skipped": [_day(d) for d in case.get("skipped", [])],
        "makeup": list(case.get("makeup", [])),
        "through": [_day(d) for d in case.get("through", [])],
        "nominal_due": case.get("nominal_due"),
    }


def observed(result: dict[str, Any]) -> dict[str, Any]:
    working = result["working"]

    def days(key: str) -> list[list[str | None]]:
        return [[d["date"], d["kind"], d["holiday"]] for d in working[key]]

    return {
        "kind": result["kind"],
        "due": result["due"],
        "skipped": days("skipped"),
        "makeup": [d["date"] for d in working["makeup"]],
        "through": days("through"),
        "nominal_due": working["nominal_due"],
    }
