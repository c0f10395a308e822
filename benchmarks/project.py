"""A throw-away project for one benchmark run, and the build measured in it."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.pipeline import BuildResult, build
from generator.render.links import GENERATED_ROOTS

REPO = Path(__file__).resolve().parents[1]


def prepare_project(work: Path) -> tuple[Path, Path]:
    """A copy of mkdocs.yml and the hand-written docs/ under ``work/project``."""
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    docs.mkdir(parents=True)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for item in sorted((REPO / "docs").iterdir()):
        if item.name in GENERATED_ROOTS:
            continue
        if item.is_dir():
            shutil.copytree(item, docs / item.name)
        else:
            shutil.copyfile(item, docs / item.name)
    return docs, project / "site"


def build_call(policies: Path, docs: Path, site: Path, **options: Any) -> Callable[[], BuildResult]:
    """The whole build of ``policies`` as the CLI runs it (from the project's folder)."""
    def run() -> BuildResult:
        with _cwd(docs.parent):
            return build(policies, docs, site, **options)

    return run


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def build_timings(result: BuildResult) -> dict[str, float]:
    return dict(result.timings)


def build_ok(result: BuildResult) -> bool:
    return result.ok


def build_errors(result: BuildResult) -> list[str]:
    return [e.format().split("\n")[0] for e in result.report.errors]
