"""The coded data: the matrix and the codebook as CSV and workbook sheets, and the codebook
fields of the JSON contract."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator import export
from generator.domain.model import KnowledgeBase
from generator.export import codebook as coded
from generator.pipeline import load_knowledge_base

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    found, report = load_knowledge_base(ROOT / "policies")
    assert found is not None, report.errors
    return found


def _table(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _row(table: list[list[str]], doc_id: str) -> dict[str, str]:
    (row,) = [r for r in table[1:] if r[3] == doc_id]
    return dict(zip(table[0], row, strict=True))


def test_the_matrix_opens_with_chinese_headers_one_row_per_document(kb: KnowledgeBase) -> None:
    table = _table(export.export_matrix_csv(kb))
    assert table[0][:4] == ["辖区", "辖区代码", "文件", "文件编号"]
    assert table[0][4:] == [f"{q.name}（{q.id}）" for q in kb.questions]
    assert [r[3] for r in table[1:]] == [d.id for d in sorted(kb.documents,
                                                              key=lambda d: d.tree_key)]
    xilinhot = _row(table, "xilinhot-2024-coordination")
    assert xilinhot["移送时限（transfer-deadline）"] == "3个工作日内（三、(二)）"
    cap = "移送期限延长上限（transfer-extension-cap）"
    assert xilinhot[cap] == "最长不超过10个工作日（三、(二)）"
    assert xilinhot["例会频次（meeting-frequency）"] == "原则上每半年1次（三、(四)）"
    assert xilinhot["追责机关（accountability-body）"] == "市司法局〔编者推定〕（四、(三)）"
    assert xilinhot["争议协调机关（dispute-coordinator）"] == "市司法局〔原文：可〕（三、(六)）"
    jinhu = _row(table, "jinhu-2021-coordination")
    assert jinhu[cap] == "未规定"  # covers the topic
    assert jinhu["年度培训学时（training-hours）"] == "未规定"
    guanyun = _row(table, "guanyun-2023-implementing-opinion")
    assert guanyun["移送时限（transfer-deadline）"] == "未涉及"  # does not cover the topic
    assert guanyun["镇街执法人员数（township-staffing）"] == \
        "镇：不少于6人（三、(二)）；街道：不少于4人（三、(二)）"


def test_the_codebook_and_the_answers_are_tables_too(kb: KnowledgeBase) -> None:
    questions = _table(export.export_questions_csv(kb))
    assert questions[0] == coded.QUESTION_COLUMNS
    assert [r[0] for r in questions[1:]] == [q.id for q in kb.questions]
    answers = coded.answer_rows(kb)
    assert answers[0] == coded.ANSWER_COLUMNS
    editorial = [r for r in answers[1:] if r[10] == "编者推定"]
    assert editorial and all(r[11] for r in editorial)  # every inference says why
    qualified = {(r[3], r[5]): r[8] for r in answers[1:] if r[8]}
    assert qualified[("jinhu-2021-coordination", "assistance-reply-deadline")] == "一般"


def test_the_json_contract_carries_the_codebook(kb: KnowledgeBase) -> None:
    data = json.loads(export.export_json(kb))
    assert data["version"] == "1.3"
    assert [q["id"] for q in data["questions"]] == [q.id for q in kb.questions]
    assert set(data["questions"][0]) == {"id", "topic", "name", "question", "kind", "stricter",
                                         "definition", "include", "exclude", "order"}
    for doc in data["documents"]:
        for name in ("duties", "clocks", "quotas"):
            for fact in doc[name]:
                assert {"answers", "applies_to", "qualifier", "attribution",
                        "attribution_reason"} <= set(fact), (doc["id"], fact["id"])
                assert fact["attribution"] in {"stated", "editorial"}
                assert (fact["attribution"] == "editorial") == bool(fact["attribution_reason"])
        for clock in doc["clocks"]:
            assert clock["answers"]
            for variant in clock["variants"]:
                assert {"answers", "applies_to", "qualifier"} <= set(variant)
    xilinhot = next(d for d in data["documents"] if d["id"].startswith("xilinhot"))
    accountability = next(u for u in xilinhot["duties"] if u["id"] == "accountability")
    assert accountability["attribution"] == "editorial"
    meeting = next(c for c in xilinhot["clocks"] if c["id"] == "consultation-meeting")
    assert (meeting["answers"], meeting["qualifier"]) == ("meeting-frequency", "in_principle")


def test_cli_exports_the_matrix(tmp_path: Path) -> None:
    out = tmp_path / "codebook.csv"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "export", "--format",
                             "codebook-csv", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf\xe8\xbe\x96\xe5\x8c\xba")  # BOM, 辖区
