"""Page budget and the split of cross-jurisdiction pages along the jurisdiction tree.

A topic page, the clocks table, the document list and the citation chart grow with the knowledge
base; the browser and the printer do not.  Each of those pages is planned here: when everything
fits in :data:`PAGE_BUDGET` it stays one page (the five real documents keep their side-by-side
pages); otherwise the page becomes a summary with one row per child jurisdiction (province, then
prefecture …) and the child subtrees move to parts below it, split again until each part fits.
Neighbouring subtrees that fit together share a part (the summary still has a row for each), so
small provinces do not become a page each; a jurisdiction whose own documents alone do not fit is
cut into consecutive chunks of documents.

The rule has no threshold tuned to one size: it only compares measured sizes with the budget, so
the same knowledge base always gives the same parts, whatever order it was loaded in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from generator.domain.graph import KnowledgeGraph

#: Largest HTML page the site may serve, in bytes (the client's requirement).
PAGE_BUDGET = 150_000
#: What mkdocs-material adds around every page (header, navigation, footer), measured ~14 KB.
CHROME_BYTES = 16_000
#: Python-Markdown output bytes per Markdown byte for the generated tables: 1.17–1.39 on the
#: synthetic 100- and 300-document knowledge bases; rounded up.
HTML_PER_MARKDOWN = 1.45
#: Share of the budget kept free: sizes are estimated from Markdown before mkdocs and dot run,
#: and the estimates err by up to ~10% (a citation part planned to fit came out at 151 KB at
#: 3,000 documents when the whole budget was planned for).
SAFETY_MARGIN = 0.15
#: Bytes of HTML the content of one page may take.
CONTENT_BUDGET = int(PAGE_BUDGET * (1 - SAFETY_MARGIN)) - CHROME_BYTES


def html_bytes(markdown: str) -> int:
    """Estimated HTML size of generated Markdown."""
    return int(len(markdown.encode("utf-8")) * HTML_PER_MARKDOWN) + 1


def row_bytes(cells: Sequence[str]) -> int:
    """Estimated HTML size of a table row ``| a | b |`` of ``cells`` (the row markup itself is
    written by a template; this counts its cells and separators)."""
    return html_bytes("".join(cells)) + int(4 * (len(cells) + 1) * HTML_PER_MARKDOWN)


@dataclass(frozen=True)
class Size:
    """What one jurisdiction adds to a page: a fixed part (its gap rows, its heading) and one
    size per document shown (in the order the page shows them)."""

    fixed: int = 0
    items: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return self.fixed + sum(self.items)


@dataclass(frozen=True)
class Share:
    """The rows of one jurisdiction shown on a part: its items ``start:stop``."""

    jurisdiction: str
    start: int
    stop: int


@dataclass(frozen=True)
class Part:
    """One page of a split.

    ``key`` is "" for the entry page, else the id of its first member, or ``<id>--<n>`` for the
    n-th chunk of a jurisdiction's own documents (ids never contain ``--``).  ``members`` are
    the jurisdictions whose subtrees it covers (several small neighbours share one part);
    ``shares`` the rows shown in full; ``children`` the keys of the parts below it.
    """

    key: str
    members: tuple[str, ...]
    shares: tuple[Share, ...]
    children: tuple[str, ...] = ()
    whole: bool = True

    @property
    def jurisdictions(self) -> list[str]:
        return [s.jurisdiction for s in self.shares]

    @property
    def chunk(self) -> bool:
        return "--" in self.key


@dataclass(frozen=True)
class Entry:
    """One row of a summary: a member jurisdiction (or a chunk) and the part that shows it."""

    jurisdiction: str
    part: str
    #: Jurisdictions it covers, in tree order (for a chunk: the one whose documents it holds).
    jurisdictions: tuple[str, ...]
    #: For a chunk, the documents shown: ``start:stop`` of the jurisdiction's items.
    items: tuple[int, int] | None = None


@dataclass
class Plan:
    """Every part of one split page; ``parts[0]`` is the entry page."""

    parts: list[Part] = field(default_factory=list)
    #: Jurisdiction -> every jurisdiction with rows in its subtree, tree order.
    under: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_key: dict[str, Part] = field(default_factory=dict, repr=False)
    _parents: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def split(self) -> bool:
        return len(self.parts) > 1

    def part(self, key: str) -> Part:
        return self._index()[0][key]

    def _index(self) -> tuple[dict[str, Part], dict[str, str]]:
        """Parts by key and each part's parent, built once the plan is complete."""
        if len(self._by_key) != len(self.parts):
            self._by_key = {p.key: p for p in self.parts}
            self._parents = {c: p.key for p in self.parts for c in p.children}
        return self._by_key, self._parents

    def ancestors(self, key: str) -> list[str]:
        """Keys of the parts above ``key``, from the entry page down."""
        parents = self._index()[1]
        chain: list[str] = []
        up = parents.get(key)
        while up is not None:
            chain.append(up)
            up = parents.get(up)
        return chain[::-1]

    def name(self, key: str, name_of: Callable[[str], str]) -> str:
        """``江苏省``; ``北京市、天津市`` for neighbours sharing a part (``甲、乙等5个辖区`` beyond
        three); ``江苏省（本级文件 第2部分）`` for a chunk of a jurisdiction's own documents."""
        part = self.part(key)
        if part.chunk:
            return f"{name_of(part.members[0])}（本级文件 第{key.rsplit('--', 1)[1]}部分）"
        names = [name_of(m) for m in part.members]
        if len(names) > 3:
            return f"{'、'.join(names[:2])}等{len(names)}个辖区"
        return "、".join(names)

    def entries(self, part: Part) -> list[Entry]:
        """The rows of ``part``'s summary: one per member of each part below it."""
        out = []
        for key in part.children:
            child = self.part(key)
            if child.chunk:
                share = child.shares[0]
                out.append(Entry(share.jurisdiction, key, (share.jurisdiction,),
                                 (share.start, share.stop)))
            else:
                out.extend(Entry(m, key, self.under[m]) for m in child.members)
        return out


