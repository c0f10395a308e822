"""DOT sources through the real ``dot``: swimlanes in order, every step in its lane and linked to
its clause, no warnings, nothing active, labels shown literally."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from generator.domain.graph import build_graph
from generator.domain.model import KnowledgeBase
from generator.pipeline import load_knowledge_base
from generator.publish.graphviz import render_svgs
from generator.render import Diagram
from generator.render.context import RenderContext
from generator.render.procedures import reading_order, wrap_label
from generator.render.site import render_site

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "kb-mini"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")


#: The start of a lane's cluster in the DOT (anonymous clusters, identified by their SVG id).
LANE_BLOCK = r'  subgraph \{\n    graph \[cluster=true, id="[^"]*--l\d+"'


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, report = load_knowledge_base(FIXTURE)
    assert kb is not None, report.sorted()
    return kb


@pytest.fixture(scope="module")
def diagrams(kb: KnowledgeBase) -> dict[str, Diagram]:
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


# --- the SVG as geometry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass(frozen=True)
class Chart:
    lanes: dict[int, Box]  # lane index -> band frame
    steps: dict[int, tuple[float, float]]  # step number (0-based) -> centre of its first line
    step_links: dict[int, list[str]]
    labels: dict[str, list[str]]  # lane or node id -> its text lines
    edge_links: dict[str, list[str]]


def _points(polygon: ET.Element) -> Box:
    pairs = [tuple(map(float, p.split(","))) for p in polygon.attrib["points"].split()]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return Box(min(xs), min(ys), max(xs), max(ys))


def parse_chart(svg: str, procedure_id: str) -> Chart:
    prefix = f"pk--{procedure_id}--"
    lanes: dict[int, Box] = {}
    steps: dict[int, tuple[float, float]] = {}
    step_links: dict[int, list[str]] = {}
    labels: dict[str, list[str]] = {}
    edge_links: dict[str, list[str]] = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        kind, gid = group.attrib.get("class"), group.attrib.get("id", "")
        if kind not in {"cluster", "node", "edge"}:
            continue
        assert gid.startswith(prefix), gid
        local = gid.removeprefix(prefix)
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        hrefs = [a.attrib[f"{XLINK}href"] for a in group.iter(f"{SVG}a")
                 if f"{XLINK}href" in a.attrib]
        labels[local] = texts
        if kind == "cluster" and (m := re.fullmatch(r"l(\d+)", local)):
            lanes[int(m.group(1))] = _points(next(group.iter(f"{SVG}polygon")))
        elif kind == "node" and (m := re.fullmatch(r"n(\d+)", local)):
            first = next(group.iter(f"{SVG}text"))
            steps[int(m.group(1))] = (float(first.attrib["x"]), float(first.attrib["y"]))
            step_links[int(m.group(1))] = hrefs
        elif kind == "edge" or (kind == "node" and re.fullmatch(r"e\d+[cl]", local)):
            edge_links[local] = hrefs
    return Chart(lanes, steps, step_links, labels, edge_links)


def expected_lanes(kb: KnowledgeBase, document_id: str, procedure_id: str) -> dict[int, set[int]]:
    """Lane index -> the numbers (0-based, chart order) of the steps its actor performs."""
    doc = kb.document_by_id[document_id]
    proc = next(p for p in doc.procedures if p.id == procedure_id)
    order = reading_order(RenderContext(kb, build_graph(kb)), proc)
    actor = {s.id: s.actor for s in proc.steps}
    return {li: {i for i, sid in enumerate(order) if actor[sid] is lane}
            for li, lane in enumerate(proc.lanes)}


def assert_swimlanes(svg: str, kb: KnowledgeBase, document_id: str, procedure_id: str) -> Chart:
    """Bands side by side in the declared order, equally tall, each around exactly its steps."""
    chart = parse_chart(svg, procedure_id)
    lanes = expected_lanes(kb, document_id, procedure_id)
    assert sorted(chart.lanes) == sorted(lanes)
    boxes = [chart.lanes[i] for i in sorted(chart.lanes)]
    for left, right in pairwise(boxes):
        assert left.x1 < right.x0, (procedure_id, boxes)
    assert max(b.y0 for b in boxes) - min(b.y0 for b in boxes) <= 1.5, boxes
    assert max(b.y1 for b in boxes) - min(b.y1 for b in boxes) <= 1.5, boxes
    for step, (x, y) in chart.steps.items():
        inside = {li for li, box in chart.lanes.items() if box.contains(x, y)}
        assert inside == {li for li, members in lanes.items() if step in members}, step
    assert set(chart.steps) == set().union(*lanes.values())
    return chart


# --- rendering ----------------------------------------------------------------------------------


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


@pytest.mark.parametrize(("document_id", "procedure_id"), [
    ("jinhu-mini", "transfer-flow"), ("jinhu-mini", "dispute-flow"),
    ("hostile-mini", "hostile-flow"),
])
def test_every_lane_is_a_band_around_exactly_its_steps(
        diagrams: dict[str, Diagram], kb: KnowledgeBase, document_id: str,
        procedure_id: str) -> None:
    dot = diagrams[f"diagrams/{document_id}/{procedure_id}.svg"].dot
    lanes = expected_lanes(kb, document_id, procedure_id)
    # In the DOT: one cluster per lane, declaring exactly the lane's steps.
    blocks = dict(re.findall(LANE_BLOCK.replace(r"l\d+", r"l(\d+)") + r"(.*?)\n  \}", dot, re.S))
    assert sorted(map(int, blocks)) == sorted(lanes)
    for li, body in blocks.items():
        declared = {int(n) for n in re.findall(r'^    "n(\d+)" \[', body, re.M)}
        assert declared == lanes[int(li)]
    # In the SVG: framed, shaded bands titled with the actor, in order, around their steps.
    svg = dot_svg(dot)
    chart = assert_swimlanes(svg, kb, document_id, procedure_id)
    doc = kb.document_by_id[document_id]
    proc = next(p for p in doc.procedures if p.id == procedure_id)
    for li, actor in enumerate(proc.lanes):
        assert "".join(chart.labels[f"l{li}"]) == actor.name.replace(" ", "")
    frames = re.findall(r'&#45;l\d+" class="cluster">\n.*?<polygon fill="([^"]+)"'
                        r' stroke="([^"]+)"', svg, re.S)
    assert len(frames) == len(proc.lanes)
    for fill, stroke in frames:  # light band, dark frame: readable in greyscale print
        assert _grey(fill) > 0.85 and _grey(stroke) < 0.3, (fill, stroke)


def _grey(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_nodes_link_to_their_clause(diagrams: dict[str, Diagram], kb: KnowledgeBase) -> None:
    ctx = RenderContext(kb, build_graph(kb))
    for document_id, procedure_id in [("jinhu-mini", "transfer-flow"),
                                      ("jinhu-mini", "dispute-flow"),
                                      ("hostile-mini", "hostile-flow")]:
        svg = dot_svg(diagrams[f"diagrams/{document_id}/{procedure_id}.svg"].dot)
        chart = parse_chart(svg, procedure_id)
        doc = kb.document_by_id[document_id]
        proc = next(p for p in doc.procedures if p.id == procedure_id)
        order = reading_order(ctx, proc)
        provision = {s.id: s.provision.id for s in proc.steps}
        assert chart.step_links == {i: [f"../#{provision[sid]}"] for i, sid in enumerate(order)}
        # Only the limits on edges link (to their clock's row); arrows and conditions do not,
        # so that Tab stops on steps and limits only.
        for local, links in chart.edge_links.items():
            if local.endswith("l"):
                assert len(links) == 1 and re.fullmatch(r"\.\./#clock--[a-z0-9-]+", links[0])
            else:
                assert links == [], (local, links)
    svg = dot_svg(diagrams["diagrams/jinhu-mini/transfer-flow.svg"].dot)
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert "../#s1-1" in hrefs and "../#s1-2" in hrefs
    assert "../#clock--transfer-clock" in hrefs and "../#clock--acceptance-notice" in hrefs
    assert all(h.startswith("../#") for h in hrefs)
    # The two edges urgent -> send (否 / 是) are two arrows, each with its own condition (next
    # to the decision, in its lane) and its own limit (next to the step it bounds).
    chart = parse_chart(svg, "transfer-flow")
    assert chart.labels["e1c"] == ["否"] and chart.labels["e1l"] == ["3个工作日内"]
    assert chart.labels["e2c"] == ["是"] and chart.labels["e2l"] == ["情况紧急：24小时内"]
    assert chart.edge_links["e1l"] == chart.edge_links["e2l"] == ["../#clock--transfer-clock"]
    assert {"e1", "e1a", "e1b", "e2", "e2a", "e2b"} <= set(chart.edge_links)
    assert "5个工作日内" in svg_texts(svg)
    assert 'font-family="Noto Sans CJK SC"' in svg
    # Every text is at least 12 pt: the body text's size at the chart's natural size.
    sizes = {float(v) for v in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)}
    assert min(sizes) >= 12, sizes


def test_limits_sit_in_the_lane_of_the_step_they_bound(
        diagrams: dict[str, Diagram], kb: KnowledgeBase) -> None:
    """A limit drawn beside the step before it read as that step's own limit."""
    svg = dot_svg(diagrams["diagrams/jinhu-mini/transfer-flow.svg"].dot)
    chart = parse_chart(svg, "transfer-flow")
    root = ET.fromstring(svg)
    doc = kb.document_by_id["jinhu-mini"]
    proc = next(p for p in doc.procedures if p.id == "transfer-flow")
    lane_of = {a.id: li for li, a in enumerate(proc.lanes)}
    for ei, edge in enumerate(proc.edges):
        if edge.clock is None:
            continue
        group = next(g for g in root.iter(f"{SVG}g")
                     if g.attrib.get("id") == f"pk--transfer-flow--e{ei}l")
        text = next(group.iter(f"{SVG}text"))
        x, y = float(text.attrib["x"]), float(text.attrib["y"])
        inside = [li for li, box in chart.lanes.items() if box.contains(x, y)]
        assert inside == [lane_of[edge.target.actor.id]], (ei, inside)


