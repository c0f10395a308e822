"""The generated roots of ``docs/``: written into the staging copy, hand-written pages beside them.

A generated file whose bytes equal the live one is hard-linked instead of written, so it keeps
its modification time and a dirty mkdocs build skips it; nothing ever writes into these files in
place (the swap only renames), so sharing the inode is safe.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from generator.diagnostics import Report, SourceLocation, diag
from generator.render.links import GENERATED_ROOTS


def _safe_generated_path(path: str) -> str | None:
    """Why ``path`` may not be written (None when it is a clean path under a generated root)."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        return "not a clean relative path"
    if parts[0] not in GENERATED_ROOTS or (parts[0] == "index.md") != (len(parts) == 1):
        return f"outside the generated roots ({', '.join(GENERATED_ROOTS)})"
    return None


def write_generated(
    stage_docs: Path, files: dict[str, bytes], report: Report, *, previous: Path
) -> int:
    """Write the generated files into the staging docs; returns how many differ from before.

    A file whose bytes equal the one in ``previous`` (the live docs/) is hard-linked instead of
    written, so it keeps its modification time and a dirty mkdocs build skips it.  Nothing ever
    writes into these files in place (the swap only renames), so sharing the inode is safe.
    """
    changed = 0
    folded: dict[str, str] = {}
    for path in sorted(files):
        problem = _safe_generated_path(path)
        if problem is None and path.lower() in folded:
            problem = f"differs from {folded[path.lower()]!r} only in case"
        if problem is not None:
            report.add(diag("output-failed", SourceLocation(path),
                            f"refusing to write generated file {path!r}: {problem}"))
            continue
        folded[path.lower()] = path
        target = stage_docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _link_if_same(previous / path, target, files[path]):
            target.write_bytes(files[path])
            changed += 1
    return changed


def _link_if_same(old: Path, new: Path, content: bytes) -> bool:
    """Hard-link ``old`` to ``new`` when it holds exactly ``content`` (else do nothing)."""
    try:
        info = old.stat(follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(content):
            return False
        if old.read_bytes() != content:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def copy_hand_written(docs_dir: Path, stage_docs: Path) -> None:
    """Everything in docs/ except the generated roots (hard links where the disk allows)."""
    stage_docs.mkdir(parents=True, exist_ok=True)
    if not docs_dir.is_dir():
        return
    for entry in sorted(docs_dir.iterdir()):
        if entry.name in GENERATED_ROOTS:
            continue
        if entry.is_dir():
            shutil.copytree(entry, stage_docs / entry.name, copy_function=link_or_copy)
        else:
            link_or_copy(str(entry), str(stage_docs / entry.name))


def link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


