"""Time every stage of the pipeline on synthetic knowledge bases of N documents.

    .venv/bin/python -m benchmarks.run --sizes 100,1000,3000 --out benchmarks/out

For each N the runner synthesises N documents (``benchmarks/synth.py``, fixed seed), then, in a
fresh child process so that memory peaks belong to that N alone:

1. times the generator stages one by one with the project's own functions —
   load + validate (``check_policies``), model + graph (``model``, ``build_graph``), render
   (``render_site``), dot (``generator.publish.graphviz``, batched);
2. runs the whole build (``pipeline.build``) end to end and reads its per-stage
   timings (mkdocs build, search index) when it reports them;
3. measures the built site: number and size of HTML pages, the largest page, the Pagefind index,
   and the bytes a browser downloads for one search query (Debian's chromium driven by
   Playwright on a localhost server; every ``/pagefind/`` request counted at its file size);
4. changes one policy and builds again (the incremental rebuild).

Then it builds the cases at the input limits (``benchmarks/bounds.py``: a provision filling the
file-size cap, a procedure at the step cap); ``--bounds-only`` runs just those.

A stage whose function does not exist (yet) is reported as ``n/a`` with the reason, never as a
failure.  Results: ``<out>/results.json``, ``<out>/results.md`` and ``docs/about/performance.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import http.server
import json
import os
import platform
import re
import resource
import socketserver
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.project import (  # noqa: E402
    build_call,
    build_errors,
    build_ok,
    build_timings,
    prepare_project,
)

DEFAULT_SIZES = (100, 1000, 3000)
DEFAULT_OUT = REPO / "benchmarks" / "out"
PERFORMANCE_PAGE = REPO / "docs" / "about" / "performance.md"
QUERIES = ("案件移送", "首问负责", "24小时", "規範")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]


class NotAvailable(Exception):
    """A stage whose function is missing: reported as n/a with the reason."""


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


# --- the stages ---------------------------------------------------------------------------------


class Measurement:
    """Collects one N's numbers; a stage that raises NotAvailable or fails is kept as n/a."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {"stages": {}, "notes": []}

    def stage(self, name: str, fn: Callable[[], Any]) -> Any:
        try:
            value, seconds = _timed(fn)
        except NotAvailable as exc:
            self.data["stages"][name] = {"seconds": None, "why": str(exc)}
            return None
        except Exception as exc:  # a stage under construction may crash: report, continue
            self.data["stages"][name] = {"seconds": None,
                                         "why": f"failed: {type(exc).__name__}: {exc}"}
            traceback.print_exc()
            return None
        self.data["stages"][name] = {"seconds": seconds}
        return value

    def seconds(self, name: str) -> float | None:
        value = self.data["stages"].get(name, {}).get("seconds")
        return float(value) if value is not None else None


def _dot_stage(rendered: Any) -> Callable[[], Any]:
    diagrams = list(getattr(rendered, "diagrams", []) or [])

    def run() -> Any:
        from generator.publish.graphviz import render_all_svgs

        return render_all_svgs(diagrams)

    return run


def _pick(timings: dict[str, float], *words: str) -> float | None:
    found = [v for k, v in timings.items() if any(w in k.lower() for w in words)]
    return sum(found) if found else None


def site_metrics(site: Path) -> dict[str, Any]:
    html = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    pagefind = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    if not html:
        return {}
    largest = max(html)
    return {
        "html_pages": len(html),
        "html_bytes": sum(s for s, _ in html),
        "largest_html_bytes": largest[0],
        "largest_html": largest[1].relative_to(site).as_posix(),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "pagefind_files": len(pagefind),
        "pagefind_bytes": sum(p.stat().st_size for p in pagefind),
    }


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records (path, bytes) of every file it sends."""

    served: list[tuple[str, int]]

    def do_GET(self) -> None:
        super().do_GET()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            self.served.append((self.path.split("?")[0], path.stat().st_size))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


_API_SEARCH_JS = """
async (query) => {
  const pf = window.__pkPagefind || (window.__pkPagefind = await import('/pagefind/pagefind.js'));
  const search = await pf.search(query);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return search.results.length;
}
"""
_STATE_JS = """
() => { const root = document.getElementById('pk-search');
        const state = root && root.getAttribute('data-pk-state');
        return state === 'done' || state === 'error'; }
