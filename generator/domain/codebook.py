"""Comparisons per codebook question: every answer to a question, ranked within that question
only, and each local answer set against the answers of the jurisdictions above it.

Why per question: ranking a topic's clocks pooled together compares different acts (a 3-day
*transfer* against a 3-day *acceptance notice*), and the "strictest" it names is not an answer to
anything a reviewer asks.  LawAtlas-style legal epidemiology codes every jurisdiction against a
fixed set of questions, so each comparison is of answers to one question; this module does the
same with the questions of ``policies/registries/questions.yaml``.

Ranking uses one number per answer, lower meaning stricter (:func:`rank_value`): the documented
hours of a duration (a working day counts 24 h × 7/5), the date of a deadline, the times per
year of a frequency (negated: more often is stricter), the quantity of a quota (negated when
more is stricter).  及时, 定期, an extension without a cap and every "who" answer have no number
and take no part.  The number is for ranking only: pages show the limit as the text words it.
Equal numbers are ties: every answer sharing the lowest number is "strictest".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from generator.domain.model import (
    Clock,
    Document,
    Duty,
    Extension,
    Jurisdiction,
    KnowledgeBase,
    Limit,
    Procedure,
    Provision,
    Question,
    Quota,
    Topic,
    Variant,
)
from generator.domain.wording import (
    NOT_ANSWERED,
    NOT_COVERED,
    QUALIFIER_LABEL,
    cap_text,
    comparable_hours,
    qualified_limit_text,
    quota_text,
)
from generator.vocabulary import (
    AnswerKind,
    Attribution,
    Mark,
    Period,
    Qualifier,
    Relation,
    Stricter,
    Unit,
)

#: A fact that answers a codebook question.
Fact = Clock | Quota | Duty | Procedure
_PER_YEAR = {Period.YEAR: 1.0, Period.HALF_YEAR: 2.0, Period.QUARTER: 4.0, Period.MONTH: 12.0}


@dataclass(frozen=True, eq=False)
class Answer:
    """One answer to one question: a fact, or a variant or extension of a clock."""

    question: Question
    fact: Fact
    #: Set when a variant (情况紧急 …) or an extension of the clock ``fact`` is the answer.
    part: Variant | Extension | None = None

    @property
    def document(self) -> Document:
        return self.fact.document

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.fact.document.jurisdiction

    @property
    def provision(self) -> Provision:
        if self.part is not None:
            return self.part.provision
        if isinstance(self.fact, Procedure):
            return self.fact.steps[0].provision
        return self.fact.provision

    @property
    def quote(self) -> str:
        if self.part is not None:
            return self.part.quote
        if isinstance(self.fact, Procedure):
            return self.fact.steps[0].quote
        return self.fact.quote

    @property
    def qualifier(self) -> Qualifier | None:
        if self.part is not None:
            return self.part.qualifier
        return None if isinstance(self.fact, Procedure) else self.fact.qualifier

    @property
    def applies_to(self) -> str | None:
        return (self.part or self.fact).applies_to

    @property
    def editorial(self) -> bool:
        return not isinstance(self.fact, Procedure) \
            and self.fact.attribution is Attribution.EDITORIAL

    @property
    def attribution_reason(self) -> str | None:
        return None if isinstance(self.fact, Procedure) else self.fact.attribution_reason

    @property
    def limit(self) -> Limit | None:
        """The limit that answers (a clock's, a variant's, an extension's cap), if any."""
        if isinstance(self.part, Variant):
            return self.part.limit
        if isinstance(self.part, Extension):
            return self.part.max
        return self.fact.limit if isinstance(self.fact, Clock) else None

    @property
    def text(self) -> str:
        return answer_text(self)

    @property
    def case_prefix(self) -> str:
        """``镇：`` when the answer names the case it covers, else nothing."""
        return f"{self.applies_to}：" if self.applies_to else ""

    @property
    def text_with_case(self) -> str:
        """``镇：不少于6人``: the answer with its case, how one answer is told from another."""
        return self.case_prefix + self.text

    @cached_property
    def value(self) -> float | None:
        return rank_value(self)

    @property
    def quantified(self) -> bool:
        """True when the answer states a period, a date, a count or a cap (not 及时, 定期, an
        uncapped extension or a "who"): what a "how long / how many" exercise can ask about."""
        limit = self.limit
        if isinstance(self.fact, Quota):
            return True
        if limit is None:
            return False
        return limit.unit not in (Unit.TIMELY, Unit.PERIODIC)


def answer_text(a: Answer) -> str:
    """The answer as the site words it, qualifier included: ``3个工作日内``, ``原则上每半年1次``,
    ``最长不超过10个工作日``, ``不少于6人``, ``市司法局``, ``可以``."""
    fact, qualifier = a.fact, a.qualifier
    if isinstance(a.part, Extension):
        return cap_text(a.part.max)
    limit = a.limit
    if limit is not None:
        return qualified_limit_text(limit, qualifier)
    prefix = QUALIFIER_LABEL[qualifier] if qualifier is not None else ""
    if isinstance(fact, Quota):
        return prefix + quota_text(fact.comparator, fact.value, fact.unit, fact.per)
    if isinstance(fact, Procedure):
        return fact.title
    assert isinstance(fact, Duty)
    if a.question.kind is AnswerKind.YES_NO:
        return "可以" if qualifier is Qualifier.MAY else "是"
    # who: the actors' names (the duty's own wording, with its qualifier, is shown beside it)
    return "、".join(actor.name for actor in fact.actors)


def rank_value(a: Answer) -> float | None:
    """The number answers to one question are ranked by, lower meaning stricter; None when the
    answer takes no part (see the module docstring)."""
    question = a.question
    if question.stricter is Stricter.NONE:
        return None
    if isinstance(a.fact, Quota):
        quota = a.fact
        amount = float(quota.value) * (_PER_YEAR[quota.per] if quota.per else 1.0)
        return -amount if question.stricter is Stricter.MORE else amount
    limit = a.limit
    if limit is None:
        return None
    if limit.unit is Unit.RECURRING and limit.per is not None and limit.value is not None:
        return -float(limit.value) * _PER_YEAR[limit.per]
    if limit.unit is Unit.BY_DATE and limit.date is not None:
        year, month, *day = (int(p) for p in limit.date.split("-"))
        return float(dt.date(year, month, day[0] if day else 1).toordinal())
    return comparable_hours(limit)


def _case(a: Answer) -> str:
    return "".join((a.applies_to or "").split())


@dataclass(frozen=True)
class Ranking:
    """The strictest and loosest answers among ``answers`` (ties kept together)."""

    comparable: tuple[Answer, ...]
    strictest: tuple[Answer, ...]
    loosest: tuple[Answer, ...]

    @property
    def tied(self) -> bool:
        """Two or more comparable answers for one case, all equal: nothing is marked, they
        tie."""
        cases: dict[str, set[float | None]] = {}
        for a in self.comparable:
            cases.setdefault(_case(a), set()).add(a.value)
        counts: dict[str, int] = {}
        for a in self.comparable:
            counts[_case(a)] = counts.get(_case(a), 0) + 1
        return not self.strictest and any(
            counts[c] > 1 and len(v) == 1 for c, v in cases.items())

    def mark(self, answer: Answer) -> Mark | None:
        if any(a is answer for a in self.strictest):
            return Mark.STRICTEST
        if any(a is answer for a in self.loosest):
            return Mark.LOOSEST
        return None


def rank(answers: Iterable[Answer]) -> Ranking:
    """Marks within one question: 最严 for every answer with the lowest value, 最宽 for every
    answer with the highest; nothing when fewer than two answers compare or all are equal.

    Answers that name their case (``applies_to``: 镇 / 街道) are ranked among the answers for the
    same case only: a town's floor of 6 officers and a sub-district's of 4 are not a strict and a
    loose rule, they are two rules.
    """
    comparable = tuple(a for a in answers if a.value is not None)
    groups: dict[str, list[Answer]] = {}
    for a in comparable:
        groups.setdefault(_case(a), []).append(a)
    strictest: list[Answer] = []
    loosest: list[Answer] = []
    for group in groups.values():
        values = [a.value for a in group if a.value is not None]
        if len(values) < 2 or min(values) == max(values):
            continue
        low, high = min(values), max(values)
        strictest += [a for a in group if a.value == low]
        loosest += [a for a in group if a.value == high]
    return Ranking(comparable, tuple(strictest), tuple(loosest))


def relation(local: Answer, higher: Answer) -> Relation | None:
    """How a local answer stands against a higher jurisdiction's answer to the same question
    (None when either takes no part in ranking)."""
    if local.value is None or higher.value is None:
        return None
    if local.value < higher.value:
        return Relation.STRICTER
    return Relation.EQUAL if local.value == higher.value else Relation.LOOSER


@dataclass(frozen=True)
class LocalComparison:
    """A local answer set against the answer of a jurisdiction above it (county ⊂ province)."""

    local: Answer
    higher: Answer
    relation: Relation

    @property
    def conflict(self) -> bool:
        """A local rule looser than the higher one: a possible conflict, to be reviewed."""
        return self.relation is Relation.LOOSER


@dataclass(frozen=True, eq=False)
class Codebook:
    """Every answer of the knowledge base, by question and by document."""

    kb: KnowledgeBase
    #: Question → its answers, documents in tree order, each document's answers in file order.
    answers: Mapping[Question, tuple[Answer, ...]]

    @cached_property
    def _by_document(self) -> Mapping[tuple[Document, Question], tuple[Answer, ...]]:
        out: dict[tuple[Document, Question], list[Answer]] = {}
        for question, answers in self.answers.items():
            for a in answers:
                out.setdefault((a.document, question), []).append(a)
        return {key: tuple(value) for key, value in out.items()}

    def of(self, document: Document, question: Question) -> tuple[Answer, ...]:
        return self._by_document.get((document, question), ())

    def status(self, document: Document, question: Question) -> str:
        """``""`` when the document answers, :data:`NOT_ANSWERED` (未规定) when it covers the
        question's topic without answering, :data:`NOT_COVERED` (未涉及) otherwise."""
        if self.of(document, question):
            return ""
        return NOT_ANSWERED if question.topic in document.topics_covered else NOT_COVERED

    def questions(self, topic: Topic) -> tuple[Question, ...]:
        return self.kb.questions_by_topic.get(topic, ())

    @cached_property
    def comparisons(self) -> Mapping[Question, tuple[LocalComparison, ...]]:
        """Per question, every local answer against each answer above it (same case only)."""
        out: dict[Question, tuple[LocalComparison, ...]] = {}
        for question, answers in self.answers.items():
            by_place: dict[Jurisdiction, list[Answer]] = {}
            for a in answers:
                by_place.setdefault(a.jurisdiction, []).append(a)
            found = []
            for local in answers:
                for place in local.jurisdiction.chain[:-1]:
                    for higher in by_place.get(place, ()):
                        if _case(higher) != _case(local):
                            continue
                        rel = relation(local, higher)
                        if rel is not None:
                            found.append(LocalComparison(local, higher, rel))
            out[question] = tuple(found)
        return out

    @cached_property
    def _above(self) -> Mapping[Answer, tuple[LocalComparison, ...]]:
        out: dict[Answer, list[LocalComparison]] = {}
        for comparisons in self.comparisons.values():
            for c in comparisons:
                out.setdefault(c.local, []).append(c)
        return {a: tuple(cs) for a, cs in out.items()}

    def above(self, answer: Answer) -> tuple[LocalComparison, ...]:
        """How ``answer`` stands against the answers of the jurisdictions above it."""
        return self._above.get(answer, ())

    @cached_property
    def conflicts(self) -> tuple[LocalComparison, ...]:
        """Every local answer looser than a higher one, question by question."""
        return tuple(c for q in self.kb.questions for c in self.comparisons.get(q, ())
                     if c.conflict)


def _document_answers(doc: Document) -> list[Answer]:
    """The answers one document gives, in file order (facts, then their variants and
    extension)."""
    out: list[Answer] = []
    for duty in doc.duties:
        if duty.answers is not None:
            out.append(Answer(duty.answers, duty))
    for clock in doc.clocks:
        if clock.answers is not None:
            out.append(Answer(clock.answers, clock))
        for variant in clock.variants:
            if variant.answers is not None:
                out.append(Answer(variant.answers, clock, variant))
        ext = clock.extension
        if ext is not None and ext.answers is not None:
            out.append(Answer(ext.answers, clock, ext))
    for quota in doc.quotas:
        if quota.answers is not None:
            out.append(Answer(quota.answers, quota))
    for procedure in doc.procedures:
        if procedure.answers is not None:
            out.append(Answer(procedure.answers, procedure))
    return out


@lru_cache(maxsize=4)
def codebook(kb: KnowledgeBase) -> Codebook:
    """The knowledge base's answers by question (built once per knowledge base)."""
    answers: dict[Question, list[Answer]] = {q: [] for q in kb.questions}
    for doc in sorted(kb.documents, key=lambda d: d.tree_key):
        for a in _document_answers(doc):
            answers.setdefault(a.question, []).append(a)
    return Codebook(kb, {q: tuple(a) for q, a in answers.items()})
