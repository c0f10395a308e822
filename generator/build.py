"""Build stage: check → render → charts → write → mkdocs → search index → link check → swap.

``build_site`` is the one function that runs the stages in order (as ``mkdocs/commands/build.py``
reads).  Nothing is written until the whole knowledge base is checked and rendered, and nothing
the reader sees changes until every stage has passed:

* everything is built in a staging folder ``.build-XXXX`` next to ``docs/`` (and next to
  ``site/`` when that lives elsewhere): a copy of the hand-written pages plus the new generated
  roots, and a complete new site with its search index;
* the swap then renames the new generated roots into ``docs/`` and the new site over ``site/``.
  Before the first rename a journal (``SWAP.json``) is written; a build killed during the swap is
  finished from the journal by the next build, a build killed earlier is rolled back (its
  staging folder is deleted).  A failure or ``SIGKILL`` before the swap leaves the previous
  ``docs/`` generated roots and ``site/`` byte for byte as they were;
* a lock on the parent folder keeps two builds (``serve`` and a manual ``build``) apart.

Generated roots inside ``docs/``: ``GENERATED_ROOTS``.  Everything else there is hand-written and
never touched.  A generated root that the new build does not produce is removed by the swap, so a
removed policy disappears from ``docs/`` and from ``site/``.

Same input, same bytes: ``SOURCE_DATE_EPOCH`` (sitemap dates, the gzip header of
``sitemap.xml.gz``) comes from the environment, else from the last git commit, else from the
newest date in the knowledge base; mkdocs runs in a subprocess with that environment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from generator.cache import CACHE_DIR_NAME, BuildCache, code_fingerprint, content_key
from generator.diagnostics import Report, SourceLocation, diag
from generator.domain.model import KnowledgeBase as DomainKnowledgeBase
from generator.domain.resolve import CheckedDocument, resolve
from generator.dot import id_prefix, inline_svg, rebase_links, render_all_svgs
from generator.heap import few_collections, settle
from generator.linkcheck import check_site
from generator.mkdocs_runner import site_root_path
from generator.model import KnowledgeBase
from generator.ownership import (
    SITE_MARK,
    STAGING_MARK,
    ProjectFolders,
    is_own_staging,
    refuse_output_folders,
)
from generator.render import RenderedSite, diagram_placeholder
from generator.render.links import page_url
from generator.search import build_search_index
from generator.validate import check_knowledge_base

#: Top-level names inside ``docs/`` that the generator owns.
GENERATED_ROOTS = (
    "index.md", "documents", "topics", "training", "jurisdictions", "indexes", "data",
    "diagrams",
)
STAGING_PREFIX = ".build-"
JOURNAL = "SWAP.json"
MKDOCS_TIMEOUT_SECONDS = 3600

Renderer = Callable[[DomainKnowledgeBase], RenderedSite]


@dataclass
class BuildResult:
    """Diagnostics of every stage, seconds per stage (in order) and what was produced."""

    report: Report = field(default_factory=Report)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: True when the policies themselves have errors (the CLI's exit status 1).
    policy_problem: bool = False
    #: Why the build refused to start (the output folders are not its own): exit status 2.
    refused: str | None = None
    #: True once the new docs/ generated roots and site/ are in place.
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.written and self.report.ok

    def summary(self) -> str:
        c = self.counts
        total = sum(self.timings.values())
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        return (
            f"built {c.get('html_pages', 0)} pages from {c.get('documents', 0)} documents "
            f"({c.get('diagrams', 0)} charts, search index {c.get('search_bytes', 0) / 1e6:.1f} MB "
            f"in {c.get('search_files', 0)} files) in {total:.1f} s ({stages}); "
            + (f"{c.get('changed_files', 0)} generated files changed, mkdocs rendered only those"
               if c.get("dirty") else "mkdocs rendered every page")
        )


def build_site(
    policies: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    config_file: Path | None = None,
    render: Renderer | None = None,
    cache_dir: Path | Literal["default"] | None = "default",
    incremental: bool = True,
) -> BuildResult:
    """Build ``site_dir`` from ``policies``; ``docs_dir`` receives the generated Markdown.

    ``config_file`` defaults to ``mkdocs.yml`` next to ``docs_dir``; ``render`` to
    ``generator.render.site.render_site``.  With ``strict`` (the default) mkdocs warnings, Graphviz
    warnings and broken links are errors.  Expected failures come back as diagnostics in
    ``result.report``; nothing is raised.

    ``cache_dir`` (default ``.policykb-cache`` next to ``docs_dir``; None for no cache) keeps
    checked policies, charts and parsed pages between builds.  With ``incremental`` and the
    record of a previous build made with the same configuration, only the pages whose Markdown
    changed are rendered again by mkdocs (on a copy of the previous site; the result is the
    same as a clean build's, byte for byte).
    """
    result = BuildResult()
    report = result.report
    stopwatch = _Stopwatch(result.timings)
    docs_dir, site_dir = docs_dir.absolute(), site_dir.absolute()
    config_file = (config_file or docs_dir.parent / "mkdocs.yml").absolute()
    if cache_dir == "default":
        cache_dir = docs_dir.parent / CACHE_DIR_NAME
    cache = BuildCache(cache_dir.absolute() if cache_dir is not None else None)
    result.refused = refuse_output_folders(ProjectFolders(
        root=config_file.parent, policies=policies.absolute(), docs=docs_dir, site=site_dir,
        cache=cache.root))
    if result.refused is not None:
        return result
    parents = sorted({docs_dir.parent, site_dir.parent})
    try:
        for parent in parents:
            parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.refused = f"cannot create {error.filename}: {error.strerror}"
        return result

    with _locked(parents), few_collections():
        with stopwatch("recover"):
            recover_interrupted_builds(parents)

        with stopwatch("check"):
            kb, checked = check_knowledge_base(policies, cache=cache)
            settle()
        report.extend(checked.diagnostics)
        if kb is None or not checked.ok:
            result.policy_problem = True
            return result
        result.counts["documents"] = len(kb.documents)

        with stopwatch("render"):
            domain = resolve([CheckedDocument(d.spec, d.path) for d in kb.documents],
                             kb.jurisdictions, kb.actor_types, kb.topics)
            rendered = _render(domain, render or _default_renderer(), report)
            settle()
        if rendered is None:
            return result
        result.counts.update(
            pages=len(rendered.pages), binaries=len(rendered.binaries),
            diagrams=len(rendered.diagrams),
        )
        if not config_file.is_file():
            report.add(diag("mkdocs-failed", SourceLocation(str(config_file)), "no mkdocs.yml",
                            "pass config_file= or create mkdocs.yml next to docs/"))
            return result

        stage: _Staging | None = None
        try:
            with _Staging(docs_dir, site_dir) as stage:
                with stopwatch("diagrams"):
                    files = _place_diagrams(rendered, report, strict=strict, cache=cache)
                if not report.ok:
                    return result

                with stopwatch("write"):
                    changed = _write_generated(stage.docs, files, report, previous=docs_dir)
                    _copy_hand_written(docs_dir, stage.docs)
                    sources = stage.source_digests()
                if not report.ok:
                    return result
                result.counts["changed_files"] = changed

                with stopwatch("mkdocs"):
                    epoch = source_date_epoch(policies, kb)
                    state = _build_state(config_file, strict)
                    dirty = incremental and cache.enabled and \
                        _prepare_dirty_site(state, site_dir, stage, sources)
                    result.counts["dirty"] = int(dirty)
                    _run_mkdocs(stage, config_file, epoch, report, strict=strict,
                                docs_name=docs_dir.name, dirty=dirty)
                if not report.ok:
                    return result

                with stopwatch("search"):
                    found = build_search_index(stage.site, stage.root / "search", cache)
                for message in found.errors:
                    report.add(diag("search-index-failed", SourceLocation("pagefind"), message))
                result.counts.update(search_pages=found.pages_indexed,
                                     search_files=found.files, search_bytes=found.bytes)
                if not report.ok:
                    return result

                with stopwatch("links"):
                    _check_links(stage.site, site_dir.name, config_file, report, strict=strict,
                                 cache=cache)
                result.counts["html_pages"] = sum(1 for _ in stage.site.rglob("*.html"))
                if not report.ok:
                    return result

                with stopwatch("swap"):
                    _write_record(stage.site, state, sources)
                    stage.swap()
                result.written = True
                for kind in ("check", "svg", "inline", "shadow", "links"):
                    cache.prune(kind)
        except OSError as error:
            where = stage.public_path(error.filename) if stage is not None else None
            report.add(diag("output-failed", SourceLocation(str(where or site_dir)),
                            f"could not write the output: {error.strerror or error}",
                            "check the free space and the permissions of that folder; the "
                            "previous site is unchanged"))
    return result


# --- stages ----------------------------------------------------------------------------------


def _default_renderer() -> Renderer:
    from generator.pipeline import render

    return render


_TRACEBACK_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)


def _render(kb: DomainKnowledgeBase, render: Renderer, report: Report) -> RenderedSite | None:
    """Run the renderer; a template or render error becomes a diagnostic, not a traceback."""
    try:
        return render(kb)
    except Exception as error:  # any render failure is reported, never raised
        # the innermost cause: an error in a render worker arrives with its traceback as text
        origin: BaseException = error
        while origin.__cause__ is not None:
            origin = origin.__cause__
        frames = _TRACEBACK_FRAME.findall("".join(traceback.format_exception(origin)))
        template = [f for f in frames if f[0].endswith(".jinja")]
        where = template[-1] if template else frames[-1] if frames else None
        location = (
            SourceLocation(_short_path(where[0]), int(where[1]), 0)
            if where is not None
            else SourceLocation("generator/render")
        )
        report.add(diag("render-failed", location, f"{type(error).__name__}: {error}",
                        "fix the template or renderer; the previous site is unchanged"))
        return None


def _place_diagrams(
    site: RenderedSite, report: Report, *, strict: bool, cache: BuildCache
) -> dict[str, bytes]:
    """All generated files: pages with their charts inlined, downloads, standalone SVG files."""
    svgs, problems = render_all_svgs(site.diagrams, cache)
    for problem in problems:
        name = "diagram-failed" if problem.error or strict else "site-warning"
        report.add(diag(name, SourceLocation(problem.path or "diagrams"), problem.message))
    known = {d.path for d in site.diagrams}
    before, after = diagram_placeholder("\0").split("\0")
    placeholder = re.compile(
        rf"^([ \t]*){re.escape(before)}(.+?){re.escape(after)}[ \t]*$", re.MULTILINE
    )
    embedded_in: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for page, text in site.pages.items():
        seen: dict[str, int] = {}

        def inline(m: re.Match[str], page: str = page, seen: dict[str, int] = seen) -> str:
            indent, path = m.group(1), unquote(html.unescape(m.group(2)))
            if path not in known:
                report.add(diag("render-failed", SourceLocation(page),
                                f"placeholder for an unknown chart {path!r}"))
            if path not in svgs:  # reported above or by Graphviz: the build stops
                return m.group(0)
            seen[path] = seen.get(path, 0) + 1
            prefix = id_prefix(path) + (f"-{seen[path]}" if seen[path] > 1 else "")
            embedded_in.setdefault(path, page)
            svg = svgs[path]
            body = cache.text("inline", content_key(svg, prefix), inline_svg, svg, prefix)
            lines = [f'<div class="pk-diagram" data-diagram="{html.escape(path)}">', body, "</div>"]
            return "\n" + "\n".join(indent + line for line in "\n".join(lines).split("\n")) + "\n"

        files[page] = placeholder.sub(inline, text).encode("utf-8")
    files.update(site.binaries)
    for diagram in site.diagrams:
        if diagram.path in svgs:
            svg = svgs[diagram.path]
            host = embedded_in.get(diagram.path)
            if host is not None:
                base, own = page_url(host), diagram.path
                svg = cache.text("inline", content_key(svg, base, own), rebase_links, svg, base,
                                 own)
            files[diagram.path] = svg.encode("utf-8")
    return files


def _safe_generated_path(path: str) -> str | None:
    """Why ``path`` may not be written (None when it is a clean path under a generated root)."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        return "not a clean relative path"
    if parts[0] not in GENERATED_ROOTS or (parts[0] == "index.md") != (len(parts) == 1):
        return f"outside the generated roots ({', '.join(GENERATED_ROOTS)})"
    return None


def _write_generated(
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


def _copy_hand_written(docs_dir: Path, stage_docs: Path) -> None:
    """Everything in docs/ except the generated roots (hard links where the disk allows)."""
    stage_docs.mkdir(parents=True, exist_ok=True)
    if not docs_dir.is_dir():
        return
    for entry in sorted(docs_dir.iterdir()):
        if entry.name in GENERATED_ROOTS:
            continue
        if entry.is_dir():
            shutil.copytree(entry, stage_docs / entry.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(stage_docs / entry.name))


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


_MKDOCS_LINE = re.compile(r"^(WARNING|ERROR|CRITICAL)\s+-\s+(.*)$")
_DOC_FILE = re.compile(r"Doc file '([^']+)'")


def _run_mkdocs(
    stage: _Staging, config_file: Path, epoch: int, report: Report, *, strict: bool,
    docs_name: str, dirty: bool = False,
) -> None:
    config = stage.root / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {json.dumps(str(config_file))}\ndocs_dir: docs\n", encoding="utf-8"
    )
    command = [sys.executable, "-m", "generator.mkdocs_runner", "build",
               "--config-file", str(config), "--site-dir", str(stage.site)]
    if dirty:
        command.append("--dirty")
    if strict:
        command.append("--strict")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1",
           "NO_COLOR": "1"}
    try:
        proc = subprocess.run(command, capture_output=True, timeout=MKDOCS_TIMEOUT_SECONDS,
                              check=False, env=env, cwd=stage.root)
    except subprocess.TimeoutExpired:
        report.add(diag("mkdocs-failed", SourceLocation(str(config_file)),
                        f"mkdocs build did not finish within {MKDOCS_TIMEOUT_SECONDS} s"))
        return
    output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    messages: list[tuple[str, str]] = []
    for line in output.splitlines():
        m = _MKDOCS_LINE.match(line.strip())
        if m:
            messages.append((m.group(1), m.group(2).strip()))
        elif messages and line.startswith((" ", "\t")) and line.strip():
            level, text = messages[-1]
            messages[-1] = (level, f"{text} {line.strip()}")
    failed = proc.returncode != 0
    for level, text in messages:
        doc = _DOC_FILE.search(text)
        location = SourceLocation(f"{docs_name}/{doc.group(1)}" if doc else str(config_file))
        name = "mkdocs-failed" if failed or level != "WARNING" else "site-warning"
        report.add(diag(name, location, f"mkdocs: {text}"))
    if failed and not messages:
        tail = " | ".join(output.strip().splitlines()[-5:]) or "no output"
        report.add(diag("mkdocs-failed", SourceLocation(str(config_file)),
                        f"mkdocs build exited with status {proc.returncode}: {tail}"))


