"""Rebuilds: the build cache, parallel checking, and dirty mkdocs builds equal to clean ones.

The claims under test: a rebuild reuses what did not change (checked policies, charts, parsed
pages, unchanged Markdown), yet its output is byte for byte the output of a clean build, and a
failed rebuild leaves the live site untouched even though its staging copy shares files with it.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    KB_MINI,
    Project,
    digest,
    fake_site,
    generated_tree,
    make_project,
    renderer,
    tree,
)

from generator.diagnostics import CODES_BY_NAME
from generator.pipeline import check_policies, load_knowledge_base
from generator.publish import incremental as incremental_module
from generator.publish.graphviz import render_all_svgs
from generator.publish.ownership import SITE_MARK
from generator.render import Diagram, RenderedSite
from generator.render import site as render_site_module
from generator.render.site import _files_of as _render_files_of
from generator.render.site import render_site
from generator.runtime import workers
from generator.runtime.cache import BuildCache, content_key

#: Builds whole sites (mkdocs, dot, Pagefind) or synthetic knowledge bases.
pytestmark = pytest.mark.slow


JINHU = "documents/jinhu-mini.yaml"


def _edit_summary(project: Project, new: str) -> None:
    path = project.policies / JINHU
    text = path.read_text(encoding="utf-8")
    old = "summary: 节选：案件移送、争议协调与培训。"
    assert old in text
    path.write_text(text.replace(old, f"summary: {new}", 1), encoding="utf-8")


def _clean_build_of(project: Project, dest: Path) -> Project:
    """The same policies built from scratch without any cache (the reference output)."""
    clean = make_project(dest, policies=project.policies)
    result = clean.build(cache_dir=None)
    assert result.written, [d.format() for d in result.report.sorted()]
    assert result.counts["dirty"] == 0
    return clean


# --- the cache ---------------------------------------------------------------------------------


def test_cache_entries_round_trip_and_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "c")
    key = content_key("a", b"b")
    assert key != content_key("ab", b"") and key == content_key("a", b"b")
    assert cache.get_object("k", key) is None
    cache.put_object("k", key, {"x": [1, 2]})
    assert cache.get_object("k", key) == {"x": [1, 2]}
    (tmp_path / "c" / "k" / key[:2] / key).write_bytes(b"not a pickle")
    assert cache.get_object("k", key) is None


def test_prune_keeps_only_what_this_run_used(tmp_path: Path) -> None:
    first = BuildCache(tmp_path)
    first.put("svg", content_key("old"), b"1")
    first.put("svg", content_key("kept"), b"2")
    second = BuildCache(tmp_path)
    assert second.get("svg", content_key("kept")) == b"2"
    second.prune("svg")
    assert BuildCache(tmp_path).get("svg", content_key("old")) is None
    assert BuildCache(tmp_path).get("svg", content_key("kept")) == b"2"


def test_checking_again_reuses_every_unchanged_file(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first_cache = BuildCache(cache_dir)
    first, report = check_policies(KB_MINI, cache=first_cache)
    assert first is not None and report.ok
    assert first_cache.hits == 0

    again = BuildCache(cache_dir)
    second, report2 = check_policies(KB_MINI, cache=again)
    assert second is not None
    assert again.hits == len(first.documents) == 3 and again.misses == 0
    assert [d.spec for d in second.documents] == [d.spec for d in first.documents]
    assert report2.sorted() == report.sorted()


def test_a_changed_file_is_checked_again_and_its_errors_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    cache = BuildCache(tmp_path / "cache")
    assert check_policies(project.policies, cache=cache)[0] is not None
    path = project.policies / JINHU
    path.write_text(path.read_text(encoding="utf-8").replace("id: jinhu-mini", "id: Bad Id", 1),
                    encoding="utf-8")
    again = BuildCache(tmp_path / "cache")
    kb, report = check_policies(project.policies, cache=again)
    assert kb is None and again.misses == 1 and again.hits == 2
    assert any(d.location.path.endswith("jinhu-mini.yaml") for d in report.errors)


def test_parallel_checking_gives_the_sequential_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYKB_WORKERS", "1")
    sequential, report1 = check_policies(KB_MINI)
    monkeypatch.setenv("POLICYKB_WORKERS", "2")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    parallel, report2 = check_policies(KB_MINI)
    assert sequential is not None and parallel is not None
    assert [d.spec for d in parallel.documents] == [d.spec for d in sequential.documents]
    assert report1.sorted() == report2.sorted()


def _double(value: int) -> int:
    return value * 2 + os.getpid() * 0  # a module-level function, as worker processes need


def test_cached_map_uses_worker_processes_and_keeps_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYKB_WORKERS", "2")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    cache = BuildCache(tmp_path)
    values = list(range(40))
    keys = [content_key(str(v)) for v in values]
    assert workers.cached_map(_double, values, keys, cache, "t") == [v * 2 for v in values]
    stored = tmp_path / "t" / keys[5][:2] / keys[5]
    assert pickle.loads(stored.read_bytes()) == 10
    again = BuildCache(tmp_path)
    assert workers.cached_map(_double, values, keys, again, "t") == [v * 2 for v in values]
    assert again.hits == 40


#: Where ``_logged_files_of`` notes the process of each render job (set by the test).
_JOB_LOG: list[Path] = []


def _logged_files_of(ctx: Any, job: tuple[str, str]) -> Any:
    """``render.site._files_of``, noting which process ran the job."""
    with _JOB_LOG[0].open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    return _render_files_of(ctx, job)


def test_documents_and_topics_render_in_worker_processes_with_the_sequential_result(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kb, _ = load_knowledge_base(KB_MINI)
    assert kb is not None
    monkeypatch.setenv("POLICYKB_WORKERS", "1")
    sequential = render_site(kb)
    _JOB_LOG[:] = [tmp_path / "jobs.log"]
    monkeypatch.setenv("POLICYKB_WORKERS", "2")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render_site_module, "_files_of", _logged_files_of)
    parallel = render_site(kb)
    pids = (tmp_path / "jobs.log").read_text().split()
    # one job per document and per topic, each taken by a worker process, not this one
    assert len(pids) == len(kb.documents) + len(kb.topics)
    assert str(os.getpid()) not in pids
    assert parallel.pages == sequential.pages
    assert parallel.diagrams == sequential.diagrams


def _failing_document_page(*_: object) -> None:
    raise ValueError("no such field")


def test_a_render_error_in_a_worker_names_where_it_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p")
    monkeypatch.setenv("POLICYKB_WORKERS", "2")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr("generator.render.site.document_page", _failing_document_page)
    result = project.build()
    assert not result.written
    [error] = result.report.errors
    assert error.code == CODES_BY_NAME["render-failed"].id
    assert error.message == "ValueError: no such field"
    line = _failing_document_page.__code__.co_firstlineno + 1
    assert error.location.path == "tests/publish/test_incremental.py"
    assert error.location.line == line
    assert not project.site.exists()


def test_charts_are_laid_out_once_and_warnings_are_never_cached(tmp_path: Path) -> None:
    good = Diagram("diagrams/a.svg", 'digraph g { a [label="移送"]; a -> b; }\n')
    warned = Diagram("diagrams/w.svg", "digraph w { a [shape=nosuchshape]; }\n")
    cache = BuildCache(tmp_path)
    svgs, problems = render_all_svgs([good, warned], cache)
    assert set(svgs) == {good.path, warned.path}
    assert [p.path for p in problems] == [warned.path]
    again = BuildCache(tmp_path)
    svgs2, problems2 = render_all_svgs([good, warned], again)
    assert svgs2 == svgs
    assert again.hits == 1 and again.misses == 1
    assert [p.path for p in problems2] == [warned.path]


# --- dirty rebuilds ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_rebuild_after_one_change_equals_a_clean_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    first = project.build()
    assert first.written and first.counts["dirty"] == 0
    assert (project.site / SITE_MARK).is_file()

    _edit_summary(project, "节选：案件移送、争议协调与培训（已修改）。")
    rebuilt = project.build()
    assert rebuilt.written, [d.format() for d in rebuilt.report.sorted()]
    assert rebuilt.counts["dirty"] == 1
    pages = rebuilt.counts["pages"]
    assert 0 < rebuilt.counts["changed_files"] < pages / 2

    clean = _clean_build_of(project, tmp_path / "clean")
    assert digest(tree(project.site)) == digest(tree(clean.site))
    assert digest(generated_tree(project.docs)) == digest(generated_tree(clean.docs))
    assert "（已修改）" in (project.site / "documents/jinhu-mini/index.html").read_text("utf-8")

    (project.policies / "documents" / "guanyun-mini.yaml").unlink()
    removed = project.build()
    assert removed.written and removed.counts["dirty"] == 1
    assert not (project.site / "documents" / "guanyun-mini").exists()
    clean2 = _clean_build_of(project, tmp_path / "clean2")
    assert digest(tree(project.site)) == digest(tree(clean2.site))


@pytest.mark.slow
def test_a_failed_rebuild_leaves_the_live_site_untouched(tmp_path: Path) -> None:
    """The staging copy shares files with the live site (hard links): none may be written."""
    project = make_project(tmp_path / "p")
    assert project.build().written
    before = digest(tree(project.root))
    inodes = {p: p.stat().st_ino for p in project.site.rglob("*") if p.is_file()}

    def broken_after_mkdocs(kb: object) -> RenderedSite:
        site = render_site(kb)  # type: ignore[arg-type]
        site.pages["topics/raw.md"] = '# 坏链接\n\n<a href="../../documents/missing/">缺失</a>\n'
        return site

    _edit_summary(project, "节选：改动后构建失败。")
    edited = (project.policies / JINHU).read_bytes()
    failed = project.build(renderer=broken_after_mkdocs)
    assert not failed.written
    assert failed.counts["dirty"] == 1  # mkdocs did run, on the hard-linked copy
    assert [d.code for d in failed.report.errors] == ["PK405"]
    after = digest(tree(project.root))
    assert {k: v for k, v in after.items() if k != f"policies/{JINHU}"} == \
        {k: v for k, v in before.items() if k != f"policies/{JINHU}"}
    assert (project.policies / JINHU).read_bytes() == edited
    assert {p: p.stat().st_ino for p in project.site.rglob("*") if p.is_file()} == inodes


@pytest.mark.slow
def test_a_changed_configuration_makes_a_full_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert project.build().written
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    result = project.build()
    assert result.written and result.counts["dirty"] == 0
    unchanged = project.build()
    assert unchanged.written and unchanged.counts["dirty"] == 1
    assert unchanged.counts["changed_files"] == 0


@pytest.mark.slow
def test_a_site_served_under_a_sub_path_builds_and_changing_it_rebuilds_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p")
    monkeypatch.setenv("POLICYKB_SITE_URL", "https://example.org/kb/")
    first = project.build()
    assert first.written, [d.format() for d in first.report.sorted()]
    not_found = (project.site / "404.html").read_text(encoding="utf-8")
    assert 'href="/kb/assets/' in not_found  # checked against /kb/, not the server root
    monkeypatch.setenv("POLICYKB_SITE_URL", "https://example.org/other/")
    moved = project.build()
    assert moved.written and moved.counts["dirty"] == 0  # every canonical URL changes
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/other/"' in home



@pytest.mark.slow
def test_a_hand_written_page_changed_with_an_old_mtime_is_rendered_again(tmp_path: Path) -> None:
    """`cp -p`, `rsync -a` or an unpacked archive can leave a changed page older than its HTML:
    dirty builds go by content, never by modification time."""
    project = make_project(tmp_path / "p")
    assert project.build().written
    page = project.docs / "about" / "index.md"
    html = project.site / "about" / "index.html"
    old = html.stat().st_mtime - 3600
    page.write_text(page.read_text(encoding="utf-8") + "\n新增的一段说明。\n", encoding="utf-8")
    os.utime(page, (old, old))
    rebuilt = project.build()
    assert rebuilt.written and rebuilt.counts["dirty"] == 1
    assert "新增的一段说明。" in html.read_text(encoding="utf-8")
    clean = make_project(tmp_path / "clean", policies=project.policies)
    shutil.rmtree(clean.docs)
    shutil.copytree(project.docs, clean.docs)  # the same hand-written pages
    assert clean.build(cache_dir=None).written
    assert digest(tree(project.site)) == digest(tree(clean.site))


def test_a_record_that_cannot_be_written_fails_the_build_and_keeps_the_old_site(
    fake_built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record of a build is swapped in with its site; a failed write is never ignored."""
    shutil.copytree(fake_built.root, tmp_path / "p", symlinks=True)
    project = Project(tmp_path / "p")
    before = digest(tree(project.site))

    def full_disk(stage_site: Path, *_args: object) -> None:
        raise OSError(28, "No space left on device", str(stage_site / SITE_MARK))

    monkeypatch.setattr(incremental_module, "write_record", full_disk)
    result = project.build(renderer=renderer(fake_site(documents=("alpha",))))
    assert not result.written
    assert [d.code for d in result.report.errors] == ["PK407"]
    assert "No space left on device" in result.report.errors[0].message
    assert result.report.errors[0].location.path == str(project.site / SITE_MARK)  # not docs/
    assert digest(tree(project.site)) == before
