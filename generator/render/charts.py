"""Charts into pages: each ``diagram_placeholder`` becomes the inline SVG Graphviz drew for it.

Why inline: flowchart nodes are links to clauses, and only an SVG in the page keeps them
clickable (and printable, and readable offline); the standalone SVG file stays beside the pages
with its links rebased to the page that shows it.  Inlining and rebasing are pure text work on
SVG that is the same on every build, so their results are kept in the build cache.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from generator.dot import id_prefix, inline_svg, rebase_links
from generator.render import RenderedSite, diagram_placeholder
from generator.render.links import page_url
from generator.runtime.cache import BuildCache, content_key

_BEFORE, _AFTER = diagram_placeholder("\0").split("\0")
_PLACEHOLDER = re.compile(
    rf"^([ \t]*){re.escape(_BEFORE)}(.+?){re.escape(_AFTER)}[ \t]*$", re.MULTILINE
)


@dataclass
class PlacedCharts:
    """Every generated file (pages with their charts, downloads, standalone SVG files), and
    the placeholders that name no chart (page, path)."""

    files: dict[str, bytes] = field(default_factory=dict)
    unknown: list[tuple[str, str]] = field(default_factory=list)


def place_charts(site: RenderedSite, svgs: dict[str, str], cache: BuildCache) -> PlacedCharts:
    """Inline ``svgs`` (chart path → SVG) into ``site``'s pages; a chart missing from ``svgs``
    (Graphviz failed on it: reported there) leaves its placeholder, and the build stops."""
    known = {d.path for d in site.diagrams}
    placed = PlacedCharts()
    embedded_in: dict[str, str] = {}
    for page, text in site.pages.items():
        seen: dict[str, int] = {}

        def inline(m: re.Match[str], page: str = page, seen: dict[str, int] = seen) -> str:
            indent, path = m.group(1), unquote(html.unescape(m.group(2)))
            if path not in known:
                placed.unknown.append((page, path))
            if path not in svgs:
                return m.group(0)
            seen[path] = seen.get(path, 0) + 1
            prefix = id_prefix(path) + (f"-{seen[path]}" if seen[path] > 1 else "")
            embedded_in.setdefault(path, page)
            svg = svgs[path]
            body = cache.text("inline", content_key(svg, prefix), inline_svg, svg, prefix)
            lines = [f'<div class="pk-diagram" data-diagram="{html.escape(path)}">', body, "</div>"]
            return "\n" + "\n".join(indent + line for line in "\n".join(lines).split("\n")) + "\n"

        placed.files[page] = _PLACEHOLDER.sub(inline, text).encode("utf-8")
    placed.files.update(site.binaries)
    for diagram in site.diagrams:
        if diagram.path in svgs:
            svg = svgs[diagram.path]
            host = embedded_in.get(diagram.path)
            if host is not None:
                base, own = page_url(host), diagram.path
                svg = cache.text("inline", content_key(svg, base, own), rebase_links, svg, base,
                                 own)
            placed.files[diagram.path] = svg.encode("utf-8")
    return placed
