"""tests/data/due-cases.yaml: the hand-worked due-date cases both engines are checked against.

``expected(case)`` and ``observed(result)`` project a case and a result (the JSON shape both
engines return) onto the same plain dict, so the Python and the browser tests compare alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.deadlines.parse import parse_limit
from generator.domain.model import Limit
from generator.domain.resolve import limit as resolved_limit
from generator.source import schema as spec

CASES_FILE = Path(__file__).resolve().parent / "data" / "due-cases.yaml"


def load_cases() -> list[dict[str, Any]]:
    # BaseLoader: every scalar stays a string, as written
    cases: list[dict[str, Any]] = yaml.load(CASES_FILE.read_text(encoding="utf-8"),
                                            Loader=yaml.BaseLoader)
    return cases


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
