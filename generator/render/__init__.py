"""Render stage: KnowledgeBase → Markdown pages, data files and DOT sources, all in memory.

Contract with ``build``: nothing here touches the disk or runs a process.  ``build`` renders the
DOT sources with one batched ``dot`` run and replaces each ``diagram_placeholder(path)`` in the
pages with the inline SVG, so flowchart nodes stay clickable links.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagram:
    """One Graphviz chart: ``path`` is docs-relative (``diagrams/<doc>/<proc>.svg``)."""

    path: str
    dot: str


@dataclass
class RenderedSite:
    """Every generated file, keyed by docs-relative POSIX path."""

    pages: dict[str, str] = field(default_factory=dict)
    binaries: dict[str, bytes] = field(default_factory=dict)
    diagrams: list[Diagram] = field(default_factory=list)


def diagram_placeholder(path: str) -> str:
    """Marker that ``build`` swaps for the inline SVG of the diagram at ``path``."""
    return f"<!-- policykb-diagram: {path} -->"
