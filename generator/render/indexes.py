"""Cross-document pages: all clocks, the cross-jurisdiction matrix, the citation graph, the
document list, the downloads page and the list of indexes.

Hooks for ``docs/assets/policykb.js``: tables that may be sorted and filtered sit in
``<div class="pk-table pk-sortable" data-pk-table="…">``; a cell whose text does not sort naturally
starts with ``<span class="pk-sortkey" data-sort="…"></span>`` (Markdown tables cannot put an
attribute on the cell itself).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from markupsafe import Markup

from generator.domain.graph import CitedNode
from generator.domain.model import Document
from generator.domain.wording import EDITORIAL, ROLE_LABEL, ROLE_ORDER
from generator.render import Diagram, diagram_placeholder, escape, links, paging
from generator.render.context import RenderContext
from generator.render.env import render
from generator.render.facts import BR, DASH, ClockRow, clock_row
from generator.render.jurisdiction import DocumentRow, document_rows
from generator.render.procedures import FONT
from generator.render.validity import Sources, source_documents
from generator.vocabulary import Attribution, Role

_CHART_TITLE_CHARS = 14
Row = TypeVar("Row")


@dataclass(frozen=True)
class SimplePage:
    title: Markup
    front_title: Markup


@dataclass(frozen=True)
class PartRow:
    """One part of a split index on its summary: the area it covers and what is on it."""

    link: Markup
    jurisdictions: int
    documents: int
    rows: int


@dataclass(frozen=True)
class Split:
    """Where a page sits in a split index (all empty when the index is one page)."""

    path: str
    #: On a part: links from the entry page down to it.
    trail: Markup | None
    #: Parts summarised on this page, with a total row.
    parts: list[PartRow]
    total: PartRow | None


@dataclass(frozen=True)
class ClocksPage(SimplePage):
    split: Split
    rows: list[ClockRow]
    count: int
    csv: Markup
    sources: Sources


@dataclass(frozen=True)
class MatrixRow:
    actor_type: Markup
    cells: list[Markup]


@dataclass(frozen=True)
class MatrixPage(SimplePage):
    topics: list[Markup]
    rows: list[MatrixRow]
    jurisdictions: int
    sources: Sources


@dataclass(frozen=True)
class CitedRow:
    node: Markup
    issuer: Markup
    in_kb: Markup
    count: int
    citing: Markup


@dataclass(frozen=True)
class CitationsPage(SimplePage):
    split: Split
    #: True on a split entry page: the chart shows the most-cited documents only.
    summary_chart: bool
    placeholder: Markup
    diagram_link: Markup
    rows: list[CitedRow]
    sources: Sources


@dataclass(frozen=True)
class DocumentsIndexPage(SimplePage):
    split: Split
    rows: list[DocumentRow]
    count: int


@dataclass(frozen=True)
class Download:
    link: Markup | None
    name: Markup
    format: Markup
    description: Markup


@dataclass(frozen=True)
class TopicDownload:
    """A topic's own tables: its clocks and its duties as CSV (links, or ``None``)."""

    topic: Markup
    clocks: Markup | None
    duties: Markup | None


@dataclass(frozen=True)
class DataPage(SimplePage):
    downloads: list[Download]
    topics: list[TopicDownload]
    counts: list[tuple[Markup, int]]
    bundle: Markup


@dataclass(frozen=True)
class IndexLink:
    link: Markup
    description: Markup


@dataclass(frozen=True)
class IndexesPage(SimplePage):
    items: list[IndexLink]


def _simple(title: str) -> dict[str, Markup]:
    return {"title": escape.md_text(title), "front_title": escape.front_matter(title)}


#: HTML bytes of an index page around its table (title, list of parts, notes), and of one row
#: of the list of parts.
_INDEX_FRAME = 4_000
_INDEX_SUMMARY_ROW = 600


