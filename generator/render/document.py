"""The document page and its procedure pages.

The document page holds the card, citations, clocks, responsibility matrix, quotas, a list of its
procedures, the full original text with an anchor on every provision, and editorial notes.  Each
procedure gets a page of its own (``links.procedure_page``) with its inlined swimlane chart, the
steps as text, its clocks and the clauses it rests on: the charts are the bulk of a page (about
14 KB of SVG each), and a document with ten procedures would otherwise weigh 250 KB.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.model import Clock, Document, Duty, Procedure, Provision
from generator.domain.wording import (
    EDITORIAL,
    KIND_LABEL,
    NOT_STATED,
    ROLE_LABEL,
    ROLE_ORDER,
    SCRIPT_LABEL,
    STATUS_LABEL,
    date_text,
)
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.facts import (
    DASH,
    ClockRow,
    DutyRow,
    QuotaRow,
    clock_row,
    clock_summary,
    duty_row,
    quota_row,
)
from generator.render.procedures import ProcedureView, procedure_view
from generator.vocabulary import Attribution


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
class ProcedureRow:
    """One line of the document page's procedure list."""

    anchor: Markup
    link: Markup
    topic: Markup
    lanes: Markup
    key_clock: Markup
    steps: int


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
    procedures: list[ProcedureRow]
    related: list[RelatedView]
    provisions: list[ProvisionView]
    notes: list[Markup]
    jurisdiction: Markup


def status_badge(doc: Document) -> Markup:
    status = doc.status
    return Markup('<span class="pk-badge pk-badge--') + escape.html_attr(status.value) + \
        Markup('">') + escape.html_text(STATUS_LABEL[status]) + Markup("</span>")


def _card(ctx: RenderContext, doc: Document, page: str) -> list[CardRow]:
    s = doc
    rows: list[tuple[str, Markup]] = []
    if s.notice_title:
        rows.append(("印发通知", escape.md_cell(s.notice_title)))
    issuers = []
    for issuer in s.issuers:
        text = escape.md_cell(issuer.name)
        if issuer.jurisdiction:
            text += escape.md_cell("（") + ctx.jurisdiction_link(issuer.jurisdiction.id, page) + \
                escape.md_cell("）")
        issuers.append(text)
    rows.append(("发文机关", Markup("<br>").join(issuers)))
    rows.append(("文号", escape.md_cell(s.doc_number or NOT_STATED)))
    chain = [ctx.jurisdiction_link(j.id, page) for j in s.jurisdiction.chain]
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


def _matrix(ctx: RenderContext, doc: Document,
            page: str) -> tuple[list[Markup], list[MatrixRow]]:
    by_cell: dict[tuple[str, str], list[Duty]] = {}
    for duty in doc.duties:
        for actor in duty.actors:
            by_cell.setdefault((actor.id, duty.topic.id), []).append(duty)
    covered = {topic for _, topic in by_cell}
    topic_ids = [t.id for t in ctx.kb.topics if t.id in covered]
    rows = []
    for actor in doc.actors:
        cells = []
        has_any = False
        for topic_id in topic_ids:
            duties = sorted(by_cell.get((actor.id, topic_id), []),
                            key=lambda d: (ROLE_ORDER[d.role], d.id))
            links_ = [escape.md_link(ROLE_LABEL[d.role] + (f"（{EDITORIAL}）" if d.attribution
                                                           is Attribution.EDITORIAL else ""),
                                     links.anchor(d.provision.id))
                      for d in duties]
            has_any = has_any or bool(links_)
            cells.append(escape.join(Markup("、"), links_) if links_ else DASH)
        if has_any:
            rows.append(MatrixRow(escape.md_cell(actor.name),
                                  escape.md_cell(actor.type.name), cells))
    return [ctx.topic_link(t, page) for t in topic_ids], rows


def _provisions(doc: Document) -> list[ProvisionView]:
    views = []
    for p in doc.all_provisions():
        depth = p.depth
        lead_text = "".join(x for x in ((p.number or "").strip(), (p.heading or "").strip()) if x)
        paragraphs = escape.html_lines(p.text) if p.text else []
        as_heading = depth == 0 and bool(lead_text)
        views.append(ProvisionView(
            id=escape.html_attr(p.id),
            depth=depth,
            heading=as_heading,
            lead=escape.md_text(lead_text) if lead_text else None,
            paragraphs=paragraphs,
        ))
    return views


