"""Procedures: swimlane charts (DOT) and their text fallback (an ordered list of steps).

DOT is written by ``templates/diagrams/procedure.dot.jinja``.  Node ids are synthetic (``n0``,
``n1`` …, in step order), every attribute name and every shape is fixed in the template, and only
escaped strings (labels, tooltips, generated URLs) come from here.  Each node links to its clause
on the document page (``#provision-id``), where the SVG is inlined.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.model import PolicyDocument
from generator.render import diagram_placeholder, escape, links
from generator.render.context import RenderContext
from generator.render.env import render
from generator.schema import Clock, Edge, Procedure, StepKind
from generator.wording import limit_text

_KIND_LABEL = {StepKind.START: "开始", StepKind.DECISION: "判断", StepKind.END: "结束",
               StepKind.TASK: ""}
FONT = "Noto Sans CJK SC"
#: (step fill, header fill) per lane, cycling: colour tells the lane, shape tells the kind.
LANE_COLOURS = (
    ("#e3f2fd", "#90caf9"), ("#e8f5e9", "#a5d6a7"), ("#fff3e0", "#ffcc80"),
    ("#f3e5f5", "#ce93d8"), ("#e0f7fa", "#80deea"), ("#fce4ec", "#f48fb1"),
    ("#f1f8e9", "#c5e1a5"), ("#ede7f6", "#b39ddb"),
)


@dataclass(frozen=True)
class DotNode:
    id: Markup
    svg_id: Markup
    kind: str
    label: Markup
    url: Markup
    tooltip: Markup


@dataclass(frozen=True)
class DotLane:
    header: Markup
    svg_id: Markup
    label: Markup
    tooltip: Markup
    fill: Markup
    header_fill: Markup
    nodes: list[DotNode]
    fillers: list[Markup]
    column: list[Markup]


@dataclass(frozen=True)
class DotEdge:
    source: Markup
    target: Markup
    svg_id: Markup
    label: Markup | None
    url: Markup | None
    tooltip: Markup | None


@dataclass(frozen=True)
class ProcedureChart:
    id: Markup
    svg_id: Markup
    title: Markup
    tooltip: Markup
    font: Markup
    lanes: list[DotLane]
    rows: list[list[Markup]]
    edges: list[DotEdge]


@dataclass(frozen=True)
class StepView:
    number: int
    lane: Markup
    label: Markup
    kind: Markup | None
    clause: Markup
    quote: Markup
    exits: list[Markup]


@dataclass(frozen=True)
class ProcedureView:
    anchor: Markup
    title: Markup
    description: Markup | None
    topic: Markup
    lanes: Markup
    placeholder: Markup
    diagram_link: Markup
    steps: list[StepView]


def _clock_text(clock: Clock, edge: Edge, variants_elsewhere: bool) -> tuple[str, str]:
    """Label text and tooltip for an edge governed by ``clock``."""
    if edge.variant is not None and edge.variant < len(clock.variants):
        v = clock.variants[edge.variant]
        return f"{v.when}：{limit_text(v.limit)}", v.quote
    parts = [limit_text(clock.limit)]
    if not variants_elsewhere:
        parts += [f"{v.when}：{limit_text(v.limit)}" for v in clock.variants]
    return " · ".join(parts), clock.quote


def _edge_texts(doc: PolicyDocument, proc: Procedure) -> list[tuple[str | None, str | None, str]]:
    """(label, tooltip, url) per edge, in file order."""
    with_variant = {e.clock for e in proc.edges if e.clock and e.variant is not None}
    out: list[tuple[str | None, str | None, str]] = []
    for edge in proc.edges:
        parts = [edge.condition] if edge.condition else []
        tooltip = None
        url = ""
        clock = doc.clocks.get(edge.clock) if edge.clock else None
        if clock is not None:
            text, tooltip = _clock_text(clock, edge, clock.id in with_variant)
            parts.append(text)
            url = links.anchor(links.clock_anchor(clock.id))
        out.append(("\n".join(parts) if parts else None, tooltip, url))
    return out


def procedure_dot(ctx: RenderContext, doc: PolicyDocument, proc: Procedure) -> str:
    order = ctx.graph.step_order(doc.id, proc.id)
    number = {step_id: i for i, step_id in enumerate(order)}
    layers = ctx.graph.step_layers(doc.id, proc.id)
    steps = {s.id: s for s in proc.steps}
    prefix = f"pk--{proc.id}--"
    # The grid: a header row, then one row per layer; one column per lane.  Every row chains its
    # cells left to right with invisible edges (filler points where a lane has no step), and
    # every column chains its rows top to bottom.  That keeps the lanes in their declared order;
    # clusters cannot be used for lanes because dot reorders clusters whatever the flat edges say.
    height = max(layers.values(), default=0) + 1
    rows: list[list[Markup]] = [[] for _ in range(height + 1)]
    lanes = []
    for li, actor_id in enumerate(proc.lanes):
        nodes: list[DotNode] = []
        fillers: list[Markup] = []
        header = escape.dot_id(f"h{li}")
        rows[0].append(header)
        column = [header]
        for layer in range(height):
            here = [sid for sid in order if steps[sid].actor == actor_id and layers[sid] == layer]
            for sid in here:
                node_id = escape.dot_id(f"n{number[sid]}")
                nodes.append(DotNode(
                    id=node_id,
                    svg_id=escape.dot_string(f"{prefix}n{number[sid]}"),
                    kind=steps[sid].kind.value,
                    label=escape.dot_string(f"{number[sid] + 1}. {steps[sid].label}"),
                    url=escape.dot_string(links.anchor(steps[sid].provision)),
                    tooltip=escape.dot_tooltip(steps[sid].quote),
                ))
                rows[layer + 1].append(node_id)
            if not here:
                filler = escape.dot_id(f"f{li}r{layer}")
                fillers.append(filler)
                rows[layer + 1].append(filler)
            column.append(rows[layer + 1][-1])
        lanes.append(DotLane(
            header=header,
            svg_id=escape.dot_string(f"{prefix}l{li}"),
            label=escape.dot_string(doc.actors[actor_id].name),
            tooltip=escape.dot_tooltip(doc.actors[actor_id].name),
            fill=escape.dot_string(LANE_COLOURS[li % len(LANE_COLOURS)][0]),
            header_fill=escape.dot_string(LANE_COLOURS[li % len(LANE_COLOURS)][1]),
            nodes=nodes,
            fillers=fillers,
            column=column,
        ))
    edges = []
    for ei, (edge, (label, tooltip, url)) in enumerate(
            zip(proc.edges, _edge_texts(doc, proc), strict=True)):
        edges.append(DotEdge(
            source=escape.dot_id(f"n{number[edge.source]}"),
            target=escape.dot_id(f"n{number[edge.target]}"),
            svg_id=escape.dot_string(f"{prefix}e{ei}"),
            label=escape.dot_string(label) if label else None,
            url=escape.dot_string(url) if url else None,
            tooltip=escape.dot_tooltip(tooltip) if tooltip else None,
        ))
    chart = ProcedureChart(
        id=escape.dot_id(f"{prefix}graph"),
        svg_id=escape.dot_string(f"{prefix}graph"),
        title=escape.dot_string(proc.title),
        tooltip=escape.dot_tooltip(proc.title),
        font=escape.dot_string(FONT),
        lanes=lanes,
        rows=rows,
        edges=edges,
    )
    return render("diagrams/procedure.dot.jinja", chart=chart)


def procedure_view(ctx: RenderContext, doc: PolicyDocument, proc: Procedure,
                   page: str) -> ProcedureView:
    order = ctx.graph.step_order(doc.id, proc.id)
    number = {step_id: i + 1 for i, step_id in enumerate(order)}
    steps = {s.id: s for s in proc.steps}
    texts = _edge_texts(doc, proc)
    exits: dict[str, list[Markup]] = {}
    for edge, (label, _tooltip, url) in zip(proc.edges, texts, strict=True):
        target = steps[edge.target]
        text = escape.md_text(f"→ 第{number[edge.target]}步「{target.label}」")
        if label:
            text = escape.md_text(label.replace("\n", "，")) + Markup(" ") + text
        if url:
            text += Markup(" ") + escape.md_link("时限", url)
        exits.setdefault(edge.source, []).append(text)
    step_views = [
        StepView(
            number=number[sid],
            lane=escape.md_text(doc.actors[steps[sid].actor].name),
            label=escape.md_text(steps[sid].label),
            kind=escape.md_text(_KIND_LABEL[steps[sid].kind]) if _KIND_LABEL[steps[sid].kind]
            else None,
            clause=ctx.clause_link(doc, steps[sid].provision, page),
            quote=escape.md_text(steps[sid].quote),
            exits=exits.get(sid, []),
        )
        for sid in order
    ]
    path = links.procedure_diagram(doc.id, proc.id)
    return ProcedureView(
        anchor=escape.html_attr(links.procedure_anchor(proc.id)),
        title=escape.md_text(proc.title),
        description=escape.md_block(proc.description) if proc.description else None,
        topic=ctx.topic_link(proc.topic, page),
        lanes=escape.md_text("、".join(doc.actors[a].name for a in proc.lanes)),
        placeholder=Markup(diagram_placeholder(str(escape.url(path)))),
        diagram_link=escape.url(links.relative(page, path)),
        steps=step_views,
    )
