"""`policykb due` as a user meets it: the date and its working, JSON, and one line per mistake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]
POLICIES = str(ROOT / "policies")
CLOCK = "jinhu-2021-coordination/transfer-to-competent-party"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_limit_as_written_gives_the_date_and_its_working(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["due", "5个工作日内", "--from", "2025-01-24"], capsys)
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[:3] == ["期限：5个工作日内", "起算：2025年1月24日（周五）",
                         "截止：2025年2月7日（周五）24时"]
    assert "  - 起算当日不计入，自次日开始计算（《中华人民共和国民法典》第二百零一条第一款：" in out
    assert "计入（5个工作日）：2025年1月26日（周日，调休上班·春节）、2025年1月27日（周一）、" in out
    assert "跳过（9日）：2025年1月25日（周六，周末）、2025年1月28日（周二，法定节假日·春节）" in out
    assert "2025年2月3日（周一，调休放假·春节）" in out
    assert "调休上班的周末（计入）：2025年1月26日（周日，调休上班·春节）" in lines


def test_a_clock_by_reference_with_its_other_cases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["due", CLOCK, "--from", "2025-01-24", "--policies", POLICIES], capsys)
    assert code == EXIT_OK
    assert out.startswith(f"时限：{CLOCK}（金湖县镇街综合行政执法协调联动机制）\n")
    assert ("其他情形：--variant 0：情况紧急，24小时内；"
            "--variant 1：发现违法行为正在进行，立即") in out
    assert "截止：2025年2月7日（周五）24时" in out


def test_a_variant_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["due", CLOCK, "--from", "2025-09-30T23:00", "--variant", "0",
                        "--policies", POLICIES, "--format", "json"], capsys)
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["due"] == "2025-10-01T23:00"
    assert data["limit"]["label"] == "24小时内"
    assert [d["date"] for d in data["working"]["through"]] == ["2025-10-01"]
    assert [r["id"] for r in data["working"]["rules"]] == ["hours"]


def test_an_extension_cap_and_a_not_computed_variant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["due", "jinhu-2021-coordination/information-sharing-same-day",
                        "--from", "2025-09-30", "--extended", "--policies", POLICIES,
                        "--format", "json"], capsys)
    assert (code, json.loads(out)["due"]) == (EXIT_OK, "2025-10-16")
    code, out, _ = run(["due", CLOCK, "--from", "2025-09-30", "--variant", "1",
                        "--policies", POLICIES], capsys)
    assert code == EXIT_OK
    assert "截止：不计算日期\n说明：立即：应当立即办理，没有可计算的日期\n" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["due", "3周", "--from", "2025-01-24"], "policykb due: 无法识别的期限“3周”"),
    (["due", "3个工作日", "--from", "2025/01/24"], "policykb due: 无法识别的起算时间"),
    (["due", "5个工作日", "--from", "2026-12-28"],
     "policykb due: 节假日数据仅覆盖2004—2026年；本次计算需要2027年1月1日的节假日安排，无法计算"),
    (["due", "24小时", "--from", "2025-01-24"], "policykb due: 按小时计算的期限需要起算时刻"),
    (["due", "nope/clock", "--from", "2025-01-24", "--policies", POLICIES],
     "policykb due: 知识库中没有文件“nope”"),
    (["due", CLOCK, "--from", "2025-01-24", "--variant", "7", "--policies", POLICIES],
     "policykb due: 时限 jinhu-2021-coordination/transfer-to-competent-party 没有第 7 种情形"),
    (["due", "3个工作日", "--from", "2025-01-24", "--variant", "0"],
     "policykb due: --variant and --extended need DOCUMENT_ID/CLOCK_ID, not a limit"),
    (["due", CLOCK, "--from", "2025-01-24", "--policies", "no-such-folder"],
     "policykb due: no-such-folder is not a policies folder"),
])
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.count("\n") == 1 and err.startswith(message), err


def test_no_traceback_from_the_real_interpreter(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "due", "三个工作日", "--from", "2099-01-04"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=60,
    )
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert done.stderr == (
        "policykb due: 节假日数据仅覆盖2004—2026年；"
        "本次计算需要2099年1月5日的节假日安排，无法计算\n"
    )