class _SplitIndex(Generic[Row]):
    """An index of one table row (or several) per document, split along the jurisdiction tree
    when it outgrows the page budget.  Rows are made once per page folder and reused."""

    def __init__(self, ctx: RenderContext, entry: str, index: str, title: str,
                 make: Callable[[Document, str], list[Row]],
                 measure: Callable[[Row], int]) -> None:
        self.ctx, self.entry, self.index, self.title = ctx, entry, index, title
        self.make, self.measure = make, measure
        self.documents = {j.id: sorted(docs, key=ctx.document_order)
                          for j, docs in ctx.kb.documents_by_jurisdiction.items()}
        self._rows: dict[tuple[str, str], list[Row]] = {}
        sizing = self.path("x")

        def size(jid: str) -> paging.Size:
            return paging.Size(0, tuple(
                sum(measure(r) for r in self.rows(d, sizing))
                for d in self.documents.get(jid, [])))

        tree = paging.area_tree(ctx.graph)
        self.plan = paging.plan(tree.roots, tree.children, size,
                                paging.CONTENT_BUDGET - _INDEX_FRAME, _INDEX_SUMMARY_ROW)

    def path(self, key: str) -> str:
        return links.index_part_page(self.index, key) if key else self.entry

    def rows(self, doc: Document, page: str) -> list[Row]:
        key = (posixpath.dirname(page), doc.id)
        if key not in self._rows:
            self._rows[key] = self.make(doc, page)
        return self._rows[key]

    def name(self, key: str) -> str:
        return self.plan.name(key, self.ctx.jurisdiction_name)

    def pages(self) -> list[tuple[str, Split, list[Row], int]]:
        """(title, split, rows, documents) of every page, the entry page first."""
        out = []
        for part in self.plan.parts:
            page = self.path(part.key)
            docs = [d for s in part.shares for d in self.documents[s.jurisdiction][s.start:s.stop]]
            rows = [r for d in docs for r in self.rows(d, page)]
            parts = [self._part_row(e, page) for e in self.plan.entries(part)]
            total = PartRow(escape.md_cell("合计"), sum(p.jurisdictions for p in parts),
                            sum(p.documents for p in parts), sum(p.rows for p in parts))
            title = f"{self.title}（{self.name(part.key)}）" if part.key else self.title
            out.append((title, Split(page, self._trail(part.key, page) if part.key else None,
                                     parts, total if parts else None), rows, len(docs)))
        return out

    def _part_row(self, entry: paging.Entry, page: str) -> PartRow:
        if entry.items is not None:
            start, stop = entry.items
            docs = self.documents[entry.jurisdiction][start:stop]
            name = self.name(entry.part)
        else:
            docs = [d for j in entry.jurisdictions for d in self.documents.get(j, [])]
            name = self.ctx.jurisdiction_name(entry.jurisdiction)
        rows = sum(len(self.rows(d, self.path(entry.part))) for d in docs)
        return PartRow(escape.md_link(name, links.relative(page, self.path(entry.part))),
                       len(entry.jurisdictions), len(docs), rows)

    def _trail(self, key: str, page: str) -> Markup:
        items = [escape.md_link(self.title if not k else self.name(k),
                                links.relative(page, self.path(k)))
                 for k in self.plan.ancestors(key)]
        return escape.join(Markup(" › "), [*items, escape.md_text(self.name(key))])


def clocks_pages(ctx: RenderContext) -> list[ClocksPage]:
    """``indexes/clocks.md``, and its parts when every clock does not fit on one page."""
    index = _SplitIndex[ClockRow](
        ctx, links.CLOCKS_INDEX, "clocks", "全部时限",
        lambda doc, page: [clock_row(ctx, c, page) for c in doc.clocks],
        _clock_row_bytes)
    return [ClocksPage(split=split, rows=rows, count=len(rows),
                       csv=escape.url(links.relative(split.path, links.CLOCKS_CSV)),
                       sources=source_documents(
                           ctx, (ctx.kb.document_by_id[r.doc_id] for r in rows), split.path),
                       **_simple(title))
            for title, split, rows, _docs in index.pages()]