"""
_STATUS_JS = """
() => { const root = document.getElementById('pk-search');
        const status = root && root.querySelector('.pk-search__status');
        return [root ? root.getAttribute('data-pk-state') : null,
                status ? status.textContent : '',
                root ? root.querySelectorAll('.pk-result').length : 0]; }
"""


#: What a fetched /pagefind/ file is, by how its name ends (first match wins).
SEARCH_FILE_KINDS = (
    ("index", (".pf_index",)),
    ("meta", (".pf_meta", "pagefind-entry.json")),
    ("fragments", (".pf_fragment",)),
    ("engine", (".js", ".pagefind")),
    ("site tables", (".json",)),
)


def bytes_by_kind(files: list[tuple[str, int]]) -> dict[str, int]:
    """Bytes per kind of file (``SEARCH_FILE_KINDS``): what a goal on query bytes must cut."""
    kinds: dict[str, int] = {}
    for path, size in files:
        kind = next((k for k, ends in SEARCH_FILE_KINDS if path.endswith(ends)), "other")
        kinds[kind] = kinds.get(kind, 0) + size
    return kinds


def search_bytes(site: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """Bytes a browser fetches from /pagefind/ for each query on the site's own search page.

    The first query is a fresh visit of ``about/search/?q=…`` (empty cache): it pays for
    pagefind.js, the wasm, the entry and meta files, the query-folding table, the index chunks
    and the fragments of the results shown (10 per page).  Later queries are typed into the
    same page.  Every URL counts once, at its file size (the server adds no compression).
    Without the site's search page the raw ``pagefind.js`` API is queried instead.
    """
    if not (site / "pagefind" / "pagefind.js").is_file():
        raise NotAvailable("no pagefind/ index in the built site")
    if not Path(CHROMIUM).exists():
        raise NotAvailable(f"{CHROMIUM} not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        raise NotAvailable("playwright not installed") from None
    from urllib.parse import quote

    served: list[tuple[str, int]] = []
    handler = type("_Handler", (_CountingHandler,), {"served": served})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ui = (site / "about" / "search" / "index.html").is_file()
    results: list[dict[str, Any]] = []
    page_bytes = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            for i, query in enumerate(queries):
                done = len(served)
                started = time.perf_counter()
                if ui and i == 0:
                    page.goto(f"{base}/about/search/?q={quote(query)}")
                    page.wait_for_function(_STATE_JS, timeout=180_000)
                elif ui:
                    page.fill("#pk-search-input", query)
                    page.press("#pk-search-input", "Enter")
                    page.wait_for_function(_STATE_JS, timeout=180_000)
                else:
                    if i == 0:
                        page.goto(f"{base}/")
                    count = page.evaluate(_API_SEARCH_JS, query)
                page.wait_for_load_state("networkidle")
                seconds = time.perf_counter() - started
                if ui:
                    state, status, _shown = page.evaluate(_STATUS_JS)
                    if state == "error":
                        raise RuntimeError(f"search page: {status}")
                    found = re.search(r"找到 (\d+) 个页面", status)
                    count = int(found.group(1)) if found else 0
                sent = served[done:]
                pagefind = [(path, size) for path, size in sent if path.startswith("/pagefind/")]
                if i == 0:
                    page_bytes = sum(size for _, size in sent) - sum(size for _, size in pagefind)
                results.append({
                    "query": query,
                    "results": count,
                    "bytes": sum(size for _, size in pagefind),
                    "files": len(pagefind),
                    "largest": sorted(pagefind, key=lambda x: -x[1])[:3],
                    "by_kind": bytes_by_kind(pagefind),
                    "seconds": seconds,
                })
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"page": "about/search/" if ui else "/ (pagefind.js API)", "page_bytes": page_bytes,
            "queries": results}


def touch_one_policy(policies: Path) -> Path:
    """Change one document the way an editor would: its summary gains a sentence."""
    from benchmarks.synth import dump_document
    from generator.source.yaml_loader import load_file

    files = sorted((policies / "documents").glob("*.yaml"))
    target = files[len(files) // 2]
    loaded, problems = load_file(target)
    if loaded is None:
        raise RuntimeError(f"cannot load {target}: {problems[:1]}")
    data = dict(loaded.data)
    data["summary"] = "已修订（基准测试）。" + str(data.get("summary") or "")
    header = "# Changed by benchmarks/run.py to measure a rebuild after one edit.\n"
    target.write_bytes(dump_document(data, header))
    return target


def _modelled(kb: Any, build_graph: Callable[[Any], Any]) -> Any:
    """The model stage and the graph the render stage builds from it (both timed)."""
    build_graph(kb)
    return kb


def measure(n: int, work: Path, *, browser: bool, incremental: bool) -> dict[str, Any]:
    """One N, in this (fresh) process."""
    from generator.pipeline import check_policies, model
    from generator.runtime.gc_policy import few_collections, settle

    policies = work / "policies"
    docs, site = prepare_project(work)
    m = Measurement()
    m.data["n"] = n
    m.data["yaml_bytes"] = sum(p.stat().st_size for p in (policies / "documents").glob("*.yaml"))

    def load_validate() -> Any:
        kb, report = check_policies(policies)
        if kb is None:
            raise RuntimeError(f"{len(report.errors)} validation errors, e.g. "
                               f"{report.errors[0].format() if report.errors else '?'}")
        return kb

    # the generator stages alone, under the garbage-collector policy the CLI and pipeline.build use
    with few_collections():
        checked = m.stage("load+validate", load_validate)
        m.data["rss_after_validate_mb"] = _maxrss_mb()
        settle()
        rendered = kb = None
        if checked is not None:
            from generator.domain.graph import build_graph
            kb = m.stage("model+graph", lambda: _modelled(model(checked), build_graph))
            settle()
            from generator.render.site import render_site
            rendered = m.stage("render", lambda: render_site(kb))
            if rendered is not None:
                m.data["rendered_pages"] = len(getattr(rendered, "pages", {}) or {})
                m.data["rendered_bytes"] = sum(len(v.encode("utf-8")) for v in
                                               (getattr(rendered, "pages", {}) or {}).values())
                m.data["diagrams"] = len(getattr(rendered, "diagrams", []) or [])
                m.stage("dot", _dot_stage(rendered))
            else:
                m.data["stages"]["dot"] = {"seconds": None, "why": "needs render"}
    m.data["rss_generator_mb"] = _maxrss_mb()
    checked = kb = rendered = None
    gc.collect()

    # the whole build, end to end (strict, as the CLI runs it; if the synthetic site trips a
    # strict check the failure is recorded and the build is measured again without --strict)
    strict = True
    result = m.stage("total", build_call(policies, docs, site))
    if result is not None and not build_ok(result):
        errors = build_errors(result)
        m.data["strict_failure"] = errors
        m.data["notes"].append(f"strict build failed ({len(errors)} errors, e.g. "
                               f"{errors[0] if errors else '?'}); measured with strict=False")
        strict = False
        result = m.stage("total", build_call(policies, docs, site, strict=False))
    if result is not None and not build_ok(result):
        m.data["stages"]["total"] = {"seconds": None, "why": "build reported errors: "
                                     + "; ".join(build_errors(result)[:3])}
        result = None
    m.data["build_timings"] = build_timings(result) if result is not None else {}
    bt = m.data["build_timings"]
    for name, words in (("mkdocs", ("mkdocs", "site")), ("search", ("search", "pagefind"))):
        value = _pick(bt, *words)
        if value is not None:
            m.data["stages"][name] = {"seconds": value, "source": "pipeline.build timings"}
        elif result is not None:
            m.data["stages"][name] = {"seconds": None,
                                      "why": "pipeline.build reports no timing for this stage"}
        else:
            why = m.data["stages"]["total"].get("why", "build failed")
            m.data["stages"][name] = {"seconds": None, "why": why}
    m.data["rss_build_mb"] = _maxrss_mb()
    m.data["rss_children_mb"] = _maxrss_mb(resource.RUSAGE_CHILDREN)

    if result is not None and site.is_dir():
        m.data["site"] = site_metrics(site)
        if browser:
            search = m.stage("search-query", lambda: search_bytes(site))
            if search is not None:
                m.data["search"] = search
            else:
                m.data["search_why"] = m.data["stages"]["search-query"].get("why")
        if incremental:
            touched = touch_one_policy(policies)
            m.data["touched"] = touched.name
            m.data["incremental_mode"] = True
            again = m.stage("incremental", build_call(policies, docs, site, strict=strict,
                                                      incremental_build=True))
            if again is not None:
                m.data["incremental_timings"] = build_timings(again)
                if not build_ok(again):
                    m.data["stages"]["incremental"] = {
                        "seconds": None,
                        "why": "rebuild reported errors: " + "; ".join(build_errors(again)[:3])}
    return m.data


# --- orchestration and the report ---------------------------------------------------------------


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("mkdocs", "mkdocs-material", "pagefind", "pyyaml", "pydantic", "networkx",
                 "jinja2", "playwright"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "—"
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
        out["graphviz"] = dot.stderr.strip().split(" (")[0].replace("dot - graphviz version ", "")
    except OSError:
        out["graphviz"] = "—"
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                  check=False, timeout=30)
        out["chromium"] = chromium.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        out["chromium"] = "—"
    return out


def _machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}"


def run_one_in_child(n: int, work: Path, *, browser: bool, incremental: bool) -> dict[str, Any]:
    out = work / "result.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.run", "--one", str(n), "--work", str(work)]
    if not browser:
        cmd.append("--no-browser")
    if not incremental:
        cmd.append("--no-incremental")
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, check=False)
    if proc.returncode != 0 or not out.is_file():
        return {"n": n, "stages": {}, "notes": [f"child process failed ({proc.returncode})"],
                "wall_seconds": time.perf_counter() - started}
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    data["wall_seconds"] = time.perf_counter() - started
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of documents (default: 100,1000,3000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true", help="skip the search-bytes probe")
    parser.add_argument("--no-incremental", action="store_true", help="skip the rebuild")
    parser.add_argument("--no-docs", action="store_true",
                        help=f"do not rewrite {PERFORMANCE_PAGE.relative_to(REPO)}")
    parser.add_argument("--fresh", action="store_true",
                        help="forget the other sizes of an earlier results.json in --out")
    parser.add_argument("--report-only", action="store_true",
                        help="only rewrite the Markdown from <out>/results.json")
    parser.add_argument("--search-only", action="store_true",
                        help="only measure the search again, on the sites an earlier run left in "
                        "<out>/work (not rebuilt: they keep the code they were built with)")
    parser.add_argument("--bounds-only", action="store_true",
                        help="measure only the cases at the input limits (benchmarks/bounds.py)")
    parser.add_argument("--no-bounds", action="store_true",
                        help="skip the cases at the input limits")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one is not None:  # child: one N, results to <work>/result.json
        data = measure(args.one, args.work, browser=not args.no_browser,
                       incremental=not args.no_incremental)
        (args.work / "result.json").write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                               encoding="utf-8")
        return 0

    from benchmarks.synth import synthesise, up_to_date

    sizes = [] if args.bounds_only else [int(s) for s in args.sizes.split(",") if s.strip()]
    out: Path = args.out.resolve()
    if args.report_only:
        payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
        _write_report(payload, out, docs=not args.no_docs)
        return 0
    if args.search_only:
        payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
        for data in payload["results"]:
            if not sizes or data["n"] in sizes:
                _measure_search_again(data, out / "work" / f"n{data['n']}" / "project" / "site")
        _save(payload, out, docs=not args.no_docs)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in sizes:
        work = out / "work" / f"n{n}"
        manifest = up_to_date(n, work / "policies", seed=args.seed)
        synth_seconds = None
        if manifest is None:
            print(f"[benchmark] N={n}: synthesising …", file=sys.stderr, flush=True)
            manifest, synth_seconds = _timed(
                functools.partial(synthesise, n, work / "policies", seed=args.seed))
        else:
            print(f"[benchmark] N={n}: reusing {work / 'policies'}", file=sys.stderr)
        print(f"[benchmark] N={n}: measuring …", file=sys.stderr, flush=True)
        data = run_one_in_child(n, work, browser=not args.no_browser,
                                incremental=not args.no_incremental)
        data["synth_seconds"] = synth_seconds
        data["manifest"] = manifest
        results.append(data)
        _print_progress(data)

    bounds = None
    if not args.no_bounds:
        from benchmarks.bounds import measure_bounds

        print("[benchmark] cases at the input limits …", file=sys.stderr, flush=True)
        bounds = {"date": dt.date.today().isoformat(),
                  "cases": measure_bounds(out / "work" / "bounds")}
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": _machine(),
        "versions": _versions(),
        "seed": args.seed,
    }
    previous = out / "results.json"
    if previous.is_file() and not args.fresh:  # keep the other sizes of an earlier run
        with contextlib.suppress(ValueError, KeyError):
            old = json.loads(previous.read_text(encoding="utf-8"))
            bounds = bounds or old.get("bounds")
            measured = {r["n"] for r in results}
            results += [r for r in old["results"] if r["n"] not in measured]
            sizes = sorted({*sizes, *(r["n"] for r in old["results"])})
            first = str(old["meta"].get("date", "")).split(" ")[0]
            if first and first != meta["date"]:
                meta["date"] = f"{first} – {meta['date']}"
    command = f"cd {REPO} && .venv/bin/python -m benchmarks.run --sizes {','.join(map(str, sizes))}"
    if out != DEFAULT_OUT.resolve():
        command += f" --out {out}"
    if args.seed != 1:
        command += f" --seed {args.seed}"
    meta["command"] = command
    results.sort(key=lambda r: int(r["n"]))
    payload = {"meta": meta, "results": results}
    if bounds:
        payload["bounds"] = bounds
    _save(payload, out, docs=not args.no_docs)
    return 0


def _measure_search_again(data: dict[str, Any], site: Path) -> None:
    """Replace one N's search figures with a new measurement on the site it built."""
    print(f"[benchmark] N={data['n']}: measuring the search on {site} …", file=sys.stderr,
          flush=True)
    m = Measurement()
    search = m.stage("search-query", lambda: search_bytes(site))
    data["stages"]["search-query"] = m.data["stages"]["search-query"]
    if search is not None:
        data["search"] = search
        data.pop("search_why", None)
    else:
        data.pop("search", None)
        data["search_why"] = m.data["stages"]["search-query"].get("why")


def _save(payload: dict[str, Any], out: Path, *, docs: bool) -> None:
    """``<out>/results.json``, then the report made from it."""
    (out / "results.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    _write_report(payload, out, docs=docs)


def _write_report(payload: dict[str, Any], out: Path, *, docs: bool) -> None:
    from benchmarks.report import render_markdown, with_bounds

    markdown = render_markdown(payload)
    (out / "results.md").write_text(markdown, encoding="utf-8")
    if docs:
        if not payload["results"] and PERFORMANCE_PAGE.is_file():
            # only the input limits were measured here: keep the page's other figures
            markdown = with_bounds(PERFORMANCE_PAGE.read_text(encoding="utf-8"),
                                   payload.get("bounds"))
        PERFORMANCE_PAGE.write_text(markdown, encoding="utf-8")
    print(markdown)


def _print_progress(data: dict[str, Any]) -> None:
    parts = []
    for name, stage in data.get("stages", {}).items():
        seconds = stage.get("seconds")
        parts.append(f"{name} {seconds:.1f}s" if seconds is not None else f"{name} n/a")
    print(f"[benchmark] N={data.get('n')}: " + ", ".join(parts), file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
