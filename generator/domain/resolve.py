"""Model stage: checked specs → the domain model, every reference resolved, ordered once.

Validation has run before (``policykb check``): every id referenced here exists, so a missing
one is a bug and raises ``KeyError``.  The objects are immutable; the few that refer back to
their document are created before it and completed here, with ``object.__setattr__``, the only
place allowed to do so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from generator.domain import model as m
from generator.source import schema as spec
from generator.source.checked import CheckedDocument

#: Top-level provisions without a printed number, named by their role in the text.
_SPECIAL_PROVISIONS = {"notice": "通知正文", "preamble": "序言", "closing": "落款"}
#: Characters of a heading shown as the label of an unnumbered provision.
_HEADING_CHARS = 10

#: Actor ids → the document's actors.
_Who = Callable[[Iterable[str]], tuple[m.Actor, ...]]
#: A question id (or None) → the codebook question.
_Asks = Callable[[str | None], m.Question | None]


def resolve(
    documents: Iterable[CheckedDocument],
    jurisdictions: Iterable[spec.Jurisdiction],
    actor_types: Iterable[spec.ActorType],
    topics: Iterable[spec.Topic],
    questions: Iterable[spec.Question],
) -> m.KnowledgeBase:
    """The knowledge base in canonical order, whatever order the inputs came in."""
    places = _jurisdictions(jurisdictions)
    kinds = {a.id: m.ActorType(a.id, a.name, a.description, a.order) for a in actor_types}
    subjects = {t.id: m.Topic(t.id, t.name, t.question, t.description, t.order) for t in topics}
    codebook = {q.id: m.Question(q.id, subjects[q.topic], q.name, q.question, q.kind, q.stricter,
                                 q.definition, tuple(q.include), tuple(q.exclude), q.order)
                for q in questions}
    ordered = sorted(documents, key=lambda d: d.spec.id)
    resolved = [_document(d, places, kinds, subjects, codebook) for d in ordered]
    by_id = {d.id: d for d in resolved}
    for checked, doc in zip(ordered, resolved, strict=True):
        _set(doc, "citations", tuple(_citation(c, doc, by_id) for c in checked.spec.citations))
    return m.KnowledgeBase(
        documents=tuple(resolved),
        jurisdictions=tuple(places[k] for k in sorted(places)),
        actor_types=tuple(sorted(kinds.values(), key=lambda a: (a.order, a.id))),
        topics=tuple(sorted(subjects.values(), key=lambda t: (t.order, t.id))),
        questions=tuple(sorted(codebook.values(), key=lambda q: (q.topic.order, q.topic.id,
                                                                 q.order, q.id))),
    )


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _jurisdictions(items: Iterable[spec.Jurisdiction]) -> dict[str, m.Jurisdiction]:
    """Each jurisdiction with its parent and its chain (the registry is a checked tree)."""
    specs = {j.id: j for j in items}
    made: dict[str, m.Jurisdiction] = {}

    def make(jid: str) -> m.Jurisdiction:
        if jid not in made:
            s = specs[jid]
            parent = make(s.parent) if s.parent is not None else None
            j = m.Jurisdiction(s.id, s.name, s.level, s.code, parent)
            _set(j, "chain", (*(parent.chain if parent else ()), j))
            made[jid] = j
        return made[jid]

    for jid in sorted(specs):
        make(jid)
    return made


def limit(s: spec.Limit) -> m.Limit:
    return m.Limit(s.unit, s.value, s.per, s.date, s.upper_bound)


def _provisions(items: Sequence[spec.Provision]) -> tuple[m.Provision, ...]:
    """The provision tree, each node labelled as a reader cites it (``三、（二）``)."""

    def make(p: spec.Provision, depth: int, numbers: tuple[str, ...]) -> m.Provision:
        path = (*numbers, (p.number or "").strip())
        label = "".join(path)
        if not p.number:
            if p.id in _SPECIAL_PROVISIONS and depth == 0:
                label = _SPECIAL_PROVISIONS[p.id]
            elif p.heading:
                short = p.heading.strip()
                label += short if len(short) <= _HEADING_CHARS else short[:_HEADING_CHARS] + "…"
        children = tuple(make(c, depth + 1, path) for c in p.children)
        return m.Provision(p.id, p.number, p.heading, p.text, depth, label or p.id, children)

    return tuple(make(p, 0, ()) for p in items)


def _document(
    checked: CheckedDocument,
    places: Mapping[str, m.Jurisdiction],
    kinds: Mapping[str, m.ActorType],
    subjects: Mapping[str, m.Topic],
    codebook: Mapping[str, m.Question],
) -> m.Document:
    s = checked.spec
    doc = m.Document(
        id=s.id,
        path=checked.path,
        title=s.title,
        notice_title=s.notice_title,
        doc_number=s.doc_number,
        issuers=tuple(m.Issuer(i.name, places[i.jurisdiction] if i.jurisdiction else None)
                      for i in s.issuers),
        jurisdiction=places[s.jurisdiction],
        kind=s.kind,
        status=s.status,
        dates=m.Dates(s.dates.issued, s.dates.published, s.dates.effective),
        source=m.Source(s.source.seed, s.source.url, s.source.publisher, s.source.retrieved,
                        s.source.verified),
        script=s.script,
        summary=s.summary,
        notes=tuple(s.notes),
    )
    provisions = _provisions(s.provisions)
    _set(doc, "provisions", provisions)
    clause = doc.provision_by_id
    actors = {a.id: m.Actor(a.id, a.name, kinds[a.type], tuple(a.aliases), a.note)
              for a in s.actors}

    def who(ids: Iterable[str]) -> tuple[m.Actor, ...]:
        return tuple(actors[a] for a in ids)

    def asks(qid: str | None) -> m.Question | None:
        return codebook[qid] if qid is not None else None

    duties = tuple(
        m.Duty(clause[u.provision], u.quote, u.id, doc, who(u.actors), u.role,
               subjects[u.topic], u.what, asks(u.answers), u.applies_to, u.qualifier,
               u.attribution, u.attribution_reason)
        for u in s.duties
    )
    clocks = tuple(_clock(c, doc, clause, who, subjects, asks) for c in s.clocks)
    quotas = tuple(
        m.Quota(clause[q.provision], q.quote, q.id, doc, subjects[q.topic], who(q.actors),
                q.what, q.comparator, q.value, q.unit, q.per, q.scope, asks(q.answers),
                q.applies_to, q.qualifier, q.attribution, q.attribution_reason)
        for q in s.quotas
    )
    clock_by_id = {c.id: c for c in clocks}
    procedures = tuple(_procedure(p, doc, clause, actors, clock_by_id, subjects, asks)
                       for p in s.procedures)
    for name, value in (("actors", tuple(actors.values())), ("duties", duties),
                        ("clocks", clocks), ("quotas", quotas), ("procedures", procedures)):
        _set(doc, name, value)
    return doc


def _clock(
    c: spec.Clock,
    doc: m.Document,
    clause: Mapping[str, m.Provision],
    who: _Who,
    subjects: Mapping[str, m.Topic],
    asks: _Asks,
) -> m.Clock:
    variants = tuple(
        m.Variant(clause[v.provision or c.provision], v.quote, i, v.when, limit(v.limit),
                  v.action, asks(v.answers), v.applies_to, v.qualifier)
        for i, v in enumerate(c.variants)
    )
    extension = None
    if c.extension is not None:
        e = c.extension
        extension = m.Extension(clause[e.provision or c.provision], e.quote, e.condition,
                                limit(e.max) if e.max else None, e.requires, asks(e.answers),
                                e.applies_to, e.qualifier)
    return m.Clock(clause[c.provision], c.quote, c.id, doc, subjects[c.topic], who(c.actors),
                   who(c.recipient), c.trigger, c.action, limit(c.limit), variants, extension,
                   c.consequence, c.note, asks(c.answers), c.applies_to, c.qualifier,
                   c.attribution, c.attribution_reason)


def _procedure(
    p: spec.Procedure,
    doc: m.Document,
    clause: Mapping[str, m.Provision],
    actors: Mapping[str, m.Actor],
    clocks: Mapping[str, m.Clock],
    subjects: Mapping[str, m.Topic],
    asks: _Asks,
) -> m.Procedure:
    steps = tuple(m.Step(clause[s.provision], s.quote, s.id, actors[s.actor], s.label, s.kind)
                  for s in p.steps)
    by_id = {s.id: s for s in steps}
    edges = []
    for index, e in enumerate(p.edges):
        clock = clocks[e.clock] if e.clock is not None else None
        variant = clock.variants[e.variant] if clock is not None and e.variant is not None \
            else None
        edges.append(m.Edge(index, by_id[e.source], by_id[e.target], e.condition, clock,
                            variant))
    return m.Procedure(p.id, doc, p.title, subjects[p.topic], p.description,
                       tuple(actors[a] for a in p.lanes), steps, tuple(edges), asks(p.answers),
                       p.applies_to)


def _citation(c: spec.Citation, doc: m.Document,
              documents: Mapping[str, m.Document]) -> m.Citation:
    return m.Citation(doc.provision_by_id[c.provision], c.quote, c.id, doc, c.title,
                      c.doc_number, c.issuer,
                      documents.get(c.document) if c.document is not None else None)
