"""Shared fixtures: throw-away projects, a small stand-in renderer, built sites, a browser.

Sites are expensive (mkdocs, dot, Pagefind), so each kind is built once per test session and
shared by all pytest-xdist workers through a lock in the common temporary folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import http.server
import json
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.domain.model import KnowledgeBase
from generator.pipeline import BuildResult, load_knowledge_base
from generator.pipeline import build as build_site
from generator.render import Diagram, RenderedSite, diagram_placeholder
from generator.render.links import GENERATED_ROOTS
from generator.runtime.cache import CACHE_DIR_NAME

ROOT = Path(__file__).resolve().parents[1]
KB_MINI = ROOT / "tests" / "fixtures" / "kb-mini"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: The hand-written parts of docs/ that the build tests copy (owned by the build stage).
OWN_HAND_WRITTEN = ("about", "assets")


def load_kb(root: Path) -> KnowledgeBase:
    """The knowledge base of ``root`` (a policies folder), which must load without errors."""
    kb, report = load_knowledge_base(root)
    assert kb is not None, [d.format() for d in report.errors]
    return kb


def process_running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has ended: it only waits to be
    reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Project:
    """A throw-away checkout: mkdocs.yml, docs/ (hand-written part), policies/, site/."""

    root: Path

    @property
    def policies(self) -> Path:
        return self.root / "policies"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def build(self, **kwargs: Any) -> BuildResult:
        return build_site(self.policies, self.docs, self.site, **kwargs)


def make_project(
    dest: Path, policies: Path = KB_MINI, hand_written: Sequence[str] | None = OWN_HAND_WRITTEN
) -> Project:
    """Copy mkdocs.yml, the hand-written docs (``None``: all of them) and ``policies``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "docs").mkdir(exist_ok=True)
    for entry in sorted((ROOT / "docs").iterdir()):
        if entry.name in GENERATED_ROOTS:
            continue
        if hand_written is not None and entry.name not in hand_written:
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / "docs" / entry.name)
        else:
            shutil.copy2(entry, dest / "docs" / entry.name)
    shutil.copytree(policies, dest / "policies")
    return Project(dest)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, by relative POSIX path.

    The build cache is left out: it is not output, and a failed build may add to it.
    """
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != CACHE_DIR_NAME
    }


def generated_tree(docs: Path) -> dict[str, bytes]:
    return {
        path: data
        for path, data in tree(docs).items()
        if path.split("/")[0] in GENERATED_ROOTS
    }


def digest(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


FLOW_DOT = """digraph flow {
  a [label="发现违法行为" URL="#s1" id="step-a"];
  b [label="移送 C:\\\\" URL="#s2" id="step-b"];
  a -> b;
}
"""


def fake_site(
    *,
    documents: Sequence[str] = ("alpha", "beta"),
    extra_pages: dict[str, str] | None = None,
    diagrams: Sequence[Diagram] | None = None,
) -> RenderedSite:
    """A small site with every page the navigation and the hand-written pages name, one
    flowchart per document."""
    docs_list = "\n".join(f"- [{d}]({d}.md)" for d in documents)
    pages = {
        "index.md": "# 首页\n\n[文件](documents/index.md)\n",
        "documents/index.md": f"# 文件\n\n{docs_list}\n",
        "topics/index.md": "# 主题\n",
        "training/index.md": "# 培训\n",
        "data/index.md": "# 数据下载\n",
        "jurisdictions/index.md": "# 地区\n",
        "indexes/index.md": "# 索引\n",
        "tools/case-routing.md": "# 案件去向\n",
        "tools/due-dates.md": "# 期限计算\n",
        # hand-written pages (about/method.md) link to these two
        "indexes/codebook.md": "# 编码手册\n",
        "indexes/conflicts.md": "# 上下级规定比较\n",
    }
    charts = list(diagrams) if diagrams is not None else []
    for doc in documents:
        path = f"diagrams/{doc}/flow.svg"
        if diagrams is None:
            charts.append(Diagram(path, FLOW_DOT))
        pages[f"documents/{doc}.md"] = (
            f"# 文件 {doc}\n\n## 流程\n\n{diagram_placeholder(path)}\n\n"
            "## 一、案件移送 {#s1}\n\n情况紧急的，应当在24小时内移送。\n\n"
            "## 二、受理 {#s2}\n\n书面告知受理情况。\n"
        )
    pages.update(extra_pages or {})
    return RenderedSite(pages=pages, binaries={"data/x.json": b"{}\n"}, diagrams=charts)


def renderer(site: RenderedSite | Callable[[], RenderedSite]) -> Callable[[object], RenderedSite]:
    """A stand-in for ``render_site`` that ignores the knowledge base."""

    def render(_kb: object) -> RenderedSite:
        return site() if callable(site) else site

    return render


# --- sites shared by the whole session -------------------------------------------------------


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A temporary folder common to all xdist workers of this run (works without xdist too)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_build(
    shared: Path, name: str, make: Callable[[Path], Project], **build_options: Any
) -> Project:
    """Build once per run (whichever worker comes first), then reuse; failures are shared too."""
    root = shared / name
    status = shared / f"{name}.json"
    with _file_lock(shared / f"{name}.lock"):
        if not status.exists():
            shutil.rmtree(root, ignore_errors=True)
            project = make(root)
            result = project.build(**build_options)
            status.write_text(json.dumps({
                "written": result.written,
                "diagnostics": [d.format() for d in result.report.sorted()],
                "summary": result.summary(),
            }, ensure_ascii=False), encoding="utf-8")
    outcome = json.loads(status.read_text(encoding="utf-8"))
    if not outcome["written"]:
        pytest.fail(f"{name} did not build:\n" + "\n".join(outcome["diagnostics"]))
    return Project(root)


@pytest.fixture(scope="session")
def fake_built(shared_tmp: Path) -> Project:
    """kb-mini policies, the stand-in renderer: a first build that tests copy and rebuild."""
    return _shared_build(shared_tmp, "fake-site", lambda root: make_project(root),
                         renderer=renderer(fake_site()))


@pytest.fixture(scope="session")
def kb_mini_site(shared_tmp: Path) -> Project:
    """tests/fixtures/kb-mini built with the real renderer, dot, mkdocs and Pagefind."""
    return _shared_build(shared_tmp, "kb-mini-site", lambda root: make_project(root))


@pytest.fixture(scope="session")
def product_site(shared_tmp: Path) -> Project:
    """The repository's own policies/ and hand-written docs/: the site users get."""
    return _shared_build(
        shared_tmp, "product-site",
        lambda root: make_project(root, policies=ROOT / "policies", hand_written=None),
    )


# --- a local web server and a browser ----------------------------------------------------------


@dataclass
class Server:
    """A local static server; ``served`` lists (path, bytes) of every file sent."""

    url: str
    served: list[tuple[str, int]]

    def bytes_since(self, mark: int, prefix: str = "") -> int:
        return sum(size for path, size in self.served[mark:] if path.startswith(prefix))


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[Server]:
    """``http://127.0.0.1:<port>/`` serving ``directory`` until the block ends."""
    served: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def copyfile(self, source: Any, outputfile: Any) -> None:
            start = source.tell()
            super().copyfile(source, outputfile)
            served.append((self.path.split("?")[0], source.tell() - start))

    handler = functools.partial(Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}/", served)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def product_server(product_site: Project) -> Iterator[Server]:
    with serve_directory(product_site.site) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def recording_page(context: Any) -> Any:
    """A new page of ``context`` that records console errors and uncaught exceptions in
    ``console_problems``."""
    tab = context.new_page()
    tab.console_problems = []
    tab.on("console", lambda m: tab.console_problems.append(f"{m.type}: {m.text}")
           if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: tab.console_problems.append(f"pageerror: {e}"))
    return tab


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield recording_page(context)
    finally:
        context.close()
