"""The build stage: real dot, real ``mkdocs build --strict``, real Pagefind.

Most tests use a small stand-in renderer (``conftest.fake_site``) so they do not depend on the
templates; the end-to-end ones build tests/fixtures/kb-mini with the real renderer.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (
    KB_MINI,
    ROOT,
    Project,
    digest,
    fake_site,
    generated_tree,
    make_project,
    process_running,
    renderer,
    tree,
)

from generator.pipeline import BuildResult, _dates, load_knowledge_base
from generator.pipeline import build as build_site
from generator.publish.linkcheck import check_site
from generator.publish.mkdocs import source_date_epoch
from generator.publish.ownership import STAGING_MARK
from generator.publish.staging import JOURNAL, STAGING_PREFIX, recover_interrupted_builds
from generator.render import Diagram, RenderedSite, diagram_placeholder
from generator.render.links import GENERATED_ROOTS

#: Builds whole sites (mkdocs, dot, Pagefind) or synthetic knowledge bases.
pytestmark = pytest.mark.slow


def codes(result: BuildResult) -> list[str]:
    return [d.code for d in result.report.sorted()]


def staging_leftovers(project: Project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(STAGING_PREFIX))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project")


@pytest.fixture
def built(fake_built: Project, tmp_path: Path) -> Project:
    """A project with a first successful build of the stand-in site (a copy of a shared one)."""
    shutil.copytree(fake_built.root, tmp_path / "built", symlinks=True)
    return Project(tmp_path / "built")


# --- a full build ------------------------------------------------------------------------------


def test_build_writes_generated_roots_site_and_search_index(built: Project) -> None:
    docs = tree(built.docs)
    assert "documents/alpha.md" in docs
    assert "diagrams/alpha/flow.svg" in docs
    assert "data/x.json" in docs
    assert "about/index.md" in docs  # hand-written, kept
    site = tree(built.site)
    assert "documents/alpha/index.html" in site
    assert "pagefind/pagefind.js" in site
    assert "pagefind/policykb-t2s.json" in site
    assert "sitemap.xml.gz" in site
    assert staging_leftovers(built) == []
    assert check_site(built.site) == []


def test_hand_written_docs_are_never_touched(project: Project) -> None:
    (project.docs / "notes.md").write_text("# 笔记\n", encoding="utf-8")
    before = digest({k: v for k, v in tree(project.docs).items()
                     if k.split("/")[0] not in GENERATED_ROOTS})
    result = project.build(renderer=renderer(fake_site()))
    assert result.written
    after = digest({k: v for k, v in tree(project.docs).items()
                    if k.split("/")[0] not in GENERATED_ROOTS})
    assert after == before


def test_result_reports_counts_timings_and_summary(built: Project) -> None:
    result = built.build(renderer=renderer(fake_site()))
    assert result.ok
    assert list(result.timings) == [
        "recover", "check", "render", "diagrams", "write", "mkdocs", "search", "bundle", "links",
        "swap",
    ]
    assert result.counts["diagrams"] == 2
    assert result.counts["search_pages"] >= 7
    assert "pages from" in result.summary()


# --- charts ----------------------------------------------------------------------------------


def test_flowchart_is_inlined_with_its_links_and_unique_ids(built: Project) -> None:
    page = (built.site / "documents/alpha/index.html").read_text(encoding="utf-8")
    assert page.count('<div class="pk-diagram"') == 1
    assert re.search(r'<div class="pk-diagram"[^>]*>\s*<svg', page)
    assert 'xlink:href="#s1"' in page and 'xlink:href="#s2"' in page
    assert 'id="dg-alpha-flow-step&#45;a"' in page  # Graphviz's escaping, read as "step-a"
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "移送 C:\\</text>" in page  # a label ending in a backslash survives (hostile 21)
    standalone = (built.site / "diagrams/alpha/flow.svg").read_text(encoding="utf-8")
    assert 'xlink:href="../../documents/alpha/#s1"' in standalone


def test_two_copies_of_a_chart_on_one_page_get_distinct_ids(project: Project) -> None:
    chart = Diagram("diagrams/alpha/flow.svg", "digraph g { a [id=\"x\"]; a -> b }")
    site = fake_site(documents=["alpha"], diagrams=[chart])
    site.pages["documents/alpha.md"] += f"\n## 再次\n\n{diagram_placeholder(chart.path)}\n"
    result = project.build(renderer=renderer(site))
    assert result.written, [d.format() for d in result.report.sorted()]
    page = (project.site / "documents/alpha/index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'id="dg-alpha-flow-x"' in page and 'id="dg-alpha-flow-2-x"' in page


def test_a_failed_chart_fails_the_build_with_a_diagnostic(built: Project) -> None:
    before = digest(tree(built.root))
    bad = [Diagram("diagrams/alpha/flow.svg", "digraph { a -> ; }")]
    result = built.build(renderer=renderer(fake_site(documents=["alpha"], diagrams=bad)))
    assert not result.written
    assert codes(result) == ["PK402"]
    assert result.report.errors[0].location.path == "diagrams/alpha/flow.svg"
    assert not result.policy_problem
    assert digest(tree(built.root)) == before


# --- failures leave the previous output intact -----------------------------------------------


def test_render_failure_leaves_previous_docs_and_site_untouched(built: Project) -> None:
    """hostile-inputs 27: a template error in the 3rd of 5 documents."""
    import jinja2

    before = digest(tree(built.root))
    calls = []

    def failing(kb: object) -> RenderedSite:
        for i in range(5):
            calls.append(i)
            if i == 2:
                jinja2.Environment().from_string("{{ page.title.upper() }}").render(page=None)
        return fake_site()

    result = built.build(renderer=failing)
    assert calls == [0, 1, 2]
    assert not result.written
    assert codes(result) == ["PK401"]
    message = result.report.errors[0].message
    assert "UndefinedError" in message and "'None' has no attribute 'title'" in message
    assert digest(tree(built.root)) == before


def test_mkdocs_warning_fails_strict_build_with_the_file_named(built: Project) -> None:
    before = digest(tree(built.root))
    site = fake_site(extra_pages={"topics/broken.md": "# 坏链接\n\n[去](../documents/nope.md)\n"})
    result = built.build(renderer=renderer(site))
    assert not result.written
    assert "PK408" in codes(result)  # a site warning, an error in a strict build
    located = [d for d in result.report.errors if d.location.path == "docs/topics/broken.md"]
    assert located and "nope.md" in located[0].message
    assert digest(tree(built.root)) == before
    # the same warning in a build that is not strict: the same code, only a warning
    relaxed = built.build(renderer=renderer(site), strict=False)
    assert relaxed.written
    [warned] = [d for d in relaxed.report.warnings if d.location.path == "docs/topics/broken.md"]
    assert warned.code == "PK408" and "nope.md" in warned.message


def test_broken_raw_html_link_fails_the_build(built: Project) -> None:
    before = digest(tree(built.root))
    site = fake_site(extra_pages={
        "topics/raw.md": '# 原始链接\n\n<a href="../../documents/missing/">缺失</a>\n\n'
                         '<a href="../../documents/alpha/#no-such-anchor">锚点</a>\n',
    })
    result = built.build(renderer=renderer(site))
    assert not result.written
    messages = sorted(d.message for d in result.report.errors)
    assert [d.code for d in result.report.errors] == ["PK405", "PK405"]
    assert "no anchor #no-such-anchor in documents/alpha/index.html" in messages[0]
    assert "no file documents/missing/index.html" in messages[1]
    assert digest(tree(built.root)) == before


def test_unsafe_generated_paths_are_refused(built: Project) -> None:
    before = digest(tree(built.root))
    site = fake_site(extra_pages={"../escape.md": "x", "sitemap.xml": "x", "Topics/a.md": "x"})
    site.pages["topics/A.md"] = "# a\n"
    site.pages["topics/a.md"] = "# a\n"
    result = built.build(renderer=renderer(site))
    assert not result.written
    assert set(codes(result)) == {"PK407"}
    assert len(result.report.errors) == 4
    assert not (built.root / "escape.md").exists()
    assert digest(tree(built.root)) == before


def test_a_removed_document_disappears(built: Project) -> None:
    result = built.build(renderer=renderer(fake_site(documents=["alpha"])))
    assert result.written
    assert not (built.docs / "documents/beta.md").exists()
    assert not (built.docs / "diagrams/beta").exists()
    assert not (built.site / "documents/beta").exists()
    assert (built.site / "documents/alpha/index.html").exists()


def test_a_generated_root_the_new_build_lacks_is_removed(built: Project) -> None:
    assert (built.docs / "diagrams").is_dir()
    site = fake_site(documents=(), diagrams=[])
    assert built.build(renderer=renderer(site)).written
    assert not (built.docs / "diagrams").exists()
    assert not (built.site / "diagrams").exists()


def test_policy_errors_write_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    bad = project.policies / "documents" / "jinhu-mini.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("id: jinhu-mini", "id: ../x", 1),
                   encoding="utf-8")
    result = project.build(renderer=renderer(fake_site()))
    assert result.policy_problem and not result.written
    assert result.report.errors
    assert not project.site.exists()
    assert generated_tree(project.docs) == {}
    assert staging_leftovers(project) == []


# --- crashes ---------------------------------------------------------------------------------

_CHILD = """
import sys
sys.path[:0] = {paths!r}
from pathlib import Path
from conftest import fake_site, renderer
from generator.pipeline import build as build_site

