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

from generator.runtime.cache import BuildCache

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

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
    if len(missing) >= PARALLEL_FROM:
        blobs = _run_pickled([(func, inputs[i]) for i in missing])
        for index, blob in zip(missing, blobs, strict=True):
            cache.put(kind, keys[index], blob)
            results[index] = pickle.loads(blob)
    else:
        for index in missing:
            results[index] = value = func(inputs[index])
            cache.put_object(kind, keys[index], value)
    return results


#: In a forked worker of ``fork_map``: the value shared by every job (set by ``_receive``).
_shared: Any = None


def _receive(shared: Any) -> None:
    global _shared
    _shared = shared


def _pickled_with_shared(call: tuple[Callable[[Any, Any], Any], Any]) -> bytes:
    func, item = call
    return pickle.dumps(func(_shared, item), protocol=pickle.HIGHEST_PROTOCOL)


def fork_map(func: Callable[[S, T], R], shared: S, inputs: Sequence[T]) -> list[R]:
    """``[func(shared, x) for x in inputs]`` on every core when there are enough inputs.

    ``shared`` (a render context holding the whole knowledge base, say) reaches the workers
    through ``fork``, once per worker, instead of being pickled once per input; only each
    job's result is pickled back.  Results keep the input order.
    """
    workers = min(worker_count(), len(inputs))
    if len(inputs) < PARALLEL_FROM or workers <= 1 or "fork" not in _start_methods():
        return [func(shared, x) for x in inputs]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_receive,
                             initargs=(shared,)) as pool:
        blobs = pool.map(_pickled_with_shared, [(func, x) for x in inputs],
                         chunksize=max(1, len(inputs) // (workers * 8)))
        return [pickle.loads(blob) for blob in blobs]


def _run_pickled(calls: list[tuple[Callable[[Any], Any], Any]]) -> list[bytes]:
    """Each call's pickled result, in order: in forked workers, or here when there is one core
    or no ``fork`` (the results are the same either way)."""
    workers = min(worker_count(), len(calls))
    if workers <= 1 or "fork" not in _start_methods():
        return [_pickled(call) for call in calls]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_pickled, calls, chunksize=max(1, len(calls) // (workers * 8))))


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
