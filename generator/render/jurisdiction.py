"""Jurisdiction pages and the jurisdiction tree.

Only jurisdictions with a document in their subtree get a page (a registry of every township
in China would otherwise become tens of thousands of empty pages); the tree shown on the home
page and on ``jurisdictions/index.md`` is pruned the same way.

Every list here grows with the knowledge base, and a page must stay small (no HTML page over
150 KB at 3,000 documents over 3,600 jurisdictions), so each is capped: a tree is shown level by
level down to the deepest level that fits its item budget (the pages of the last level shown
list what is below them), document tables show the newest documents first up to a limit, and
related jurisdictions and documents the strongest relations first; every cut says how many more
there are and where to find them.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.graph import Reason
from generator.domain.wording import KIND_LABEL, LEVEL_LABEL, NOT_STATED, date_text
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.validity import validity_note

#: Tree entries per page (an entry is 50-60 bytes of Markdown).  With the synthetic registry
#: (31 provinces, 349 prefectures, 3,201 counties) at 3,000 documents the home page shows the
#: provinces, the index provinces and prefectures (about 380 entries, 21 KB), a province page its
#: whole subtree (at most about 260 entries) and the country page its provinces.
HOME_TREE_ITEMS = 60
INDEX_TREE_ITEMS = 600
SUBTREE_ITEMS = 300
#: Document table rows per section of a jurisdiction page (a row is 200-300 bytes).
DOCUMENT_ROWS = 40
RELATED_JURISDICTIONS_SHOWN = 15
RELATED_DOCUMENTS_SHOWN = 20


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
class Tree:
    """A pruned jurisdiction tree; ``hidden`` entries below ``items`` did not fit the budget."""

    items: list[TreeItem]
    hidden: int


@dataclass(frozen=True)
class Capped:
    """The first rows of a longer list and how many were left out."""

    rows: list[DocumentRow]
    more: int


@dataclass(frozen=True)
class JurisdictionPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    level: Markup
    code: Markup
    chain: Markup
    children: Tree
    own: Capped
    below: Capped
    topics: list[TopicCoverage]
    related_jurisdictions: list[RelatedItem]
    more_jurisdictions: int
    related_documents: list[RelatedItem]
    more_documents: int
    documents_index: Markup


@dataclass(frozen=True)
class JurisdictionsIndexPage:
    title: Markup
    front_title: Markup
    tree: Tree


def tree(ctx: RenderContext, page: str, roots: list[str], budget: int) -> Tree:
    """Depth-first tree under ``roots`` (jurisdictions with documents; a country is skipped),
    down to the deepest level at which it still has at most ``budget`` entries (the first level
    is always shown)."""
    found: list[tuple[int, str]] = []
    stack = [(0, root) for root in reversed(roots)]
    while stack:
        depth, jid = stack.pop()
        if not ctx.graph.has_documents(jid):
            continue
        is_country = ctx.kb.jurisdiction_by_id[jid].level.value == "country"
        if not is_country:
            found.append((depth, jid))
        child_depth = depth if is_country else depth + 1
        stack.extend((child_depth, child) for child in reversed(ctx.graph.children(jid)))
    per_depth: dict[int, int] = {}
    for depth, _ in found:
        per_depth[depth] = per_depth.get(depth, 0) + 1
    deepest, shown = 0, 0
    for depth in sorted(per_depth):
        shown += per_depth[depth]
        if depth > 0 and shown > budget:
            break
        deepest = depth
    items = [_tree_item(ctx, page, depth, jid) for depth, jid in found if depth <= deepest]
    return Tree(items, len(found) - len(items))


def _tree_item(ctx: RenderContext, page: str, depth: int, jid: str) -> TreeItem:
    j = ctx.kb.jurisdiction_by_id[jid]
    return TreeItem(
        depth=depth,
        indent=Markup("    " * depth),
        link=ctx.jurisdiction_link(jid, page),
        level=escape.md_text(LEVEL_LABEL[j.level]),
        own=len(ctx.kb.documents_by_jurisdiction.get(j, ())),
        total=len(ctx.graph.documents_under(jid)),
    )


def document_rows(ctx: RenderContext, document_ids: list[str], page: str) -> list[DocumentRow]:
    docs = sorted((ctx.kb.document_by_id[d] for d in document_ids), key=ctx.document_order)
    rows = []
    for doc in docs:
        rows.append(DocumentRow(
            link=ctx.document_link(doc.id, page),
            jurisdiction=ctx.jurisdiction_link(doc.jurisdiction.id, page),
            doc_number=escape.md_cell(doc.doc_number or NOT_STATED),
            kind=escape.md_cell(KIND_LABEL[doc.kind]),
            status=validity_note(doc),
            date=escape.md_cell(date_text(doc.issued_or_published)),
        ))
    return rows


def _newest_first(ctx: RenderContext, document_ids: list[str], page: str) -> Capped:
    """The newest ``DOCUMENT_ROWS`` documents (by issue, else publication date) in tree order."""
    def issued(d: str) -> str:
        day = ctx.kb.document_by_id[d].issued_or_published
        return day.isoformat() if day else ""

    newest = sorted(document_ids, key=lambda d: (issued(d), d), reverse=True)[:DOCUMENT_ROWS]
    return Capped(document_rows(ctx, newest, page), len(document_ids) - len(newest))


def jurisdiction_page(ctx: RenderContext, jurisdiction_id: str) -> JurisdictionPage:
    page = links.jurisdiction_page(jurisdiction_id)
    j = ctx.kb.jurisdiction_by_id[jurisdiction_id]
    own_docs = sorted(d.id for d in ctx.kb.documents_by_jurisdiction.get(j, ()))
    own_set = set(own_docs)
    below = [d for d in ctx.graph.documents_under(jurisdiction_id) if d not in own_set]
    chain = [ctx.jurisdiction_link(x, page) for x in ctx.graph.chain(jurisdiction_id)[:-1]]
    chain.append(escape.md_text(j.name))
    topics = []
    own = [ctx.kb.document_by_id[d] for d in own_docs]
    for topic in ctx.kb.topics:
        covering = [d for d in own if topic in d.topics_covered]
        clocks = sum(1 for d in covering for c in d.clocks if c.topic is topic)
        topics.append(TopicCoverage(
            link=ctx.topic_link(topic.id, page),
            covered=escape.md_cell("涉及" if covering else "未涉及"),
            clocks=clocks,
        ))
    # Related documents of the jurisdiction's own documents, strongest relation first.
    related_docs: dict[str, int] = {}
    reasons_of: dict[str, tuple[Reason, ...]] = {}
    for doc_id in own_docs:
        for rel in ctx.graph.related_documents(doc_id):
            if rel.id in own_set or rel.id in related_docs:
                continue
            related_docs[rel.id], reasons_of[rel.id] = rel.score, rel.reasons
    ranked = sorted(related_docs, key=lambda d: (-related_docs[d], d))
    related_j = ctx.graph.related_jurisdictions(jurisdiction_id)
    return JurisdictionPage(
        path=page,
        title=escape.md_text(j.name),
        front_title=escape.front_matter(j.name),
        anchor=escape.html_attr(links.jurisdiction_anchor(j.id)),
        level=escape.md_text(LEVEL_LABEL[j.level]),
        code=escape.md_text(j.code or NOT_STATED),
        chain=escape.join(Markup(" › "), chain),
        children=tree(ctx, page, ctx.graph.children(jurisdiction_id), SUBTREE_ITEMS),
        own=_newest_first(ctx, own_docs, page),
        below=_newest_first(ctx, below, page),
        topics=topics if own_docs else [],
        related_jurisdictions=[
            RelatedItem(ctx.jurisdiction_link(r.id, page),
                        ctx.reasons_text(r.reasons, page, between="jurisdictions"))
            for r in related_j[:RELATED_JURISDICTIONS_SHOWN]
        ],
        more_jurisdictions=max(0, len(related_j) - RELATED_JURISDICTIONS_SHOWN),
        related_documents=[RelatedItem(ctx.document_link(d, page),
                                       ctx.reasons_text(reasons_of[d], page))
                           for d in ranked[:RELATED_DOCUMENTS_SHOWN]],
        more_documents=max(0, len(ranked) - RELATED_DOCUMENTS_SHOWN),
        documents_index=escape.url(links.relative(page, links.DOCUMENTS_INDEX)),
    )


def jurisdictions_index_page(ctx: RenderContext) -> JurisdictionsIndexPage:
    return JurisdictionsIndexPage(
        title=escape.md_text("辖区"),
        front_title=escape.front_matter("辖区"),
        tree=tree(ctx, links.JURISDICTIONS_INDEX, ctx.graph.roots(), INDEX_TREE_ITEMS),
    )