def test_steps_are_numbered_in_reading_order(kb: KnowledgeBase) -> None:
    """Row by row from the top: a step's number is never smaller than that of a step above it."""
    graph = build_graph(kb)
    ctx = RenderContext(kb, graph)
    for doc in kb.documents:
        for proc in doc.procedures:
            layers = graph.step_layers(doc.id, proc.id)
            order = reading_order(ctx, proc)
            assert sorted(order) == sorted(s.id for s in proc.steps)
            assert [layers[s] for s in order] == sorted(layers[s] for s in order)


def test_focus_visits_the_chart_along_the_flow(diagrams: dict[str, Diagram],
                                              kb: KnowledgeBase) -> None:
    """Links appear in the SVG (the tab order) as the chart is read: the steps by number, each
    limit just before the step it bounds."""
    svg = dot_svg(diagrams["diagrams/jinhu-mini/transfer-flow.svg"].dot)
    ids = re.findall(r'<g id="pk&#45;&#45;transfer&#45;flow&#45;&#45;([^"]+)" class="node"',
                     svg)
    steps = [i for i in ids if re.fullmatch(r"n\d+", i)]
    assert steps == [f"n{k}" for k in range(len(steps))]
    proc = next(p for p in kb.document_by_id["jinhu-mini"].procedures if p.id == "transfer-flow")
    number = {sid: k for k, sid in enumerate(reading_order(RenderContext(kb, build_graph(kb)),
                                                           proc))}
    limits = [i for i in ids if i.endswith("l")]
    assert limits
    for local in limits:
        target = proc.edges[int(local[1:-1])].target.id
        next_step = next(i for i in ids[ids.index(local):] if i.startswith("n"))
        assert next_step == f"n{number[target]}", (local, next_step)


