"""Validate stage: every problem in the knowledge base at once, each with file:line:column.

Three passes, none of which stops at the first problem:

1. the format — pydantic errors translated into our stable codes and mapped back to the YAML
   position of the offending key or value;
2. identity — ids unique per collection and per knowledge base (case-insensitive, NFKC);
3. references and content — every reference resolves, every quote is verbatim in its provision,
   every procedure is a connected flow, dates are in order, the jurisdiction tree has no cycle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Report, SourceLocation, diag
from generator.load import LoadedFile, NodePath, load_file
from generator.model import KnowledgeBase, PolicyDocument, assemble, walk_provisions
from generator.schema import (
    ActorTypeRegistry,
    Document,
    JurisdictionRegistry,
    Script,
    StepKind,
    TopicRegistry,
)
from generator.script import traditional_characters

REGISTRY_DIR = "registries"
DOCUMENT_DIR = "documents"
REGISTRY_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "jurisdictions": ("jurisdictions.yaml", JurisdictionRegistry),
    "actor_types": ("actor-types.yaml", ActorTypeRegistry),
    "topics": ("topics.yaml", TopicRegistry),
}

M = TypeVar("M", bound=BaseModel)


def display_path(path: Path) -> str:
    """Path as the user would type it: relative to the working directory when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- pass 1: the format ------------------------------------------------------------------------


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names (aliases) of the model that ``loc`` points into, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            by_alias = {f.alias: f for f in getattr(current, "model_fields", {}).values()}
            field = by_alias.get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if current is None or not hasattr(current, "model_fields"):
        return []
    return sorted(f.alias or name for name, f in current.model_fields.items())


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(getattr(item, "__args__", ()))
    return None


def _data_path(loaded: LoadedFile, loc: tuple[Any, ...]) -> NodePath:
    """Drop pydantic's union-branch and validator names that are not keys in the data."""
    node: Any = loaded.data
    out: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not out[-1:] == [part]:
            # a missing field or an unknown one: keep the name, the location is its parent's
            out.append(part)
            break
    return tuple(out)


def translate_errors(
    loaded: LoadedFile, model: type[BaseModel], error: ValidationError
) -> list[Diagnostic]:
    """Pydantic errors → diagnostics with our codes, messages and positions."""
    found: list[Diagnostic] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = _data_path(loaded, loc)
        kind = item["type"]
        message = str(item["msg"]).removeprefix("Value error, ")
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        where = ".".join(str(p) for p in path) or "top level"
        if kind == "extra_forbidden":
            name = str(loc[-1])
            location = loaded.locate(path, key=True)
            invisible = [c for c in name if unicodedata.category(c) in {"Cf", "Cc"}]
            allowed = _allowed_fields(model, loc[:-1])
            hint = f"allowed here: {', '.join(allowed)}" if allowed else "remove the key"
            extra = ""
            if invisible:
                extra = f"; it contains U+{ord(invisible[0]):04X} {unicodedata.name(invisible[0])}"
            found.append(diag("unknown-field", location, f"unknown field {name!r}{extra}", hint))
            continue
        present = path in loaded.values
        location = loaded.locate(path, key=not present)
        value = item.get("input")
        if kind == "missing" or (value is None and kind.endswith("_type")):
            found.append(
                diag(
                    "missing-field",
                    location,
                    f"field {field_name!r} is required",
                    f"give {where} a value (write null only where the format allows it)",
                )
            )
        elif kind.startswith("date_") or "invalid date" in message:
            shown = value if isinstance(value, str) else ""
            found.append(
                diag(
                    "invalid-date",
                    location,
                    f"invalid date {shown!r}" if shown else message,
                    "write an existing date as YYYY-MM-DD, or null when the text states none",
                )
            )
        elif "invalid id" in message:
            found.append(
                diag(
                    "invalid-id",
                    location,
                    message,
                    "ids become file names and anchors: e.g. jinhu-2021-coordination",
                )
            )
        elif "URL scheme" in message:
            found.append(diag("url-scheme", location, message, "only http(s) links are kept"))
        else:
            shown = f" (got {value!r})" if isinstance(value, str) and len(value) < 60 else ""
            found.append(diag("invalid-value", location, f"{where}: {message}{shown}"))
    return found


