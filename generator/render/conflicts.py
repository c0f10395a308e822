"""The conflicts index (``indexes/conflicts.md``): local answers looser than the answer a
jurisdiction above gives to the same codebook question.

Where a county's document and its province's document both answer a question with a period, a
date or a count, the county's answer is stricter, equal or looser; a looser local rule may
conflict with the higher one.  The page lists those for review (the site does not decide what
is lawful: it points at the two clauses), with how many pairs were compared.  It lists at most
:data:`MAX_ROWS` rows, so that it stays within the page budget; every topic page lists its own
under "与上级规定比较".
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.codebook import Answer, codebook
from generator.domain.wording import RELATION_LABEL
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.topic import answer_link
from generator.render.validity import validity_note
from generator.vocabulary import Relation

#: Rows of the table before "另有 N 项".
MAX_ROWS = 100


@dataclass(frozen=True)
class ConflictLine:
    question: Markup
    topic: Markup
    local: Markup
    higher: Markup


@dataclass(frozen=True)
class RelationCount:
    label: Markup
    count: int


@dataclass(frozen=True)
class ConflictsPage:
    title: Markup
    front_title: Markup
    rows: list[ConflictLine]
    more: int
    compared: int
    counts: list[RelationCount]
    codebook: Markup


def _answer(ctx: RenderContext, a: Answer, page: str) -> Markup:
    """``金湖县：5个工作日内 有效 数据核对于…``: a superseded rule is no conflict, so each
    side carries its document's validity."""
    return escape.concat(escape.md_cell(f"{a.jurisdiction.name}："),
                         answer_link(ctx, a, page, a.text), Markup(" "), validity_note(a.document))


def conflicts_page(ctx: RenderContext) -> ConflictsPage:
    page = links.CONFLICTS_INDEX
    book = codebook(ctx.kb)
    compared = [c for q in ctx.kb.questions for c in book.comparisons.get(q, ())]
    rows = []
    for c in book.conflicts[:MAX_ROWS]:
        q = c.local.question
        rows.append(ConflictLine(
            question=escape.md_link(q.name, links.relative(page, links.topic_page(q.topic.id),
                                                           links.question_anchor(q.id))),
            topic=ctx.topic_link(q.topic.id, page),
            local=_answer(ctx, c.local, page),
            higher=_answer(ctx, c.higher, page),
        ))
    counts = [RelationCount(escape.md_cell(RELATION_LABEL[r]),
                            sum(1 for c in compared if c.relation is r)) for r in Relation]
    return ConflictsPage(
        title=escape.md_text("上下级规定比较"),
        front_title=escape.front_matter("上下级规定比较"),
        rows=rows,
        more=max(0, len(book.conflicts) - MAX_ROWS),
        compared=len(compared),
        counts=counts,
        codebook=escape.url(links.relative(page, links.CODEBOOK_INDEX)),
    )
