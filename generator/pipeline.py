"""The pipeline, stage by stage: load → validate → model → graph → render → build.

Transitional shape: ``load_knowledge_base`` runs load, validate and model; the build stage
(``generator.build.build_site``) runs the rest.
"""

from __future__ import annotations

from pathlib import Path

from generator.cache import BuildCache
from generator.diagnostics import Report
from generator.domain.model import KnowledgeBase
from generator.domain.resolve import CheckedDocument, resolve
from generator.export import EXPORTED_FILES, export_files
from generator.model import KnowledgeBase as CheckedKnowledgeBase
from generator.render import RenderedSite
from generator.render.site import render_site
from generator.validate import check_knowledge_base


def model(checked: CheckedKnowledgeBase) -> KnowledgeBase:
    """Model stage: the checked specs as the domain model."""
    return resolve([CheckedDocument(d.spec, d.path) for d in checked.documents],
                   checked.jurisdictions, checked.actor_types, checked.topics)


def load_knowledge_base(
    root: Path, only: list[Path] | None = None, *, cache: BuildCache | None = None
) -> tuple[KnowledgeBase | None, Report]:
    """Load, validate and model ``root``; the knowledge base only when the policies are clean."""
    checked, report = check_knowledge_base(root, only, cache=cache)
    return (model(checked) if checked is not None else None), report


def render(kb: KnowledgeBase) -> RenderedSite:
    """Render and export stages: every page and chart, and the downloads beside them."""
    site = render_site(kb, downloads=EXPORTED_FILES)
    for path, data in sorted(export_files(kb).items()):
        site.binaries[path] = data.encode("utf-8") if isinstance(data, str) else data
    return site
