"""Training sheets: the figures per codebook question, exercises whose answers cite clauses."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from generator.domain.codebook import codebook
from generator.domain.graph import build_graph
from generator.domain.model import KnowledgeBase
from generator.domain.wording import comparable_hours, limit_text
from generator.pipeline import load_knowledge_base
from generator.render import links, training
from generator.render.context import RenderContext
from generator.render.site import render_site
from generator.vocabulary import Attribution, Unit

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


def _figure(sheet: training.TrainingPage, name: str) -> training.QuestionFigure:
    (row,) = [q for q in sheet.questions if f"[{name}]" in str(q.name)]
    return row


def test_every_topic_has_a_sheet_listed_in_the_index(kb: KnowledgeBase) -> None:
    site = render_site(kb)
    index = site.pages[links.TRAINING_INDEX]
    for topic in kb.topics:
        assert links.training_page(topic.id) in site.pages
        assert f"]({topic.id}.md)" in index
    assert "](training/index.md)" in site.pages["index.md"]


def test_the_sheet_names_the_strictest_and_loosest_answer_to_each_question(
    sheets: dict[str, training.TrainingPage]
) -> None:
    """The issue's example: the 3-day transfer of Xilinhot and the 3-day acceptance notice of
    Jinhu are answers to two questions, each ranked on its own."""
    sheet = sheets[links.training_page("case-transfer")]
    transfer = _figure(sheet, "移送时限")
    assert str(transfer.strictest).startswith("3个工作日内（[锡林浩特市]")
    assert str(transfer.loosest).startswith("5个工作日内（[金湖县]")
    notice = _figure(sheet, "受理告知时限")
    assert str(notice.strictest).startswith("3个工作日内（[金湖县]")
    assert str(notice.loosest).startswith("5个工作日内（[锡林浩特市]")
    urgent = _figure(sheet, "紧急情况移送时限")  # a tie is named as a tie
    assert str(urgent.strictest).startswith("并列：24小时内（[锡林浩特市]")
    assert "[金湖县]" in str(urgent.strictest) and str(urgent.loosest) == "—"
    assert "2 项相同，并列" in str(urgent.note)
    assert "最常见" not in "".join(str(f.label) for f in sheet.figures)


def test_every_ranked_question_names_the_extremes_of_its_own_answers(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    """Computed here from the facts, independently of the codebook module."""
    checked = 0
    for question in kb.questions:
        limits = [c.limit for d in kb.documents for c in d.clocks if c.answers is question]
        limits += [v.limit for d in kb.documents for c in d.clocks for v in c.variants
                   if v.answers is question]
        hours = sorted({h for lim in limits if (h := comparable_hours(lim)) is not None})
        if len(hours) < 2:
            continue
        sheet = sheets[links.training_page(question.topic.id)]
        row = _figure(sheet, question.name)
        low = next(lim for lim in limits if comparable_hours(lim) == hours[0])
        high = next(lim for lim in limits if comparable_hours(lim) == hours[-1])
        assert limit_text(low) in str(row.strictest), question.id
        assert limit_text(high) in str(row.loosest), question.id
        checked += 1
    assert checked >= 2


def test_exercises_never_ask_how_long_of_an_unquantified_or_editorial_answer(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    book = codebook(kb)
    by_quote = {a.quote: a for answers in book.answers.values() for a in answers}
    asked = pointed = 0
    for sheet in sheets.values():
        for exercise in sheet.exercises:
            question = str(exercise.question)
            if question.startswith(("【比较】", "哪些辖区")):
                continue
            quotes = re.findall(r"：“(.*?)”</span>", str(exercise.basis[0]))
            answer = by_quote[quotes[0]]
            assert answer.fact.attribution is Attribution.STATED \
                if hasattr(answer.fact, "attribution") else True, question
            limit = answer.limit
            if limit is not None and limit.unit in (Unit.TIMELY, Unit.PERIODIC):
                assert "文件规定了" in question, question  # that is its point
                assert str(exercise.answer).startswith("没有。")
                pointed += 1
            else:
                asked += 1
    assert asked > 10 and pointed >= 3


def test_each_single_answer_exercise_is_answered_with_the_text_and_its_quote(
    kb: KnowledgeBase, sheets: dict[str, training.TrainingPage]
) -> None:
    sheet = sheets[links.training_page("case-transfer")]
    xilinhot = next(d for d in kb.documents if d.id.startswith("xilinhot"))
    transfer = xilinhot.clock_by_id["case-transfer"]
    (exercise,) = [e for e in sheet.exercises
                   if "【[锡林浩特市]" in str(e.question)
                   and "应在多长时间内移送？" in str(e.question)
                   and "情况紧急" not in str(e.question)]
    answer = str(exercise.answer)
    assert answer.startswith("3个工作日内（情况紧急：24小时内；发现违法行为正在进行：立即；")
    assert "最长不超过10个工作日" in answer
    assert f"“{transfer.quote}”" in str(exercise.basis[0])


def test_a_qualifier_is_stated_in_the_answer(sheets: dict[str, training.TrainingPage]) -> None:
    sheet = sheets[links.training_page("joint-enforcement")]
    (exercise,) = [e for e in sheet.exercises if str(e.question).startswith("【")
                   and str(e.question).endswith("例会多久召开一次？")]
    assert str(exercise.answer).startswith("原则上每半年1次")
    assert "不是硬性期限" in str(exercise.answer)


def test_every_answer_link_lands_on_an_existing_clause_or_fact(kb: KnowledgeBase) -> None:
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
    quotas = [q for d in kb.documents for q in d.quotas if q.topic.id == "training-guidance"]
    assert quotas, "the seeds state training hours"
    sheet = sheets[links.training_page("training-guidance")]
    asked = [e for e in sheet.exercises if "多少学时" in str(e.question)]
    assert len(asked) == 1 and str(asked[0].answer) == "不少于60學時/年"  # as printed
    assert all(len(s.exercises) <= training.MAX_EXERCISES for s in sheets.values())
