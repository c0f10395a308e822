"""The 案件去向 guide's data (generator/render/routing.py): procedures → situations, questions,
answers, as the browser gets them.

On the real documents (Jinhu, Xilinhot) and on tests/fixtures/routing/routing-mini.yaml, whose
procedures have the shapes the real ones lack (a fan-out, a task whose ways out all have
conditions, a hand-over, more decisions than the guide asks about).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import load_kb
from routing_kb import routing_policies

from generator.domain.graph import build_graph
from generator.domain.model import Procedure
from generator.domain.resolve import resolve
from generator.domain.wording import limit_text
from generator.pipeline import check_policies
from generator.publish.graphviz import render_svgs
from generator.render import Diagram, links, routing
from generator.render.context import RenderContext
from generator.render.procedures import procedure_dot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real() -> RenderContext:
    kb = load_kb(ROOT / "policies")
    return RenderContext(kb, build_graph(kb))


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return routing_policies(tmp_path_factory.mktemp("routing") / "policies")


@pytest.fixture(scope="module")
def mini(policies: Path) -> RenderContext:
    kb = load_kb(policies)
    return RenderContext(kb, build_graph(kb))


def procedure(ctx: RenderContext, doc_id: str, proc_id: str) -> Procedure:
    return next(p for p in ctx.kb.document_by_id[doc_id].procedures if p.id == proc_id)


def choose(node: routing.Question | routing.Answer, *labels: str) -> routing.Answer:
    """Follow the options with these labels, checking each is offered; end at an answer."""
    for label in labels:
        assert isinstance(node, routing.Question), f"no question left for {label!r}"
        offered = [o.label for o in node.options]
        assert label in offered, (node.text, offered)
        node = node.options[offered.index(label)].next
    assert isinstance(node, routing.Answer), f"still asking {node.text!r}"
    return node


def limits(answer: routing.Answer) -> list[str]:
    """The limits of the path as the answer shows them: 情况紧急：24小时内 or 3个工作日内."""
    out = []
    for edge in answer.edges:
        if edge.clock is None:
            continue
        if edge.variant is not None:
            out.append(f"{edge.variant.when}：{limit_text(edge.variant.limit)}")
        else:
            out.append(limit_text(edge.clock.limit))
    return out


# --- situations --------------------------------------------------------------------------------


def test_situations_are_start_steps_and_clocked_handovers(real: RenderContext) -> None:
    found = [(e.kind, e.label, e.step.actor.name) for e in routing.entries(
        procedure(real, "jinhu-2021-coordination", "case-transfer-township-to-county"))]
    assert found == [
        ("start", "发现属县级部门管辖的违法行为", "镇（街道）"),
        ("handover", "收到移送的案件", "县级执法业务主管部门"),  # the clock's trigger
    ]
    # a clocked edge back into the lane that starts the procedure is the same officer going on
    # (Xilinhot: the city department consents, the township transfers): not a situation
    major = routing.entries(procedure(real, "xilinhot-2024-coordination", "major-case-transfer"))
    assert [(e.kind, e.label) for e in major] == [("start", "发现重大疑难违法行为"),
                                                   ("handover", "收到移送的案件")]


def test_every_topic_of_the_issue_has_a_situation_in_jinhu(real: RenderContext) -> None:
    """发现不属于本方管辖的违法行为, 收到移送的案件, 收到投诉举报, 需要技术支持, 发生管辖争议,
    涉嫌犯罪: each is reachable from the Jinhu document's own procedures."""
    doc = real.kb.document_by_id["jinhu-2021-coordination"]
    by_topic: dict[str, list[str]] = {}
    for proc in doc.procedures:
        for entry in routing.entries(proc):
            by_topic.setdefault(proc.topic.id, []).append(entry.label)
    assert "收到移送的案件" in by_topic["case-transfer"]
    assert by_topic["complaints"] == ["向镇（街道）投诉举报", "向县级部门投诉举报"]
    assert by_topic["technical-assistance"] == ["认定违法事项需技术支撑"]
    assert by_topic["dispute-resolution"] == ["镇（街道）与县级部门发生争议"]
    crime = routing.decision_tree(routing.entries(
        procedure(real, "jinhu-2021-coordination", "administrative-criminal-link"))[0])
    assert isinstance(crime, routing.Question) and "违法行为涉嫌犯罪" in [
        o.label for o in crime.options]


