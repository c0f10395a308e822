"""Batched Graphviz: the site's charts through a few ``dot -Tsvg`` processes (one per core).

One process per chart costs about 11 ms; many graphs in one input stream about 0.7 ms each
(reference/stack-measurements.md).  ``dot`` writes one SVG document per input graph, in order,
so the output is split at each ``</svg>``.  ``dot`` flushes after every graph, so the output
read so far also tells which chart it is drawing: a chart that crashes ``dot`` or takes longer
than ``CHART_SECONDS`` is named, the charts before it are kept, and the rest go on in a fresh
process; no chart is run twice for it.  When a batch prints a warning, it is split in halves
until every message is attributed to the chart that caused it.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import IO

import graphviz

from generator.render import Diagram
from generator.render.procedures import FONT
from generator.runtime.cache import BuildCache, content_key
from generator.runtime.children import die_with_parent
from generator.runtime.workers import worker_count

DOT_COMMAND = (
    "dot",
    "-Tsvg",
    f"-Gfontname={FONT}",
    f"-Nfontname={FONT}",
    f"-Efontname={FONT}",
)
#: No chart may keep ``dot`` busier than this.  A 200-step procedure took 30 s, a 400-step one
#: crashed after 3.5 minutes; a chart within the check's limits takes well under a second.  The
#: clock restarts whenever a chart is complete, so a batch of n charts has n times this budget,
#: and a chart that hits it costs it once: it is named and never run again.
CHART_SECONDS = 60.0
#: Charts per ``dot`` process: large enough that process start-up does not matter (~0.7 ms per
#: chart in a batch, 11 ms for a process of its own).
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
    *,
    chart_seconds: float = CHART_SECONDS,
) -> tuple[dict[str, str], list[DotProblem]]:
    """``render_svgs`` for a whole site: cached charts reused, the rest in parallel batches.

    A chart's cache key is its DOT source plus the command and the Graphviz version, so an
    unchanged chart is never laid out twice.  Charts that drew a message are not cached (the
    message must come again on the next build).
    """
    cache = cache or BuildCache(None)
    salt = content_key(_graphviz_version(), *command)
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
        results = list(pool.map(
            lambda b: render_svgs([d for d, _ in b], command, chart_seconds=chart_seconds),
            batches))
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
def _graphviz_version() -> str:
    """The installed Graphviz's version (the Python ``graphviz`` package asks ``dot -V``): a new
    Graphviz may lay a chart out differently, so it is part of every chart's cache key."""
    try:
        return ".".join(map(str, graphviz.version()))
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError, RuntimeError):
        return "unknown"