root = Path(sys.argv[1])
result = build_site(root / "policies", root / "docs", root / "site", renderer=renderer(fake_site()))
print("written" if result.written else "failed")
"""


def _child_build(root: Path, **popen: object) -> subprocess.Popen[bytes]:
    code = _CHILD.format(paths=[str(ROOT / "tests"), str(ROOT)])
    return subprocess.Popen([sys.executable, "-c", code, str(root)], **popen)  # type: ignore[call-overload, no-any-return]


def _processes_naming(folder: Path) -> list[int]:
    """Running processes whose command line names something inside ``folder``."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(folder).encode() in cmdline and process_running(int(proc.name)):
            found.append(int(proc.name))
    return found


def _kill_build(child: subprocess.Popen[bytes], root: Path) -> None:
    """``kill -9`` the build; its children (mkdocs) must end with it, or they would write on
    into the staging folder while the next build deletes it."""
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 10
    while _processes_naming(root) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _processes_naming(root) == []


def test_sigkill_midway_keeps_previous_output_and_next_build_cleans_up(built: Project) -> None:
    """hostile-inputs 28: kill -9 while mkdocs runs; then build again."""
    before = digest(tree(built.root))
    child = _child_build(built.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until mkdocs runs on the staged docs
        staged = [p for p in built.root.glob(STAGING_PREFIX + "*/docs/documents/alpha.md")]
        mkdocs = [pid for pid in _processes_naming(built.root) if pid != child.pid]
        if (staged and mkdocs) or child.poll() is not None:
            break
        time.sleep(0.02)
    assert child.poll() is None, "the build finished before it could be killed"
    _kill_build(child, built.root)
    assert staging_leftovers(built)
    after = {k: v for k, v in digest(tree(built.root)).items() if not k.startswith(STAGING_PREFIX)}
    assert after == before

    result = built.build(renderer=renderer(fake_site()))
    assert result.written
    assert staging_leftovers(built) == []


def test_a_killed_build_takes_its_mkdocs_with_it(built: Project) -> None:
    """An mkdocs left running after its build was killed went on writing into the staging
    folder while the next build deleted it (a half-deleted folder stayed behind)."""
    hook = built.root.parent / "slow_hook.py"
    hook.write_text("import time\n\ndef on_pre_build(config):\n    time.sleep(120)\n")
    config = built.root / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(plain + f"hooks:\n  - {hook}\n", encoding="utf-8")
    child = _child_build(built.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    mkdocs: list[int] = []
    while not mkdocs and child.poll() is None and time.monotonic() < deadline:
        mkdocs = [pid for pid in _processes_naming(built.root) if pid != child.pid]
        time.sleep(0.02)
    assert mkdocs, "mkdocs never started"
    _kill_build(child, built.root)  # the hook would keep an untied mkdocs alive for 120 s

    config.write_text(plain, encoding="utf-8")
    assert built.build(renderer=renderer(fake_site())).written
    assert staging_leftovers(built) == []


def test_a_swap_interrupted_after_its_journal_is_finished_by_the_next_start(tmp_path: Path) -> None:
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "documents").mkdir(parents=True)
    (docs / "documents" / "old.md").write_text("old")
    (docs / "topics").mkdir()
    site.mkdir()
    (site / "index.html").write_text("old site")
    stage = tmp_path / (STAGING_PREFIX + "dead")
    (stage / "docs" / "documents").mkdir(parents=True)
    (stage / STAGING_MARK).touch()
    (stage / "docs" / "documents" / "new.md").write_text("new")
    (stage / "site").mkdir()
    (stage / "site" / "index.html").write_text("new site")
    moves = [
        {"target": str(docs / "documents"), "new": str(stage / "docs" / "documents"),
         "old": str(stage / "old-docs" / "documents")},
        {"target": str(docs / "topics"), "new": None, "old": str(stage / "old-docs" / "topics")},
        {"target": str(site), "new": str(stage / "site"), "old": str(stage / "old-site")},
    ]
    (stage / JOURNAL).write_text(json.dumps(moves))
    # The killed build had moved the old documents aside but not the new ones in.
    (stage / "old-docs").mkdir()
    (docs / "documents").rename(stage / "old-docs" / "documents")
    uncommitted = tmp_path / (STAGING_PREFIX + "uncommitted")
    (uncommitted / "docs").mkdir(parents=True)
    (uncommitted / STAGING_MARK).touch()

    recover_interrupted_builds([tmp_path])

    assert (docs / "documents" / "new.md").read_text() == "new"
    assert not (docs / "documents" / "old.md").exists()
    assert not (docs / "topics").exists()
    assert (site / "index.html").read_text() == "new site"
    assert not stage.exists() and not uncommitted.exists()


def test_stale_staging_folders_are_removed_at_the_next_start(built: Project) -> None:
    stale = built.root / (STAGING_PREFIX + "stale")
    (stale / "docs").mkdir(parents=True)
    (stale / STAGING_MARK).touch()
    result = built.build(renderer=renderer(fake_site()))
    assert result.written
    assert not stale.exists()


def test_folders_that_only_look_like_staging_folders_are_left_alone(built: Project,
                                                                      tmp_path: Path) -> None:
    """`.build-mine/` next to docs/ and `.build-tools/` next to an outside site are the user's."""
    mine = built.root / (STAGING_PREFIX + "mine")
    (mine / "docs").mkdir(parents=True)
    (mine / "docs" / "notes.md").write_text("mine")
    outside = tmp_path / "elsewhere"
    tools = outside / (STAGING_PREFIX + "tools")
    tools.mkdir(parents=True)
    (tools / "tool.sh").write_text("echo hi")
    for site in (built.site, outside / "kb"):
        for _ in range(2):
            result = build_site(built.policies, built.docs, site, renderer=renderer(fake_site()))
            assert result.written, [d.format() for d in result.report.sorted()]
    assert (mine / "docs" / "notes.md").read_text() == "mine"
    assert (tools / "tool.sh").read_text() == "echo hi"


# --- determinism -------------------------------------------------------------------------------


def _copy_shuffled(src: Path, dest: Path, seed: int) -> None:
    files = [p for p in src.rglob("*") if p.is_file()]
    random.Random(seed).shuffle(files)
    for path in files:
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())


