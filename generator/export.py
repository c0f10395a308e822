"""The public data contract: the whole knowledge base as JSON, clocks and duties as CSV/XLSX.

Field names here are API (documented in docs/reference/export.md); add fields, never rename.
All output is deterministic: keys in a fixed order, lists sorted by id, no timestamps.

It runs on every build, so it is written for speed: records built straight from the domain
model, orjson for the 2-space JSON (byte-identical to ``json.dumps``), the flat rows built once
for CSV and XLSX (the csv module, XlsxWriter), and the garbage collector paused meanwhile.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gc
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
import xlsxwriter

from generator.domain.model import (
    ActorType,
    Clock,
    Document,
    Jurisdiction,
    KnowledgeBase,
    Limit,
    Procedure,
    Topic,
)
from generator.domain.wording import limit_text
from generator.source.schema import json_schema

EXPORT_VERSION = "1.1"
#: What ``export_files`` writes, docs-relative (the data page links each of them).
EXPORTED_FILES = ("data/clocks.csv", "data/document.schema.json", "data/duties.csv",
                  "data/policykb.json", "data/policykb.xlsx")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Export allocates ~10^4 containers per document and frees them by reference count (it
    makes no cycles), yet the allocations trigger full collections that walk the whole knowledge
    base: at 1,000 documents they made export_files 1.6x slower.  Pause the collector meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _limit(limit: Limit) -> dict[str, Any]:
    return {
        "unit": limit.unit.value,
        "value": limit.value,
        "per": limit.per.value if limit.per else None,
        "date": limit.date,
        "label": limit_text(limit),
    }


def _ids(items: Iterable[Any]) -> list[str]:
    return [i.id for i in items]


def _clock(clock: Clock) -> dict[str, Any]:
    return {
        "id": clock.id,
        "topic": clock.topic.id,
        "actors": _ids(clock.actors),
        "actor_types": [a.type.id for a in clock.actors],
        "recipient": _ids(clock.recipients),
        "trigger": clock.trigger,
        "action": clock.action,
        "value": clock.limit.value,
        "unit": clock.limit.unit.value,
        "limit": _limit(clock.limit),
        "variants": [
            {
                "when": v.when,
                "action": v.action,
                "value": v.limit.value,
                "unit": v.limit.unit.value,
                "limit": _limit(v.limit),
                "provision": v.provision.id,
                "quote": v.quote,
            }
            for v in clock.variants
        ],
        "extension": None
        if clock.extension is None
        else {
            "condition": clock.extension.condition,
            "requires": clock.extension.requires,
            "max": _limit(clock.extension.max) if clock.extension.max else None,
            "provision": clock.extension.provision.id,
            "quote": clock.extension.quote,
        },
        "consequence": clock.consequence,
        "provision": clock.provision.id,
        "quote": clock.quote,
    }


def _procedure(p: Procedure) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "topic": p.topic.id,
        "description": p.description,
        "lanes": _ids(p.lanes),
        "steps": [{"provision": s.provision.id, "quote": s.quote, "id": s.id,
                   "actor": s.actor.id, "label": s.label, "kind": s.kind.value}
                  for s in p.steps],
        "edges": [{"from": e.source.id, "to": e.target.id, "condition": e.condition,
                   "clock": e.clock.id if e.clock else None,
                   "variant": e.variant.index if e.variant else None}
                  for e in p.edges],
    }


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def document_record(doc: Document) -> dict[str, Any]:
    """One document in the export: metadata, full text and every fact."""
    return {
        "id": doc.id,
        "title": doc.title,
        "notice_title": doc.notice_title,
        "doc_number": doc.doc_number,
        "issuer": [i.name for i in doc.issuers],
        "jurisdiction": doc.jurisdiction.id,
        "kind": doc.kind.value,
        "status": doc.status.value,
        "issued": _day(doc.dates.issued),
        "published": _day(doc.dates.published),
        "effective": _day(doc.dates.effective),
        "script": doc.script.value,
        "source": {"seed": doc.source.seed, "url": doc.source.url,
                   "publisher": doc.source.publisher, "retrieved": _day(doc.source.retrieved)},
        "notes": list(doc.notes),
        "summary": doc.summary,
        "provisions": [
            {
                "id": p.id,
                "depth": p.depth,
                "number": p.number,
                "heading": p.heading,
                "text": p.text,
            }
            for p in doc.all_provisions()
        ],
        "actors": [{"id": a.id, "name": a.name, "type": a.type.id, "aliases": list(a.aliases),
                    "note": a.note} for a in doc.actors],
        "duties": [{"provision": d.provision.id, "quote": d.quote, "id": d.id,
                    "actors": _ids(d.actors), "role": d.role.value, "topic": d.topic.id,
                    "what": d.what} for d in doc.duties],
        "clocks": [_clock(c) for c in doc.clocks],
        "quotas": [{"provision": q.provision.id, "quote": q.quote, "id": q.id,
                    "topic": q.topic.id, "actors": _ids(q.actors), "what": q.what,
                    "comparator": q.comparator, "value": q.value, "unit": q.unit,
                    "per": q.per.value if q.per else None, "scope": q.scope}
                   for q in doc.quotas],
        "procedures": [_procedure(p) for p in doc.procedures],
        "citations": [{"provision": c.provision.id, "quote": c.quote, "id": c.id,
                       "title": c.title, "doc_number": c.doc_number, "issuer": c.issuer,
                       "document": c.target.id if c.target else None}
                      for c in doc.citations],
    }


def _jurisdiction(j: Jurisdiction) -> dict[str, Any]:
    return {"id": j.id, "name": j.name, "level": j.level.value,
            "parent": j.parent.id if j.parent else None, "code": j.code}


def _actor_type(a: ActorType) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "description": a.description, "order": a.order}


def _topic(t: Topic) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "question": t.question, "description": t.description,
            "order": t.order}


def export_data(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "format": "policykb",
        "version": EXPORT_VERSION,
        "documents": [document_record(d) for d in kb.documents],
        "jurisdictions": [_jurisdiction(j) for j in kb.jurisdictions],
        "actor_types": [_actor_type(a) for a in kb.actor_types],
        "topics": [_topic(t) for t in kb.topics],
    }


def _json_bytes(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2) + "\\n"`` in UTF-8, byte for byte, ~20x
    faster.

    orjson writes the same 2-space layout and escapes (checked in tests/test_export.py) for the
    str/int/None/bool/list/dict values the contract holds.  It refuses what json accepts
    (integers beyond 64 bits, lone surrogates, non-str keys); those take the slow path.  Floats
    would differ (orjson ``1e16`` vs json ``1e+16``): the contract has none.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@_gc_paused()
def export_json(kb: KnowledgeBase) -> str:
    return _json_bytes(export_data(kb)).decode("utf-8")


@functools.cache
def _schema_json() -> bytes:
    """The JSON Schema of a policy file depends on the code only: build it once a process."""
    return _json_bytes(json_schema())


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
                doc.id, doc.jurisdiction.id, c.id, c.topic.id, " ".join(_ids(c.actors)),
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
                doc.id, doc.jurisdiction.id, d.id, d.topic.id, " ".join(_ids(d.actors)),
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


def _neutralised(header: list[str], rows: Iterable[list[str]]) -> list[list[str]]:
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


def _csv(table: list[list[str]]) -> str:
    """The rows as CSV with ``\n`` line ends (quoting only where a cell needs it)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def export_clocks_csv(kb: KnowledgeBase) -> str:
    return _csv(_neutralised(CLOCK_COLUMNS, clock_rows(kb)))


