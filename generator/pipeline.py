"""The pipeline: load → validate → model → graph → render → publish, one stage after another.

``build`` is the one function that runs them in order (as ``mkdocs/commands/build.py`` reads).
Nothing is written until the whole knowledge base is checked and rendered, and nothing the
reader sees changes until every stage has passed (``generator.publish.staging``).  Expected
failures come back as diagnostics in ``BuildResult.report``; nothing is raised.  Only the CLI
prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.diagnostics import Report, SourceLocation, diag
from generator.domain.model import KnowledgeBase
from generator.domain.resolve import resolve
from generator.export import export_files
from generator.publish import mkdocs, staging
from generator.publish.ownership import ProjectFolders, refuse_output_folders
from generator.publish.site import Target, publish_site
from generator.render import RenderedSite
from generator.render.site import render_site
from generator.runtime.cache import CACHE_DIR_NAME, BuildCache, code_fingerprint, content_key
from generator.runtime.gc_policy import settle
from generator.runtime.stopwatch import Stopwatch
from generator.runtime.workers import cached_map
from generator.source.checked import CheckedPolicies
from generator.source.date_rules import implausible_dates
from generator.source.files import (
    DOCUMENT_DIR,
    display_path,
    document_paths,
    inside,
    outside_link,
    stray_files,
)
from generator.source.registries import KnownIds, known_ids, load_registries
from generator.source.validate import DocumentCheck, check_document_text, cross_check, only_these
from generator.source.yaml_loader import read_policy_bytes

Renderer = Callable[[KnowledgeBase], RenderedSite]


def check_policies(
    root: Path,
    only: list[Path] | None = None,
    *,
    cache: BuildCache | None = None,
    today: dt.date | None = None,
) -> tuple[CheckedPolicies | None, Report]:
    """Load and validate stages: every file of ``root`` read, typed and cross-checked.

    The policies come back only when clean.  ``only`` limits which document files are reported
    on (all are still read, so that cross-document references resolve; registry problems are
    always reported).  With a ``cache``, a file whose bytes (and the registries' ids, and the
    generator's code) are unchanged since the cached run is not checked again; misses are checked
    on every core.  Dates are judged against ``today`` (the local date), outside the cache.
    """
    report = Report()
    registries = load_registries(root, report)
    known = known_ids(registries)
    report.extend(stray_files(root))
    checks = _check_documents(document_paths(root), root, known, cache or BuildCache(None),
                              report)
    for check in checks:
        report.extend(check.diagnostics)
        report.extend(implausible_dates(check.dates, today or dt.date.today()))
    report.extend(cross_check(checks))
    if only:
        report.diagnostics = only_these(report.diagnostics, root / DOCUMENT_DIR, only)
    if not report.ok or not all(r.ok for r in registries.values()):
        return None, report
    return CheckedPolicies(
        documents=tuple(c.document for c in checks if c.document is not None),
        jurisdictions=tuple(registries["jurisdictions"].items),
        actor_types=tuple(registries["actor_types"].items),
        topics=tuple(registries["topics"].items),
        questions=tuple(registries["questions"].items),
    ), report


def _check_documents(
    paths: list[Path], root: Path, known: KnownIds, cache: BuildCache, report: Report
) -> list[DocumentCheck]:
    jobs: list[tuple[str, bytes, KnownIds]] = []
    for path in paths:
        name = display_path(path)
        if not inside(path, root):
            report.add(outside_link(name))
            continue
        raw, problems = read_policy_bytes(path, name)
        report.extend(problems)
        if raw is not None:
            jobs.append((name, raw, known))
    salt = content_key(code_fingerprint(), known.canonical())
    keys = [content_key(salt, name, raw) for name, raw, _ in jobs]
    return cached_map(check_document_text, jobs, keys, cache, "check")


def model(checked: CheckedPolicies) -> KnowledgeBase:
    """Model stage: the checked specs as the domain model (references resolved, ordered)."""
    return resolve(checked.documents, checked.jurisdictions, checked.actor_types,
                   checked.topics, checked.questions)


def load_knowledge_base(
    root: Path, only: list[Path] | None = None, *, cache: BuildCache | None = None
) -> tuple[KnowledgeBase | None, Report]:
    """Load, validate and model ``root``; the knowledge base only when the policies are clean."""
    checked, report = check_policies(root, only, cache=cache)
    return (model(checked) if checked is not None else None), report


def render(kb: KnowledgeBase) -> RenderedSite:
    """Render and export stages: every page and chart, and the downloads beside them."""
    files = export_files(kb)
    site = render_site(kb, downloads=sorted(files))
    for path, data in sorted(files.items()):
        site.binaries[path] = data.encode("utf-8") if isinstance(data, str) else data
    return site


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


def build(
    policies: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    config_file: Path | None = None,
    renderer: Renderer = render,
    cache_dir: Path | Literal["default"] | None = "default",
    incremental_build: bool = True,
) -> BuildResult:
    """Build ``site_dir`` from ``policies``; ``docs_dir`` receives the generated Markdown.

    ``config_file`` defaults to ``mkdocs.yml`` next to ``docs_dir``.  With ``strict`` (the
    default) warnings from Graphviz, mkdocs and the link checker fail the build.
    ``cache_dir`` (default ``.policykb-cache`` next to ``docs_dir``; None for no cache) keeps
    checked policies, charts and parsed pages between builds; with ``incremental_build`` and a
    previous build of the same configuration, mkdocs renders only the pages that changed.
    """
    result = BuildResult()
    report, stopwatch = result.report, Stopwatch(result.timings)
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

    with staging.locked(parents):
        with stopwatch("recover"):
            staging.recover_interrupted_builds(parents)

        with stopwatch("check"):
            kb, checked = load_knowledge_base(policies, cache=cache)
            settle()
        report.extend(checked.diagnostics)
        if kb is None or not checked.ok:
            result.policy_problem = True
            return result
        result.counts["documents"] = len(kb.documents)

        with stopwatch("render"):
            rendered = _render(kb, renderer, report)
            settle()
        if rendered is None:
            return result
        result.counts.update(pages=len(rendered.pages), binaries=len(rendered.binaries),
                             diagrams=len(rendered.diagrams))
        if not config_file.is_file():
            report.add(diag("mkdocs-failed", SourceLocation(str(config_file)), "no mkdocs.yml",
                            "pass config_file= or create mkdocs.yml next to docs/"))
            return result

        result.written = publish_site(
            rendered, Target(docs_dir, site_dir, config_file, strict, incremental_build),
            epoch=mkdocs.source_date_epoch(policies, _dates(kb)), cache=cache, report=report,
            counts=result.counts, stopwatch=stopwatch)
    return result


def _dates(kb: KnowledgeBase) -> Iterator[dt.date]:
    for doc in kb.documents:
        yield from (d for d in (doc.dates.issued, doc.dates.published, doc.dates.effective,
                                doc.source.retrieved, doc.source.verified) if d is not None)


_TRACEBACK_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)


def _render(kb: KnowledgeBase, renderer: Renderer, report: Report) -> RenderedSite | None:
    """Run the renderer; a template or render error becomes a diagnostic, not a traceback."""
    try:
        return renderer(kb)
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


def _short_path(filename: str) -> str:
    root = Path(__file__).resolve().parent.parent
    with contextlib.suppress(ValueError):
        return Path(filename).resolve().relative_to(root).as_posix()
    return filename
