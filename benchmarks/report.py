"""The benchmark's results as Markdown: benchmarks/out/results.md, docs/about/performance.md."""

from __future__ import annotations

from typing import Any

GOAL_POLICIES_PER_SECOND = 300
GOAL_GROWTH = 3.3
GOAL_LARGEST_PAGE_KB = 150
GOAL_QUERY_BYTES = 1_000_000
GOAL_INCREMENTAL = 0.10

#: The generator's own (Python) stages; dot is Graphviz and reported beside them.
GENERATOR_STAGES = ("load+validate", "model+graph", "render")
#: pipeline.build stages that make up the generator in a rebuild (graph is inside render there).
REBUILD_GENERATOR = ("check", "render", "diagrams")
BUILD_LABELS = {
    "recover": "recover interrupted builds",
    "check": "load + validate",
    "render": "render (graph included)",
    "diagrams": "dot (parallel batches, cached) + inline SVG",
    "write": "write docs/ (staging)",
    "mkdocs": "**mkdocs build** (dirty in a rebuild: changed pages only)",
    "search": "**search index** (shadow pages + Pagefind)",
    "links": "link check",
    "swap": "swap into place",
}


def _s(stage: dict[str, Any] | None) -> float | None:
    if not stage:
        return None
    value = stage.get("seconds")
    return float(value) if value is not None else None


