"""Procedures: swimlane charts (DOT) and their text fallback (an ordered list of steps).

DOT is written by ``templates/diagrams/procedure.dot.jinja``.  Each lane (actor) is a cluster: a
framed, lightly shaded band titled with the actor's name.  Node ids are synthetic (``n0``, ``n1``
…, in step order), every attribute name and every shape is fixed in the template, and only escaped
strings (labels, tooltips, generated URLs) come from here.  The chart is inlined on the
procedure's own page (``documents/<doc>/<proc>/``), so each step links to its clause on the
document page as ``../#provision-id`` (:func:`links.procedure_clause_url`), and an edge governed
by a clock links to that clock's row there.

Graphviz does not wrap labels, so :func:`wrap_label` breaks Chinese text into lines here, never
inside a number with its unit (``24小时内``) or an ASCII word, and never before closing or after
opening punctuation.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from generator.domain.model import Edge, Procedure, Step
from generator.domain.wording import qualified_limit_text
from generator.render import diagram_placeholder, escape, links
from generator.render.charts import caption_id, id_prefix, text_version_id
from generator.render.context import RenderContext
from generator.render.env import render
from generator.render.facts import clock_summary, quoted
from generator.vocabulary import StepKind

_KIND_LABEL = {StepKind.START: "开始", StepKind.DECISION: "判断", StepKind.END: "结束",
               StepKind.TASK: ""}
FONT = "Noto Sans CJK SC"
#: Band fills, alternating so that neighbouring lanes differ even in greyscale print; borders and
#: text are dark, steps are white.
LANE_FILLS = ("#f4f6f8", "#e6ebef")
#: Line widths in full-width characters (an ASCII character counts half).
WRAP_STEP = 10
WRAP_DECISION = 7
WRAP_EDGE = 10
WRAP_LANE = 12
WRAP_TITLE = 30

#: A number with its unit (``24小时内``, ``5个工作日``, ``60学时``, ``10%``) or an ASCII word: never
#: split.  Anything else is one character.
_TOKEN = re.compile(
    r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
    r"(?:个工作日|个月|工作日|小时|分钟|学时|日|天|周|月|年|次|人|名|件|%|％)?(?:内|前|后|起)?"
    r"|[!-~]+"
    r"|\s+"
    r"|.",
    re.S,
)
#: Characters that may not start a line (they stick to the token before) or end one (they stick
#: to the token after).
_NO_LINE_START = set("，。、；：？！）」』》〉】”’·…,.;:?!)]}%％")
_NO_LINE_END = set("（「『《〈【“‘([{")
#: A line that ends with one of these ends at a pause, not inside a word.
_SOFT_END = set("，。、；：？！）」』》〉】”·…,;:?!)")


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _tokens(line: str, width: int) -> list[str]:
    """Unbreakable pieces of ``line``; spaces are their own pieces (a line may break there)."""
    tokens: list[str] = []
    glue_next = False
    for piece in _TOKEN.findall(line):
        if piece[0].isascii() and not piece[0].isdigit() and not piece.isspace():
            while _width(piece) > width:  # a very long ASCII word: cut it hard
                cut = 1
                while _width(piece[: cut + 1]) <= width:
                    cut += 1
                tokens.append(piece[:cut])
                piece = piece[cut:]
        glue = glue_next or (piece[0] in _NO_LINE_START and bool(tokens)
                             and not tokens[-1].isspace())
        if glue and tokens:
            tokens[-1] += piece
        else:
            tokens.append(piece)
        glue_next = not piece.isspace() and piece[-1] in _NO_LINE_END
    return tokens


def _wrap_tokens(tokens: list[str], width: int) -> list[str]:
    """The best split of ``tokens`` into lines no wider than ``width`` (see wrap_label)."""
    n = len(tokens)
    # best[i]: (lines, -soft breaks, widest line, lines) for tokens[i:], found right to left.
    best: list[tuple[int, int, float, list[str]]] = [(0, 0, 0.0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            line = "".join(tokens[i:j]).strip()
            line_width = _width(line)
            if line_width > width and j > i + 1:
                break
            if not line:
                continue
            lines, soft, widest, rest = best[j]
            at_pause = j < n and (line[-1] in _SOFT_END or tokens[j].lstrip()[:1] in _NO_LINE_END)
            options.append((lines + 1, soft - at_pause, max(widest, line_width), [line, *rest]))
        best[i] = min(options, key=lambda o: o[:3]) if options else best[i + 1]
    return best[0][3]


@functools.lru_cache(maxsize=1 << 16)
def wrap_label(text: str, width: int) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` characters.

    Of the ways to wrap with the fewest lines, the one with the most breaks at a pause (after
    punctuation, before an opening bracket) wins, since Chinese has no spaces to show where a
    word ends; then the most balanced one (a 13-character label becomes 7 + 6, not 12 + 1).  A
    number stays with its unit (a line may run over for it) and an ASCII word stays whole unless
    it alone is wider than a line.  Existing line breaks are kept.
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        out += _wrap_tokens(_tokens(line, width), width) if _width(line) > width else [line]
    return "\n".join(out)


@dataclass(frozen=True)
class DotNode:
    id: Markup
    svg_id: Markup
    kind: str
    label: Markup
    url: Markup
    tooltip: Markup


@dataclass(frozen=True)
class DotLabel:
    """Text on an edge, drawn as a node of its own: a condition (in the source's lane, right
    after the step it leaves) or a time limit (in the target's lane, right before the step it
    bounds, linked to the clock's row)."""

    id: Markup
    svg_id: Markup
    label: Markup
    url: Markup | None
    tooltip: Markup | None


@dataclass(frozen=True)
class DotLane:
    svg_id: Markup
    label: Markup
    tooltip: Markup
    fill: Markup
    nodes: list[DotNode]
    labels: list[DotLabel]
    anchors: list[Markup]
    chain: list[tuple[Markup, Markup]]


@dataclass(frozen=True)
class DotRow:
    left: Markup
    right: Markup
    cells: list[Markup]
    #: Steps of the row besides each lane's first: the same rank (dot places them in the lane).
    others: list[Markup]


@dataclass(frozen=True)
class DotEdge:
    """One drawn segment of an edge: step or label node to the next one; only the segment
    into the target has an arrowhead, and an edge going up (``back``) constrains no rank."""

    tail: Markup
    head: Markup
    svg_id: Markup
    label: Markup | None
    arrow: bool
    back: bool


@dataclass(frozen=True)
class ProcedureChart:
    id: Markup
    svg_id: Markup
    title: Markup
    tooltip: Markup
    font: Markup
    #: Step and label nodes in reading order: declared first, so that the SVG (and the
    #: keyboard's Tab) visits them along the flow.
    order: list[Markup]
    lanes: list[DotLane]
    guides: tuple[Markup, Markup]
    rows: list[DotRow]
    heads: list[tuple[Markup, Markup]]
    bottom: list[Markup]
    ladder: list[tuple[Markup, Markup]]
    edges: list[DotEdge]


@dataclass(frozen=True)
class StepView:
    number: int
    lane: Markup
    label: Markup
    kind: Markup | None
    clause: Markup
    quote: Markup  # ：“…”, left out of the search index (facts.quoted)
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
    #: Ids the inlined chart refers to: its caption (accessible name) and the step list (its
    #: description), see ``charts.place_charts``.
    caption_id: Markup
    steps_id: Markup


@dataclass(frozen=True)
class EdgeText:
    """What an edge says: its condition, the limit that bounds its target and where that
    limit is stated (tooltip: the clause and quote; anchor: the clock's row)."""

    condition: str | None
    limit: str | None
    tooltip: str | None
    anchor: str | None

    @property
    def line(self) -> str | None:
        """Condition and limit on one line (``否，5个工作日内``), as the step list says it."""
        parts = [p for p in (self.condition, self.limit) if p]
        return "，".join(parts) if parts else None


def _edge_text(edge: Edge, variants_elsewhere: bool) -> EdgeText:
    clock = edge.clock
    if clock is None:
        return EdgeText(edge.condition, None, None, None)
    if edge.variant is not None:
        v = edge.variant
        limit = f"{v.when}：{qualified_limit_text(v.limit, v.qualifier)}"
        provision, quote = v.provision, v.quote
    else:
        limit = (qualified_limit_text(clock.limit, clock.qualifier) if variants_elsewhere
                 else clock_summary(clock))
        provision, quote = clock.provision, clock.quote
    return EdgeText(edge.condition, limit, f"时限：{limit}，依据{provision.label}：“{quote}”",
                    links.clock_anchor(clock.id))


def _edge_texts(proc: Procedure) -> list[EdgeText]:
    """What each edge says, in file order."""
    with_variant = {e.clock for e in proc.edges if e.clock and e.variant is not None}
    return [_edge_text(e, e.clock in with_variant) for e in proc.edges]


def drawn_edge_ids(proc: Procedure) -> list[int]:
    """For each edge in file order, the index its arrow carries in the chart (``e<index>``):
    its own, or, for an edge without words between two steps an earlier edge already joins
    (drawn once: see ``procedure_dot``), that earlier edge's."""
    first: dict[tuple[str, str], int] = {}
    out = []
    for edge, text in zip(proc.edges, _edge_texts(proc), strict=True):
        pair = (edge.source.id, edge.target.id)
        out.append(first[pair] if text.line is None and pair in first else edge.index)
        first.setdefault(pair, edge.index)
    return out


def reading_order(ctx: RenderContext, proc: Procedure) -> list[str]:
    """Step ids as a reader meets them in the chart: row by row (the step's layer, every step
    of a layer in one row), lanes left to right, then the breadth-first walk; the numbers of
    the chart and of the step list follow it.  (Two steps of one lane in one row are placed by
    dot's crossing minimisation, which flat edges do not override inside a cluster.)"""
    doc = proc.document
    walk = ctx.graph.step_order(doc.id, proc.id)
    layers = ctx.graph.step_layers(doc.id, proc.id)
    lane = {a.id: i for i, a in enumerate(proc.lanes)}
    steps = proc.step_by_id
    place = {sid: i for i, sid in enumerate(walk)}
    return sorted(walk, key=lambda sid: (layers[sid], lane[steps[sid].actor.id], place[sid]))


def _step_tooltip(number: int, step: Step) -> str:
    """The step's accessible name: its visible label first (WCAG 2.5.3), then its lane and
    the clause it rests on."""
    kind = _KIND_LABEL[step.kind]
    return (f"{number}. {step.label}" + (f"（{kind}）" if kind else "") +
            f" — {step.actor.name}，依据{step.provision.label}：“{step.quote}”")


def procedure_dot(ctx: RenderContext, proc: Procedure) -> str:
    doc = proc.document
    order = reading_order(ctx, proc)
    number = {step_id: i for i, step_id in enumerate(order)}
    layers = ctx.graph.step_layers(doc.id, proc.id)
    steps = proc.step_by_id
    prefix = f"pk--{proc.id}--"

    def node(sid: str) -> Markup:
        return escape.dot_id(f"n{number[sid]}")

    # Every edge is drawn on its own: two edges between the same steps (否 / 是, each with its
    # limit) are two arrows, each with its own text.  Text on an edge is a node of its own
    # (dot keeps nodes apart, but not reliably the labels of edges leaving one step from
    # different lanes): the condition in the source's lane, right after the step it leaves;
    # the limit in the target's lane, right before the step it bounds (a limit drawn next to
    # the step before read as that step's).  source -> condition -> limit -> target, only the
    # last part with an arrowhead.  An edge going up keeps a plain label (no rank of its own).
    # Edges without text between the same two steps are drawn once.
    texts = _edge_texts(proc)
    edges: list[DotEdge] = []
    lane_labels: dict[str, list[DotLabel]] = {}
    entering: dict[str, list[Markup]] = {}  # step -> its limit labels, for the reading order
    leaving: dict[str, list[Markup]] = {}  # step -> its condition labels
    drawn: set[tuple[str, str]] = set()
    for ei, (edge, text) in enumerate(zip(proc.edges, texts, strict=True)):
        source, target = edge.source.id, edge.target.id
        line = text.line
        if line is None and (source, target) in drawn:
            continue
        drawn.add((source, target))
        back = layers[target] <= layers[source]
        url = escape.dot_string(links.procedure_clause_url(text.anchor)) if text.anchor \
            else None
        tooltip = escape.dot_tooltip(text.tooltip) if text.tooltip else None
        if back or line is None:
            edges.append(DotEdge(node(source), node(target), escape.dot_string(f"{prefix}e{ei}"),
                                 escape.dot_string(wrap_label(line, WRAP_EDGE)) if line else None,
                                 arrow=True, back=back))
            continue
        path = [node(source)]
        # (text, its step: the lane it sits in, node id, svg id suffix, link, tooltip, register)
        parts = [(text.condition, source, "c", "c", None, None, leaving),
                 (text.limit, target, "k", "l", url, tooltip, entering)]
        for label, beside, local, suffix, link, tip, register in parts:
            if label:
                label_id = escape.dot_id(f"{local}{ei}")
                lane_labels.setdefault(steps[beside].actor.id, []).append(DotLabel(
                    label_id, escape.dot_string(f"{prefix}e{ei}{suffix}"),
                    escape.dot_string(wrap_label(label, WRAP_EDGE)), link, tip))
                register.setdefault(beside, []).append(label_id)
                path.append(label_id)
        path.append(node(target))
        for k, (tail, head) in enumerate(pairwise(path)):
            last = k == len(path) - 2
            edges.append(DotEdge(tail, head, escape.dot_string(
                f"{prefix}e{ei}" if last else f"{prefix}e{ei}{'ab'[k]}"), None,
                arrow=last, back=False))
    reading: list[Markup] = []
    for sid in order:
        reading += [*entering.get(sid, []), node(sid), *leaving.get(sid, [])]
    # The grid: a top anchor row, one row per step layer, a bottom anchor row; one lane per
    # column.  Each lane is a cluster holding an invisible anchor in every row where it has no
    # step, so every band spans all rows (the same height) and every row has one cell per lane;
    # with newrank=true the rows are rank=same across the clusters.
    #
    # Keeping the bands in the declared order takes more: dot ignores flat edges between
    # clusters (class2.c drops them), starts from an order that depends on the clusters' ids
    # (declaration order, as the clusters are anonymous: see the template),
    # and orders clusters by crossing minimisation, which gladly moves a band to spare an edge
    # the cost of crossing another band.  So, all invisible:
    # - dot's initial order is a breadth-first walk from the sources: one source ("top") with
    #   edges, in lane order, to a row of heads above the lanes, each with an edge to the first
    #   cell of its lane, and one sink ("bottom") from the last row, make the walk install the
    #   bands left to right in the declared order;
    # - the heads are outside any cluster, so flat edges between them do hold: any other order
    #   of the bands, a mirror image included, makes the head edges cross;
    # - a guide column left and right of the lanes (each a cluster, installed whole at the
    #   edge), and edges from every row to the next one column to the right (left guide ->
    #   lane 0, lane i -> lane i+1, last lane -> right guide): any other order makes those edges
    #   cross whole bands, which costs more than any real edge could gain.
    # These edges have weight 0 (they do not pull nodes sideways), and none joins two steps that
    # a real edge joins (dot would draw the pair as a bundle, bending the real one).  Checked
    # against every procedure in policies/ and random charts of up to 10 lanes, whatever order
    # dot happens to see the clusters in (tests/render/test_render_dot.py).
    joined = {(escape.dot_id(f"n{number[e.source.id]}"), escape.dot_id(f"n{number[e.target.id]}"))
              for e in proc.edges}
    joined |= {(b, a) for a, b in joined}
    height = max(layers.values(), default=0) + 1
    titles = [wrap_label(a.name, WRAP_LANE) for a in proc.lanes]
    title_lines = max((t.count("\n") + 1 for t in titles), default=1)
    grid: list[list[Markup]] = [[escape.dot_id(f"left{row}")] for row in range(height + 2)]
    cells_of: dict[tuple[str, int], list[str]] = {}  # (lane, row) -> its steps, in step order
    for sid in order:
        cells_of.setdefault((steps[sid].actor.id, layers[sid] + 1), []).append(sid)
    lanes = []
    for li, actor_id in enumerate(a.id for a in proc.lanes):
        nodes: list[DotNode] = []
        anchors: list[Markup] = []
        column: list[Markup] = []
        for row in range(height + 2):
            here = cells_of.get((actor_id, row), [])
            for sid in here:
                step = steps[sid]
                width = WRAP_DECISION if step.kind is StepKind.DECISION else WRAP_STEP
                nodes.append(DotNode(
                    id=escape.dot_id(f"n{number[sid]}"),
                    svg_id=escape.dot_string(f"{prefix}n{number[sid]}"),
                    kind=step.kind.value,
                    label=escape.dot_string(wrap_label(f"{number[sid] + 1}. {step.label}",
                                                       width)),
                    url=escape.dot_string(links.procedure_clause_url(step.provision.id)),
                    tooltip=escape.dot_tooltip(_step_tooltip(number[sid] + 1, step)),
                ))
            cell = escape.dot_id(f"n{number[here[0]]}" if here else f"a{li}r{row}")
            if not here:
                anchors.append(cell)
            grid[row].append(cell)
            column.append(cell)
        name = proc.lanes[li].name
        # Every band title gets the same number of lines, so that all bands start (and end)
        # at the same height: "a\n\n" is two lines to Graphviz.
        missing = title_lines - 1 - titles[li].count("\n")
        lanes.append(DotLane(
            svg_id=escape.dot_string(f"{prefix}l{li}"),
            label=escape.dot_string(titles[li] + "\n" * (missing + 1) if missing else titles[li]),
            tooltip=escape.dot_tooltip(name),
            fill=escape.dot_string(LANE_FILLS[li % len(LANE_FILLS)]),
            nodes=nodes,
            labels=lane_labels.get(actor_id, []),
            anchors=anchors,
            chain=[pair for pair in pairwise(column)
                   if pair not in joined],
        ))
    for row, cells in enumerate(grid):
        cells.append(escape.dot_id(f"right{row}"))
    others: dict[int, list[Markup]] = {}
    for (_lane, row), here in sorted(cells_of.items(), key=lambda item: item[0][1]):
        others.setdefault(row, []).extend(node(sid) for sid in here[1:])
    rows = [DotRow(left=cells[0], right=cells[-1], cells=cells[1:-1], others=others.get(row, []))
            for row, cells in enumerate(grid)]
    heads = [(escape.dot_id(f"h{k}"), cell) for k, cell in enumerate(grid[0])]
    ladder = [(upper[k], lower[k + 1])
              for upper, lower in pairwise(grid)
              for k in range(len(upper) - 1) if (upper[k], lower[k + 1]) not in joined]
    chart = ProcedureChart(
        id=escape.dot_id(f"{prefix}graph"),
        svg_id=escape.dot_string(f"{prefix}graph"),
        title=escape.dot_string(wrap_label(proc.title, WRAP_TITLE)),
        tooltip=escape.dot_tooltip(proc.title),
        font=escape.dot_string(FONT),
        order=reading,
        lanes=lanes,
        guides=(escape.dot_string(f"{prefix}gl"), escape.dot_string(f"{prefix}gr")),
        rows=rows,
        heads=heads,
        bottom=grid[-1],
        ladder=ladder,
        edges=edges,
    )
    return render("diagrams/procedure.dot.jinja", chart=chart)


def procedure_view(ctx: RenderContext, proc: Procedure, page: str) -> ProcedureView:
    doc = proc.document
    order = reading_order(ctx, proc)
    number = {step_id: i + 1 for i, step_id in enumerate(order)}
    steps = proc.step_by_id
    exits: dict[str, list[Markup]] = {}
    document = links.document_page(doc.id)
    for edge, text in zip(proc.edges, _edge_texts(proc), strict=True):
        target = edge.target
        line = escape.md_text(f"→ 第{number[target.id]}步「{target.label}」")
        if text.line:
            line = escape.concat(escape.md_text(text.line), Markup(" "), line)
        if text.anchor:
            url = (links.anchor(text.anchor) if page == document
                   else links.relative(page, document, text.anchor))
            line = escape.concat(line, Markup(" "), escape.md_link("时限", url))
        exits.setdefault(edge.source.id, []).append(line)
    step_views = [
        StepView(
            number=number[sid],
            lane=escape.md_text(steps[sid].actor.name),
            label=escape.md_text(steps[sid].label),
            kind=escape.md_text(_KIND_LABEL[steps[sid].kind]) if _KIND_LABEL[steps[sid].kind]
            else None,
            clause=ctx.clause_link(doc, steps[sid].provision, page),
            quote=quoted(steps[sid].quote, cell=False),
            exits=exits.get(sid, []),
        )
        for sid in order
    ]
    path = links.procedure_diagram(doc.id, proc.id)
    chart_id = id_prefix(path)
    return ProcedureView(
        anchor=escape.html_attr(links.procedure_anchor(proc.id)),
        title=escape.md_text(proc.title),
        description=escape.html_block(proc.description) if proc.description else None,
        topic=ctx.topic_link(proc.topic.id, page),
        lanes=escape.md_text("、".join(a.name for a in proc.lanes)),
        placeholder=Markup(diagram_placeholder(str(escape.url(path)))),
        diagram_link=escape.url(links.relative(page, path)),
        steps=step_views,
        caption_id=escape.html_attr(caption_id(chart_id)),
        steps_id=escape.html_attr(text_version_id(chart_id)),
    )
