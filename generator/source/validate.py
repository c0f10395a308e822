"""Validate stage: every problem in the knowledge base at once, each with file:line:column.

Three passes, none of which stops at the first problem:

1. the format — every typed scalar is checked against its canonical spelling (``010``, ``NO``,
   ``1612137600`` are refused rather than read as 10, false and a date), then pydantic errors
   are translated into our stable codes and mapped back to the YAML position of the offending
   key or value;
2. identity — ids unique per collection and per knowledge base (case-insensitive, NFKC),
   checked on the raw data so that an item with another problem still takes part;
3. references and content — every reference resolves, every quote is verbatim in its provision,
   every procedure is a connected flow, dates are in order, the jurisdiction tree has no cycle.

A file with a format problem is still cross-checked: its valid items (duties, clocks, …) are
checked and the reference targets come from the raw data, so fixing one typo does not reveal a
second wave of problems.  A registry that cannot be read disables the checks that depend on it
instead of reporting every reference to it as unknown.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from generator.chinese.script import traditional_characters
from generator.diagnostics import Diagnostic, SourceLocation, diag, did_you_mean
from generator.source.answers import AnswerChecks
from generator.source.checked import CheckedDocument
from generator.source.date_rules import DatedField
from generator.source.files import REGISTRY_DIR, REGISTRY_NAMES, display_path
from generator.source.prose import DOCUMENT_PROSE, not_chinese
from generator.source.quotes import ProvisionTexts
from generator.source.raw import (
    check_unique,
    edge_key,
    fold_id,
    raw_ids,
    raw_list,
    raw_text,
    walk_raw_provisions,
)
from generator.source.registries import KnownIds, QuestionFacts
from generator.source.schema import (
    MAX_EDGE_CONDITION,
    MAX_PROCEDURE_STEPS,
    MAX_STEP_LABEL,
    Document,
    Limit,
    Procedure,
)
from generator.source.typing_pass import parse_file, partial_document
from generator.source.yaml_loader import LoadedFile, NodePath, load_text
from generator.vocabulary import Script, StepKind

#: The registry (key of ``REGISTRY_NAMES``) that defines each kind of reference.
_REGISTRY_OF = {"jurisdiction": "jurisdictions", "actor type": "actor_types", "topic": "topics",
                "question": "questions"}


@dataclass
class _Checker:
    """Reference and content checks for one document; appends to ``found``.

    A known-id set that is None means its registry could not be read: those checks are skipped.
    """

    loaded: LoadedFile
    doc: Document
    actor_types: set[str] | None
    topics: set[str] | None
    jurisdictions: set[str] | None
    found: list[Diagnostic]
    positions: dict[str, list[int]] = field(default_factory=dict)
    #: Registries read with problems: an unknown reference to one says to fix it first.
    faulty: frozenset[str] = frozenset()
    #: Codebook questions (None: the registry could not be read).
    questions: Mapping[str, QuestionFacts] | None = None

    def at(self, *path: str | int) -> SourceLocation:
        return self.loaded.locate(path)

    def items(self, name: str) -> list[tuple[int, Any]]:
        """(index in the file, item) for the valid items of a top-level list."""
        values: list[Any] = getattr(self.doc, name) or []
        index = self.positions.get(name, list(range(len(values))))
        return list(zip(index, values, strict=True))

    def unknown(self, path: NodePath, kind: str, value: str, known: Iterable[str]) -> None:
        options = sorted(known)
        shown = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
        hint = f"known {kind}s: {shown}" if options else f"define the {kind} first"
        registry = _REGISTRY_OF.get(kind)
        if registry in self.faulty:
            hint = (f"{REGISTRY_DIR}/{REGISTRY_NAMES[registry]} has problems (reported "
                    "with it); fix them first")
        hint = did_you_mean(value, options) + hint
        self.found.append(
            diag("unknown-reference", self.loaded.locate(path), f"unknown {kind} {value!r}", hint)
        )

    def run(self) -> None:
        doc, data = self.doc, self.loaded.data
        provisions = ProvisionTexts(
            (node["id"], raw_text(node, "heading"), raw_text(node, "text"))
            for _, node in walk_raw_provisions(data) if isinstance(node.get("id"), str)
        )
        actors = raw_ids(data, "actors")
        clocks = {c["id"]: len(raw_list(c, "variants")) for c in raw_list(data, "clocks")
                  if isinstance(c, dict) and isinstance(c.get("id"), str)}

        self._unique_provisions()
        for name in ("actors", "duties", "clocks", "quotas", "procedures", "citations"):
            check_unique(self.loaded, name, raw_list(data, name), self.found)
        for i, procedure in enumerate(raw_list(data, "procedures")):
            check_unique(self.loaded, "steps", raw_list(procedure, "steps"), self.found,
                         ("procedures", i))
        self._empty_provisions()
        self._repeated_entries()

        if self.jurisdictions is not None:
            if doc.jurisdiction is not None and doc.jurisdiction not in self.jurisdictions:
                self.unknown(("jurisdiction",), "jurisdiction", doc.jurisdiction,
                             self.jurisdictions)
            for i, issuer in self.items("issuers"):
                if issuer.jurisdiction and issuer.jurisdiction not in self.jurisdictions:
                    self.unknown(("issuers", i, "jurisdiction"), "jurisdiction",
                                 issuer.jurisdiction, self.jurisdictions)
        if self.actor_types is not None:
            for i, actor in self.items("actors"):
                if actor.type not in self.actor_types:
                    self.unknown(("actors", i, "type"), "actor type", actor.type,
                                 self.actor_types)

        def quote(path: NodePath, provision: str, text: str) -> None:
            if provision not in provisions:
                self.unknown((*path, "provision"), "provision", provision, provisions.ids())
            elif (problem := provisions.problem(provision, text)) is not None:
                self.found.append(diag(problem.name, self.loaded.locate((*path, "quote")),
                                       problem.message, problem.hint))

        def refs(path: NodePath, field_name: str, values: list[str]) -> None:
            for j, value in enumerate(values):
                if value not in actors:
                    self.unknown((*path, field_name, j), "actor", value, actors)

        def topic(path: NodePath, value: str) -> None:
            if self.topics is not None and value not in self.topics:
                self.unknown((*path, "topic"), "topic", value, self.topics)

        for i, duty in self.items("duties"):
            path: NodePath = ("duties", i)
            refs(path, "actors", duty.actors)
            topic(path, duty.topic)
            quote(path, duty.provision, duty.quote)
        for i, clock in self.items("clocks"):
            path = ("clocks", i)
            refs(path, "actors", clock.actors)
            refs(path, "recipient", clock.recipient)
            topic(path, clock.topic)
            quote(path, clock.provision, clock.quote)
            for j, variant in enumerate(clock.variants):
                quote((*path, "variants", j), variant.provision or clock.provision, variant.quote)
            if clock.extension is not None:
                ext = clock.extension
                quote((*path, "extension"), ext.provision or clock.provision, ext.quote)
        for i, quota in self.items("quotas"):
            path = ("quotas", i)
            refs(path, "actors", quota.actors)
            topic(path, quota.topic)
            quote(path, quota.provision, quota.quote)
        for i, citation in self.items("citations"):
            quote(("citations", i), citation.provision, citation.quote)
        for i, procedure in self.items("procedures"):
            path = ("procedures", i)
            topic(path, procedure.topic)
            refs(path, "lanes", procedure.lanes)
            for j, step in enumerate(procedure.steps):
                quote((*path, "steps", j), step.provision, step.quote)
                if step.actor not in procedure.lanes:
                    self.found.append(
                        diag(
                            "lane-mismatch",
                            self.loaded.locate((*path, "steps", j, "actor")),
                            f"step {step.id!r} is in lane {step.actor!r}, which is not one of "
                            f"the procedure's lanes",
                            f"add {step.actor!r} to lanes or move the step: "
                            f"{', '.join(procedure.lanes)}",
                        )
                    )
            self._procedure_shape(path, procedure, clocks)

        AnswerChecks(self.loaded, self.items, self.questions, provisions, self.found,
                     self.unknown, self.topics).run()
        self.found.extend(not_chinese(self.loaded, DOCUMENT_PROSE))
        self._date_order()
        if doc.script is Script.SIMPLIFIED:
            self._traditional_warnings()

    def _date_order(self) -> None:
        dates, source = self.doc.dates, self.doc.source
        if dates is None:
            return
        if dates.issued and dates.published and dates.published < dates.issued:
            self.found.append(
                diag("date-order", self.at("dates", "published"),
                     f"published {dates.published} before issued {dates.issued}",
                     "check both dates against the source text")
            )
        earliest = min((d for d in (dates.issued, dates.published) if d), default=None)
        for name, what in (("retrieved", "retrieval"), ("verified", "verification")):
            day = getattr(source, name, None) if source is not None else None
            if day and earliest and day < earliest:
                self.found.append(
                    diag("date-order", self.at("source", name),
                         f"{name} {day} before the document existed ({earliest})",
                         f"check the {what} date and the document's dates")
                )

    def _unique_provisions(self) -> None:
        """Provision ids are anchors on one page: unique across the whole tree."""
        seen: dict[str, SourceLocation] = {}
        for path, node in walk_raw_provisions(self.loaded.data):
            value = node.get("id")
            if not isinstance(value, str):
                continue
            key = fold_id(value)
            here = self.loaded.locate((*path, "id"))
            if key in seen:
                self.found.append(
                    diag("duplicate-id", here,
                         f"duplicate provision id {value!r} (first defined at line "
                         f"{seen[key].line})", "provision ids are page anchors; make them unique")
                )
            else:
                seen[key] = here

    def _repeated(
        self, path: NodePath, values: list[Any], what: Callable[[Any], str | None], hint: str
    ) -> None:
        """Report each entry of ``values`` whose key (``what``; None: skip) came before."""
        first: dict[str, int] = {}
        for j, value in enumerate(values):
            key = what(value)
            if key is None:
                continue
            if key not in first:
                first[key] = j
                continue
            here = self.loaded.locate((*path, j))
            there = self.loaded.locate((*path, first[key]))
            since = (f"column {there.column}" if there.line == here.line
                     else f"line {there.line}")
            self.found.append(diag("duplicate-entry", here,
                                   f"{key} listed twice (first at {since})", hint))

    def _repeated_entries(self) -> None:
        """Lanes, actors, edges and variants given twice: drawn twice, counted twice."""
        data = self.loaded.data

        def text(prefix: str) -> Callable[[Any], str | None]:
            return lambda v: f"{prefix} {v!r}" if isinstance(v, str) else None

        for name in ("duties", "clocks", "quotas"):
            for i, fact in enumerate(raw_list(data, name)):
                for field_name, what in (("actors", "actor"), ("recipient", "recipient")):
                    self._repeated((name, i, field_name), raw_list(fact, field_name),
                                   text(what), "list each actor once")
        for i, clock in enumerate(raw_list(data, "clocks")):
            self._repeated(
                ("clocks", i, "variants"), raw_list(clock, "variants"),
                lambda v: (f"variant {v['when']!r}"
                           if isinstance(v, dict) and isinstance(v.get("when"), str) else None),
                "give each condition once: merge the two variants or correct one 'when'",
            )
        for i, procedure in enumerate(raw_list(data, "procedures")):
            path: NodePath = ("procedures", i)
            self._repeated((*path, "lanes"), raw_list(procedure, "lanes"), text("lane"),
                           "list each lane once; a second one draws an empty swimlane")
            self._repeated((*path, "edges"), raw_list(procedure, "edges"), edge_key,
                           "delete one; the same edge would be drawn twice")
            self._chart_limits(path, procedure)

    def _chart_limits(self, path: NodePath, procedure: dict[str, Any]) -> None:
        """Sizes Graphviz can draw legibly, in seconds (on the raw data: every step counts)."""
        steps = raw_list(procedure, "steps")
        if len(steps) > MAX_PROCEDURE_STEPS:
            self.found.append(diag(
                "chart-limit", self.loaded.locate((*path, "steps", MAX_PROCEDURE_STEPS)),
                f"procedure has {len(steps)} steps; at most {MAX_PROCEDURE_STEPS} (this is step "
                f"{MAX_PROCEDURE_STEPS + 1})",
                "split the process into several procedures, e.g. one per stage; a chart this "
                "size takes Graphviz minutes and cannot be read",
            ))
        for j, step in enumerate(steps):
            label = step.get("label") if isinstance(step, dict) else None
            if isinstance(label, str) and len(label.strip()) > MAX_STEP_LABEL:
                self.found.append(diag(
                    "chart-limit", self.loaded.locate((*path, "steps", j, "label")),
                    f"step label is {len(label.strip())} characters; at most {MAX_STEP_LABEL}",
                    "shorten the label to the action itself; the quote carries the detail",
                ))
        for k, edge in enumerate(raw_list(procedure, "edges")):
            condition = edge.get("condition") if isinstance(edge, dict) else None
            if isinstance(condition, str) and len(condition.strip()) > MAX_EDGE_CONDITION:
                self.found.append(diag(
                    "chart-limit", self.loaded.locate((*path, "edges", k, "condition")),
                    f"edge condition is {len(condition.strip())} characters; at most "
                    f"{MAX_EDGE_CONDITION}",
                    "shorten the condition to its core (情况紧急, 是, 否); the step's quote "
                    "carries the detail",
                ))

    def dated_fields(self) -> list[DatedField]:
        """Every date of the document with its place, for the plausibility rules."""
        found: list[DatedField] = []
        dates, source = self.doc.dates, self.doc.source
        named = [("dates", name, getattr(dates, name, None))
                 for name in ("issued", "published", "effective")]
        named += [("source", name, getattr(source, name, None))
                  for name in ("retrieved", "verified")]
        for parent, name, value in named:
            if value is not None:
                found.append(DatedField(self.at(parent, name), name, value, value.isoformat()))
        for i, clock in self.items("clocks"):
            limits: list[tuple[NodePath, Limit | None]] = [(("clocks", i, "limit"), clock.limit)]
            limits += [(("clocks", i, "variants", j, "limit"), v.limit)
                       for j, v in enumerate(clock.variants)]
            if clock.extension is not None:
                limits.append((("clocks", i, "extension", "max"), clock.extension.max))
            for path, limit in limits:
                if limit is not None and limit.date is not None:
                    year, month, *day = (int(part) for part in limit.date.split("-"))
                    found.append(DatedField(self.loaded.locate((*path, "date")), "deadline",
                                            dt.date(year, month, day[0] if day else 1),
                                            limit.date))
        return found

    def _empty_provisions(self) -> None:
        """A heading or text made of whitespace only renders as an empty paragraph."""
        for path, node in walk_raw_provisions(self.loaded.data):
            for key in ("heading", "text"):
                value = node.get(key)
                if isinstance(value, str) and not value.strip():
                    name = node.get("id") if isinstance(node.get("id"), str) else "?"
                    self.found.append(
                        diag("empty-provision", self.loaded.locate((*path, key)),
                             f"provision {name!r} has a blank {key}",
                             f"write the {key} or remove the key")
                    )

    def _procedure_shape(
        self, path: NodePath, procedure: Procedure, clocks: dict[str, int]
    ) -> None:
        steps = {s.id: (j, s) for j, s in enumerate(procedure.steps)}
        outgoing: dict[str, list[str]] = {s: [] for s in steps}
        for k, edge in enumerate(procedure.edges):
            epath = (*path, "edges", k)
            for end, field_name in ((edge.source, "from"), (edge.target, "to")):
                if end not in steps:
                    self.unknown((*epath, field_name), "step", end, steps)
            if edge.source in steps and edge.target in steps:
                outgoing[edge.source].append(edge.target)
            if edge.clock is not None:
                variants = clocks.get(edge.clock)
                if variants is None:
                    self.unknown((*epath, "clock"), "clock", edge.clock, clocks)
                elif edge.variant is not None and edge.variant >= variants:
                    self.found.append(
                        diag("unknown-reference", self.loaded.locate((*epath, "variant")),
                             f"clock {edge.clock!r} has no variant {edge.variant} "
                             f"(it has {variants})",
                             "variants are numbered from 0 in the clock's list")
                    )
            elif edge.variant is not None:
                self.found.append(
                    diag("unknown-reference", self.loaded.locate((*epath, "variant")),
                         "variant given without a clock", "name the clock the variant belongs to")
                )
        starts = [s for s in procedure.steps if s.kind is StepKind.START]
        ends = [s for s in procedure.steps if s.kind is StepKind.END]
        if len(starts) != 1:
            self.found.append(
                diag("procedure-shape", self.loaded.locate((*path, "steps")),
                     f"procedure {procedure.id!r} has {len(starts)} start steps; it needs one",
                     "mark exactly one step with kind: start")
            )
        if not ends:
            self.found.append(
                diag("procedure-shape", self.loaded.locate((*path, "steps")),
                     f"procedure {procedure.id!r} has no end step",
                     "mark the final step(s) with kind: end")
            )
        if len(starts) == 1:
            flow = nx.DiGraph((a, b) for a, targets in outgoing.items() for b in targets)
            flow.add_nodes_from(outgoing)
            reached = {starts[0].id, *nx.descendants(flow, starts[0].id)}
            for sid, (j, _step) in sorted(steps.items(), key=lambda kv: kv[1][0]):
                if sid not in reached:
                    self.found.append(
                        diag("procedure-shape", self.loaded.locate((*path, "steps", j, "id")),
                             f"step {sid!r} cannot be reached from the start step",
                             "add an edge leading to it, or remove it")
                    )
        for k, edge in enumerate(procedure.edges):
            if edge.source in steps and steps[edge.source][1].kind is StepKind.END:
                self.found.append(
                    diag("procedure-shape", self.loaded.locate((*path, "edges", k, "from")),
                         f"edge leaves end step {edge.source!r}",
                         "an end step ends the flow: remove the edge, or make the step "
                         "kind: task")
                )
        for sid, (j, step) in sorted(steps.items(), key=lambda kv: kv[1][0]):
            if step.kind is not StepKind.END and not outgoing[sid]:
                self.found.append(
                    diag("procedure-shape", self.loaded.locate((*path, "steps", j, "id")),
                         f"step {sid!r} is a dead end: no edge leaves it",
                         "add an edge from it, or mark it kind: end")
                )

    def _traditional_warnings(self) -> None:
        fields: list[NodePath] = [("title",), ("notice_title",)]
        for path in fields:
            value = self.loaded.data.get(path[0]) if isinstance(self.loaded.data, dict) else None
            if isinstance(value, str):
                chars = traditional_characters(value)
                if chars:
                    self.found.append(
                        diag("traditional-in-simplified", self.loaded.locate(path),
                             f"traditional characters {' '.join(chars)}",
                             "the document is declared script: simplified; convert the text or "
                             "declare script: traditional")
                    )


@dataclass
class DocumentCheck:
    """Everything checking one document file yields; picklable, so cached and computed anywhere.

    Positions (``LoadedFile``) are not kept: memory stays flat for thousands of documents.
    """

    diagnostics: list[Diagnostic]
    document: CheckedDocument | None = None
    raw_id: tuple[str, SourceLocation] | None = None
    cited: list[tuple[SourceLocation, str]] = field(default_factory=list)
    #: The document's dates, judged against today outside the cache (``date_rules``).
    dates: list[DatedField] = field(default_factory=list)


def check_document_text(job: tuple[str, bytes, KnownIds]) -> DocumentCheck:
    """Load, type and check one document file given as (display name, bytes, registry ids).

    A pure function of its argument (see ``generator.runtime.workers.cached_map``).
    """
    name, raw, known = job
    loaded, problems = load_text(name, raw)
    result = DocumentCheck(problems)
    if loaded is None:
        return result
    parsed = parse_file(loaded, Document)
    result.diagnostics.extend(parsed.problems)
    if parsed.model is not None:
        doc, positions = parsed.model, dict[str, list[int]]()
        result.document = CheckedDocument(doc, loaded.path)
    else:
        doc, positions = partial_document(loaded, parsed.bad_paths)
    checker = _Checker(loaded, doc, _mutable(known.actor_types), _mutable(known.topics),
                       _mutable(known.jurisdictions), result.diagnostics, positions,
                       known.faulty, known.questions)
    checker.run()
    result.dates = checker.dated_fields()
    raw_id = loaded.data.get("id")
    if isinstance(raw_id, str):
        result.raw_id = (raw_id, loaded.locate(("id",)))
    result.cited = [(loaded.locate(("citations", i, "document")), citation.document)
                    for i, citation in checker.items("citations")
                    if citation.document is not None]
    return result


def _mutable(ids: frozenset[str] | None) -> set[str] | None:
    return set(ids) if ids is not None else None


def cross_check(checks: list[DocumentCheck]) -> list[Diagnostic]:
    """What only the documents together can show: document ids used twice (checked on the raw
    id, so that 'Policy-A' (invalid) still collides with 'policy-a'; reported in every file
    involved) and citations of documents that do not exist."""
    found: list[Diagnostic] = []
    by_key: dict[str, list[SourceLocation]] = {}
    ids = [c.raw_id for c in checks if c.raw_id is not None]
    for raw_id, where in ids:
        by_key.setdefault(fold_id(raw_id), []).append(where)
    for key, places in by_key.items():
        if len(places) > 1:
            listed = ", ".join(str(p) for p in places)
            found.extend(diag("duplicate-id", where, f"duplicate document id {key!r}: {listed}",
                              "every document needs its own id; ids are compared ignoring "
                              "case and width") for where in places)
    doc_ids = sorted({raw_id for raw_id, _ in ids})
    known_documents = set(doc_ids)
    for where, target in (entry for c in checks for entry in c.cited):
        if target not in known_documents:
            shown = ", ".join(doc_ids[:12]) + (" …" if len(doc_ids) > 12 else "")
            hint = f"known documents: {shown}" if doc_ids else "define the document first"
            found.append(diag("unknown-reference", where, f"unknown document {target!r}",
                              did_you_mean(target, doc_ids) + hint))
    return found


def only_these(found: list[Diagnostic], folder: Path, only: list[Path]) -> list[Diagnostic]:
    """Drop diagnostics about document files outside ``only`` (registry problems always stay)."""
    entries = ({display_path(p): Path(os.path.realpath(p)) for p in folder.iterdir()}
               if folder.is_dir() else {})
    chosen = [Path(os.path.realpath(p)) for p in only]

    def wanted(real: Path) -> bool:
        return any(real == c or c in real.parents for c in chosen)

    return [d for d in found if d.location.path not in entries or wanted(entries[d.location.path])]


