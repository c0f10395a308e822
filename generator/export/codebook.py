"""The coded data: the codebook and every document's answers to it, as tables.

- ``data/codebook.csv`` and the workbook sheet 编码矩阵: the coded matrix, one row per document
  (with its jurisdiction), one column per question; each cell is the answer as the site words it
  (qualifier included), the case it covers, 编者推定 where the actor is inferred, and the clause
  (``3个工作日内（三、(二)）``), or 未规定 / 未涉及.
- ``data/questions.csv`` and the sheet 编码手册: every question with its definition and notes.
- the sheet 编码明细: one row per answer, each field in a column of its own (for analysis).

Headers and words are Chinese; the CSV files start with a UTF-8 byte order mark so that a
spreadsheet on a Chinese Windows opens them as UTF-8.  The CSV writing itself is
:func:`generator.export.tables.csv_text` (with formula neutralisation).
"""

from __future__ import annotations

from generator.domain.codebook import Answer, Codebook, codebook
from generator.domain.model import Document, KnowledgeBase, Question
from generator.domain.wording import (
    ANSWER_KIND_LABEL,
    EDITORIAL,
    QUALIFIER_LABEL,
)
from generator.export.tables import csv_text, neutralised
from generator.vocabulary import Stricter

BOM = "\ufeff"
MATRIX_FIXED = ["辖区", "辖区代码", "文件", "文件编号"]
QUESTION_COLUMNS = ["问题编号", "专题", "简称", "问题", "答案类型", "比较方向", "定义", "计入",
                    "不计入"]
ANSWER_COLUMNS = ["辖区", "辖区代码", "文件", "文件编号", "专题", "问题编号", "问题", "答案",
                  "限定语", "适用情形", "主体认定", "推定理由", "条款", "条款编号", "引文"]
_STRICTER = {Stricter.SHORTER: "越短越严", Stricter.MORE: "越多越严",
             Stricter.FEWER: "越少越严", Stricter.NONE: "不排序"}


def _cell(answers: tuple[Answer, ...]) -> str:
    """One matrix cell: every answer of the document to the question, ``；``-separated."""
    parts = []
    for a in answers:
        text = a.text_with_case
        if a.qualifier is not None and QUALIFIER_LABEL[a.qualifier] not in a.text:
            text += f"〔原文：{QUALIFIER_LABEL[a.qualifier]}〕"
        if a.editorial:
            text += f"〔{EDITORIAL}〕"
        parts.append(f"{text}（{a.provision.label}）")
    return "；".join(parts)


def _ordered(kb: KnowledgeBase) -> list[Document]:
    return sorted(kb.documents, key=lambda d: d.tree_key)


def matrix_rows(kb: KnowledgeBase, book: Codebook | None = None) -> list[list[str]]:
    """The coded matrix, header first: documents × questions."""
    book = book or codebook(kb)
    header = [*MATRIX_FIXED, *(f"{q.name}（{q.id}）" for q in kb.questions)]
    rows = [header]
    for doc in _ordered(kb):
        row = [doc.jurisdiction.name, doc.jurisdiction.code or "", doc.title, doc.id]
        for q in kb.questions:
            answers = book.of(doc, q)
            row.append(_cell(answers) if answers else book.status(doc, q))
        rows.append(row)
    return rows


def question_rows(kb: KnowledgeBase) -> list[list[str]]:
    """The codebook, header first: one row per question."""
    return [QUESTION_COLUMNS, *(_question_row(q) for q in kb.questions)]


def _question_row(q: Question) -> list[str]:
    return [q.id, q.topic.name, q.name, q.question, ANSWER_KIND_LABEL[q.kind],
            _STRICTER[q.stricter], q.definition or "", "；".join(q.include),
            "；".join(q.exclude)]


def answer_rows(kb: KnowledgeBase, book: Codebook | None = None) -> list[list[str]]:
    """Every answer, header first, one field per column."""
    book = book or codebook(kb)
    rows = [ANSWER_COLUMNS]
    for doc in _ordered(kb):
        for q in kb.questions:
            for a in book.of(doc, q):
                rows.append([
                    doc.jurisdiction.name, doc.jurisdiction.code or "", doc.title, doc.id,
                    q.topic.name, q.id, q.question, a.text,
                    QUALIFIER_LABEL[a.qualifier] if a.qualifier is not None else "",
                    a.applies_to or "", EDITORIAL if a.editorial else "原文载明",
                    a.attribution_reason or "", a.provision.label, a.provision.id, a.quote,
                ])
    return rows


def codebook_sheets(kb: KnowledgeBase) -> list[tuple[str, list[list[str]]]]:
    """The workbook sheets of the coded data: matrix, answers, codebook."""
    book = codebook(kb)
    return [("编码矩阵", matrix_rows(kb, book)), ("编码明细", answer_rows(kb, book)),
            ("编码手册", question_rows(kb))]


def csv_with_bom(table: list[list[str]]) -> str:
    """CSV text starting with exactly one byte order mark (whether or not ``csv_text`` adds
    one)."""
    text = csv_text(neutralised(table[0], table[1:]))
    return text if text.startswith(BOM) else BOM + text


def export_matrix_csv(kb: KnowledgeBase) -> str:
    return csv_with_bom(matrix_rows(kb))


def export_questions_csv(kb: KnowledgeBase) -> str:
    return csv_with_bom(question_rows(kb))
