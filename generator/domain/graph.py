"""Graph stage: the knowledge base as networkx graphs, and what the pages derive from them.

* the jurisdiction tree (parent → child), with document counts per subtree;
* the citation graph: documents → cited documents, where a cited document is either a document of
  this knowledge base (``doc:<id>``) or an external node that still appears on the site;
* one step graph per procedure (a ``MultiDiGraph``: two edges may join the same steps);
* related documents and related jurisdictions (cites / cited by, shared citations, same area).

Built for thousands of documents: ancestors come from parent walks (O(depth)), never from
``nx.ancestors``; nothing builds subgraph views in a loop; shared citations are counted from each
cited node's predecessors, skipping hubs cited by more than ``MAX_COCITATION_FANOUT`` documents
(a national opinion cited by everyone relates nothing and would cost n² pairs).  Every list that
leaves this module is sorted, so output never depends on input order or hash seeds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from generator.chinese.script import to_simplified
from generator.domain.model import Citation, Document, KnowledgeBase, Procedure
from generator.vocabulary import Level, Script

#: Cited nodes with more citing documents than this do not make documents "related".
MAX_COCITATION_FANOUT = 200
#: Related documents kept per document, related jurisdictions per jurisdiction.
RELATED_DOCUMENTS = 10
RELATED_JURISDICTIONS = 30

ReasonKind = Literal["cites", "cited-by", "co-cites", "same-area"]

_SCORES: dict[ReasonKind, int] = {"cites": 4, "cited-by": 4, "co-cites": 2, "same-area": 0}
_AREA_SCORES: dict[Level, int] = {
    Level.TOWNSHIP: 3,
    Level.COUNTY: 3,
    Level.PREFECTURE: 2,
    Level.PROVINCE: 1,
}
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕",
                           "(": "〔", ")": "〕", "（": "〔", "）": "〕", "號": "号"})


@dataclass(frozen=True, order=True)
class Reason:
    """Why two things are related: ``kind`` plus the cited node key or the shared area id."""

    kind: ReasonKind
    ref: str = ""


@dataclass(frozen=True)
class Relation:
    """A related document or jurisdiction, strongest first."""

    id: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class CitedNode:
    """A node of the citation graph: a knowledge-base document or an external one."""

    key: str
    document: str | None
    title: str
    doc_number: str | None
    issuer: str | None

    @property
    def external(self) -> bool:
        return self.document is None


@dataclass(frozen=True)
class CitationLink:
    """One citation of a document, with the node it resolves to."""

    citation: Citation
    node: CitedNode


def _fold(text: str) -> str:
    """Key for matching titles and numbers: NFKC, no spaces, no 《》, one kind of bracket."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    folded = "".join(folded.split()).replace("《", "").replace("》", "")
    return folded.translate(_BRACKETS)


def doc_key(document_id: str) -> str:
    return f"doc:{document_id}"


