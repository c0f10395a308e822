"""Child processes (mkdocs, Pagefind, dot) that end when the build that started them ends.

Why: a build killed with ``SIGKILL`` cannot stop its children.  An orphaned mkdocs went on
writing into the staging folder while the next build was deleting it, and left a half-deleted
staging folder behind (seen once in CI).  On Linux the kernel sends each child ``SIGKILL`` when
its parent dies (``PR_SET_PDEATHSIG``); elsewhere children are started as before.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


#: Looked up once here: after ``fork`` the child should run as little code as possible.
_PRCTL = _load_prctl()


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess`` that ties the child's life to this process.

    The check of the parent's pid closes the gap between ``fork`` and ``prctl``: a parent
    killed in that gap would otherwise leave the child running.
    """
    if _PRCTL is None:
        return None
    prctl, parent = _PRCTL, os.getpid()

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return arm
