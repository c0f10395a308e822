"""Entry point of the render stage: ``render_site(kb) -> RenderedSite``.

Builds the graphs once, then every page, chart and download in a fixed order.  Nothing touches
the disk; ``build`` writes the result and renders the DOT sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.deadlines.browser_data import holiday_script
from generator.domain.graph import build_graph
from generator.domain.model import KnowledgeBase
from generator.render import Diagram, RenderedSite, facets, links
from generator.render.codebook import codebook_page
from generator.render.conflicts import conflicts_page
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
from generator.render.routing import route_scripts
from generator.render.tools import due_page, route_page
from generator.render.topic import topic_pages, topics_index_page
from generator.render.training import training_index_page, training_pages
from generator.runtime.workers import fork_map

_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(markdown: str) -> str:
    """At most one blank line in a row and exactly one final newline (templates leave more)."""
    return _BLANK_RUNS.sub("\n\n", markdown).rstrip("\n") + "\n"


#: What one job of the parallel part renders: its pages and its charts.
_Files = tuple[dict[str, str], list[Diagram]]


def _files_of(ctx: RenderContext, job: tuple[str, str]) -> _Files:
    """The parallel part of the render, one job at a time: a document with its procedures, or
    a topic with its parts (the two largest shares of the work)."""
    kind, key = job
    if kind == "document":
        return _document_files(ctx, key)
    return ({view.path: render("pages/topic.md.jinja", page=view)
             for view in topic_pages(ctx, key)}, [])


def _jobs(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Topics first: they are the longest jobs, so they start early."""
    return [*(("topic", t.id) for t in kb.topics),
            *(("document", d.id) for d in kb.documents)]


def _document_files(ctx: RenderContext, doc_id: str) -> tuple[dict[str, str], list[Diagram]]:
    """One document's page, its procedure pages and their charts (the bulk of the render)."""
    doc = ctx.kb.document_by_id[doc_id]
    pages = {}
    diagrams = []
    view = document_page(ctx, doc)
    pages[view.path] = render("pages/document.md.jinja", page=view)
    for proc in doc.procedures:
        view_p = procedure_page(ctx, proc)
        pages[view_p.path] = render("pages/procedure.md.jinja", page=view_p)
        diagrams.append(Diagram(links.procedure_diagram(doc.id, proc.id),
                                procedure_dot(ctx, proc)))
    return pages, diagrams


def _facets(kb: KnowledgeBase) -> dict[str, str]:
    """What search may filter each page by (``render/facets.py``), by page path."""
    out: dict[str, str] = {}
    for doc in kb.documents:
        out.update(facets.document_facets(doc))
    for topic in kb.topics:
        out[links.topic_page(topic.id)] = facets.marker(topics=[topic], overview=True)
        out[links.training_page(topic.id)] = facets.marker(topics=[topic])
    for j in kb.documents_by_jurisdiction:
        out[links.jurisdiction_page(j.id)] = facets.marker(place=j)
    return out


def render_site(kb: KnowledgeBase, downloads: Sequence[str] = ()) -> RenderedSite:
    """Every generated page and chart of the site, keyed by docs-relative path.

    ``downloads`` are the data files the export stage writes beside the pages (the data page
    links them).  The domain model is in canonical order, so the output depends only on its
    content.
    """
    ctx = RenderContext(kb, build_graph(kb))
    site = RenderedSite()
    pages = site.pages

    pages[links.HOME] = render("pages/home.md.jinja", page=home_page(ctx))
    for view_i in documents_index_pages(ctx):
        pages[view_i.split.path] = render("pages/documents-index.md.jinja", page=view_i)
    for job_pages, job_diagrams in fork_map(_files_of, ctx, _jobs(kb)):
        pages.update(job_pages)
        site.diagrams.extend(job_diagrams)

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
    pages[links.CODEBOOK_INDEX] = render("pages/codebook.md.jinja",
                                         page=codebook_page(ctx, available=sorted(downloads)))
    pages[links.CONFLICTS_INDEX] = render("pages/conflicts.md.jinja", page=conflicts_page(ctx))
    for view_g, chart in citations_pages(ctx):
        pages[view_g.split.path] = render("pages/citations.md.jinja", page=view_g)
        site.diagrams.append(chart)

    pages[links.DATA_INDEX] = render("pages/data.md.jinja",
                                     page=data_page(ctx, available=sorted(downloads)))

    pages[links.ROUTE_PAGE] = render("pages/case-routing.md.jinja", page=route_page(ctx))
    pages[links.DUE_PAGE] = render("pages/due-dates.md.jinja", page=due_page(ctx))
    site.binaries[links.HOLIDAYS_SCRIPT] = holiday_script().encode("utf-8")
    site.binaries.update(route_scripts(ctx))

    for path, marker in _facets(kb).items():
        if path in pages:
            pages[path] += marker
    site.pages = {path: tidy(text) for path, text in sorted(pages.items())}
    site.diagrams.sort(key=lambda d: d.path)
    return site
