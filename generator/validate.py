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
import difflib
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.chinese.script import traditional_characters
from generator.date_rules import DatedField, implausible_dates
from generator.diagnostics import Diagnostic, Report, SourceLocation, diag
from generator.load import LoadedFile, NodePath, load_file, load_text, read_policy_bytes
from generator.model import KnowledgeBase, PolicyDocument, assemble
from generator.quotes import ProvisionTexts
from generator.runtime.cache import BuildCache, code_fingerprint, content_key
from generator.runtime.workers import cached_map
from generator.schema import (
    MAX_EDGE_CONDITION,
    MAX_PROCEDURE_STEPS,
    MAX_STEP_LABEL,
    ActorType,
    ActorTypeRegistry,
    Document,
    Jurisdiction,
    JurisdictionRegistry,
    Limit,
    Procedure,
    Script,
    StepKind,
    Topic,
    TopicRegistry,
)
from generator.typing_pass import parse_file, partial_document

REGISTRY_DIR = "registries"
DOCUMENT_DIR = "documents"
REGISTRY_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "jurisdictions": ("jurisdictions.yaml", JurisdictionRegistry),
    "actor_types": ("actor-types.yaml", ActorTypeRegistry),
    "topics": ("topics.yaml", TopicRegistry),
}

M = TypeVar("M", bound=BaseModel)


def display_path(path: Path) -> str:
    """Path as the user would type it: relative to the working directory when possible.

    Bytes of a file name that are not UTF-8 (a name saved by a GBK system: 部 is b'\\xb2\\xbf')
    are shown as escapes such as ``\\xb2\\xbf``, so that the user can tell which file it is and
    printing or JSON-encoding a diagnostic can never fail.
    """
    try:  # abspath, not resolve: a symlink is shown under its own name
        shown = Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        shown = path.as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# --- pass 2 and 3 helpers ----------------------------------------------------------------------


def fold_id(value: str) -> str:
    """Key under which two ids count as the same (case and Unicode form ignored)."""
    return unicodedata.normalize("NFKC", value).casefold()


_SINGULAR = {
    "jurisdictions": "jurisdiction", "actor_types": "actor type", "topics": "topic",
    "actors": "actor", "duties": "duty", "clocks": "clock", "quotas": "quota",
    "procedures": "procedure", "citations": "citation", "steps": "step",
}


def _item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
    return value if isinstance(value, str) else None


def check_unique(
    loaded: LoadedFile,
    collection: str,
    items: Iterable[Any],
    found: list[Diagnostic],
    base: NodePath = (),
) -> None:
    """Report items of ``collection`` whose ids collide once case and width are folded.

    ``items`` are models or raw mappings (raw, so that items with another problem take part).
    """
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        value = _item_id(item)
        if value is None:
            continue
        key = fold_id(value)
        if key in first:
            line = loaded.locate((*base, collection, first[key], "id")).line
            label = _SINGULAR.get(collection, collection)
            found.append(
                diag(
                    "duplicate-id",
                    loaded.locate((*base, collection, index, "id")),
                    f"duplicate {label} id {value!r} (first defined at line {line})",
                    "ids must differ even when case and width are ignored",
                )
            )
        else:
            first[key] = index


def _edge_key(edge: Any) -> str | None:
    """'edge a → b (condition)' for an edge mapping, None when it is not one."""
    if not isinstance(edge, dict):
        return None
    source, target, condition = edge.get("from"), edge.get("to"), edge.get("condition")
    if not (isinstance(source, str) and isinstance(target, str)):
        return None
    when = f" ({condition})" if isinstance(condition, str) and condition.strip() else ""
    return f"edge {source} → {target}{when}"


