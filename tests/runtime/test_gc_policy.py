"""The build's garbage-collector policy is scoped: the process gets its own settings back."""

from __future__ import annotations

import gc

from generator.runtime.gc_policy import THRESHOLDS, few_collections, settle


def test_thresholds_and_frozen_objects_come_back_after_the_block() -> None:
    before = gc.get_threshold()
    with few_collections():
        assert gc.get_threshold() == THRESHOLDS
        settle()
        assert gc.get_freeze_count() > 0  # what exists now is set aside
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_the_block_are_still_collected() -> None:
    class Node:
        pass

    with few_collections():
        gc.collect()
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        del a, b
        assert gc.collect() >= 2
