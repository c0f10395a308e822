"""DOT sources through the real ``dot``: no warnings, nothing active, labels shown literally."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.render import Diagram
from generator.render.site import render_site
from generator.validate import check_knowledge_base

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kb-mini"

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")


@pytest.fixture(scope="module")
def diagrams() -> dict[str, Diagram]:
    kb, report = check_knowledge_base(FIXTURE)
    assert kb is not None, report.sorted()
    return {d.path: d for d in render_site(kb).diagrams}


def dot_svg(source: str) -> str:
    run = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr
    return run.stdout


def svg_texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def svg_titles(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]


def test_every_chart_renders_without_warnings(diagrams: dict[str, Diagram]) -> None:
    assert sorted(diagrams) == [
        "diagrams/citations.svg",
        "diagrams/hostile-mini/hostile-flow.svg",
        "diagrams/jinhu-mini/dispute-flow.svg",
        "diagrams/jinhu-mini/transfer-flow.svg",
    ]
    for diagram in diagrams.values():
        svg = dot_svg(diagram.dot)
        assert "<script" not in svg.lower()
        assert "<image" not in svg.lower() and "sentinel" not in svg
        assert "<foreignObject" not in svg


def test_hostile_labels_are_literal(diagrams: dict[str, Diagram]) -> None:
    svg = dot_svg(diagrams["diagrams/hostile-mini/hostile-flow.svg"].dot)
    texts = svg_texts(svg)
    for label in ['"流程" \\N \\G <b>粗</b>', "镇街<b>|</b>", "县级部门 [x](javascript:alert(1))",
                  "1. 第1步:受理", "2. 审核", "3. 审核", "4. 路径 C:\\", '"是" -> \\"',
                  "<b>否</b>|{{ 7*7 }}"]:
        assert label in texts, label
    titles = svg_titles(svg)
    assert "路径 C:\\" in titles and "第1步:受理" in titles
    assert '"流程" \\N \\G <b>粗</b>' in titles


def test_steps_are_separate_nodes_with_synthetic_ids(diagrams: dict[str, Diagram]) -> None:
    dot = diagrams["diagrams/hostile-mini/hostile-flow.svg"].dot
    nodes = re.findall(r'^  ("n\d+") \[', dot, re.M)
    assert nodes == ['"n0"', '"n1"', '"n2"', '"n3"']
    svg = dot_svg(dot)
    assert svg_texts(svg).count("2. 审核") == 1 and svg_texts(svg).count("3. 审核") == 1


def test_nodes_link_to_their_clause(diagrams: dict[str, Diagram]) -> None:
    svg = dot_svg(diagrams["diagrams/jinhu-mini/transfer-flow.svg"].dot)
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert "#s1-1" in hrefs and "#s1-2" in hrefs
    assert "#clock--transfer-clock" in hrefs
    assert all(h.startswith("#") for h in hrefs)
    texts = svg_texts(svg)
    assert "3个工作日内" in texts and "情况紧急：24小时内" in texts
    assert 'font-family="Noto Sans CJK SC"' in svg


def test_lanes_keep_their_order(diagrams: dict[str, Diagram]) -> None:
    dot = diagrams["diagrams/jinhu-mini/dispute-flow.svg"].dot
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True,
                           check=True).stdout
    x = {line.split()[1]: float(line.split()[2])
         for line in plain.splitlines() if line.startswith("node ")}
    assert x["h0"] < x["h1"] < x["h2"]


def test_svg_ids_do_not_collide_between_charts(diagrams: dict[str, Diagram]) -> None:
    seen: set[str] = set()
    for diagram in diagrams.values():
        ids = set(re.findall(r' id="([^"]+)"', dot_svg(diagram.dot)))
        assert not ids & seen, ids & seen
        seen |= ids


def test_citation_chart_links_documents(diagrams: dict[str, Diagram]) -> None:
    svg = dot_svg(diagrams["diagrams/citations.svg"].dot)
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert "../../documents/jinhu-mini/" in hrefs
    titles = svg_titles(svg)
    assert any("关于深化综合行政执法体制改革的指导意见" in t and "未收录" in t for t in titles)
    assert any("<script>x</script>《嵌套》\\" in t for t in titles)
