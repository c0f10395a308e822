"""Training pages: per topic, the key figures per codebook question and a set of exercises.

Why apart from the topic page: a topic page compares every jurisdiction and grows with the
knowledge base (it is split into parts); a trainer preparing a session needs one sheet that
does not grow: what each question of the topic is answered with, the strictest and loosest
answer *to that question* (ties named as ties), and a handful of questions drawn from real
clauses, the answers after a page break (printed separately), each with its clause.

Exercises are chosen, not random, so that the same knowledge base always gives the same sheet,
question by question in codebook order: first every comparison (a question with answers that
differ), then one answer per question stated with a period, a date, a count or a cap, or a
"who" the text names (a jurisdiction not asked about yet when there is one); then one exercise
whose point is that a rule sets no period (only 及时 or 定期), and one on the gaps.  An answer
whose actor the editors inferred (编者推定) is never asked about, and an unquantified answer is
never asked as "how long" or "how often".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.codebook import Answer, Codebook, Ranking, codebook, rank
from generator.domain.model import Clock, Duty, Question, Topic
from generator.domain.wording import (
    QUALIFIER_LABEL,
    QUALIFIER_MEANING,
    cap_text,
    qualified_limit_text,
)
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.facts import quoted
from generator.render.topic import (
    LAYOUT,
    Ordered,
    TopicJurisdiction,
    answer_link,
    gather_topic,
    ordered_jurisdictions,
)
from generator.render.validity import Sources, source_documents
from generator.vocabulary import AnswerKind, Stricter, Unit

#: Exercises per sheet, the unquantified and the gap exercises included.
MAX_EXERCISES = 10
#: Jurisdictions named in an answer before "等 N 个".
MAX_NAMES = 12
#: Places named for a tie on the sheet before "等 N 处".
MAX_TIED = 4


@dataclass(frozen=True)
class KeyFigure:
    label: Markup
    value: Markup


@dataclass(frozen=True)
class QuestionFigure:
    """One codebook question on the sheet: how many answer it, the strictest, the loosest."""

    name: Markup
    question: Markup
    answers: int
    strictest: Markup
    loosest: Markup
    note: Markup
    #: The answers named as strictest, loosest or tied (their documents are sources).
    cites: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Exercise:
    question: Markup
    answer: Markup
    basis: list[Markup]
    #: The answers the exercise names (their documents are the sheet's sources).
    cites: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class TrainingPage:
    path: str
    title: Markup
    front_title: Markup
    anchor: Markup
    question: Markup
    topic_link: Markup
    codebook: Markup
    figures: list[KeyFigure]
    questions: list[QuestionFigure]
    exercises: list[Exercise]
    #: The documents whose answers the sheet names, with their validity.
    sources: Sources


@dataclass(frozen=True)
class TrainingIndexRow:
    link: Markup
    question: Markup
    questions: int
    answers: int
    exercises: int


@dataclass(frozen=True)
class TrainingIndexPage:
    title: Markup
    front_title: Markup
    rows: list[TrainingIndexRow]


class _Sheet:
    """The answers of one topic, as one training page uses them."""

    def __init__(self, ctx: RenderContext, topic: Topic, ordered: Ordered,
                 book: Codebook) -> None:
        self.ctx, self.topic, self.book = ctx, topic, book
        self.page = links.training_page(topic.id)
        self.jurisdictions: dict[str, TopicJurisdiction] = gather_topic(ordered, topic, book)
        self.questions: list[Question] = list(book.questions(topic))
        #: every answer per question, in tree order
        self.answers: dict[Question, tuple[Answer, ...]] = {
            q: book.answers.get(q, ()) for q in self.questions}
        self.rankings: dict[Question, Ranking] = {q: rank(a) for q, a in self.answers.items()}

    # --- pieces ------------------------------------------------------------------------------

    def where(self, a: Answer) -> Markup:
        return self.ctx.jurisdiction_link(a.jurisdiction.id, self.page)

    def answer_basis(self, a: Answer) -> Markup:
        """The document (linked to the fact), the clause and the quote (the document's validity
        is in the sheet's list of sources)."""
        doc = a.document
        return escape.concat(
            answer_link(self.ctx, a, self.page, self.ctx.document_short_name(doc)),
            Markup(" "), self.ctx.clause_link(doc, a.provision, self.page),
            quoted(a.quote, cell=False))

    @staticmethod
    def _by_text(answers: tuple[Answer, ...]) -> dict[str, list[Answer]]:
        groups: dict[str, list[Answer]] = {}
        for a in answers:
            groups.setdefault(a.text_with_case, []).append(a)
        return groups

    def named(self, answers: tuple[Answer, ...]) -> list[Answer]:
        """The answers :meth:`with_places` names (the first ``MAX_TIED`` of each text)."""
        return [a for given in self._by_text(answers).values() for a in given[:MAX_TIED]]

    def with_places(self, answers: tuple[Answer, ...]) -> Markup:
        """``并列：24小时内（金湖县、锡林浩特市）``: each answer text (with its case: ``镇：``) and
        where it is given; a text given in several places is a tie."""
        parts = []
        for text, given in self._by_text(answers).items():
            places = [self.where(a) for a in given[:MAX_TIED]]
            more = escape.md_text(f"等{len(given)}处") if len(given) > MAX_TIED else Markup("")
            tie = "并列：" if len(given) > 1 else ""
            parts.append(escape.concat(escape.md_text(tie + text + "（"),
                                       escape.join(Markup("、"), places), more,
                                       escape.md_text("）")))
        return escape.join(Markup("；"), parts)

    def names(self, ids: list[str]) -> Markup:
        shown = [self.ctx.jurisdiction_link(j, self.page) for j in ids[:MAX_NAMES]]
        more = escape.md_text(f"等 {len(ids)} 个") if len(ids) > MAX_NAMES else Markup("")
        return escape.concat(escape.join(Markup("、"), shown), more)

    def table_link(self, q: Question) -> Markup:
        return escape.md_link(q.name, links.relative(self.page, links.topic_page(self.topic.id),
                                                     links.question_anchor(q.id)))

    # --- figures -----------------------------------------------------------------------------

    def figures(self) -> list[KeyFigure]:
        covering = [j for j in self.jurisdictions.values() if j.covering]
        every = [a for q in self.questions for a in self.answers[q]]
        answered = [q for q in self.questions if self.answers[q]]
        out = [
            KeyFigure(escape.md_text("涉及本专题的辖区"), escape.md_text(
                f"{len(covering)} 个（共 {len(self.jurisdictions)} 个有文件的辖区）")),
            KeyFigure(escape.md_text("编码问题 / 有回答的问题"),
                      escape.md_text(f"{len(self.questions)} 个 / {len(answered)} 个")),
            KeyFigure(escape.md_text("回答"), escape.md_text(f"{len(every)} 项")),
        ]
        qualified = sum(1 for a in every if a.qualifier is not None)
        if qualified:
            out.append(KeyFigure(escape.md_text("带限定语的回答（原则上、一般、可等）"),
                                 escape.md_text(f"{qualified} 项")))
        editorial = sum(1 for a in every if a.editorial)
        if editorial:
            out.append(KeyFigure(escape.md_text("主体为编者推定的回答（不出题）"),
                                 escape.md_text(f"{editorial} 项")))
        return out

    def question_figures(self) -> list[QuestionFigure]:
        rows = []
        for q in self.questions:
            answers = self.answers[q]
            if not answers:
                continue
            ranking = self.rankings[q]
            strictest = loosest = Markup("—")
            notes: list[str] = []
            cites: list[Answer] = []
            if q.stricter is Stricter.NONE:
                notes.append("列举，不排序")
            elif ranking.strictest:
                strictest = self.extreme(ranking.strictest)
                loosest = self.extreme(ranking.loosest)
                cites = self.named(ranking.strictest) + self.named(ranking.loosest)
            elif ranking.tied:
                strictest = self.with_places(ranking.comparable)
                cites = self.named(ranking.comparable)
                notes.append(f"{len(ranking.comparable)} 项相同，并列")
            elif len(ranking.comparable) == 1:
                notes.append("只有 1 项可比较")
            unranked = [a for a in answers if a.value is None]
            if q.stricter is not Stricter.NONE and unranked:
                words = sorted({_unquantified_word(a) for a in unranked})
                notes.append(f"{len(unranked)} 项只写“{'”“'.join(words)}”等，不参与比较")
            for a in answers:
                if a.qualifier is not None:
                    notes.append(f"{a.jurisdiction.name}为“{QUALIFIER_LABEL[a.qualifier]}”")
            rows.append(QuestionFigure(
                name=self.table_link(q), question=escape.md_cell(q.question),
                answers=len(answers), strictest=strictest, loosest=loosest,
                note=escape.md_cell("；".join(notes)) if notes else Markup("—"),
                cites=tuple(cites)))
        return rows

    def extreme(self, answers: tuple[Answer, ...]) -> Markup:
        """The strictest (or loosest) answers, a tie named as a tie."""
        return self.with_places(answers)

    # --- exercises ---------------------------------------------------------------------------

    def comparison_exercise(self, q: Question) -> Exercise | None:
        ranking = self.rankings[q]
        if not ranking.strictest:
            return None
        question = escape.md_text(f"【比较】“{q.question}”——各辖区的规定中哪一个最严，哪一个最宽？")
        parts = [escape.concat(escape.md_text("最严："), self.extreme(ranking.strictest)),
                 escape.concat(escape.md_text("最宽："), self.extreme(ranking.loosest))]
        # the answers the sheet names (a tie of hundreds names its first MAX_TIED places)
        named = self.named(ranking.strictest) + self.named(ranking.loosest)
        qualified = [a for a in named if a.qualifier is not None]
        for a in qualified:
            parts.append(escape.md_text(f"{a.jurisdiction.name}的规定带限定语：{_meaning(a)}"))
        unranked = [a for a in self.answers[q] if a.value is None]
        if unranked:
            parts.append(escape.md_text(f"另有 {len(unranked)} 项没有具体时限或数量，不参与比较"))
        if q.kind in (AnswerKind.DURATION, AnswerKind.DEADLINE):
            question = escape.concat(question, escape.md_text("（1个工作日按24小时×7/5折算）"))
        basis = [self.answer_basis(a) for a in named]
        unnamed = len(ranking.strictest) + len(ranking.loosest) - len(named)
        if unnamed:
            basis.append(escape.concat(escape.md_text(f"另有 {unnamed} 处相同的规定，见专题页的"),
                                       self.table_link(q), escape.md_text("表")))
        return Exercise(question, escape.join(Markup("；"), parts), basis, tuple(named))

    def single_exercise(self, q: Question, a: Answer) -> Exercise:
        question = escape.concat(escape.md_text("【"), self.where(a),
                                 escape.md_text(f"】{q.question}"))
        if a.applies_to:
            question = escape.concat(question, escape.md_text(f"（{a.applies_to}）"))
        answer = a.text
        fact = a.fact
        if isinstance(fact, Duty):
            answer += f"（{fact.what}）"
        if a.part is None and isinstance(fact, Clock):
            extras = [f"{v.when}：{qualified_limit_text(v.limit, v.qualifier)}"
                      for v in fact.variants]
            if fact.extension is not None:
                extras.append(f"延长：{fact.extension.condition}，{cap_text(fact.extension.max)}")
            if extras:
                answer += "（" + "；".join(extras) + "）"
        if a.qualifier is not None:
            answer += f"。注意原文为“{QUALIFIER_LABEL[a.qualifier]}”：{_meaning(a)}"
        return Exercise(question, escape.md_text(answer), [self.answer_basis(a)], (a,))

    def unquantified_exercise(self) -> Exercise | None:
        """One exercise whose point is that a rule sets no period: 及时 / 定期 only."""
        for q in self.questions:
            if q.kind not in (AnswerKind.DURATION, AnswerKind.FREQUENCY):
                continue
            for a in self.answers[q]:
                limit = a.limit
                if a.editorial or limit is None or limit.unit not in (Unit.TIMELY, Unit.PERIODIC):
                    continue
                asked = "规定了具体期限吗" if q.kind is AnswerKind.DURATION else "规定了周期吗"
                question = escape.concat(escape.md_text("【"), self.where(a),
                                         escape.md_text(f"】“{q.question}”——文件{asked}？"))
                word = _unquantified_word(a)
                answer = escape.md_text(f"没有。原文只要求“{word}”，没有写明具体的"
                                        f"{'期限' if q.kind is AnswerKind.DURATION else '周期'}，"
                                        "因此不参与最严、最宽的比较。")
                return Exercise(question, answer, [self.answer_basis(a)], (a,))
        return None

    def gap_exercise(self) -> Exercise | None:
        not_covered = [j.id for j in self.jurisdictions.values() if not j.covering]
        first = next((q for q in self.questions if self.answers[q]), None)
        silent = [j.id for j in self.jurisdictions.values()
                  if j.covering and first is not None and first not in j.answered]
        if not not_covered and not silent:
            return None
        parts = []
        if first is not None:
            question = escape.md_text(f"哪些辖区的文件未涉及本专题？涉及本专题的辖区中，"
                                      f"哪些没有回答“{first.question}”？")
        else:
            question = escape.md_text("哪些辖区的文件未涉及本专题？")
        parts.append(escape.concat(escape.md_text("未涉及："), self.names(not_covered))
                     if not_covered else escape.md_text("各辖区都涉及本专题"))
        if first is not None:
            parts.append(escape.concat(escape.md_text("未规定："), self.names(silent))
                         if silent else escape.md_text("涉及本专题的辖区都有回答"))
        topic = self.ctx.topic_link(self.topic.id, self.page, links.section_anchor("gaps"))
        return Exercise(question, escape.join(Markup("；"), parts),
                        [escape.concat(escape.md_text("见专题页的“空白”一节和各问题表格下的说明："),
                                       topic)])

    def exercises(self) -> list[Exercise]:
        comparisons = [e for q in self.questions if (e := self.comparison_exercise(q))]
        singles = []
        asked: set[str] = set()  # jurisdictions asked about so far: spread the questions
        for q in self.questions:
            wanted = [a for a in self.answers[q] if _askable(q)(a)]
            pick = next((a for a in wanted if a.jurisdiction.id not in asked), None) \
                or next(iter(wanted), None)
            if pick is not None:
                asked.add(pick.jurisdiction.id)
                if len(asked) == len(self.jurisdictions):
                    asked.clear()
                singles.append(self.single_exercise(q, pick))
        chosen = [*comparisons, *singles][:MAX_EXERCISES - 2]
        chosen += [e for e in (self.unquantified_exercise(), self.gap_exercise()) if e]
        return chosen

    def view(self) -> TrainingPage:
        figures, questions, exercises = self.figures(), self.question_figures(), \
            self.exercises()
        cited = [a for q in questions for a in q.cites] + [a for e in exercises for a in e.cites]
        return TrainingPage(
            path=self.page,
            title=escape.md_text(self.topic.name),
            front_title=escape.front_matter(f"培训：{self.topic.name}"),
            anchor=escape.html_attr(f"training--{self.topic.id}"),
            question=escape.md_text(self.topic.question),
            topic_link=self.ctx.topic_link(self.topic.id, self.page),
            codebook=escape.url(links.relative(self.page, links.CODEBOOK_INDEX)),
            figures=figures,
            questions=questions,
            exercises=exercises,
            sources=source_documents(self.ctx, (a.document for a in cited), self.page),
        )


def _askable(q: Question) -> Callable[[Answer], bool]:
    """Which answers a single exercise may ask about: stated, and quantified for a "how long /
    how many" question (a "who" or chain question: any stated answer)."""
    if LAYOUT[q.kind] in ("limit", "count"):
        return lambda a: not a.editorial and a.quantified
    return lambda a: not a.editorial


def _meaning(a: Answer) -> str:
    return QUALIFIER_MEANING[a.qualifier] if a.qualifier is not None else ""


def _unquantified_word(a: Answer) -> str:
    limit = a.limit
    if limit is None:
        return "可以延长"
    return {Unit.TIMELY: "及时", Unit.PERIODIC: "定期"}.get(limit.unit, a.text)


def training_pages(ctx: RenderContext) -> list[TrainingPage]:
    ordered = ordered_jurisdictions(ctx)
    book = codebook(ctx.kb)
    return [_Sheet(ctx, topic, ordered, book).view() for topic in ctx.kb.topics]


def training_index_page(ctx: RenderContext, pages: list[TrainingPage]) -> TrainingIndexPage:
    by_path = {p.path: p for p in pages}
    book = codebook(ctx.kb)
    rows = []
    for topic in ctx.kb.topics:
        page = by_path[links.training_page(topic.id)]
        questions = book.questions(topic)
        rows.append(TrainingIndexRow(
            link=escape.md_link(topic.name, links.relative(links.TRAINING_INDEX, page.path)),
            question=escape.md_cell(topic.question),
            questions=len(questions),
            answers=sum(len(book.answers.get(q, ())) for q in questions),
            exercises=len(page.exercises),
        ))
    return TrainingIndexPage(escape.md_text("培训"), escape.front_matter("培训"), rows)
