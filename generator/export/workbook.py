"""The workbook (``data/policykb.xlsx``): clocks and duties as sheets of strings."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

import xlsxwriter

from generator.domain.model import KnowledgeBase
from generator.export.codebook import codebook_sheets
from generator.export.tables import CLOCK_COLUMNS, DUTY_COLUMNS, clock_rows, duty_rows
from generator.runtime.gc_policy import paused_collections


def export_xlsx(kb: KnowledgeBase) -> bytes:
    """Clocks, duties and the coded data as sheets of strings, the same bytes for the same
    input."""
    return xlsx_workbook([
        ("时限", [CLOCK_COLUMNS, *clock_rows(kb)]),
        ("职责", [DUTY_COLUMNS, *duty_rows(kb)]),
        *codebook_sheets(kb),
    ])


#: Document properties carry this date instead of the clock's; XlsxWriter itself dates every
#: zip entry 1980-01-01 when it writes in memory.
_DOC_DATE = dt.datetime(2000, 1, 1)
#: Characters that neither XML nor Excel's ``_xHHHH_`` escape (which XlsxWriter applies to
#: control characters) can carry; the loader refuses them in policy files already.
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")


@paused_collections()
def xlsx_workbook(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """An .xlsx whose every cell is a string (XlsxWriter), the same bytes for the same input.

    ``=SUM(A1)`` or ``-5个工作日`` is stored as the text it is, never as a formula, number or
    link.  An empty value is a blank cell, so a row of them still counts as a row.  A cell over
    Excel's limit of 32,767 characters is cut there (Excel could not open more; the CSV and the
    JSON keep it whole).
    """
    for _, table in sheets:
        bad = _XML_ILLEGAL.search("".join("".join(row) for row in table))
        if bad:
            raise ValueError(f"U+{ord(bad.group()):04X} cannot be stored in an XLSX cell")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    book.set_properties({"created": _DOC_DATE})
    blank = book.add_format()
    for name, table in sheets:
        sheet = book.add_worksheet(name)
        text, empty = sheet.write_string, sheet.write_blank
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if value:
                    text(r, c, value)
                else:
                    empty(r, c, None, blank)
    book.close()
    return out.getvalue()


