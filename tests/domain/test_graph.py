"""The graph stage: jurisdiction tree, citation graph, related documents, procedure layout."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import generator.domain.graph as graph_module
from generator.domain.graph import KnowledgeGraph, Reason, build_graph
from generator.domain.model import KnowledgeBase
from generator.domain.resolve import CheckedDocument, resolve
from generator.pipeline import load_knowledge_base
from generator.source.schema import ActorType, Document, Jurisdiction, Topic

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "kb-mini"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, report = load_knowledge_base(FIXTURE)
    assert kb is not None, report.sorted()
    return kb


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> KnowledgeGraph:
    return build_graph(kb)


def test_tree(graph: KnowledgeGraph) -> None:
    assert graph.roots() == ["cn"]
    assert graph.children("cn") == ["jiangsu", "zhejiang", "shandong"]  # by division code
    assert graph.children("jiangsu") == ["lianyungang", "huaian"]
    assert graph.chain("jinhu") == ["cn", "jiangsu", "huaian", "jinhu"]
    assert graph.province_of("jinhu") == "jiangsu"
    assert graph.province_of("cn") is None
    assert graph.documents_under("jiangsu") == ["guanyun-mini", "jinhu-mini"]
    assert graph.has_documents("huaian") and not graph.has_documents("shandong")
    assert graph.lowest_common_area("jinhu", "guanyun") == "jiangsu"
    assert graph.lowest_common_area("jinhu", "zhejiang") is None


def test_citations_resolve_and_merge(graph: KnowledgeGraph) -> None:
    jinhu = [link.node.key for link in graph.cited("jinhu-mini")]
    guanyun = [link.node.key for link in graph.cited("guanyun-mini")]
    # 苏办发〔2018〕26号 and 蘇辦發〔2018〕26號 are one external node
    assert jinhu == ["ext:no:苏办发〔2018〕26号"]
    assert guanyun == ["doc:jinhu-mini", "ext:no:苏办发〔2018〕26号"]
    node = graph.node("ext:no:苏办发〔2018〕26号")
    assert node.external and node.title == "关于深化综合行政执法体制改革的指导意见"
    assert graph.citing("jinhu-mini") == ["guanyun-mini"]
    assert graph.citers_of("ext:no:苏办发〔2018〕26号") == ["guanyun-mini", "jinhu-mini"]
    keys = [n.key for n in graph.cited_nodes()]
    assert keys[0] == "doc:jinhu-mini" and all(k.startswith("ext:") for k in keys[1:])


def test_related(graph: KnowledgeGraph) -> None:
    [rel] = graph.related_documents("jinhu-mini")
    assert rel.id == "guanyun-mini"
    assert rel.reasons == (Reason("cited-by"), Reason("co-cites", "ext:no:苏办发〔2018〕26号"),
                           Reason("same-area", "jiangsu"))
    [back] = graph.related_documents("guanyun-mini")
    assert Reason("cites") in back.reasons
    assert graph.related_documents("hostile-mini") == []
    assert [r.id for r in graph.related_jurisdictions("jinhu")] == ["guanyun"]
    assert graph.related_jurisdictions("zhejiang") == []


def test_procedure_order_and_layers(graph: KnowledgeGraph) -> None:
    assert graph.step_order("jinhu-mini", "transfer-flow") == [
        "found", "urgent", "send", "reply", "done"]
    assert graph.step_layers("jinhu-mini", "transfer-flow") == {
        "found": 0, "urgent": 1, "send": 2, "reply": 3, "done": 4}
    assert graph.step_layers("jinhu-mini", "dispute-flow") == {
        "talk": 0, "agreed": 1, "settled": 2, "justice": 2, "gov": 3}
    multi = graph.procedure_graph("jinhu-mini", "transfer-flow")
    assert multi.number_of_edges("urgent", "send") == 2


# --- synthetic knowledge bases -----------------------------------------------------------------


def _doc(doc_id: str, jurisdiction: str, citations: list[dict[str, Any]],
         number: str | None = None, steps: list[str] | None = None,
         edges: list[tuple[str, str]] | None = None) -> CheckedDocument:
    text = "正文" + "".join(c["title"] for c in citations)
    spec: dict[str, Any] = {
        "id": doc_id, "title": doc_id, "doc_number": number,
        "issuers": [{"name": "机关"}], "jurisdiction": jurisdiction, "kind": "mechanism",
        "status": "unknown", "dates": {}, "source": {}, "script": "simplified",
        "provisions": [{"id": "s1", "text": text}],
        "actors": [{"id": "a", "name": "甲", "type": "t"}],
        "citations": [{"provision": "s1", "quote": c["title"], **c} for c in citations],
    }
    if steps:
        spec["procedures"] = [{
            "id": "p", "title": "流程", "topic": "x", "lanes": ["a"],
            "steps": [{"id": s, "actor": "a", "label": s, "provision": s1, "quote": "正文",
                       "kind": "start" if i == 0 else "task"}
                      for i, (s, s1) in enumerate((s, "s1") for s in steps)],
            "edges": [{"from": a, "to": b} for a, b in edges or []],
        }]
    return CheckedDocument(Document.model_validate(spec), f"{doc_id}.yaml")


def _kb(docs: list[CheckedDocument], jurisdictions: list[dict[str, Any]]) -> KnowledgeBase:
    return resolve(docs, [Jurisdiction.model_validate(j) for j in jurisdictions],
                   [ActorType(id="t", name="类型")],
                   [Topic(id="x", name="专题", question="问题？")], [])


BASE_TREE = [
    {"id": "cn", "name": "国", "level": "country"},
    {"id": "p1", "name": "省一", "level": "province", "parent": "cn", "code": "110000"},
    {"id": "c1", "name": "县一", "level": "county", "parent": "p1", "code": "110101"},
    {"id": "c2", "name": "县二", "level": "county", "parent": "p1", "code": "110102"},
]


def test_citation_resolves_by_doc_number_and_title() -> None:
    docs = [
        _doc("a", "c1", [], number="省发〔2020〕1号"),
        _doc("b", "c2", [{"id": "x", "title": "某意见", "doc_number": "省發[2020]1號"}]),
        _doc("c", "c2", [{"id": "y", "title": "《外部规定》", "doc_number": "外〔2019〕2号"},
                         {"id": "z", "title": "外部规定"}]),
    ]
    g = build_graph(_kb(docs, BASE_TREE))
    assert [link.node.key for link in g.cited("b")] == ["doc:a"]
    assert [link.node.key for link in g.cited("c")] == ["ext:no:外〔2019〕2号"] * 2
    assert g.citing("a") == ["b"]


def test_hubs_do_not_relate_everyone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_module, "MAX_COCITATION_FANOUT", 3)
    hub = {"id": "h", "title": "全国意见", "doc_number": "国发〔2015〕1号"}
    docs = [_doc(f"d{i}", "c1" if i % 2 else "c2", [hub]) for i in range(5)]
    g = build_graph(_kb(docs, BASE_TREE))
    for d in docs:
        for rel in g.related_documents(d.spec.id):
            assert all(r.kind == "same-area" for r in rel.reasons)


def test_loops_do_not_break_layers() -> None:
    doc = _doc("loop", "c1", [], steps=["s", "a", "b", "e"],
               edges=[("s", "a"), ("a", "b"), ("b", "a"), ("b", "e")])
    g = build_graph(_kb([doc], BASE_TREE))
    assert g.step_layers("loop", "p") == {"s": 0, "a": 1, "b": 2, "e": 3}


@pytest.mark.slow
def test_thousands_of_documents_relate_within_their_caps() -> None:
    rng = random.Random(1)
    tree = [{"id": "cn", "name": "国", "level": "country"}]
    counties = []
    for p in range(30):
        tree.append({"id": f"p{p}", "name": f"省{p}", "level": "province", "parent": "cn"})
        for c in range(10):
            tree.append({"id": f"p{p}-m{c}", "name": f"市{c}", "level": "prefecture",
                         "parent": f"p{p}"})
            for k in range(4):
                counties.append(f"p{p}-m{c}-c{k}")
                tree.append({"id": counties[-1], "name": f"县{k}", "level": "county",
                             "parent": f"p{p}-m{c}"})
    shared = [{"id": f"x{i}", "title": f"上级文件{i}", "doc_number": f"上〔2018〕{i}号"}
              for i in range(60)]
    national = {"id": "nat", "title": "全国意见", "doc_number": "国发〔2015〕1号"}
    docs = [_doc(f"doc{i}", rng.choice(counties),
                 [national, *rng.sample(shared, 2)]) for i in range(3000)]
    kb = _kb(docs, tree)
    g = build_graph(kb)  # its time is measured by the benchmark, not here
    assert all(len(g.related_documents(d.spec.id)) <= graph_module.RELATED_DOCUMENTS
               for d in docs)
    assert g.citers_of("ext:no:国发〔2015〕1号") == sorted(d.spec.id for d in docs)
