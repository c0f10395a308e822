"""Shared lookups for every page: names, provision labels and escaped links.

``RenderContext`` is built once per site.  Its link helpers return ``Markup`` produced by
:mod:`generator.render.escape`, ready for a template to print as is.  A link depends only on its
target and the directory of the page it appears on, and the same few thousand links (documents,
jurisdictions, topics, clauses) are printed on page after page, so each is built once per
directory and kept in ``_links``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.domain.graph import CitationLink, CitedNode, KnowledgeGraph, Reason
from generator.domain.model import Actor, Document, KnowledgeBase, Provision
from generator.domain.wording import KIND_LABEL, NOT_STATED
from generator.render import escape, links


@dataclass
class RenderContext:
    kb: KnowledgeBase
    graph: KnowledgeGraph
    _links: dict[tuple[str, ...], Markup] = field(default_factory=dict)

    # --- names -------------------------------------------------------------------------------

    def jurisdiction_name(self, jurisdiction_id: str) -> str:
        return self.kb.jurisdiction_by_id[jurisdiction_id].name

    def topic_name(self, topic_id: str) -> str:
        return self.kb.topic_by_id[topic_id].name

    def actor_type_name(self, actor_type_id: str) -> str:
        return self.kb.actor_type_by_id[actor_type_id].name

    @staticmethod
    def actor_names(actors: Iterable[Actor]) -> str:
        return "、".join(a.name for a in actors)

    def jurisdiction_order(self, jurisdiction_id: str) -> tuple[tuple[str, str], ...]:
        """Tree order: by division code along the parent chain."""
        return self.kb.jurisdiction_by_id[jurisdiction_id].sort_key

    @staticmethod
    def document_order(doc: Document) -> tuple[object, ...]:
        return doc.tree_key

    # --- provisions --------------------------------------------------------------------------

    def clause_link(self, doc: Document, provision: Provision, page: str) -> Markup:
        """Link to a provision anchor, same-page when ``page`` is the document's page."""
        target = links.document_page(doc.id)
        same = page == target
        key = ("clause", doc.id, provision.id, "" if same else _directory(page))
        link = self._links.get(key)
        if link is None:
            href = links.anchor(provision.id) if same else links.relative(
                page, target, provision.id)
            link = self._links[key] = escape.md_link(provision.label, href)
        return link

    # --- links -------------------------------------------------------------------------------

    def document_link(self, document_id: str, page: str, short: bool = False) -> Markup:
        key = ("document", document_id, _directory(page), "short" if short else "")
        link = self._links.get(key)
        if link is None:
            doc = self.kb.document_by_id[document_id]
            title = doc.jurisdiction.name if short else doc.title
            link = self._links[key] = escape.md_link(
                title, links.relative(page, links.document_page(document_id)))
        return link

    def jurisdiction_link(self, jurisdiction_id: str, page: str) -> Markup:
        key = ("jurisdiction", jurisdiction_id, _directory(page))
        link = self._links.get(key)
        if link is None:
            name = self.jurisdiction_name(jurisdiction_id)
            link = self._links[key] = escape.md_link(
                name, links.relative(page, links.jurisdiction_page(jurisdiction_id))
            ) if self.graph.has_documents(jurisdiction_id) else escape.md_text(name)
        return link

    def topic_link(self, topic_id: str, page: str, anchor: str | None = None) -> Markup:
        key = ("topic", topic_id, _directory(page), anchor or "")
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = escape.md_link(
                self.topic_name(topic_id), links.relative(page, links.topic_page(topic_id), anchor))
        return link

    @staticmethod
    def document_short_name(doc: Document) -> str:
        """``锡林浩特市工作机制（2024）``: place, kind and year (full titles run long)."""
        issued = doc.issued_or_published
        year = f"（{issued.year}）" if issued else ""
        return f"{doc.jurisdiction.name}{KIND_LABEL[doc.kind]}{year}"

    def cited_node_text(self, node: CitedNode, page: str) -> Markup:
        """《title》（文号）, linked when the cited document is in the knowledge base."""
        return self._cited(f"《{node.title}》", node.doc_number, node.document, page)

    def citation_text(self, link: CitationLink, page: str) -> Markup:
        """A citation as the citing document words it, linked when it resolves to a page."""
        c, node = link.citation, link.node
        return self._cited(f"《{c.title}》", c.doc_number, node.document, page)

    def _cited(self, title: str, number: str | None, document: str | None,
               page: str) -> Markup:
        text = escape.md_link(title, links.relative(page, links.document_page(document))) \
            if document else escape.md_text(title)
        return escape.concat(text, escape.md_text(f"（{number}）")) if number else text

    def reason_text(self, reason: Reason, page: str, between: str = "documents") -> Markup:
        """Chinese wording of a relation reason, between documents or between jurisdictions."""
        jurisdictions = between == "jurisdictions"
        match reason.kind:
            case "cites":
                return escape.md_text("本辖区文件引用其文件" if jurisdictions else "引用该文件")
            case "cited-by":
                return escape.md_text("其文件引用本辖区文件" if jurisdictions else "被该文件引用")
            case "co-cites":
                node = self.graph.node(reason.ref)
                return escape.concat(escape.md_text("共同引用"), self.cited_node_text(node, page))
            case "same-area":
                return escape.concat(escape.md_text("同属"),
                                     self.jurisdiction_link(reason.ref, page))
        raise AssertionError(reason.kind)  # pragma: no cover

    def reasons_text(self, reasons: Iterable[Reason], page: str,
                     between: str = "documents") -> Markup:
        return escape.join(Markup("；"), (self.reason_text(r, page, between) for r in reasons))

    @staticmethod
    def or_not_stated(value: str | None) -> str:
        return value if value else NOT_STATED


def _directory(page: str) -> str:
    """What a relative link depends on: the directory of the page it is printed on."""
    return page.rpartition("/")[0]
