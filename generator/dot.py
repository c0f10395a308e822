"""Batched Graphviz: the site's charts through a few ``dot -Tsvg`` processes (one per core).

One process per chart costs about 11 ms; many graphs in one input stream about 0.7 ms each
(reference/stack-measurements.md).  ``dot`` writes one SVG document per input graph, in order,
so the output is split at each ``</svg>``.  When ``dot`` fails or prints anything, the batch is
split in halves until every message is attributed to the chart that caused it.

This module also turns Graphviz's SVG into something that can be inlined into a page: no XML
prolog, doctype or comments, and ids made unique with a per-chart prefix (links that point at a
page anchor, such as a flowchart step's ``xlink:href="#s3-1"``, are left alone).
"""

from __future__ import annotations

import html
import posixpath
import re
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlsplit

from generator.render import Diagram
from generator.runtime.cache import BuildCache, content_key
from generator.runtime.workers import worker_count

#: CJK labels need a CJK font for correct widths (fonts-noto-cjk).
FONT = "Noto Sans CJK SC"
DOT_COMMAND = (
    "dot",
    "-Tsvg",
    f"-Gfontname={FONT}",
    f"-Nfontname={FONT}",
    f"-Efontname={FONT}",
)
TIMEOUT_SECONDS = 300
#: Charts per ``dot`` process: small enough to finish well inside the timeout on a busy
#: machine (~20 ms per chart), large enough that process start-up does not matter.
BATCH_SIZE = 400


@dataclass(frozen=True)
class DotProblem:
    """A message from Graphviz about one chart (``path`` is empty when it cannot be told)."""

    path: str
    message: str
    error: bool


def render_all_svgs(
    diagrams: Sequence[Diagram],
    cache: BuildCache | None = None,
    command: Sequence[str] = DOT_COMMAND,
) -> tuple[dict[str, str], list[DotProblem]]:
    """``render_svgs`` for a whole site: cached charts reused, the rest in parallel batches.

    A chart's cache key is its DOT source plus the command and the Graphviz version, so an
    unchanged chart is never laid out twice.  Charts that drew a message are not cached (the
    message must come again on the next build).
    """
    cache = cache or BuildCache(None)
    salt = content_key(_graphviz_version(command[0]), *command)
    keys = [content_key(salt, d.dot) for d in diagrams]
    out: dict[str, str] = {}
    todo: list[tuple[Diagram, str]] = []
    for diagram, key in zip(diagrams, keys, strict=True):
        hit = cache.get("svg", key)
        if hit is not None:
            out[diagram.path] = hit.decode("utf-8")
        else:
            todo.append((diagram, key))
    size = max(1, min(BATCH_SIZE, -(-len(todo) // worker_count())))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    problems: list[DotProblem] = []
    with ThreadPoolExecutor(max_workers=max(1, min(worker_count(), len(batches)))) as pool:
        results = list(pool.map(lambda b: render_svgs([d for d, _ in b], command), batches))
    for batch, (svgs, batch_problems) in zip(batches, results, strict=True):
        problems += batch_problems
        failed = {p.path for p in batch_problems}
        for diagram, key in batch:
            if diagram.path in svgs:
                out[diagram.path] = svgs[diagram.path]
                if diagram.path not in failed:
                    cache.put("svg", key, svgs[diagram.path].encode("utf-8"))
    return out, problems


@cache
def _graphviz_version(program: str) -> str:
    try:
        proc = subprocess.run([program, "-V"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (proc.stdout + proc.stderr).decode("utf-8", "replace").strip()


def render_svgs(
    diagrams: Sequence[Diagram], command: Sequence[str] = DOT_COMMAND
) -> tuple[dict[str, str], list[DotProblem]]:
    """SVG text of every chart, keyed by its path, and the problems Graphviz reported.

    A chart with an error is missing from the result.  Warnings keep the chart.  When a batch
    fails or prints anything it is split — around the graph dot stopped at, otherwise in
    halves — and the parts rendered again, down to the single charts that cause the messages.
    """
    if not diagrams:
        return {}, []
    stream = "".join(d.dot.rstrip("\n") + "\n" for d in diagrams)
    ok, svgs, stderr = _run(command, stream, len(diagrams))
    if ok and not stderr.strip():
        return {d.path: svg for d, svg in zip(diagrams, svgs, strict=True)}, []
    messages = _messages(stderr)
    if len(diagrams) == 1:
        only = diagrams[0]
        problems = [DotProblem(only.path, line, error=not ok) for line in messages]
        if not problems:
            problems = [DotProblem(only.path, "Graphviz failed without a message", True)]
        return ({only.path: svgs[0]} if ok else {}), problems
    out: dict[str, str] = {}
    if not ok and 0 < len(svgs) < len(diagrams):
        # dot stops at the first graph it cannot parse, after writing the ones before it:
        # keep those when the error is all it said, and go on after the bad graph.
        bad = len(svgs)
        if all(line.startswith("Error:") for line in messages):
            out.update((d.path, svg) for d, svg in zip(diagrams[:bad], svgs, strict=True))
            parts = [diagrams[bad : bad + 1], diagrams[bad + 1 :]]
        else:
            parts = [diagrams[:bad], diagrams[bad : bad + 1], diagrams[bad + 1 :]]
    else:  # warnings (or no output at all): halves, down to the charts that cause them
        parts = [diagrams[: len(diagrams) // 2], diagrams[len(diagrams) // 2 :]]
    found: list[DotProblem] = []
    for part in parts:
        part_svgs, part_problems = render_svgs(part, command)
        out.update(part_svgs)
        found += part_problems
    return out, found


def _run(command: Sequence[str], stream: str, expected: int) -> tuple[bool, list[str], str]:
    try:
        proc = subprocess.run(
            list(command),
            input=stream.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        return False, [], f"Error: {command[0]!r} not found; install Graphviz"
    except subprocess.TimeoutExpired:
        return False, [], f"Error: {command[0]} did not finish within {TIMEOUT_SECONDS} s"
    stderr = proc.stderr.decode("utf-8", "replace")
    svgs = split_svg_stream(proc.stdout.decode("utf-8", "replace"))
    ok = proc.returncode == 0 and len(svgs) == expected
    if proc.returncode == 0 and len(svgs) != expected:
        stderr += f"\nError: expected {expected} SVG documents from {command[0]}, got {len(svgs)}"
    return ok, svgs, stderr


def _messages(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.strip()]


#: Traces of the other graphs of a batched run: dot prefixes the ids of every graph after the
#: first with ``page<i>,<j>_``, and titles anonymous subgraphs with a process-wide counter.
_BATCH_ID = re.compile(r'(\bid="(?:a_)?)page\d+,\d+_')
_ANONYMOUS_TITLE = re.compile(r"^<title>%\d+</title>\n", re.MULTILINE)


def split_svg_stream(text: str) -> list[str]:
    """Split concatenated SVG documents (each ends with ``</svg>``), batch traces removed.

    A chart's SVG must not depend on which charts shared its ``dot`` run: it is cached and
    reused across builds, and a rebuild must give the bytes of a clean build.
    """
    parts = text.split("</svg>")
    return [_ANONYMOUS_TITLE.sub("", _BATCH_ID.sub(r"\1", p.strip())) + "\n</svg>\n"
            for p in parts[:-1]]


# --- making an SVG document inlinable -----------------------------------------------------------

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
    body = _PROLOG.sub("", svg)
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