def test_chart_is_self_contained(diagrams: dict[str, Diagram]) -> None:
    """Nothing to fetch: no images, fonts, styles or scripts from anywhere; CJK text as text."""
    for path, diagram in diagrams.items():
        if "citations" in path:
            continue
        svg = dot_svg(diagram.dot)
        body = svg[svg.index("<svg"):]
        external = [u for u in re.findall(r'(?:href|src)="([^"]*)"', body)
                    if not u.startswith("../#")]
        assert external == [], external
        assert "url(" not in body and "@import" not in body and "<style" not in body
        fonts = set(re.findall(r'font-family="([^"]*)"', body))
        assert fonts == {"Noto Sans CJK SC"}, fonts


def test_lanes_keep_their_order(diagrams: dict[str, Diagram], kb: KnowledgeBase) -> None:
    """dot orders clusters by their (memory-address) ids and by crossings; the chart must hold
    the declared order whatever order the clusters come in."""
    dot = diagrams["diagrams/jinhu-mini/dispute-flow.svg"].dot
    blocks = re.findall(LANE_BLOCK + r".*?\n  \}\n", dot, re.S)
    assert len(blocks) == 3
    for permutation in ([2, 1, 0], [1, 2, 0], [2, 0, 1]):
        shuffled = dot.replace("".join(blocks), "".join(blocks[i] for i in permutation))
        assert shuffled != dot
        assert_swimlanes(dot_svg(shuffled), kb, "jinhu-mini", "dispute-flow")


