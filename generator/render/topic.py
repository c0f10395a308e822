"""Topic pages: every jurisdiction's answer to each codebook question of the topic, side by side.

One table per question (``policies/registries/questions.yaml``): a row per answer with the
limit as the text words it (qualifier included), its special cases and extension cap, the
clause, and where it stands — 最严 / 最宽 within that question only, ties as ties
(:func:`generator.domain.codebook.rank`), and against the answers of the jurisdictions above it
(stricter, equal, looser; a looser local answer is a possible conflict, listed in its own
section).  Below each table: who covers the topic without answering (未规定) and who does not
cover the topic (未涉及).  Rows follow the jurisdiction tree (division codes), so a printed
page reads the same way every time.

A small knowledge base gets one page per topic.  When the rows outgrow the page budget
(:mod:`generator.render.paging`), ``topics/<topic>.md`` becomes a summary (per part: documents,
answers, gaps; per question: the strictest and loosest answer under the page) and the rows move
to parts ``topics/<topic>/<jurisdiction>.md``, split along the jurisdiction tree.  Each row is a
view of cells; the row markup lives in ``templates/pages/topic.md.jinja``.  Rows are made once
per page folder and reused for sizing and for every page they land on; marks are made per page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.domain.codebook import Answer, Codebook, LocalComparison, Ranking, codebook, rank
from generator.domain.model import (
    Actor,
    Clock,
    Document,
    Duty,
    Extension,
    Procedure,
    Question,
    Quota,
    Topic,
    Variant,
)
from generator.domain.wording import (
    ANSWER_KIND_LABEL,
    MARK_LABEL,
    NOT_COVERED,
    POSSIBLE_CONFLICT,
    QUALIFIER_MEANING,
    RELATION_LABEL,
    ROLE_LABEL,
    ROLE_ORDER,
    cap_text,
    qualified_limit_text,
    unranked_reason,
)
from generator.render import escape, links, paging
from generator.render.context import RenderContext
from generator.render.due_control import marker as due_marker
from generator.render.facts import BR, DASH, basis, editorial_mark, qualified, who
from generator.render.validity import validity_note
from generator.vocabulary import AnswerKind, Mark, Role, Stricter

#: Kept for the page-size tests and the training sheet: the words of the two marks.
STRICTEST = MARK_LABEL[Mark.STRICTEST]
LOOSEST = MARK_LABEL[Mark.LOOSEST]
NO_DUTY = "未规定该类主体职责"
#: What one row of a summary table costs on the page (HTML bytes, generous).
_SUMMARY_ROW = 1_400
#: Title, introduction, section headings and table heads of a topic page (HTML bytes).
_PAGE_FRAME = 6_000
#: HTML bytes of one jurisdiction link in a "未规定" or "未涉及" line under a table.
_GAP_NAME = 160
#: Jurisdictions named in a gap line before "等 N 个".
MAX_GAP_NAMES = 30

#: Table layout of each kind of answer (the template has one per layout).
LAYOUT: dict[AnswerKind, str] = {
    AnswerKind.DURATION: "limit",
    AnswerKind.FREQUENCY: "limit",
    AnswerKind.DEADLINE: "limit",
    AnswerKind.COUNT: "count",
    AnswerKind.ACTOR: "who",
    AnswerKind.YES_NO: "who",
    AnswerKind.ESCALATION: "chain",
}
#: How a question's answers are compared, said under its heading (the conversion used for
#: ranking is explained once, above the tables).
HOW: dict[Stricter, str] = {
    Stricter.SHORTER: "越短越严。",
    Stricter.MORE: "越多（越频繁）越严。",
    Stricter.FEWER: "越少越严。",
    Stricter.NONE: "列举，不排序。",
}


def mark_html(label: str) -> Markup:
    """The 最严 / 最宽 badge (its words say it; the class only colours it)."""
    cls = "strictest" if label.endswith(STRICTEST) else "loosest"
    return Markup(f'<span class="pk-mark pk-mark--{cls}">') + escape.html_text(label) + \
        Markup("</span>")


def gap_html(text: str) -> Markup:
    return Markup('<span class="pk-gap">') + escape.html_text(text) + Markup("</span>")


def _fact_anchor(answer: Answer) -> str:
    fact = answer.fact
    if isinstance(fact, Clock):
        return links.clock_anchor(fact.id)
    if isinstance(fact, Quota):
        return links.quota_anchor(fact.id)
    if isinstance(fact, Duty):
        return links.duty_anchor(fact.id)
    return links.procedure_anchor(fact.id)


def answer_link(ctx: RenderContext, answer: Answer, page: str, text: str) -> Markup:
    """``text`` linked to the fact on its document page (a procedure: to its own page)."""
    doc = answer.document
    if isinstance(answer.fact, Procedure):
        target = links.relative(page, links.procedure_page(doc.id, answer.fact.id))
    else:
        target = links.relative(page, links.document_page(doc.id), _fact_anchor(answer))
    return escape.md_link(text, target)


# --- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One answer on a topic page, every cell escaped for its table cell.  The comparison cell
    is added per page (:class:`ShownRow`): marks are made within the page's scope."""

    answer: Answer
    jurisdiction: Markup
    document: Markup
    #: The answer itself, bold, with its case (镇 / 街道) and a 编者推定 mark where it applies.
    text: Markup
    #: Who and when (limits), scope and what (counts), the duty's wording (who / yes-no), the
    #: lanes (chains).
    context: Markup
    #: The clock's special cases (情况紧急 …), for the clock's own answer.
    special: Markup
    #: The clock's extension cap, for the clock's own answer.
    cap: Markup
    basis: Markup
    #: Against the answers of the jurisdictions above (empty when there is none to compare).
    relation: Markup

    def size(self) -> int:
        return paging.row_bytes([self.jurisdiction, self.document, self.text, self.context,
                                 self.special, self.cap, self.basis, self.relation]) + 200


