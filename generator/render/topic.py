"""Topic pages: every jurisdiction side by side on one question, gaps stated.

Rows follow the jurisdiction tree (division codes), so a printed page reads the same way every
time.  The strictest and the loosest clock are marked by :func:`mark_extremes` using the
normalised duration from :func:`generator.wording.comparable_hours`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.model import PolicyDocument
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.facts import DASH, ClockRow, DutyRow, QuotaRow, clock_row, duty_row, quota_row
from generator.schema import Topic

NOT_COVERED = "未涉及"
NO_CLOCK = "未规定时限"
NO_DUTY = "未规定该类主体职责"
STRICTEST = "最严"
LOOSEST = "最宽"


def mark_extremes(hours: Sequence[float | None]) -> list[str]:
    """``最严`` for every minimum, ``最宽`` for every maximum, ``""`` otherwise.

    Values of None (及时, recurrences, dates) take no part; nothing is marked when fewer than two
    values are comparable or when they are all equal.
    """
    known = [h for h in hours if h is not None]
    if len(known) < 2 or min(known) == max(known):
        return ["" for _ in hours]
    low, high = min(known), max(known)
    return [STRICTEST if h == low else LOOSEST if h == high else "" for h in hours]


def mark_html(mark: str) -> Markup:
    if not mark:
        return Markup("")
    cls = "strictest" if mark == STRICTEST else "loosest"
    return Markup(f'<span class="pk-mark pk-mark--{cls}">') + escape.html_text(mark) + \
        Markup("</span>")


def _mark_cell(row: ClockRow | None, mark: str) -> Markup:
    if row is None:
        return DASH
    if row.hours is None:
        return row.not_comparable
    return mark_html(mark) if mark else DASH


def gap_html(text: str) -> Markup:
    return Markup('<span class="pk-gap">') + escape.html_text(text) + Markup("</span>")


@dataclass(frozen=True)
class OverviewRow:
    jurisdiction: Markup
    documents: Markup
    clocks: int
    duties: int
    procedures: Markup
    status: Markup


@dataclass(frozen=True)
class CompareClock:
    jurisdiction: Markup
    row: ClockRow | None
    mark: Markup
    gap: Markup


@dataclass(frozen=True)
class CompareDuty:
    jurisdiction: Markup
    row: DutyRow | None
    gap: Markup


@dataclass(frozen=True)
class ActorTypeSection:
    anchor: Markup
    name: Markup
    rows: list[CompareDuty]


@dataclass(frozen=True)
class TopicPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    question: Markup
    description: Markup | None
    overview: list[OverviewRow]
    clocks: list[CompareClock]
    has_marks: bool
    actor_types: list[ActorTypeSection]
    quotas: list[QuotaRow]
    not_covered: list[Markup]
    no_clock: list[Markup]


@dataclass(frozen=True)
class TopicIndexRow:
    link: Markup
    question: Markup
    jurisdictions: int
    clocks: int
    duties: int


@dataclass(frozen=True)
class TopicsIndexPage:
    title: Markup
    front_title: Markup
    rows: list[TopicIndexRow]


def _jurisdictions_with_documents(ctx: RenderContext) -> list[str]:
    return sorted(ctx.kb.documents_by_jurisdiction, key=ctx.jurisdiction_order)


def _own_documents(ctx: RenderContext, jurisdiction_id: str) -> list[PolicyDocument]:
    return sorted(ctx.kb.documents_by_jurisdiction.get(jurisdiction_id, []),
                  key=ctx.document_order)


def topic_page(ctx: RenderContext, topic: Topic) -> TopicPage:
    page = links.topic_page(topic.id)
    overview: list[OverviewRow] = []
    clock_rows: list[tuple[str, ClockRow | None, str]] = []
    not_covered: list[Markup] = []
    no_clock: list[Markup] = []
    covering: dict[str, list[PolicyDocument]] = {}

    for jid in _jurisdictions_with_documents(ctx):
        docs = [d for d in _own_documents(ctx, jid) if topic.id in d.topics_covered]
        covering[jid] = docs
        jlink = ctx.jurisdiction_link(jid, page)
        clocks = [(d, c) for d in docs for c in d.spec.clocks if c.topic == topic.id]
        duties = [(d, u) for d in docs for u in d.spec.duties if u.topic == topic.id]
        procs = [(d, p) for d in docs for p in d.spec.procedures if p.topic == topic.id]
        if not docs:
            status = NOT_COVERED
            not_covered.append(jlink)
            clock_rows.append((jid, None, NOT_COVERED))
        elif not clocks:
            status = NO_CLOCK
            no_clock.append(jlink)
            clock_rows.append((jid, None, NO_CLOCK))
        else:
            status = f"{len(clocks)}项时限"
            clock_rows.extend((jid, clock_row(ctx, d, c, page), "") for d, c in clocks)
        proc_links = [
            escape.md_link(p.title, links.relative(page, links.document_page(d.id),
                                                   links.procedure_anchor(p.id)))
            for d, p in procs
        ]
        overview.append(OverviewRow(
            jurisdiction=jlink,
            documents=Markup("<br>").join(ctx.document_link(d.id, page) for d in docs)
            if docs else DASH,
            clocks=len(clocks),
            duties=len(duties),
            procedures=Markup("<br>").join(proc_links) if proc_links else DASH,
            status=gap_html(status) if status in (NOT_COVERED, NO_CLOCK)
            else escape.md_cell(status),
        ))

    marks = mark_extremes([row.hours if row else None for _, row, _ in clock_rows])
    compare = [
        CompareClock(ctx.jurisdiction_link(jid, page), row, _mark_cell(row, mark),
                     gap_html(gap) if gap else Markup(""))
        for (jid, row, gap), mark in zip(clock_rows, marks, strict=True)
    ]

    return TopicPage(
        path=page,
        title=escape.md_text(topic.name),
        front_title=escape.front_matter(f"专题：{topic.name}"),
        anchor=escape.html_attr(f"topic--{topic.id}"),
        question=escape.md_text(topic.question),
        description=escape.md_block(topic.description) if topic.description else None,
        overview=overview,
        clocks=compare,
        has_marks=any(m for m in marks),
        actor_types=_actor_type_sections(ctx, topic, covering, page),
        quotas=[quota_row(ctx, d, q, page)
                for jid in _jurisdictions_with_documents(ctx) for d in covering[jid]
                for q in d.spec.quotas if q.topic == topic.id],
        not_covered=not_covered,
        no_clock=no_clock,
    )


def _actor_type_sections(ctx: RenderContext, topic: Topic,
                         covering: dict[str, list[PolicyDocument]],
                         page: str) -> list[ActorTypeSection]:
    used = {
        d.actors[a].type
        for docs in covering.values() for d in docs
        for u in d.spec.duties if u.topic == topic.id for a in u.actors
    }
    sections = []
    for actor_type in ctx.kb.actor_types:
        if actor_type.id not in used:
            continue
        rows: list[CompareDuty] = []
        for jid, docs in sorted(covering.items(), key=lambda kv: ctx.jurisdiction_order(kv[0])):
            jlink = ctx.jurisdiction_link(jid, page)
            found = False
            for d in docs:
                for u in d.spec.duties:
                    actors = [a for a in u.actors if d.actors[a].type == actor_type.id]
                    if u.topic == topic.id and actors:
                        rows.append(CompareDuty(jlink, duty_row(ctx, d, u, page, actors),
                                                Markup("")))
                        found = True
            if not found:
                rows.append(CompareDuty(jlink, None,
                                        gap_html(NO_DUTY if docs else NOT_COVERED)))
        sections.append(ActorTypeSection(
            anchor=escape.html_attr(links.actor_type_anchor(actor_type.id)),
            name=escape.md_text(actor_type.name),
            rows=rows,
        ))
    return sections


def topics_index_page(ctx: RenderContext) -> TopicsIndexPage:
    rows = []
    for topic in ctx.kb.topics:
        docs = [d for d in ctx.kb.documents if topic.id in d.topics_covered]
        rows.append(TopicIndexRow(
            link=ctx.topic_link(topic.id, links.TOPICS_INDEX),
            question=escape.md_cell(topic.question),
            jurisdictions=len({d.spec.jurisdiction for d in docs}),
            clocks=sum(1 for d in docs for c in d.spec.clocks if c.topic == topic.id),
            duties=sum(1 for d in docs for u in d.spec.duties if u.topic == topic.id),
        ))
    return TopicsIndexPage(escape.md_text("专题"), escape.front_matter("专题"), rows)
