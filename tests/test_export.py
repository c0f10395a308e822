"""The public data contract: fields promised in docs/reference/export.md are present and typed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import export
from generator.model import KnowledgeBase
from generator.validate import check_knowledge_base

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge_base, report = check_knowledge_base(ROOT / "policies")
    assert knowledge_base is not None, "\n".join(d.format() for d in report.sorted())
    return knowledge_base


def test_json_contract_fields(kb: KnowledgeBase) -> None:
    data = json.loads(export.export_json(kb))
    assert data["format"] == "policykb" and data["version"] == export.EXPORT_VERSION
    assert {j["id"] for j in data["jurisdictions"]} >= {"xilinhot", "jinhu", "guanyun"}
    for j in data["jurisdictions"]:
        assert set(j) >= {"id", "name", "level", "parent", "code"}
    assert data["actor_types"] and data["topics"]
    assert len(data["documents"]) == len(kb.documents) >= 5
    for doc in data["documents"]:
        assert set(doc) >= {"id", "title", "doc_number", "issuer", "jurisdiction", "issued",
                            "status", "kind", "clocks", "quotas", "duties", "procedures",
                            "citations"}
        for clock in doc["clocks"]:
            assert set(clock) >= {"id", "topic", "value", "unit", "variants", "provision", "quote"}
            assert clock["limit"]["label"]
        for quota in doc["quotas"]:
            assert isinstance(quota["value"], int) and quota["quote"]
    ids = [d["id"] for d in data["documents"]]
    assert ids == sorted(ids)


def test_doc_numbers_are_null_when_not_stated(kb: KnowledgeBase) -> None:
    data = json.loads(export.export_json(kb))
    numbers = {d["id"]: d["doc_number"] for d in data["documents"]}
    assert numbers["jinhu-2021-coordination"] == "金政办〔2021〕36号"
    assert numbers["guanyun-2023-implementing-opinion"] == "灌政辦〔2023〕32號"
    assert numbers["xilinhot-2024-coordination"] is None
    assert numbers["yantai-work-report"] is None


def test_csv_rows_match_facts(kb: KnowledgeBase) -> None:
    clocks = list(csv.reader(io.StringIO(export.export_clocks_csv(kb))))
    duties = list(csv.reader(io.StringIO(export.export_duties_csv(kb))))
    assert clocks[0] == export.CLOCK_COLUMNS
    assert duties[0] == export.DUTY_COLUMNS
    assert len(clocks) - 1 == sum(len(d.spec.clocks) for d in kb.documents)
    assert len(duties) - 1 == sum(len(d.spec.duties) for d in kb.documents)
    assert all(len(row) == len(export.CLOCK_COLUMNS) for row in clocks)


def test_formula_cells_are_neutralised() -> None:
    assert export._neutralise_formula("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export._neutralise_formula("@SUM") == "'@SUM"
    assert export._neutralise_formula("3个工作日内") == "3个工作日内"


def test_xlsx_is_deterministic_and_has_both_sheets(kb: KnowledgeBase) -> None:
    first, second = export.export_xlsx(kb), export.export_xlsx(kb)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names
    # openpyxl stamps the wall-clock save time; two saves a second apart must still agree
    core = archive.read("docProps/core.xml")
    assert b"2000-01-01T00:00:00Z</dcterms:modified>" in core
    assert all(i.date_time == (2000, 1, 1, 0, 0, 0) for i in archive.infolist())


def test_cli_export_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "export", "--format", "json", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["documents"]


def test_reference_pages_are_current() -> None:
    """docs/reference/format.md and cli.md are generated; regenerate with `policykb reference`."""
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "reference", "--check"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
