"""Clocks and duties as flat tables: one row per fact, for CSV and the workbook."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from generator.domain.model import KnowledgeBase
from generator.domain.wording import limit_text

CLOCK_COLUMNS = [
    "document", "jurisdiction", "clock", "topic", "actors", "actor_types", "trigger", "action",
    "limit", "unit", "value", "urgent_or_other_variants", "extension_max", "provision", "quote",
]
DUTY_COLUMNS = [
    "document", "jurisdiction", "duty", "topic", "actors", "actor_types", "role", "what",
    "provision", "quote",
]


def clock_rows(kb: KnowledgeBase) -> list[list[str]]:
    rows = []
    for doc in kb.documents:
        for c in doc.clocks:
            variants = "；".join(f"{v.when}：{limit_text(v.limit)}" for v in c.variants)
            ext = c.extension.max if c.extension else None
            rows.append([
                doc.id, doc.jurisdiction.id, c.id, c.topic.id, " ".join(a.id for a in c.actors),
                " ".join([a.type.id for a in c.actors]), c.trigger, c.action,
                limit_text(c.limit), c.limit.unit.value,
                "" if c.limit.value is None else str(c.limit.value), variants,
                limit_text(ext) if ext else "", c.provision.id, c.quote,
            ])
    return rows


def duty_rows(kb: KnowledgeBase) -> list[list[str]]:
    rows = []
    for doc in kb.documents:
        for d in doc.duties:
            rows.append([
                doc.id, doc.jurisdiction.id, d.id, d.topic.id, " ".join(a.id for a in d.actors),
                " ".join([a.type.id for a in d.actors]), d.role.value, d.what,
                d.provision.id, d.quote,
            ])
    return rows


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
    """The rows as CSV with ``\n`` line ends (quoting only where a cell needs it)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def export_clocks_csv(kb: KnowledgeBase) -> str:
    return csv_text(neutralised(CLOCK_COLUMNS, clock_rows(kb)))


def export_duties_csv(kb: KnowledgeBase) -> str:
    return csv_text(neutralised(DUTY_COLUMNS, duty_rows(kb)))