def render_svgs(
    diagrams: Sequence[Diagram],
    command: Sequence[str] = DOT_COMMAND,
    *,
    chart_seconds: float = CHART_SECONDS,
) -> tuple[dict[str, str], list[DotProblem]]:
    """SVG text of every chart, keyed by its path, and the problems Graphviz reported.

    A chart with an error is missing from the result.  Warnings keep the chart.  When ``dot``
    stops before the end of a batch (a syntax error, a crash, a chart over ``chart_seconds``),
    the chart it was drawing is named and never run again, the charts before it are kept and a
    fresh ``dot`` goes on after it.  Messages of a batch that finished are attributed by
    splitting it in halves, down to the single charts that cause them.
    """
    out: dict[str, str] = {}
    problems: list[DotProblem] = []
    todo = list(diagrams)
    while todo:
        run = _run(command, todo, chart_seconds)
        if run.unavailable is not None:
            problems.append(DotProblem("", run.unavailable, True))
            break
        if run.stop is None:  # dot went through the whole batch
            if not run.messages and run.returncode == 0:
                out.update((d.path, svg) for d, svg in zip(todo, run.svgs, strict=True))
            elif len(todo) == 1:
                failed = run.returncode != 0
                messages = run.messages or [
                    f"Graphviz ended with {_status(run.returncode)} without a message"]
                problems += [DotProblem(todo[0].path, m, failed) for m in messages]
                if not failed:
                    out[todo[0].path] = run.svgs[0]
            else:
                for part in (todo[: len(todo) // 2], todo[len(todo) // 2 :]):
                    part_svgs, part_problems = render_svgs(part, command,
                                                           chart_seconds=chart_seconds)
                    out.update(part_svgs)
                    problems += part_problems
            break
        finished, culprit = todo[: len(run.svgs)], todo[len(run.svgs)]
        said: set[str] = set()
        if finished and any(not m.startswith("Error:") for m in run.messages):
            # a warning may come from a chart that finished: they run again (never the culprit)
            part_svgs, part_problems = render_svgs(finished, command, chart_seconds=chart_seconds)
            out.update(part_svgs)
            problems += part_problems
            said = {p.message for p in part_problems}
        else:
            out.update((d.path, svg) for d, svg in zip(finished, run.svgs, strict=True))
        own = [m for m in run.messages if m not in said]
        if run.stop or not own:
            problems.append(DotProblem(culprit.path, run.stop or _NO_MESSAGE, True))
        problems += [DotProblem(culprit.path, m, True) for m in own]
        todo = todo[len(run.svgs) + 1 :]
    return out, problems


_NO_MESSAGE = "Graphviz stopped on this chart without a message"


@dataclass(frozen=True)
class _Run:
    """One ``dot`` process over a batch.

    ``svgs``: the complete SVG documents, in input order.  ``stop``: why dot stopped at the
    chart after them (a crash or the time limit; empty when it stopped with an error message of
    its own), ``None`` when it went through the whole batch.  ``unavailable``: dot could not be
    started at all.
    """

    svgs: list[str]
    messages: list[str]
    returncode: int
    stop: str | None = None
    unavailable: str | None = None


#: At most this much of dot's stderr is kept (a flood of warnings must not fill the memory).
_STDERR_LIMIT = 1 << 20
_END = b"</svg>"


def _run(command: Sequence[str], diagrams: Sequence[Diagram], chart_seconds: float) -> _Run:
    """Run ``dot`` over ``diagrams``, reading its output as it comes.

    ``dot`` flushes its output after every graph, so the number of complete SVG documents read
    so far tells which chart it is drawing.  Each chart gets ``chart_seconds`` from the end of
    the one before; a chart that goes over is stopped and named.
    """
    stream = "".join(d.dot.rstrip("\n") + "\n" for d in diagrams).encode("utf-8")
    try:
        proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=die_with_parent())
    except OSError as exc:
        hint = "install Graphviz" if isinstance(exc, FileNotFoundError) else "check Graphviz"
        return _Run([], [], -1, unavailable=f"cannot run {command[0]!r}: "
                    f"{exc.strerror or exc}; {hint}")
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, stream), daemon=True)
    feeder.start()
    out, err = bytearray(), bytearray()
    done, scanned = 0, 0
    deadline = time.monotonic() + chart_seconds
    timed_out = False
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ, out)
        selector.register(proc.stderr, selectors.EVENT_READ, err)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:  # a chart over its time, or dot lingering after the last one
                timed_out = done < len(diagrams)
                proc.kill()
                break
            for key, _ in selector.select(left):
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fileobj)
                elif key.data is out:
                    out += data
                    while (end := out.find(_END, scanned)) >= 0:
                        done, scanned = done + 1, end + len(_END)
                        deadline = time.monotonic() + chart_seconds
                    scanned = max(scanned, len(out) - len(_END))
                elif len(err) < _STDERR_LIMIT:
                    err += data
    proc.wait()
    feeder.join()
    proc.stdout.close()
    proc.stderr.close()
    svgs = split_svg_stream(out.decode("utf-8", "replace"))[:len(diagrams)]
    messages = _messages(err.decode("utf-8", "replace"))
    if len(svgs) == len(diagrams):  # every chart is complete, whatever happened afterwards
        return _Run(svgs, messages, 0 if proc.returncode == -signal.SIGKILL else proc.returncode)
    if timed_out:
        stop = (f"Graphviz did not finish this chart within {chart_seconds:g} s and was "
                f"stopped (not retried); {_TOO_BIG}")
    elif proc.returncode < 0:
        stop = (f"Graphviz crashed on this chart ({_status(proc.returncode)}; not retried); "
                f"{_TOO_BIG}")
    else:
        stop = "" if messages else (
            f"Graphviz stopped on this chart ({_status(proc.returncode)}) after writing "
            f"{len(svgs)} of {len(diagrams)} charts")
    return _Run(svgs, messages, proc.returncode, stop)


_TOO_BIG = "split the procedure into smaller ones or shorten its step labels"


def _feed(pipe: IO[bytes], data: bytes) -> None:
    """Write the batch to dot's stdin (a thread: dot's output must be read meanwhile)."""
    with contextlib.suppress(OSError):  # dot stopped early: broken pipe
        pipe.write(data)
    with contextlib.suppress(OSError):
        pipe.close()


def _status(returncode: int) -> str:
    """``SIGSEGV`` for a process killed by a signal, ``exit status 1`` otherwise."""
    if returncode >= 0:
        return f"exit status {returncode}"
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


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
