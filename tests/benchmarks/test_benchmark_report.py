"""The performance page explains a missed goal with the run's own figures, and only then."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.report import _why_not_met, render_markdown, with_bounds  # noqa: E402


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


def _bounds_payload() -> dict[str, Any]:
    def case(name: str, what: str, total: float, mkdocs: float, dot: float,
             **extra: Any) -> dict[str, Any]:
        return {"case": name, "what": what, "yaml_bytes": 1_000_000, "total_seconds": total,
                "ok": True, "errors": [], "timings": {"mkdocs": mkdocs}, "page_bytes": 1_600_000,
                "dot_seconds": dot, "dot_problems": [], **extra}

    return {
        "meta": {"date": "2026-12-04", "machine": "2 cores", "versions": {"python": "3.11"},
                 "seed": 1, "command": "python -m benchmarks.run"},
        "results": [],
        "bounds": {"date": "2026-12-04", "cases": [
            case("provision", "a provision of ASCII punctuation filling the file-size cap",
                 2.95, 1.72, 0.03, provision_chars=968_230),
            case("procedure", "a procedure of 60 steps with 20-character labels in 4 lanes",
                 4.62, 1.62, 0.68, steps=60),
        ]},
    }


def test_the_page_shows_the_build_at_the_input_limits() -> None:
    """Issue 9: the benchmark reports a 1 MB provision and a procedure at the step cap."""
    text = render_markdown(_bounds_payload())
    section = text[text.index("## Inputs at the limits"):]
    assert ("| a provision of ASCII punctuation filling the file-size cap (968,230 characters) "
            "| 1,000,000 bytes | 2.95 s | 1.72 s | 0.03 s | 1.5 MB |") in section
    assert ("| a procedure of 60 steps with 20-character labels in 4 lanes | 1,000,000 bytes "
            "| 4.62 s | 1.62 s | 0.68 s | 1.5 MB |") in section


def test_the_page_says_when_the_limits_were_not_measured() -> None:
    payload = _bounds_payload()
    del payload["bounds"]
    assert "Not measured: run `.venv/bin/python -m benchmarks.run --bounds-only`." in (
        render_markdown(payload))


def test_bounds_only_replaces_just_its_section_of_an_earlier_page() -> None:
    """``--bounds-only`` without the earlier results.json keeps the page's other figures."""
    bounds = _bounds_payload()["bounds"]
    earlier = "# 性能\n\n| N = 3,000 | 571.2 s |\n\nVersions: python 3.11.\n\nRe-run:\n"
    once = with_bounds(earlier, bounds)
    assert once.startswith("# 性能\n\n| N = 3,000 | 571.2 s |\n")
    assert once.index("## Inputs at the limits") < once.index("Versions: python 3.11.")
    assert "968,230 characters" in once
    bounds["cases"][0]["provision_chars"] = 5
    again = with_bounds(once, bounds)
    assert again.count("## Inputs at the limits") == 1
    assert "(5 characters)" in again and "968,230" not in again
    assert again.replace("(5 characters)", "(968,230 characters)") == once


def _with_search(query_bytes: int, by_kind: dict[str, int] | None) -> dict[int, dict[str, Any]]:
    run = _run(generator_seconds=9.0, rebuild_seconds=90.0)
    query: dict[str, Any] = {"query": "案件移送", "results": 9463, "bytes": query_bytes,
                             "files": 16, "seconds": 18.6,
                             "largest": [["/pagefind/index/und_1.pf_index", 247_640]]}
    if by_kind is not None:
        query["by_kind"] = by_kind
    run[3000]["search"] = {"queries": [query]}
    return run


def test_a_heavy_first_query_is_explained_by_what_it_fetched() -> None:
    kinds = {"index": 713_679, "meta": 219_457, "engine": 154_834, "site tables": 32_432,
             "fragments": 14_797}
    text = "\n".join(_why_not_met(_with_search(sum(kinds.values()), kinds)))
    assert "first search query: 1.1 MB for 案件移送" in text
    assert "index chunks 697 KB" in text and "meta 214 KB" in text
    assert "27,589" in text  # the meta file's entries: one per page
    assert "other" not in text.split("first search query")[1].split("Every Han")[0]


def test_an_older_run_without_the_breakdown_names_its_largest_files() -> None:
    text = "\n".join(_why_not_met(_with_search(1_135_199, None)))
    assert "und_1.pf_index 242 KB" in text


def test_a_light_first_query_needs_no_explanation() -> None:
    assert _why_not_met(_with_search(900_000, {"index": 900_000})) == []
