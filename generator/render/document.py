"""The document page: card, citations, clocks, responsibility matrix, quotas, procedures, the full
original text with an anchor on every provision, and editorial notes."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.model import PolicyDocument, walk_provisions
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.facts import (
    DASH,
    ClockRow,
    DutyRow,
    QuotaRow,
    clock_row,
    duty_row,
    quota_row,
)
from generator.render.procedures import ProcedureView, procedure_view
from generator.wording import (
    KIND_LABEL,
    NOT_STATED,
    ROLE_LABEL,
    ROLE_ORDER,
    SCRIPT_LABEL,
    STATUS_LABEL,
    date_text,
)


@dataclass(frozen=True)
class CardRow:
    label: Markup
    value: Markup


@dataclass(frozen=True)
class MatrixRow:
    actor: Markup
    actor_type: Markup
    cells: list[Markup]


@dataclass(frozen=True)
class ProvisionView:
    id: Markup
    depth: int
    heading: bool
    lead: Markup | None
    paragraphs: list[Markup]


@dataclass(frozen=True)
class RelatedView:
    link: Markup
    reasons: Markup


@dataclass(frozen=True)
class DocumentPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    summary: Markup | None
    card: list[CardRow]
    cited: list[Markup]
    citing: list[Markup]
    topics: list[Markup]
    clocks: list[ClockRow]
    matrix_topics: list[Markup]
    matrix: list[MatrixRow]
    duties: list[DutyRow]
    quotas: list[QuotaRow]
    procedures: list[ProcedureView]
    related: list[RelatedView]
    provisions: list[ProvisionView]
    notes: list[Markup]
    jurisdiction: Markup


def status_badge(doc: PolicyDocument) -> Markup:
    status = doc.spec.status
    return Markup('<span class="pk-badge pk-badge--') + escape.html_attr(status.value) + \
        Markup('">') + escape.html_text(STATUS_LABEL[status]) + Markup("</span>")


def _card(ctx: RenderContext, doc: PolicyDocument, page: str) -> list[CardRow]:
    s = doc.spec
    rows: list[tuple[str, Markup]] = []
    if s.notice_title:
        rows.append(("印发通知", escape.md_cell(s.notice_title)))
    issuers = []
    for issuer in s.issuers:
        text = escape.md_cell(issuer.name)
        if issuer.jurisdiction:
            text += escape.md_cell("（") + ctx.jurisdiction_link(issuer.jurisdiction, page) + \
                escape.md_cell("）")
        issuers.append(text)
    rows.append(("发文机关", Markup("<br>").join(issuers)))
    rows.append(("文号", escape.md_cell(s.doc_number or NOT_STATED)))
    chain = [ctx.jurisdiction_link(j, page) for j in ctx.graph.chain(s.jurisdiction)]
    rows.append(("适用地域", Markup(" › ").join(chain)))
    rows.append(("类型", escape.md_cell(KIND_LABEL[s.kind])))
    rows.append(("状态", status_badge(doc)))
    rows.append(("成文日期", escape.md_cell(date_text(s.dates.issued))))
    rows.append(("发布日期", escape.md_cell(date_text(s.dates.published))))
    rows.append(("施行日期", escape.md_cell(date_text(s.dates.effective))))
    source: list[Markup] = []
    if s.source.publisher:
        source.append(escape.md_cell(s.source.publisher))
    if s.source.url:
        href = escape.external_url(s.source.url)
        if href is not None:
            source.append(Markup("[原文链接](") + href + Markup(")"))
    if s.source.seed:
        source.append(escape.md_cell(f"样本文件 {s.source.seed}"))
    if s.source.retrieved:
        source.append(escape.md_cell(f"获取于{date_text(s.source.retrieved)}"))
    rows.append(("来源", Markup("；").join(source) if source else escape.md_cell(NOT_STATED)))
    rows.append(("文字", escape.md_cell(SCRIPT_LABEL[s.script])))
    return [CardRow(escape.md_cell(label), value) for label, value in rows]


def _matrix(ctx: RenderContext, doc: PolicyDocument,
            page: str) -> tuple[list[Markup], list[MatrixRow]]:
    topic_ids = [t.id for t in ctx.kb.topics if any(d.topic == t.id for d in doc.spec.duties)]
    rows = []
    for actor in doc.spec.actors:
        cells = []
        has_any = False
        for topic_id in topic_ids:
            duties = [d for d in doc.spec.duties if d.topic == topic_id and actor.id in d.actors]
            duties.sort(key=lambda d: (ROLE_ORDER[d.role], d.id))
            links_ = [escape.md_link(ROLE_LABEL[d.role], links.anchor(d.provision))
                      for d in duties]
            has_any = has_any or bool(links_)
            cells.append(Markup("、").join(links_) if links_ else DASH)
        if has_any:
            rows.append(MatrixRow(escape.md_cell(actor.name),
                                  escape.md_cell(ctx.actor_type_name(actor.type)), cells))
    return [ctx.topic_link(t, page) for t in topic_ids], rows


def _provisions(doc: PolicyDocument) -> list[ProvisionView]:
    views = []
    for depth, p in walk_provisions(doc.spec.provisions):
        lead_text = "".join(x for x in ((p.number or "").strip(), (p.heading or "").strip()) if x)
        paragraphs = escape.md_lines(p.text) if p.text else []
        as_heading = depth == 0 and bool(lead_text)
        views.append(ProvisionView(
            id=escape.html_attr(p.id),
            depth=depth,
            heading=as_heading,
            lead=escape.md_text(lead_text) if lead_text else None,
            paragraphs=paragraphs,
        ))
    return views


def document_page(ctx: RenderContext, doc: PolicyDocument) -> DocumentPage:
    page = links.document_page(doc.id)
    s = doc.spec
    cited = []
    for link in ctx.graph.cited(doc.id):
        text = ctx.citation_text(link, page)
        if link.citation.issuer:
            text += escape.md_text(f"，{link.citation.issuer}")
        if link.node.external:
            text += escape.md_text("（未收录）")
        cited.append(text + Markup(" · ") + ctx.clause_link(doc, link.citation.provision, page))
    related = [RelatedView(ctx.document_link(r.id, page), ctx.reasons_text(r.reasons, page))
               for r in ctx.graph.related_documents(doc.id)]
    topics = [ctx.topic_link(t.id, page) for t in ctx.kb.topics if t.id in doc.topics_covered]
    matrix_topics, matrix = _matrix(ctx, doc, page)
    return DocumentPage(
        path=page,
        title=escape.md_text(s.title),
        front_title=escape.front_matter(s.title),
        anchor=escape.html_attr(links.document_anchor(doc.id)),
        summary=escape.md_block(s.summary) if s.summary else None,
        card=_card(ctx, doc, page),
        cited=cited,
        citing=[ctx.document_link(d, page) for d in ctx.graph.citing(doc.id)],
        topics=topics,
        clocks=[clock_row(ctx, doc, c, page) for c in s.clocks],
        matrix_topics=matrix_topics,
        matrix=matrix,
        duties=[duty_row(ctx, doc, d, page) for d in s.duties],
        quotas=[quota_row(ctx, doc, q, page) for q in s.quotas],
        procedures=[procedure_view(ctx, doc, p, page) for p in s.procedures],
        related=related,
        provisions=_provisions(doc),
        notes=[escape.md_text(n) for n in s.notes],
        jurisdiction=ctx.jurisdiction_link(s.jurisdiction, page),
    )