def parse_model(loaded: LoadedFile, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, translate_errors(loaded, model, exc)


# --- pass 2 and 3 helpers ----------------------------------------------------------------------


def fold_id(value: str) -> str:
    """Key under which two ids count as the same (case and Unicode form ignored)."""
    return unicodedata.normalize("NFKC", value).casefold()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_unique(
    loaded: LoadedFile,
    collection: str,
    items: Iterable[Any],
    found: list[Diagnostic],
    base: NodePath = (),
) -> None:
    """Report items of ``collection`` whose ids collide once case and width are folded."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        key = fold_id(item.id)
        if key in first:
            line = loaded.locate((*base, collection, first[key], "id")).line
            found.append(
                diag(
                    "duplicate-id",
                    loaded.locate((*base, collection, index, "id")),
                    f"duplicate {collection} id {item.id!r} (first defined at line {line})",
                    "ids must differ even when case and width are ignored",
                )
            )
        else:
            first[key] = index


@dataclass
class _Checker:
    """Reference and content checks for one document; appends to ``found``."""

    loaded: LoadedFile
    doc: Document
    actor_types: set[str]
    topics: set[str]
    jurisdictions: set[str]
    found: list[Diagnostic]

    def at(self, *path: str | int) -> SourceLocation:
        return self.loaded.locate(path)

    def unknown(self, path: NodePath, kind: str, value: str, known: Iterable[str]) -> None:
        options = sorted(known)
        shown = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
        self.found.append(
            diag(
                "unknown-reference",
                self.loaded.locate(path),
                f"unknown {kind} {value!r}",
                f"known {kind}s: {shown}" if options else f"define the {kind} first",
            )
        )

    def unique(self, collection: str, items: Iterable[Any], base: NodePath = ()) -> None:
        check_unique(self.loaded, collection, items, self.found, base)

    def run(self) -> None:
        doc = self.doc
        provisions = {p.id: squash((p.heading or "") + (p.text or ""))
                      for _, p in walk_provisions(doc.provisions)}
        actors = {a.id for a in doc.actors}
        clocks = {c.id: c for c in doc.clocks}

        self._unique_provisions()
        for name in ("actors", "duties", "clocks", "quotas", "procedures", "citations"):
            self.unique(name, getattr(doc, name))

        if doc.jurisdiction not in self.jurisdictions:
            self.unknown(("jurisdiction",), "jurisdiction", doc.jurisdiction, self.jurisdictions)
        for i, issuer in enumerate(doc.issuers):
            if issuer.jurisdiction and issuer.jurisdiction not in self.jurisdictions:
                self.unknown(("issuers", i, "jurisdiction"), "jurisdiction",
                             issuer.jurisdiction, self.jurisdictions)
        for i, actor in enumerate(doc.actors):
            if actor.type not in self.actor_types:
                self.unknown(("actors", i, "type"), "actor type", actor.type, self.actor_types)

        def quote(path: NodePath, provision: str, text: str) -> None:
            if provision not in provisions:
                self.unknown((*path, "provision"), "provision", provision, provisions)
            elif squash(text) not in provisions[provision]:
                self.found.append(
                    diag(
                        "quote-not-found",
                        self.loaded.locate((*path, "quote")),
                        f"quote not found verbatim in provision {provision!r}: {text[:40]!r}",
                        "copy the excerpt from the provision's text exactly (punctuation "
                        "included; only whitespace is ignored), or name the right provision",
                    )
                )

        def refs(path: NodePath, field: str, values: list[str]) -> None:
            for j, value in enumerate(values):
                if value not in actors:
                    self.unknown((*path, field, j), "actor", value, actors)

        def topic(path: NodePath, value: str) -> None:
            if value not in self.topics:
                self.unknown((*path, "topic"), "topic", value, self.topics)

        for i, duty in enumerate(doc.duties):
            path: NodePath = ("duties", i)
            refs(path, "actors", duty.actors)
            topic(path, duty.topic)
            quote(path, duty.provision, duty.quote)
        for i, clock in enumerate(doc.clocks):
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
        for i, quota in enumerate(doc.quotas):
            path = ("quotas", i)
            refs(path, "actors", quota.actors)
            topic(path, quota.topic)
            quote(path, quota.provision, quota.quote)
        for i, citation in enumerate(doc.citations):
            quote(("citations", i), citation.provision, citation.quote)
        for i, procedure in enumerate(doc.procedures):
            path = ("procedures", i)
            topic(path, procedure.topic)
            refs(path, "lanes", procedure.lanes)
            self.unique("steps", procedure.steps, path)
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

        dates = doc.dates
        if dates.issued and dates.published and dates.published < dates.issued:
            self.found.append(
                diag("date-order", self.at("dates", "published"),
                     f"published {dates.published} before issued {dates.issued}",
                     "check both dates against the source text")
            )
        if doc.script is Script.SIMPLIFIED:
            self._traditional_warnings()

    def _unique_provisions(self) -> None:
        seen: dict[str, SourceLocation] = {}
        stack: list[tuple[NodePath, Any]] = [
            (("provisions", i), p) for i, p in enumerate(self.doc.provisions)
        ]
        while stack:
            path, node = stack.pop()
            key = fold_id(node.id)
            here = self.loaded.locate((*path, "id"))
            if key in seen and seen[key] != here:
                self.found.append(
                    diag("duplicate-id", here,
                         f"duplicate provision id {node.id!r} (first defined at line "
                         f"{seen[key].line})", "provision ids are page anchors; make them unique")
                )
            else:
                seen.setdefault(key, here)
            stack.extend(((*path, "children", j), c) for j, c in enumerate(node.children))

    def _procedure_shape(self, path: NodePath, procedure: Any, clocks: dict[str, Any]) -> None:
        steps = {s.id: (j, s) for j, s in enumerate(procedure.steps)}
        outgoing: dict[str, list[str]] = {s: [] for s in steps}
        for k, edge in enumerate(procedure.edges):
            epath = (*path, "edges", k)
            for end, field in ((edge.source, "from"), (edge.target, "to")):
                if end not in steps:
                    self.unknown((*epath, field), "step", end, steps)
            if edge.source in steps and edge.target in steps:
                outgoing[edge.source].append(edge.target)
            if edge.clock is not None:
                clock = clocks.get(edge.clock)
                if clock is None:
                    self.unknown((*epath, "clock"), "clock", edge.clock, clocks)
                elif edge.variant is not None and edge.variant >= len(clock.variants):
                    self.found.append(
                        diag("unknown-reference", self.loaded.locate((*epath, "variant")),
                             f"clock {edge.clock!r} has no variant {edge.variant} "
                             f"(it has {len(clock.variants)})",
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
            reached = {starts[0].id}
            frontier = [starts[0].id]
            while frontier:
                for nxt in outgoing[frontier.pop()]:
                    if nxt not in reached:
                        reached.add(nxt)
                        frontier.append(nxt)
            for sid, (j, _step) in sorted(steps.items(), key=lambda kv: kv[1][0]):
                if sid not in reached:
                    self.found.append(
                        diag("procedure-shape", self.loaded.locate((*path, "steps", j, "id")),
                             f"step {sid!r} cannot be reached from the start step",
                             "add an edge leading to it, or remove it")
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


# --- the whole knowledge base ------------------------------------------------------------------


def find_root(paths: list[Path]) -> Path | None:
    """The policies folder: the first path (or an ancestor) that holds ``registries/``."""
    for start in paths:
        for candidate in [start, *start.resolve().parents]:
            if (candidate / REGISTRY_DIR).is_dir():
                return candidate
    return None


def check_knowledge_base(
    root: Path, only: list[Path] | None = None
) -> tuple[KnowledgeBase | None, Report]:
    """Load, type and cross-check ``root``; the knowledge base is returned only when clean.

    ``only`` limits which document files are reported on; all documents are still loaded so
    that cross-document references resolve.
    """
    report = Report()
    registries: dict[str, Any] = {}
    for key, (name, model) in REGISTRY_FILES.items():
        path = root / REGISTRY_DIR / name
        if not path.is_file():
            report.add(diag("missing-registry", SourceLocation(display_path(path)),
                            f"registry file {name} is missing",
                            f"create {REGISTRY_DIR}/{name}; see docs/reference/format.md"))
            continue
        loaded, problems = load_file(path, display_path(path))
        report.extend(problems)
        if loaded is not None:
            parsed, problems = parse_model(loaded, model)
            report.extend(problems)
            if parsed is not None:
                registries[key] = (loaded, parsed)

    jurisdictions = registries["jurisdictions"][1].jurisdictions if "jurisdictions" in registries else []
    actor_types = registries["actor_types"][1].actor_types if "actor_types" in registries else []
    topics = registries["topics"][1].topics if "topics" in registries else []
    for key, collection in (("jurisdictions", "jurisdictions"), ("actor_types", "actor_types"),
                            ("topics", "topics")):
        if key in registries:
            loaded, parsed = registries[key]
            check_unique(loaded, collection, getattr(parsed, collection), report.diagnostics)
    if "jurisdictions" in registries:
        _check_jurisdiction_tree(registries["jurisdictions"][0], jurisdictions, report)

    documents: list[PolicyDocument] = []
    loaded_docs: list[tuple[LoadedFile, Document]] = []
    for path in sorted((root / DOCUMENT_DIR).glob("*.yaml")):
        name = display_path(path)
        loaded, problems = load_file(path, name)
        report.extend(problems)
        if loaded is None:
            continue
        doc, problems = parse_model(loaded, Document)
        report.extend(problems)
        if doc is not None:
            loaded_docs.append((loaded, doc))
            documents.append(PolicyDocument(doc, name))

    # document ids: unique across files
    first: dict[str, LoadedFile] = {}
    for loaded, doc in loaded_docs:
        key = fold_id(doc.id)
        if key in first:
            other = first[key].locate(("id",))
            report.add(diag("duplicate-id", loaded.locate(("id",)),
                            f"duplicate id {key!r}: {other}, {loaded.locate(('id',))}",
                            "every document needs its own id"))
        else:
            first[key] = loaded

    doc_ids = {d.id for _, d in loaded_docs}
    for loaded, doc in loaded_docs:
        checker = _Checker(loaded, doc, {a.id for a in actor_types}, {t.id for t in topics},
                           {j.id for j in jurisdictions}, report.diagnostics)
        checker.run()
        for i, citation in enumerate(doc.citations):
            if citation.document is not None and citation.document not in doc_ids:
                checker.unknown(("citations", i, "document"), "document", citation.document,
                                doc_ids)

    if only:
        wanted = {display_path(p) for p in only}
        report.diagnostics = [
            d for d in report.diagnostics
            if d.location.path in wanted or not d.location.path.endswith(".yaml")
            or "/" + REGISTRY_DIR + "/" in "/" + d.location.path
            or any(d.location.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    if not report.ok or len(registries) < len(REGISTRY_FILES):
        return None, report
    return assemble(documents, jurisdictions, actor_types, topics), report


def _check_jurisdiction_tree(loaded: LoadedFile, jurisdictions: list[Any], report: Report) -> None:
    by_id = {j.id: (i, j) for i, j in enumerate(jurisdictions)}
    for i, j in enumerate(jurisdictions):
        if j.parent is not None and j.parent not in by_id:
            report.add(diag("unknown-reference", loaded.locate(("jurisdictions", i, "parent")),
                            f"unknown jurisdiction {j.parent!r}",
                            "define the parent jurisdiction first"))
    for i, j in enumerate(jurisdictions):
        seen = {j.id}
        current = j.parent
        while current is not None and current in by_id:
            if current in seen:
                report.add(diag("jurisdiction-cycle", loaded.locate(("jurisdictions", i, "parent")),
                                f"jurisdiction {j.id!r} is its own ancestor",
                                "fix the parent chain"))
                break
            seen.add(current)
            current = by_id[current][1].parent