@dataclass(frozen=True)
class ShownRow:
    row: AnswerRow
    #: 最严 / 最宽 / why the answer takes no part, then the comparison with higher rules.
    comparison: Markup


@dataclass(frozen=True)
class DutyLine:
    jurisdiction: Markup
    actors: Markup
    role: Markup
    what: Markup
    basis: Markup

    def size(self) -> int:
        return paging.row_bytes([self.jurisdiction, self.actors, self.role, self.what,
                                 self.basis])


@dataclass(frozen=True)
class OverviewRow:
    jurisdiction: Markup
    documents: Markup
    answered: Markup
    duties: int
    procedures: Markup
    status: Markup

    def size(self) -> int:
        return paging.row_bytes([self.jurisdiction, self.documents, self.answered,
                                 self.procedures, self.status]) + 20


@dataclass(frozen=True)
class _DocumentRows:
    """What one document covering the topic puts on a page of one folder."""

    answers: dict[Question, list[AnswerRow]]
    duties: dict[str, list[DutyLine]]
    procedures: list[Markup]
    duty_count: int

    def size(self, questions: int) -> int:
        rows = sum(r.size() for rs in self.answers.values() for r in rs)
        duties = sum(r.size() for rs in self.duties.values() for r in rs)
        # + its links (and validity) in the overview row, + a name in the gap lines of
        # unanswered questions
        return rows + duties + 500 + 300 * len(self.procedures) + \
            _GAP_NAME * max(0, questions - len(self.answers))


@dataclass
class TopicJurisdiction:
    """One jurisdiction with documents, as the topic sees it."""

    id: str
    documents: list[Document]                # covering the topic, document order
    #: actor type -> the roles its duties on the topic give it
    duty_types: dict[str, set[Role]] = field(default_factory=dict)
    #: questions of the topic its documents answer
    answered: set[Question] = field(default_factory=set)

    @property
    def covering(self) -> bool:
        return bool(self.documents)


