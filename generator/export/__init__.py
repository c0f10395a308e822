"""Export stage: the knowledge base as data files beside the pages (and ``policykb export``).

Reads the domain model only.  Every file is the same bytes for the same knowledge base.
"""

from __future__ import annotations

from generator.domain.model import KnowledgeBase
from generator.export.codebook import (
    codebook_sheets,
    csv_with_bom,
    export_matrix_csv,
    export_questions_csv,
)
from generator.export.contract import (
    EXPORT_VERSION,
    export_data,
    export_json,
    json_bytes,
    schema_json,
)
from generator.export.tables import (
    CLOCK_COLUMNS,
    DUTY_COLUMNS,
    clock_rows,
    csv_text,
    duty_rows,
    export_clocks_csv,
    export_duties_csv,
    neutralised,
    topic_csv_files,
    topic_csv_path,
)
from generator.export.workbook import export_xlsx, xlsx_workbook
from generator.runtime.gc_policy import paused_collections

#: What ``export_files`` always writes, docs-relative (the data page links each of them);
#: besides these, one CSV per topic and kind of fact (``topic_csv_path``).
EXPORTED_FILES = ("data/clocks.csv", "data/codebook.csv", "data/document.schema.json",
                  "data/duties.csv", "data/policykb.json", "data/policykb.xlsx",
                  "data/questions.csv")


@paused_collections()
def export_files(kb: KnowledgeBase) -> dict[str, str | bytes]:
    """Every download, keyed by docs-relative path (under ``data/``).

    The JSON files come as UTF-8 bytes: they are written that way, and decoding 10 MB only for
    the caller to encode it again costs more than writing it.
    """
    clocks = [CLOCK_COLUMNS, *clock_rows(kb)]
    duties = [DUTY_COLUMNS, *duty_rows(kb)]
    coded = codebook_sheets(kb)
    sheets = dict(coded)
    return {
        "data/policykb.json": json_bytes(export_data(kb)),
        "data/clocks.csv": csv_text(neutralised(clocks[0], clocks[1:])),
        "data/duties.csv": csv_text(neutralised(duties[0], duties[1:])),
        "data/codebook.csv": csv_with_bom(sheets["编码矩阵"]),
        "data/questions.csv": csv_with_bom(sheets["编码手册"]),
        "data/policykb.xlsx": xlsx_workbook([("时限", clocks), ("职责", duties), *coded]),
        "data/document.schema.json": schema_json(),
        **topic_csv_files(kb),
    }


__all__ = [
    "CLOCK_COLUMNS", "DUTY_COLUMNS", "EXPORTED_FILES", "EXPORT_VERSION", "clock_rows", "duty_rows",
    "export_clocks_csv", "export_data", "export_duties_csv", "export_files", "export_json",
    "export_matrix_csv", "export_questions_csv", "export_xlsx", "topic_csv_files",
    "topic_csv_path", "xlsx_workbook",
]