def document_page(ctx: RenderContext, doc: Document) -> DocumentPage:
    page = links.document_page(doc.id)
    s = doc
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
    topics = [ctx.topic_link(t.id, page) for t in ctx.kb.topics if t in doc.topics_covered]
    matrix_topics, matrix = _matrix(ctx, doc, page)
    return DocumentPage(
        path=page,
        title=escape.md_text(s.title),
        front_title=escape.front_matter(s.title),
        anchor=escape.html_attr(links.document_anchor(doc.id)),
        summary=escape.html_block(s.summary) if s.summary else None,
        card=_card(ctx, doc, page),
        cited=cited,
        citing=[ctx.document_link(d, page) for d in ctx.graph.citing(doc.id)],
        topics=topics,
        clocks=[clock_row(ctx, c, page) for c in s.clocks],
        matrix_topics=matrix_topics,
        matrix=matrix,
        duties=[duty_row(ctx, d, page) for d in s.duties],
        quotas=[quota_row(ctx, q, page) for q in s.quotas],
        procedures=[_procedure_row(ctx, doc, p, page) for p in s.procedures],
        related=related,
        provisions=_provisions(doc),
        notes=[escape.md_text(n) for n in s.notes],
        jurisdiction=ctx.jurisdiction_link(s.jurisdiction.id, page),
    )


# --- procedures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseView:
    """A provision quoted in full on a procedure page, linked to its anchor on the document."""

    link: Markup
    lead: Markup | None
    paragraphs: list[Markup]


@dataclass(frozen=True)
class ProcedurePage(ProcedureView):
    """A procedure's own page: its view (steps, lanes, chart) plus what bounds it and where."""

    path: str
    front_title: Markup
    breadcrumb: Markup
    document: Markup
    clocks: list[ClockRow]
    clauses: list[ClauseView]


def procedure_clocks(proc: Procedure) -> list[Clock]:
    """What bounds the procedure in time: the clocks on its edges first (in edge order), then
    those stated in a clause one of its steps rests on (in the document's order)."""
    on_edges = [e.clock for e in proc.edges if e.clock is not None]
    clauses = {s.provision for s in proc.steps}
    in_clauses = [c for c in proc.document.clocks if c.provision in clauses]
    return list(dict.fromkeys([*on_edges, *in_clauses]))


def _procedure_row(ctx: RenderContext, doc: Document, proc: Procedure,
                   page: str) -> ProcedureRow:
    clocks = procedure_clocks(proc)
    key_clock = DASH
    if clocks:
        key_clock = escape.md_link(clock_summary(clocks[0]),
                                   links.anchor(links.clock_anchor(clocks[0].id)))
        if len(clocks) > 1:
            key_clock = escape.concat(key_clock, escape.md_cell(f"（另有{len(clocks) - 1}项时限）"))
    return ProcedureRow(
        anchor=escape.html_attr(links.procedure_anchor(proc.id)),
        link=escape.md_link(proc.title, links.relative(page, links.procedure_page(doc.id,
                                                                                  proc.id))),
        topic=ctx.topic_link(proc.topic.id, page),
        lanes=escape.md_cell(ctx.actor_names(proc.lanes)),
        key_clock=key_clock,
        steps=len(proc.steps),
    )


def _clauses(ctx: RenderContext, doc: Document, provisions: set[Provision],
             page: str) -> list[ClauseView]:
    """The ``provisions`` in text order, with their heading and own text (where every quote of
    a fact is found); the link text is the printed number."""
    views = []
    for p in doc.all_provisions():
        if p in provisions:
            heading = (p.heading or "").strip()
            if heading == p.label:
                heading = ""  # already the link text
            views.append(ClauseView(
                link=ctx.clause_link(doc, p, page),
                lead=escape.md_text(heading) if heading else None,
                paragraphs=escape.html_lines(p.text) if p.text else [],
            ))
    return views


def procedure_page(ctx: RenderContext, proc: Procedure) -> ProcedurePage:
    """Everything an officer needs for one procedure: who does what, for whom, with what papers,
    by when, and the clauses that say so."""
    doc = proc.document
    page = links.procedure_page(doc.id, proc.id)
    view = procedure_view(ctx, proc, page)
    clocks = procedure_clocks(proc)
    provisions = {s.provision for s in proc.steps}
    for c in clocks:
        provisions.add(c.provision)
        provisions.update(v.provision for v in c.variants)
        if c.extension is not None:
            provisions.add(c.extension.provision)
    document = ctx.document_link(doc.id, page)
    breadcrumb = escape.join(Markup(" › "), [
        ctx.jurisdiction_link(doc.jurisdiction.id, page),
        document,
        escape.md_link("流程", links.relative(page, links.document_page(doc.id),
                                              links.section_anchor("procedures"))),
    ])
    return ProcedurePage(
        **vars(view),
        path=page,
        front_title=escape.front_matter(f"{proc.title} · {ctx.document_short_name(doc)}"),
        breadcrumb=breadcrumb,
        document=document,
        clocks=[clock_row(ctx, c, page) for c in clocks],
        clauses=_clauses(ctx, doc, provisions, page),
    )
