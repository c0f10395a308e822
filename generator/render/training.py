"""Training pages: per topic, the key figures and a set of exercises with answers.

Why apart from the topic page: a topic page compares every jurisdiction and grows with the
knowledge base (it is split into parts); a trainer preparing a session needs one sheet that
does not grow: the figures that sum the topic up, and a handful of questions drawn from real
clauses, the answers after a page break (printed separately), each with its clause.

Exercises are chosen, not random, so that the same knowledge base always gives the same
sheet: the strictest and the loosest comparable limit, one with an urgent variant, one with an
extension, then the first limit of each further jurisdiction in tree order; then quantities,
one comparison question and one question on the gaps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.model import Document, Quota, Topic
from generator.domain.wording import hours_text, limit_text, quota_text
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.facts import cap_text, clock_summary, quoted
from generator.render.topic import (
    Ordered,
    TopicClock,
    TopicJurisdiction,
    gather_topic,
    ordered_jurisdictions,
)
from generator.vocabulary import Unit

MAX_CLOCK_QUESTIONS = 6
MAX_QUOTA_QUESTIONS = 2
#: Rows of the limit distribution (the most frequent limits; the rest are counted).
MAX_LIMIT_ROWS = 8
#: Jurisdictions named in an answer before "等 N 个".
MAX_NAMES = 12


@dataclass(frozen=True)
class KeyFigure:
    label: Markup
    value: Markup


@dataclass(frozen=True)
class LimitRow:
    limit: Markup
    hours: Markup
    clocks: int
    jurisdictions: int
    example: Markup


@dataclass(frozen=True)
class Exercise:
    question: Markup
    answer: Markup
    basis: list[Markup]


@dataclass(frozen=True)
class TrainingPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    question: Markup
    topic_link: Markup
    figures: list[KeyFigure]
    limits: list[LimitRow]
    other_limits: int
    exercises: list[Exercise]


@dataclass(frozen=True)
class TrainingIndexRow:
    link: Markup
    question: Markup
    clocks: int
    exercises: int


@dataclass(frozen=True)
class TrainingIndexPage:
    title: Markup
    front_title: Markup
    rows: list[TrainingIndexRow]


class _Sheet:
    """The facts of one topic, as one training page uses them."""

    def __init__(self, ctx: RenderContext, topic: Topic, ordered: Ordered) -> None:
        self.ctx, self.topic = ctx, topic
        self.page = links.training_page(topic.id)
        self.jurisdictions: dict[str, TopicJurisdiction] = gather_topic(ordered, topic)
        #: every clock of the topic, in tree, document and file order
        self.clocks: list[TopicClock] = [
            c for j in self.jurisdictions.values() for d in j.documents for c in j.clocks[d.id]
        ]
        self.quotas: list[Quota] = [
            q for j in self.jurisdictions.values() for d in j.documents
            for q in d.quotas if q.topic is topic
        ]
        comparable = [c for c in self.clocks if c.hours is not None]
        # the first of the strictest and the first of the loosest, in canonical order
        self.strictest = min(comparable, key=lambda c: c.hours or 0.0, default=None)
        self.loosest = max(comparable, key=lambda c: c.hours or 0.0, default=None)

    # --- pieces ------------------------------------------------------------------------------

    def where(self, doc: Document) -> Markup:
        return self.ctx.jurisdiction_link(doc.jurisdiction.id, self.page)

    def clock_basis(self, c: TopicClock) -> Markup:
        href = links.relative(self.page, links.document_page(c.doc.id),
                              links.clock_anchor(c.clock.id))
        return escape.concat(
            escape.md_link(self.ctx.document_short_name(c.doc), href), Markup(" "),
            self.ctx.clause_link(c.doc, c.clock.provision, self.page),
            quoted(c.clock.quote, cell=False),
        )

    def limit_with_place(self, c: TopicClock) -> Markup:
        return escape.concat(escape.md_text(limit_text(c.clock.limit) + "（"), self.where(c.doc),
                             escape.md_text(f"：{c.clock.trigger}，{c.clock.action}）"))

    def names(self, ids: list[str]) -> Markup:
        shown = [self.ctx.jurisdiction_link(j, self.page) for j in ids[:MAX_NAMES]]
        more = escape.md_text(f"等 {len(ids)} 个") if len(ids) > MAX_NAMES else Markup("")
        return escape.concat(escape.join(Markup("、"), shown), more)

    # --- the page ----------------------------------------------------------------------------

    def figures(self) -> list[KeyFigure]:
        covering = [j for j in self.jurisdictions.values() if j.documents]
        with_clock = [j for j in covering if any(j.clocks.values())]
        out = [
            KeyFigure(escape.md_text("涉及本专题的辖区"), escape.md_text(
                f"{len(covering)} 个（共 {len(self.jurisdictions)} 个有文件的辖区）")),
            KeyFigure(escape.md_text("规定时限的辖区 / 时限条数"),
                      escape.md_text(f"{len(with_clock)} 个 / {len(self.clocks)} 条")),
        ]
        low, high = self.strictest, self.loosest
        if low is not None and high is not None and low.hours != high.hours:
            out.append(KeyFigure(escape.md_text("最严时限"), self.limit_with_place(low)))
            out.append(KeyFigure(escape.md_text("最宽时限"), self.limit_with_place(high)))
        elif low is not None:
            same = sum(1 for c in self.clocks if c.hours is not None)
            out.append(KeyFigure(escape.md_text("可折算比较的时限"), escape.concat(
                self.limit_with_place(low), escape.md_text(f"，共 {same} 条，长短相同"))))
        counts = Counter(limit_text(c.clock.limit) for c in self.clocks)
        if counts:
            text, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
            out.append(KeyFigure(escape.md_text("最常见的时限"),
                                 escape.md_text(f"{text}（{n} 条）")))
        urgent = sum(1 for c in self.clocks if c.clock.variants)
        if urgent:
            out.append(KeyFigure(escape.md_text("另有紧急等情形时限的条数"),
                                 escape.md_text(f"{urgent} 条")))
        if self.quotas:
            out.append(KeyFigure(escape.md_text("数量要求"),
                                 escape.md_text(f"{len(self.quotas)} 条")))
        return out

    def limits(self) -> tuple[list[LimitRow], int]:
        """The most frequent limits (by count, then duration), shown by duration."""
        groups: dict[str, list[TopicClock]] = {}
        for c in self.clocks:
            groups.setdefault(limit_text(c.clock.limit), []).append(c)

        def by_duration(text: str) -> tuple[float, str]:
            hours = groups[text][0].hours
            return (hours if hours is not None else float("inf"), text)

        frequent = sorted(groups, key=lambda t: (-len(groups[t]), by_duration(t)))[:MAX_LIMIT_ROWS]
        rows = []
        for text in sorted(frequent, key=by_duration):
            members = groups[text]
            first = members[0]
            places = {c.doc.jurisdiction for c in members}
            example = self.where(first.doc)
            if len(places) > 1:
                example = escape.concat(example, escape.md_text(" 等"))
            rows.append(LimitRow(escape.md_cell(text), escape.md_cell(hours_text(first.hours)),
                                 len(members), len(places), example))
        return rows, len(groups) - len(frequent)

    def chosen_clocks(self) -> list[TopicClock]:
        picks: list[TopicClock] = []

        def take(candidates: Iterable[TopicClock | None]) -> None:
            for c in candidates:
                if c is not None and len(picks) < MAX_CLOCK_QUESTIONS and c not in picks:
                    picks.append(c)
                    return

        take([self.strictest])
        take([self.loosest])
        take(c for c in self.clocks if c.clock.variants)
        take(c for c in self.clocks if c.clock.extension is not None)
        for j in self.jurisdictions.values():  # deadlines first: they make the better question
            if len(picks) >= MAX_CLOCK_QUESTIONS:
                break
            own = [c for d in j.documents for c in j.clocks[d.id]]
            deadlines_first: list[TopicClock] = sorted(own, key=lambda c: c.hours is None)
            take(deadlines_first)
        return picks

    def clock_exercise(self, c: TopicClock) -> Exercise:
        clock, doc = c.clock, c.doc
        actors = self.ctx.actor_names(clock.actors)
        if c.hours is not None or clock.limit.unit in (Unit.TIMELY, Unit.BY_DATE):
            asked = f"{actors}应在多长时间内{clock.action}？"
        elif clock.limit.unit in (Unit.RECURRING, Unit.PERIODIC):
            asked = f"{actors}多久{clock.action}一次？"
        else:
            asked = f"{actors}{clock.action}，时间上有什么要求？"
        question = escape.concat(escape.md_text("【"), self.where(doc),
                                 escape.md_text(f"】{clock.trigger}，{asked}"))
        if clock.variants:
            question += escape.md_text(f"{clock.variants[0].when}时呢？")
        answer = clock_summary(clock)
        if clock.extension is not None:
            ext = clock.extension
            cap = cap_text(ext.max) if ext.max else "未规定延长上限"
            answer += f"；延长：{ext.condition}，{cap}"
        basis = [self.clock_basis(c)]
        for v in clock.variants:
            if v.provision is not clock.provision:
                basis.append(escape.concat(self.ctx.clause_link(doc, v.provision, self.page),
                                           quoted(v.quote, cell=False)))
        return Exercise(question, escape.md_text(answer), basis)

    def quota_exercise(self, quota: Quota) -> Exercise:
        doc = quota.document
        scope = f"（{quota.scope}）" if quota.scope else ""
        question = escape.concat(escape.md_text("【"), self.where(doc),
                                 escape.md_text(f"】{quota.what}{scope}有什么数量要求？"))
        answer = quota_text(quota.comparator, quota.value, quota.unit, quota.per)
        basis = escape.concat(self.ctx.clause_link(doc, quota.provision, self.page),
                              quoted(quota.quote, cell=False))
        return Exercise(question, escape.md_text(answer), [basis])

    def comparison_exercise(self) -> Exercise | None:
        low, high = self.strictest, self.loosest
        if low is None or high is None or low.hours == high.hours:
            return None
        question = escape.md_text(
            f"比较各辖区就“{self.topic.name}”规定的时限：哪一条最严，哪一条最宽？"
            "（1个工作日按24小时×7/5折算）")
        answer = escape.concat(escape.md_text("最严："), self.limit_with_place(low),
                               escape.md_text("；最宽："), self.limit_with_place(high))
        return Exercise(question, answer, [self.clock_basis(low), self.clock_basis(high)])

    def gap_exercise(self) -> Exercise | None:
        no_clock = [j.id for j in self.jurisdictions.values()
                    if j.documents and not any(j.clocks.values())]
        not_covered = [j.id for j in self.jurisdictions.values() if not j.documents]
        if not no_clock and not not_covered:
            return None
        question = escape.md_text("哪些辖区的文件未涉及本专题，哪些涉及但未规定时限？")
        parts = []
        if not_covered:
            parts.append(escape.concat(escape.md_text("未涉及："), self.names(not_covered)))
        if no_clock:
            parts.append(escape.concat(escape.md_text("涉及但未规定时限："), self.names(no_clock)))
        topic = self.ctx.topic_link(self.topic.id, self.page, links.section_anchor("gaps"))
        return Exercise(question, escape.join(Markup("；"), parts),
                        [escape.concat(escape.md_text("见专题页的“空白”一节："), topic)])

    def view(self) -> TrainingPage:
        exercises = [self.clock_exercise(c) for c in self.chosen_clocks()]
        exercises += [self.quota_exercise(q) for q in self.quotas[:MAX_QUOTA_QUESTIONS]]
        exercises += [e for e in (self.comparison_exercise(), self.gap_exercise()) if e]
        limits, other = self.limits()
        return TrainingPage(
            path=self.page,
            title=escape.md_text(self.topic.name),
            front_title=escape.front_matter(f"培训：{self.topic.name}"),
            anchor=escape.html_attr(f"training--{self.topic.id}"),
            question=escape.md_text(self.topic.question),
            topic_link=self.ctx.topic_link(self.topic.id, self.page),
            figures=self.figures(),
            limits=limits,
            other_limits=other,
            exercises=exercises,
        )


def training_pages(ctx: RenderContext) -> list[TrainingPage]:
    ordered = ordered_jurisdictions(ctx)
    return [_Sheet(ctx, topic, ordered).view() for topic in ctx.kb.topics]


def training_index_page(ctx: RenderContext, pages: list[TrainingPage]) -> TrainingIndexPage:
    by_path = {p.path: p for p in pages}
    rows = []
    for topic in ctx.kb.topics:
        page = by_path[links.training_page(topic.id)]
        rows.append(TrainingIndexRow(
            link=escape.md_link(topic.name, links.relative(links.TRAINING_INDEX, page.path)),
            question=escape.md_cell(topic.question),
            clocks=sum(1 for d in ctx.kb.documents for c in d.clocks if c.topic is topic),
            exercises=len(page.exercises),
        ))
    return TrainingIndexPage(escape.md_text("培训"), escape.front_matter("培训"), rows)