class KnowledgeGraph:
    """Graphs over one knowledge base; build it with :func:`build_graph`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._documents = sorted(kb.documents, key=lambda d: d.id)
        self.jurisdiction_tree = self._build_tree()
        self._chains = {j.id: [x.id for x in j.chain] for j in kb.jurisdictions}
        self._chain_sets = {jid: frozenset(chain) for jid, chain in self._chains.items()}
        self._documents_under = self._index_documents_under()
        self.citations = nx.DiGraph()
        self._links: dict[str, list[CitationLink]] = {}
        self._build_citations()
        self._procedures: dict[tuple[str, str], nx.MultiDiGraph] = {}
        self._step_orders: dict[tuple[str, str], tuple[str, ...]] = {}
        for doc in self._documents:
            for proc in doc.procedures:
                self._procedures[(doc.id, proc.id)] = _step_graph(proc)
        self._related_documents = self._compute_related_documents()
        self._related_jurisdictions = self._compute_related_jurisdictions()

    # --- jurisdictions -----------------------------------------------------------------------

    def _build_tree(self) -> nx.DiGraph:
        tree = nx.DiGraph()
        for j in sorted(self.kb.jurisdictions, key=lambda j: j.id):
            tree.add_node(j.id)
        for j in sorted(self.kb.jurisdictions, key=lambda j: j.id):
            if j.parent is not None:
                tree.add_edge(j.parent.id, j.id)
        return tree

    def _sort_key(self, jurisdiction_id: str) -> tuple[str, str]:
        j = self.kb.jurisdiction_by_id[jurisdiction_id]
        return (j.code or "999999", j.id)

    def roots(self) -> list[str]:
        """Jurisdictions without a parent, in division-code order."""
        tree = self.jurisdiction_tree
        found = [n for n in tree.nodes if tree.in_degree(n) == 0]
        return sorted(found, key=self._sort_key)

    def children(self, jurisdiction_id: str) -> list[str]:
        """Direct children in division-code order."""
        return sorted(self.jurisdiction_tree.successors(jurisdiction_id), key=self._sort_key)

    def chain(self, jurisdiction_id: str) -> list[str]:
        """Root … jurisdiction, by parent walk."""
        return self._chains[jurisdiction_id]

    def province_of(self, jurisdiction_id: str) -> str | None:
        for jid in self._chains[jurisdiction_id]:
            if self.kb.jurisdiction_by_id[jid].level is Level.PROVINCE:
                return jid
        return None

    def _index_documents_under(self) -> dict[str, list[str]]:
        under: dict[str, list[str]] = {}
        for doc in self._documents:
            for jid in self._chains.get(doc.jurisdiction.id, []):
                under.setdefault(jid, []).append(doc.id)
        return under

    def documents_under(self, jurisdiction_id: str) -> list[str]:
        """Ids of the documents of the jurisdiction and everything below it, sorted."""
        return self._documents_under.get(jurisdiction_id, [])

    def has_documents(self, jurisdiction_id: str) -> bool:
        """True when the jurisdiction or one below it has a document (it then gets a page)."""
        return jurisdiction_id in self._documents_under

    def lowest_common_area(self, a: str, b: str) -> str | None:
        """Deepest shared jurisdiction of ``a`` and ``b`` below the country level."""
        seen = self._chain_sets[a]
        for jid in reversed(self._chains[b]):
            if jid in seen:
                level = self.kb.jurisdiction_by_id[jid].level
                return jid if level in _AREA_SCORES else None
        return None

    # --- citations ---------------------------------------------------------------------------

    def _build_citations(self) -> None:
        kb_numbers: dict[str, list[str]] = {}
        for doc in self._documents:
            self.citations.add_node(doc_key(doc.id))
            if doc.doc_number:
                kb_numbers.setdefault(_fold(doc.doc_number), []).append(doc.id)
        # Titles that always come with the same number may be merged with that number.
        title_numbers: dict[str, set[str]] = {}
        for _doc, c in self._all_citations():
            if c.doc_number:
                title_numbers.setdefault(_fold(c.title), set()).add(_fold(c.doc_number))

        nodes: dict[str, CitedNode] = {}
        for doc in self._documents:
            node = CitedNode(doc_key(doc.id), doc.id, doc.title, doc.doc_number,
                             "、".join(i.name for i in doc.issuers))
            nodes[node.key] = node

        candidates: dict[str, list[tuple[Document, Citation]]] = {}
        for doc, c in self._all_citations():
            key = self._resolve(c, kb_numbers, title_numbers)
            if key not in nodes:
                candidates.setdefault(key, []).append((doc, c))
        for key, found in candidates.items():
            # The wording shown for an external node: simplified script first, then the most
            # complete citation, then the longest title; ties by document and citation id.
            found.sort(key=lambda dc: (dc[0].script != Script.SIMPLIFIED,
                                       dc[1].doc_number is None, dc[1].issuer is None,
                                       -len(dc[1].title), dc[0].id, dc[1].id))
            best = found[0][1]
            number = next((c.doc_number for _, c in found if c.doc_number), None)
            issuer = next((c.issuer for _, c in found if c.issuer), None)
            nodes[key] = CitedNode(key, None, best.title, best.doc_number or number,
                                   best.issuer or issuer)
        for doc, c in self._all_citations():
            key = self._resolve(c, kb_numbers, title_numbers)
            node = nodes[key]
            self._links.setdefault(doc.id, []).append(CitationLink(c, node))
            if key != doc_key(doc.id):
                self.citations.add_node(key)
                self.citations.add_edge(doc_key(doc.id), key)
        for key in sorted(self.citations.nodes):
            n = nodes[key]
            self.citations.nodes[key].update(document=n.document, node=n)

    def _all_citations(self) -> Iterator[tuple[Document, Citation]]:
        for doc in self._documents:
            for c in doc.citations:
                yield doc, c

    def _resolve(self, c: Citation, kb_numbers: dict[str, list[str]],
                 title_numbers: dict[str, set[str]]) -> str:
        if c.target is not None:
            return doc_key(c.target.id)
        number = _fold(c.doc_number) if c.doc_number else None
        if number is None:
            numbers = title_numbers.get(_fold(c.title), set())
            if len(numbers) == 1:
                number = next(iter(numbers))
        if number is not None:
            matches = kb_numbers.get(number, [])
            if len(matches) == 1:
                return doc_key(matches[0])
            return f"ext:no:{number}"
        return f"ext:title:{_fold(c.title)}"

    def node(self, key: str) -> CitedNode:
        node: CitedNode = self.citations.nodes[key]["node"]
        return node

    def cited(self, document_id: str) -> list[CitationLink]:
        """The document's citations in file order, each resolved to a node."""
        return self._links.get(document_id, [])

    def citing(self, document_id: str) -> list[str]:
        """Ids of knowledge-base documents that cite ``document_id``."""
        preds = self.citations.predecessors(doc_key(document_id))
        return sorted(p.removeprefix("doc:") for p in preds)

    def cited_nodes(self) -> list[CitedNode]:
        """Every node that is cited at least once, knowledge-base documents first."""
        keys = [k for k in self.citations.nodes if self.citations.in_degree(k) > 0]
        return [self.node(k) for k in sorted(keys, key=lambda k: (k.startswith("ext:"), k))]

    def citers_of(self, key: str) -> list[str]:
        return sorted(p.removeprefix("doc:") for p in self.citations.predecessors(key))

    # --- procedures --------------------------------------------------------------------------

    def procedure_graph(self, document_id: str, procedure_id: str) -> nx.MultiDiGraph:
        return self._procedures[(document_id, procedure_id)]

    def step_order(self, document_id: str, procedure_id: str) -> list[str]:
        """Steps breadth-first from the start, following edges in file order; then the rest.

        Memoised: the chart, the document page and the procedure page each ask for it."""
        key = (document_id, procedure_id)
        if key not in self._step_orders:
            self._step_orders[key] = tuple(self._walk_steps(self._procedures[key]))
        return list(self._step_orders[key])

    def _walk_steps(self, graph: nx.MultiDiGraph) -> list[str]:
        starts = [n for n, kind in graph.nodes(data="kind") if kind == "start"]
        order: list[str] = []
        seen: set[str] = set()
        queue = list(starts[:1] or list(graph.nodes)[:1])
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            for _, target, _key in self._out_edges(graph, current):
                if target not in seen:
                    queue.append(target)
        order.extend(n for n in graph.nodes if n not in seen)
        return order

    def step_layers(self, document_id: str, procedure_id: str) -> dict[str, int]:
        """Row of each step in a chart: the longest path from the start, loops ignored.

        Back edges are those that close a cycle in a depth-first walk from the start (edges in
        file order), so a forward edge always goes down at least one row.
        """
        graph = self._procedures[(document_id, procedure_id)]
        order = self.step_order(document_id, procedure_id)
        back: set[tuple[str, str, int]] = set()
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        for root in order:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(self._out_edges(graph, root)))]
            while stack:
                node, edges = stack[-1]
                for edge in edges:
                    target = edge[1]
                    if state.get(target) == 1:
                        back.add(edge)
                    elif target not in state:
                        state[target] = 1
                        stack.append((target, iter(self._out_edges(graph, target))))
                        break
                else:
                    state[node] = 2
                    stack.pop()
        dag = nx.DiGraph()
        dag.add_nodes_from(order)
        dag.add_edges_from((a, b) for a, b, k in graph.edges(keys=True) if (a, b, k) not in back)
        layers: dict[str, int] = {}
        for node in nx.topological_sort(dag):
            layers[node] = max((layers[p] + 1 for p in dag.predecessors(node)), default=0)
        return layers

    @staticmethod
    def _out_edges(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, str, int]]:
        edges = list(graph.out_edges(node, keys=True))
        return sorted(edges, key=lambda e: graph.edges[e]["index"])

    # --- related -----------------------------------------------------------------------------

    def _compute_related_documents(self) -> dict[str, list[Relation]]:
        # Scores first (cheap integer sums), reasons only for the few best candidates.
        scores: dict[str, dict[str, int]] = {d.id: {} for d in self._documents}
        cited: dict[str, set[str]] = {}  # document → cited nodes that can relate documents
        for key in sorted(self.citations.nodes):
            citers = self.citers_of(key)
            if len(citers) <= MAX_COCITATION_FANOUT:
                for citer in citers:
                    cited.setdefault(citer, set()).add(key)
            target = self.node(key).document
            if target is not None:
                for citer in citers:
                    if citer != target:
                        mine, theirs = scores[citer], scores[target]
                        mine[target] = mine.get(target, 0) + _SCORES["cites"]
                        theirs[citer] = theirs.get(citer, 0) + _SCORES["cited-by"]
            if 2 <= len(citers) <= MAX_COCITATION_FANOUT:
                for a in citers:
                    mine = scores[a]
                    for b in citers:
                        if a != b:
                            mine[b] = mine.get(b, 0) + _SCORES["co-cites"]

        result: dict[str, list[Relation]] = {}
        for doc in self._documents:
            ranked = sorted(scores[doc.id].items(), key=lambda kv: (-kv[1], kv[0]))
            candidates = [other for other, _ in ranked[:RELATED_DOCUMENTS * 2]]
            if len(candidates) < RELATED_DOCUMENTS:
                chosen = set(candidates) | {doc.id}
                for other in self._nearby_documents(doc.jurisdiction.id):
                    if len(candidates) >= RELATED_DOCUMENTS:
                        break
                    if other not in chosen:
                        chosen.add(other)
                        candidates.append(other)
            relations = [self._relation(doc, other, cited) for other in candidates]
            relations.sort(key=lambda r: (-r.score, r.id))
            result[doc.id] = relations[:RELATED_DOCUMENTS]
        return result

    def _nearby_documents(self, jurisdiction_id: str) -> Iterable[str]:
        """Documents of the same jurisdiction, then of each enclosing area up to the province."""
        for jid in reversed(self._chains[jurisdiction_id]):
            if self.kb.jurisdiction_by_id[jid].level not in _AREA_SCORES:
                break
            yield from self._documents_under.get(jid, [])

    def _relation(self, doc: Document, other: str, cited: dict[str, set[str]]) -> Relation:
        mine, theirs = cited.get(doc.id, set()), cited.get(other, set())
        reasons: set[Reason] = set()
        if self.citations.has_edge(doc_key(doc.id), doc_key(other)):
            reasons.add(Reason("cites"))
        if self.citations.has_edge(doc_key(other), doc_key(doc.id)):
            reasons.add(Reason("cited-by"))
        reasons.update(Reason("co-cites", key) for key in mine & theirs)
        score = sum(_SCORES[r.kind] for r in reasons)
        area = self.lowest_common_area(doc.jurisdiction.id,
                                       self.kb.document_by_id[other].jurisdiction.id)
        if area is not None:
            reasons.add(Reason("same-area", area))
            score += _AREA_SCORES[self.kb.jurisdiction_by_id[area].level]
        return Relation(other, score, tuple(sorted(reasons)))

    def related_documents(self, document_id: str) -> list[Relation]:
        return self._related_documents.get(document_id, [])

    def _compute_related_jurisdictions(self) -> dict[str, list[Relation]]:
        result: dict[str, list[Relation]] = {}
        own = {j.id: docs for j, docs in self.kb.documents_by_jurisdiction.items()}
        by_province: dict[str, list[str]] = {}
        for jid in sorted(own):
            province = self.province_of(jid)
            if province is not None:
                by_province.setdefault(province, []).append(jid)
        for jid in sorted(own):
            scores: dict[str, int] = {}
            reasons: dict[str, set[Reason]] = {}
            for doc in sorted(own[jid], key=lambda d: d.id):
                for rel in self._related_documents.get(doc.id, []):
                    other = self.kb.document_by_id[rel.id].jurisdiction.id
                    cited = {r for r in rel.reasons if r.kind != "same-area"}
                    if other == jid or not cited:
                        continue
                    scores[other] = scores.get(other, 0) + sum(_SCORES[r.kind] for r in cited)
                    reasons.setdefault(other, set()).update(cited)
            province = self.province_of(jid)
            for other in by_province.get(province or "", []):
                if other != jid:
                    scores.setdefault(other, 0)
                    reasons.setdefault(other, set())
            relations = []
            for other, score in scores.items():
                area = self.lowest_common_area(jid, other)
                rs = set(reasons[other])
                if area is not None:
                    rs.add(Reason("same-area", area))
                    score += _AREA_SCORES[self.kb.jurisdiction_by_id[area].level]
                relations.append(Relation(other, score, tuple(sorted(rs))))
            relations.sort(key=lambda r: (-r.score, r.id))
            result[jid] = relations[:RELATED_JURISDICTIONS]
        return result

    def related_jurisdictions(self, jurisdiction_id: str) -> list[Relation]:
        return self._related_jurisdictions.get(jurisdiction_id, [])


def _step_graph(proc: Procedure) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for step in proc.steps:
        graph.add_node(step.id, kind=step.kind.value, actor=step.actor.id)
    for edge in proc.edges:
        graph.add_edge(edge.source.id, edge.target.id, index=edge.index)
    return graph


def build_graph(kb: KnowledgeBase) -> KnowledgeGraph:
    """All graphs of a knowledge base; cost is linear in documents apart from shared citations."""
    return KnowledgeGraph(kb)
