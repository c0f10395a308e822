"""The build never replaces or deletes what it does not own (issue: `--site .` replaced the
project with the HTML site).  Each refusal is checked before anything is touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Project, digest, fake_site, make_project, renderer, tree

from generator.cli import main
from generator.pipeline import build as build_site
from generator.publish.ownership import SITE_MARK, ProjectFolders, refuse_output_folders


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "project")
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project.root / "notes.txt").write_text("uncommitted work\n")
    return project


def _refusal(project: Project, site: Path, docs: Path | None = None) -> str | None:
    return refuse_output_folders(ProjectFolders(
        root=project.root, policies=project.policies, docs=docs or project.docs, site=site,
        cache=project.root / ".policykb-cache"))


@pytest.mark.parametrize("site, says", [
    (".", "it is the project folder"),
    ("", "it is the project folder"),
    ("..", "it contains the project folder"),
    ("/", "it contains the project folder"),
    ("policies", "it is the policies folder"),
    ("policies/documents", "it lies inside the policies folder"),
    ("docs", "it is the docs folder"),
    ("docs/out", "it lies inside the docs folder"),
    (".git", "it is the project's .git folder"),
    (".policykb-cache", "it is the build cache"),
    (".policykb-cache/site", "it lies inside the build cache"),
])
def test_a_site_folder_over_the_project_is_refused(project: Project, site: str, says: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    reason = _refusal(project, Path(site))
    assert reason is not None and says in reason


def test_an_existing_folder_the_tool_did_not_build_is_refused(project: Project) -> None:
    other = project.root / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("keep")
    reason = _refusal(project, other)
    assert reason is not None and "was not built by policykb" in reason and SITE_MARK in reason
    (other / SITE_MARK).write_text("{}")
    assert _refusal(project, other) is None
    (project.root / "empty").mkdir()
    assert _refusal(project, project.root / "empty") is None


def test_a_site_under_a_file_or_a_file_itself_is_refused(project: Project) -> None:
    assert "is a file, not a folder" in (_refusal(project, project.root / "notes.txt") or "")
    assert "which is a file" in (_refusal(project, project.root / "notes.txt" / "site") or "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_a_site_under_a_read_only_folder_is_refused(project: Project, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert "read-only" in (_refusal(project, locked / "site") or "")
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("docs, says", [
    (".", "it is the project folder"),
    ("policies", "overlaps the policies folder"),
    ("policies/docs", "overlaps the policies folder"),
    (".git", "it is the project's .git folder"),
    ("site/docs", "it contains the docs folder"),
])
def test_a_docs_folder_over_the_project_is_refused(project: Project, docs: str,
                                                   says: str) -> None:
    reason = _refusal(project, project.site, docs=project.root / docs)
    assert reason is not None and says in reason


def test_build_site_refuses_before_touching_anything(project: Project) -> None:
    before = digest(tree(project.root))
    for site in (project.root, project.policies, project.docs):
        result = build_site(project.policies, project.docs, site, renderer=renderer(fake_site()))
        assert result.refused is not None and not result.written
    assert digest(tree(project.root)) == before


def _cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=project.root,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("site", [".", "", "policies", "docs"])
def test_cli_build_into_the_project_exits_2_and_the_project_is_intact(project: Project,
                                                                     site: str) -> None:
    before = digest(tree(project.root))
    proc = _cli(project, "build", "--site", site)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("policykb build: refusing to build the site into")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert digest(tree(project.root)) == before


def test_site_dir_from_mkdocs_yml_is_checked_too(project: Project) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_dir: site", "site_dir: policies"), encoding="utf-8")
    before = digest(tree(project.root))
    proc = _cli(project, "build")
    assert proc.returncode == 2 and "it is the policies folder" in proc.stderr
    assert digest(tree(project.root)) == before


@pytest.mark.slow
def test_the_build_marks_its_site_and_rebuilds_it(project: Project,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    first = project.build(renderer=renderer(fake_site()))
    assert first.written and (project.site / SITE_MARK).is_file()
    assert main(["build", "--site", "site", "--policies", "policies"]) == 0
    assert (project.root / "notes.txt").read_text() == "uncommitted work\n"