def test_steps_are_separate_nodes_with_synthetic_ids(diagrams: dict[str, Diagram]) -> None:
    dot = diagrams["diagrams/hostile-mini/hostile-flow.svg"].dot
    nodes = re.findall(r'^\s+("n\d+") \[id=', dot, re.M)
    assert nodes == ['"n0"', '"n1"', '"n2"', '"n3"']
    assert not re.search(r'^\s+"[^"]*[^a-z0-9"][^"]*" \[', dot, re.M)  # every id synthetic
    svg = dot_svg(dot)
    assert svg_texts(svg).count("2. 审核") == 1 and svg_texts(svg).count("3. 审核") == 1


def test_hostile_labels_are_literal(diagrams: dict[str, Diagram]) -> None:
    svg = dot_svg(diagrams["diagrams/hostile-mini/hostile-flow.svg"].dot)
    texts = svg_texts(svg)
    for label in ['"流程" \\N \\G <b>粗</b>', "镇街<b>|</b>", "1. 第1步:受理", "2. 审核",
                  "3. 审核", "4. 路径 C:\\", '"是" -> \\"']:
        assert label in texts, label
    chart = parse_chart(svg, "hostile-flow")
    assert chart.labels["e2c"] == ["<b>否</b>|{{ 7*7 }}"]
    assert chart.labels["l1"] == ["县级部门", "[x](javascript:alert(1))"]  # wrapped at the space
    titles = svg_titles(svg)
    assert any(t.startswith("4. 路径 C:\\") for t in titles)
    assert any(t.startswith("1. 第1步:受理") for t in titles)
    assert '"流程" \\N \\G <b>粗</b>' in titles
    assert "县级部门 [x](javascript:alert(1))" in titles
    assert "javascript:" not in "".join(re.findall(r'xlink:href="([^"]*)"', svg))


def test_svg_ids_do_not_collide_between_charts(diagrams: dict[str, Diagram]) -> None:
    seen: set[str] = set()
    for diagram in diagrams.values():
        ids = re.findall(r' id="([^"]+)"', dot_svg(diagram.dot))
        assert len(ids) == len(set(ids)), diagram.path
        assert not set(ids) & seen, set(ids) & seen
        seen |= set(ids)


def test_citation_chart_links_documents(diagrams: dict[str, Diagram]) -> None:
    svg = dot_svg(diagrams["diagrams/citations.svg"].dot)
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert "../../documents/jinhu-mini/" in hrefs
    titles = svg_titles(svg)
    assert any("关于深化综合行政执法体制改革的指导意见" in t and "未收录" in t for t in titles)
    assert any("<script>x</script>《嵌套》\\" in t for t in titles)


# --- a wide procedure: 8 lanes, edges skipping lanes both ways, a loop --------------------------

WIDE_LABELS = [
    "发现违法行为属于其他部门管辖", "情况紧急是否需要立即处置", "在5个工作日内移送有管辖权的部门",
    "24小时内书面告知受理情况并反馈处理结果", "审核", "组织联合执法检查", "召开专题会议研究决定",
    "报县政府决定", "依法作出行政处罚决定", "涉嫌犯罪的移送公安机关依法处理", "退回补正",
]