@dataclass(frozen=True)
class _Lines:
    """The rows one share of a jurisdiction puts on a page."""

    jurisdiction: str
    link: Markup
    covering: bool
    overview: OverviewRow
    answers: dict[Question, list[AnswerRow]]
    answered: set[Question]
    duties: dict[str, list[DutyLine]]

    def size(self) -> int:
        return self.overview.size() + sum(r.size() for rs in self.answers.values() for r in rs) \
            + sum(r.size() for rs in self.duties.values() for r in rs)


class _TopicRows:
    """Rows of one topic for the pages of one folder, made on first use and kept: the same row
    serves the size estimate and every page it lands on."""

    def __init__(self, pages: TopicPages, page: str) -> None:
        self.pages, self.ctx, self.page = pages, pages.ctx, page
        self._jlinks: dict[str, Markup] = {}
        self._docs: dict[str, _DocumentRows] = {}

    def jlink(self, jid: str) -> Markup:
        if jid not in self._jlinks:
            self._jlinks[jid] = self.ctx.jurisdiction_link(jid, self.page)
        return self._jlinks[jid]

    def document(self, jid: str, doc: Document) -> _DocumentRows:
        if doc.id not in self._docs:
            self._docs[doc.id] = self._document(jid, doc)
        return self._docs[doc.id]

    def _document(self, jid: str, doc: Document) -> _DocumentRows:
        pages, ctx, page = self.pages, self.ctx, self.page
        jlink = self.jlink(jid)
        short = escape.md_link(ctx.document_short_name(doc),
                               links.relative(page, links.document_page(doc.id)))
        answers: dict[Question, list[AnswerRow]] = {}
        for question in pages.questions:
            for a in pages.book.of(doc, question):
                answers.setdefault(question, []).append(self._answer_row(a, jlink, short))
        duties: dict[str, list[DutyLine]] = {}
        duty_count = 0
        for u in doc.duties:
            if u.topic is not pages.topic:
                continue
            duty_count += 1
            by_type: dict[str, list[Actor]] = {}
            for actor in u.actors:
                by_type.setdefault(actor.type.id, []).append(actor)
            cited = basis(ctx, doc, u.provision, u.quote, page)
            role = escape.md_cell(ROLE_LABEL[u.role])
            what = escape.md_cell(qualified(u.what, u.qualifier))
            for actor_type, actors in by_type.items():
                duties.setdefault(actor_type, []).append(
                    DutyLine(jlink, who(ctx, u, tuple(actors)), role, what, cited))
        procedures = [
            escape.md_link(p.title, links.relative(page, links.procedure_page(doc.id, p.id)))
            for p in doc.procedures if p.topic is pages.topic
        ]
        return _DocumentRows(answers, duties, procedures, duty_count)

    def _answer_row(self, a: Answer, jlink: Markup, document: Markup) -> AnswerRow:
        ctx, page = self.ctx, self.page
        doc = a.document
        case = a.case_prefix
        text = escape.concat(escape.md_cell(case), Markup("**"), escape.md_cell(a.text),
                             Markup("**"))
        fact, part = a.fact, a.part
        special = cap = DASH
        if isinstance(fact, Procedure):
            text = escape.concat(escape.md_cell(case), answer_link(ctx, a, page, a.text))
            context = escape.md_cell(ctx.actor_names(fact.lanes))
        elif isinstance(fact, Duty):
            if a.question.kind is AnswerKind.ACTOR:
                text = escape.concat(escape.md_cell(case), Markup("**"),
                                     escape.md_cell(ctx.actor_names(fact.actors)), Markup("**"),
                                     editorial_mark(a.attribution_reason if a.editorial
                                                    else None))
            context = escape.concat(escape.md_cell(f"{ROLE_LABEL[fact.role]}："),
                                    escape.md_cell(qualified(fact.what, fact.qualifier)))
            if a.question.kind is AnswerKind.YES_NO and fact.attribution_reason:
                context = escape.concat(context, who(ctx, fact))
        elif isinstance(fact, Quota):
            scope = f"{fact.scope}：" if fact.scope else ""
            context = escape.md_cell(f"{scope}{fact.what}")
            if fact.actors:
                context = escape.concat(context, BR, who(ctx, fact))
        else:
            # the 计算期限 control, as beside every clock limit (generator/render/due_control.py)
            text = escape.concat(text, due_marker(fact))
            context = escape.concat(who(ctx, fact), escape.md_cell("："),
                                    escape.md_cell(self._when(fact, part)))
            if part is None:
                special = self._variants(fact)
                if fact.extension is not None:
                    ext = fact.extension
                    cap = escape.concat(escape.md_cell(cap_text(ext.max)), Markup(" "),
                                        ctx.clause_link(doc, ext.provision, page))
        return AnswerRow(
            answer=a,
            jurisdiction=jlink,
            document=document,
            text=text,
            context=context,
            special=special,
            cap=cap,
            basis=basis(ctx, doc, a.provision, a.quote, page),
            relation=self._relation(a),
        )

    @staticmethod
    def _when(clock: Clock, part: Variant | Extension | None) -> str:
        if isinstance(part, Variant):
            return part.when + (f"，{part.action}" if part.action else "")
        if isinstance(part, Extension):
            return part.condition + (f"，{part.requires}" if part.requires else "")
        return f"{clock.trigger} → {clock.action}"

    def _variants(self, clock: Clock) -> Markup:
        if not clock.variants:
            return DASH
        parts = [escape.concat(escape.md_cell(
                     f"{v.when}：{qualified_limit_text(v.limit, v.qualifier)}"), Markup(" "),
                 self.ctx.clause_link(clock.document, v.provision, self.page))
                 for v in clock.variants]
        return escape.join(BR, parts)

    def _relation(self, a: Answer) -> Markup:
        """``比[江苏省](…)规定宽（可能冲突）`` for each higher answer it compares with."""
        found: list[Markup] = []
        for c in self.pages.book.above(a):
            found.append(relation_text(self.ctx, c, self.page))
        return escape.join(BR, found) if found else Markup("")

    def lines(self, share: paging.Share) -> _Lines:
        pages = self.pages
        j = pages.jurisdictions[share.jurisdiction]
        docs = j.documents[share.start:share.stop]
        jlink = self.jlink(j.id)
        answers: dict[Question, list[AnswerRow]] = {}
        duties: dict[str, list[DutyLine]] = {}
        procedures: list[Markup] = []
        n_duties = 0
        for doc in docs:
            d = self.document(j.id, doc)
            for question, rows in d.answers.items():
                answers.setdefault(question, []).extend(rows)
            for actor_type, rows_d in d.duties.items():
                duties.setdefault(actor_type, []).extend(rows_d)
            n_duties += d.duty_count
            procedures.extend(d.procedures)
        no_duty = DutyLine(jlink, DASH, DASH, gap_html(NO_DUTY if j.covering else NOT_COVERED),
                           DASH)
        for actor_type in pages.actor_types:
            if actor_type not in j.duty_types:
                duties[actor_type] = [no_duty]
        total = len(pages.questions)
        overview = OverviewRow(
            jurisdiction=jlink,
            documents=escape.join(BR, [
                escape.concat(self.ctx.document_link(d.id, self.page), Markup(" "),
                              validity_note(d)) for d in docs]) if docs else DASH,
            answered=escape.md_cell(f"{len(answers)} / {total}") if total else DASH,
            duties=n_duties,
            procedures=escape.join(BR, procedures) if procedures else DASH,
            status=gap_html(NOT_COVERED) if not j.covering else DASH,
        )
        return _Lines(j.id, jlink, j.covering, overview, answers, set(answers), duties)

    def size(self, jid: str) -> paging.Size:
        """Fixed rows (overview, gap rows, a name in each gap line) and one size per covering
        document."""
        j = self.pages.jurisdictions[jid]
        fixed = self.lines(paging.Share(jid, 0, 0)).size() + \
            _GAP_NAME * len(self.pages.questions)
        questions = len(self.pages.questions)
        items = tuple(self.document(jid, doc).size(questions) for doc in j.documents)
        return paging.Size(fixed, items)


