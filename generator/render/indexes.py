"""Cross-document pages: all clocks, the cross-jurisdiction matrix, the citation graph, the
document list, the downloads page and the list of indexes.

Hooks for ``docs/assets/policykb.js``: tables that may be sorted and filtered sit in
``<div class="pk-table pk-sortable" data-pk-table="…">``; a cell whose text does not sort naturally
starts with ``<span class="pk-sortkey" data-sort="…"></span>`` (Markdown tables cannot put an
attribute on the cell itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.graph import CitedNode
from generator.render import diagram_placeholder, escape, links
from generator.render.context import RenderContext
from generator.render.env import render
from generator.render.facts import DASH, ClockRow, clock_row
from generator.render.jurisdiction import DocumentRow, document_rows
from generator.render.procedures import FONT
from generator.schema import Role
from generator.wording import ROLE_LABEL, ROLE_ORDER

_CHART_TITLE_CHARS = 14


@dataclass(frozen=True)
class SimplePage:
    title: Markup
    front_title: Markup


@dataclass(frozen=True)
class ClocksPage(SimplePage):
    rows: list[ClockRow]


@dataclass(frozen=True)
class MatrixRow:
    actor_type: Markup
    cells: list[Markup]


@dataclass(frozen=True)
class MatrixPage(SimplePage):
    topics: list[Markup]
    rows: list[MatrixRow]
    jurisdictions: int


@dataclass(frozen=True)
class CitedRow:
    node: Markup
    issuer: Markup
    in_kb: Markup
    count: int
    citing: Markup


@dataclass(frozen=True)
class CitationsPage(SimplePage):
    placeholder: Markup
    diagram_link: Markup
    rows: list[CitedRow]


@dataclass(frozen=True)
class DocumentsIndexPage(SimplePage):
    rows: list[DocumentRow]


@dataclass(frozen=True)
class Download:
    link: Markup | None
    name: Markup
    format: Markup
    description: Markup


@dataclass(frozen=True)
class DataPage(SimplePage):
    downloads: list[Download]
    counts: list[tuple[Markup, int]]


@dataclass(frozen=True)
class IndexLink:
    link: Markup
    description: Markup


@dataclass(frozen=True)
class IndexesPage(SimplePage):
    items: list[IndexLink]


def _simple(title: str) -> dict[str, Markup]:
    return {"title": escape.md_text(title), "front_title": escape.front_matter(title)}


def clocks_page(ctx: RenderContext) -> ClocksPage:
    page = links.CLOCKS_INDEX
    docs = sorted(ctx.kb.documents, key=ctx.document_order)
    rows = [clock_row(ctx, d, c, page) for d in docs for c in d.spec.clocks]
    return ClocksPage(rows=rows, **_simple("全部时限"))


def matrix_page(ctx: RenderContext) -> MatrixPage:
    page = links.MATRIX_INDEX
    # (actor type, topic) -> role -> jurisdictions
    found: dict[tuple[str, str], dict[Role, set[str]]] = {}
    for doc in ctx.kb.documents:
        for duty in doc.spec.duties:
            for actor_id in duty.actors:
                key = (doc.actors[actor_id].type, duty.topic)
                found.setdefault(key, {}).setdefault(duty.role, set()).add(doc.spec.jurisdiction)
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
            text = " · ".join(f"{ROLE_LABEL[r]} {len(roles[r])}"
                              for r in sorted(roles, key=lambda r: ROLE_ORDER[r]))
            target = links.relative(page, links.topic_page(topic.id),
                                    links.actor_type_anchor(actor_type.id))
            cells.append(escape.md_link(text, target))
        rows.append(MatrixRow(escape.md_cell(actor_type.name), cells))
    return MatrixPage(
        topics=[ctx.topic_link(t.id, page) for t in topics],
        rows=rows,
        jurisdictions=len(ctx.kb.documents_by_jurisdiction),
        **_simple("跨辖区职责矩阵"),
    )


def citations_page(ctx: RenderContext) -> CitationsPage:
    page = links.CITATIONS_INDEX
    rows = []
    for node in ctx.graph.cited_nodes():
        citers = ctx.graph.citers_of(node.key)
        rows.append(CitedRow(
            node=ctx.cited_node_text(node, page),
            issuer=escape.md_cell(node.issuer) if node.issuer else DASH,
            in_kb=escape.md_cell("已收录" if node.document else "未收录"),
            count=len(citers),
            citing=Markup("<br>").join(ctx.document_link(d, page) for d in citers),
        ))
    return CitationsPage(
        placeholder=Markup(diagram_placeholder(str(escape.url(links.CITATIONS_DIAGRAM)))),
        diagram_link=escape.url(links.relative(page, links.CITATIONS_DIAGRAM)),
        rows=rows,
        **_simple("引用关系"),
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


def _chart_node(ctx: RenderContext, node: CitedNode, number: int) -> ChartNode:
    label = _wrap(node.title)
    if node.document:
        where = ctx.kb.document_by_id[node.document].spec.jurisdiction
        label = _wrap(f"{ctx.jurisdiction_name(where)}：{node.title}")
    if node.doc_number:
        label += "\n" + node.doc_number
    tooltip = "　".join(x for x in (node.title, node.doc_number or "", node.issuer or "") if x)
    if node.external:
        tooltip += "（未收录）"
    return ChartNode(
        id=escape.dot_id(f"n{number}"),
        svg_id=escape.dot_string(f"pk--citations--n{number}"),
        external=node.external,
        label=escape.dot_string(label),
        tooltip=escape.dot_tooltip(tooltip),
        url=escape.dot_string(links.svg_document_url(node.document)) if node.document else None,
    )


def citations_dot(ctx: RenderContext) -> str:
    graph = ctx.graph.citations
    keys = sorted((k for k in graph.nodes if graph.degree(k) > 0),
                  key=lambda k: (k.startswith("ext:"), k))
    number = {k: i for i, k in enumerate(keys)}
    nodes = [_chart_node(ctx, ctx.graph.node(k), number[k]) for k in keys]
    edges = [
        ChartEdge(escape.dot_id(f"n{number[a]}"), escape.dot_id(f"n{number[b]}"),
                  escape.dot_string(f"pk--citations--e{i}"))
        for i, (a, b) in enumerate(sorted(graph.edges, key=lambda e: (number[e[0]], number[e[1]])))
    ]
    chart = CitationChart(
        id=escape.dot_id("pk--citations"),
        svg_id=escape.dot_string("pk--citations"),
        title=escape.dot_string("文件引用关系"),
        tooltip=escape.dot_tooltip("文件引用关系"),
        font=escape.dot_string(FONT),
        nodes=nodes,
        edges=edges,
    )
    return render("diagrams/citations.dot.jinja", chart=chart)


def documents_index_page(ctx: RenderContext) -> DocumentsIndexPage:
    ids = [d.id for d in ctx.kb.documents]
    return DocumentsIndexPage(rows=document_rows(ctx, ids, links.DOCUMENTS_INDEX),
                              **_simple("全部文件"))


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
    kb = ctx.kb
    counts = [
        (escape.md_cell("文件"), len(kb.documents)),
        (escape.md_cell("条款"), sum(len(d.provisions) for d in kb.documents)),
        (escape.md_cell("职责"), sum(len(d.spec.duties) for d in kb.documents)),
        (escape.md_cell("时限"), sum(len(d.spec.clocks) for d in kb.documents)),
        (escape.md_cell("数量要求"), sum(len(d.spec.quotas) for d in kb.documents)),
        (escape.md_cell("流程"), sum(len(d.spec.procedures) for d in kb.documents)),
        (escape.md_cell("引用"), sum(len(d.spec.citations) for d in kb.documents)),
    ]
    return DataPage(downloads=downloads, counts=counts, **_simple("数据下载"))


def indexes_index_page(ctx: RenderContext) -> IndexesPage:
    page = links.INDEXES_INDEX
    entries = [
        (links.CLOCKS_INDEX, "全部时限", "所有文件的全部时限，可排序、筛选"),
        (links.MATRIX_INDEX, "跨辖区职责矩阵", "各类主体在各专题中的角色，按辖区计数"),
        (links.CITATIONS_INDEX, "引用关系", "文件之间及对外部文件的引用，可点击的关系图"),
        (links.DOCUMENTS_INDEX, "全部文件", "按辖区排列的文件清单"),
        (links.TOPICS_INDEX, "专题", "各辖区就同一问题的并排比较"),
        (links.JURISDICTIONS_INDEX, "辖区", "省、市、县辖区树"),
        (links.DATA_INDEX, "数据下载", "JSON、CSV、XLSX 与 JSON Schema"),
    ]
    items = [IndexLink(escape.md_link(name, links.relative(page, target)),
                       escape.md_text(description))
             for target, name, description in entries]
    return IndexesPage(items=items, **_simple("索引"))
