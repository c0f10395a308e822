"""Charts into pages: each ``diagram_placeholder`` becomes the inline SVG Graphviz drew for it.

Graphviz's SVG is made inlinable here: no XML prolog, doctype or comments, and ids made unique
with a per-chart prefix (links that point at a page anchor, such as a flowchart step's
``xlink:href="#s3-1"``, are left alone).

Graphviz names every node, edge and cluster with a ``<title>`` holding its DOT id ("n0->n1"):
browsers show it as a tooltip and screen readers read it, so every one is removed; the tooltips
the DOT sets (``xlink:title``) stay, and name the links.  A chart whose page holds an element
with the id ``caption_id(prefix)`` is named by it (``aria-labelledby``), and described by the
element ``text_version_id(prefix)`` (the step list that says everything the chart says).

Why inline: flowchart nodes are links to clauses, and only an SVG in the page keeps them
clickable (and printable, and readable offline); the standalone SVG file stays beside the pages
with its links rebased to the page that shows it.  Inlining and rebasing are pure text work on
SVG that is the same on every build, so their results are kept in the build cache.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import unquote, urljoin, urlsplit

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

        def inline(m: re.Match[str], page: str = page, seen: dict[str, int] = seen,
                   text: str = text) -> str:
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
            body = _tie_to_page(body, prefix, text)
            # A chart wider than the screen scrolls in its box: the box takes the focus, so
            # that the keyboard can scroll it too (WCAG 2.1.1).
            named = (f' aria-labelledby="{caption_id(prefix)}"'
                     if f'id="{caption_id(prefix)}"' in text else ' aria-label="图"')
            lines = [f'<div class="pk-diagram" data-diagram="{html.escape(path)}" tabindex="0"'
                     f' role="region"{named}>', body, "</div>"]
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
            placed.files[diagram.path] = _TITLE.sub("", svg).encode("utf-8")
    return placed


# --- making an SVG document inlinable -----------------------------------------------------------

_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_SVG_START = re.compile(r"<svg\b")


def caption_id(prefix: str) -> str:
    """Id of the element on the page that names the chart with id prefix ``prefix``."""
    return f"{prefix}-caption"


def text_version_id(prefix: str) -> str:
    """Id of the element on the page that says in words what the chart draws."""
    return f"{prefix}-text"


def _tie_to_page(body: str, prefix: str, page: str) -> str:
    """The chart named by its caption and described by its text version, where the page has
    them; a chart without a caption is a group named by nothing it does not say itself."""
    attributes = ['role="group"']
    for name, element in (("aria-labelledby", caption_id(prefix)),
                          ("aria-describedby", text_version_id(prefix))):
        if f'id="{element}"' in page:
            attributes.append(f'{name}="{element}"')
    return _SVG_START.sub("<svg " + " ".join(attributes), body, count=1)


_PROLOG = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>[]*(\[[^\]]*\])?[^>]*>|<!--.*?-->", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_HREF = re.compile(r'\b((?:xlink:)?href)="([^"]*)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def _unescaped(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def inline_svg(svg: str, prefix: str) -> str:
    """The ``<svg>`` element alone, ids prefixed with ``prefix``, on lines with no blank line.

    ``prefix`` must be a plain ASCII slug (``id_prefix``).  Graphviz writes "-" in ids as
    "&#45;" but links as given, so ids are compared unescaped and rewritten as written.
    """
    body = _TITLE.sub("", _PROLOG.sub("", svg))
    start = body.find("<svg")
    if start < 0:
        return ""
    body = body[start:]
    defined = {_unescaped(v) for v in _ID.findall(body)}
    body = _ID.sub(f'id="{prefix}-\\1"', body)

    def href(m: re.Match[str]) -> str:
        attr, value = m.group(1), m.group(2)
        if value.startswith("#") and _unescaped(value[1:]) in defined:
            return f'{attr}="#{prefix}-{value[1:]}"'
        return m.group(0)

    body = _HREF.sub(href, body)
    body = _URL_REF.sub(
        lambda m: f"url(#{prefix}-{m.group(1)})" if _unescaped(m.group(1)) in defined
        else m.group(0),
        body,
    )
    return "\n".join(line.rstrip() for line in body.splitlines() if line.strip())


def id_prefix(path: str) -> str:
    """``diagrams/a/b.svg`` → ``dg-a-b``: a prefix that is unique per chart."""
    stem = path.removeprefix("diagrams/").removesuffix(".svg")
    return "dg-" + re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-")


def rebase_links(svg: str, from_url: str, to_url: str) -> str:
    """Rewrite relative links written for the page at ``from_url`` for a file at ``to_url``.

    Both are site-relative URLs (``documents/x/``, ``diagrams/x/p.svg``).  Used for the
    standalone ``.svg`` file of a chart that is inlined into a page.
    """
    own_ids = {_unescaped(v) for v in _ID.findall(svg)}
    base = posixpath.dirname("/" + to_url)
    page = posixpath.relpath("/" + from_url, base) + ("/" if from_url.endswith("/") else "")
    page = "" if page == "./" else page

    @cache
    def rebased(value: str) -> str | None:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith("/"):
            return None
        if value.startswith("#"):
            return None if _unescaped(value[1:]) in own_ids else page + value
        target = urlsplit(urljoin("/" + from_url, value))
        rel = posixpath.relpath(target.path, base)
        if target.path.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return rel + ("#" + target.fragment if target.fragment else "")

    def fix(m: re.Match[str]) -> str:
        new = rebased(m.group(2))
        return m.group(0) if new is None else f'{m.group(1)}="{new}"'

    return _HREF.sub(fix, svg)
