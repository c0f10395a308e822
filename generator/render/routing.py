"""案件去向 (where does this case go): the procedures as decision trees for the guide page.

Nothing here is written per document: the situations, the questions and the answers all come
from the procedures' own steps, lanes and edges.

- **Situations** (``entries``): where an officer enters a procedure.  Each start step is one
  (its label: 发现属县级部门管辖的违法行为), and so is each hand-over further down: an edge that
  a clock governs into a lane that does not start the procedure, labelled by that clock's
  trigger (收到移送的案件), entered by the receiving lane.  The page groups them by the
  procedure's topic.
- **Questions** (``decision_tree``): walking from the entry along the edges, a step with
  several ways out asks which one applies when it is a decision step or every way out has a
  condition (违法行为正在进行？ 是 / 否); other fan-outs all happen (parallel steps).  Every
  combination of answers is worked out here, at build time, so the browser only looks answers
  up.  A procedure without such steps is one answer: its step list.  Past ``MAX_ANSWERS`` the
  entry is shown as its step list too, rather than as a tree nobody can read.
- **Answers** (``answer_data``): the steps on the chosen path, to whom the case goes (the lanes
  the path hands over to, else the recipients of its clocks), the steps that say in whose name
  (名义) and with which materials (材料, 资料, 文书), the time limits of the path's edges (with
  the 计算期限 control's data), and what happens next (the steps of the other lanes).  Every
  step and limit carries its clause and quote.

The data reach the browser as script files (``route_scripts``): one small index (jurisdictions,
documents, topics) and one file per document with procedures, loaded only when a place that
it applies to is chosen.  URLs in them are relative to the site root.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.domain.model import Actor, Clock, Document, Edge, Procedure, Provision, Step
from generator.domain.wording import STATUS_LABEL, limit_text
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.due_control import clock_data, computable, options
from generator.render.procedures import drawn_edge_ids, reading_order
from generator.render.validity import verified_text
from generator.vocabulary import StepKind

#: More answers than this for one situation and it is shown as its step list.
MAX_ANSWERS = 64
#: A provision's own text travels with a materials step when it is this short (the list of
#: materials is usually in the clause, not in the step's quote); longer ones are linked.
MAX_CLAUSE_TEXT = 600
#: Words that mark a step as saying in whose name, or with which materials, a case goes.
NAME_WORDS = re.compile(r"名义")
MATERIAL_WORDS = re.compile(r"材料|资料|文书|移送函")

INDEX_SCRIPT = "data/route/index.js"
INDEX_NAME = "PolicykbRouteIndex"
DOCUMENTS_NAME = "PolicykbRouteDocuments"


def document_script(document_id: str) -> str:
    return f"data/route/{document_id}.js"


# --- situations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """Where an officer enters ``procedure``: at ``step``, handed over through ``via`` or not."""

    procedure: Procedure
    step: Step
    via: Edge | None
    label: str

    @property
    def kind(self) -> str:
        return "handover" if self.via is not None else "start"


def entries(proc: Procedure) -> list[Entry]:
    """Start steps first (in file order), then hand-overs (in edge order)."""
    starts = [s for s in proc.steps if s.kind is StepKind.START]  # one: the format checks it
    found = [Entry(proc, s, None, s.label) for s in starts]
    starting = {s.actor.id for s in starts}
    seen: set[tuple[str, str]] = set()
    for edge in proc.edges:
        clock = edge.clock
        if (clock is None or edge.source.actor is edge.target.actor
                or edge.source.kind is StepKind.START or edge.target.actor.id in starting
                or (edge.target.id, clock.id) in seen):
            continue
        seen.add((edge.target.id, clock.id))
        found.append(Entry(proc, edge.target, edge, clock.trigger))
    return found


# --- questions and answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One way through: the steps reached and the edges taken, in the order walked."""

    steps: tuple[Step, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Option:
    edge: Edge
    label: str
    next: Question | Answer


@dataclass(frozen=True)
class Question:
    step: Step
    text: str
    options: tuple[Option, ...]


class TooManyAnswers(Exception):
    """The situation has more ways through than a reader can be asked about."""


def is_choice(step: Step, exits: Sequence[Edge]) -> bool:
    """Several ways out, of which one applies: a decision step, or every way has a condition."""
    return len(exits) > 1 and (step.kind is StepKind.DECISION
                               or all(e.condition for e in exits))


def question_text(step: Step) -> str:
    return step.label if step.kind is StepKind.DECISION else f"{step.label}：属于哪种情况？"


def option_labels(exits: Sequence[Edge]) -> list[str]:
    """The condition of each way out; the target too where a condition repeats or is missing."""
    conditions = [e.condition for e in exits]
    labels = []
    for edge in exits:
        if not edge.condition:
            labels.append(f"→ {edge.target.label}")
        elif conditions.count(edge.condition) > 1:
            labels.append(f"{edge.condition}（→ {edge.target.label}）")
        else:
            labels.append(edge.condition)
    return labels


def decision_tree(entry: Entry) -> Question | Answer:
    """Every way through ``entry``'s procedure; raises TooManyAnswers past MAX_ANSWERS."""
    proc = entry.procedure
    exits: dict[str, list[Edge]] = {}
    for edge in proc.edges:
        exits.setdefault(edge.source.id, []).append(edge)
    answers = 0

    def walk(pending: tuple[Step, ...], seen: frozenset[str], steps: tuple[Step, ...],
             taken: tuple[Edge, ...]) -> Question | Answer:
        nonlocal answers
        queue = list(pending)
        while queue:
            step = queue.pop(0)
            if step.id in seen:
                continue
            seen |= {step.id}
            steps += (step,)
            ways = exits.get(step.id, [])
            if is_choice(step, ways):
                rest = tuple(queue)
                return Question(step, question_text(step), tuple(
                    Option(edge, label, walk((*rest, edge.target), seen, steps, (*taken, edge)))
                    for edge, label in zip(ways, option_labels(ways), strict=True)))
            for edge in ways:
                taken += (edge,)
                queue.append(edge.target)
        answers += 1
        if answers > MAX_ANSWERS:
            raise TooManyAnswers(proc.id)
        return Answer(steps, taken)

    first = (entry.via,) if entry.via is not None else ()
    return walk((entry.step,), frozenset(), (), first)


def step_list(entry: Entry, order: Sequence[str]) -> Answer:
    """Every step reachable from the entry, every edge between them: the fallback answer."""
    proc = entry.procedure
    reach = {entry.step.id}
    grew = True
    while grew:
        grew = False
        for edge in proc.edges:
            if edge.source.id in reach and edge.target.id not in reach:
                reach.add(edge.target.id)
                grew = True
    steps = tuple(proc.step_by_id[s] for s in order if s in reach)
    first = (entry.via,) if entry.via is not None else ()
    return Answer(steps, first + tuple(e for e in proc.edges
                                       if e.source.id in reach and e is not entry.via))


def answers(node: Question | Answer) -> Iterator[tuple[tuple[Option, ...], Answer]]:
    """Every answer of a tree with the options chosen on the way to it (for tests and docs)."""
    if isinstance(node, Answer):
        yield (), node
        return
    for option in node.options:
        for chosen, answer in answers(option.next):
            yield (option, *chosen), answer


def recipients(entry: Entry, answer: Answer) -> list[tuple[Actor, Edge]]:
    """To whom the case goes on this path, with the edge that says so.

    The lanes the path hands over to (an edge into another lane than the entry's); when it
    hands over to none, the recipients its clocks name, other than the ones acting."""
    own = entry.step.actor
    found: list[tuple[Actor, Edge]] = []

    def add(actor: Actor, edge: Edge) -> None:
        if actor is not own and all(actor is not a for a, _ in found):
            found.append((actor, edge))

    for edge in answer.edges:
        if edge is not entry.via and edge.source.actor is not edge.target.actor:
            add(edge.target.actor, edge)
    if not found:
        for edge in answer.edges:
            for actor in edge.clock.recipients if edge.clock is not None else ():
                if actor is not edge.target.actor:
                    add(actor, edge)
    return found


# --- data for the browser ----------------------------------------------------------------------


def _root_url(page: str, anchor: str | None = None) -> str:
    """A docs page as a URL relative to the site root (``documents/x/#s1``)."""
    url = links.page_url(page)
    return f"{url}#{anchor}" if anchor else url


def _clause(doc: Document, provision: Provision, quote: str) -> dict[str, str]:
    return {"clause": provision.label,
            "url": _root_url(links.document_page(doc.id), provision.id), "quote": quote}


def _clock(clock: Clock) -> dict[str, Any]:
    """A clock as the answers show it: its action, each limit with its clause, the control."""
    doc = clock.document
    quoted = [(clock.provision, clock.quote), *((v.provision, v.quote) for v in clock.variants)]
    if clock.extension is not None and clock.extension.max is not None:
        quoted.append((clock.extension.provision, clock.extension.quote))
    return {
        "trigger": clock.trigger,
        "action": clock.action,
        "url": _root_url(links.document_page(doc.id), links.clock_anchor(clock.id)),
        "limits": [{"case": case, "label": limit_text(limit), "computed": computable(limit),
                    **_clause(doc, provision, quote)}
                   for (case, limit), (provision, quote) in zip(options(clock), quoted,
                                                                strict=True)],
        "calculator": clock_data(clock),
    }


def answer_data(entry: Entry, answer: Answer, number: dict[str, int],
                fallback: bool = False) -> dict[str, Any]:
    own = entry.step.actor
    steps = answer.steps
    return {
        "steps": [number[s.id] for s in steps],
        "edges": [e.index for e in answer.edges],
        "to": [{"name": actor.name, "edge": edge.index} for actor, edge in
               recipients(entry, answer)],
        "limits": [e.index for e in answer.edges if e.clock is not None],
        "name": [number[s.id] for s in steps if NAME_WORDS.search(s.label + s.quote)],
        "materials": [number[s.id] for s in steps
                      if MATERIAL_WORDS.search(s.label + s.quote)],
        "next": [number[s.id] for s in steps if s.actor is not own],
        "list": fallback,
    }


def tree_data(entry: Entry, node: Question | Answer, number: dict[str, int]) -> dict[str, Any]:
    if isinstance(node, Answer):
        return {"answer": answer_data(entry, node, number)}
    return {
        "ask": number[node.step.id],
        "question": node.text,
        "options": [{"label": o.label, "edge": o.edge.index,
                     "next": tree_data(entry, o.next, number)} for o in node.options],
    }


def procedure_data(ctx: RenderContext, proc: Procedure) -> dict[str, Any]:
    doc = proc.document
    order = reading_order(ctx, proc)  # the chart's numbering
    number = {step_id: i for i, step_id in enumerate(order)}
    lanes = {a.id: i for i, a in enumerate(proc.lanes)}
    drawn = drawn_edge_ids(proc)
    steps = []
    for step_id in order:
        step = proc.step_by_id[step_id]
        data: dict[str, Any] = {
            "label": step.label, "lane": lanes[step.actor.id], "kind": step.kind.value,
            **_clause(doc, step.provision, step.quote), "svg": f"n{number[step_id]}"}
        text = step.provision.text
        if MATERIAL_WORDS.search(step.label + step.quote) and text and \
                len(text) <= MAX_CLAUSE_TEXT:
            data["text"] = text
        steps.append(data)
    edges = []
    for edge in proc.edges:
        data = {"from": number[edge.source.id], "to": number[edge.target.id],
                "svg": f"e{drawn[edge.index]}"}
        if edge.condition:
            data["condition"] = edge.condition
        if edge.clock is not None:
            data["clock"] = edge.clock.id
            data["option"] = 0 if edge.variant is None else edge.variant.index + 1
        edges.append(data)
    situations = []
    for entry in entries(proc):
        try:
            tree = tree_data(entry, decision_tree(entry), number)
        except TooManyAnswers:
            tree = {"answer": answer_data(entry, step_list(entry, order), number, True)}
        situations.append({"label": entry.label, "kind": entry.kind,
                           "lane": lanes[entry.step.actor.id], "step": number[entry.step.id],
                           "tree": tree})
    return {
        "id": proc.id,
        "title": proc.title,
        "topic": proc.topic.id,
        "url": _root_url(links.procedure_page(doc.id, proc.id)),
        "chart": links.procedure_diagram(doc.id, proc.id),
        "chartPrefix": f"pk--{proc.id}--",
        "lanes": [a.name for a in proc.lanes],
        "steps": steps,
        "edges": edges,
        "entries": situations,
    }


def document_data(ctx: RenderContext, doc: Document) -> dict[str, Any]:
    clocks = {e.clock.id: e.clock for p in doc.procedures for e in p.edges if e.clock}
    return {
        "id": doc.id,
        "title": doc.title,
        "short": ctx.document_short_name(doc),
        "url": _root_url(links.document_page(doc.id)),
        "validity": STATUS_LABEL[doc.status],
        "verified": verified_text(doc),
        "jurisdiction": doc.jurisdiction.id,
        "clocks": {c.id: _clock(c) for c in doc.clocks if c.id in clocks},
        "procedures": [procedure_data(ctx, p) for p in doc.procedures],
    }


def index_data(ctx: RenderContext) -> dict[str, Any]:
    """Every jurisdiction (tree order, parents by position), the documents with procedures and
    the topics they cover: enough to choose a place and load its documents."""
    kb = ctx.kb
    documents = sorted((d for d in kb.documents if d.procedures), key=ctx.document_order)
    places = sorted(kb.jurisdictions, key=lambda j: j.sort_key)
    position = {j.id: i for i, j in enumerate(places)}
    docs_of: dict[str, list[int]] = {}
    for i, d in enumerate(documents):
        docs_of.setdefault(d.jurisdiction.id, []).append(i)
    covered = {p.topic for d in documents for p in d.procedures}
    return {
        "topics": [{"id": t.id, "name": t.name, "question": t.question}
                   for t in kb.topics if t in covered],
        "jurisdictions": [{"id": j.id, "name": j.name,
                           "parent": position[j.parent.id] if j.parent is not None else None,
                           "documents": docs_of.get(j.id, [])} for j in places],
        "documents": [{"id": d.id, "title": d.title, "short": ctx.document_short_name(d),
                       "jurisdiction": position[d.jurisdiction.id],
                       "script": document_script(d.id), "url": _root_url(
                           links.document_page(d.id))} for d in documents],
    }


def route_scripts(ctx: RenderContext) -> dict[str, bytes]:
    """The guide's data files: the index and one script per document with procedures."""
    files = {INDEX_SCRIPT: escape.json_script(INDEX_NAME, index_data(ctx)).encode("utf-8")}
    for doc in ctx.kb.documents:
        if doc.procedures:
            script = escape.json_script(DOCUMENTS_NAME, document_data(ctx, doc), key=doc.id)
            files[document_script(doc.id)] = script.encode("utf-8")
    return files