# --- questions and answers on the real documents -----------------------------------------------


def test_jinhu_ongoing_urgent_violation(real: RenderContext) -> None:
    """The issue's walk-through: a township officer in 金湖县 finds an ongoing, urgent violation
    that belongs to a county department."""
    proc = procedure(real, "jinhu-2021-coordination", "case-transfer-township-to-county")
    entry = routing.entries(proc)[0]
    tree = routing.decision_tree(entry)
    assert isinstance(tree, routing.Question) and tree.text == "违法行为正在进行？"
    answer = choose(tree, "是", "是")
    assert [a.name for a, _ in routing.recipients(entry, answer)] == ["县级执法业务主管部门"]
    assert limits(answer) == ["发现违法行为正在进行：立即", "情况紧急：24小时内", "3个工作日内"]
    urgent = next(e for e in answer.edges if e.variant is not None and e.variant.when == "情况紧急")
    assert urgent.variant is not None and urgent.variant.provision.label == "三、（一）1."
    assert urgent.variant.quote == "情况紧急的，应当在24小时内移送有管辖权的一方处理"
    labels = [s.label for s in answer.steps]
    assert labels[:4] == ["发现属县级部门管辖的违法行为", "违法行为正在进行？",
                          "责令停止违法行为、固定证据", "及时告知有管辖权的部门查处"]
    assert "以镇政府（办事处）名义移送" in labels and "形成基本违法事实书面材料" in labels
    # not urgent, not ongoing: five working days, same recipient
    calm = choose(tree, "否", "否")
    assert limits(calm) == ["5个工作日内", "3个工作日内"]
    assert "责令停止违法行为、固定证据" not in [s.label for s in calm.steps]


def test_xilinhot_extension_path(real: RenderContext) -> None:
    proc = procedure(real, "xilinhot-2024-coordination", "case-transfer-township-to-city")
    entry = routing.entries(proc)[0]
    tree = routing.decision_tree(entry)
    extended = choose(tree, "否", "否", "是")
    assert [a.name for a, _ in routing.recipients(entry, extended)] == ["市级业务主管部门"]
    assert "事先告知有管辖权的一方" in [s.label for s in extended.steps]
    assert limits(extended) == ["3个工作日内", "5个工作日内"]  # its calculator offers 延长后
    # ongoing 是 or 否, then urgent 是, or urgent 否 and extend 是 or 否: six ways through
    assert sorted("".join(o.label for o in chosen) for chosen, _ in routing.answers(tree)) == [
        "否否否", "否否是", "否是", "是否否", "是否是", "是是"]


def test_answer_data_names_steps_by_their_chart_number(real: RenderContext) -> None:
    proc = procedure(real, "jinhu-2021-coordination", "case-transfer-township-to-county")
    order = real.graph.step_order(proc.document.id, proc.id)
    number = {s: i for i, s in enumerate(order)}
    entry = routing.entries(proc)[0]
    data = routing.answer_data(entry, choose(routing.decision_tree(entry), "是", "是"), number)
    step = {i: proc.step_by_id[s] for s, i in number.items()}
    assert [step[i].label for i in data["name"]] == ["以镇政府（办事处）名义移送"]
    assert [step[i].label for i in data["materials"]] == ["形成基本违法事实书面材料"]
    assert [step[i].actor.name for i in data["next"]] == ["县级执法业务主管部门"] * 2
    assert data["to"] == [{"name": "县级执法业务主管部门", "edge": data["edges"][6]}]
    assert data["list"] is False


# --- shapes the real procedures lack -----------------------------------------------------------


