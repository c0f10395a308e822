"""Table rows for facts (clocks, duties, quotas) shared by document, topic and index pages.

Every field is ``Markup`` for the Markdown table cell it lands in; ``page`` is the docs-relative
path of the page the row appears on, so links are relative to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.model import Actor, Clock, Document, Duty, Provision, Quota
from generator.domain.wording import (
    EDITORIAL,
    QUALIFIER_LABEL,
    ROLE_LABEL,
    cap_text,
    comparable_hours,
    hours_text,
    not_comparable_reason,
    qualified_limit_text,
    quota_text,
    sort_key_hours,
)
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.due_control import marker as due_marker
from generator.render.search_marks import IGNORE_MARKER
from generator.render.validity import status_badge
from generator.vocabulary import Attribution, Qualifier

BR = Markup("<br>")
DASH = Markup("—")
SPACE = Markup(" ")


_UNINDEXED = Markup(f"<span {IGNORE_MARKER}>")


def quoted(quote: str, *, cell: bool = True) -> Markup:
    """``：“应在3个工作日内移送”`` for a fact's quote, left out of the search index.

    Why: a quote is a verbatim piece of a provision, and the provision's full text is indexed
    on its document page.  The copies (tables, topic and index pages, training answers) held a
    quarter of the occurrences of the characters of 案件移送 on a 300-document site, and the
    index chunk a query downloads grows with those occurrences, for no page found.
    ``cell``: escaped for a Markdown table cell, else for running text.
    """
    text = f"：“{quote}”"
    body = escape.md_cell(text) if cell else escape.md_text(text)
    return escape.concat(_UNINDEXED, body, Markup("</span>"))


def basis(ctx: RenderContext, doc: Document, provision: Provision, quote: str,
          page: str) -> Markup:
    """The clause link followed by the quote: ``[三、（二）](#s3-2)：“应在3个工作日内移送”``."""
    return escape.concat(ctx.clause_link(doc, provision, page), quoted(quote))


def editorial_mark(reason: str | None) -> Markup:
    """``〔编者推定：reason〕`` beside an actor the provision does not name: the words say it
    (not a colour), and the reason is printed, not hidden in a tooltip.  Escaped for a table
    cell: Markdown still reads the inside of an inline ``<span>``."""
    if reason is None:
        return Markup("")
    return escape.concat(Markup('<span class="pk-editorial">'),
                         escape.md_cell(f"〔{EDITORIAL}：{reason}〕"), Markup("</span>"))


#: Where a document page explains its editorial attributions, one line per reason.
EDITORIAL_SECTION = "editorial"
_BRIEF = escape.concat(Markup('<span class="pk-editorial">'), escape.md_link(
    f"〔{EDITORIAL}〕", links.anchor(links.section_anchor(EDITORIAL_SECTION))), Markup("</span>"))


def who(ctx: RenderContext, fact: Duty | Clock | Quota,
        actors: tuple[Actor, ...] | None = None, page: str | None = None) -> Markup:
    """The actors' names for a table cell, marked 编者推定 when the text does not name them.

    On the fact's own document page the mark links to the page's list of reasons (a document
    may infer dozens of actors for one reason: printed in every row, the reasons took a fifth of
    the largest page); everywhere else the reason is printed in the cell."""
    names = escape.md_cell(ctx.actor_names(actors if actors is not None else fact.actors))
    if fact.attribution is Attribution.EDITORIAL:
        if page == links.document_page(fact.document.id):
            return escape.concat(names, _BRIEF)
        return escape.concat(names, editorial_mark(fact.attribution_reason))
    return names


def qualified(text: str, qualifier: Qualifier | None) -> str:
    """``召集例行会议（原文：可）``: a duty's or a quota's wording with its qualifier."""
    return f"{text}（原文：{QUALIFIER_LABEL[qualifier]}）" if qualifier is not None else text


def clock_summary(clock: Clock) -> str:
    """``5个工作日内 · 情况紧急：24小时内``: the limit and its variants on one line, each with its
    qualifier (``原则上每半年1次``)."""
    return " · ".join([
        qualified_limit_text(clock.limit, clock.qualifier),
        *(f"{v.when}：{qualified_limit_text(v.limit, v.qualifier)}" for v in clock.variants)])


@dataclass(frozen=True)
class ClockRow:
    doc_id: str
    clock_id: str
    anchor: Markup
    jurisdiction: Markup
    document: Markup
    topic: Markup
    actors: Markup
    recipients: Markup
    trigger: Markup
    action: Markup
    limit: Markup
    due: Markup
    hours: float | None
    hours_cell: Markup
    not_comparable: Markup
    sort: Markup
    variants: Markup
    extension: Markup
    consequence: Markup
    clause: Markup
    quote: Markup
    basis: Markup
    parties: Markup
    special: Markup
    extension_and_consequence: Markup
    #: The validity of the clock's document (badge, and why it is unknown), for index rows.
    validity: Markup


def clock_row(ctx: RenderContext, clock: Clock, page: str) -> ClockRow:
    doc = clock.document
    variants = []
    for v in clock.variants:
        text = f"{v.when}：{qualified_limit_text(v.limit, v.qualifier)}"
        if v.action:
            text += f"（{v.action}）"
        variants.append(escape.concat(escape.md_cell(text), SPACE,
                                      ctx.clause_link(doc, v.provision, page)))
    extension = DASH
    if clock.extension is not None:
        ext = clock.extension
        parts = [ext.condition]
        if ext.requires:
            parts.append(ext.requires)
        parts.append(cap_text(ext.max))
        extension = escape.concat(escape.md_cell("；".join(parts)), SPACE, ctx.clause_link(
            doc, ext.provision, page))
    hours = comparable_hours(clock.limit)
    actors = who(ctx, clock, page=page)
    recipients = escape.md_cell(ctx.actor_names(clock.recipients)) if clock.recipients \
        else DASH
    parties = escape.concat(actors, Markup(" → "), recipients) if clock.recipients else actors
    later = []
    if clock.extension is not None:
        later.append(escape.concat(escape.md_cell("延长："), extension))
    if clock.consequence:
        later.append(escape.md_cell(f"后果：{clock.consequence}"))
    special = [*variants, *later]
    return ClockRow(
        doc_id=doc.id,
        clock_id=clock.id,
        anchor=escape.html_attr(links.clock_anchor(clock.id)),
        jurisdiction=ctx.jurisdiction_link(doc.jurisdiction.id, page),
        document=ctx.document_link(doc.id, page),
        topic=ctx.topic_link(clock.topic.id, page),
        actors=actors,
        recipients=recipients,
        trigger=escape.md_cell(clock.trigger),
        action=escape.md_cell(clock.action),
        limit=escape.md_cell(qualified_limit_text(clock.limit, clock.qualifier)),
        # every table that shows a clock's limit follows it with the 计算期限 control
        # (generator/render/due_control.py)
        due=due_marker(clock),
        hours=hours,
        hours_cell=escape.md_cell(hours_text(hours)),
        not_comparable=escape.md_cell(not_comparable_reason(clock.limit)),
        sort=escape.html_attr(sort_key_hours(clock.limit)),
        variants=escape.join(BR, variants) if variants else DASH,
        extension=extension,
        consequence=escape.md_cell(clock.consequence) if clock.consequence else DASH,
        clause=ctx.clause_link(doc, clock.provision, page),
        quote=escape.md_cell(clock.quote),
        basis=basis(ctx, doc, clock.provision, clock.quote, page),
        parties=parties,
        special=escape.join(BR, special) if special else DASH,
        extension_and_consequence=escape.join(BR, later) if later else DASH,
        validity=status_badge(doc),
    )


@dataclass(frozen=True)
class DutyRow:
    anchor: Markup
    jurisdiction: Markup
    document: Markup
    actors: Markup
    role: Markup
    topic: Markup
    what: Markup
    clause: Markup
    quote: Markup
    basis: Markup


def duty_row(ctx: RenderContext, duty: Duty, page: str,
             actors: tuple[Actor, ...] | None = None) -> DutyRow:
    doc = duty.document
    return DutyRow(
        anchor=escape.html_attr(links.duty_anchor(duty.id)),
        jurisdiction=ctx.jurisdiction_link(doc.jurisdiction.id, page),
        document=ctx.document_link(doc.id, page),
        actors=who(ctx, duty, actors, page),
        role=escape.md_cell(ROLE_LABEL[duty.role]),
        topic=ctx.topic_link(duty.topic.id, page),
        what=escape.md_cell(qualified(duty.what, duty.qualifier)),
        clause=ctx.clause_link(doc, duty.provision, page),
        quote=escape.md_cell(duty.quote),
        basis=basis(ctx, doc, duty.provision, duty.quote, page),
    )


@dataclass(frozen=True)
class QuotaRow:
    anchor: Markup
    jurisdiction: Markup
    document: Markup
    what: Markup
    scope: Markup
    requirement: Markup
    actors: Markup
    topic: Markup
    clause: Markup
    quote: Markup
    basis: Markup


def quota_row(ctx: RenderContext, quota: Quota, page: str) -> QuotaRow:
    doc = quota.document
    return QuotaRow(
        anchor=escape.html_attr(links.quota_anchor(quota.id)),
        jurisdiction=ctx.jurisdiction_link(doc.jurisdiction.id, page),
        document=ctx.document_link(doc.id, page),
        what=escape.md_cell(quota.what),
        scope=escape.md_cell(quota.scope) if quota.scope else DASH,
        requirement=escape.md_cell(qualified(
            quota_text(quota.comparator, quota.value, quota.unit, quota.per), quota.qualifier)),
        actors=who(ctx, quota, page=page) if quota.actors else DASH,
        topic=ctx.topic_link(quota.topic.id, page),
        clause=ctx.clause_link(doc, quota.provision, page),
        quote=escape.md_cell(quota.quote),
        basis=basis(ctx, doc, quota.provision, quota.quote, page),
    )
