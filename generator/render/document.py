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

from generator.domain.model import Clock, Document, Duty, Procedure, Provision, Quota
from generator.domain.wording import (
    EDITORIAL,
    KIND_LABEL,
    NOT_STATED,
    ROLE_LABEL,
    ROLE_ORDER,
    SCRIPT_LABEL,
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
from generator.render.search_marks import IGNORE_MARKER
from generator.render.validity import ValidityView, validity_view
from generator.vocabulary import Attribution, Role, Script

#: The language of a traditional-script original (the page itself is ``zh``).
TRADITIONAL_LANG = "zh-Hant"


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
    """One provision of the full text.

    ``number``: the printed number (the provision's permalink), else ``None``; ``lead``: the
    heading as printed; ``label``: the clause number as cited (``三、（一）``), which
    复制引用 appends to the document's citation (``DocumentPage.cite``).
    """

    id: Markup
    depth: int
    heading: bool
    number: Markup | None
    lead: Markup | None
    paragraphs: list[Markup]
    label: Markup


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
    #: Why actors the text does not name were inferred: (reason, how many facts), first seen first.
    editorial: list[tuple[Markup, int]]
    jurisdiction: Markup
    #: ``zh-Hant`` for a traditional-script original, else empty: the title and the text carry it.
    lang: Markup
    validity: ValidityView
    #: ``《title》（文号）``: the start of every clause's citation (raw HTML block text).
    cite: Markup


def text_lang(doc: Document) -> Markup:
    """The ``lang`` of text quoted from ``doc`` (``zh-Hant``), or empty when it is the page's."""
    return Markup(TRADITIONAL_LANG) if doc.script is Script.TRADITIONAL else Markup("")


def _in_lang(text: Markup, lang: Markup) -> Markup:
    """``text`` marked as written in ``lang`` (unchanged when ``lang`` is the page's own)."""
    if not lang:
        return text
    return escape.concat(Markup('<span lang="'), lang, Markup('">'), text, Markup("</span>"))


def _unindexed(cell: Markup) -> Markup:
    """A card value that search excerpts skip (page furniture, not the document's words)."""
    return escape.concat(Markup(f"<span {IGNORE_MARKER}>"), cell, Markup("</span>"))


def _card(ctx: RenderContext, doc: Document, page: str) -> list[CardRow]:
    s = doc
    rows: list[tuple[str, Markup]] = []
    lang = text_lang(doc)
    if s.notice_title:
        rows.append(("印发通知", _in_lang(escape.md_cell(s.notice_title), lang)))
    issuers = []
    for issuer in s.issuers:
        text = _in_lang(escape.md_cell(issuer.name), lang)
        if issuer.jurisdiction:
            text += escape.md_cell("（") + ctx.jurisdiction_link(issuer.jurisdiction.id, page) + \
                escape.md_cell("）")
        issuers.append(text)
    rows.append(("发文机关", Markup("<br>").join(issuers)))
    rows.append(("文号", _in_lang(escape.md_cell(s.doc_number), lang) if s.doc_number
                 else escape.md_cell(NOT_STATED)))
    chain = [ctx.jurisdiction_link(j.id, page) for j in s.jurisdiction.chain]
    rows.append(("适用地域", Markup(" › ").join(chain)))
    rows.append(("类型", escape.md_cell(KIND_LABEL[s.kind])))
    rows.append(("效力", validity_view(doc).cell))
    rows.append(("成文日期", escape.md_cell(date_text(s.dates.issued))))
    rows.append(("发布日期", escape.md_cell(date_text(s.dates.published))))
    rows.append(("施行日期", escape.md_cell(date_text(s.dates.effective))))
    rows.append(("来源", _source(doc)))
    rows.append(("数据核对日期", escape.md_cell(
        f"{date_text(s.source.verified)}（编者对照原文核对本页各项事实的日期）"
        if s.source.verified else "未记录")))
    rows.append(("文字", _unindexed(escape.md_cell(SCRIPT_LABEL[s.script]))))
    return [CardRow(escape.md_cell(label), value) for label, value in rows]


def _source(doc: Document) -> Markup:
    """Who published the text and where (the official link), never the file it was read from."""
    source: list[Markup] = []
    if doc.source.publisher:
        source.append(escape.md_cell(f"发布：{doc.source.publisher}"))
    if doc.source.url:
        href = escape.external_url(doc.source.url)
        if href is not None:
            source.append(Markup("[官方网站原文](") + href + Markup(")"))
    if doc.source.retrieved:
        source.append(escape.md_cell(f"获取于{date_text(doc.source.retrieved)}"))
    if not source:
        return escape.md_cell("未载明发布网站和原文链接（本站据公开发布的文本整理）")
    return escape.join(Markup("；"), source)


def _matrix(ctx: RenderContext, doc: Document,
            page: str) -> tuple[list[Markup], list[MatrixRow]]:
    by_cell: dict[tuple[str, str], list[Duty]] = {}
    for duty in doc.duties:
        for actor in duty.actors:
            by_cell.setdefault((actor.id, duty.topic.id), []).append(duty)
    covered = {topic for _, topic in by_cell}
    topics = [t for t in ctx.kb.topics if t.id in covered]
    topic_ids = [t.id for t in topics]
    rows = []
    for actor in doc.actors:
        cells = []
        has_any = False
        for topic in topics:
            duties = by_cell.get((actor.id, topic.id), [])
            has_any = has_any or bool(duties)
            cells.append(_matrix_cell(duties) if duties else DASH)
        if has_any:
            rows.append(MatrixRow(escape.md_cell(actor.name),
                                  escape.md_cell(actor.type.name), cells))
    return [ctx.topic_link(t, page) for t in topic_ids], rows


def _matrix_cell(duties: list[Duty]) -> Markup:
    """One cell of the matrix: per role, a count (``负责 3项``) that opens the list of those
    duties, instead of "负责、负责、负责…": it links to the duty list, which
    docs/assets/policykb.js filters to the cell's actor, topic and role."""
    by_role: dict[Role, int] = {}
    for duty in duties:
        by_role[duty.role] = by_role.get(duty.role, 0) + 1
    inferred: dict[Role, int] = {}
    for duty in duties:
        if duty.attribution is Attribution.EDITORIAL:
            inferred[duty.role] = inferred.get(duty.role, 0) + 1
    target = links.anchor(links.section_anchor("duty-list"))
    return escape.join(Markup(" · "), [
        escape.md_link(f"{ROLE_LABEL[role]} {by_role[role]}项"
                       + (f"（{EDITORIAL}{inferred[role]}项）" if role in inferred else ""), target)
        for role in sorted(by_role, key=lambda r: ROLE_ORDER[r])])


def _editorial_reasons(doc: Document) -> list[tuple[Markup, int]]:
    """Each reason an actor was inferred for (``attribution: editorial``), with its count."""
    counts: dict[str, int] = {}
    facts: tuple[Clock | Duty | Quota, ...] = (*doc.clocks, *doc.duties, *doc.quotas)
    for fact in facts:
        if fact.attribution is Attribution.EDITORIAL and fact.attribution_reason:
            counts[fact.attribution_reason] = counts.get(fact.attribution_reason, 0) + 1
    return [(escape.md_text(reason), n) for reason, n in counts.items()]


def _citation(doc: Document) -> str:
    """``《title》（文号）``: how an officer cites the document (no 文号 when it has none); the
    clause number as printed follows it."""
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    return f"《{doc.title}》{number}"


def _provisions(doc: Document) -> list[ProvisionView]:
    views = []
    for p in doc.all_provisions():
        depth = p.depth
        number = (p.number or "").strip()
        heading = (p.heading or "").strip()
        paragraphs = escape.html_lines(p.text) if p.text else []
        as_heading = depth == 0 and bool(number or heading)
        views.append(ProvisionView(
            id=escape.html_attr(p.id),
            depth=depth,
            heading=as_heading,
            number=escape.md_text(number) if number else None,
            lead=escape.md_text(heading) if heading else None,
            paragraphs=paragraphs,
            label=escape.html_attr(p.label),
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
        editorial=_editorial_reasons(s),
        jurisdiction=ctx.jurisdiction_link(s.jurisdiction.id, page),
        lang=text_lang(doc),
        validity=validity_view(doc),
        cite=escape.html_lines(_citation(doc))[0],
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
    validity: ValidityView


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
        validity=validity_view(doc),
    )
