"""What search may filter each page by (jurisdiction, topic, validity), written into the page.

Why after the templates: every page of a kind gets the same marker whatever its template says
(topic and training pages included), from the domain model, in one place; the indexer
(``generator.publish.search``) turns it into Pagefind filters and a title that names the place.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.domain.model import Document, Jurisdiction, Topic
from generator.domain.wording import STATUS_LABEL
from generator.render import escape, links
from generator.render.search_marks import (
    FACET_ATTRIBUTES,
    FACET_SEPARATOR,
    FACETS_MARKER,
    OVERVIEW_ATTRIBUTE,
)


def marker(*, place: Jurisdiction | None = None, topics: Iterable[Topic] = (),
           validity: Document | None = None, overview: bool = False) -> str:
    """A hidden raw HTML block naming the page's facets (append it to the page)."""
    values = {
        "place": place.name if place else "",
        "topic": FACET_SEPARATOR.join(t.name for t in topics),
        "validity": STATUS_LABEL[validity.status] if validity else "",
    }
    attributes = "".join(f' {FACET_ATTRIBUTES[key]}="{escape.html_attr(value)}"'
                         for key, value in values.items() if value)
    if overview:
        attributes += f" {OVERVIEW_ATTRIBUTE}"
    return f"\n<div hidden {FACETS_MARKER}{attributes}></div>\n"


def document_facets(doc: Document) -> dict[str, str]:
    """The markers of a document's page and of its procedure pages, by page path."""
    topics = sorted(doc.topics_covered, key=lambda t: (t.order, t.id))
    out = {links.document_page(doc.id): marker(place=doc.jurisdiction, topics=topics,
                                              validity=doc, overview=True)}
    for proc in doc.procedures:
        out[links.procedure_page(doc.id, proc.id)] = marker(
            place=doc.jurisdiction, topics=[proc.topic], validity=doc)
    return out
