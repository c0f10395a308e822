"""Staging, swap and recovery: nothing the reader sees changes until a whole new output exists.

* everything is built in a staging folder ``.build-XXXX`` next to ``docs/`` (and next to
  ``site/`` when that lives elsewhere): a copy of the hand-written pages plus the new generated
  roots, and a complete new site with its search index;
* the swap then renames the new generated roots into ``docs/`` and the new site over ``site/``.
  Before the first rename a journal (``SWAP.json``) is written; a build killed during the swap is
  finished from the journal by the next build, a build killed earlier is rolled back (its
  staging folder is deleted).  A failure or ``SIGKILL`` before the swap leaves the previous
  ``docs/`` generated roots and ``site/`` byte for byte as they were;
* a lock on the parent folder keeps two builds (``serve`` and a manual ``build``) apart;
* staging folders carry ``STAGING_MARK`` from their creation: recovery never touches a folder
  that merely shares the prefix (``generator.publish.ownership``).

A generated root that the new build does not produce is removed by the swap, so a removed policy
disappears from ``docs/`` and from ``site/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.publish.ownership import STAGING_MARK, is_own_staging
from generator.render.links import GENERATED_ROOTS

STAGING_PREFIX = ".build-"
JOURNAL = "SWAP.json"


class Staging:
    """The staging folders of one build, deleted on exit.

    One exception: a swap that failed after its journal was written is left for the next
    build to finish (``recover_interrupted_builds``); deleting it could lose the old output.
    """

    def __init__(self, docs_dir: Path, site_dir: Path) -> None:
        self.docs_dir, self.site_dir = docs_dir, site_dir
        self.root = _marked_folder(docs_dir.parent)
        self.site_root = (
            self.root
            if site_dir.parent == docs_dir.parent
            else _marked_folder(site_dir.parent)
        )
        self.docs = self.root / "docs"
        self.site = self.site_root / "site"
        self.docs.mkdir()
        self.interrupted_swap = False

    def config(self, config_file: Path) -> Path:
        """A mkdocs configuration for the staging docs: ``config_file`` with ``docs_dir`` here."""
        staged = self.root / "mkdocs.yml"
        staged.write_text(f"INHERIT: {json.dumps(str(config_file))}\ndocs_dir: docs\n",
                          encoding="utf-8")
        return staged

    def source_digests(self) -> dict[str, str]:
        """Every file of the staging docs (relative POSIX path → SHA-256 of its bytes)."""
        return {
            p.relative_to(self.docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.docs.rglob("*")) if p.is_file()
        }

    def public_path(self, filename: object) -> Path | None:
        """A path inside the staging folders as the user knows it (under docs/ or site/)."""
        if not isinstance(filename, str):
            return None
        path = Path(filename)
        for staged, public in ((self.site, self.site_dir), (self.docs, self.docs_dir),
                               (self.root, self.docs_dir.parent),
                               (self.site_root, self.site_dir.parent)):
            if path.is_relative_to(staged):
                return public / path.relative_to(staged)
        return path

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.interrupted_swap:
            return
        for folder in {self.root, self.site_root}:
            shutil.rmtree(folder, ignore_errors=True)

    def swap(self) -> None:
        """Write the journal (the commit point), then move the new output into place."""
        moves = [
            {
                "target": str(self.docs_dir / name),
                "new": str(self.docs / name) if (self.docs / name).exists() else None,
                "old": str(self.root / "old-docs" / name),
            }
            for name in GENERATED_ROOTS
        ]
        moves.append(
            {"target": str(self.site_dir), "new": str(self.site),
             "old": str(self.site_root / "old-site")}
        )
        (self.root / "old-docs").mkdir()
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        pending = self.root / (JOURNAL + ".tmp")
        with pending.open("w", encoding="utf-8") as f:
            json.dump(moves, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        pending.rename(self.root / JOURNAL)
        self.interrupted_swap = True
        _roll_forward(self.root / JOURNAL)
        self.interrupted_swap = False


def _roll_forward(journal: Path) -> None:
    """Apply every move of a committed journal; safe to repeat after an interruption."""
    moves = json.loads(journal.read_text(encoding="utf-8"))
    for move in moves:
        target, old = Path(move["target"]), Path(move["old"])
        new = Path(move["new"]) if move["new"] else None
        if new is not None and not new.exists():
            continue  # already in place
        if _exists(target) and not _exists(old):
            old.parent.mkdir(parents=True, exist_ok=True)
            target.rename(old)
        if new is not None:
            new.rename(target)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _marked_folder(parent: Path) -> Path:
    """A new staging folder in ``parent``, marked as this tool's before anything goes in."""
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    (folder / STAGING_MARK).write_bytes(b"")
    return folder


def recover_interrupted_builds(parents: list[Path]) -> None:
    """Finish committed swaps of killed builds, then delete every leftover staging folder.

    Only folders that carry ``STAGING_MARK`` are touched: a folder that merely shares the
    prefix (``~/.build-tools``) is someone else's.
    """
    leftovers = [
        child
        for parent in parents
        if parent.is_dir()
        for child in sorted(parent.iterdir())
        if child.name.startswith(STAGING_PREFIX) and child.is_dir() and not child.is_symlink()
        and is_own_staging(child)
    ]
    for folder in leftovers:
        if (folder / JOURNAL).is_file():
            _roll_forward(folder / JOURNAL)
    for folder in leftovers:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def locked(folders: list[Path]) -> Iterator[None]:
    """An exclusive ``flock`` on each folder (released by the kernel if the process dies)."""
    handles: list[int] = []
    try:
        for folder in folders:
            fd = os.open(folder, os.O_RDONLY)
            handles.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in reversed(handles):
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