def _clock_row_bytes(row: ClockRow) -> int:
    return paging.html_bytes("".join([
        row.jurisdiction, row.document, row.topic, row.parties, row.trigger, row.action,
        row.sort, row.limit, row.due, row.hours_cell, row.special, row.clause])) + 120


def _role_count(role: Role, places: set[str], stated: set[str]) -> str:
    """``监督 4``, or ``监督 4（编者推定2）`` when in two of the four places the text does not
    name the actor and the editor inferred it."""
    inferred = len(places - stated)
    return f"{ROLE_LABEL[role]} {len(places)}" + (f"（{EDITORIAL}{inferred}）" if inferred else "")


def matrix_page(ctx: RenderContext) -> MatrixPage:
    page = links.MATRIX_INDEX
    # (actor type, topic) -> role -> jurisdictions; and those where a duty of the role is
    # stated, not inferred by the editor (attribution: editorial)
    found: dict[tuple[str, str], dict[Role, set[str]]] = {}
    stated: dict[tuple[str, str], dict[Role, set[str]]] = {}
    with_duties = [doc for doc in ctx.kb.documents if doc.duties]
    for doc in with_duties:
        for duty in doc.duties:
            for actor in duty.actors:
                key = (actor.type.id, duty.topic.id)
                found.setdefault(key, {}).setdefault(duty.role, set()).add(doc.jurisdiction.id)
                if duty.attribution is not Attribution.EDITORIAL:
                    stated.setdefault(key, {}).setdefault(duty.role, set()).add(
                        doc.jurisdiction.id)
    topics = [t for t in ctx.kb.topics if any(k[1] == t.id for k in found)]
    rows = []
    for actor_type in ctx.kb.actor_types:
        if not any(k[0] == actor_type.id for k in found):
            continue
        cells = []
        for topic in topics:
            roles = found.get((actor_type.id, topic.id))
            if not roles:
                cells.append(DASH)
                continue
            sure = stated.get((actor_type.id, topic.id), {})
            text = " · ".join(_role_count(r, roles[r], sure.get(r, set()))
                              for r in sorted(roles, key=lambda r: ROLE_ORDER[r]))
            target = links.relative(page, links.topic_page(topic.id),
                                    links.actor_type_anchor(actor_type.id))
            cells.append(escape.md_link(text, target))
        rows.append(MatrixRow(escape.md_cell(actor_type.name), cells))
    return MatrixPage(
        topics=[ctx.topic_link(t.id, page) for t in topics],
        rows=rows,
        jurisdictions=len(ctx.kb.documents_by_jurisdiction),
        sources=source_documents(ctx, with_duties, page),
        **_simple("跨辖区职责矩阵"),
    )


@dataclass(frozen=True)
class ChartNode:
    id: Markup
    svg_id: Markup
    external: bool
    label: Markup
    tooltip: Markup
    url: Markup | None


@dataclass(frozen=True)
class ChartEdge:
    source: Markup
    target: Markup
    svg_id: Markup


@dataclass(frozen=True)
class CitationChart:
    id: Markup
    svg_id: Markup
    title: Markup
    tooltip: Markup
    font: Markup
    nodes: list[ChartNode]
    edges: list[ChartEdge]


def _wrap(text: str, width: int = _CHART_TITLE_CHARS) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def _chart_node(ctx: RenderContext, node: CitedNode, number: int, page: str) -> ChartNode:
    label = _wrap(node.title)
    if node.document:
        where = ctx.kb.document_by_id[node.document].jurisdiction
        label = _wrap(f"{where.name}：{node.title}")
    if node.doc_number:
        label += "\n" + node.doc_number
    tooltip = "　".join(x for x in (node.title, node.doc_number or "", node.issuer or "") if x)
    if node.external:
        tooltip += "（未收录）"
    url = links.svg_page_url(page, links.document_page(node.document)) if node.document else None
    return ChartNode(
        id=escape.dot_id(f"n{number}"),
        svg_id=escape.dot_string(f"pk--citations--n{number}"),
        external=node.external,
        label=escape.dot_string(label),
        tooltip=escape.dot_tooltip(tooltip),
        url=escape.dot_string(url) if url else None,
    )


