"""Content-addressed build cache: a result is stored under the hash of everything it depends on.

Why: a rebuild after one policy changed should cost a fraction of a full build.  Checking a
policy file, rendering a chart with ``dot`` and reading a built page for the link checker are
pure functions of their inputs, so their results are kept in ``.policykb-cache/`` (next to
``docs/``) under ``<kind>/<sha256>``, where the key covers the input bytes *and* the code that
produced the result (``code_fingerprint``), so editing the generator invalidates old entries
without any bookkeeping.

The cache is an optimisation only: a missing, unreadable or corrupt entry is recomputed, and a
write that fails is ignored.  Entries are written to a temporary name and renamed, so a killed
build never leaves half an entry.  After a successful build, entries of a kind that the build
did not use are deleted (``prune``), so the cache holds one build's worth of data.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIR_NAME = ".policykb-cache"
#: Bump to invalidate every entry when the layout of the cache itself changes.
FORMAT = "1"
_PACKAGES = ("pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "networkx",
             "opencc")


@cache
def code_fingerprint() -> str:
    """Hash of the generator's own sources, templates and key library versions."""
    digest = hashlib.sha256(FORMAT.encode())
    package = Path(__file__).resolve().parent.parent  # the whole generator package
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".jinja") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def content_key(*parts: bytes | str) -> str:
    """One key for several inputs (each length-prefixed, so parts cannot run into each other)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class BuildCache:
    """Get and put blobs by (kind, key); ``BuildCache(None)`` is a cache that never hits."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.used: dict[str, set[str]] = {}
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        self.used.setdefault(kind, set()).add(key)
        if self.root is None:
            return None
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.used.setdefault(kind, set()).add(key)
        if self.root is None:
            return
        target = self._path(kind, key)
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temporary, target)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def get_object(self, kind: str, key: str) -> Any | None:
        """A pickled entry, or None when absent or unreadable (then the caller recomputes)."""
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a corrupt or outdated entry is a miss, never an error
            self.hits -= 1
            self.misses += 1
            return None

    def put_object(self, kind: str, key: str, value: Any) -> None:
        if self.root is not None:
            self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def text(self, kind: str, key: str, compute: Callable[..., str], *args: str) -> str:
        """The text stored under ``key``, or ``compute(*args)`` stored there."""
        found = self.get(kind, key)
        if found is not None:
            return found.decode("utf-8", "surrogateescape")
        value = compute(*args)
        self.put(kind, key, value.encode("utf-8", "surrogateescape"))
        return value

    def prune(self, kind: str) -> None:
        """Delete the entries of ``kind`` that this build did not ask for."""
        if self.root is None:
            return
        keep = self.used.get(kind, set())
        folder = self.root / kind
        if not folder.is_dir():
            return
        for bucket in folder.iterdir():
            if not bucket.is_dir():
                continue
            for entry in bucket.iterdir():
                if entry.name not in keep:
                    with contextlib.suppress(OSError):
                        entry.unlink()
