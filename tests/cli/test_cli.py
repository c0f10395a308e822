"""`policykb check` and `policykb schema` as a user meets them: output, exit codes, no tracebacks.

In-process tests call ``generator.cli.main``; the ``subprocess`` ones run the real interpreter
over every broken fixture so that a crash, a traceback or an encoding error cannot hide.  The
diagnostics reference page is checked against ``generator.diagnostics.CODES`` and the fixtures.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from broken_trees import materialise

from generator.cli import main
from generator.diagnostics import CHECK_CODES, CODES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
KB_MINI = FIXTURES / "kb-mini"
VALID = FIXTURES / "valid-kb"
BROKEN = FIXTURES / "broken"
PAGE = ROOT / "docs" / "reference" / "diagnostics.md"
S = "policies/documents/sample.yaml"
OK_LINE = re.compile(r"^ok: 2 documents, 5 facts checked, every quote verbatim \(\d+\.\d\d s\)$")
ANY_OK_LINE = re.compile(r"^ok: \d+ documents, \d+ facts checked, every quote verbatim \(.+ s\)$")


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VALID, tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "policies"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def diagnostic_lines(err: str) -> list[str]:
    return [x for x in err.splitlines() if re.match(r"^\S+(:\d+:\d+)?: (error|warning)\[PK", x)]


# --- exit codes --------------------------------------------------------------------------------


def test_clean_knowledge_base_exits_0(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "policies"], capsys)
    assert (code, out) == (0, "")
    assert OK_LINE.match(err.strip()), err


def test_default_path_is_policies(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check"], capsys)
    assert code == 0 and OK_LINE.match(err.strip())


def test_problems_exit_1_with_a_summary(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(kb_dir / "documents" / "sample.yaml", "kind: mechanism", "kind: mechanisms")
    code, out, err = run(["check", "policies"], capsys)
    assert (code, out) == (1, "")
    assert err == (
        f"{S}:8:7: error[PK103] kind: expected 'mechanism', 'implementing-opinion', "
        "'guiding-opinion' or 'work-report' (got 'mechanisms')\n"
        "  hint: see the field reference: docs/reference/format.md\n"
        "1 error(s), 0 warning(s)\n"
    )


def test_warnings_only_exit_0(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb_dir / "documents" / "notes.txt").write_text("x", encoding="utf-8")
    code, _, err = run(["check", "policies"], capsys)
    assert code == 0
    assert err.splitlines()[0] == (
        "policies/documents/notes.txt: warning[PK013] not read: policy documents are files "
        "named *.yaml"
    )
    assert OK_LINE.match(err.splitlines()[-1])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["frobnicate"], "policykb: error: argument command: invalid choice: 'frobnicate'"),
        ([], "policykb: error: the following arguments are required: command"),
        (["check", "--format", "xml"], "policykb check: error: argument --format: invalid "
                                       "choice: 'xml'"),
    ],
)
def test_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and message in err and err.startswith("usage: policykb")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "nowhere"], "policykb check: no such file or folder: nowhere\n"),
        (["check", "elsewhere"], "policykb check: cannot find the policies folder (one holding "
                                 "registries/) at or above elsewhere\n"),
        (["check", "--format", "json", "nowhere"], "policykb check: no such file or folder: "
                                                   "nowhere\n"),
    ],
)
def test_missing_paths_exit_2(
    kb_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (kb_dir.parent / "elsewhere").mkdir()
    assert run(argv, capsys) == (2, "", message)


def test_a_file_that_is_not_a_policy_file_is_a_usage_error(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb_dir / "notes.yaml").write_text("id: x\n", encoding="utf-8")
    (kb_dir / "documents" / "draft.yml").write_text("id: x\n", encoding="utf-8")
    for name in ("policies/notes.yaml", "policies/documents/draft.yml"):
        code, out, err = run(["check", name], capsys)
        assert (code, out) == (2, "")
        assert err.startswith(f"policykb check: {name} is not a policy file: only "
                              "documents/*.yaml and registries/*.yaml in ")


# --- output ------------------------------------------------------------------------------------


def _five_problems(kb_dir: Path) -> None:
    sample = kb_dir / "documents" / "sample.yaml"
    edit(sample, "id: sample\n", "id: sample\ncolour: red\n")
    edit(sample, "  published: 2021-03-05", "  published: 2021-02-05")
    edit(sample, "    actors: [township]\n    role", "    actors: [townsip]\n    role")
    edit(sample, "    value: 60\n", "    value: 060\n")
    edit(sample, "    quote: 《金湖县行政执法协调办法》", "    quote: 《金湖县行政执法协调规定》")


FIVE = [
    f"{S}:2:1: error[PK101] unknown field 'colour'",
    f"{S}:13:14: error[PK205] published 2021-02-05 before issued 2021-03-01",
    f"{S}:45:14: error[PK202] unknown actor 'townsip'",
    f"{S}:79:12: error[PK103] quotas.0.value: expected a whole number written in digits "
    "(got '060')",
    f"{S}:102:12: error[PK203] quote not found verbatim in provision "
    "'s2': '《金湖县行政执法协调规定》'",
]


def test_all_problems_of_a_file_at_once(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _five_problems(kb_dir)
    code, _, err = run(["check", "policies"], capsys)
    assert code == 1
    assert diagnostic_lines(err) == FIVE
    assert err.splitlines()[-1] == "5 error(s), 0 warning(s)"


def test_diagnostics_sorted_by_file_line_and_column(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = (kb_dir / "documents" / "sample.yaml").read_text(encoding="utf-8")
    for name in ("c", "a", "b"):  # created out of order
        (kb_dir / "documents" / f"{name}.yaml").write_text(
            sample.replace("id: sample", f"id: {name}-doc").replace("kind: mechanism", "kind: x")
            .replace("status: trial", "status: y"), encoding="utf-8")
    _, _, err = run(["check", "policies"], capsys)
    locations = [x.split(": ")[0] for x in diagnostic_lines(err)]
    assert locations == [f"policies/documents/{n}.yaml:{line}" for n in "abc"
                         for line in ("8:7", "9:9")]


def test_json_output_shape(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _five_problems(kb_dir)
    (kb_dir / "documents" / "notes.txt").write_text("x", encoding="utf-8")
    code, out, err = run(["check", "--format", "json", "policies"], capsys)
    assert (code, err) == (1, "")
    payload = json.loads(out)
    assert set(payload) == {"ok", "errors", "warnings", "diagnostics"}
    assert (payload["ok"], payload["errors"], payload["warnings"]) == (False, 5, 1)
    first: dict[str, Any] = payload["diagnostics"][0]
    assert first == {
        "path": "policies/documents/notes.txt", "line": 0, "column": 0, "severity": "warning",
        "code": "PK013", "message": "not read: policy documents are files named *.yaml",
        "hint": "rename it, or move it out of the policies folder",
    }
    lines = [f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}[{d['code']}] {d['message']}"
             for d in payload["diagnostics"][1:]]
    assert lines == FIVE


def test_json_output_when_clean(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "--format", "json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "errors": 0, "warnings": 0, "diagnostics": []}


# --- one file ----------------------------------------------------------------------------------


def test_check_one_document_reports_only_that_file(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _five_problems(kb_dir)
    edit(kb_dir / "documents" / "measures.yaml", "kind: guiding-opinion", "kind: opinion")
    code, _, err = run(["check", "policies/documents/measures.yaml"], capsys)
    assert code == 1
    assert diagnostic_lines(err) == [
        "policies/documents/measures.yaml:7:7: error[PK103] kind: expected 'mechanism', "
        "'implementing-opinion', 'guiding-opinion' or 'work-report' (got 'opinion')"
    ]
    code, _, err = run(["check", "policies/documents/sample.yaml"], capsys)
    assert code == 1 and diagnostic_lines(err) == FIVE


def test_check_one_document_from_inside_the_tree_finds_the_root_upward(
    kb_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(kb_dir / "documents" / "measures.yaml", "kind: guiding-opinion", "kind: opinion")
    monkeypatch.chdir(kb_dir / "documents")
    code, _, err = run(["check", "sample.yaml"], capsys)
    assert code == 0 and err.startswith("ok: 1 documents, 5 facts checked")  # measures is broken
    code, _, err = run(["check", "measures.yaml"], capsys)
    assert code == 1
    assert diagnostic_lines(err)[0].startswith("measures.yaml:7:7: error[PK103] kind: ")


def test_check_one_document_still_sees_registry_problems(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(kb_dir / "registries" / "topics.yaml", "  - id: training-guidance\n",
         "  - id: training-guidance\n    colour: red\n")
    code, _, err = run(["check", "policies/documents/measures.yaml"], capsys)
    assert code == 1
    assert diagnostic_lines(err) == [
        "policies/registries/topics.yaml:7:5: error[PK101] unknown field 'colour'"
    ]


# --- schema ------------------------------------------------------------------------------------


def test_schema_is_a_json_schema_of_the_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0
    schema = json.loads(out)
    try:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert {"id", "title", "doc_number", "provisions", "actors"} <= set(schema["required"])
    defs = schema["$defs"]
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', out))
    assert refs and refs <= set(defs)
    objects = [d for d in defs.values() if d.get("type") == "object"]
    assert len(objects) >= 10
    assert all(d.get("additionalProperties") is False for d in objects)
    assert {"from", "to"} <= set(defs["Edge"]["properties"])
    # --out writes the same document atomically
    assert main(["schema", "--out", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == schema


# --- subprocess: the real interpreter over every broken fixture --------------------------------


def _subprocess(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "generator.cli", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=30)


FIXTURE_DIRS = sorted(p for p in BROKEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_cli_over_broken_fixture(fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's own entry point, in this process (the interpreter is exercised below)."""
    materialise(fixture, tmp_path)
    monkeypatch.chdir(tmp_path)
    status = main(["check", "policies"])
    text = capsys.readouterr()
    expected = (fixture / "expected.txt").read_text(encoding="utf-8")
    is_error = CODES[fixture.name[:5]].severity.value == "error"
    assert status == (1 if is_error else 0), text.err
    body = text.err.splitlines(keepends=True)
    assert "".join(body[:-1]) == expected
    if is_error:
        assert re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\)\n", body[-1])
    else:
        assert ANY_OK_LINE.match(body[-1].strip())
    assert main(["check", "--format", "json", "policies"]) == status
    as_json = capsys.readouterr()
    assert as_json.err == ""
    codes = [d["code"] for d in json.loads(as_json.out)["diagnostics"]]
    assert codes == re.findall(r"\[(PK\d{3})\]", expected)