def relation_text(ctx: RenderContext, c: LocalComparison, page: str) -> Markup:
    """``比[江苏省](…)规定宽（可能冲突）``: a local answer against one higher answer, linked."""
    higher = c.higher
    place = answer_link(ctx, higher, page, f"{higher.jurisdiction.name}（{higher.text}）")
    label = RELATION_LABEL[c.relation].replace("上级", "", 1)
    head, _, tail = label.partition("规定")
    text = escape.concat(escape.md_cell(head), place, escape.md_cell("规定" + tail))
    if c.conflict:
        text = escape.concat(text, escape.md_cell(f"（{POSSIBLE_CONFLICT}）"))
    return text


# --- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionTable:
    """One codebook question on a topic page: its answers side by side and who gives none."""

    anchor: Markup
    name: Markup
    question: Markup
    kind: Markup
    #: ``limit``, ``count``, ``who`` or ``chain``: which table layout the template writes.
    layout: str
    codebook: Markup
    how: Markup
    rows: list[ShownRow]
    #: Said when two or more answers compare and are all equal.
    tied: Markup | None
    #: What each qualifier shown in the table means for the comparison.
    qualifiers: list[Markup]
    not_answered: Markup | None
    not_covered: Markup | None
    #: A row has a comparison with the rules of a jurisdiction above.
    has_relations: bool


