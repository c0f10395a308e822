"""What the source stage hands over: the validated specs of every file, nothing resolved yet."""

from __future__ import annotations

from dataclasses import dataclass

from generator.source.schema import ActorType, Document, Jurisdiction, Question, Topic


@dataclass(frozen=True)
class CheckedDocument:
    """One document as checked: the validated spec and the file it was read from."""

    spec: Document
    path: str

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class CheckedPolicies:
    """A clean policies folder: its documents and registries as read (in no special order;
    the model stage orders everything)."""

    documents: tuple[CheckedDocument, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    actor_types: tuple[ActorType, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]

    @property
    def document_by_id(self) -> dict[str, CheckedDocument]:
        return {d.id: d for d in self.documents}
