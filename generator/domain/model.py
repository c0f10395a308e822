"""The domain model: immutable objects with every reference resolved.

Why apart from the file schema: the schema says how a policy is *written* (ids that point at
other ids, defaults left out, one file per document); the pages and the exports need what it
*means*: an actor with its actor type, a fact with its provision and its document, a document
with its jurisdiction and the chain of jurisdictions above it, a procedure edge with the clock
(and the variant) that governs it.  ``generator.domain.resolve`` builds these objects once, in
one canonical order, and render and export read nothing else.

The objects refer to each other (a document holds its clocks, a clock knows its document), so
they compare and hash by identity (``eq=False``); the resolver is the only code that creates
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from generator.vocabulary import (
    AnswerKind,
    Attribution,
    Kind,
    Level,
    Period,
    Qualifier,
    Role,
    Script,
    Status,
    StepKind,
    Stricter,
    Unit,
)


@dataclass(frozen=True, eq=False)
class Jurisdiction:
    """One administrative division; ``chain`` runs from the root down to itself."""

    id: str
    name: str
    level: Level
    code: str | None
    parent: Jurisdiction | None = field(repr=False)
    #: Root … self, by parent walk.
    chain: tuple[Jurisdiction, ...] = field(default=(), repr=False)

    @property
    def sort_key(self) -> tuple[tuple[str, str], ...]:
        """Tree order: by division code along the chain, ids breaking ties."""
        return tuple((j.code or "999999", j.id) for j in self.chain)

    def within(self, other: Jurisdiction) -> bool:
        """True when ``other`` is this jurisdiction or one above it."""
        return any(j is other for j in self.chain)


@dataclass(frozen=True, eq=False)
class ActorType:
    id: str
    name: str
    description: str | None
    order: int


@dataclass(frozen=True, eq=False)
class Topic:
    id: str
    name: str
    question: str
    description: str | None
    order: int


@dataclass(frozen=True, eq=False)
class Question:
    """A question of the codebook: every jurisdiction's answer to it is compared side by side."""

    id: str
    topic: Topic
    name: str
    question: str
    kind: AnswerKind
    stricter: Stricter
    definition: str | None
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class Limit:
    """How long a clock may run (a value object: equal limits compare equal)."""

    unit: Unit
    value: int | None = None
    per: Period | None = None
    date: str | None = None
    upper_bound: bool = True


@dataclass(frozen=True, eq=False)
class Provision:
    """One node of the document's own numbering, with the label a reader cites it by."""

    id: str
    number: str | None
    heading: str | None
    text: str | None
    depth: int
    #: ``三、（二）``: the printed numbers along the path, else a short heading.
    label: str
    children: tuple[Provision, ...] = ()


@dataclass(frozen=True, eq=False)
class Actor:
    """A party in the document's own words, with the shared type it lines up under."""

    id: str
    name: str
    type: ActorType
    aliases: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, eq=False)
class Quoted:
    """Anything taken from the text: the provision it rests on and the verbatim quote."""

    provision: Provision
    quote: str


@dataclass(frozen=True, eq=False)
class Fact(Quoted):
    """A fact of a document: it has an id and belongs to the document."""

    id: str
    document: Document = field(repr=False)


@dataclass(frozen=True, eq=False)
class Duty(Fact):
    actors: tuple[Actor, ...]
    role: Role
    topic: Topic
    what: str
    #: The codebook question the duty answers (a "who" or yes/no question), if any.
    answers: Question | None = None
    applies_to: str | None = None
    qualifier: Qualifier | None = None
    attribution: Attribution = Attribution.STATED
    attribution_reason: str | None = None


@dataclass(frozen=True, eq=False)
class Variant(Quoted):
    """A different limit under a condition (情况紧急, 违法行为正在进行)."""

    index: int
    when: str
    limit: Limit
    action: str | None
    answers: Question | None = None
    applies_to: str | None = None
    qualifier: Qualifier | None = None


@dataclass(frozen=True, eq=False)
class Extension(Quoted):
    condition: str
    max: Limit | None
    requires: str | None
    answers: Question | None = None
    applies_to: str | None = None
    qualifier: Qualifier | None = None


@dataclass(frozen=True, eq=False)
class Clock(Fact):
    topic: Topic
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    trigger: str
    action: str
    limit: Limit
    variants: tuple[Variant, ...]
    extension: Extension | None
    consequence: str | None
    note: str | None
    answers: Question | None = None
    applies_to: str | None = None
    qualifier: Qualifier | None = None
    attribution: Attribution = Attribution.STATED
    attribution_reason: str | None = None


@dataclass(frozen=True, eq=False)
class Quota(Fact):
    topic: Topic
    actors: tuple[Actor, ...]
    what: str
    comparator: str
    value: int
    unit: str
    per: Period | None
    scope: str | None
    answers: Question | None = None
    applies_to: str | None = None
    qualifier: Qualifier | None = None
    attribution: Attribution = Attribution.STATED
    attribution_reason: str | None = None