@dataclass(frozen=True)
class AreaTree:
    """The jurisdiction tree pruned to jurisdictions with documents in their subtree: the only
    ones a split page can show (a full registry has thousands of empty townships)."""

    roots: tuple[str, ...]
    below: dict[str, tuple[str, ...]]

    def children(self, jurisdiction_id: str) -> tuple[str, ...]:
        return self.below.get(jurisdiction_id, ())


@lru_cache(maxsize=4)
def area_tree(graph: KnowledgeGraph) -> AreaTree:
    """Built once per knowledge graph and shared by every split page family."""
    below = {}
    stack = [r for r in graph.roots() if graph.has_documents(r)]
    roots = tuple(stack)
    while stack:
        j = stack.pop()
        below[j] = tuple(c for c in graph.children(j) if graph.has_documents(c))
        stack.extend(below[j])
    return AreaTree(roots, below)


def chunk_key(jurisdiction_id: str, number: int) -> str:
    return f"{jurisdiction_id}--{number}"


def plan(roots: Sequence[str], children: Callable[[str], Sequence[str]],
         size: Callable[[str], Size], budget: int, summary_row: int) -> Plan:
    """Split the jurisdiction forest under ``roots`` into parts of at most ``budget`` each.

    ``size(j)`` is what jurisdiction ``j`` itself adds (nothing for a jurisdiction with nothing to
    show); ``summary_row`` what one row of a summary table costs.  A subtree that fits is one
    part, shared with the following siblings while they fit too; one that does not becomes a
    summary of its children, with its own rows beside the summary when they fit and in chunks
    of documents otherwise.  A jurisdiction with no rows of its own and a single child is passed
    through, so the country level never becomes a page that only links to one child.
    """
    totals: dict[str, int] = {}
    order: dict[str, list[str]] = {}
    size = lru_cache(maxsize=None)(size)
    result = Plan()

    def walk(j: str) -> int:
        kids = [c for c in children(j) if walk(c) > 0]
        order[j] = kids
        own = size(j)
        totals[j] = own.total + sum(totals[c] for c in kids)
        shown = (j,) if own.total > 0 or own.items else ()
        result.under[j] = shown + tuple(x for c in kids for x in result.under[c])
        return totals[j]

    tops = [r for r in roots if walk(r) > 0]

    def shares(members: Sequence[str]) -> tuple[Share, ...]:
        return tuple(Share(x, 0, len(size(x).items))
                     for m in members for x in result.under[m])

    def place(key: str, members: tuple[str, ...], j: str | None, kids: list[str]) -> None:
        own = size(j) if j is not None else Size()
        if own.total == 0 and len(kids) == 1:
            place(key, members, kids[0], order[kids[0]])  # pass through a level with one child
            return
        if sum(totals[k] for k in kids) + own.total <= budget:
            result.parts.append(Part(key, members, shares([j] if j is not None else kids)))
            return
        groups: list[list[str]] = []
        used = budget + 1
        for k in kids:
            if totals[k] > budget or used + totals[k] > budget:
                groups.append([k])
                used = totals[k] if totals[k] <= budget else budget + 1
            else:
                groups[-1].append(k)
                used += totals[k]
        summary = summary_row * (len(kids) + 1)
        own_shares: tuple[Share, ...] = ()
        chunks: list[Part] = []
        if j is not None and own.total > 0:
            if own.total + summary <= budget:
                own_shares = (Share(j, 0, len(own.items)),)
            else:
                chunks = [Part(chunk_key(j, n), (j,), (Share(j, a, b),))
                          for n, (a, b) in enumerate(_chunks(own, budget), start=1)]
        result.parts.append(Part(key, members, own_shares,
                                 tuple([*(c.key for c in chunks), *(g[0] for g in groups)]),
                                 whole=False))
        result.parts.extend(chunks)
        for group in groups:
            if len(group) == 1:
                place(group[0], (group[0],), group[0], order[group[0]])
            else:
                result.parts.append(Part(group[0], tuple(group), shares(group)))

    place("", (), None, tops)
    return result


def _chunks(own: Size, budget: int) -> list[tuple[int, int]]:
    """Consecutive ranges of items, each with the fixed part, within ``budget`` when possible
    (an item larger than the budget still gets a chunk of its own)."""
    ranges: list[tuple[int, int]] = []
    start, used = 0, own.fixed
    for i, item in enumerate(own.items):
        if i > start and used + item > budget:
            ranges.append((start, i))
            start, used = i, own.fixed
        used += item
    ranges.append((start, len(own.items)))
    return ranges
