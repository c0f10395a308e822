"""Topic pages: every jurisdiction side by side on one question, gaps stated.

Rows follow the jurisdiction tree (division codes), so a printed page reads the same way every
time.  The strictest and the loosest clock are marked by :func:`mark_extremes` using the
normalised duration from :func:`generator.domain.wording.comparable_hours`.

A small knowledge base gets one page per topic.  When the rows outgrow the page budget
(:mod:`generator.render.paging`), ``topics/<topic>.md`` becomes a summary (per province: documents
covering the topic, strictest and loosest clock with links, gaps counted) and the rows move to
parts ``topics/<topic>/<jurisdiction>.md``, split along the jurisdiction tree.  Each row is
rendered once per page folder and reused for sizing and for every page it lands on.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.domain.model import Actor, Clock, Document, Topic
from generator.domain.wording import ROLE_LABEL, ROLE_ORDER, comparable_hours, limit_text
from generator.render import escape, links, paging
from generator.render.context import RenderContext
from generator.render.facts import BR, DASH, basis, clock_row
from generator.render.facts import quota_row as fact_quota_row
from generator.vocabulary import Role

NOT_COVERED = "未涉及"
NO_CLOCK = "未规定时限"
NO_DUTY = "未规定该类主体职责"
STRICTEST = "最严"
LOOSEST = "最宽"
#: What one row of a summary table costs on the page (HTML bytes, generous).
_SUMMARY_ROW = 1_400
#: Title, introduction, section headings and table heads of a topic page (HTML bytes).
_PAGE_FRAME = 6_000


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


def gap_html(text: str) -> Markup:
    return Markup('<span class="pk-gap">') + escape.html_text(text) + Markup("</span>")


_BAR = Markup(" | ")
NL = Markup("\n")


def table_row(cells: Sequence[Markup]) -> Markup:
    """``| a | b |`` from cells that are already escaped for a table cell (wrapped once: this
    runs for every row of every topic page)."""
    return Markup("| " + " | ".join(cells) + " |")


def _row_start(cells: Sequence[Markup]) -> Markup:
    """``| a | b | ``: a row that the caller continues."""
    return Markup("| " + " | ".join(cells) + " | ")


_GAP = {NOT_COVERED: gap_html(NOT_COVERED), NO_CLOCK: gap_html(NO_CLOCK),
        NO_DUTY: gap_html(NO_DUTY)}


# --- facts of one topic, gathered once -----------------------------------------------------------


@dataclass(frozen=True)
class TopicClock:
    clock: Clock
    hours: float | None

    @property
    def doc(self) -> Document:
        return self.clock.document


@dataclass
class TopicJurisdiction:
    """One jurisdiction with documents, as the topic sees it."""

    id: str
    documents: list[Document]                # covering the topic, document order
    clocks: dict[str, list[TopicClock]] = field(default_factory=dict)      # doc id -> clocks
    #: actor type -> the roles its duties on the topic give it
    duty_types: dict[str, set[Role]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if not self.documents:
            return NOT_COVERED
        return NO_CLOCK if not any(self.clocks.values()) else ""


@dataclass(frozen=True)
class _ClockLine:
    """A clock-comparison row with a hole for the mark: ``before + mark + after``."""

    hours: float | None
    before: Markup
    after: Markup
    #: The mark cell when the limit takes no part in the comparison (why, or a dash).
    fallback: Markup

    def render(self, mark: str) -> Markup:
        cell = self.fallback if self.hours is None else mark_html(mark) if mark else DASH
        return escape.concat(self.before, cell, self.after)


@dataclass(frozen=True)
class _Lines:
    """The Markdown rows one share of a jurisdiction puts on a page."""

    overview: Markup
    clocks: list[_ClockLine]
    duties: dict[str, list[Markup]]          # actor type -> rows
    quotas: list[Markup]

    def text(self) -> str:
        """For measuring only (plain ``str``)."""
        return "\n".join([self.overview, *(str.__add__(c.before, c.after) for c in self.clocks),
                          *(r for rs in self.duties.values() for r in rs), *self.quotas])


@dataclass(frozen=True)
class _DocumentLines:
    clocks: list[_ClockLine]
    duties: dict[str, list[Markup]]
    quotas: list[Markup]
    procedures: list[Markup]
    duty_count: int


class _TopicRows:
    """Rows of one topic for the pages of one folder, rendered on first use and kept: the same
    row serves the size estimate and every page it lands on."""

    def __init__(self, ctx: RenderContext, topic: Topic,
                 jurisdictions: dict[str, TopicJurisdiction], actor_types: list[str],
                 page: str) -> None:
        self.ctx, self.topic, self.page = ctx, topic, page
        self.jurisdictions, self.actor_types = jurisdictions, actor_types
        self._jlinks: dict[str, Markup] = {}
        self._docs: dict[str, _DocumentLines] = {}

    def jlink(self, jid: str) -> Markup:
        if jid not in self._jlinks:
            self._jlinks[jid] = self.ctx.jurisdiction_link(jid, self.page)
        return self._jlinks[jid]

    def document(self, jid: str, doc: Document) -> _DocumentLines:
        if doc.id not in self._docs:
            self._docs[doc.id] = self._render_document(jid, doc)
        return self._docs[doc.id]

    def _render_document(self, jid: str, doc: Document) -> _DocumentLines:
        ctx, page, topic, jlink = self.ctx, self.page, self.topic, self.jlink(jid)
        clocks = []
        for c in self.jurisdictions[jid].clocks.get(doc.id, []):
            row = clock_row(ctx, c.clock, page)
            clocks.append(_ClockLine(
                c.hours,
                _row_start([jlink, row.document,
                            escape.concat(row.trigger, Markup("<br>→ "), row.action),
                            escape.concat(Markup("**"), row.limit, Markup("**")),
                            row.hours_cell]),
                escape.concat(_BAR, row.variants, _BAR, row.basis, Markup(" |")),
                row.not_comparable))
        duties: dict[str, list[Markup]] = {}
        duty_count = 0
        for u in doc.duties:
            if u.topic is not topic:
                continue
            duty_count += 1
            by_type: dict[str, list[Actor]] = {}
            for a in u.actors:
                by_type.setdefault(a.type.id, []).append(a)
            role = escape.md_cell(ROLE_LABEL[u.role])
            what = escape.md_cell(u.what)
            cited = basis(ctx, doc, u.provision, u.quote, page)
            for actor_type, actors_of_type in by_type.items():
                actors = escape.md_cell(ctx.actor_names(actors_of_type))
                duties.setdefault(actor_type, []).append(
                    table_row([jlink, actors, role, what, cited]))
        quotas = []
        for q in doc.quotas:
            if q.topic is topic:
                r = fact_quota_row(ctx, q, page)
                quotas.append(table_row([jlink, r.document, r.what, r.scope,
                                         escape.concat(Markup("**"), r.requirement, Markup("**")),
                                         r.basis]))
        procedures = [
            escape.md_link(p.title, links.relative(page, links.document_page(doc.id),
                                                   links.procedure_anchor(p.id)))
            for p in doc.procedures if p.topic is topic
        ]
        return _DocumentLines(clocks, duties, quotas, procedures, duty_count)

    def lines(self, share: paging.Share) -> _Lines:
        j = self.jurisdictions[share.jurisdiction]
        docs = j.documents[share.start:share.stop]
        jlink = self.jlink(j.id)
        clocks: list[_ClockLine] = []
        duties: dict[str, list[Markup]] = {}
        quotas: list[Markup] = []
        procedures: list[Markup] = []
        n_duties = n_clocks = 0
        for doc in docs:
            d = self.document(j.id, doc)
            clocks.extend(d.clocks)
            n_clocks += len(d.clocks)
            for actor_type, rows in d.duties.items():
                duties.setdefault(actor_type, []).extend(rows)
            n_duties += d.duty_count
            quotas.extend(d.quotas)
            procedures.extend(d.procedures)
        status = j.status
        if status:
            clocks.append(_ClockLine(None, _row_start([jlink, DASH, DASH, _GAP[status], DASH]),
                                     Markup(" | — | — |"), DASH))
        no_duty = table_row([jlink, DASH, DASH, _GAP[NO_DUTY if j.documents else NOT_COVERED],
                             DASH])
        for actor_type in self.actor_types:
            if actor_type not in j.duty_types:
                duties[actor_type] = [no_duty]
        overview = table_row([
            jlink,
            escape.join(BR, [self.ctx.document_link(d.id, self.page) for d in docs])
            if docs else DASH,
            Markup(n_clocks), Markup(n_duties),
            escape.join(BR, procedures) if procedures else DASH,
            gap_html(status) if status else escape.md_cell(f"{n_clocks}项时限"),
        ])
        return _Lines(overview, clocks, duties, quotas)

    def size(self, jid: str) -> paging.Size:
        """Fixed rows (overview, gap rows) and one size per covering document."""
        j = self.jurisdictions[jid]
        fixed = paging.html_bytes(self.lines(paging.Share(jid, 0, 0)).text())
        items = []
        for doc in j.documents:
            d = self.document(jid, doc)
            text = "\n".join([*(str.__add__(c.before, c.after) for c in d.clocks),
                              *(r for rs in d.duties.values() for r in rs), *d.quotas])
            # + the document's and its procedures' links in the overview row
            items.append(paging.html_bytes(text) + 300 * (1 + len(d.procedures)))
        return paging.Size(fixed, tuple(items))


# --- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorTypeSection:
    anchor: Markup
    name: Markup
    rows: Markup


@dataclass(frozen=True)
class SummaryRow:
    """One part (or the total) on a summary: what its jurisdictions say on the topic."""

    link: Markup
    jurisdictions: int
    covering: int
    documents: int
    clocks: int
    strictest: Markup
    loosest: Markup
    not_covered: int
    no_clock: int


@dataclass(frozen=True)
class ActorTypeSummary:
    anchor: Markup
    name: Markup
    jurisdictions: int
    roles: Markup
    missing: int


@dataclass(frozen=True)
class TopicSummary:
    rows: list[SummaryRow]
    total: SummaryRow
    actor_types: list[ActorTypeSummary]


@dataclass(frozen=True)
class TopicPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    question: Markup
    description: Markup | None
    #: On a part: links from the entry page down to it.
    trail: Markup | None
    #: When the topic is split: one row per part below this page.
    summary: TopicSummary | None
    #: False on a summary that has no rows of its own.
    shown: bool
    overview: Markup
    clocks: Markup
    has_marks: bool
    actor_types: list[ActorTypeSection]
    quotas: Markup
    not_covered: list[Markup]
    no_clock: list[Markup]


@dataclass(frozen=True)
class TopicIndexRow:
    link: Markup
    training: Markup
    question: Markup
    jurisdictions: int
    clocks: int
    duties: int


@dataclass(frozen=True)
class TopicsIndexPage:
    title: Markup
    front_title: Markup
    rows: list[TopicIndexRow]


# --- planning and pages --------------------------------------------------------------------------


Ordered = dict[str, list[Document]]


def ordered_jurisdictions(ctx: RenderContext) -> Ordered:
    """Jurisdictions with documents in tree order, each with its documents in document order
    (sorted once for every topic)."""
    by_place = ctx.kb.documents_by_jurisdiction
    return {j.id: sorted(by_place[j], key=ctx.document_order)
            for j in sorted(by_place, key=lambda j: j.sort_key)}


def gather_topic(ordered: Ordered, topic: Topic) -> dict[str, TopicJurisdiction]:
    """Every jurisdiction with documents, in tree order, with what it says on the topic."""
    found: dict[str, TopicJurisdiction] = {}
    for jid, all_docs in ordered.items():
        docs = [d for d in all_docs if topic in d.topics_covered]
        j = TopicJurisdiction(jid, docs)
        for d in docs:
            j.clocks[d.id] = [TopicClock(c, comparable_hours(c.limit))
                              for c in d.clocks if c.topic is topic]
            for u in d.duties:
                if u.topic is topic:
                    for a in u.actors:
                        j.duty_types.setdefault(a.type.id, set()).add(u.role)
        found[jid] = j
    return found


class TopicPages:
    """Every page of one topic, planned against the page budget (see the module docstring)."""

    def __init__(self, ctx: RenderContext, topic: Topic, ordered: Ordered | None = None) -> None:
        self.ctx, self.topic = ctx, topic
        self.jurisdictions = gather_topic(
            ordered if ordered is not None else ordered_jurisdictions(ctx), topic)
        used = {t for j in self.jurisdictions.values() for t in j.duty_types}
        self.actor_types = [a.id for a in ctx.kb.actor_types if a.id in used]
        self._rows: dict[str, _TopicRows] = {}
        sizing = self.rows(links.topic_part_page(topic.id, "x"))
        tree = paging.area_tree(ctx.graph)
        self.plan = paging.plan(
            tree.roots, tree.children,
            lambda j: sizing.size(j) if j in self.jurisdictions else paging.Size(),
            paging.CONTENT_BUDGET - _PAGE_FRAME, _SUMMARY_ROW)

    def path(self, key: str) -> str:
        return links.topic_part_page(self.topic.id, key) if key else \
            links.topic_page(self.topic.id)

    def rows(self, page: str) -> _TopicRows:
        folder = posixpath.dirname(page)
        if folder not in self._rows:
            self._rows[folder] = _TopicRows(self.ctx, self.topic, self.jurisdictions,
                                            self.actor_types, page)
        return self._rows[folder]

    def pages(self) -> list[TopicPage]:
        return [self._page(part) for part in self.plan.parts]

    def part_name(self, key: str) -> str:
        return self.plan.name(key, self.ctx.jurisdiction_name)

    def _page(self, part: paging.Part) -> TopicPage:
        ctx, topic = self.ctx, self.topic
        page = self.path(part.key)
        rows = self.rows(page)
        lines = [rows.lines(s) for s in part.shares]
        clocks = [c for ls in lines for c in ls.clocks]
        marks = mark_extremes([c.hours for c in clocks])
        sections = []
        for actor_type in self.actor_types:
            found = [r for ls in lines for r in ls.duties.get(actor_type, [])]
            if found:
                sections.append(ActorTypeSection(
                    anchor=escape.html_attr(links.actor_type_anchor(actor_type)),
                    name=escape.md_text(ctx.actor_type_name(actor_type)),
                    rows=escape.join(NL, found)))
        shown = list(dict.fromkeys(part.jurisdictions))
        name = self.part_name(part.key) if part.key else ""
        summary = self._summary(part, page) if part.children else None
        return TopicPage(
            path=page,
            title=escape.md_text(f"{topic.name}（{name}）" if name else topic.name),
            front_title=escape.front_matter(f"专题：{topic.name}（{name}）" if name
                                            else f"专题：{topic.name}"),
            anchor=escape.html_attr(f"topic--{topic.id}"),
            question=escape.md_text(topic.question),
            description=escape.html_block(topic.description)
            if topic.description and not part.key else None,
            trail=self._trail(part.key, page) if part.key else None,
            summary=summary,
            shown=bool(lines),
            overview=escape.join(NL, [ls.overview for ls in lines]),
            clocks=escape.join(NL, [c.render(m) for c, m in zip(clocks, marks, strict=True)]),
            has_marks=any(marks),
            actor_types=sections,
            quotas=escape.join(NL, [q for ls in lines for q in ls.quotas]),
            not_covered=[rows.jlink(j) for j in shown
                         if self.jurisdictions[j].status == NOT_COVERED],
            no_clock=[rows.jlink(j) for j in shown if self.jurisdictions[j].status == NO_CLOCK],
        )

    def _trail(self, key: str, page: str) -> Markup:
        """Links from the entry page down to the part above this one."""
        items = [escape.md_link(f"专题：{self.topic.name}" if not k else self.part_name(k),
                                links.relative(page, self.path(k)))
                 for k in self.plan.ancestors(key)]
        return escape.join(Markup(" › "), [*items, escape.md_text(self.part_name(key))])

    def _summary(self, part: paging.Part, page: str) -> TopicSummary:
        summary_rows = []
        every: dict[str, None] = {}
        for entry in self.plan.entries(part):
            every.update(dict.fromkeys(entry.jurisdictions))
            only: set[str] | None = None
            name = self.ctx.jurisdiction_name(entry.jurisdiction)
            if entry.items is not None:
                start, stop = entry.items
                docs = self.jurisdictions[entry.jurisdiction].documents[start:stop]
                only = {d.id for d in docs}
                name = self.part_name(entry.part)
            link = escape.md_link(name, links.relative(page, self.path(entry.part)))
            summary_rows.append(self._stats(link, list(entry.jurisdictions), only, page))
        every.update(dict.fromkeys(part.jurisdictions))
        total = self._stats(escape.md_cell("合计"), list(every), None, page)
        actor_summary = []
        for actor_type in self.actor_types:
            roles: dict[Role, int] = {}
            having = 0
            for jid in every:
                j = self.jurisdictions[jid]
                if actor_type not in j.duty_types:
                    continue
                having += 1
                for role in j.duty_types[actor_type]:
                    roles[role] = roles.get(role, 0) + 1
            actor_summary.append(ActorTypeSummary(
                anchor=escape.html_attr(links.actor_type_anchor(actor_type)),
                name=escape.md_cell(self.ctx.actor_type_name(actor_type)),
                jurisdictions=having,
                roles=escape.md_cell(" · ".join(
                    f"{ROLE_LABEL[r]} {roles[r]}"
                    for r in sorted(roles, key=lambda r: ROLE_ORDER[r]))),
                missing=len(every) - having,
            ))
        return TopicSummary(rows=summary_rows, total=total, actor_types=actor_summary)

    def _stats(self, link: Markup, jurisdictions: list[str], only: set[str] | None,
               page: str) -> SummaryRow:
        """Counts and extremes over ``jurisdictions`` (restricted to documents ``only``)."""
        covering = documents = clocks = not_covered = no_clock = 0
        timed: list[TopicClock] = []
        for jid in jurisdictions:
            j = self.jurisdictions[jid]
            docs = [d for d in j.documents if only is None or d.id in only]
            covering += bool(docs)
            documents += len(docs)
            for d in docs:
                clocks += len(j.clocks[d.id])
                timed.extend(c for c in j.clocks[d.id] if c.hours is not None)
            if only is None:
                not_covered += j.status == NOT_COVERED
                no_clock += j.status == NO_CLOCK
        strictest = min(timed, key=lambda c: c.hours or 0.0, default=None)
        loosest = max(timed, key=lambda c: c.hours or 0.0, default=None)
        differ = strictest is not None and loosest is not None and \
            strictest.hours != loosest.hours
        return SummaryRow(
            link=link,
            jurisdictions=len(jurisdictions),
            covering=covering,
            documents=documents,
            clocks=clocks,
            strictest=self._extreme(strictest, page) if differ else DASH,
            loosest=self._extreme(loosest, page) if differ else DASH,
            not_covered=not_covered,
            no_clock=no_clock,
        )

    def _extreme(self, c: TopicClock | None, page: str) -> Markup:
        """``2小时内（[浙江省](…#clock--x)）``: the limit, linked to the clock on its page."""
        assert c is not None
        target = links.relative(page, links.document_page(c.doc.id),
                                links.clock_anchor(c.clock.id))
        where = c.doc.jurisdiction.name
        return escape.concat(escape.md_cell(limit_text(c.clock.limit)), Markup("（"),
                             escape.md_link(where, target), Markup("）"))


def topic_pages(ctx: RenderContext, topic_id: str) -> list[TopicPage]:
    """The topic's entry page ``topics/<topic>.md``, followed by its parts (none when the topic
    fits one page)."""
    topic = ctx.kb.topic_by_id[topic_id]
    return TopicPages(ctx, topic, ordered_jurisdictions(ctx)).pages()


def topics_index_page(ctx: RenderContext) -> TopicsIndexPage:
    rows = []
    for topic in ctx.kb.topics:
        docs = [d for d in ctx.kb.documents if topic in d.topics_covered]
        rows.append(TopicIndexRow(
            link=ctx.topic_link(topic.id, links.TOPICS_INDEX),
            training=escape.md_link("培训材料", links.relative(links.TOPICS_INDEX,
                                                             links.training_page(topic.id))),
            question=escape.md_cell(topic.question),
            jurisdictions=len({d.jurisdiction for d in docs}),
            clocks=sum(1 for d in docs for c in d.clocks if c.topic is topic),
            duties=sum(1 for d in docs for u in d.duties if u.topic is topic),
        ))
    return TopicsIndexPage(escape.md_text("专题"), escape.front_matter("专题"), rows)
