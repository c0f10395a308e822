"""Map a pure function over many inputs: cached results first, the rest on every core.

Why: checking thousands of policy files is CPU-bound Python, one file independent of the
others.  Results come back from the cache when their key is known; the misses run in worker
processes when there are enough of them to pay for starting the pool (``PARALLEL_FROM``), else
in this process.  Results are returned in input order, so the outcome does not depend on
which worker finished first.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from generator.cache import BuildCache

T = TypeVar("T")
R = TypeVar("R")

#: Fewer misses than this are computed in this process (a pool costs ~0.1 s to start).
PARALLEL_FROM = 24


def worker_count() -> int:
    """``POLICYKB_WORKERS`` if set (1 disables the pool), else the number of usable cores."""
    value = os.environ.get("POLICYKB_WORKERS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _pickled(call: tuple[Callable[[Any], Any], Any]) -> bytes:
    func, item = call
    return pickle.dumps(func(item), protocol=pickle.HIGHEST_PROTOCOL)


def cached_map(
    func: Callable[[T], R],
    inputs: Sequence[T],
    keys: Sequence[str],
    cache: BuildCache,
    kind: str,
) -> list[R]:
    """``[func(x) for x in inputs]``, reusing cached results stored under ``keys``.

    ``func`` must be a module-level function whose result pickles; it must not depend on
    anything but its argument (the key must cover everything it reads).
    """
    results: list[Any] = [None] * len(inputs)
    missing: list[int] = []
    for index, key in enumerate(keys):
        found = cache.get_object(kind, key)
        if found is None:
            missing.append(index)
        else:
            results[index] = found
    workers = min(worker_count(), len(missing))
    calls = [(func, inputs[i]) for i in missing]
    if workers > 1 and len(missing) >= PARALLEL_FROM and "fork" in _start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            blobs = list(pool.map(_pickled, calls, chunksize=max(1, len(calls) // (workers * 8))))
        for index, blob in zip(missing, blobs, strict=True):
            cache.put(kind, keys[index], blob)
            results[index] = pickle.loads(blob)
    else:
        for index in missing:
            results[index] = value = func(inputs[index])
            cache.put_object(kind, keys[index], value)
    return results


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
