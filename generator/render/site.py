"""Entry point of the render stage: ``render_site(kb) -> RenderedSite``.

Builds the graphs once, then every page, chart and download in a fixed order.  Nothing touches
the disk; ``build`` writes the result and renders the DOT sources.
"""

from __future__ import annotations

import re

from generator.export import export_files
from generator.graph import build_graph
from generator.model import KnowledgeBase, assemble
from generator.render import Diagram, RenderedSite, links
from generator.render.context import RenderContext
from generator.render.document import document_page, procedure_page
from generator.render.env import render
from generator.render.home import home_page
from generator.render.indexes import (
    citations_pages,
    clocks_pages,
    data_page,
    documents_index_pages,
    indexes_index_page,
    matrix_page,
)
from generator.render.jurisdiction import jurisdiction_page, jurisdictions_index_page
from generator.render.procedures import procedure_dot
from generator.render.topic import topic_pages, topics_index_page
from generator.render.training import training_index_page, training_pages
from generator.workers import parallel_map

_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(markdown: str) -> str:
    """At most one blank line in a row and exactly one final newline (templates leave more)."""
    return _BLANK_RUNS.sub("\n\n", markdown).rstrip("\n") + "\n"


#: The context ``_files_of`` renders with: set by ``render_site`` before worker processes are
#: forked, so that they inherit it instead of receiving a pickled copy per job.
_FORKED_CONTEXT: RenderContext | None = None

#: What one job of the parallel part renders: its pages, its charts, its downloads.
_Files = tuple[dict[str, str], list[Diagram], dict[str, str | bytes]]


def _files_of(job: tuple[str, str]) -> _Files:
    """The parallel part of the render, one job at a time: a document with its procedures,
    a topic with its parts, or the downloads (the three largest shares of the work)."""
    ctx = _FORKED_CONTEXT
    assert ctx is not None, "render_site sets the context first"
    kind, key = job
    if kind == "document":
        pages, diagrams = _document_files(ctx, key)
        return pages, diagrams, {}
    if kind == "topic":
        return ({view.path: render("pages/topic.md.jinja", page=view)
                 for view in topic_pages(ctx, key)}, [], {})
    return {}, [], export_files(ctx.kb)


def _jobs(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Topics and downloads first: they are the longest jobs, so they start early."""
    return [*(("topic", t.id) for t in kb.topics), ("downloads", ""),
            *(("document", d) for d in sorted(d.id for d in kb.documents))]


def _document_files(ctx: RenderContext, doc_id: str) -> tuple[dict[str, str], list[Diagram]]:
    """One document's page, its procedure pages and their charts (the bulk of the render)."""
    doc = ctx.kb.document_by_id[doc_id]
    pages = {}
    diagrams = []
    view = document_page(ctx, doc)
    pages[view.path] = render("pages/document.md.jinja", page=view)
    for proc in doc.spec.procedures:
        view_p = procedure_page(ctx, doc, proc)
        pages[view_p.path] = render("pages/procedure.md.jinja", page=view_p)
        diagrams.append(Diagram(links.procedure_diagram(doc.id, proc.id),
                                procedure_dot(ctx, doc, proc)))
    return pages, diagrams


def render_site(kb: KnowledgeBase) -> RenderedSite:
    """Every generated page, chart and download of the site, keyed by docs-relative path.

    The output depends only on the content of ``kb``: its collections are put back in canonical
    order first, so a knowledge base assembled in any order renders byte for byte the same.
    """
    kb = assemble(list(kb.documents), list(kb.jurisdictions), list(kb.actor_types),
                  list(kb.topics))
    ctx = RenderContext(kb, build_graph(kb))
    site = RenderedSite()
    pages = site.pages

    pages[links.HOME] = render("pages/home.md.jinja", page=home_page(ctx))
    for view_i in documents_index_pages(ctx):
        pages[view_i.split.path] = render("pages/documents-index.md.jinja", page=view_i)
    global _FORKED_CONTEXT
    _FORKED_CONTEXT = ctx
    files: dict[str, str | bytes] = {}
    try:
        for job_pages, job_diagrams, job_files in parallel_map(_files_of, _jobs(kb)):
            pages.update(job_pages)
            site.diagrams.extend(job_diagrams)
            files.update(job_files)
    finally:
        _FORKED_CONTEXT = None

    pages[links.TOPICS_INDEX] = render("pages/topics-index.md.jinja", page=topics_index_page(ctx))

    training = training_pages(ctx)
    pages[links.TRAINING_INDEX] = render("pages/training-index.md.jinja",
                                         page=training_index_page(ctx, training))
    for view_tr in training:
        pages[view_tr.path] = render("pages/training.md.jinja", page=view_tr)

    pages[links.JURISDICTIONS_INDEX] = render("pages/jurisdictions-index.md.jinja",
                                              page=jurisdictions_index_page(ctx))
    for j in sorted(kb.jurisdictions, key=lambda j: j.id):
        if ctx.graph.has_documents(j.id):
            view_j = jurisdiction_page(ctx, j.id)
            pages[view_j.path] = render("pages/jurisdiction.md.jinja", page=view_j)

    pages[links.INDEXES_INDEX] = render("pages/indexes-index.md.jinja",
                                        page=indexes_index_page(ctx))
    for view_c in clocks_pages(ctx):
        pages[view_c.split.path] = render("pages/clocks.md.jinja", page=view_c)
    pages[links.MATRIX_INDEX] = render("pages/matrix.md.jinja", page=matrix_page(ctx))
    for view_g, chart in citations_pages(ctx):
        pages[view_g.split.path] = render("pages/citations.md.jinja", page=view_g)
        site.diagrams.append(chart)

    for path in sorted(files):
        content = files[path]
        site.binaries[path] = content.encode("utf-8") if isinstance(content, str) else content
    pages[links.DATA_INDEX] = render("pages/data.md.jinja",
                                     page=data_page(ctx, available=sorted(files)))

    site.pages = {path: tidy(text) for path, text in sorted(pages.items())}
    site.binaries = dict(sorted(site.binaries.items()))
    site.diagrams.sort(key=lambda d: d.path)
    return site
