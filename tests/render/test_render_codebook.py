"""Per-question topic tables, the codebook page and the conflicts index, on the real documents
and on a province with a county inside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import load_kb

from generator.domain.model import KnowledgeBase
from generator.render import RenderedSite, links
from generator.render.site import render_site

ROOT = Path(__file__).resolve().parents[2]
NESTED = ROOT / "tests" / "fixtures" / "kb-conflicts"


@pytest.fixture(scope="module")
def real() -> tuple[KnowledgeBase, RenderedSite]:
    kb = load_kb(ROOT / "policies")
    return kb, render_site(kb)


@pytest.fixture(scope="module")
def nested() -> RenderedSite:
    return render_site(load_kb(NESTED))


def _table(page: str, question: str) -> list[str]:
    """The rows of one question's table (header and rule excluded)."""
    section = page.split(f"{{ #q--{question} }}", 1)[1].split("\n### ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| [")]


def test_transfer_and_acceptance_notice_are_ranked_apart(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    page = real[1].pages["topics/case-transfer.md"]
    transfer = _table(page, "transfer-deadline")
    notice = _table(page, "acceptance-notice-deadline")
    xilinhot_transfer = next(r for r in transfer if r.startswith("| [锡林浩特市]"))
    jinhu_transfer = next(r for r in transfer if r.startswith("| [金湖县]"))
    assert "**3个工作日内**" in xilinhot_transfer and "最严" in xilinhot_transfer
    assert "最长不超过10个工作日" in xilinhot_transfer  # the cap is shown with the transfer
    assert "**5个工作日内**" in jinhu_transfer and "最宽" in jinhu_transfer
    assert "最严" in next(r for r in notice if r.startswith("| [金湖县]"))
    assert "最宽" in next(r for r in notice if r.startswith("| [锡林浩特市]"))
    zhejiang = next(r for r in transfer if r.startswith("| [浙江省]"))
    assert "**及时**" in zhejiang and "不参与比较" in zhejiang
    assert "100.8" not in page and "折算小时" not in page  # the ranking number is never shown
    urgent = page.split("{ #q--transfer-urgent-deadline }", 1)[1].split("\n### ", 1)[0]
    assert "2个可比较的答案相同，并列" in urgent
    assert "未涉及本专题：[灌云县]" in urgent
    assert "未规定（文件涉及本专题，但没有回答这个问题）：[浙江省]" in urgent


def test_qualifiers_and_editorial_attributions_are_shown_where_the_fact_appears(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    pages = real[1].pages
    meeting = _table(pages["topics/joint-enforcement.md"], "meeting-frequency")
    assert "**原则上每半年1次**" in next(r for r in meeting if r.startswith("| [锡林浩特市]"))
    assert "“原则上”是原则性要求，不是硬性期限" in pages["topics/joint-enforcement.md"]
    document = pages[links.document_page("xilinhot-2024-coordination")]
    assert "**原则上每半年1次**" in document
    supervision = _table(pages["topics/supervision-evaluation.md"], "accountability-body")
    row = next(r for r in supervision if r.startswith("| [锡林浩特市]"))
    assert '<span class="pk-editorial">〔编者推定：“追究……责任”一句没有主语' in row
    lines = document.splitlines()
    matrix_row = next(r for r in lines if r.startswith("| 市司法局 | 司法行政部门 |"))
    assert "[监督 2项（编者推定1项）](#kb--duty-list)" in matrix_row  # the inferred duty counted
    duty = next(r for r in lines if r.startswith('| <a id="duty--accountability">'))
    assert '市司法局<span class="pk-editorial">[〔编者推定〕](#kb--editorial)</span>' in duty
    reasons = document.split("## 编者推定 { #kb--editorial }", 1)[1].split("\n## ", 1)[0]
    assert "- “追究……责任”一句没有主语，按同段上一句的主语市司法局理解（1项）" in reasons
    jinhu = pages[links.document_page("jinhu-2021-coordination")]
    assert "**一般3个工作日内**" in jinhu and "**原则上当日**" in jinhu


def test_procedure_charts_word_limits_with_their_qualifier(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    dot = {d.path: d.dot for d in real[1].diagrams}
    chart = dot["diagrams/jinhu-2021-coordination/technical-assistance-flow.svg"]
    assert "一般3个工作日内" in chart


def test_codebook_page_lists_every_question_with_who_answers(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    kb, site = real
    page = site.pages[links.CODEBOOK_INDEX]
    anchors = re.findall(r"\{ #q--([a-z0-9-]+) \}", page)
    assert anchors == [q.id for q in kb.questions]
    transfer = page.split("{ #q--transfer-deadline }", 1)[1].split("\n### ", 1)[0]
    assert "回答（3 项）：锡林浩特市：[3个工作日内]" in transfer
    assert "金湖县：[5个工作日内]" in transfer and "浙江省：[及时]" in transfer
    assert "计入：" in transfer and "不计入：" in transfer
    assert "](../topics/case-transfer.md#q--transfer-deadline)" in transfer
    assert "](indexes/codebook.md)" in site.pages["index.md"]
    assert "](../indexes/codebook.md)" in site.pages["topics/index.md"]


def test_conflicts_index_and_topic_page_flag_a_county_looser_than_its_province(
        nested: RenderedSite) -> None:
    index = nested.pages[links.CONFLICTS_INDEX]
    rows = [r for r in index.split("## 可能冲突", 1)[1].split("## ", 1)[0].splitlines()
            if r.startswith("| [")]
    assert len(rows) == 1
    assert "金湖县：[5个工作日内](../documents/jinhu-county.md#clock--transfer)" in rows[0]
    assert "江苏省：[3个工作日内](../documents/jiangsu-province.md#clock--transfer)" in rows[0]
    assert "共比较 3 对上下级规定。" in index
    assert "| 比上级规定严 | 1 |" in index and "| 与上级规定相同 | 1 |" in index \
        and "| 比上级规定宽 | 1 |" in index
    page = nested.pages["topics/case-transfer.md"]
    county = next(r for r in _table(page, "transfer-deadline") if r.startswith("| [金湖县]"))
    assert "比[江苏省（3个工作日内）](../documents/jiangsu-province.md#clock--transfer)规定宽" \
        "（可能冲突）" in county
    notice = next(r for r in _table(page, "acceptance-notice-deadline")
                  if r.startswith("| [金湖县]"))
    assert "与[江苏省（5个工作日内）]" in notice and "规定相同" in notice
    conflicts = page.split("## 与上级规定比较", 1)[1].split("## ", 1)[0]
    assert "[移送时限](#q--transfer-deadline)" in conflicts
    training = nested.pages["topics/training-guidance.md"]
    assert "比[江苏省（不少于40学时/年）]" in training and "规定严" in training
    assert "本页下级文件的答案都不比上级辖区文件的规定更宽。" in training


def test_without_nested_jurisdictions_nothing_is_compared(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    index = real[1].pages[links.CONFLICTS_INDEX]
    assert "本库目前没有上下级辖区的文件回答同一个问题，无从比较。" in index
    assert "共比较 0 对上下级规定。" in index


def test_a_topic_page_opens_with_each_questions_answers_in_brief(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    page = real[1].pages[links.topic_page("case-transfer")]
    top = page.split("## ", 1)[0]  # before the first section: what the first screen shows
    assert ("1. [移送时限](#q--transfer-deadline)：锡林浩特市 3个工作日内；金湖县 5个工作日内；"
            "浙江省 及时\n") in top
    # an inferred actor is said to be inferred, on the answer it affects
    progress = "[案件进展沟通频次](#q--transfer-progress-frequency)"
    assert f"{progress}：锡林浩特市 定期（主体为编者推定）" in top
    supervision = real[1].pages[links.topic_page("supervision-evaluation")].split("## ", 1)[0]
    assert "[追责机关](#q--accountability-body)：锡林浩特市 市司法局（编者推定）；" in supervision
    # the brief list follows the tables' order: every question listed links to its table
    listed = re.findall(r"^\d+\. \[[^\]]+\]\(#(q--[\w-]+)\)", top, re.M)
    tables = re.findall(r"^### .* \{ #(q--[\w-]+) \}$", page, re.M)
    assert listed == tables and len(listed) == 8


def test_the_brief_list_counts_what_it_leaves_out(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    from generator.domain.codebook import codebook
    from generator.render.topic import MAX_BRIEF_ANSWERS, brief_answers
    book = codebook(real[0])
    answers = next(a for q, a in book.answers.items() if q.id == "transfer-deadline")
    many = [answers[i % len(answers)] for i in range(MAX_BRIEF_ANSWERS + 2)]
    brief = brief_answers(many)
    assert brief.count("；") == MAX_BRIEF_ANSWERS  # six answers, then the count
    assert brief.endswith(f"；等{MAX_BRIEF_ANSWERS + 2}项")
    assert brief_answers(many[:2]) == "锡林浩特市 3个工作日内；金湖县 5个工作日内"
    assert brief_answers([]) == "本页没有文件回答"


def test_the_cross_jurisdiction_matrix_counts_inferred_actors_apart(
        real: tuple[KnowledgeBase, RenderedSite]) -> None:
    kb, site = real
    page = site.pages[links.MATRIX_INDEX]
    assert "“编者推定N”表示其中N个辖区的原文没有写明这一主体" in page
    # 本级人民政府 supervises in three places; in two of them no duty of the kind names it in
    # the text (each is inferred), so a reader can tell the stated from the inferred
    duties = [(d.jurisdiction.id, duty) for d in kb.documents for duty in d.duties
              if duty.role.value == "supervises" and duty.topic.id == "supervision-evaluation"
              and any(a.type.id == "government" for a in duty.actors)]
    places = {j for j, _ in duties}
    stated = {j for j, duty in duties if duty.attribution.value != "editorial"}
    inferred = places - stated
    row = next(r for r in page.splitlines() if r.startswith("| 本级人民政府 |"))
    assert f"监督 {len(places)}（编者推定{len(inferred)}）" in row
    assert (len(places), len(inferred)) == (3, 2)
    # a role stated everywhere carries no mark
    assert "[牵头 1 · 负责 2（编者推定1）](../topics/information-sharing.md" in row
