"""The encoded documents against their sources: complete, faithful, nothing invented.

* every sentence of the source is in the encoded full text (compared on CJK characters and
  digits, so watermark noise and whitespace do not matter);
* every provision of the encoded text comes from the source;
* every number-bearing time limit or quantity and every 立即 in a provision is captured by a
  clock, variant, extension or quota quoting that provision.
"""

from __future__ import annotations

import re
from dataclasses import astuple
from pathlib import Path

import pytest

from generator.domain.model import Document, KnowledgeBase
from generator.pipeline import load_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"

#: A time limit or quantity as the texts write them.
MEASURE = re.compile(
    r"\d+\s*(?:个工作日|個工作日|小时|小時|日内|日內|学时|學時|人|次)|每半年|每年|每季度|立即"
)


#: Watermark noise in the Zhejiang source: runs of three or more short ASCII tokens.
NOISE = re.compile(r"[!-~]{1,3}(?:[ \t]+[!-~]{1,3}){2,}[ \t]*")


def source_sentences(text: str) -> list[str]:
    """Sentences of a seed, watermark noise removed; table rows split into their cells."""
    pieces: list[str] = []
    for line in text.splitlines():
        cells = line.split("|") if "|" in line else [line]
        for cell in (NOISE.sub("", c) for c in cells):
            if cell.strip().endswith(":"):
                continue  # a table label such as 名稱:
            pieces.extend(re.split(r"[。；;！？]", cell))
    return pieces


def core(text: str) -> str:
    """CJK characters and digits only: what survives any cleaning of noise or punctuation."""
    return "".join(re.findall(r"[\u3400-\u9fff\uf900-\ufaff0-9]", text))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge_base, report = load_knowledge_base(ROOT / "policies")
    assert knowledge_base is not None, "\n".join(d.format() for d in report.sorted())
    return knowledge_base


def seed_documents(kb: KnowledgeBase) -> list[Document]:
    return [d for d in kb.documents if d.source.seed]


def full_text(doc: Document) -> str:
    return "".join(
        (p.number or "") + (p.heading or "") + (p.text or "")
        for p in doc.all_provisions()
    )


def test_all_five_seeds_are_encoded(kb: KnowledgeBase) -> None:
    encoded = {d.source.seed for d in seed_documents(kb)}
    assert encoded == {p.name for p in SEEDS.glob("*.txt")}


def test_every_source_sentence_is_in_the_encoded_text(kb: KnowledgeBase) -> None:
    missing: list[str] = []
    for doc in seed_documents(kb):
        source = (SEEDS / str(doc.source.seed)).read_text(encoding="utf-8")
        encoded = core(doc.title) + core(full_text(doc))
        dates = [d.isoformat() for d in astuple(doc.dates) if d]
        metadata = core(" ".join(filter(None, [doc.title, doc.notice_title,
                                               doc.doc_number, *dates, *doc.notes])))
        for sentence in source_sentences(source):
            piece = core(sentence)
            if len(piece) >= 6 and piece not in encoded and piece not in metadata:
                missing.append(f"{doc.id}: {sentence.strip()[:60]}")
    assert not missing, "source sentences not in the encoded text:\n" + "\n".join(missing)


def test_no_provision_text_is_invented(kb: KnowledgeBase) -> None:
    invented: list[str] = []
    for doc in seed_documents(kb):
        source = core((SEEDS / str(doc.source.seed)).read_text(encoding="utf-8"))
        for p in doc.all_provisions():
            for part in (p.heading, p.text):
                for sentence in re.split(r"[。；;\n]", part or ""):
                    piece = core(sentence)
                    if piece and piece not in source:
                        invented.append(f"{doc.id}#{p.id}: {sentence[:60]}")
    assert not invented, "encoded text not found in the source:\n" + "\n".join(invented)


def test_every_time_limit_and_quantity_is_captured(kb: KnowledgeBase) -> None:
    uncaptured: list[str] = []
    for doc in kb.documents:
        quotes: dict[str, list[str]] = {}
        for c in doc.clocks:
            quotes.setdefault(c.provision.id, []).append(c.quote)
            for v in c.variants:
                quotes.setdefault(v.provision.id, []).append(v.quote)
            if c.extension is not None:
                quotes.setdefault(c.extension.provision.id, []).append(c.extension.quote)
        for q in doc.quotas:
            quotes.setdefault(q.provision.id, []).append(q.quote)
        for p in doc.all_provisions():
            text = (p.heading or "") + (p.text or "")
            for match in MEASURE.finditer(text):
                found = match.group(0)
                if not any(found in quote for quote in quotes.get(p.id, [])):
                    context = text[max(0, match.start() - 15): match.end() + 10]
                    uncaptured.append(f"{doc.id}#{p.id}: {found} … {context}")
    assert not uncaptured, "limits with no clock or quota:\n" + "\n".join(uncaptured)


def test_document_numbers_are_printed_in_the_source(kb: KnowledgeBase) -> None:
    for doc in seed_documents(kb):
        source = (SEEDS / str(doc.source.seed)).read_text(encoding="utf-8")
        if doc.doc_number is not None:
            assert doc.doc_number in source, doc.id
        for citation in doc.citations:
            if citation.doc_number is not None:
                assert citation.doc_number in source, (doc.id, citation.id)
