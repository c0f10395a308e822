"""Training sheets: key figures computed from the facts, exercises whose answers cite clauses."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from generator.domain.graph import build_graph
from generator.domain.model import KnowledgeBase
from generator.domain.wording import comparable_hours, limit_text
from generator.pipeline import load_knowledge_base
from generator.render import links, training
from generator.render.context import RenderContext
from generator.render.site import render_site

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    found, report = load_knowledge_base(ROOT / "policies")
    assert found is not None, [d.format() for d in report.errors]
    return found


@pytest.fixture(scope="module")
def sheets(kb: KnowledgeBase) -> dict[str, training.TrainingPage]:
    pages = training.training_pages(RenderContext(kb, build_graph(kb)))
    return {p.path: p for p in pages}


def test_every_topic_has_a_sheet_listed_in_the_index(kb: KnowledgeBase) -> None:
    site = render_site(kb)
    index = site.pages[links.TRAINING_INDEX]
    for topic in kb.topics:
        assert links.training_page(topic.id) in site.pages
        assert f"]({topic.id}.md)" in index
    assert "](training/index.md)" in site.pages["index.md"]


def test_strictest_and_loosest_are_the_extremes_of_the_topics_clocks(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    checked = 0
    for topic in kb.topics:
        hours = [(comparable_hours(c.limit), c) for d in kb.documents for c in d.clocks
                 if c.topic is topic and comparable_hours(c.limit) is not None]
        sheet = sheets[links.training_page(topic.id)]
        figures = {str(f.label): str(f.value) for f in sheet.figures}
        if not hours:
            assert "最严时限" not in figures
            continue
        strictest = min(hours, key=lambda pair: pair[0] or 0.0)[1]
        loosest = max(hours, key=lambda pair: pair[0] or 0.0)[1]
        if comparable_hours(strictest.limit) == comparable_hours(loosest.limit):
            assert "最严时限" not in figures
            assert figures["可折算比较的时限"].startswith(limit_text(strictest.limit))
            checked += 1
            continue
        assert figures["最严时限"].startswith(limit_text(strictest.limit))
        assert figures["最宽时限"].startswith(limit_text(loosest.limit))
        checked += 1
    assert checked >= 5  # the seeds give most topics comparable limits


def test_each_clock_exercise_is_answered_with_its_limit_and_its_quote(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    sheet = sheets[links.training_page("case-transfer")]
    clocks = {c.quote: c for d in kb.documents for c in d.clocks}
    answered = 0
    for exercise in sheet.exercises:
        quoted = [q for q in clocks if f"“{q}”" in str(exercise.basis[0])]
        if not quoted or "应在多长时间内" not in str(exercise.question):
            continue
        clock = clocks[quoted[0]]
        assert str(exercise.answer).startswith(limit_text(clock.limit))
        for variant in clock.variants:
            assert f"{variant.when}：{limit_text(variant.limit)}" in str(exercise.answer)
        assert clock.trigger in str(exercise.question)
        answered += 1
    assert answered >= 3
    assert len(sheet.exercises) <= (training.MAX_CLOCK_QUESTIONS + training.MAX_QUOTA_QUESTIONS
                                    + 2)


def test_every_answer_link_lands_on_an_existing_clause_or_clock(kb: KnowledgeBase) -> None:
    site = render_site(kb)
    anchors: dict[str, set[str]] = {}
    for doc in kb.documents:
        page = site.pages[links.document_page(doc.id)]
        anchors[links.document_page(doc.id)] = set(re.findall(r"\{ #([^ }]+)", page)) | set(
            re.findall(r'id="([^"]+)"', page))
    seen = 0
    for topic in kb.topics:
        path = links.training_page(topic.id)
        answers = site.pages[path].split("## 答案", 1)[-1]
        for href in LINK.findall(answers):
            target, _, anchor = href.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved in anchors:
                assert anchor in anchors[resolved], (path, href)
                seen += 1
    assert seen > 30


def test_quantities_are_asked_where_the_topic_has_them(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    quotas = [(d, q) for d in kb.documents for q in d.quotas if q.topic.id == "training-guidance"]
    assert quotas, "the seeds state training hours"
    sheet = sheets[links.training_page("training-guidance")]
    asked = [e for e in sheet.exercises if "数量要求" in str(e.question)]
    assert len(asked) == min(len(quotas), training.MAX_QUOTA_QUESTIONS)
    for exercise in asked:
        assert any(str(q.value) in str(exercise.answer) for _, q in quotas)
