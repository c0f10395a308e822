"""The public data contract: the whole knowledge base as JSON, clocks and duties as CSV/XLSX.

Field names here are API (documented in docs/reference/export.md); add fields, never rename.
All output is deterministic: keys in a fixed order, lists sorted by id, no timestamps.

It runs on every build, so it is written for speed (budget ~1 ms per document): two pydantic
dumps per document instead of one per fact, orjson for the 2-space JSON (byte-identical to
``json.dumps``), the flat rows built once for CSV and XLSX, a small SpreadsheetML writer instead
of openpyxl, and the garbage collector paused meanwhile.
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
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

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
    """Spreadsheet apps run cells starting with = + - @ as formulas (CSV injection)."""
    return "'" + cell if cell[:1] in _FORMULA_START else cell


#: A cell that starts like a formula, in a row joined with a leading NUL before every cell.  A
#: hit sends the row through the per-cell check; a NUL inside a cell can only cause a needless
#: check, never a miss.  A leading literal lets the regex engine skip ahead (4x faster than
#: checking each cell in Python).
_FORMULA_IN_ROW = re.compile("\x00[=+\\-@\t\r]")


def _neutralised(header: list[str], rows: Iterable[list[str]]) -> list[list[str]]:
    """Header plus rows, every cell neutralised; shared by the CSV and the XLSX writer."""
    table = []
    search = _FORMULA_IN_ROW.search
    for row in (header, *rows):
        if search("\x00" + "\x00".join(row)):
            row = [_neutralise_formula(c) for c in row]
        table.append(row)
    return table


class _Lines(list[str]):
    """A csv.writer target that keeps each written line."""

    def write(self, line: str) -> None:
        self.append(line)


def _csv(table: list[list[str]]) -> str:
    """What ``csv.writer(lineterminator="\n").writerows(table)`` writes, a little faster: a row
    with no comma, quote, CR, LF or NUL inside a cell is the plain join; csv.writer does the rest.
    """
    lines = _Lines()
    write = csv.writer(lines, lineterminator="\n").writerow
    for row in table:
        line = ",".join(row)
        if (len(row) > 1 and line.count(",") == len(row) - 1 and '"' not in line
                and "\n" not in line and "\r" not in line and "\x00" not in line):
            lines.append(line + "\n")
        else:
            write(row)
    return "".join(lines)


def export_clocks_csv(kb: KnowledgeBase) -> str:
    return _csv(_neutralised(CLOCK_COLUMNS, clock_rows(kb)))


def export_duties_csv(kb: KnowledgeBase) -> str:
    return _csv(_neutralised(DUTY_COLUMNS, duty_rows(kb)))


def export_xlsx(kb: KnowledgeBase) -> bytes:
    """Clocks and duties as two sheets; zip entries get a fixed date so bytes are stable."""
    return xlsx_workbook([
        ("clocks", _neutralised(CLOCK_COLUMNS, clock_rows(kb))),
        ("duties", _neutralised(DUTY_COLUMNS, duty_rows(kb))),
    ])


# --- a minimal SpreadsheetML (XLSX) writer ---------------------------------------------------
# openpyxl spent ~15 ms per document on cell objects and XML serialisation, XlsxWriter ~5 ms;
# the format needs only string cells here, so the package is written directly: one shared
# string table, fixed zip dates and document properties, no styles beyond the default.

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)
_DOC_DATE = "2000-01-01T00:00:00Z"
#: Characters XML 1.0 cannot carry at all (the loader already refuses them in policy files).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _escape(text: str) -> str:
    # CR is written as a reference: a literal one would be read back as LF.
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;"))


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _ColumnCells(dict[str, str]):
    """Cell XML by value for one column, with ``#`` standing for the row number.

    A cell refers to its text by shared-string index, so its XML depends on the column, the
    value and the row only; filling in the row with one ``str.replace`` per row lets a whole
    row be built by ``map`` and ``join`` in C (~2.5x faster than formatting every cell).  An
    empty value gives a cell without a value, as openpyxl wrote it (so a row of empty cells
    still counts as a row).  ``#`` cannot occur otherwise: the sheet holds indices, never text.
    """

    def __init__(self, letter: str, strings: dict[str, int]) -> None:
        super().__init__({"": f'<c r="{letter}#"/>'})
        self.letter = letter
        self.strings = strings

    def __missing__(self, value: str) -> str:
        index = self.strings.get(value)
        if index is None:
            index = self.strings[value] = len(self.strings)
        cell = self[value] = f'<c r="{self.letter}#" t="s"><v>{index}</v></c>'
        return cell


def _sheet_xml(table: Sequence[Sequence[str]], strings: dict[str, int]) -> str:
    """A worksheet whose cells index the shared strings (added to ``strings`` as met)."""
    width = max((len(row) for row in table), default=1)
    columns = [_ColumnCells(_column_letter(i), strings) for i in range(width)]
    cell = dict.__getitem__  # calls _ColumnCells.__missing__ for a value not seen yet
    rows = [
        ('<row r="#">' + "".join(map(cell, columns, row)) + "</row>").replace("#", str(number))
        for number, row in enumerate(table, 1)
    ]
    return (f'{_XML_DECL}<worksheet xmlns="{_MAIN_NS}"><dimension ref="A1:{columns[-1].letter}'
            f'{max(len(table), 1)}"/><sheetData>{"".join(rows)}</sheetData></worksheet>')


def _shared_strings_xml(strings: dict[str, int], count: int) -> str:
    items = [
        f'<si><t xml:space="preserve">{_escape(s)}</t></si>' if s != s.strip()
        else f"<si><t>{_escape(s)}</t></si>"
        for s in strings  # insertion order is index order
    ]
    text = "".join(items)
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise ValueError(f"U+{ord(bad.group()):04X} cannot be stored in an XLSX cell")
    return (f'{_XML_DECL}<sst xmlns="{_MAIN_NS}" count="{count}" uniqueCount="{len(strings)}">'
            f"{text}</sst>")


def xlsx_workbook(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """An .xlsx of string-only sheets, the same bytes for the same input (no clock, no seed)."""
    strings: dict[str, int] = {}
    parts: list[tuple[str, str]] = []
    count = 0
    for number, (_, table) in enumerate(sheets, 1):
        parts.append((f"xl/worksheets/sheet{number}.xml", _sheet_xml(table, strings)))
        count += sum(len(row) - row.count("") for row in table)
    numbers = range(1, len(sheets) + 1)
    sheet_entries = "".join(
        f'<sheet name="{_escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _) in zip(numbers, sheets, strict=True)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in numbers
    )
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in numbers
    )
    after = len(sheets)
    package = [
        ("[Content_Types].xml",
         f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
         f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
         f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
         f"{sheet_types}"
         f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
         f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
         f'<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
         f'package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType='
         f'"application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        ("_rels/.rels",
         f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
         f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
         f'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
         f'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
         f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" '
         f'Target="docProps/app.xml"/></Relationships>'),
        ("docProps/app.xml",
         f'{_XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
         f'extended-properties"><Application>policykb</Application></Properties>'),
        ("docProps/core.xml",
         f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
         f'2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
         f'xmlns:dcterms="http://purl.org/dc/terms/" '
         f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>policykb'
         f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{_DOC_DATE}</dcterms:created>'
         f'<dcterms:modified xsi:type="dcterms:W3CDTF">{_DOC_DATE}</dcterms:modified>'
         f"</cp:coreProperties>"),
        ("xl/_rels/workbook.xml.rels",
         f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">{sheet_rels}'
         f'<Relationship Id="rId{after + 1}" Type="{_REL_NS}/sharedStrings" '
         f'Target="sharedStrings.xml"/><Relationship Id="rId{after + 2}" '
         f'Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'),
        ("xl/sharedStrings.xml", _shared_strings_xml(strings, count)),
        ("xl/styles.xml", _STYLES),
        ("xl/workbook.xml",
         f'{_XML_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><bookViews>'
         f'<workbookView activeTab="0"/></bookViews><sheets>{sheet_entries}</sheets></workbook>'),
        *parts,
    ]
    return _zip([(name, text.encode("utf-8")) for name, text in package])


#: The smallest style sheet Excel accepts without a repair prompt: one font, the two
#: mandatory fills, one border, the Normal style.
_STYLES = (
    f'{_XML_DECL}<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """Deflated entries with a fixed date, Unix mode 0644 and no extra fields: stable bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix on every platform, else the header differs on Windows
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=_COMPRESS_LEVEL)
    return out.getvalue()


#: Level 1 deflates the n100 workbook in 13 ms to 470 kB; level 6 takes 54 ms for 370 kB (the
#: openpyxl file was 840 kB).  Part of the byte-stable output: change it only with intent.
_COMPRESS_LEVEL = 1


@_gc_paused()
def export_files(kb: KnowledgeBase) -> dict[str, str | bytes]:
    """Every download, keyed by docs-relative path (under ``data/``).

    The JSON files come as UTF-8 bytes: they are written that way, and decoding 10 MB only for
    the caller to encode it again costs more than writing it.
    """
    clocks = _neutralised(CLOCK_COLUMNS, clock_rows(kb))
    duties = _neutralised(DUTY_COLUMNS, duty_rows(kb))
    return {
        "data/policykb.json": _json_bytes(export_data(kb)),
        "data/clocks.csv": _csv(clocks),
        "data/duties.csv": _csv(duties),
        "data/policykb.xlsx": xlsx_workbook([("clocks", clocks), ("duties", duties)]),
        "data/document.schema.json": _schema_json(),
    }