def export_duties_csv(kb: KnowledgeBase) -> str:
    return _csv(_neutralised(DUTY_COLUMNS, duty_rows(kb)))


def export_xlsx(kb: KnowledgeBase) -> bytes:
    """Clocks and duties as two sheets of strings, the same bytes for the same input."""
    return xlsx_workbook([
        ("clocks", [CLOCK_COLUMNS, *clock_rows(kb)]),
        ("duties", [DUTY_COLUMNS, *duty_rows(kb)]),
    ])


#: Document properties carry this date instead of the clock's; XlsxWriter itself dates every
#: zip entry 1980-01-01 when it writes in memory.
_DOC_DATE = dt.datetime(2000, 1, 1)
#: Characters that neither XML nor Excel's ``_xHHHH_`` escape (which XlsxWriter applies to
#: control characters) can carry; the loader refuses them in policy files already.
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")


@_gc_paused()
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


@_gc_paused()
def export_files(kb: KnowledgeBase) -> dict[str, str | bytes]:
    """Every download, keyed by docs-relative path (under ``data/``).

    The JSON files come as UTF-8 bytes: they are written that way, and decoding 10 MB only for
    the caller to encode it again costs more than writing it.
    """
    clocks = [CLOCK_COLUMNS, *clock_rows(kb)]
    duties = [DUTY_COLUMNS, *duty_rows(kb)]
    return {
        "data/policykb.json": _json_bytes(export_data(kb)),
        "data/clocks.csv": _csv(_neutralised(clocks[0], clocks[1:])),
        "data/duties.csv": _csv(_neutralised(duties[0], duties[1:])),
        "data/policykb.xlsx": xlsx_workbook([("clocks", clocks), ("duties", duties)]),
        "data/document.schema.json": _schema_json(),
    }