#: One fixture per stage of reading, run through a real interpreter (exit status, encoding of
#: the output, no traceback): file, YAML, format, references.
SUBPROCESS_FIXTURES = ["PK002-not-utf8", "PK006-yaml-syntax", "PK101-unknown-field",
                       "PK203-quote-not-found"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SUBPROCESS_FIXTURES)
def test_cli_subprocess_over_broken_fixture(name: str, tmp_path: Path) -> None:
    fixture = BROKEN / name
    materialise(fixture, tmp_path)
    result = _subprocess(["check", "policies"], tmp_path)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    expected = (fixture / "expected.txt").read_text(encoding="utf-8")
    assert "".join(result.stderr.splitlines(keepends=True)[:-1]) == expected
    json_result = _subprocess(["check", "--format", "json", "policies"], tmp_path)
    assert json_result.stderr == "" and json_result.returncode == 1
    codes = [d["code"] for d in json.loads(json_result.stdout)["diagnostics"]]
    assert codes == re.findall(r"\[(PK\d{3})\]", expected)


def test_cli_subprocess_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse non-UTF-8 names")
    materialise(BROKEN / "PK010-not-a-mapping", tmp_path)
    documents = os.fsencode(tmp_path / "policies" / "documents")
    os.rename(documents + b"/list.yaml", documents + b"/" + "部.yaml".encode("gbk"))  # b'\xb2\xbf'
    shown = "policies/documents/\\xb2\\xbf.yaml"  # the bytes, not U+FFFD: which file it is
    result = _subprocess(["check", "policies"], tmp_path)
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert result.stderr.startswith(f"{shown}:1:1: error[PK010] the top level must be a mapping\n")
    result = _subprocess(["check", "--format", "json", "policies"], tmp_path)
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert json.loads(result.stdout)["diagnostics"][0]["path"] == shown


