"""The codebook page (``indexes/codebook.md``, 编码手册): every question with its definition, its
coding notes and the documents that answer it.

A reviewer reads it to know what a table on a topic page compares, and what an answer must say
to count; a data editor reads it before coding a document.  The page lists each question's
answers up to :data:`MAX_LISTED` (the full list is the question's table on its topic page and
the coded matrix download), so it stays within the page budget whatever the number of
documents: it grows with the codebook, not with the knowledge base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.domain.codebook import codebook
from generator.domain.wording import ANSWER_KIND_LABEL, EDITORIAL
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.topic import HOW, answer_link

#: Answers named under each question before "等 N 项".
MAX_LISTED = 6


@dataclass(frozen=True)
class CodebookQuestion:
    anchor: Markup
    name: Markup
    question: Markup
    kind: Markup
    how: Markup
    definition: Markup | None
    include: list[Markup]
    exclude: list[Markup]
    #: ``金湖县：5个工作日内`` … each linked to the fact on its document page.
    answers: list[Markup]
    more: int
    count: int
    #: The question's table on its topic page.
    table: Markup


@dataclass(frozen=True)
class CodebookTopic:
    anchor: Markup
    name: Markup
    link: Markup
    questions: list[CodebookQuestion]


@dataclass(frozen=True)
class CodebookPage:
    title: Markup
    front_title: Markup
    topics: list[CodebookTopic]
    questions: int
    answers: int
    #: Links to the downloads, None when the export did not produce them.
    matrix: Markup | None
    definitions: Markup | None
    conflicts: Markup


def codebook_page(ctx: RenderContext, available: Sequence[str] = ()) -> CodebookPage:
    """``available``: the downloads written beside the pages (as for the data page)."""
    page = links.CODEBOOK_INDEX

    def download(path: str) -> Markup | None:
        return escape.url(links.relative(page, path)) if path in available else None

    book = codebook(ctx.kb)
    topics = []
    for topic in ctx.kb.topics:
        entries = []
        for q in book.questions(topic):
            answers = book.answers.get(q, ())
            listed = [escape.concat(escape.md_text(f"{a.jurisdiction.name}："),
                                    answer_link(ctx, a, page, _short(a.text)),
                                    escape.md_text(f"（{EDITORIAL}）") if a.editorial
                                    else Markup(""))
                      for a in answers[:MAX_LISTED]]
            entries.append(CodebookQuestion(
                anchor=escape.html_attr(links.question_anchor(q.id)),
                name=escape.md_text(q.name),
                question=escape.md_text(q.question),
                kind=escape.md_text(ANSWER_KIND_LABEL[q.kind]),
                how=escape.md_text(HOW[q.stricter]),
                definition=escape.md_text(q.definition) if q.definition else None,
                include=[escape.md_text(n) for n in q.include],
                exclude=[escape.md_text(n) for n in q.exclude],
                answers=listed,
                more=max(0, len(answers) - MAX_LISTED),
                count=len(answers),
                table=escape.url(links.relative(page, links.topic_page(topic.id),
                                                links.question_anchor(q.id))),
            ))
        topics.append(CodebookTopic(
            anchor=escape.html_attr(f"topic--{topic.id}"),
            name=escape.md_text(topic.name),
            link=ctx.topic_link(topic.id, page),
            questions=entries,
        ))
    return CodebookPage(
        title=escape.md_text("编码手册"),
        front_title=escape.front_matter("编码手册"),
        topics=topics,
        questions=len(ctx.kb.questions),
        answers=sum(len(a) for a in book.answers.values()),
        matrix=download(links.CODEBOOK_CSV),
        definitions=download(links.QUESTIONS_CSV),
        conflicts=escape.url(links.relative(page, links.CONFLICTS_INDEX)),
    )


def _short(text: str, limit: int = 24) -> str:
    """An answer as link text: a procedure's title may run long."""
    return text if len(text) <= limit else text[:limit] + "…"
