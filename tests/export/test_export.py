"""The public data contract: fields promised in docs/reference/export.md are present and typed."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator import export
from generator.domain.model import KnowledgeBase
from generator.export import codebook as export_codebook
from generator.export import contract as export_contract
from generator.export import tables as export_tables
from generator.pipeline import load_knowledge_base
from generator.source.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge_base, report = load_knowledge_base(ROOT / "policies")
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
    summaries = {d.id: d.summary for d in kb.documents}
    assert {d["id"]: d["summary"] for d in data["documents"]} == summaries
    assert all(summaries.values())


def test_doc_numbers_are_null_when_not_stated(kb: KnowledgeBase) -> None:
    data = json.loads(export.export_json(kb))
    numbers = {d["id"]: d["doc_number"] for d in data["documents"]}
    assert numbers["jinhu-2021-coordination"] == "金政办〔2021〕36号"
    assert numbers["guanyun-2023-implementing-opinion"] == "灌政辦〔2023〕32號"
    assert numbers["xilinhot-2024-coordination"] is None
    assert numbers["yantai-work-report"] is None


def read_csv(text: str | bytes) -> list[list[str]]:
    """Rows of a CSV file, which must start with the byte order mark Excel needs."""
    assert isinstance(text, str) and text.startswith("\ufeff"), "no UTF-8 BOM"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_rows_match_facts(kb: KnowledgeBase) -> None:
    clocks = read_csv(export.export_clocks_csv(kb))
    duties = read_csv(export.export_duties_csv(kb))
    assert clocks[0] == export.CLOCK_COLUMNS
    assert duties[0] == export.DUTY_COLUMNS
    assert len(clocks) - 1 == sum(len(d.clocks) for d in kb.documents)
    assert len(duties) - 1 == sum(len(d.duties) for d in kb.documents)
    assert all(len(row) == len(export.CLOCK_COLUMNS) for row in clocks)


def test_csv_speaks_chinese_and_names_title_and_clause(kb: KnowledgeBase) -> None:
    """Headers and enumerated values in Chinese; each row carries the document's title and the
    clause number as printed, not only ids."""
    clocks = read_csv(export.export_clocks_csv(kb))
    duties = read_csv(export.export_duties_csv(kb))
    for header in (clocks[0], duties[0]):
        assert all(re.search("[\u4e00-\u9fff]", h) for h in header), header
    clock_rows = [dict(zip(clocks[0], row, strict=True)) for row in clocks[1:]]
    duty_rows = [dict(zip(duties[0], row, strict=True)) for row in duties[1:]]
    doc = kb.document_by_id["jinhu-2021-coordination"]
    transfer = next(r for r in clock_rows if r["时限ID"] == "transfer-to-competent-party"
                    and r["文件ID"] == doc.id)
    assert transfer["文件标题"] == doc.title and transfer["辖区"] == "金湖县"
    assert transfer["条款"] == "三、（一）1." and transfer["时限单位"] == "工作日"
    assert transfer["专题"] == "案件移送" and "镇街" in transfer["责任方类别"]
    units = {r["时限单位"] for r in clock_rows}
    assert "及时" in units and not units & {"timely", "working_days", "hours"}
    assert {r["角色"] for r in duty_rows} <= {"牵头", "负责", "配合", "支持保障", "监督", "知悉"}
    assert {r["效力"] for r in clock_rows} <= {"有效", "试行", "失效", "效力未知"}


def test_every_topic_has_its_own_csv(kb: KnowledgeBase) -> None:
    files = export.export_files(kb)
    clocks = read_csv(export.export_clocks_csv(kb))
    for topic in kb.topics:
        path = export.topic_csv_path(topic.id, "clocks")
        expected = [row for row in clocks[1:] if row[clocks[0].index("专题")] == topic.name]
        if not expected:
            assert path not in files
            continue
        table = read_csv(files[path])
        assert table[0] == clocks[0] and table[1:] == expected
    assert any(p.startswith("data/topics/") for p in files)


def test_formula_cells_are_neutralised() -> None:
    assert export_tables._neutralise_formula("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export_tables._neutralise_formula("@SUM") == "'@SUM"
    assert export_tables._neutralise_formula("3个工作日内") == "3个工作日内"


def test_xlsx_is_deterministic_and_has_both_sheets(kb: KnowledgeBase) -> None:
    first, second = export.export_xlsx(kb), export.export_xlsx(kb)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert names[0] == "[Content_Types].xml"
    assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names
    core = archive.read("docProps/core.xml")
    assert b"2000-01-01T00:00:00Z</dcterms:modified>" in core
    assert b"2000-01-01T00:00:00Z</dcterms:created>" in core
    for info in archive.infolist():  # XlsxWriter's fixed entry date when it writes in memory
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert (info.create_system, info.external_attr >> 16, info.extra) == (3, 0o600, b"")


@pytest.mark.slow
def test_xlsx_bytes_do_not_depend_on_hash_seed(kb: KnowledgeBase) -> None:
    """Shared-string indices follow first use, never set or dict-of-hash order."""
    script = (
        "import hashlib, sys; from pathlib import Path; "
        "from generator.pipeline import load_knowledge_base; from generator import export; "
        "kb, _ = load_knowledge_base(Path(sys.argv[1])); "
        "print(hashlib.sha256(export.export_xlsx(kb)).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script, str(ROOT / "policies")], cwd=ROOT, check=True,
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.add(result.stdout.strip())
    assert digests == {hashlib.sha256(export.export_xlsx(kb)).hexdigest()}


def _read_xlsx(data: bytes) -> dict[str, list[list[str | None]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def _openpyxl_xlsx(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """The workbook as export.py built it with openpyxl before the hand-written writer."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, table in sheets:
        sheet = book.create_sheet(title)
        for row in table:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_match_the_csv_and_the_openpyxl_workbook(kb: KnowledgeBase) -> None:
    """Reading the workbook back gives the CSV's header and cells before the CSV's formula
    defence (empty cells read as None) and exactly what an openpyxl-built workbook gives."""
    sheets = _read_xlsx(export.export_xlsx(kb))
    assert list(sheets) == ["时限", "职责", "编码矩阵", "编码明细", "编码手册"]
    tables = []
    for title, text, rows in [
        ("时限", export.export_clocks_csv(kb), export.clock_rows(kb)),
        ("职责", export.export_duties_csv(kb), export.duty_rows(kb)),
    ]:
        table = read_csv(text)
        assert table == export_tables.neutralised(table[0], rows)
        assert sheets[title] == [[cell or None for cell in row] for row in [table[0], *rows]]
        tables.append((title, [table[0], *rows]))
    assert sheets["时限"][0] == export.CLOCK_COLUMNS
    assert len(sheets["职责"]) - 1 == sum(len(d.duties) for d in kb.documents)
    tables += [(name, rows) for name, rows in export_codebook.codebook_sheets(kb)]
    assert _read_xlsx(_openpyxl_xlsx(tables)) == sheets