def test_a_fan_out_is_not_a_question(mini: RenderContext) -> None:
    entry = routing.entries(procedure(mini, "routing-mini", "fan-out-flow"))[0]
    answer = routing.decision_tree(entry)
    assert isinstance(answer, routing.Answer)  # no decision: the step list is the answer
    assert [s.label for s in answer.steps] == ["发现问题", "登记", "县级部门接报", "县司法局接报"]
    assert [a.name for a, _ in routing.recipients(entry, answer)] == ["县级部门", "县司法局"]


def test_a_task_whose_ways_out_all_have_conditions_asks(mini: RenderContext) -> None:
    tree = routing.decision_tree(routing.entries(procedure(mini, "routing-mini", "kinds-flow"))[0])
    assert isinstance(tree, routing.Question)
    assert tree.text == "按申请类型分别办理：属于哪种情况？"
    assert [o.label for o in tree.options] == ["属于许可", "属于投诉"]
    assert choose(tree, "属于投诉").steps[-1].label == "转投诉窗口"


def test_a_handover_starts_at_the_receiving_lane_with_its_clock(mini: RenderContext) -> None:
    proc = procedure(mini, "routing-mini", "handover-flow")
    start, handover = routing.entries(proc)
    assert (handover.kind, handover.label, handover.step.actor.name) == (
        "handover", "收到移交的材料", "县级部门")
    answer = routing.decision_tree(handover)
    assert isinstance(answer, routing.Answer)
    assert [s.label for s in answer.steps] == ["办结", "结束"]
    assert limits(answer) == ["3个工作日内"]  # the clock of the edge that handed it over
    # no lane is entered after the hand-over: the clock names whom the result goes to
    assert [a.name for a, _ in routing.recipients(handover, answer)] == ["镇街"]
    first = routing.decision_tree(start)
    assert isinstance(first, routing.Answer)
    assert [a.name for a, _ in routing.recipients(start, first)] == ["县级部门"]
    assert limits(first) == ["2个工作日内", "3个工作日内"]


def test_too_many_answers_become_the_step_list(mini: RenderContext) -> None:
    proc = procedure(mini, "routing-mini", "many-flow")
    entry = routing.entries(proc)[0]
    with pytest.raises(routing.TooManyAnswers):
        routing.decision_tree(entry)  # 2**7 ways through
    [situation] = routing.procedure_data(mini, proc)["entries"]
    answer = situation["tree"]["answer"]
    assert answer["list"] is True and answer["steps"] == list(range(len(proc.steps)))
    assert routing.MAX_ANSWERS < 2 ** 7


def test_repeated_conditions_name_their_target(real: RenderContext) -> None:
    proc = procedure(real, "xilinhot-2024-coordination", "joint-consultation")
    tree = routing.decision_tree(routing.entries(proc)[0])
    assert isinstance(tree, routing.Question)
    assert [o.label for o in tree.options] == [
        "例行会议（→ 业务主管部门召集）", "专题会议（根据工作需要）（→ 业务主管部门召集）",
        "例行会议（→ 苏木镇(街道)召集）", "专题会议（根据工作需要）（→ 苏木镇(街道)召集）"]


# --- the data files ----------------------------------------------------------------------------


def test_index_lists_places_documents_and_the_fallback_chain(mini: RenderContext) -> None:
    index = routing.index_data(mini)
    places = index["jurisdictions"]
    by_id = {p["id"]: p for p in places}
    docs = [d["id"] for d in index["documents"]]
    assert {docs[i] for i in by_id["jinhu"]["documents"]} == {"jinhu-mini"}
    assert {docs[i] for i in by_id["jiangsu"]["documents"]} == {"jiangsu-mini"}
    xuyi = by_id["xuyi"]
    assert xuyi["documents"] == [] and places[xuyi["parent"]]["id"] == "huaian"
    assert places[places[xuyi["parent"]]["parent"]]["id"] == "jiangsu"
    assert by_id["cn"]["parent"] is None
    assert "guanyun-mini" not in docs  # no procedures: nothing to guide through
    assert [t["id"] for t in index["topics"]] == ["case-transfer", "information-sharing",
                                                   "joint-enforcement", "dispute-resolution"]