@dataclass(frozen=True)
class QuestionLink:
    """The list of the topic's questions at the top of each page."""

    link: Markup
    question: Markup
    answers: int
    #: The page's answers in brief (``锡林浩特市 3个工作日内；金湖县 5个工作日内``), so that the
    #: first screen of a topic page, on a phone too, already answers its questions.
    brief: Markup


@dataclass(frozen=True)
class ActorTypeSection:
    anchor: Markup
    name: Markup
    rows: list[DutyLine]


@dataclass(frozen=True)
class ConflictRow:
    """A local answer looser than the answer of a jurisdiction above it."""

    question: Markup
    local: Markup
    higher: Markup


@dataclass(frozen=True)
class SummaryRow:
    """One part (or the total) on a summary: what its jurisdictions say on the topic."""

    link: Markup
    jurisdictions: int
    covering: int
    documents: int
    answers: int
    not_covered: int


@dataclass(frozen=True)
class QuestionSummaryRow:
    """One question on a summary: who answers under this page, the strictest and the loosest.
    Its row carries the question's anchor, so ``topics/<topic>.md#q--<id>`` lands on a split
    topic's entry page too."""

    anchor: Markup
    name: Markup
    answers: int
    strictest: Markup
    loosest: Markup


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
    questions: list[QuestionSummaryRow]
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
    codebook: Markup
    #: When the topic is split: one row per part below this page.
    summary: TopicSummary | None
    #: False on a summary that has no rows of its own.
    shown: bool
    question_links: list[QuestionLink]
    overview: list[OverviewRow]
    tables: list[QuestionTable]
    actor_types: list[ActorTypeSection]
    conflicts: list[ConflictRow]
    not_covered: list[Markup]
    silent: list[Markup]


@dataclass(frozen=True)
class TopicIndexRow:
    link: Markup
    training: Markup
    question: Markup
    questions: int
    jurisdictions: int
    answers: int
    duties: int


@dataclass(frozen=True)
class TopicsIndexPage:
    title: Markup
    front_title: Markup
    codebook: Markup
    conflicts: Markup
    rows: list[TopicIndexRow]


# --- planning and pages --------------------------------------------------------------------------


Ordered = dict[str, list[Document]]


def ordered_jurisdictions(ctx: RenderContext) -> Ordered:
    """Jurisdictions with documents in tree order, each with its documents in document order
    (sorted once for every topic)."""
    by_place = ctx.kb.documents_by_jurisdiction
    return {j.id: sorted(by_place[j], key=ctx.document_order)
            for j in sorted(by_place, key=lambda j: j.sort_key)}


