"""A child started with ``die_with_parent`` ends when its parent is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import process_running

ROOT = Path(__file__).resolve().parents[2]

_PARENT = """
import subprocess, sys
sys.path.insert(0, {root!r})
from generator.runtime.children import die_with_parent
child = subprocess.Popen(["sleep", "120"], preexec_fn={preexec})
print(child.pid, flush=True)
child.wait()
"""


def _orphan_after_killing_parent(preexec: str) -> int:
    code = _PARENT.format(root=str(ROOT), preexec=preexec)
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    with parent.stdout:
        child = int(parent.stdout.readline())
        assert process_running(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    return child


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_tied_to_its_parent_dies_with_it() -> None:
    child = _orphan_after_killing_parent("die_with_parent()")
    deadline = time.monotonic() + 10
    while process_running(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not process_running(child)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_an_untied_child_outlives_its_parent() -> None:
    """The control: without the tie the child goes on (so the test above can fail)."""
    child = _orphan_after_killing_parent("None")
    try:
        time.sleep(0.3)
        assert process_running(child)
    finally:
        os.kill(child, signal.SIGKILL)