#: Cells that stress escaping, whitespace, scripts and formula neutralising.
AWKWARD = [
    ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTAB", "plain"],
    ["a & b < c > d \"q\" 'a'", " leading", "trailing ", "two\nlines", "in\ttab", ""],
    ["中文，逗号", "繁體", "emoji 😀", "", "x,y", "#hash"],
    ["", "", "", "", "", ""],
]


def test_xlsx_keeps_awkward_cells_as_strings() -> None:
    table = [["h1", "h2", "h3", "h4", "h5", "h6"], *AWKWARD]
    data = export.xlsx_workbook([("one", table), ("two", table[:2])])
    expected = [[cell or None for cell in row] for row in table]
    assert _read_xlsx(data) == {"one": expected, "two": expected[:2]}
    assert _read_xlsx(_openpyxl_xlsx([("one", table), ("two", table[:2])])) == _read_xlsx(data)
    # CR survives, in Excel's own escape for it (openpyxl's writer turned it into LF, and its
    # reader leaves the escape as it is)
    shared = zipfile.ZipFile(io.BytesIO(export.xlsx_workbook([("s", [["a\rb", "x\x01"]])])))
    assert b"<t>a_x000D_b</t>" in shared.read("xl/sharedStrings.xml")
    assert b"<t>x_x0001_</t>" in shared.read("xl/sharedStrings.xml")


