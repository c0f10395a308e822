"""Jurisdiction pages and the jurisdiction tree.

Only jurisdictions with a document in their subtree get a page (a registry of every township
in China would otherwise become tens of thousands of empty pages); the tree shown on the home
page and on ``jurisdictions/index.md`` is pruned the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.document import status_badge
from generator.wording import KIND_LABEL, LEVEL_LABEL, NOT_STATED, date_text


@dataclass(frozen=True)
class TreeItem:
    depth: int
    indent: Markup
    link: Markup
    level: Markup
    own: int
    total: int


@dataclass(frozen=True)
class DocumentRow:
    link: Markup
    jurisdiction: Markup
    doc_number: Markup
    kind: Markup
    status: Markup
    date: Markup


@dataclass(frozen=True)
class TopicCoverage:
    link: Markup
    covered: Markup
    clocks: int


@dataclass(frozen=True)
class RelatedItem:
    link: Markup
    reasons: Markup


@dataclass(frozen=True)
class JurisdictionPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    level: Markup
    code: Markup
    chain: Markup
    children: list[Markup]
    own: list[DocumentRow]
    below: list[DocumentRow]
    topics: list[TopicCoverage]
    related_jurisdictions: list[RelatedItem]
    related_documents: list[RelatedItem]


@dataclass(frozen=True)
class JurisdictionsIndexPage:
    title: Markup
    front_title: Markup
    tree: list[TreeItem]


def tree_items(ctx: RenderContext, page: str) -> list[TreeItem]:
    """Depth-first tree of jurisdictions with documents; the country root is skipped."""
    items: list[TreeItem] = []
    stack: list[tuple[int, str]] = []
    for root in reversed(ctx.graph.roots()):
        stack.append((0, root))
    while stack:
        depth, jid = stack.pop()
        if not ctx.graph.has_documents(jid):
            continue
        j = ctx.kb.jurisdiction_by_id[jid]
        is_country = j.level.value == "country"
        if not is_country:
            items.append(TreeItem(
                depth=depth,
                indent=Markup("    " * depth),
                link=ctx.jurisdiction_link(jid, page),
                level=escape.md_text(LEVEL_LABEL[j.level]),
                own=len(ctx.kb.documents_by_jurisdiction.get(jid, [])),
                total=len(ctx.graph.documents_under(jid)),
            ))
        child_depth = depth if is_country else depth + 1
        for child in reversed(ctx.graph.children(jid)):
            stack.append((child_depth, child))
    return items


def document_rows(ctx: RenderContext, document_ids: list[str], page: str) -> list[DocumentRow]:
    docs = sorted((ctx.kb.document_by_id[d] for d in document_ids), key=ctx.document_order)
    rows = []
    for doc in docs:
        s = doc.spec
        rows.append(DocumentRow(
            link=ctx.document_link(doc.id, page),
            jurisdiction=ctx.jurisdiction_link(s.jurisdiction, page),
            doc_number=escape.md_cell(s.doc_number or NOT_STATED),
            kind=escape.md_cell(KIND_LABEL[s.kind]),
            status=status_badge(doc),
            date=escape.md_cell(date_text(s.dates.issued or s.dates.published)),
        ))
    return rows


def jurisdiction_page(ctx: RenderContext, jurisdiction_id: str) -> JurisdictionPage:
    page = links.jurisdiction_page(jurisdiction_id)
    j = ctx.kb.jurisdiction_by_id[jurisdiction_id]
    own_docs = sorted(d.id for d in ctx.kb.documents_by_jurisdiction.get(jurisdiction_id, []))
    own_set = set(own_docs)
    below = [d for d in ctx.graph.documents_under(jurisdiction_id) if d not in own_set]
    chain = [ctx.jurisdiction_link(x, page) for x in ctx.graph.chain(jurisdiction_id)[:-1]]
    chain.append(escape.md_text(j.name))
    topics = []
    own = [ctx.kb.document_by_id[d] for d in own_docs]
    for topic in ctx.kb.topics:
        covering = [d for d in own if topic.id in d.topics_covered]
        clocks = sum(1 for d in covering for c in d.spec.clocks if c.topic == topic.id)
        topics.append(TopicCoverage(
            link=ctx.topic_link(topic.id, page),
            covered=escape.md_cell("涉及" if covering else "未涉及"),
            clocks=clocks,
        ))
    related_docs: dict[str, tuple[int, Markup]] = {}
    for doc_id in own_docs:
        for rel in ctx.graph.related_documents(doc_id):
            if rel.id in own_set or rel.id in related_docs:
                continue
            related_docs[rel.id] = (rel.score, ctx.reasons_text(rel.reasons, page))
    ranked = sorted(related_docs.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return JurisdictionPage(
        path=page,
        title=escape.md_text(j.name),
        front_title=escape.front_matter(j.name),
        anchor=escape.html_attr(links.jurisdiction_anchor(j.id)),
        level=escape.md_text(LEVEL_LABEL[j.level]),
        code=escape.md_text(j.code or NOT_STATED),
        chain=Markup(" › ").join(chain),
        children=[ctx.jurisdiction_link(c, page) for c in ctx.graph.children(jurisdiction_id)
                  if ctx.graph.has_documents(c)],
        own=document_rows(ctx, own_docs, page),
        below=document_rows(ctx, below, page),
        topics=topics if own_docs else [],
        related_jurisdictions=[
            RelatedItem(ctx.jurisdiction_link(r.id, page),
                        ctx.reasons_text(r.reasons, page, between="jurisdictions"))
            for r in ctx.graph.related_jurisdictions(jurisdiction_id)
        ],
        related_documents=[RelatedItem(ctx.document_link(d, page), reasons)
                           for d, (_score, reasons) in ranked[:20]],
    )


def jurisdictions_index_page(ctx: RenderContext) -> JurisdictionsIndexPage:
    return JurisdictionsIndexPage(
        title=escape.md_text("辖区"),
        front_title=escape.front_matter("辖区"),
        tree=tree_items(ctx, links.JURISDICTIONS_INDEX),
    )
