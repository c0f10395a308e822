"""The public data contract: the whole knowledge base as JSON, clocks and duties as CSV/XLSX.

Field names here are API (documented in docs/reference/export.md); add fields, never rename.
All output is deterministic: keys in a fixed order, lists sorted by id, no timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

from generator.model import KnowledgeBase, PolicyDocument, walk_provisions
from generator.schema import Clock, Limit, json_schema
from generator.wording import limit_text

EXPORT_VERSION = "1.0"


def _limit(limit: Limit) -> dict[str, Any]:
    return {
        "unit": limit.unit.value,
        "value": limit.value,
        "per": limit.per.value if limit.per else None,
        "date": limit.date,
        "label": limit_text(limit),
    }


def _clock(doc: PolicyDocument, clock: Clock) -> dict[str, Any]:
    return {
        "id": clock.id,
        "topic": clock.topic,
        "actors": clock.actors,
        "actor_types": [doc.actors[a].type for a in clock.actors],
        "recipient": clock.recipient,
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
                "provision": v.provision or clock.provision,
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
            "provision": clock.extension.provision or clock.provision,
            "quote": clock.extension.quote,
        },
        "consequence": clock.consequence,
        "provision": clock.provision,
        "quote": clock.quote,
    }


def document_record(doc: PolicyDocument) -> dict[str, Any]:
    """One document in the export: metadata, full text and every fact."""
    s = doc.spec
    return {
        "id": s.id,
        "title": s.title,
        "notice_title": s.notice_title,
        "doc_number": s.doc_number,
        "issuer": [i.name for i in s.issuers],
        "jurisdiction": s.jurisdiction,
        "kind": s.kind.value,
        "status": s.status.value,
        "issued": s.dates.issued.isoformat() if s.dates.issued else None,
        "published": s.dates.published.isoformat() if s.dates.published else None,
        "effective": s.dates.effective.isoformat() if s.dates.effective else None,
        "script": s.script.value,
        "source": s.source.model_dump(mode="json"),
        "notes": s.notes,
        "provisions": [
            {
                "id": p.id,
                "depth": depth,
                "number": p.number,
                "heading": p.heading,
                "text": p.text,
            }
            for depth, p in walk_provisions(s.provisions)
        ],
        "actors": [a.model_dump(mode="json") for a in s.actors],
        "duties": [d.model_dump(mode="json") for d in s.duties],
        "clocks": [_clock(doc, c) for c in s.clocks],
        "quotas": [q.model_dump(mode="json") for q in s.quotas],
        "procedures": [p.model_dump(mode="json", by_alias=True) for p in s.procedures],
        "citations": [c.model_dump(mode="json") for c in s.citations],
    }


def export_data(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "format": "policykb",
        "version": EXPORT_VERSION,
        "documents": [document_record(d) for d in kb.documents],
        "jurisdictions": [j.model_dump(mode="json") for j in kb.jurisdictions],
        "actor_types": [a.model_dump(mode="json") for a in kb.actor_types],
        "topics": [t.model_dump(mode="json") for t in kb.topics],
    }


def export_json(kb: KnowledgeBase) -> str:
    return json.dumps(export_data(kb), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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
        for c in doc.spec.clocks:
            variants = "；".join(f"{v.when}：{limit_text(v.limit)}" for v in c.variants)
            ext = c.extension.max if c.extension else None
            rows.append([
                doc.id, doc.spec.jurisdiction, c.id, c.topic, " ".join(c.actors),
                " ".join(doc.actors[a].type for a in c.actors), c.trigger, c.action,
                limit_text(c.limit), c.limit.unit.value,
                "" if c.limit.value is None else str(c.limit.value), variants,
                limit_text(ext) if ext else "", c.provision, c.quote,
            ])
    return rows


def duty_rows(kb: KnowledgeBase) -> list[list[str]]:
    rows = []
    for doc in kb.documents:
        for d in doc.spec.duties:
            rows.append([
                doc.id, doc.spec.jurisdiction, d.id, d.topic, " ".join(d.actors),
                " ".join(doc.actors[a].type for a in d.actors), d.role.value, d.what,
                d.provision, d.quote,
            ])
    return rows


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_neutralise_formula(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _neutralise_formula(cell: str) -> str:
    """Spreadsheet apps run cells starting with = + - @ as formulas (CSV injection)."""
    return "'" + cell if cell[:1] in {"=", "+", "-", "@", "\t", "\r"} else cell


def export_clocks_csv(kb: KnowledgeBase) -> str:
    return _csv(CLOCK_COLUMNS, clock_rows(kb))


def export_duties_csv(kb: KnowledgeBase) -> str:
    return _csv(DUTY_COLUMNS, duty_rows(kb))


def export_xlsx(kb: KnowledgeBase) -> bytes:
    """Clocks and duties as two sheets; zip entries get a fixed date so bytes are stable."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "clocks"
    for row in [CLOCK_COLUMNS, *clock_rows(kb)]:
        sheet.append([_neutralise_formula(c) for c in row])
    duties = book.create_sheet("duties")
    for row in [DUTY_COLUMNS, *duty_rows(kb)]:
        duties.append([_neutralise_formula(c) for c in row])
    book.properties.created = book.properties.modified = _EPOCH
    raw = io.BytesIO()
    book.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into dcterms:modified; pin it.
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    content,
                )
            target.writestr(fixed, content)
    return out.getvalue()


_EPOCH = dt.datetime(2000, 1, 1)


def export_files(kb: KnowledgeBase) -> dict[str, str | bytes]:
    """Every download, keyed by docs-relative path (under ``data/``)."""
    return {
        "data/policykb.json": export_json(kb),
        "data/clocks.csv": export_clocks_csv(kb),
        "data/duties.csv": export_duties_csv(kb),
        "data/policykb.xlsx": export_xlsx(kb),
        "data/document.schema.json": json.dumps(json_schema(), ensure_ascii=False, indent=2)
        + "\n",
    }