# --- the diagnostics reference page ------------------------------------------------------------


def _sections() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {p.split("\n", 1)[0]: p.split("\n", 1)[1] for p in parts}


def _update_page_examples() -> None:
    """Rewrite each example block from its fixture (POLICYKB_UPDATE_FIXTURES=1)."""
    text = PAGE.read_text(encoding="utf-8")
    for code in CHECK_CODES:
        c = CODES[code]
        expected = (BROKEN / f"{c.id}-{c.name}" / "expected.txt").read_text(encoding="utf-8")

        def swap(match: re.Match[str], example: str = expected) -> str:
            return match.group(1) + example + match.group(3)

        text = re.sub(rf"(^## {c.id} {c.name}\n.*?```text\n)(.*?)(```)", swap, text, count=1,
                      flags=re.DOTALL | re.MULTILINE)
    PAGE.write_text(text, encoding="utf-8")


def test_diagnostics_page_documents_every_code_with_its_fixture_output() -> None:
    if os.environ.get("POLICYKB_UPDATE_FIXTURES"):
        _update_page_examples()
    sections = _sections()
    assert list(sections) == [f"{c.id} {c.name}" for c in CODES.values()]
    text = PAGE.read_text(encoding="utf-8")
    for c in CODES.values():
        body = sections[f"{c.id} {c.name}"]
        assert body.lstrip("\n").startswith(f"**{c.severity.value}** — {c.summary}\n"), c.id
        row = f"| [{c.id}](#{c.id.lower()}-{c.name}) | `{c.name}` | {c.severity.value} | "
        assert f"{row}{c.summary} |" in text, c.id
        assert "**How to fix:**" in body, c.id
        example = re.search(r"```text\n(.*?)```", body, flags=re.DOTALL)
        if c.id not in CHECK_CODES:  # build stage: reported by policykb build, no fixture
            assert example is None and "policykb build" in body, c.id
            continue
        assert example is not None, c.id
        fixture = BROKEN / f"{c.id}-{c.name}" / "expected.txt"
        assert fixture.is_file(), f"{c.id} has no broken fixture"
        assert example.group(1) == fixture.read_text(encoding="utf-8"), c.id
        for case in sorted(BROKEN.glob(f"{c.id}-{c.name}--*")):  # each case is listed
            assert f"`{case.name}`" in body, case.name


def test_a_symlink_loop_in_documents_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    shutil.copytree(KB_MINI, tmp_path / "kb")
    documents = tmp_path / "kb" / "documents"
    (documents / "a.yaml").symlink_to("b.yaml")
    (documents / "b.yaml").symlink_to("a.yaml")
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "check", str(tmp_path / "kb")],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "a.yaml: error[PK012] cannot read: Too many levels of symbolic links" in proc.stderr