def test_scripts_are_safe_javascript_and_the_same_json(mini: RenderContext) -> None:
    files = routing.route_scripts(mini)
    assert sorted(files) == sorted([routing.INDEX_SCRIPT, *(
        routing.document_script(d.id) for d in mini.kb.documents if d.procedures)])
    hostile = files[routing.document_script("hostile-mini")].decode("utf-8")
    assert "<" not in hostile and "\u2028" not in hostile  # hostile-mini has <b>否</b>, {{ 7*7 }}
    first, second = hostile.splitlines()
    assert first == "window.PolicykbRouteDocuments = window.PolicykbRouteDocuments || {};"
    data = json.loads(second.split(" = ", 1)[1].rstrip(";"))
    assert data == json.loads(json.dumps(routing.document_data(
        mini, mini.kb.document_by_id["hostile-mini"])))
    conditions = [e.get("condition") for p in data["procedures"] for e in p["edges"]]
    assert "<b>否</b>|{{ 7*7 }}" in conditions
    index = files[routing.INDEX_SCRIPT].decode("utf-8")
    assert index.startswith("window.PolicykbRouteIndex = {") and index.endswith("};\n")


def test_same_input_same_bytes(policies: Path, mini: RenderContext) -> None:
    checked, _ = check_policies(policies)
    assert checked is not None
    shuffled = resolve(list(reversed(checked.documents)), reversed(checked.jurisdictions),
                       reversed(checked.actor_types), reversed(checked.topics),
                       reversed(checked.questions))
    again = routing.route_scripts(RenderContext(shuffled, build_graph(shuffled)))
    assert again == routing.route_scripts(mini)


def test_urls_point_at_pages_and_anchors_that_exist(mini: RenderContext) -> None:
    pages = {links.page_url(p) for p in (
        *(links.document_page(d.id) for d in mini.kb.documents),
        *(links.procedure_page(d.id, p.id) for d in mini.kb.documents for p in d.procedures))}
    for doc in mini.kb.documents:
        if not doc.procedures:
            continue
        data = routing.document_data(mini, doc)
        anchors = {p.id for p in doc.all_provisions()} | {
            links.clock_anchor(c.id) for c in doc.clocks}
        urls = [data["url"], *(c["url"] for c in data["clocks"].values()),
                *(lim["url"] for c in data["clocks"].values() for lim in c["limits"]),
                *(p["url"] for p in data["procedures"]),
                *(s["url"] for p in data["procedures"] for s in p["steps"])]
        for url in urls:
            page, _, anchor = url.partition("#")
            assert page in pages, url
            assert not anchor or anchor in anchors, url
        for proc in data["procedures"]:
            assert proc["chart"] == links.procedure_diagram(doc.id, proc["id"])


def test_chart_ids_in_the_data_are_in_the_drawn_chart(real: RenderContext) -> None:
    """The guide marks the path by the ids procedures.procedure_dot gives nodes and edges."""
    charts = []
    for doc in real.kb.documents:
        for proc in doc.procedures:
            charts.append((proc, Diagram(links.procedure_diagram(doc.id, proc.id),
                                         procedure_dot(real, proc))))
    svgs, problems = render_svgs([d for _, d in charts])
    assert not [p for p in problems if p.error]
    checked = 0
    for proc, diagram in charts:
        data = routing.procedure_data(real, proc)
        ids = set(re.findall(r'\bid="([^"]+)"', svgs[diagram.path].replace("&#45;", "-")))
        prefix = data["chartPrefix"]
        for item in [*data["steps"], *data["edges"]]:
            assert prefix + item["svg"] in ids, (proc.id, item["svg"])
            checked += 1
        # and each id is the node of that step: its label is in the node's text
        svg = html.unescape(svgs[diagram.path].replace("&#45;", "-"))
        for item in data["steps"]:
            node = svg.split(f'id="{prefix}{item["svg"]}"', 1)[1].split("</g>", 1)[0]
            text = "".join(re.findall(r">([^<>]+)</text>", node))
            assert item["label"].replace(" ", "") in text.replace(" ", ""), (proc.id, item)
    assert checked > 300
