"""Codebook checks of one document: what each fact answers, and who the text says bears it.

Comparisons are made per codebook question, so each answer must be one a reader can compare
with the others: a question of the fact's own topic and of the fact's kind of answer (a working
day limit does not answer "how often", a quota does not answer "who"), given once per document
unless ``applies_to`` says which case each answer covers (镇 / 街道).

Two claims of a fact are checked against its text:

- **attribution**: every actor of a duty, clock or quota is *named* in the fact's provision — its
  name or one of its aliases appears in the provision's heading or text (whitespace aside).
  When the text leaves the subject out ("……追究……责任"), the fact says so with
  ``attribution: editorial`` and a reason; the site marks it 编者推定.  The test is necessary,
  not sufficient: an actor named in the provision but not as the subject of the sentence is
  still an editorial attribution, which the data editor declares (see the encoding guide).
- **qualifier**: a qualifier (原则上, 一般, 可 …) is a word of the text, so the fact's quote
  contains it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, SourceLocation, diag
from generator.source.quotes import ProvisionTexts, squash
from generator.source.registries import QuestionFacts
from generator.source.schema import Answering, Clock, Duty, Limit, Quota
from generator.source.yaml_loader import LoadedFile, NodePath
from generator.vocabulary import (
    LIMIT_KINDS,
    QUALIFIER_SPELLINGS,
    AnswerKind,
    Attribution,
)

#: (index in the file, typed item) of a top-level list of the document.
Items = Callable[[str], list[tuple[int, Any]]]
#: Reports an unknown reference: (path, kind, value, known values).
Unknown = Callable[[NodePath, str, str, Iterable[str]], None]

_FACT_KINDS: dict[str, frozenset[AnswerKind]] = {
    "duty": frozenset({AnswerKind.ACTOR, AnswerKind.YES_NO}),
    "quota": frozenset({AnswerKind.COUNT}),
    "procedure": frozenset({AnswerKind.ESCALATION}),
}


@dataclass(frozen=True)
class _Answer:
    """One answer given in the document: where, by what, to which question."""

    path: NodePath
    what: str
    topic: str
    kinds: frozenset[AnswerKind]
    because: str
    answering: Any


def _limit_kinds(limit: Limit | None) -> tuple[frozenset[AnswerKind], str]:
    """The kinds of question a limit answers, and why (for the message)."""
    if limit is None:  # an extension without a stated cap: still an answer to "how long"
        return frozenset({AnswerKind.DURATION}), "an extension without a cap"
    kinds = frozenset(k for k, units in LIMIT_KINDS.items() if limit.unit in units)
    return kinds, f"its limit ({limit.unit.value})"


def _answers(items: Items) -> list[_Answer]:
    """Every answer of the document, in file order."""
    out: list[_Answer] = []
    for i, duty in items("duties"):
        out.append(_Answer(("duties", i), "duty", duty.topic, _FACT_KINDS["duty"],
                           "a duty", duty))
    for i, clock in items("clocks"):
        clock_path: NodePath = ("clocks", i)
        kinds, because = _limit_kinds(clock.limit)
        out.append(_Answer(clock_path, "clock", clock.topic, kinds, because, clock))
        for j, variant in enumerate(clock.variants):
            kinds, because = _limit_kinds(variant.limit)
            out.append(_Answer((*clock_path, "variants", j), "variant", clock.topic, kinds,
                               because, variant))
        if clock.extension is not None:
            kinds, because = _limit_kinds(clock.extension.max)
            out.append(_Answer((*clock_path, "extension"), "extension", clock.topic, kinds,
                               because, clock.extension))
    for i, quota in items("quotas"):
        out.append(_Answer(("quotas", i), "quota", quota.topic, _FACT_KINDS["quota"],
                           "a quota", quota))
    for i, procedure in items("procedures"):
        out.append(_Answer(("procedures", i), "procedure", procedure.topic,
                           _FACT_KINDS["procedure"], "a procedure", procedure))
    return out


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@dataclass
class AnswerChecks:
    """The codebook checks of one document; appends to ``found``."""

    loaded: LoadedFile
    items: Items
    #: Codebook questions (None: the registry could not be read, the checks are skipped).
    questions: Mapping[str, QuestionFacts] | None
    provisions: ProvisionTexts
    found: list[Diagnostic]
    unknown: Unknown
    #: Known topics (None: the registry could not be read); a fact of an unknown topic is
    #: reported as such, not as answering a question of another topic.
    topics: set[str] | None = None

    def at(self, path: NodePath) -> SourceLocation:
        return self.loaded.locate(path)

    def run(self) -> None:
        answers = _answers(self.items)
        if self.questions is not None:
            given = [a for a in answers if a.answering.answers is not None]
            for answer in given:
                self._fits(answer, self.questions)
            self._once(given)
        for answer in answers:
            self._qualifier(answer)
        self._attributions()

    def _fits(self, a: _Answer, questions: Mapping[str, QuestionFacts]) -> None:
        qid = a.answering.answers
        where = (*a.path, "answers")
        if qid not in questions:
            self.unknown(where, "question", qid, questions)
            return
        question = questions[qid]
        # a fact or a question of an unknown topic is reported as such (PK202), not here
        known = self.topics is None or (a.topic in self.topics and question.topic in self.topics)
        if question.topic is not None and question.topic != a.topic and known:
            self.found.append(diag(
                "answer-mismatch", self.at(where),
                f"{a.what} of topic {a.topic!r} answers {qid!r}, a question of topic "
                f"{question.topic!r}",
                "answer a question of the fact's own topic"
                + self._offer(questions, a.topic, a.kinds)
                + f", or move the fact to topic {question.topic!r}"))
        elif question.kind is not None and question.kind not in a.kinds:
            takes = " or ".join(sorted(k.value for k in a.kinds)) or "no"
            self.found.append(diag(
                "answer-mismatch", self.at(where),
                f"{a.what} answers {qid!r}, {_article(question.kind.value)} "
                f"{question.kind.value} question; {a.because} answers {takes} questions",
                "name a question that takes this kind of answer"
                + self._offer(questions, a.topic, a.kinds)
                + ", or correct the fact"))

    @staticmethod
    def _offer(questions: Mapping[str, QuestionFacts], topic: str,
               kinds: frozenset[AnswerKind]) -> str:
        fitting = sorted(qid for qid, q in questions.items()
                         if q.topic == topic and q.kind in kinds)
        if not fitting:
            return ""
        shown = ", ".join(fitting[:8]) + (" …" if len(fitting) > 8 else "")
        return f" ({shown})"

    def _once(self, given: list[_Answer]) -> None:
        """A document answers a question once, or each answer names the case it covers: every
        answer after the first is reported when it, or the first, names no case, or when an
        earlier answer names the same case."""
        by_question: dict[str, list[_Answer]] = {}
        for a in given:
            by_question.setdefault(a.answering.answers, []).append(a)
        for qid, group in by_question.items():
            seen: dict[str, _Answer] = {}
            for n, a in enumerate(group):
                case = a.answering.applies_to
                key = squash(case) if case is not None else None
                first = seen.get(key) if key is not None else None
                if n and (first is not None or key is None
                          or group[0].answering.applies_to is None):
                    first = first or group[0]
                    same = f", both for {case!r}" if first.answering.applies_to == case \
                        and case is not None else ""
                    self.found.append(diag(
                        "duplicate-answer", self.at((*a.path, "answers")),
                        f"question {qid!r} is answered twice in this document (first by the "
                        f"{first.what} at line {self.at(first.path).line}){same}",
                        "give each answer applies_to, the case it covers (镇 / 街道), or let "
                        "one fact answer the question"))
                if key is not None:
                    seen.setdefault(key, a)

    def _qualifier(self, a: _Answer) -> None:
        answering: Answering = a.answering
        if not isinstance(answering, Answering) or answering.qualifier is None:
            return
        quote = squash(getattr(answering, "quote", "") or "")
        spellings = QUALIFIER_SPELLINGS[answering.qualifier]
        if not any(word in quote for word in spellings):
            self.found.append(diag(
                "qualifier-not-in-quote", self.at((*a.path, "qualifier")),
                f"qualifier {answering.qualifier.value!r} ({'/'.join(spellings[:2])}) is not "
                "in the quote",
                "a qualifier is a word of the text: quote the clause with it, or remove the "
                "qualifier"))

    def _attributions(self) -> None:
        words = self._actor_words()
        for name in ("duties", "clocks", "quotas"):
            for i, fact in self.items(name):
                if not isinstance(fact, Duty | Clock | Quota) \
                        or fact.attribution is Attribution.EDITORIAL:
                    continue
                if fact.provision not in self.provisions:
                    continue  # reported as an unknown provision
                for j, actor in enumerate(fact.actors):
                    if actor not in words or self.provisions.names(fact.provision, words[actor]):
                        continue
                    shown = words[actor][0]
                    self.found.append(diag(
                        "undeclared-attribution", self.at((name, i, "actors", j)),
                        f"actor {actor!r} ({shown}) is not named in provision "
                        f"{fact.provision!r}",
                        "the text leaves out who does this: declare attribution: editorial "
                        "with attribution_reason (one line: why the actor is read so), or add "
                        "the wording the provision uses to the actor's aliases"))
                    break

    def _actor_words(self) -> dict[str, tuple[str, ...]]:
        """Actor id → its name and aliases (valid actors only)."""
        return {actor.id: (actor.name, *actor.aliases) for _, actor in self.items("actors")}