def gather_topic(ordered: Ordered, topic: Topic,
                 book: Codebook) -> dict[str, TopicJurisdiction]:
    """Every jurisdiction with documents, in tree order, with what it says on the topic."""
    questions = book.questions(topic)
    found: dict[str, TopicJurisdiction] = {}
    for jid, all_docs in ordered.items():
        docs = [d for d in all_docs if topic in d.topics_covered]
        j = TopicJurisdiction(jid, docs)
        for d in docs:
            j.answered.update(q for q in questions if book.of(d, q))
            for u in d.duties:
                if u.topic is topic:
                    for a in u.actors:
                        j.duty_types.setdefault(a.type.id, set()).add(u.role)
        found[jid] = j
    return found


#: How many answers the list at the top of a topic page shows per question.
MAX_BRIEF_ANSWERS = 6


def comparison_cell(ranking: Ranking, row: AnswerRow, question: Question) -> Markup:
    """最严 / 并列最严 / 最宽 or why the answer takes no part, then the relation to the rules
    above."""
    parts: list[Markup] = []
    a = row.answer
    if question.stricter is not Stricter.NONE:
        mark = ranking.mark(a)
        if mark is not None:
            group = ranking.strictest if mark is Mark.STRICTEST else ranking.loosest
            label = MARK_LABEL[mark]
            parts.append(mark_html(f"并列{label}" if len(group) > 1 else label))
        elif a.value is None:
            parts.append(escape.md_cell(unranked_reason(a.limit, isinstance(a.part, Extension))))
    if row.relation:
        parts.append(row.relation)
    return escape.join(BR, parts) if parts else DASH


def brief_answers(answers: Sequence[Answer]) -> Markup:
    """``锡林浩特市 3个工作日内；金湖县 5个工作日内``: the first few answers, each with its place,
    its case and, where the editor inferred the actor, a note saying so; the rest counted."""
    if not answers:
        return escape.md_text("本页没有文件回答")
    items = []
    for a in answers[:MAX_BRIEF_ANSWERS]:
        inferred = ""
        if a.editorial:  # the actor is inferred: for a "who" question that is the answer
            who_asked = a.question.kind is AnswerKind.ACTOR
            inferred = "（编者推定）" if who_asked else "（主体为编者推定）"
        items.append(f"{a.jurisdiction.name} {a.text_with_case}{inferred}")
    if len(answers) > MAX_BRIEF_ANSWERS:
        items.append(f"等{len(answers)}项")
    return escape.md_text("；".join(items))


def names_line(names: Sequence[Markup]) -> Markup | None:
    if not names:
        return None
    shown = escape.join(Markup("、"), names[:MAX_GAP_NAMES])
    if len(names) > MAX_GAP_NAMES:
        shown = escape.concat(shown, escape.md_text(f"等 {len(names)} 个"))
    return shown