def _secs(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _size(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{value / 1024:.0f} KB"


def _rate(n: int, seconds: float | None) -> str:
    return f" ({n / seconds:,.0f}/s)" if seconds else ""


def generator_seconds(r: dict[str, Any]) -> tuple[float | None, list[str]]:
    """Sum of the generator stages, and the ones missing from it."""
    total, missing = 0.0, []
    for name in GENERATOR_STAGES:
        value = _s(r["stages"].get(name))
        if value is None:
            missing.append(name)
        else:
            total += value
    return (total if len(missing) < len(GENERATOR_STAGES) else None), missing


def rebuild_generator_seconds(r: dict[str, Any]) -> float | None:
    """Check + render + charts of the rebuild after one change (the cache is warm there)."""
    timings = r.get("incremental_timings") or {}
    if not all(k in timings for k in REBUILD_GENERATOR):
        return None
    return sum(float(timings[k]) for k in REBUILD_GENERATOR)


def _row(label: str, goal: str, cells: list[str]) -> str:
    return "| " + " | ".join([label, *cells, goal]) + " |"


def render_markdown(payload: dict[str, Any]) -> str:
    meta = payload["meta"]
    results: list[dict[str, Any]] = payload["results"]
    ns = [int(r["n"]) for r in results]
    header = ["| | " + " | ".join(f"N = {n:,}" for n in ns) + " | goal |",
              "|---|" + "---:|" * len(ns) + "---|"]
    rows: list[str] = []
    reasons: dict[str, str] = {}

    def stage_cell(r: dict[str, Any], name: str, *, rate: bool = False) -> str:
        stage = r["stages"].get(name)
        value = _s(stage)
        if value is None:
            why = (stage or {}).get("why", "not run")
            reasons.setdefault(name, why)
            return "n/a"
        return _secs(value) + (_rate(int(r["n"]), value) if rate else "")

    rows.append(_row("documents (YAML)", "", [
        f"{r['n']:,} ({_size(r.get('yaml_bytes'))})" for r in results]))
    rows.append(_row("jurisdictions in the registry", "", [
        f"{r.get('manifest', {}).get('jurisdictions', 0):,}" for r in results]))
    rows.append(_row("load + validate (`check_policies`)", "", [
        stage_cell(r, "load+validate", rate=True) for r in results]))
    rows.append(_row("model + graph (`build_graph`)", "", [
        stage_cell(r, "model+graph") for r in results]))
    rows.append(_row("render (`render_site`)", "", [
        stage_cell(r, "render", rate=True)
        + (f", {r['rendered_pages']:,} pages" if r.get("rendered_pages") else "")
        for r in results]))
    rows.append(_row("dot (batched)", "", [
        stage_cell(r, "dot") + (f", {r['diagrams']:,} charts" if r.get("diagrams") else "")
        for r in results]))
    gen_cells, with_dot_cells, warm_cells = [], [], []
    for r in results:
        total, missing = generator_seconds(r)
        cell = _secs(total) + _rate(int(r["n"]), total)
        if missing and total is not None:
            cell += " (without " + ", ".join(missing) + ")"
        gen_cells.append(cell)
        dot = _s(r["stages"].get("dot"))
        both = total + dot if total is not None and dot is not None else None
        with_dot_cells.append(_secs(both) + _rate(int(r["n"]), both))
        warm = rebuild_generator_seconds(r)
        warm_cells.append(_secs(warm) + _rate(int(r["n"]), warm))
    rows.append(_row("**generator, first build** (load + validate, model + graph, render)",
                     f"≥ {GOAL_POLICIES_PER_SECOND} policies/s", gen_cells))
    rows.append(_row("generator and dot, first build", "", with_dot_cells))
    rows.append(_row("**generator in a rebuild** (cache warm: `pipeline.build` check + render + "
                     "dot, one policy changed)", f"≥ {GOAL_POLICIES_PER_SECOND} policies/s",
                     warm_cells))
    keys: list[str] = []
    for r in results:
        keys += [k for k in r.get("build_timings", {}) if k not in keys]
    if keys:
        for key in keys:
            label = BUILD_LABELS.get(key, key)
            rows.append(_row(f"pipeline.build: {label}", "", [
                _secs(r["build_timings"].get(key)) if r.get("build_timings") else "n/a"
                for r in results]))
    else:
        rows.append(_row("mkdocs build", "", [stage_cell(r, "mkdocs") for r in results]))
        rows.append(_row("search index (Pagefind)", "", [stage_cell(r, "search")
                                                         for r in results]))
    rows.append(_row("**total** (`pipeline.build`, end to end)", "3,000 ≤ 3.3 × 1,000",
                     [stage_cell(r, "total") for r in results]))
    rows.append(_row("peak memory: generator / whole build process / largest child", "", [
        " / ".join(f"{r[k]:,.0f} MB" if r.get(k) else "n/a"
                   for k in ("rss_generator_mb", "rss_build_mb", "rss_children_mb"))
        for r in results]))
    rows.append(_row("HTML pages (all HTML)", "", [
        f"{r['site']['html_pages']:,} ({_size(r['site']['html_bytes'])})" if r.get("site")
        else "n/a" for r in results]))
    rows.append(_row("largest HTML page", f"≤ {GOAL_LARGEST_PAGE_KB} KB at 3,000", [
        f"{_size(r['site']['largest_html_bytes'])} (`{r['site']['largest_html']}`)"
        if r.get("site") else "n/a" for r in results]))
    rows.append(_row("Pagefind index", "", [
        f"{r['site']['pagefind_files']:,} files, {_size(r['site']['pagefind_bytes'])}"
        if r.get("site") and r["site"].get("pagefind_files") else "n/a" for r in results]))
    search_cells, later_cells = [], []
    for r in results:
        search = r.get("search")
        if not search:
            reasons.setdefault("search query", r.get("search_why") or "no built site")
            search_cells.append("n/a")
            later_cells.append("n/a")
            continue
        q = search["queries"]
        search_cells.append(f"{_size(q[0]['bytes'])} ({q[0]['files']} files)")
        later_cells.append(", ".join(f"{x['query']} {_size(x['bytes'])}/{x['results']} hits"
                                     for x in q[1:]) or "—")
    rows.append(_row("search: bytes fetched for the first query", "< 1 MB at 3,000",
                     search_cells))
    rows.append(_row("search: later queries (bytes / results)", "", later_cells))
    inc_cells = []
    for r in results:
        value, total = _s(r["stages"].get("incremental")), _s(r["stages"].get("total"))
        if value is None:
            reasons.setdefault("incremental", (r["stages"].get("incremental") or {}).get(
                "why", "not run"))
            inc_cells.append("n/a")
        else:
            inc_cells.append(_secs(value) + (f" ({value / total:.0%} of full)" if total else ""))
    modes = {r["incremental_mode"] for r in results if "incremental_mode" in r}
    label = "rebuild after changing one policy"
    if modes == {False}:
        label += " (no incremental mode: a full build)"
    rows.append(_row(label, f"< {GOAL_INCREMENTAL:.0%} of full", inc_cells))
    rows.append(_row("rebuild: stages", "", [
        ", ".join(f"{k} {_secs(v)}" for k, v in (r.get("incremental_timings") or {}).items()
                  if v >= 0.05) or "n/a"
        for r in results]))
    rows.append(_row("(synthesising the documents, not part of the build)", "", [
        _secs(r["synth_seconds"]) if r.get("synth_seconds") is not None else "reused"
        for r in results]))

    lines = [
        "# 性能 · Performance",
        "",
        "<!-- Generated by benchmarks/run.py; do not edit by hand. -->",
        "",
        # not in the site's search index: its figures would answer queries such as 24小时
        "<div data-pk-noindex hidden></div>",
        "",
        f"Measured on {meta['date']} on {meta['machine']}, with synthetic knowledge bases made "
        "from the real documents by `benchmarks/synth.py` (seed "
        f"{meta['seed']}): each synthetic document is a real one moved to another jurisdiction, "
        "with clock values, dates, wording and text varied and citations added. Each figure is "
        "one run on a virtual machine with nothing else running; repeated runs there differ "
        "by 10–20 %, and the generator stages, run once in isolation and again inside "
        "`pipeline.build`, differ by up to 1.5×, so read every figure as ±30 %.",
        "",
        *header,
        *rows,
        "",
    ]
    by_n = {int(r["n"]): r for r in results}
    lines += _goals(by_n)
    lines += _where_the_time_goes(by_n)
    lines += _why_not_met(by_n)
    lines += bounds_section(payload.get("bounds"))
    if reasons:
        lines += ["", "Not measured (n/a):", ""]
        lines += [f"- {name}: {why}" for name, why in reasons.items()]
    notes = [f"- N = {r['n']:,}: {note}" for r in results for note in r.get("notes", [])]
    if notes:
        lines += ["", "Notes:", "", *notes]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    lines += ["", f"Versions: {versions}.", "", "Re-run:", "", "```sh", meta["command"], "```",
              ""]
    return "\n".join(lines)


def _goals(by_n: dict[int, dict[str, Any]]) -> list[str]:
    out = ["Goals:", ""]

    def mark(ok: bool | None) -> str:
        return {True: "met", False: "**not met**", None: "not measured"}[ok]

    rates = []
    for n, r in sorted(by_n.items()):
        total, missing = generator_seconds(r)
        if total and not missing:
            rates.append((n, n / total, rebuild_generator_seconds(r)))
    if rates:
        ok = all(rate >= GOAL_POLICIES_PER_SECOND for _, rate, _ in rates)
        shown = ", ".join(f"{rate:,.0f}/s at {n:,}" for n, rate, _ in rates)
        out.append(f"- generator ≥ {GOAL_POLICIES_PER_SECOND} policies/s, first build: "
                   f"{mark(ok)} ({shown})")
        warm = [(n, n / w) for n, _, w in rates if w]
        if warm:
            ok = all(rate >= GOAL_POLICIES_PER_SECOND for _, rate in warm)
            shown = ", ".join(f"{rate:,.0f}/s at {n:,}" for n, rate in warm)
            out.append(f"- generator ≥ {GOAL_POLICIES_PER_SECOND} policies/s, rebuild (cache "
                       f"warm): {mark(ok)} ({shown})")
    else:
        out.append(f"- generator ≥ {GOAL_POLICIES_PER_SECOND} policies/s: {mark(None)} "
                   "(a generator stage is n/a)")
    t1 = _s(by_n.get(1000, {}).get("stages", {}).get("total"))
    t3 = _s(by_n.get(3000, {}).get("stages", {}).get("total"))
    if t1 and t3:
        out.append(f"- total-time growth 3,000 ≤ {GOAL_GROWTH} × 1,000: "
                   f"{mark(t3 <= GOAL_GROWTH * t1)} ({t3 / t1:.2f}×)")
    else:
        out.append(f"- total-time growth 3,000 ≤ {GOAL_GROWTH} × 1,000: {mark(None)}")
    top = max(by_n) if by_n else None
    site = by_n[top].get("site") if top else None
    label = f" (measured at {top:,})" if top and top != 3000 else ""
    if site:
        kb = site["largest_html_bytes"] / 1024
        out.append(f"- largest page ≤ {GOAL_LARGEST_PAGE_KB} KB at 3,000: "
                   f"{mark(kb <= GOAL_LARGEST_PAGE_KB)} "
                   f"({_size(site['largest_html_bytes'])}{label})")
    else:
        out.append(f"- largest page ≤ {GOAL_LARGEST_PAGE_KB} KB at 3,000: {mark(None)}")
    search = by_n[top].get("search") if top else None
    if search:
        first = search["queries"][0]["bytes"]
        out.append(f"- one search query < 1 MB at 3,000: {mark(first < GOAL_QUERY_BYTES)} "
                   f"({_size(first)}{label})")
    else:
        out.append(f"- one search query < 1 MB at 3,000: {mark(None)}")
    ratios = []
    for n, r in sorted(by_n.items()):
        inc, total = _s(r["stages"].get("incremental")), _s(r["stages"].get("total"))
        if inc is not None and total:
            ratios.append((n, inc / total))
    if ratios:
        ok = all(x < GOAL_INCREMENTAL for _, x in ratios)
        shown = ", ".join(f"{x:.0%} at {n:,}" for n, x in ratios)
        out.append(f"- rebuild after one change < {GOAL_INCREMENTAL:.0%} of a full build: "
                   f"{mark(ok)} ({shown})")
    else:
        out.append(f"- rebuild after one change < {GOAL_INCREMENTAL:.0%} of a full build: "
                   f"{mark(None)}")
    return out


def _largest_complete(by_n: dict[int, dict[str, Any]]) -> int | None:
    """The largest N whose whole build was measured (the figures that explain come from it)."""
    complete = [n for n, r in sorted(by_n.items()) if _s(r["stages"].get("total"))]
    return complete[-1] if complete else None


#: Milliseconds per policy that the generator goal allows.
_BUDGET_MS = 1000 / GOAL_POLICIES_PER_SECOND


def _where_the_time_goes(by_n: dict[int, dict[str, Any]]) -> list[str]:
    """Figures that explain the goals, computed from the largest N that has them."""
    out: list[str] = []
    n = _largest_complete(by_n)
    if n is None:
        return out
    r = by_n[n]
    stages = r["stages"]
    total = _s(stages.get("total")) or 0.0
    out += ["", f"Where the time goes (N = {n:,}):", ""]
    per = {name: _s(stages.get(name)) for name in (*GENERATOR_STAGES, "dot")}
    if all(v is not None for v in per.values()):
        parts = ", ".join(f"{name} {1000 * (v or 0) / n:.1f} ms" for name, v in per.items())
        charts = r.get("diagrams") or 0
        dot = per["dot"] or 0.0
        out.append(f"- per policy: {parts}; {charts / n:.1f} charts per policy at "
                   f"{1000 * dot / max(charts, 1):.1f} ms each. {GOAL_POLICIES_PER_SECOND} "
                   f"policies/s leaves {_BUDGET_MS:.1f} ms per policy for all of the generator's "
                   "stages.")
    timings = r.get("build_timings") or {}
    pages = (r.get("site") or {}).get("html_pages")
    if timings.get("mkdocs") and pages:
        out.append(f"- full build: mkdocs {_secs(timings['mkdocs'])} for {pages:,} pages "
                   f"({1000 * timings['mkdocs'] / pages:.0f} ms per page, "
                   f"{timings['mkdocs'] / total:.0%} of the build); search index "
                   f"{_secs(timings.get('search'))} ({(timings.get('search') or 0) / total:.0%}).")
    again = r.get("incremental_timings") or {}
    if again and total:
        ranked = sorted(again.items(), key=lambda kv: -kv[1])[:3]
        shares = ", ".join(f"{k} {_secs(v)} ({v / total:.0%} of a full build)" for k, v in ranked)
        out.append(f"- rebuild after one change: {shares}. The search index is made afresh: "
                   "Pagefind has no incremental mode, so every page is indexed again (page "
                   "shadows come from the cache). Every page is rendered again; only the "
                   "Markdown files whose bytes changed reach mkdocs, which renders just those.")
    return out


def _why_not_met(by_n: dict[int, dict[str, Any]]) -> list[str]:
    """The reasons behind the goals this run misses, with the figures that show them."""
    n = _largest_complete(by_n)
    if n is None:
        return []
    r = by_n[n]
    out: list[str] = []
    seconds, missing = generator_seconds(r)
    if seconds and not missing and n / seconds < GOAL_POLICIES_PER_SECOND:
        markdown_kb = (r.get("rendered_bytes") or 0) / n / 1024
        pages = (r.get("rendered_pages") or 0) / n
        out.append(
            f"- generator rate: each policy costs {1000 * seconds / n:.1f} ms in the generator "
            f"on this machine, against the {_BUDGET_MS:.1f} ms that "
            f"{GOAL_POLICIES_PER_SECOND} policies/s allows. The "
            f"render writes {markdown_kb:.0f} KB of Markdown per policy ({pages:.1f} pages: the "
            "document, a page per procedure, its share of the topic, index and jurisdiction "
            "pages), and the loader folds every YAML event in Python to keep each value's line "
            "and column for error messages. A rebuild could reach the rate by rendering only "
            "what a change touches (pages cached by their inputs); a first build could not "
            "without moving loading and rendering out of Python.")
    total = _s(r["stages"].get("total"))
    incremental = _s(r["stages"].get("incremental"))
    search = (r.get("incremental_timings") or {}).get("search")
    if total and incremental and search and incremental / total >= GOAL_INCREMENTAL:
        pages = (r.get("site") or {}).get("html_pages") or 0
        out.append(
            f"- rebuild: the search index alone takes {_secs(search)} of the rebuild, "
            f"{search / total:.0%} of a full build. Pagefind has no incremental mode and indexes "
            f"all {pages:,} pages again. An index split into shards, only the changed one "
            "rebuilt, would make every query fetch index chunks from each shard, against the "
            "goal of under 1 MB for one query.")
    out += _why_search_is_heavy(r)
    return ["", f"Goals not met, and why (N = {n:,}):", "", *out] if out else []


def _why_search_is_heavy(r: dict[str, Any]) -> list[str]:
    """What the first query's bytes are made of, when they miss the goal."""
    search = r.get("search")
    if not search or not search.get("queries"):
        return []
    first = search["queries"][0]
    if first["bytes"] < GOAL_QUERY_BYTES:
        return []
    kinds = first.get("by_kind")
    if not kinds:  # a run from before the breakdown was recorded
        largest = ", ".join(f"{path.rsplit('/', 1)[-1]} {_size(size)}"
                            for path, size in first.get("largest", []))
        return [f"- first search query: {_size(first['bytes'])} for {first['query']} "
                f"in {first['files']} files; the largest: {largest}."]
    pages = (r.get("site") or {}).get("html_pages") or 0
    other = sum(v for k, v in kinds.items()
                if k not in ("index", "meta", "engine", "site tables", "fragments"))
    return [
        f"- first search query: {_size(first['bytes'])} for {first['query']} "
        f"({first['results']:,} pages match, {first['seconds']:.1f} s in headless Chromium): "
        f"index chunks {_size(kinds.get('index', 0))}, meta {_size(kinds.get('meta', 0))}, "
        f"engine {_size(kinds.get('engine', 0))} (pagefind.js, its worker and the wasm: the "
        f"same at any size), the site's tables {_size(kinds.get('site tables', 0))} (facet "
        f"values, the query-folding table), fragments of the results shown "
        f"{_size(kinds.get('fragments', 0))}" + (f", other {_size(other)}" if other else "")
        + ". Every Han character is one indexed word and its chunk holds each of its "
        "positions on every page that has it (the phrase search needs them), so the chunks "
        f"grow with the text indexed; the meta file holds an entry for each of the {pages:,} "
        "pages. Meeting the goal means indexing less text: for instance not the per-place "
        "parts of topic pages or the duty tables of document pages, which repeat the "
        "documents' own words — at the cost of a phrase no longer finding those pages."]


#: The section about the input limits sits between these, so that ``--bounds-only`` can
#: replace it in a page whose other figures come from an earlier run.
BOUNDS_BEGIN = "<!-- begin: inputs at the limits (benchmarks/bounds.py) -->"
BOUNDS_END = "<!-- end: inputs at the limits -->"


def bounds_section(bounds: dict[str, Any] | None) -> list[str]:
    """The build at the input limits (benchmarks/bounds.py): one row per case."""
    return ["", BOUNDS_BEGIN, *_bounds_lines(bounds), BOUNDS_END]


def with_bounds(page: str, bounds: dict[str, Any] | None) -> str:
    """``page`` (a performance page written earlier) with its section about the input limits
    replaced by one for ``bounds``; a page without that section gets it before "Versions:"."""
    section = "\n".join(bounds_section(bounds)[1:])
    start, end = page.find(BOUNDS_BEGIN), page.find(BOUNDS_END)
    if 0 <= start < end:
        return page[:start] + section + page[end + len(BOUNDS_END):]
    at = page.find("\nVersions: ")
    at = len(page) if at < 0 else at
    return page[:at] + "\n" + section + "\n" + page[at:]


def _bounds_lines(bounds: dict[str, Any] | None) -> list[str]:
    out = ["", "## Inputs at the limits", ""]
    if not bounds or not bounds.get("cases"):
        return [*out, "Not measured: run `.venv/bin/python -m benchmarks.run --bounds-only`.", ""]
    out += [
        f"One document next to the real registries, built from scratch by `pipeline.build` "
        "(strict) "
        f"on {bounds['date']}; `dot` also timed on the document's chart alone. "
        "Re-run these cases alone with `.venv/bin/python -m benchmarks.run --bounds-only`.",
        "",
        "| case | policy file | build total | mkdocs | dot, that chart alone | "
        "document page |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case in bounds["cases"]:
        what = case["what"]
        if case.get("provision_chars"):
            what += f" ({case['provision_chars']:,} characters)"
        total = _secs(case.get("total_seconds")) if case.get("ok") else (
            "failed: " + "; ".join(case.get("errors") or ["?"]))
        problems = case.get("dot_problems") or []
        dot = _secs(case.get("dot_seconds")) + (f" ({problems[0]})" if problems else "")
        out.append(f"| {what} | {case.get('yaml_bytes', 0):,} bytes | {total} | "
                   f"{_secs((case.get('timings') or {}).get('mkdocs'))} | {dot} | "
                   f"{_size(case.get('page_bytes'))} |")
    return [*out, ""]
