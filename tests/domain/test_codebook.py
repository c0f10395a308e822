"""Comparisons per codebook question, and local answers against the rules above them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.domain.codebook import Answer, codebook, rank, relation
from generator.domain.model import KnowledgeBase
from generator.domain.wording import comparable_hours
from generator.pipeline import load_knowledge_base
from generator.vocabulary import Mark, Relation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _load(name: str) -> KnowledgeBase:
    kb, report = load_knowledge_base(FIXTURES / name)
    assert kb is not None, [d.format() for d in report.errors]
    return kb


@pytest.fixture(scope="module")
def mini() -> KnowledgeBase:
    return _load("kb-mini")


@pytest.fixture(scope="module")
def nested() -> KnowledgeBase:
    return _load("kb-conflicts")


def _marks(answers: tuple[Answer, ...]) -> dict[str, Mark | None]:
    ranking = rank(answers)
    return {f"{a.jurisdiction.name}:{a.text}": ranking.mark(a) for a in answers}


def test_per_question_ranking_differs_from_the_pooled_one(mini: KnowledgeBase) -> None:
    """Pooled over the topic's clocks, the 2-hour urgent transfer is the strictest and the
    5-day acceptance notice ties as the loosest; asked per question, Jinhu's 3-day transfer is
    the strictest transfer and its acceptance notice is compared with nothing."""
    topic = mini.topic_by_id["case-transfer"]
    clocks = [c for d in mini.documents for c in d.clocks if c.topic is topic]
    hours = {(c.document.jurisdiction.name, c.id): comparable_hours(c.limit) for c in clocks}
    pooled_low = min(h for h in hours.values() if h is not None)
    pooled_high = max(h for h in hours.values() if h is not None)
    assert hours[("浙江省", "two-hours")] == pooled_low
    assert hours[("金湖县", "acceptance-notice")] == pooled_high
    assert hours[("金湖县", "transfer-clock")] not in (pooled_low, pooled_high)

    book = codebook(mini)
    by_id = mini.question_by_id
    assert _marks(book.answers[by_id["transfer-deadline"]]) == {
        "金湖县:3个工作日内": Mark.STRICTEST, "灌云县:5个工作日内": Mark.LOOSEST}
    assert _marks(book.answers[by_id["transfer-urgent-deadline"]]) == {
        "金湖县:24小时内": Mark.LOOSEST, "浙江省:2小时内": Mark.STRICTEST}
    assert _marks(book.answers[by_id["acceptance-notice-deadline"]]) == {
        "金湖县:5个工作日内": None}


def test_ties_are_ties_and_unquantified_answers_take_no_part(mini: KnowledgeBase) -> None:
    book = codebook(mini)
    sharing = book.answers[mini.question_by_id["info-sharing-deadline"]]
    ranking = rank(sharing)
    assert [a.text for a in ranking.comparable] == ["立即"]  # 及时 has no number
    assert not ranking.strictest and not ranking.tied
    twice = rank([*book.answers[mini.question_by_id["transfer-urgent-deadline"]][:1]] * 2)
    assert twice.tied and twice.mark(twice.comparable[0]) is None


def test_answers_for_different_cases_are_not_ranked_against_each_other(
        mini: KnowledgeBase) -> None:
    """镇不少于6人 and 街道不少于4人 are two rules, not a strict and a loose one."""
    from dataclasses import replace

    book = codebook(mini)
    hours = book.answers[mini.question_by_id["training-hours"]][0]
    quota = hours.fact
    town = Answer(hours.question, replace(quota, value=6, applies_to="镇"))  # type: ignore[arg-type]
    street = Answer(hours.question, replace(quota, value=4, applies_to="街道"))  # type: ignore[arg-type]
    other_town = Answer(hours.question, replace(quota, value=8, applies_to="镇"))  # type: ignore[arg-type]
    assert rank([town, street]).strictest == () and not rank([town, street]).tied
    ranking = rank([town, street, other_town])
    assert (ranking.mark(other_town), ranking.mark(town), ranking.mark(street)) == (
        Mark.STRICTEST, Mark.LOOSEST, None)


def test_status_tells_not_answered_from_not_covered(mini: KnowledgeBase) -> None:
    book = codebook(mini)
    cap = mini.question_by_id["transfer-extension-cap"]
    guanyun = mini.document_by_id["guanyun-mini"]
    jinhu = mini.document_by_id["jinhu-mini"]
    assert book.status(jinhu, cap) == ""
    assert book.status(guanyun, cap) == "未规定"  # covers case transfer, sets no cap
    hours = mini.question_by_id["training-hours"]
    assert book.status(guanyun, hours) == "未涉及"  # no training at all


def test_a_county_looser_than_its_province_is_a_possible_conflict(
        nested: KnowledgeBase) -> None:
    book = codebook(nested)
    found = {(c.local.question.id, c.local.document.id, c.higher.document.id): c.relation
             for q in nested.questions for c in book.comparisons[q]}
    assert found == {
        ("transfer-deadline", "jinhu-county", "jiangsu-province"): Relation.LOOSER,
        ("acceptance-notice-deadline", "jinhu-county", "jiangsu-province"): Relation.EQUAL,
        ("training-hours", "jinhu-county", "jiangsu-province"): Relation.STRICTER,
    }  # Zhejiang's 1-day transfer is not above Jinhu: never compared
    (conflict,) = book.conflicts
    assert (conflict.local.text, conflict.higher.text) == ("5个工作日内", "3个工作日内")


def test_relation_follows_the_direction_of_the_question(nested: KnowledgeBase) -> None:
    book = codebook(nested)
    hours = book.answers[nested.question_by_id["training-hours"]]
    province, county = hours  # tree order: Jiangsu before Jinhu
    assert (province.text, county.text) == ("不少于40学时/年", "不少于60学时/年")
    assert relation(county, province) is Relation.STRICTER  # more hours is stricter
    assert relation(province, county) is Relation.LOOSER
