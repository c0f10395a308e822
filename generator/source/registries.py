"""The registries: jurisdictions, actor types, topics and the codebook's questions, read before
any document.

A registry that cannot be read disables the checks that depend on it; one read with problems
still lends every id written in it, so one bad entry does not make every reference unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel

from generator.diagnostics import Report, SourceLocation, diag, did_you_mean
from generator.source.files import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    display_path,
    inside,
    outside_link,
)
from generator.source.prose import REGISTRY_PROSE, not_chinese
from generator.source.raw import check_unique, every_raw_id, raw_ids, raw_list
from generator.source.schema import (
    ActorTypeRegistry,
    JurisdictionRegistry,
    QuestionRegistry,
    TopicRegistry,
)
from generator.source.typing_pass import parse_file
from generator.source.yaml_loader import LoadedFile, load_file
from generator.vocabulary import AnswerKind

#: Registry key → (file name, model).
REGISTRY_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "jurisdictions": (REGISTRY_NAMES["jurisdictions"], JurisdictionRegistry),
    "actor_types": (REGISTRY_NAMES["actor_types"], ActorTypeRegistry),
    "topics": (REGISTRY_NAMES["topics"], TopicRegistry),
    "questions": (REGISTRY_NAMES["questions"], QuestionRegistry),
}


@dataclass
class Registry:
    """One registry file: its raw ids (None when unreadable) and its typed items when clean."""

    loaded: LoadedFile | None = None
    ids: set[str] | None = None
    items: list[Any] = field(default_factory=list)
    ok: bool = False
    #: Read, but with format problems: references to it get a hint to fix it first.
    faulty: bool = False


def _load(
    path: Path, root: Path, report: Report, *, first_key: str | None = None
) -> LoadedFile | None:
    name = display_path(path)
    if not inside(path, root):
        report.add(outside_link(name))
        return None
    loaded, problems = load_file(path, name, first_key=first_key)
    report.extend(problems)
    return loaded


def load_registries(root: Path, report: Report) -> dict[str, Registry]:
    registries: dict[str, Registry] = {}
    for key, (name, model) in REGISTRY_FILES.items():
        registry = registries[key] = Registry()
        path = root / REGISTRY_DIR / name
        if not path.exists() and not path.is_symlink():
            report.add(diag("missing-registry", SourceLocation(display_path(path)),
                            f"registry file {name} is missing",
                            f"create {REGISTRY_DIR}/{name}; see docs/reference/format.md"))
            continue
        loaded = registry.loaded = _load(path, root, report, first_key=key)
        if loaded is None:
            continue
        check_unique(loaded, key, raw_list(loaded.data, key), report.diagnostics)
        report.extend(not_chinese(loaded, REGISTRY_PROSE))
        parsed = parse_file(loaded, model)
        report.extend(parsed.problems)
        if parsed.model is not None:
            registry.ids = raw_ids(loaded.data, key)
            registry.items = list(getattr(parsed.model, key))
            registry.ok = True
        else:
            # a broken registry must not make every reference to it unknown: the ids written
            # anywhere in it count (an entry under a misspelled key too); none at all means
            # that nothing can be said, as for an unreadable file
            registry.ids = every_raw_id(loaded.data) or None
            registry.faulty = True
    jurisdictions = registries["jurisdictions"]
    if jurisdictions.loaded is not None:
        _check_jurisdiction_tree(jurisdictions.loaded, report)
    _check_question_topics(registries, report)
    return registries


@dataclass(frozen=True)
class QuestionFacts:
    """What checking an answer needs to know of its question: its topic and kind of answer
    (None when the registry entry has a problem of its own)."""

    topic: str | None
    kind: AnswerKind | None


@dataclass(frozen=True)
class KnownIds:
    """The registry ids a document is checked against (None: that registry is unreadable)."""

    actor_types: frozenset[str] | None
    topics: frozenset[str] | None
    jurisdictions: frozenset[str] | None
    #: Registries (keys of ``REGISTRY_FILES``) read with format problems.
    faulty: frozenset[str] = frozenset()
    #: Codebook questions by id.
    questions: Mapping[str, QuestionFacts] | None = None

    def canonical(self) -> str:
        """The ids as one text (what a cached check of a document depends on)."""
        questions = "\1unreadable" if self.questions is None else "\0".join(
            f"{qid}:{q.topic}:{q.kind}" for qid, q in sorted(self.questions.items()))
        return "\2".join([*(
            "\0".join(sorted(ids)) if ids is not None else "\1unreadable"
            for ids in (self.actor_types, self.topics, self.jurisdictions)
        ), "\0".join(sorted(self.faulty)), questions])


def known_ids(registries: dict[str, Registry]) -> KnownIds:
    """What the documents are checked against."""
    return KnownIds(
        _frozen(registries["actor_types"].ids), _frozen(registries["topics"].ids),
        _frozen(registries["jurisdictions"].ids),
        frozenset(key for key, registry in registries.items() if registry.faulty),
        _questions(registries["questions"]),
    )


def _questions(registry: Registry) -> dict[str, QuestionFacts] | None:
    """Each question's topic and kind: typed when the registry is clean, else read from the raw
    entries (so that one bad entry does not make every answer unknown)."""
    if registry.ids is None:
        return None
    if registry.ok:
        return {q.id: QuestionFacts(q.topic, q.kind) for q in registry.items}
    found = {qid: QuestionFacts(None, None) for qid in registry.ids}
    data = registry.loaded.data if registry.loaded is not None else None
    for entry in raw_list(data, "questions"):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            topic, kind = entry.get("topic"), entry.get("kind")
            found[entry["id"]] = QuestionFacts(
                topic if isinstance(topic, str) else None,
                AnswerKind(kind) if kind in set(AnswerKind) else None)
    return found


def _check_question_topics(registries: dict[str, Registry], report: Report) -> None:
    """Every question belongs to a known topic (when both registries could be read)."""
    questions, topics = registries["questions"], registries["topics"]
    if questions.loaded is None or topics.ids is None:
        return
    known = sorted(topics.ids)
    for i, entry in enumerate(raw_list(questions.loaded.data, "questions")):
        topic = entry.get("topic") if isinstance(entry, dict) else None
        if isinstance(topic, str) and topic not in topics.ids:
            hint = (f"{REGISTRY_DIR}/{REGISTRY_NAMES['topics']} has problems (reported with it); "
                    "fix them first" if topics.faulty else "known topics: " + ", ".join(known))
            report.add(diag("unknown-reference",
                            questions.loaded.locate(("questions", i, "topic")),
                            f"unknown topic {topic!r}", did_you_mean(topic, known) + hint))


def _frozen(ids: set[str] | None) -> frozenset[str] | None:
    return frozenset(ids) if ids is not None else None


def _check_jurisdiction_tree(loaded: LoadedFile, report: Report) -> None:
    """Unknown parents and cycles, on the raw registry (each cycle reported once)."""
    items = [
        (i, j["id"], j.get("parent")) for i, j in enumerate(raw_list(loaded.data, "jurisdictions"))
        if isinstance(j, dict) and isinstance(j.get("id"), str)
    ]
    parent_of = {jid: parent for _, jid, parent in items if isinstance(parent, str)}
    index_of: dict[str, int] = {}
    for i, jid, _ in items:
        index_of.setdefault(jid, i)
    for i, _jid, parent in items:
        if isinstance(parent, str) and parent not in index_of:
            report.add(diag("unknown-reference", loaded.locate(("jurisdictions", i, "parent")),
                            f"unknown jurisdiction {parent!r}",
                            did_you_mean(parent, sorted(index_of))
                            + "define the parent jurisdiction first"))
    tree = nx.DiGraph((jid, parent) for jid, parent in parent_of.items() if parent in index_of)
    # a child has one parent, so the cycles never share a node: each is reported once
    for cycle in nx.simple_cycles(tree):
        first = min(cycle, key=lambda c: index_of[c])
        start = cycle.index(first)
        ordered = [*cycle[start:], *cycle[:start], first]
        message = (f"jurisdiction {first!r} is its own parent" if len(cycle) == 1
                   else "parent chain loops: " + " → ".join(ordered))
        report.add(diag("jurisdiction-cycle",
                        loaded.locate(("jurisdictions", index_of[first], "parent")),
                        message, "every chain of parents must end at a jurisdiction with "
                        "parent: null"))
