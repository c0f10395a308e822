"""Shared by the validator and CLI tests: lay a broken fixture over the valid knowledge base."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid-kb"
BROKEN = FIXTURES / "broken"


def materialise(fixture: Path, tmp_path: Path) -> Path:
    """valid-kb + the fixture's files (+ removals, + sparse files) in tmp_path/policies."""
    root = tmp_path / "policies"
    shutil.copytree(VALID, root)
    if (fixture / "policies").is_dir():
        shutil.copytree(fixture / "policies", root, dirs_exist_ok=True)
    if (fixture / "remove.txt").is_file():
        for rel in (fixture / "remove.txt").read_text(encoding="utf-8").split():
            (root / rel).unlink()
    if (fixture / "sparse.txt").is_file():
        rel, size = (fixture / "sparse.txt").read_text(encoding="utf-8").split()
        with (root / rel).open("wb") as handle:
            handle.truncate(int(size))  # sparse: no disk space, no time
    return root
