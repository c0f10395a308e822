"""The domain model: validated specs assembled into one immutable knowledge base.

Render code reads only this module's types.  References are resolved here once (actor → actor
type, citation → document, jurisdiction → parent chain) so templates never look anything up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from generator.schema import (
    Actor,
    ActorType,
    Clock,
    Document,
    Jurisdiction,
    Procedure,
    Provision,
    Topic,
)


def walk_provisions(provisions: list[Provision]) -> Iterator[tuple[int, Provision]]:
    """Depth-first (depth, provision) pairs in document order."""
    stack = [(0, p) for p in reversed(provisions)]
    while stack:
        depth, node = stack.pop()
        yield depth, node
        stack.extend((depth + 1, c) for c in reversed(node.children))


@dataclass(frozen=True)
class PolicyDocument:
    """A document with its source path and lookup tables over its own facts."""

    spec: Document
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def provisions(self) -> dict[str, Provision]:
        return {p.id: p for _, p in walk_provisions(self.spec.provisions)}

    @cached_property
    def actors(self) -> dict[str, Actor]:
        return {a.id: a for a in self.spec.actors}

    @cached_property
    def clocks(self) -> dict[str, Clock]:
        return {c.id: c for c in self.spec.clocks}

    @cached_property
    def procedures(self) -> dict[str, Procedure]:
        return {p.id: p for p in self.spec.procedures}

    @cached_property
    def topics_covered(self) -> frozenset[str]:
        s = self.spec
        groups = (s.duties, s.clocks, s.quotas, s.procedures)
        return frozenset(f.topic for g in groups for f in g)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the renderer needs, sorted by id so output never depends on input order."""

    documents: tuple[PolicyDocument, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    actor_types: tuple[ActorType, ...]
    topics: tuple[Topic, ...]

    @cached_property
    def document_by_id(self) -> dict[str, PolicyDocument]:
        return {d.id: d for d in self.documents}

    @cached_property
    def jurisdiction_by_id(self) -> dict[str, Jurisdiction]:
        return {j.id: j for j in self.jurisdictions}

    @cached_property
    def actor_type_by_id(self) -> dict[str, ActorType]:
        return {a.id: a for a in self.actor_types}

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    def parent_chain(self, jurisdiction_id: str) -> list[Jurisdiction]:
        """From the root down to the jurisdiction itself (a parent walk, O(depth))."""
        chain: list[Jurisdiction] = []
        seen: set[str] = set()
        current: str | None = jurisdiction_id
        while current is not None and current not in seen:
            seen.add(current)
            j = self.jurisdiction_by_id[current]
            chain.append(j)
            current = j.parent
        return list(reversed(chain))

    @cached_property
    def documents_by_jurisdiction(self) -> dict[str, list[PolicyDocument]]:
        out: dict[str, list[PolicyDocument]] = {}
        for d in self.documents:
            out.setdefault(d.spec.jurisdiction, []).append(d)
        return out


def assemble(
    documents: list[PolicyDocument],
    jurisdictions: list[Jurisdiction],
    actor_types: list[ActorType],
    topics: list[Topic],
) -> KnowledgeBase:
    """Sort everything into a canonical order; validation has already run."""
    return KnowledgeBase(
        documents=tuple(sorted(documents, key=lambda d: d.id)),
        jurisdictions=tuple(sorted(jurisdictions, key=lambda j: j.id)),
        actor_types=tuple(sorted(actor_types, key=lambda a: (a.order, a.id))),
        topics=tuple(sorted(topics, key=lambda t: (t.order, t.id))),
    )
