"""Validity of the documents a page's facts come from: the badge, and why it is not known.

Why its own module: every page that shows a fact says how far that fact binds (GB/T 37668 and
the officers' question "is this still in force?") and when an editor last checked it against
the text (数据核对于…): the document page in its card, a procedure page at its top, index rows
beside each fact, topic pages beside each document in their overview, training sheets and
pages that pool facts from many documents in a list of those documents
(``partials/source-documents.md.jinja``).  A document whose status is not known says why in
one sentence, derived from what the model knows (its kind), never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.model import Document
from generator.domain.wording import STATUS_LABEL, date_text
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.vocabulary import Kind, Status

#: Why a status is unknown, by kind of document (one plain sentence each).
_UNKNOWN_BECAUSE = {
    Kind.WORK_REPORT: "这是一篇工作报道，不是规范性文件，本身没有效力状态；"
                      "其中的做法以各地正式文件为准。",
}
_UNKNOWN_DEFAULT = ("原文和来源均未载明该文件是否仍然有效，本站不作推断，"
                    "请以发文机关公布的信息为准。")
#: Shown when a file records no verification date (``source.verified``).
NOT_VERIFIED = "数据核对日期未记录"


def status_badge(doc: Document) -> Markup:
    """``<span class="pk-badge pk-badge--in-force">有效</span>`` (inline HTML, any context)."""
    return escape.concat(
        Markup('<span class="pk-badge pk-badge--'), escape.html_attr(doc.status.value),
        Markup('">'), escape.html_text(STATUS_LABEL[doc.status]), Markup("</span>"))


def validity_note(doc: Document) -> Markup:
    """The badge and 数据核对于… as inline HTML, for rows that name a document (topic
    overviews, training answers, index rows)."""
    return escape.concat(status_badge(doc),
                         Markup(' <span class="pk-verified" data-pagefind-ignore>'),
                         escape.html_text(verified_text(doc)), Markup("</span>"))


def verified_text(doc: Document) -> str:
    """``数据核对于2026年12月5日``: when an editor last checked the facts against the text."""
    day = doc.source.verified
    return f"数据核对于{date_text(day)}" if day else NOT_VERIFIED


def unknown_reason(doc: Document) -> str | None:
    """One sentence on why the status is not known; ``None`` when it is."""
    if doc.status is not Status.UNKNOWN:
        return None
    return _UNKNOWN_BECAUSE.get(doc.kind, _UNKNOWN_DEFAULT)


@dataclass(frozen=True)
class ValidityView:
    """A document's validity, for ``partials/validity.md.jinja`` or a table cell.

    ``badge``: the status badge; ``reason``: why it is unknown (or ``None``); ``cell``: badge and
    reason for a Markdown table cell; ``since``: the date it took effect, or ``None`` when the
    text states none (an issue date is not an effective date); ``verified``: 数据核对于… (or
    that no date is recorded).
    """

    badge: Markup
    reason: Markup | None
    cell: Markup
    since: Markup | None
    verified: Markup


def validity_view(doc: Document) -> ValidityView:
    reason = unknown_reason(doc)
    badge = status_badge(doc)
    since_day = doc.dates.effective
    return ValidityView(
        badge=badge,
        reason=escape.md_text(reason) if reason else None,
        cell=escape.concat(badge, Markup(" "), escape.md_cell(reason)) if reason else badge,
        since=escape.md_text(date_text(since_day)) if since_day else None,
        verified=escape.md_text(verified_text(doc)),
    )


#: A page pooling more documents than this names none of them (its list would outgrow the page
#: budget: 832 KB for the matrix index at 3,000 documents); it counts them by status and links
#: to the list of all documents, where each row shows its validity and check date.
MAX_SOURCES = 30


@dataclass(frozen=True)
class SourceDocument:
    """A document a page draws facts from: its link and its validity."""

    link: Markup
    validity: ValidityView


@dataclass(frozen=True)
class Sources:
    """The documents behind a page (``items``), or, past :data:`MAX_SOURCES`, how many there
    are by status (``summary``) with a link to the list of all documents (``index``)."""

    items: list[SourceDocument]
    summary: Markup | None
    index: Markup

    def __bool__(self) -> bool:
        return bool(self.items or self.summary)


def source_documents(ctx: RenderContext, docs: Iterable[Document], page: str) -> Sources:
    """The documents behind a page, in tree order, each once."""
    unique = sorted(set(docs), key=ctx.document_order)
    index = escape.url(links.relative(page, links.DOCUMENTS_INDEX))
    if len(unique) > MAX_SOURCES:
        counts = Counter(d.status for d in unique)
        by_status = "、".join(f"{STATUS_LABEL[s]} {counts[s]} 份" for s in Status if counts[s])
        return Sources([], escape.md_text(f"共 {len(unique)} 份文件（{by_status}）"), index)
    return Sources([SourceDocument(ctx.document_link(d.id, page), validity_view(d))
                    for d in unique], None, index)