class TopicPages:
    """Every page of one topic, planned against the page budget (see the module docstring)."""

    def __init__(self, ctx: RenderContext, topic: Topic, ordered: Ordered | None = None) -> None:
        self.ctx, self.topic = ctx, topic
        self.book = codebook(ctx.kb)
        self.questions = list(self.book.questions(topic))
        self.jurisdictions = gather_topic(
            ordered if ordered is not None else ordered_jurisdictions(ctx), topic, self.book)
        used = {t for j in self.jurisdictions.values() for t in j.duty_types}
        self.actor_types = [a.id for a in ctx.kb.actor_types if a.id in used]
        self._rows: dict[str, _TopicRows] = {}
        sizing = self.rows(links.topic_part_page(topic.id, "x"))
        tree = paging.area_tree(ctx.graph)
        self.plan = paging.plan(
            tree.roots, tree.children,
            lambda j: sizing.size(j) if j in self.jurisdictions else paging.Size(),
            paging.CONTENT_BUDGET - _PAGE_FRAME - _SUMMARY_ROW * len(self.questions),
            _SUMMARY_ROW)

    def path(self, key: str) -> str:
        return links.topic_part_page(self.topic.id, key) if key else \
            links.topic_page(self.topic.id)

    def rows(self, page: str) -> _TopicRows:
        folder = posixpath.dirname(page)
        if folder not in self._rows:
            self._rows[folder] = _TopicRows(self, page)
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
        tables = [self._table(q, lines, page) for q in self.questions]
        sections = []
        for actor_type in self.actor_types:
            found = [r for ls in lines for r in ls.duties.get(actor_type, [])]
            if found:
                sections.append(ActorTypeSection(
                    anchor=escape.html_attr(links.actor_type_anchor(actor_type)),
                    name=escape.md_text(ctx.actor_type_name(actor_type)),
                    rows=found))
        shown = list(dict.fromkeys(part.jurisdictions))
        covering = [j for j in shown if self.jurisdictions[j].covering]
        name = self.part_name(part.key) if part.key else ""
        summary = self._summary(part, page) if part.children else None
        on_page = {id(r.answer) for ls in lines for rs in ls.answers.values() for r in rs}
        conflicts = [
            ConflictRow(
                question=escape.md_link(c.local.question.name,
                                        links.anchor(links.question_anchor(c.local.question.id))),
                local=escape.concat(rows.jlink(c.local.jurisdiction.id), escape.md_cell("："),
                                    answer_link(ctx, c.local, page, c.local.text)),
                higher=escape.concat(
                    escape.md_cell(f"{c.higher.jurisdiction.name}："),
                    answer_link(ctx, c.higher, page, c.higher.text)))
            for q in self.questions for c in self.book.comparisons.get(q, ())
            if c.conflict and id(c.local) in on_page
        ]
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
            codebook=escape.url(links.relative(page, links.CODEBOOK_INDEX)),
            summary=summary,
            shown=bool(lines),
            question_links=[QuestionLink(
                link=escape.md_link(q.name, links.anchor(links.question_anchor(q.id))),
                question=escape.md_text(q.question),
                answers=len(table.rows),
                brief=brief_answers([s.row.answer for s in table.rows]))
                for q, table in zip(self.questions, tables, strict=True)],
            overview=[ls.overview for ls in lines],
            tables=tables,
            actor_types=sections,
            conflicts=conflicts,
            not_covered=[rows.jlink(j) for j in shown if not self.jurisdictions[j].covering],
            silent=[rows.jlink(j) for j in covering if not self.jurisdictions[j].answered],
        )

    def _table(self, question: Question, lines: list[_Lines], page: str) -> QuestionTable:
        found = [r for ls in lines for r in ls.answers.get(question, [])]
        ranking = rank(r.answer for r in found)
        shown = [ShownRow(r, comparison_cell(ranking, r, question)) for r in found]
        qualifiers = list(dict.fromkeys(r.answer.qualifier for r in found
                                        if r.answer.qualifier is not None))
        tied = None
        if ranking.tied:
            tied = escape.md_text(f"本页{len(ranking.comparable)}个可比较的答案相同，并列。")
        return QuestionTable(
            anchor=escape.html_attr(links.question_anchor(question.id)),
            name=escape.md_text(question.name),
            question=escape.md_text(question.question),
            kind=escape.md_text(ANSWER_KIND_LABEL[question.kind]),
            layout=LAYOUT[question.kind],
            codebook=escape.url(links.relative(page, links.CODEBOOK_INDEX,
                                               links.question_anchor(question.id))),
            how=escape.md_text(HOW[question.stricter]),
            rows=shown,
            tied=tied,
            qualifiers=[escape.md_text(QUALIFIER_MEANING[q]) for q in qualifiers],
            not_answered=names_line([ls.link for ls in lines
                                     if ls.covering and question not in ls.answered]),
            not_covered=names_line([ls.link for ls in lines if not ls.covering]),
            has_relations=any(r.relation for r in found),
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
            summary_rows.append(self._stats(link, list(entry.jurisdictions), only))
        every.update(dict.fromkeys(part.jurisdictions))
        total = self._stats(escape.md_cell("合计"), list(every), None)
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
        places = set(every)
        questions = []
        for q in self.questions:
            under = [a for a in self.book.answers.get(q, ())
                     if a.jurisdiction.id in places and a.question.topic is self.topic]
            ranking = rank(under)
            questions.append(QuestionSummaryRow(
                anchor=escape.html_attr(links.question_anchor(q.id)),
                name=escape.md_link(q.name, links.relative(page, links.CODEBOOK_INDEX,
                                                           links.question_anchor(q.id))),
                answers=len(under),
                strictest=self._extremes(ranking.strictest, page),
                loosest=self._extremes(ranking.loosest, page),
            ))
        return TopicSummary(rows=summary_rows, total=total, questions=questions,
                            actor_types=actor_summary)

    def _stats(self, link: Markup, jurisdictions: list[str], only: set[str] | None) -> SummaryRow:
        """Counts over ``jurisdictions`` (restricted to documents ``only``)."""
        covering = documents = answers = not_covered = 0
        for jid in jurisdictions:
            j = self.jurisdictions[jid]
            docs = [d for d in j.documents if only is None or d.id in only]
            covering += bool(docs)
            documents += len(docs)
            answers += sum(len(self.book.of(d, q)) for d in docs for q in self.questions)
            if only is None:
                not_covered += not j.covering
        return SummaryRow(link=link, jurisdictions=len(jurisdictions), covering=covering,
                          documents=documents, answers=answers, not_covered=not_covered)

    def _extremes(self, answers: tuple[Answer, ...], page: str) -> Markup:
        """``2小时内（[浙江省](…)）``; ties name up to three places and count the rest; answers
        for different cases (镇 / 街道) each with their case."""
        if not answers:
            return DASH
        groups: dict[str, list[Answer]] = {}
        for a in answers:
            groups.setdefault(a.text_with_case, []).append(a)
        parts = []
        for text, given in groups.items():
            places = [answer_link(self.ctx, a, page, a.jurisdiction.name) for a in given[:3]]
            more = escape.md_cell(f"等{len(given)}处") if len(given) > 3 else Markup("")
            tie = escape.md_cell("并列：") if len(given) > 1 else Markup("")
            parts.append(escape.concat(tie, escape.md_cell(text), Markup("（"),
                                       escape.join(Markup("、"), places), more, Markup("）")))
        return escape.join(Markup("；"), parts)


def topic_pages(ctx: RenderContext, topic_id: str) -> list[TopicPage]:
    """The topic's entry page ``topics/<topic>.md``, followed by its parts (none when the topic
    fits one page)."""
    topic = ctx.kb.topic_by_id[topic_id]
    return TopicPages(ctx, topic, ordered_jurisdictions(ctx)).pages()


def topics_index_page(ctx: RenderContext) -> TopicsIndexPage:
    book = codebook(ctx.kb)
    page = links.TOPICS_INDEX
    rows = []
    for topic in ctx.kb.topics:
        docs = [d for d in ctx.kb.documents if topic in d.topics_covered]
        questions = book.questions(topic)
        rows.append(TopicIndexRow(
            link=ctx.topic_link(topic.id, page),
            training=escape.md_link("培训材料", links.relative(page,
                                                             links.training_page(topic.id))),
            question=escape.md_cell(topic.question),
            questions=len(questions),
            jurisdictions=len({d.jurisdiction for d in docs}),
            answers=sum(len(book.answers.get(q, ())) for q in questions),
            duties=sum(1 for d in docs for u in d.duties if u.topic is topic),
        ))
    return TopicsIndexPage(
        escape.md_text("专题"), escape.front_matter("专题"),
        codebook=escape.url(links.relative(page, links.CODEBOOK_INDEX)),
        conflicts=escape.url(links.relative(page, links.CONFLICTS_INDEX)),
        rows=rows)