def citations_dot(ctx: RenderContext, keys: list[str], edges: list[tuple[str, str]],
                  page: str) -> str:
    """A chart of the citation nodes ``keys`` and the ``edges`` between them, for ``page``."""
    number = {k: i for i, k in enumerate(keys)}
    nodes = [_chart_node(ctx, ctx.graph.node(k), number[k], page) for k in keys]
    chart_edges = [
        ChartEdge(escape.dot_id(f"n{number[a]}"), escape.dot_id(f"n{number[b]}"),
                  escape.dot_string(f"pk--citations--e{i}"))
        for i, (a, b) in enumerate(sorted(edges, key=lambda e: (number[e[0]], number[e[1]])))
    ]
    chart = CitationChart(
        id=escape.dot_id("pk--citations"),
        svg_id=escape.dot_string("pk--citations"),
        title=escape.dot_string("文件引用关系"),
        tooltip=escape.dot_tooltip("文件引用关系"),
        font=escape.dot_string(FONT),
        nodes=nodes,
        edges=chart_edges,
    )
    return render("diagrams/citations.dot.jinja", chart=chart)


@dataclass(frozen=True)
class _Cites:
    """One document's place in the citation graph: the edges it takes part in."""

    doc: str
    cites: tuple[tuple[str, str], ...]
    cited_by: tuple[tuple[str, str], ...]

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        return self.cites + self.cited_by


def _cites(ctx: RenderContext, doc: Document) -> list[_Cites]:
    graph, key = ctx.graph.citations, f"doc:{doc.id}"
    cites, cited_by = tuple(graph.out_edges(key)), tuple(graph.in_edges(key))
    return [_Cites(doc.id, cites, cited_by)] if cites or cited_by else []


#: Estimated inline-SVG bytes of one chart node and one edge (a label of ~3 lines, a link, a
#: tooltip: 540 KB for 367 nodes and 498 edges on the synthetic 100-document base), and HTML
#: bytes of one row of the cited-documents table.
_SVG_NODE = 1_000
_SVG_EDGE = 500
_CITED_ROW = 700
#: Citing documents listed per row; a national document cited by thousands is summarised.
_CITERS_SHOWN = 20