def test_formulas_are_plain_strings_in_xlsx_and_neutralised_in_csv(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ' defence against formulas belongs to CSV, which a spreadsheet app types by
    guessing; the workbook stores text as text, so it gets no ' in front."""
    awkward = ["doc", "jinhu", "d1", "case-transfer", "-5个工作日", "=SUM(A1)", "+86 110",
               "@所有人", "移送", "'原文'"]
    monkeypatch.setattr(export, "duty_rows", lambda kb: [awkward])
    files = export.export_files(kb)
    book = openpyxl.load_workbook(io.BytesIO(files["data/policykb.xlsx"]))
    (cells,) = book["职责"].iter_rows(min_row=2, max_col=len(awkward))
    assert [c.value for c in cells] == awkward
    assert {c.data_type for c in cells} == {"s"}  # strings: no formula, number or link
    sheet = zipfile.ZipFile(io.BytesIO(files["data/policykb.xlsx"])).read(
        "xl/worksheets/sheet2.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    row = read_csv(files["data/duties.csv"])[1]
    assert row[4:8] == ["'-5个工作日", "'=SUM(A1)", "'+86 110", "'@所有人"]
    assert row[9] == "'原文'"


def test_xlsx_refuses_characters_neither_xml_nor_excel_can_hold() -> None:
    with pytest.raises(ValueError, match="U\\+FFFF"):
        export.xlsx_workbook([("s", [["ok", "bad\uffff"]])])


def test_neutralised_matches_the_cell_rule() -> None:
    rows = [*AWKWARD, ["a\x00=b", "\x00", "=", "\r", "x-y", "a=b"]]
    expected = [[export_tables._neutralise_formula(c) for c in row] for row in [["h"], *rows]]
    assert export_tables.neutralised(["h"], rows) == expected


def test_csv_writer_matches_csv_module() -> None:
    rows = [*AWKWARD, ["a\rb", "nul\x00", "q\"", "comma,", "new\nline", " "], [""], ["", ""]]
    reference = io.StringIO()
    csv.writer(reference, lineterminator="\n").writerows(rows)
    assert export_tables.csv_text(rows) == "\ufeff" + reference.getvalue()


def test_json_bytes_match_stdlib_json(kb: KnowledgeBase) -> None:
    """orjson must write exactly what json.dumps(ensure_ascii=False, indent=2) wrote."""
    samples: list[Any] = [
        export.export_data(kb),
        json_schema(),
        {"s": "q\" b\\ \n\r\t\b\f \x00\x1f\x7f \u2028\u2029 / é 中 😀", "e": [], "o": {},
         "n": None, "t": True, "f": False, "i": -7, "l": [{}, [[]], 0]},
        {"big": 2**70, "ok": 1},  # beyond 64 bits: orjson refuses, the json fallback writes it
    ]
    for sample in samples:
        expected = json.dumps(sample, ensure_ascii=False, indent=2) + "\n"
        assert export_contract.json_bytes(sample) == expected.encode("utf-8")


def test_export_files_agree_with_the_single_exports(kb: KnowledgeBase) -> None:
    files = export.export_files(kb)
    always = sorted(p for p in files if not p.startswith("data/topics/"))
    assert always == ["data/clocks.csv", "data/codebook.csv", "data/document.schema.json",
                      "data/duties.csv", "data/policykb.json", "data/policykb.xlsx",
                      "data/questions.csv"]
    assert tuple(always) == export.EXPORTED_FILES
    assert files["data/codebook.csv"] == export.export_matrix_csv(kb)
    assert files["data/questions.csv"] == export.export_questions_csv(kb)
    assert files["data/policykb.json"] == export.export_json(kb).encode("utf-8")
    assert files["data/clocks.csv"] == export.export_clocks_csv(kb)
    assert files["data/duties.csv"] == export.export_duties_csv(kb)
    assert files["data/policykb.xlsx"] == export.export_xlsx(kb)
    schema = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert files["data/document.schema.json"] == schema.encode("utf-8")


def test_export_files_leaves_the_garbage_collector_as_it_was(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export_files pauses the collector for speed; it must hand back the caller's setting."""
    assert gc.isenabled()
    export.export_files(kb)
    assert gc.isenabled()
    gc.disable()
    try:
        export.export_files(kb)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def boom(kb: KnowledgeBase) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "export_data", boom)
    with pytest.raises(RuntimeError, match="boom"):
        export.export_files(kb)
    assert gc.isenabled()


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
