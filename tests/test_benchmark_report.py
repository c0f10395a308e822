"""The performance page explains a missed goal with the run's own figures, and only then."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.report import _why_not_met  # noqa: E402


def _run(*, generator_seconds: float, rebuild_seconds: float) -> dict[int, dict[str, Any]]:
    share = generator_seconds / 3
    return {3000: {
        "stages": {"total": {"seconds": 1000.0}, "incremental": {"seconds": rebuild_seconds},
                   "load+validate": {"seconds": share}, "model+graph": {"seconds": share},
                   "render": {"seconds": share}},
        "incremental_timings": {"search": 100.0},
        "rendered_bytes": 3000 * 158 * 1024, "rendered_pages": 27_600,
        "site": {"html_pages": 27_589},
    }}


def test_missed_goals_are_explained_with_the_measured_figures() -> None:
    lines = _why_not_met(_run(generator_seconds=52.5, rebuild_seconds=206.0))
    text = "\n".join(lines)
    assert "Goals not met, and why (N = 3,000)" in text
    assert "17.5 ms in the generator" in text and "158 KB of Markdown" in text
    assert "search index alone takes 100.0 s" in text and "10% of a full build" in text
    assert "27,589 pages" in text


def test_nothing_is_explained_when_the_goals_are_met() -> None:
    assert _why_not_met(_run(generator_seconds=9.0, rebuild_seconds=90.0)) == []
