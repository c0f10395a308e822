"""Batched Graphviz when ``dot`` crashes or hangs: the chart is named, run once, the rest drawn.

A fake ``dot`` (a Python script) stands in for Graphviz: it reads one graph a line, logs the
name of each graph it starts, and crashes with SIGSEGV, sleeps or warns when the name says so.
Real ``dot`` is exercised by tests/publish/test_build.py and tests/render/test_render_dot.py.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.publish.graphviz import DotProblem, render_all_svgs, render_svgs
from generator.render import Diagram

FAKE_DOT = """\
import os, signal, sys, time
with open(sys.argv[1], "a", encoding="utf-8") as log:
    for line in sys.stdin:
        name = line.split()[1]
        log.write(name + "\\n")
        log.flush()
        if "crash" in name:
            signal.signal(signal.SIGSEGV, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGSEGV)
        if "hang" in name:
            time.sleep(600)
        if "warn" in name:
            print(f"Warning: {name} looks odd", file=sys.stderr, flush=True)
        sys.stdout.write(f"<svg><title>{name}</title></svg>\\n")
        sys.stdout.flush()
        if "linger" in name:
            time.sleep(600)
        if "exitsegv" in name:
            signal.signal(signal.SIGSEGV, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGSEGV)
"""
#: Long enough for the fake to start on a busy machine; the hanging chart costs it once.
CHART_SECONDS = 3.0


class FakeDot:
    def __init__(self, tmp_path: Path) -> None:
        script = tmp_path / "fake_dot.py"
        script.write_text(FAKE_DOT, encoding="utf-8")
        self.log = tmp_path / "started.log"
        self.command = [sys.executable, str(script), str(self.log)]

    def started(self) -> Counter[str]:
        """How many times each graph was handed to a dot process."""
        text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
        return Counter(text.split())


def charts(*names: str) -> list[Diagram]:
    return [Diagram(f"diagrams/doc/{name}.svg", f"digraph {name} {{ a -> b }}") for name in names]


@pytest.fixture
def fake(tmp_path: Path) -> FakeDot:
    return FakeDot(tmp_path)


def test_a_crash_is_named_with_its_signal_and_the_chart_runs_once(fake: FakeDot) -> None:
    names = ["c0", "c1", "c2", "crash3", "c4", "c5"]
    svgs, problems = render_all_svgs(charts(*names), command=fake.command,
                                     chart_seconds=CHART_SECONDS)
    assert sorted(svgs) == sorted(f"diagrams/doc/{n}.svg" for n in names if n != "crash3")
    assert "<title>c4</title>" in svgs["diagrams/doc/c4.svg"]
    assert [(p.path, p.error) for p in problems] == [("diagrams/doc/crash3.svg", True)]
    assert "crashed on this chart (SIGSEGV; not retried)" in problems[0].message
    assert "split the procedure" in problems[0].message
    assert fake.started() == Counter(names)


@pytest.mark.slow
def test_a_hanging_chart_is_stopped_named_and_never_run_again(fake: FakeDot) -> None:
    names = ["c0", "c1", "hang2", "c3", "c4"]
    svgs, problems = render_svgs(charts(*names), fake.command, chart_seconds=CHART_SECONDS)
    assert list(svgs) == [f"diagrams/doc/{n}.svg" for n in names if n != "hang2"]
    assert problems == [DotProblem(
        "diagrams/doc/hang2.svg",
        f"Graphviz did not finish this chart within {CHART_SECONDS:g} s and was stopped (not "
        "retried); split the procedure into smaller ones or shorten its step labels", True)]
    assert fake.started() == Counter(names)


def test_a_warning_before_a_crash_stays_with_its_own_chart(fake: FakeDot) -> None:
    """The charts that finished before the crash run again to tell whose the warning is; the
    chart that crashed does not."""
    names = ["warn0", "c1", "crash2", "c3"]
    svgs, problems = render_svgs(charts(*names), fake.command, chart_seconds=CHART_SECONDS)
    assert sorted(svgs) == ["diagrams/doc/c1.svg", "diagrams/doc/c3.svg",
                            "diagrams/doc/warn0.svg"]
    assert [(p.path, p.message, p.error) for p in problems] == [
        ("diagrams/doc/warn0.svg", "Warning: warn0 looks odd", False),
        ("diagrams/doc/crash2.svg", problems[1].message, True),
    ]
    assert "SIGSEGV" in problems[1].message
    assert fake.started()["crash2"] == 1 and fake.started()["c3"] == 1


@pytest.mark.slow
def test_two_failures_in_one_batch_are_both_named(fake: FakeDot) -> None:
    names = ["crash0", "c1", "hang2", "crash3"]
    svgs, problems = render_svgs(charts(*names), fake.command, chart_seconds=CHART_SECONDS)
    assert list(svgs) == ["diagrams/doc/c1.svg"]
    assert [p.path for p in problems] == [f"diagrams/doc/{n}.svg" for n in names if n != "c1"]
    assert fake.started() == Counter(names)


@pytest.mark.slow
def test_dot_lingering_after_the_last_chart_keeps_every_chart(fake: FakeDot) -> None:
    """Every SVG is complete: stopping a dot that does not exit blames no chart."""
    svgs, problems = render_svgs(charts("c0", "linger1"), fake.command,
                                 chart_seconds=CHART_SECONDS)
    assert (list(svgs), problems) == (["diagrams/doc/c0.svg", "diagrams/doc/linger1.svg"], [])
    assert fake.started() == Counter(["c0", "linger1"])


def test_a_crash_after_the_last_chart_is_named(fake: FakeDot) -> None:
    svgs, problems = render_svgs(charts("exitsegv0"), fake.command,
                                 chart_seconds=CHART_SECONDS)
    assert svgs == {}
    assert problems == [DotProblem("diagrams/doc/exitsegv0.svg",
                                   "Graphviz ended with SIGSEGV without a message", True)]


def test_a_missing_dot_is_one_problem_without_a_chart(tmp_path: Path) -> None:
    svgs, problems = render_svgs(charts("c0", "c1"), [str(tmp_path / "no-such-dot")])
    assert svgs == {}
    assert [(p.path, p.error) for p in problems] == [("", True)]
    assert "install Graphviz" in problems[0].message


# --- batches of real charts ---------------------------------------------------------------


def test_batched_dot_splits_output_per_chart() -> None:
    charts = [Diagram(f"diagrams/d/c{i}.svg", f"digraph g{i} {{ n{i} -> m{i} }}")
              for i in range(30)]
    svgs, problems = render_svgs(charts)
    assert problems == []
    assert list(svgs) == [c.path for c in charts]
    for i, c in enumerate(charts):
        assert f"<title>n{i}</title>" in svgs[c.path]
        assert svgs[c.path].count("<svg") == 1
    assert 'font-family="Noto Sans CJK SC' in svgs[charts[0].path]


def test_a_broken_chart_is_named_and_the_others_still_render() -> None:
    charts = [
        Diagram("diagrams/a/ok.svg", "digraph a { x -> y }"),
        Diagram("diagrams/a/bad.svg", "digraph b { p -> ; }"),
        Diagram("diagrams/a/after.svg", "digraph c { z }"),
    ]
    svgs, problems = render_svgs(charts)
    assert sorted(svgs) == ["diagrams/a/after.svg", "diagrams/a/ok.svg"]
    assert [(p.path, p.error) for p in problems] == [("diagrams/a/bad.svg", True)]
    assert "syntax error" in problems[0].message


def test_a_graphviz_warning_is_attributed_to_its_chart() -> None:
    charts = [Diagram(f"diagrams/w/c{i}.svg", f"digraph g{i} {{ n{i} -> m{i} }}")
              for i in range(9)]
    charts[6] = Diagram("diagrams/w/c6.svg", "digraph g6 { a:nope -> b }")
    svgs, problems = render_svgs(charts)
    assert sorted(svgs) == sorted(c.path for c in charts)  # a warning keeps the chart
    assert [(p.path, p.error) for p in problems] == [("diagrams/w/c6.svg", False)]
    assert "port nope unrecognized" in problems[0].message