def wide_document() -> dict[str, object]:
    types = ["township", "competent-department", "justice-bureau", "government",
             "public-security", "competent-department", "justice-bureau", "government"]
    names = ["镇（街道）综合行政执法局", "县级执法业务主管部门", "县司法局", "县人民政府",
             "公安机关", "市场监督管理局", "人民检察院", "当事人"]
    plan: list[tuple[str, int, str, int, list[tuple[str, str | None]]]] = [
        # step, lane, kind, label, edges out (target, condition)
        ("s0", 0, "start", 0, [("s1", None)]),
        ("s1", 0, "decision", 1, [("s2", "是"), ("s3", "否")]),
        ("s2", 3, "task", 2, [("s4", None)]),
        ("s3", 7, "task", 5, [("s5", "涉嫌犯罪且属于本部门管辖范围的")]),
        ("s4", 1, "task", 3, [("s6", None)]),
        ("s5", 6, "task", 6, [("s6", None)]),
        ("s6", 5, "decision", 4, [("s7", "通过"), ("s4", "退回补正"), ("s9", "不通过")]),
        ("s7", 2, "task", 7, [("s8", None)]),
        ("s8", 4, "end", 8, []),
        ("s9", 0, "end", 9, []),
    ]
    steps: list[dict[str, object]] = []
    edges: list[dict[str, object]] = []
    for sid, lane, kind, label, out in plan:
        steps.append({"id": sid, "actor": f"a{lane}", "kind": kind, "label": WIDE_LABELS[label],
                      "provision": "s1", "quote": WIDE_LABELS[label]})
        for target, condition in out:
            edge: dict[str, object] = {"from": sid, "to": target}
            if condition:
                edge["condition"] = condition
            if (sid, target) == ("s1", "s2"):
                edge["clock"] = "transfer"
            edges.append(edge)
    return {
        "id": "wide-mini", "title": "合成宽流程", "doc_number": None,
        "issuers": [{"name": "测试", "jurisdiction": "jinhu"}], "jurisdiction": "jinhu",
        "kind": "mechanism", "status": "unknown",
        "dates": {"issued": None, "published": None, "effective": None},
        "source": {"seed": None, "url": None, "publisher": None, "retrieved": None},
        "script": "simplified", "summary": "合成",
        "provisions": [{"id": "s1", "number": "一、", "text": "；".join(WIDE_LABELS) + "。"}],
        "actors": [{"id": f"a{i}", "name": n, "type": t}
                   for i, (n, t) in enumerate(zip(names, types, strict=True))],
        "clocks": [{"id": "transfer", "topic": "case-transfer", "actors": ["a0"],
                    "trigger": "发现", "action": "移送",
                    "limit": {"unit": "working_days", "value": 5},
                    "answers": "transfer-deadline", "attribution": "editorial",
                    "attribution_reason": "合成的测试文件",
                    "variants": [{"when": "情况紧急", "limit": {"unit": "hours", "value": 24},
                                  "quote": WIDE_LABELS[3]}],
                    "provision": "s1", "quote": WIDE_LABELS[2]}],
        "procedures": [{"id": "wide-flow", "title": "合成测试：八条泳道、跨道与回退的宽流程图",
                        "topic": "case-transfer", "lanes": [f"a{i}" for i in range(8)],
                        "steps": steps, "edges": edges}],
    }


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, str]:
    root = tmp_path_factory.mktemp("wide") / "kb"
    shutil.copytree(FIXTURE, root)
    (root / "documents" / "wide-mini.yaml").write_text(
        yaml.safe_dump(wide_document(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb, report = load_knowledge_base(root)
    assert kb is not None, report.sorted()
    dot = {d.path: d for d in render_site(kb).diagrams}["diagrams/wide-mini/wide-flow.svg"].dot
    return kb, dot


def test_wide_procedure_keeps_eight_bands_in_order(wide: tuple[KnowledgeBase, str]) -> None:
    kb, dot = wide
    blocks = re.findall(LANE_BLOCK + r".*?\n  \}\n", dot, re.S)
    assert len(blocks) == 8
    for permutation in (list(range(8)), list(range(7, -1, -1)), [3, 6, 0, 5, 1, 7, 2, 4]):
        shuffled = dot.replace("".join(blocks), "".join(blocks[i] for i in permutation))
        svg = dot_svg(shuffled)
        chart = assert_swimlanes(svg, kb, "wide-mini", "wide-flow")
        assert chart.labels["l0"] == ["镇（街道）综合行政执法局"]
        # Lane titles are padded to the same number of lines, so the bands line up.
        assert all(len(chart.labels[f"l{i}"]) == 1 for i in range(8))


def test_wide_procedure_labels_wrap_and_link(wide: tuple[KnowledgeBase, str]) -> None:
    _kb, dot = wide
    svg = dot_svg(dot)
    texts = svg_texts(svg)
    for unit in ("24小时内", "5个工作日内"):  # wrapped, but never inside a number and its unit
        assert any(unit in line for line in texts), unit
    for line in texts:
        assert wrap_width(line) <= 12, line
    # The decision's three exits carry their conditions; the loop back keeps a plain label.
    assert {"通过", "不通过", "退回补正"} <= set(texts)
    loops = [line for line in dot.splitlines() if "constraint=false" in line]
    assert len(loops) == 1 and 'label="退回补正"' in loops[0]
    chart = parse_chart(svg, "wide-flow")
    assert chart.edge_links  # the clock edge
    assert all(h == ["../#clock--transfer"] for h in chart.edge_links.values() if h)


def wrap_width(text: str) -> float:
    """Width in full-width characters; the chart title wraps at 30, not 12."""
    if text.startswith("合成测试"):
        return 0
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


# --- wrapping Chinese labels --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("移送县级部门", 11, "移送县级部门"),
    # balanced, not 11 + 2
    ("镇街发现违法行为属县级部门管辖", 11, "镇街发现违法行\n为属县级部门管辖"),
    # a number with its unit is never split
    ("在5个工作日内移送有管辖权的部门", 11, "在5个工作日内移\n送有管辖权的部门"),
    ("24小时内书面告知受理情况并反馈处理结果", 11, "24小时内书面告知受\n理情况并反馈处理结果"),
    ("每人每年培训不少于60学时", 8, "每人每年培训\n不少于60学时"),
    # a break after punctuation or before a bracket wins over balance
    ("发现违法行为正在进行：立即", 12, "发现违法行为正在进行：\n立即"),
    ("5个工作日内 · 情况紧急：24小时内", 12, "5个工作日内 ·\n情况紧急：24小时内"),
    ("依法追究刑事责任（涉嫌犯罪的）", 11, "依法追究刑事责任\n（涉嫌犯罪的）"),
    # the step number stays with the text; ASCII words stay whole
    ("4. 需执法部门解决还是归属职能部门?", 8, "4. 需执法部\n门解决还是归\n属职能部门?"),
    ("县级部门 [x](javascript:alert(1))", 12, "县级部门\n[x](javascript:alert(1))"),
    # existing line breaks stay
    ("是\n情况紧急：24小时内", 12, "是\n情况紧急：24小时内"),
])
def test_wrap_label(text: str, width: int, expected: str) -> None:
    assert wrap_label(text, width) == expected


def test_wrap_label_never_loses_text_or_splits_units() -> None:
    sentence = "应在3个工作日内移送县级部门；情况紧急的，应在24小时内移送"
    for text in [*WIDE_LABELS, sentence, "a" * 40]:
        for width in (6, 8, 11, 12):
            wrapped = wrap_label(text, width)
            assert wrapped.replace("\n", "") == text.replace(" ", "")
            for unit in re.findall(r"\d+(?:个工作日|小时|学时)内?", text):
                assert any(unit in line for line in wrapped.split("\n")), (unit, width)


@pytest.fixture(scope="module")
def real_diagrams() -> list[Diagram]:
    kb, report = load_knowledge_base(Path(__file__).resolve().parents[2] / "policies")
    assert kb is not None, report.sorted()
    return sorted(render_site(kb).diagrams, key=lambda d: d.path)


def test_a_chart_does_not_depend_on_the_charts_sharing_its_dot_run(
        real_diagrams: list[Diagram]) -> None:
    """Charts are cached and reused across builds, so batching must not change their bytes
    (named clusters made dot order bands by string addresses left by earlier graphs)."""
    charts = [d for d in real_diagrams if d.path != "diagrams/citations.svg"]
    assert len(charts) >= 30
    batch, problems = render_svgs(charts)
    assert problems == []
    reversed_batch, _ = render_svgs(list(reversed(charts)))
    alone = {d.path: render_svgs([d])[0][d.path] for d in charts[:8]}
    assert reversed_batch == batch
    assert {path: batch[path] for path in alone} == alone
    assert not any("page0," in svg or "<title>%" in svg for svg in batch.values())