@pytest.mark.slow
def test_same_input_gives_a_byte_identical_site(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """hostile-inputs 29: shuffled file order, another PYTHONHASHSEED, the real renderer."""
    sites = []
    for run, seed in enumerate((1, 2)):
        root = tmp_path / f"run{run}"
        project = make_project(root / "checkout")
        shutil.rmtree(project.policies)
        _copy_shuffled(KB_MINI, project.policies, seed)
        code = (
            "import sys; from pathlib import Path;"
            "from generator.pipeline import build as build_site;"
            "r = build_site(Path('policies'), Path('docs'), Path('site'));"
            "sys.exit(0 if r.written else 1)"
        )
        env = {**os.environ, "PYTHONHASHSEED": str(seed * 1000 + 7), "PYTHONPATH": str(ROOT)}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run([sys.executable, "-c", code], cwd=project.root, env=env,
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        sites.append(tree(project.site))
    assert sites[0].keys() == sites[1].keys()
    different = [k for k in sites[0] if sites[0][k] != sites[1][k]]
    assert different == []
    assert any(k.startswith("pagefind/index/") for k in sites[0])
    # Not a git checkout: the dates come from the newest date in the knowledge base.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    kb, _ = load_knowledge_base(project.policies)
    assert kb is not None
    assert kb is not None
    epoch = source_date_epoch(project.policies, _dates(kb))
    assert int.from_bytes(sites[0]["sitemap.xml.gz"][4:8], "little") == epoch  # gzip MTIME
    assert gzip.decompress(sites[0]["sitemap.xml.gz"]).startswith(b"<?xml")


# --- the real renderer on tests/fixtures/kb-mini --------------------------------------------------


@pytest.mark.slow
def test_kb_mini_builds_cleanly(kb_mini_site: Project) -> None:
    site = tree(kb_mini_site.site)
    assert "documents/guanyun-mini/index.html" in site
    assert "pagefind/pagefind.js" in site
    assert check_site(kb_mini_site.site) == []


@pytest.mark.slow
def test_hostile_strings_stay_literal_text(kb_mini_site: Project, tmp_path: Path) -> None:
    """hostile-inputs 14-20 in every field of hostile-mini.yaml come out as text."""
    page = (kb_mini_site.site / "documents/hostile-mini/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.rindex("</article>")]
    text = html.unescape(re.sub(r"<[^>]+>", "", article))
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text
    assert '--8<-- "sentinel.txt"' in text
    assert "{#x onclick=alert(1)}" in text
    for tag in re.findall(r"<([a-zA-Z][\w:-]*)", article):
        assert tag.lower() not in {"script", "img", "kbd", "iframe", "object", "embed"}, tag
    attributes = re.findall(r"<[a-zA-Z][^>]*>", article)
    assert not [a for a in attributes if re.search(r"\son\w+\s*=", a)]
    links = re.findall(r'\s(?:xlink:)?(?:href|src)\s*=\s*"([^"]*)"', article)
    unsafe = ("javascript:", "data:")
    assert links and not [u for u in links if u.strip().lower().startswith(unsafe)]
    assert 'id="x"' not in article
    assert not [p for p in check_site(kb_mini_site.site) if p.kind == "unsafe-markup"]


@pytest.mark.slow
def test_snippet_syntax_never_includes_a_file(tmp_path: Path) -> None:
    """hostile-inputs 19: ``--8<-- "sentinel.txt"`` must not pull a file into the site."""
    marker = "SENTINEL-" + os.urandom(8).hex()
    project = make_project(tmp_path / "p")
    for folder in (project.root, project.policies, project.policies / "documents"):
        (folder / "sentinel.txt").write_text(marker, encoding="utf-8")
    result = project.build()
    assert result.written, [d.format() for d in result.report.sorted()]
    for path, data in tree(project.site).items():
        assert marker.encode() not in data, path


# --- serve ------------------------------------------------------------------------------------


def test_serve_builds_serves_and_rebuilds_when_a_policy_changes(project: Project) -> None:
    import threading
    import urllib.error
    import urllib.request

    from generator.publish.serve import serve

    urls: list[str] = []
    results: list[BuildResult] = []
    stop = threading.Event()

    def render(kb: object) -> RenderedSite:
        return fake_site(documents=[d.id for d in kb.documents])  # type: ignore[attr-defined]

    def build() -> list[str] | None:
        results.append(project.build(renderer=render))
        if results[-1].refused is not None:
            return None
        return [] if results[-1].written else ["build failed"]

    thread = threading.Thread(target=serve, args=(build, project.policies, project.docs,
                                                  project.site, project.root / "mkdocs.yml"),
                              kwargs={"port": 0, "interval": 0.1, "on_ready": urls.append,
                                      "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not urls and time.monotonic() < deadline:
            time.sleep(0.05)
        assert urls and results[0].written

        def status(path: str) -> int:
            try:
                with urllib.request.urlopen(urls[0] + path) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return error.code

        assert status("documents/guanyun-mini/") == 200
        (project.policies / "documents" / "guanyun-mini.yaml").unlink()
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(results) == 2 and results[1].written
        assert status("documents/guanyun-mini/") == 404
        assert status("documents/jinhu-mini/") == 200
    finally:
        stop.set()
        thread.join()
