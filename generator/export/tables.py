"""Clocks and duties as flat tables: one row per fact, for CSV and the workbook.

Headers and enumerated values are Chinese (镇街, 及时, 负责 …), as an officer reads them in
Excel; each row carries the document's title and the clause number as printed (三、（一）1.)
beside the ids that a program joins on.  ``csv_text`` is the one CSV writer: UTF-8 with a byte
order mark, without which Excel on Chinese Windows reads the file as GBK and shows mojibake.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from generator.domain.model import Clock, Duty, KnowledgeBase, Topic
from generator.domain.wording import ROLE_LABEL, STATUS_LABEL, UNIT_LABEL, limit_text

CLOCK_COLUMNS = [
    "文件标题", "辖区", "效力", "专题", "责任方", "责任方类别", "情形", "行为", "时限", "时限单位",
    "数值", "紧急等情形", "延长上限", "条款", "原文摘录", "文件ID", "时限ID", "条款ID",
]
DUTY_COLUMNS = [
    "文件标题", "辖区", "效力", "专题", "主体", "主体类别", "角色", "职责", "条款", "原文摘录",
    "文件ID", "职责ID", "条款ID",
]
#: Byte order mark that ``csv_text`` puts first.
BOM = "\ufeff"


def clock_row(c: Clock) -> list[str]:
    doc = c.document
    variants = "；".join(f"{v.when}：{limit_text(v.limit)}" for v in c.variants)
    ext = c.extension.max if c.extension else None
    return [
        doc.title, doc.jurisdiction.name, STATUS_LABEL[doc.status], c.topic.name,
        "、".join(a.name for a in c.actors), "、".join(a.type.name for a in c.actors),
        c.trigger, c.action, limit_text(c.limit), UNIT_LABEL[c.limit.unit],
        "" if c.limit.value is None else str(c.limit.value), variants,
        limit_text(ext) if ext else "", c.provision.label, c.quote, doc.id, c.id,
        c.provision.id,
    ]


def duty_row(d: Duty) -> list[str]:
    doc = d.document
    return [
        doc.title, doc.jurisdiction.name, STATUS_LABEL[doc.status], d.topic.name,
        "、".join(a.name for a in d.actors), "、".join(a.type.name for a in d.actors),
        ROLE_LABEL[d.role], d.what, d.provision.label, d.quote, doc.id, d.id, d.provision.id,
    ]


def clock_rows(kb: KnowledgeBase, topic: Topic | None = None) -> list[list[str]]:
    """Every clock (of ``topic`` when given), documents in the model's order."""
    return [clock_row(c) for doc in kb.documents for c in doc.clocks
            if topic is None or c.topic is topic]


def duty_rows(kb: KnowledgeBase, topic: Topic | None = None) -> list[list[str]]:
    """Every duty (of ``topic`` when given), documents in the model's order."""
    return [duty_row(d) for doc in kb.documents for d in doc.duties
            if topic is None or d.topic is topic]


#: First characters that make a spreadsheet app run a cell as a formula.
_FORMULA_START = frozenset({"=", "+", "-", "@", "\t", "\r"})


def _neutralise_formula(cell: str) -> str:
    """Spreadsheet apps run CSV cells starting with = + - @ as formulas (CSV injection)."""
    return "'" + cell if cell[:1] in _FORMULA_START else cell


#: A cell that starts like a formula, in a row joined with a leading NUL before every cell.  A
#: hit sends the row through the per-cell check; a NUL inside a cell can only cause a needless
#: check, never a miss.  A leading literal lets the regex engine skip ahead (4x faster than
#: checking each cell in Python).
_FORMULA_IN_ROW = re.compile("\x00[=+\\-@\t\r]")


def neutralised(header: list[str], rows: Iterable[list[str]]) -> list[list[str]]:
    """Header plus rows for CSV, every cell neutralised.

    CSV only: a CSV file has no types, so a spreadsheet app guesses them and runs ``=SUM(A1)``.
    The workbook stores every cell as a string, which no app runs, so it gets the text as is.
    """
    table = []
    search = _FORMULA_IN_ROW.search
    for row in (header, *rows):
        if search("\x00" + "\x00".join(row)):
            row = [_neutralise_formula(c) for c in row]
        table.append(row)
    return table


def csv_text(table: list[list[str]]) -> str:
    """The rows as CSV with ``\\n`` line ends (quoting only where a cell needs it), after a
    byte order mark: Excel opens the file as UTF-8 only when it starts with one."""
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def export_clocks_csv(kb: KnowledgeBase) -> str:
    return csv_text(neutralised(CLOCK_COLUMNS, clock_rows(kb)))


def export_duties_csv(kb: KnowledgeBase) -> str:
    return csv_text(neutralised(DUTY_COLUMNS, duty_rows(kb)))


def topic_csv_files(kb: KnowledgeBase) -> dict[str, str]:
    """Per topic, its clocks and its duties: ``data/topics/<topic>/clocks.csv`` and
    ``…/duties.csv`` (a topic without any has none)."""
    files = {}
    for topic in kb.topics:
        for name, header, rows in (("clocks", CLOCK_COLUMNS, clock_rows(kb, topic)),
                                   ("duties", DUTY_COLUMNS, duty_rows(kb, topic))):
            if rows:
                files[topic_csv_path(topic.id, name)] = csv_text(neutralised(header, rows))
    return files


def topic_csv_path(topic_id: str, name: str) -> str:
    """``data/topics/<topic>/<name>.csv`` (docs-relative)."""
    return f"data/topics/{topic_id}/{name}.csv"
