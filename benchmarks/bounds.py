"""Build time at the input limits: the largest provision a policy file can hold, and a procedure
at the check's step and label caps.

    .venv/bin/python -m benchmarks.run --bounds-only    # these cases alone, about a minute

Each case is one synthetic document next to the real registries (``policies/registries``),
built end to end by ``pipeline.build`` (strict, as the CLI builds) in a throw-away project of its
own.  A baseline — the same document with a one-line provision and a three-step procedure —
shows what the limits add to a build of the same shape.

Why these cases: escaping made each ASCII punctuation mark an inline match for Python-Markdown,
and every match copied the whole paragraph (151 KB of punctuation: 44 s in mkdocs, quadratic);
Graphviz spent 30 s on a 200-step procedure and crashed on 400 steps.  A figure per limit shows
that the cost at the limit stays bounded.
"""

from __future__ import annotations

import shutil
import string
import time
from pathlib import Path
from typing import Any

from benchmarks.synth import dump_document
from generator.source.schema import MAX_PROCEDURE_STEPS, MAX_STEP_LABEL
from generator.source.yaml_loader import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[1]
REGISTRIES = REPO / "policies" / "registries"

DOCUMENT_ID = "bound-case"
HEADER = "# Written by benchmarks/bounds.py: one case at the input limits.\n"
#: Step labels are made of these, cut to MAX_STEP_LABEL characters after the step number.
_LABEL_TEXT = "审核材料出具书面意见送达当事人报请上级机关批准后移送有管辖权的部门依法处理并反馈结果"
_LANES = ("township", "county-dept", "justice", "government")
_ACTORS = [
    {"id": "township", "name": "镇（街道）", "type": "township"},
    {"id": "county-dept", "name": "县级执法业务主管部门", "type": "competent-department"},
    {"id": "justice", "name": "县司法局", "type": "justice-bureau"},
    {"id": "government", "name": "县人民政府", "type": "government"},
]


def step_label(number: int) -> str:
    """``第07步审核材料…``: exactly MAX_STEP_LABEL characters, different for every step."""
    head = f"第{number:02d}步"
    return head + _LABEL_TEXT[number % 7:][: MAX_STEP_LABEL - len(head)]


def _step_sentence(number: int) -> str:
    return f"第{number:02d}步由{_ACTORS[number % len(_LANES)]['name']}办理。"


def procedure(steps: int) -> tuple[dict[str, Any], str]:
    """A procedure of ``steps`` steps in four lanes and the provision text its quotes come from.

    A chain from start to end; every sixth step is a decision whose "否" edge goes back three
    steps, so the chart has loops and crossing edges as escalation procedures do.
    """
    items, edges = [], []
    for i in range(steps):
        kind = "start" if i == 0 else "end" if i == steps - 1 else (
            "decision" if i % 6 == 5 else "task")
        items.append({"id": f"s{i:02d}", "actor": _LANES[i % len(_LANES)], "kind": kind,
                      "label": step_label(i), "provision": "s2",
                      "quote": _step_sentence(i).rstrip("。")})
        if i + 1 < steps:
            edge: dict[str, Any] = {"from": f"s{i:02d}", "to": f"s{i + 1:02d}"}
            if kind == "decision":
                edge["condition"] = "是"
                edges.append(edge)
                edges.append({"from": f"s{i:02d}", "to": f"s{i - 3:02d}", "condition": "否"})
            else:
                edges.append(edge)
    lanes = list(_LANES[: min(len(_LANES), steps)])
    proc = {"id": "flow", "title": f"{steps}步流程", "topic": "case-transfer", "lanes": lanes,
            "steps": items, "edges": edges}
    return proc, "".join(_step_sentence(i) for i in range(steps))