def _check_links(
    stage_site: Path, site_name: str, config_file: Path, report: Report, *, strict: bool,
    cache: BuildCache,
) -> None:
    for problem in check_site(stage_site, cache, root_path=site_root_path(config_file)):
        if problem.kind == "unsafe-markup":
            name = "unsafe-markup"
        else:
            name = "broken-link" if strict else "site-warning"
        report.add(diag(name, SourceLocation(f"{site_name}/{problem.page}"), problem.message))


def source_date_epoch(policies: Path, kb: KnowledgeBase) -> int:
    """``SOURCE_DATE_EPOCH``, else the last git commit's time, else the newest date in ``kb``."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if value.isdigit():
        return int(value)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        proc = subprocess.run(
            ["git", "-C", str(policies), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=30, check=False,
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip())
    dates = [
        d
        for doc in kb.documents
        for d in (doc.spec.dates.issued, doc.spec.dates.published, doc.spec.dates.effective,
                  doc.spec.source.retrieved)
        if d is not None
    ]
    if not dates:
        return 0
    # `check` refuses implausible dates; a date past today still never reaches the sitemap
    # (and a gzip header holds 32 bits: a year like 2201 would crash its writer)
    newest = min(max(dates), dt.datetime.now(dt.UTC).date())
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


# --- incremental builds -----------------------------------------------------------------------

#: Packages whose version changes what mkdocs writes for an unchanged page.
_SITE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2",
                  "pygments", "babel")


def _build_state(config_file: Path, strict: bool) -> str:
    """Everything besides the Markdown that decides what mkdocs writes for a page."""
    versions = []
    for name in _SITE_PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    try:
        config = config_file.read_bytes()
    except OSError:
        config = b""
    # values the configuration takes from the environment (``site_url: !ENV [...]``)
    names = sorted(set(_ENV_TAG.findall(config.decode("utf-8", "replace"))))
    env = [f"{name}={os.environ.get(name, '')}" for name in names]
    return content_key(code_fingerprint(), config, sys.version, str(strict), *versions, *env)


_ENV_TAG = re.compile(r"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")


def _prepare_dirty_site(
    state: str, site_dir: Path, stage: _Staging, sources: dict[str, str]
) -> bool:
    """Copy the previous site into the staging folder for a dirty mkdocs build, if it fits.

    It fits when the site holds the record of a build made with the same ``state`` (the record
    is swapped in with the site, so it always describes the site beside it).  Outputs of docs
    files that no longer exist, or whose *content* differs from the recorded one, are deleted
    from the copy, so mkdocs writes them again: its own test compares modification times, which
    ``cp -p``, ``rsync -a`` or an unpacked archive can leave older than the output.  The search
    index is always made afresh, so it is not copied.  The copy is made of hard links (cheap for
    tens of thousands of files); see ``_unshare_outputs_to_rewrite`` for why that is safe.
    """
    record = read_record(site_dir)
    if record is None or record.get("state") != state:
        return False
    previous = record.get("sources")
    if not isinstance(previous, dict):
        return False
    shutil.copytree(site_dir, stage.site, symlinks=True, copy_function=_link_or_copy,
                    ignore=lambda folder, _names: ["pagefind", SITE_MARK]
                    if Path(folder) == site_dir else [])
    stale = (set(previous) - set(sources)) | {
        source for source, digest in sources.items() if previous.get(source) != digest}
    for source in sorted(stale):
        output = stage.site / _output_of(str(source))
        if output.is_file() and output.resolve().is_relative_to(stage.site.resolve()):
            output.unlink()
            _remove_empty_parents(output.parent, stage.site)
    _unshare_outputs_to_rewrite(stage, sorted(sources))
    return True


#: Files mkdocs writes on every build, dirty or not (theme templates).
_ALWAYS_WRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def _unshare_outputs_to_rewrite(stage: _Staging, sources: list[str]) -> None:
    """Unlink, in the hard-linked copy, every file mkdocs is about to write.

    mkdocs writes files in place (``open(path, "wb")``): writing through a hard link would
    change the live site before the swap.  It rewrites exactly the outputs whose source is
    newer than them (``File.is_modified``) and the theme templates; unlinking those first makes
    it create new files, so the live site is never touched.
    """
    for name in _ALWAYS_WRITTEN:
        with contextlib.suppress(FileNotFoundError):
            (stage.site / name).unlink()
    for source in sources:
        output = stage.site / _output_of(source)
        try:
            if output.stat().st_mtime < (stage.docs / source).stat().st_mtime:
                output.unlink()
        except FileNotFoundError:
            continue


def _output_of(source: str) -> str:
    """Where mkdocs writes ``source`` (directory URLs: ``a/b.md`` → ``a/b/index.html``)."""
    return page_url(source) + "index.html" if source.endswith(".md") else source


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def read_record(site_dir: Path) -> dict[str, object] | None:
    """The record of the build that made ``site_dir`` (None when absent or unreadable)."""
    try:
        record = json.loads((site_dir / SITE_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _write_record(stage_site: Path, state: str, sources: dict[str, str]) -> None:
    """Mark the new site as this tool's and record what made it (for the next dirty build).

    Written into the staging site, so it is swapped in with the site or not at all; a failed
    write fails the build (``OSError`` reaches ``build_site``).
    """
    record = {"generator": "policykb", "state": state, "sources": sources}
    target = stage_site / SITE_MARK
    with contextlib.suppress(FileNotFoundError):
        target.unlink()  # a hard link to the previous site's record in a dirty build
    target.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")


# --- staging, swap and recovery --------------------------------------------------------------


class _Staging:
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

    def __enter__(self) -> _Staging:
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
def _locked(folders: list[Path]) -> Iterator[None]:
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


class _Stopwatch:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def _short_path(filename: str) -> str:
    root = Path(__file__).resolve().parent.parent
    with contextlib.suppress(ValueError):
        return Path(filename).resolve().relative_to(root).as_posix()
    return filename


__all__ = [
    "GENERATED_ROOTS",
    "BuildResult",
    "build_site",
    "page_url",
    "recover_interrupted_builds",
    "source_date_epoch",
]
