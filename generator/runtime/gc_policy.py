"""Garbage-collector policy for long runs (build, check): few passes over a heap that only grows.

Why: a build keeps what it makes until it ends (the checked policies, the graph, the rendered
pages): millions of objects, almost none of them garbage.  CPython's default thresholds
(700, 10, 10) start a full collection whenever the survivors have grown by a quarter, and every
full pass walks every object.  Measured on 1,000 synthetic policies: check + graph + render took
27.1 s with the defaults and 19.0 s under this policy, at the same peak memory (1.33 GB).
Reference cycles are still collected (young generations); objects are still freed by their
reference counts.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Young collections 140 times less often; full collections only when ``settle`` is not enough.
THRESHOLDS = (100_000, 50, 1_000)


@contextmanager
def few_collections() -> Iterator[None]:
    """Run the block under ``THRESHOLDS``; the previous thresholds come back afterwards and the
    objects ``settle`` set aside are visible to the collector again."""
    previous = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def settle() -> None:
    """Everything made so far lives until the run ends: later collections skip it (and forked
    workers keep sharing its memory pages instead of copying them to update GC headers)."""
    gc.freeze()


@contextmanager
def paused_collections() -> Iterator[None]:
    """No collection at all in the block (a decorator too): for work that allocates ~10^4
    containers per document and frees them by reference count, making no cycles (the export).
    The allocations would otherwise start full collections that walk the whole knowledge base:
    at 1,000 documents they made the export 1.6x slower."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