def document(provision_text: str, steps: int) -> dict[str, Any]:
    """The case's document: provision ``s1`` holds ``provision_text``; ``s2`` the steps."""
    proc, steps_text = procedure(steps)
    return {
        "id": DOCUMENT_ID,
        "title": "输入上限测试文件",
        "doc_number": None,
        "issuers": [{"name": "金湖县人民政府办公室", "jurisdiction": "jinhu"}],
        "jurisdiction": "jinhu",
        "kind": "mechanism",
        "status": "unknown",
        "dates": {"issued": None},
        "source": {"seed": None},
        "script": "simplified",
        "provisions": [
            {"id": "s1", "number": "一、", "text": provision_text},
            {"id": "s2", "number": "二、", "text": steps_text},
        ],
        "actors": _ACTORS,
        "procedures": [proc],
    }


def punctuation(count: int) -> str:
    """``count`` ASCII punctuation marks, every one of the 32 in turn."""
    marks = string.punctuation
    return (marks * (count // len(marks) + 1))[:count]


def largest_punctuation_document(limit: int = MAX_FILE_BYTES) -> tuple[bytes, int]:
    """The document with the longest punctuation provision whose file fits in ``limit`` bytes,
    and that provision's length in characters."""
    count = limit
    while True:
        data = dump_document(document(punctuation(count), 3), HEADER)
        if len(data) <= limit:
            return data, count
        count -= max(1, (len(data) - limit) * 32 // 34)  # ' is written twice in YAML


CASES: dict[str, str] = {
    "baseline": "baseline: the same document with a one-line provision and 3 steps",
    "provision": "a provision of ASCII punctuation filling the file-size cap",
    "procedure": f"a procedure of {MAX_PROCEDURE_STEPS} steps with {MAX_STEP_LABEL}-character "
                 "labels in 4 lanes",
}


def case_document(name: str) -> tuple[bytes, dict[str, Any]]:
    """The YAML of one case and what describes it in the report."""
    if name == "provision":
        data, chars = largest_punctuation_document()
        return data, {"provision_chars": chars}
    if name == "procedure":
        return dump_document(document(_step_sentence(0), MAX_PROCEDURE_STEPS), HEADER), {
            "steps": MAX_PROCEDURE_STEPS, "label_chars": MAX_STEP_LABEL}
    return dump_document(document("各部门应当加强协调配合。", 3), HEADER), {"steps": 3}


def measure_case(name: str, work: Path) -> dict[str, Any]:
    """Build one case from scratch and time it; ``dot`` is also timed on its chart alone."""
    from benchmarks.project import (
        build_call,
        build_errors,
        build_ok,
        build_timings,
        prepare_project,
    )
    from generator.pipeline import load_knowledge_base
    from generator.publish.graphviz import render_svgs
    from generator.render.site import render_site

    root = work / name
    shutil.rmtree(root, ignore_errors=True)
    docs, site = prepare_project(root)
    policies = root / "policies"
    shutil.copytree(REGISTRIES, policies / "registries")
    data, described = case_document(name)
    (policies / "documents").mkdir(parents=True)
    (policies / "documents" / f"{DOCUMENT_ID}.yaml").write_bytes(data)
    out: dict[str, Any] = {"case": name, "what": CASES[name], "yaml_bytes": len(data),
                           **described}
    started = time.perf_counter()
    result = build_call(policies, docs, site, cache_dir=None)()
    out["total_seconds"] = time.perf_counter() - started
    out["ok"] = build_ok(result)
    out["errors"] = build_errors(result)[:3]
    out["timings"] = build_timings(result)
    page = site / "documents" / DOCUMENT_ID / "index.html"
    out["page_bytes"] = page.stat().st_size if page.is_file() else None
    kb, _report = load_knowledge_base(policies)
    if kb is not None:
        charts = [d for d in render_site(kb).diagrams if DOCUMENT_ID in d.path]
        started = time.perf_counter()
        _svgs, problems = render_svgs(charts)
        out["dot_seconds"] = time.perf_counter() - started
        out["dot_problems"] = [p.message for p in problems]
    return out


def measure_bounds(work: Path) -> list[dict[str, Any]]:
    return [measure_case(name, work) for name in CASES]