@dataclass(frozen=True, eq=False)
class Step(Quoted):
    id: str
    actor: Actor
    label: str
    kind: StepKind


@dataclass(frozen=True, eq=False)
class Edge:
    """A transition; ``clock`` (and ``variant``) when a time limit governs it."""

    index: int
    source: Step
    target: Step
    condition: str | None
    clock: Clock | None
    variant: Variant | None


@dataclass(frozen=True, eq=False)
class Procedure:
    id: str
    document: Document = field(repr=False)
    title: str
    topic: Topic
    description: str | None
    lanes: tuple[Actor, ...]
    steps: tuple[Step, ...]
    edges: tuple[Edge, ...]
    answers: Question | None = None
    applies_to: str | None = None

    @cached_property
    def step_by_id(self) -> Mapping[str, Step]:
        return {s.id: s for s in self.steps}


@dataclass(frozen=True, eq=False)
class Citation(Fact):
    """A document the policy cites, as printed; ``target`` when it names a document here."""

    title: str
    doc_number: str | None
    issuer: str | None
    target: Document | None


@dataclass(frozen=True)
class Issuer:
    name: str
    jurisdiction: Jurisdiction | None


@dataclass(frozen=True)
class Dates:
    issued: dt.date | None
    published: dt.date | None
    effective: dt.date | None


@dataclass(frozen=True)
class Source:
    seed: str | None
    url: str | None
    publisher: str | None
    retrieved: dt.date | None
    #: When an editor last checked the facts against the source text (数据核对).
    verified: dt.date | None


@dataclass(frozen=True, eq=False)
class Document:
    """One policy document with its text and every fact in it, all resolved."""

    id: str
    #: The file it was read from (as the user would type the path).
    path: str
    title: str
    notice_title: str | None
    doc_number: str | None
    issuers: tuple[Issuer, ...]
    jurisdiction: Jurisdiction
    kind: Kind
    status: Status
    dates: Dates
    source: Source
    script: Script
    summary: str | None
    notes: tuple[str, ...]
    provisions: tuple[Provision, ...] = ()
    actors: tuple[Actor, ...] = ()
    duties: tuple[Duty, ...] = ()
    clocks: tuple[Clock, ...] = ()
    quotas: tuple[Quota, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    citations: tuple[Citation, ...] = ()

    def all_provisions(self) -> Iterator[Provision]:
        """Every provision, depth first, in text order."""
        stack = list(reversed(self.provisions))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @cached_property
    def provision_by_id(self) -> Mapping[str, Provision]:
        return {p.id: p for p in self.all_provisions()}

    @cached_property
    def clock_by_id(self) -> Mapping[str, Clock]:
        return {c.id: c for c in self.clocks}

    @cached_property
    def topics_covered(self) -> frozenset[Topic]:
        groups: tuple[tuple[Duty | Clock | Quota | Procedure, ...], ...] = (
            self.duties, self.clocks, self.quotas, self.procedures)
        return frozenset(f.topic for g in groups for f in g)

    @property
    def issued_or_published(self) -> dt.date | None:
        return self.dates.issued or self.dates.published

    @cached_property
    def tree_key(self) -> tuple[object, ...]:
        """Tree order of documents: by jurisdiction (division codes), then date, then id."""
        issued = self.issued_or_published
        return (self.jurisdiction.sort_key, issued.isoformat() if issued else "9999", self.id)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything render and export read, each collection in its one canonical order:
    documents by id, jurisdictions by id, actor types and topics by (order, id), questions by
    their topic's order, then (order, id)."""

    documents: tuple[Document, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    actor_types: tuple[ActorType, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...] = ()

    @cached_property
    def question_by_id(self) -> Mapping[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def questions_by_topic(self) -> Mapping[Topic, tuple[Question, ...]]:
        out: dict[Topic, list[Question]] = {}
        for q in self.questions:
            out.setdefault(q.topic, []).append(q)
        return {t: tuple(qs) for t, qs in out.items()}

    @cached_property
    def document_by_id(self) -> Mapping[str, Document]:
        return {d.id: d for d in self.documents}

    @cached_property
    def jurisdiction_by_id(self) -> Mapping[str, Jurisdiction]:
        return {j.id: j for j in self.jurisdictions}

    @cached_property
    def topic_by_id(self) -> Mapping[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def actor_type_by_id(self) -> Mapping[str, ActorType]:
        return {a.id: a for a in self.actor_types}

    @cached_property
    def documents_by_jurisdiction(self) -> Mapping[Jurisdiction, tuple[Document, ...]]:
        """Jurisdictions that have documents of their own, each with its documents by id."""
        out: dict[Jurisdiction, list[Document]] = {}
        for d in self.documents:
            out.setdefault(d.jurisdiction, []).append(d)
        return {j: tuple(docs) for j, docs in out.items()}