def _cites_bytes(c: _Cites) -> int:
    """Its node and table row; per citation made, an edge and the cited node (outside the part,
    or one more table row); per citation received, the citing node when it is outside the part
    and its link in the table."""
    return _SVG_NODE + _CITED_ROW + len(c.cites) * (_SVG_EDGE + _SVG_NODE + _CITED_ROW) + \
        len(c.cited_by) * (_SVG_NODE // 2 + 200)


class _CitationPages:
    """The citation graph: one clickable chart of every citation while it fits the page budget;
    beyond that, a summary chart of the most-cited documents (external ones included) on the
    entry page and one chart per area, split along the jurisdiction tree."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.index = _SplitIndex[_Cites](ctx, links.CITATIONS_INDEX, "citations", "引用关系",
                                         lambda doc, _page: _cites(ctx, doc), _cites_bytes)

    def pages(self) -> list[tuple[CitationsPage, Diagram]]:
        out = []
        graph = self.ctx.graph.citations
        for (title, split, rows, _docs), part in zip(self.index.pages(), self.index.plan.parts,
                                                      strict=True):
            page = split.path
            diagram = links.citations_part_diagram(part.key) if part.key \
                else links.CITATIONS_DIAGRAM
            summary = self.index.plan.split and not part.key
            if summary:
                keys = self._most_cited(page)
                keyset = set(keys)
                edges = sorted((a, b) for a, b in graph.edges if a in keyset and b in keyset)
                cited = [k for k in keys if graph.in_degree(k) > 0]
                citers_in: set[str] | None = None
            else:
                edges = sorted({e for c in rows for e in c.edges})
                keys = sorted({k for e in edges for k in e})
                targets = {b for _, b in edges}
                cited = [k for k in keys if k in targets]
                citers_in = {a for a, _ in edges}
            keys.sort(key=lambda k: (k.startswith("ext:"), k))
            cited.sort(key=lambda k: (k.startswith("ext:"), k))
            view = CitationsPage(
                split=split,
                summary_chart=summary,
                placeholder=Markup(diagram_placeholder(str(escape.url(diagram)))),
                diagram_link=escape.url(links.relative(page, diagram)),
                rows=[self._row(k, page, citers_in) for k in cited],
                sources=source_documents(self.ctx, (
                    self.ctx.kb.document_by_id[node.document] for k in keys
                    if (node := self.ctx.graph.node(k)).document), page),
                **_simple(title),
            )
            out.append((view, Diagram(diagram, citations_dot(self.ctx, keys, edges, page))))
        return out

    def _most_cited(self, page: str) -> list[str]:
        """The most-cited nodes, as many as fit the page with their chart and table rows
        (the rest of the page, the list of parts, is kept within a quarter of the budget)."""
        graph = self.ctx.graph.citations
        ranked = sorted((k for k in graph.nodes if graph.in_degree(k) > 0),
                        key=lambda k: (-graph.in_degree(k), k))
        chosen: list[str] = []
        used = 0
        for k in ranked:
            r = self._row(k, page, None)
            cost = _SVG_NODE + _SVG_EDGE * sum(
                1 for x in chosen if graph.has_edge(x, k) or graph.has_edge(k, x)) + \
                paging.html_bytes("".join([r.node, r.issuer, r.in_kb, r.citing])) + 60
            if used + cost > paging.CONTENT_BUDGET * 3 // 4:
                break
            chosen.append(k)
            used += cost
        return chosen

    def _row(self, key: str, page: str, citers_in: set[str] | None) -> CitedRow:
        ctx = self.ctx
        node = ctx.graph.node(key)
        citers = ctx.graph.citers_of(key)
        shown = [d for d in citers if citers_in is None or f"doc:{d}" in citers_in]
        listed = escape.join(BR, [ctx.document_link(d, page) for d in shown[:_CITERS_SHOWN]])
        if len(shown) > _CITERS_SHOWN:
            listed = escape.concat(listed, BR, escape.md_cell(f"等{len(shown)}份"))
        return CitedRow(
            node=ctx.cited_node_text(node, page),
            issuer=escape.md_cell(node.issuer) if node.issuer else DASH,
            in_kb=escape.md_cell("已收录" if node.document else "未收录"),
            count=len(citers),
            citing=listed if shown else DASH,
        )


def citations_pages(ctx: RenderContext) -> list[tuple[CitationsPage, Diagram]]:
    """``indexes/citations.md`` with its chart, and the per-area parts when it is too large."""
    return _CitationPages(ctx).pages()


def documents_index_pages(ctx: RenderContext) -> list[DocumentsIndexPage]:
    """``documents/index.md``, and its parts (``indexes/documents/…``) when it is too long."""
    index = _SplitIndex[DocumentRow](
        ctx, links.DOCUMENTS_INDEX, "documents", "全部文件",
        lambda doc, page: document_rows(ctx, [doc.id], page), _document_row_bytes)
    return [DocumentsIndexPage(split=split, rows=rows, count=len(rows), **_simple(title))
            for title, split, rows, _docs in index.pages()]


def _document_row_bytes(row: DocumentRow) -> int:
    return paging.html_bytes("".join([row.link, row.jurisdiction, row.doc_number, row.kind,
                                      row.status, row.date])) + 60


def data_page(ctx: RenderContext, available: list[str]) -> DataPage:
    page = links.DATA_INDEX
    downloads = []
    for path, fmt, description in links.DOWNLOADS:
        name = path.rsplit("/", 1)[-1]
        downloads.append(Download(
            link=escape.url(links.relative(page, path)) if path in available else None,
            name=escape.md_text(name),
            format=escape.md_cell(fmt),
            description=escape.md_cell(description),
        ))
    by_topic: list[TopicDownload] = []
    for topic in ctx.kb.topics:
        found = {kind: links.relative(page, path) for kind in ("clocks", "duties")
                 if (path := f"{links.topic_downloads(topic.id)}/{kind}.csv") in available}
        if found:
            by_topic.append(TopicDownload(
                topic=ctx.topic_link(topic.id, page),
                clocks=escape.url(found["clocks"]) if "clocks" in found else None,
                duties=escape.url(found["duties"]) if "duties" in found else None))
    kb = ctx.kb
    counts = [
        (escape.md_cell("文件"), len(kb.documents)),
        (escape.md_cell("条款"), sum(len(d.provision_by_id) for d in kb.documents)),
        (escape.md_cell("职责"), sum(len(d.duties) for d in kb.documents)),
        (escape.md_cell("时限"), sum(len(d.clocks) for d in kb.documents)),
        (escape.md_cell("数量要求"), sum(len(d.quotas) for d in kb.documents)),
        (escape.md_cell("流程"), sum(len(d.procedures) for d in kb.documents)),
        (escape.md_cell("引用"), sum(len(d.citations) for d in kb.documents)),
    ]
    # The bundle is zipped from the built site after mkdocs (publish/bundle.py): it is linked as
    # raw HTML, which mkdocs does not look for in docs/; the site's link check does.
    bundle = escape.url(links.relative(page, links.OFFLINE_BUNDLE))
    return DataPage(downloads=downloads, topics=by_topic, counts=counts, bundle=bundle,
                    **_simple("数据下载"))


def indexes_index_page(ctx: RenderContext) -> IndexesPage:
    page = links.INDEXES_INDEX
    entries = [
        (links.CLOCKS_INDEX, "全部时限", "所有文件的全部时限，可排序、筛选（文件多时按辖区分页）"),
        (links.DUE_PAGE, "期限计算", "按节假日安排算出截止日期，附计算规则与节假日数据的覆盖年份"),
        (links.ROUTE_PAGE, "案件去向", "按地区、情形和流程中的判断，查到交给谁、什么材料、几日内"),
        (links.MATRIX_INDEX, "跨辖区职责矩阵", "各类主体在各专题中的角色，按辖区计数"),
        (links.CODEBOOK_INDEX, "编码手册",
         "比较所依据的全部问题、定义、编码说明，以及回答每个问题的文件"),
        (links.CONFLICTS_INDEX, "上下级规定比较", "下级文件的答案比上级文件宽的情况（可能冲突）"),
        (links.CITATIONS_INDEX, "引用关系",
         "文件之间及对外部文件的引用，可点击的关系图（文件多时另有各辖区的关系图）"),
        (links.DOCUMENTS_INDEX, "全部文件", "按辖区排列的文件清单"),
        (links.TOPICS_INDEX, "专题", "各辖区就同一问题的并排比较"),
        (links.JURISDICTIONS_INDEX, "辖区", "省、市、县辖区树"),
        (links.DATA_INDEX, "数据下载", "JSON、CSV、XLSX 与 JSON Schema"),
    ]
    items = [IndexLink(escape.md_link(name, links.relative(page, target)),
                       escape.md_text(description))
             for target, name, description in entries]
    return IndexesPage(items=items, **_simple("索引"))