def _raw_list(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _raw_ids(data: Any, key: str) -> set[str]:
    return {i for i in map(_item_id, _raw_list(data, key)) if i is not None}


def _every_raw_id(data: Any) -> set[str]:
    """Every text value of an ``id`` key anywhere in ``data``."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


#: The registry (key of ``REGISTRY_FILES``) that defines each kind of reference.
_REGISTRY_OF = {"jurisdiction": "jurisdictions", "actor type": "actor_types", "topic": "topics"}


def _raw_text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


def _walk_raw_provisions(data: Any) -> Iterator[tuple[NodePath, dict[str, Any]]]:
    """Every provision mapping in the file with its path, in document order."""
    stack: list[tuple[NodePath, Any]] = [
        (("provisions", i), p) for i, p in reversed(list(enumerate(_raw_list(data, "provisions"))))
    ]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield path, node
        children = _raw_list(node, "children")
        stack.extend(((*path, "children", j), c) for j, c in reversed(list(enumerate(children))))


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
        close = difflib.get_close_matches(value, options, n=1)
        hint = f"known {kind}s: {shown}" if options else f"define the {kind} first"
        registry = _REGISTRY_OF.get(kind)
        if registry in self.faulty:
            hint = (f"{REGISTRY_DIR}/{REGISTRY_FILES[registry][0]} has problems (reported "
                    "with it); fix them first")
        if close:
            hint = f"did you mean {close[0]!r}? " + hint
        self.found.append(
            diag("unknown-reference", self.loaded.locate(path), f"unknown {kind} {value!r}", hint)
        )

    def run(self) -> None:
        doc, data = self.doc, self.loaded.data
        provisions = ProvisionTexts(
            (node["id"], _raw_text(node, "heading"), _raw_text(node, "text"))
            for _, node in _walk_raw_provisions(data) if isinstance(node.get("id"), str)
        )
        actors = _raw_ids(data, "actors")
        clocks = {c["id"]: len(_raw_list(c, "variants")) for c in _raw_list(data, "clocks")
                  if isinstance(c, dict) and isinstance(c.get("id"), str)}

        self._unique_provisions()
        for name in ("actors", "duties", "clocks", "quotas", "procedures", "citations"):
            check_unique(self.loaded, name, _raw_list(data, name), self.found)
        for i, procedure in enumerate(_raw_list(data, "procedures")):
            check_unique(self.loaded, "steps", _raw_list(procedure, "steps"), self.found,
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
        retrieved = source.retrieved if source is not None else None
        earliest = min((d for d in (dates.issued, dates.published) if d), default=None)
        if retrieved and earliest and retrieved < earliest:
            self.found.append(
                diag("date-order", self.at("source", "retrieved"),
                     f"retrieved {retrieved} before the document existed ({earliest})",
                     "check the retrieval date and the document's dates")
            )

    def _unique_provisions(self) -> None:
        """Provision ids are anchors on one page: unique across the whole tree."""
        seen: dict[str, SourceLocation] = {}
        for path, node in _walk_raw_provisions(self.loaded.data):
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
            for i, fact in enumerate(_raw_list(data, name)):
                for field_name, what in (("actors", "actor"), ("recipient", "recipient")):
                    self._repeated((name, i, field_name), _raw_list(fact, field_name),
                                   text(what), "list each actor once")
        for i, clock in enumerate(_raw_list(data, "clocks")):
            self._repeated(
                ("clocks", i, "variants"), _raw_list(clock, "variants"),
                lambda v: (f"variant {v['when']!r}"
                           if isinstance(v, dict) and isinstance(v.get("when"), str) else None),
                "give each condition once: merge the two variants or correct one 'when'",
            )
        for i, procedure in enumerate(_raw_list(data, "procedures")):
            path: NodePath = ("procedures", i)
            self._repeated((*path, "lanes"), _raw_list(procedure, "lanes"), text("lane"),
                           "list each lane once; a second one draws an empty swimlane")
            self._repeated((*path, "edges"), _raw_list(procedure, "edges"), _edge_key,
                           "delete one; the same edge would be drawn twice")
            self._chart_limits(path, procedure)

    def _chart_limits(self, path: NodePath, procedure: dict[str, Any]) -> None:
        """Sizes Graphviz can draw legibly, in seconds (on the raw data: every step counts)."""
        steps = _raw_list(procedure, "steps")
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
        for k, edge in enumerate(_raw_list(procedure, "edges")):
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
        named.append(("source", "retrieved", getattr(source, "retrieved", None)))
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
        for path, node in _walk_raw_provisions(self.loaded.data):
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


# --- the whole knowledge base ------------------------------------------------------------------


def find_root(paths: list[Path]) -> Path | None:
    """The policies folder: the first path (or an ancestor) that holds ``registries/``."""
    for start in paths:
        for candidate in [start, *Path(os.path.realpath(start)).parents]:
            if (candidate / REGISTRY_DIR).is_dir():
                return candidate
    return None


@dataclass
class _Registry:
    """One registry file: its raw ids (None when unreadable) and its typed items when clean."""

    loaded: LoadedFile | None = None
    ids: set[str] | None = None
    items: list[Any] = field(default_factory=list)
    ok: bool = False
    #: Read, but with format problems: references to it get a hint to fix it first.
    faulty: bool = False


_YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml_name(name: str) -> bool:
    return name.lower().endswith(_YAML_SUFFIXES) and not name.startswith(".")


def _yaml_files_under(folder: Path) -> list[Path]:
    """YAML files anywhere under ``folder`` (links to folders are not followed), sorted."""
    try:
        return sorted(p for p in folder.rglob("*") if _is_yaml_name(p.name))
    except OSError:  # a folder that vanished or cannot be listed: nothing to report in it
        return []


def _ignored(entry: Path, message: str, hint: str) -> Diagnostic:
    return diag("ignored-file", SourceLocation(display_path(entry)), message, hint)


def _misnamed(entry: Path, wanted: str) -> Diagnostic:
    """A .yml or upper-case .YAML file that is meant to be read as ``wanted``."""
    return _ignored(entry, f"not read: named *{entry.suffix}; only files ending in .yaml (lower "
                           "case) are read", f"rename it to {wanted}")


def _stray_documents(folder: Path) -> list[Diagnostic]:
    """Entries of documents/ that are not read: a .yml, a .YAML, a sub-folder, a backup …"""
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith(".") or entry.name.endswith(".yaml"):
            continue
        if entry.is_dir():
            inside = _yaml_files_under(entry)
            found += [_ignored(p, f"not read: inside a sub-folder of {DOCUMENT_DIR}/; only files "
                                  f"directly in {DOCUMENT_DIR}/ are read",
                               f"move it to {DOCUMENT_DIR}/{p.stem}.yaml") for p in inside]
            if not inside:
                found.append(_ignored(entry, f"not read: a sub-folder of {DOCUMENT_DIR}/",
                                      "move it out of the policies folder"))
        elif _is_yaml_name(entry.name):
            found.append(_misnamed(entry, entry.name[: -len(entry.suffix)] + ".yaml"))
        else:
            found.append(_ignored(entry, "not read: policy documents are files named *.yaml",
                                  "rename it, or move it out of the policies folder"))
    return found


def _stray_registries(folder: Path) -> list[Diagnostic]:
    """Entries of registries/ other than the registry files (a topics.yml names its mistake)."""
    names = [n for n, _ in REGISTRY_FILES.values()]
    by_stem = {n.removesuffix(".yaml").lower(): n for n in names}
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith(".") or entry.name in names:
            continue
        meant = by_stem.get(entry.name.lower().removesuffix(entry.suffix.lower()))
        if meant is not None and _is_yaml_name(entry.name):
            found.append(_misnamed(entry, meant))
        else:
            found.append(_ignored(entry, "not read: the registries are " + ", ".join(names),
                                  "rename it, or move it out of the policies folder"))
    return found


def _stray_top_level(root: Path) -> list[Diagnostic]:
    """YAML files, and folders holding some, at the top of the policies folder (never read)."""
    found = []
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if entry.name.startswith(".") or entry.name in (DOCUMENT_DIR, REGISTRY_DIR):
            continue
        if entry.is_dir() and _yaml_files_under(entry):
            found.append(_ignored(entry, f"not read: only {DOCUMENT_DIR}/ and {REGISTRY_DIR}/ "
                                         "are read in the policies folder",
                                  f"move the documents into {DOCUMENT_DIR}/ (is the folder's "
                                  "name misspelt?)"))
        elif entry.is_file() and _is_yaml_name(entry.name):
            registry = entry.name in [n for n, _ in REGISTRY_FILES.values()]
            home = REGISTRY_DIR if registry else DOCUMENT_DIR
            found.append(_ignored(entry, "not read: a file at the top of the policies folder",
                                  f"move it to {home}/{entry.name}"))
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except (ValueError, OSError):
        return False
    return True


def _outside_link(name: str) -> Diagnostic:
    return diag("unreadable-file", SourceLocation(name),
                "a link to a file outside the policies folder",
                "copy the file into the policies folder instead of linking to it")


def _load(
    path: Path, root: Path, report: Report, *, first_key: str | None = None
) -> LoadedFile | None:
    name = display_path(path)
    if not _inside(path, root):
        report.add(_outside_link(name))
        return None
    loaded, problems = load_file(path, name, first_key=first_key)
    report.extend(problems)
    return loaded


def _load_registries(root: Path, report: Report) -> dict[str, _Registry]:
    registries: dict[str, _Registry] = {}
    for key, (name, model) in REGISTRY_FILES.items():
        registry = registries[key] = _Registry()
        path = root / REGISTRY_DIR / name
        if not path.exists() and not path.is_symlink():
            report.add(diag("missing-registry", SourceLocation(display_path(path)),
                            f"registry file {name} is missing",
                            f"create {REGISTRY_DIR}/{name}; see docs/reference/format.md"))
            continue
        loaded = registry.loaded = _load(path, root, report, first_key=key)
        if loaded is None:
            continue
        check_unique(loaded, key, _raw_list(loaded.data, key), report.diagnostics)
        parsed = parse_file(loaded, model)
        report.extend(parsed.problems)
        if parsed.model is not None:
            registry.ids = _raw_ids(loaded.data, key)
            registry.items = list(getattr(parsed.model, key))
            registry.ok = True
        else:
            # a broken registry must not make every reference to it unknown: the ids written
            # anywhere in it count (an entry under a misspelled key too); none at all means
            # that nothing can be said, as for an unreadable file
            registry.ids = _every_raw_id(loaded.data) or None
            registry.faulty = True
    report.extend(_stray_registries(root / REGISTRY_DIR))
    jurisdictions = registries["jurisdictions"]
    if jurisdictions.loaded is not None:
        _check_jurisdiction_tree(jurisdictions.loaded, report)
    return registries


@dataclass(frozen=True)
class KnownIds:
    """The registry ids a document is checked against (None: that registry is unreadable)."""

    actor_types: frozenset[str] | None
    topics: frozenset[str] | None
    jurisdictions: frozenset[str] | None
    #: Registries (keys of ``REGISTRY_FILES``) read with format problems.
    faulty: frozenset[str] = frozenset()

    def fingerprint(self) -> str:
        return content_key(*(
            "\0".join(sorted(ids)) if ids is not None else "\1unreadable"
            for ids in (self.actor_types, self.topics, self.jurisdictions)
        ), "\0".join(sorted(self.faulty)))


@dataclass
class DocumentCheck:
    """Everything checking one document file yields; picklable, so cached and computed anywhere.

    Positions (``LoadedFile``) are not kept: memory stays flat for thousands of documents.
    """

    diagnostics: list[Diagnostic]
    document: PolicyDocument | None = None
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
        result.document = PolicyDocument(doc, loaded.path)
    else:
        doc, positions = partial_document(loaded, parsed.bad_paths)
    checker = _Checker(loaded, doc, _mutable(known.actor_types), _mutable(known.topics),
                       _mutable(known.jurisdictions), result.diagnostics, positions,
                       known.faulty)
    checker.run()
    result.dates = checker.dated_fields()
    raw_id = loaded.data.get("id")
    if isinstance(raw_id, str):
        result.raw_id = (raw_id, loaded.locate(("id",)))
    result.cited = [(loaded.locate(("citations", i, "document")), citation.document)
                    for i, citation in checker.items("citations")
                    if citation.document is not None]
    return result


def _frozen(ids: set[str] | None) -> frozenset[str] | None:
    return frozenset(ids) if ids is not None else None


def _mutable(ids: frozenset[str] | None) -> set[str] | None:
    return set(ids) if ids is not None else None


def _check_documents(
    paths: list[Path], root: Path, known: KnownIds, cache: BuildCache, report: Report
) -> list[DocumentCheck]:
    """Every document file checked: from the cache when unchanged, else on every core."""
    jobs: list[tuple[str, bytes, KnownIds]] = []
    for path in paths:
        name = display_path(path)
        if not _inside(path, root):
            report.add(_outside_link(name))
            continue
        raw, problems = read_policy_bytes(path, name)
        report.extend(problems)
        if raw is not None:
            jobs.append((name, raw, known))
    salt = content_key(code_fingerprint(), known.fingerprint())
    keys = [content_key(salt, name, raw) for name, raw, _ in jobs]
    return cached_map(check_document_text, jobs, keys, cache, "check")


def check_knowledge_base(
    root: Path,
    only: list[Path] | None = None,
    *,
    cache: BuildCache | None = None,
    today: dt.date | None = None,
) -> tuple[KnowledgeBase | None, Report]:
    """Load, type and cross-check ``root``; the knowledge base is returned only when clean.

    ``only`` limits which document files are reported on; all documents are still loaded so
    that cross-document references resolve.  Registry problems are always reported.  With a
    ``cache``, files whose bytes (and the registries' ids, and the generator's code) are
    unchanged since the cached run are not checked again.  Dates are judged against ``today``
    (the local date by default), outside the cache.
    """
    report = Report()
    registries = _load_registries(root, report)
    known = KnownIds(
        _frozen(registries["actor_types"].ids), _frozen(registries["topics"].ids),
        _frozen(registries["jurisdictions"].ids),
        frozenset(key for key, registry in registries.items() if registry.faulty),
    )

    folder = root / DOCUMENT_DIR
    paths = sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".")) \
        if folder.is_dir() else []
    report.extend(_stray_documents(folder))
    report.extend(_stray_top_level(root))
    checks = _check_documents(paths, root, known, cache or BuildCache(None), report)
    documents = [c.document for c in checks if c.document is not None]
    ids = [c.raw_id for c in checks if c.raw_id is not None]
    cited = [entry for c in checks for entry in c.cited]
    for check in checks:
        report.extend(check.diagnostics)
        report.extend(implausible_dates(check.dates, today or dt.date.today()))

    # document ids: unique across files, checked on the raw id so that 'Policy-A' (invalid)
    # still collides with 'policy-a'; reported in every file involved
    by_key: dict[str, list[SourceLocation]] = {}
    for raw_id, where in ids:
        by_key.setdefault(fold_id(raw_id), []).append(where)
    for key, places in by_key.items():
        if len(places) > 1:
            listed = ", ".join(str(p) for p in places)
            for where in places:
                report.add(diag("duplicate-id", where,
                                f"duplicate document id {key!r}: {listed}",
                                "every document needs its own id; ids are compared ignoring "
                                "case and width"))
    doc_ids = sorted({raw_id for raw_id, _ in ids})
    known_documents = set(doc_ids)
    for where, target in cited:
        if target not in known_documents:
            close = difflib.get_close_matches(target, doc_ids, n=1)
            shown = ", ".join(doc_ids[:12]) + (" …" if len(doc_ids) > 12 else "")
            hint = f"known documents: {shown}" if doc_ids else "define the document first"
            report.add(diag("unknown-reference", where, f"unknown document {target!r}",
                            (f"did you mean {close[0]!r}? " if close else "") + hint))

    if only:
        report.diagnostics = _only(report.diagnostics, folder, only)
    if not report.ok or not all(r.ok for r in registries.values()):
        return None, report
    jurisdictions: list[Jurisdiction] = registries["jurisdictions"].items
    actor_types: list[ActorType] = registries["actor_types"].items
    topics: list[Topic] = registries["topics"].items
    return assemble(documents, jurisdictions, actor_types, topics), report


def _only(found: list[Diagnostic], folder: Path, only: list[Path]) -> list[Diagnostic]:
    """Drop diagnostics about document files outside ``only`` (registry problems always stay)."""
    entries = ({display_path(p): Path(os.path.realpath(p)) for p in folder.iterdir()}
               if folder.is_dir() else {})
    chosen = [Path(os.path.realpath(p)) for p in only]

    def wanted(real: Path) -> bool:
        return any(real == c or c in real.parents for c in chosen)

    return [d for d in found if d.location.path not in entries or wanted(entries[d.location.path])]


def _check_jurisdiction_tree(loaded: LoadedFile, report: Report) -> None:
    """Unknown parents and cycles, on the raw registry (each cycle reported once)."""
    items = [
        (i, j["id"], j.get("parent")) for i, j in enumerate(_raw_list(loaded.data, "jurisdictions"))
        if isinstance(j, dict) and isinstance(j.get("id"), str)
    ]
    parent_of = {jid: parent for _, jid, parent in items if isinstance(parent, str)}
    index_of: dict[str, int] = {}
    for i, jid, _ in items:
        index_of.setdefault(jid, i)
    for i, _jid, parent in items:
        if isinstance(parent, str) and parent not in index_of:
            close = difflib.get_close_matches(parent, sorted(index_of), n=1)
            report.add(diag("unknown-reference", loaded.locate(("jurisdictions", i, "parent")),
                            f"unknown jurisdiction {parent!r}",
                            (f"did you mean {close[0]!r}? " if close else "")
                            + "define the parent jurisdiction first"))
    done: set[str] = set()
    for _i, jid, _ in items:
        chain: list[str] = []
        current: str | None = jid
        while current is not None and current not in done and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        done.update(chain)
        if current is None or current not in chain:
            continue  # reached the root, or a part of the tree already checked
        cycle = chain[chain.index(current):]
        first = min(cycle, key=lambda c: index_of[c])
        start = cycle.index(first)
        ordered = [*cycle[start:], *cycle[:start], first]
        message = (f"jurisdiction {first!r} is its own parent" if len(cycle) == 1
                   else "parent chain loops: " + " → ".join(ordered))
        report.add(diag("jurisdiction-cycle",
                        loaded.locate(("jurisdictions", index_of[first], "parent")),
                        message, "every chain of parents must end at a jurisdiction with "
                        "parent: null"))
