"""Publish stage: rendered files → a built, indexed, link-checked site and the generated pages.

Everything happens in a staging folder (``staging``); nothing the reader sees changes until the
charts are drawn, the pages written, mkdocs has built the site, Pagefind has indexed it and the
link check passed — then one swap puts the new generated roots into ``docs/`` and the new site
in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Report, Severity, SourceLocation, diag
from generator.publish import bundle, docs, incremental, linkcheck, mkdocs, not_found, staging
from generator.publish.graphviz import render_all_svgs
from generator.publish.search import build_search_index
from generator.render import RenderedSite
from generator.render.charts import place_charts
from generator.runtime.cache import BuildCache
from generator.runtime.stopwatch import Stopwatch


@dataclass(frozen=True)
class Target:
    """Where a build goes and how: the folders, the mkdocs configuration, the mode."""

    docs_dir: Path
    site_dir: Path
    config_file: Path
    strict: bool
    incremental: bool


def publish_site(
    rendered: RenderedSite, target: Target, *, epoch: int, cache: BuildCache, report: Report,
    counts: dict[str, int], stopwatch: Stopwatch,
) -> bool:
    """Build and swap in the site for ``rendered``; True once it is in place.

    ``epoch`` dates the sitemap (``SOURCE_DATE_EPOCH``).  Problems go to ``report`` (site
    warnings and broken links as errors when ``target.strict``); an ``OSError`` is reported at
    the folder the user knows (``docs/`` or ``site/``), never as a staging path.
    """
    docs_dir, site_dir, config_file = target.docs_dir, target.site_dir, target.config_file
    strict, incremental_build = target.strict, target.incremental
    warned = Severity.ERROR if strict else Severity.WARNING
    stage: staging.Staging | None = None
    try:
        with staging.Staging(docs_dir, site_dir) as stage:
            with stopwatch("diagrams"):
                svgs, problems = render_all_svgs(rendered.diagrams, cache)
                for problem in problems:
                    report.add(diag(
                        "diagram-failed" if problem.error else "site-warning",
                        SourceLocation(problem.path or "diagrams"), problem.message,
                        severity=None if problem.error else warned))
                placed = place_charts(rendered, svgs, cache)
                for page, path in placed.unknown:
                    report.add(diag("render-failed", SourceLocation(page),
                                    f"placeholder for an unknown chart {path!r}"))
            if not report.ok:
                return False

            with stopwatch("write"):
                counts["changed_files"] = docs.write_generated(stage.docs, placed.files, report,
                                                               previous=docs_dir)
                docs.copy_hand_written(docs_dir, stage.docs)
                sources = stage.source_digests()
            if not report.ok:
                return False

            with stopwatch("mkdocs"):
                state = incremental.build_state(config_file, strict)
                dirty = incremental_build and cache.enabled and \
                    incremental.prepare_dirty_site(state, site_dir, stage, sources)
                counts["dirty"] = int(dirty)
                ran = mkdocs.run_mkdocs(stage.config(config_file), stage.site,
                                        stage.root / "mkdocs-log.jsonl", epoch=epoch, dirty=dirty)
                for message in ran.messages:
                    where = SourceLocation(f"{docs_dir.name}/{message.page}" if message.page
                                           else str(config_file))
                    report.add(diag("site-warning" if message.level == "WARNING"
                                    else "mkdocs-failed", where, f"mkdocs: {message.text}",
                                    severity=warned if message.level == "WARNING" else None))
                if ran.failure:
                    report.add(diag("mkdocs-failed", SourceLocation(str(config_file)),
                                    ran.failure))
            if not report.ok:
                return False
            not_found.translate_not_found(stage.site, mkdocs.site_root_path(config_file))

            with stopwatch("search"):
                found = build_search_index(stage.site, stage.root / "search", cache)
            for text in found.errors:
                report.add(diag("search-index-failed", SourceLocation("pagefind"), text))
            counts.update(search_pages=found.pages_indexed, search_files=found.files,
                          search_bytes=found.bytes)
            if not report.ok:
                return False

            with stopwatch("bundle"):
                bundle.write_bundle(stage.site, epoch)

            with stopwatch("links"):
                report.extend(linkcheck.site_diagnostics(
                    stage.site, site_dir.name, cache,
                    root_path=mkdocs.site_root_path(config_file), severity=warned))
            counts["html_pages"] = sum(1 for _ in stage.site.rglob("*.html"))
            if not report.ok:
                return False

            with stopwatch("swap"):
                incremental.write_record(stage.site, state, sources)
                stage.swap()
            for kind in ("check", "svg", "inline", "shadow", "links"):
                cache.prune(kind)
            return True
    except OSError as error:
        failed_at = stage.public_path(error.filename) if stage is not None else None
        report.add(diag("output-failed", SourceLocation(str(failed_at or site_dir)),
                        f"could not write the output: {error.strerror or error}",
                        "check the free space and the permissions of that folder; the "
                        "previous site is unchanged"))
        return False
