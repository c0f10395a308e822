"""Every page that shows a fact says how far its document binds and when the facts were last
checked against the text (效力, 数据核对于…): document, procedure, topic, training, conflicts
and index pages, and the case guide's answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import load_kb

from generator.domain.graph import build_graph
from generator.domain.model import KnowledgeBase
from generator.render import RenderedSite, links, routing
from generator.render.context import RenderContext
from generator.render.site import render_site
from generator.render.validity import NOT_VERIFIED

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "kb-mini"
NESTED = ROOT / "tests" / "fixtures" / "kb-conflicts"
VERIFIED = "数据核对于2024年11月2日"  # jinhu-mini's source.verified


@pytest.fixture(scope="module")
def mini() -> tuple[KnowledgeBase, RenderedSite]:
    kb = load_kb(MINI)
    return kb, render_site(kb)


def _linked_documents(page: str, text: str) -> set[str]:
    """Ids of the document pages that ``text`` (part of ``page``) links to."""
    found = set()
    for target in re.findall(r"\]\(([^)#\s]+)", text):
        path = _normalise(Path(page).parent, target)
        if path.startswith("documents/") and path.count("/") == 1 \
                and path != "documents/index.md":
            found.add(path.removeprefix("documents/").removesuffix(".md"))
    return found


def _normalise(folder: Path, target: str) -> str:
    parts: list[str] = [p for p in folder.as_posix().split("/") if p and p != "."]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def test_document_and_procedure_pages_say_when_the_facts_were_checked(
        mini: tuple[KnowledgeBase, RenderedSite]) -> None:
    pages = mini[1].pages
    assert "| 数据核对日期 | 2024年11月2日（编者对照原文核对本页各项事实的日期） |" in \
        pages["documents/jinhu-mini.md"]
    assert "| 数据核对日期 | 未记录 |" in pages["documents/guanyun-mini.md"]
    transfer = pages["documents/jinhu-mini/transfer-flow.md"]
    validity = transfer.split('<div class="pk-validity"', 1)[1].split("</div>", 1)[0]
    assert "**效力：**" in validity and VERIFIED in validity


def test_topic_overview_names_each_documents_validity_and_check(
        mini: tuple[KnowledgeBase, RenderedSite]) -> None:
    kb, site = mini
    page = site.pages["topics/case-transfer.md"]
    overview = page.split("{ #kb--overview }", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in overview.splitlines() if line.startswith("| [")]
    covering = [r for r in rows if "未涉及" not in r]
    assert covering, "kb-mini covers case-transfer"
    for row in covering:
        documents = row.split(" | ")[1]
        for doc_id in _linked_documents("topics/case-transfer.md", documents):
            doc = kb.document_by_id[doc_id]
            assert "pk-badge--" + doc.status.value in documents
            assert (VERIFIED if doc.source.verified else NOT_VERIFIED) in documents, row


def test_training_sheet_lists_every_document_it_cites_with_its_validity(
        mini: tuple[KnowledgeBase, RenderedSite]) -> None:
    kb, site = mini
    for path, page in site.pages.items():
        if not path.startswith("training/") or path == links.TRAINING_INDEX:
            continue
        head, _, rest = page.partition("**本页依据的文件及其效力：**")
        sources, _, tail = rest.partition("</div>")
        cited = _linked_documents(path, head + tail)
        listed = _linked_documents(path, sources)
        assert cited <= listed, (path, cited - listed)
        for doc_id in listed:
            line = next(s for s in sources.splitlines() if f"{doc_id}.md" in s)
            verified = kb.document_by_id[doc_id].source.verified
            assert (VERIFIED if verified else NOT_VERIFIED) in line, line


def test_conflicts_carry_the_validity_of_both_rules() -> None:
    pages = render_site(load_kb(NESTED)).pages
    table = pages[links.CONFLICTS_INDEX].split("{ #kb--possible-conflicts }", 1)[1]
    rows = [line for line in table.split("\n## ", 1)[0].splitlines()
            if line.startswith("| [")]
    assert rows
    for row in rows:
        local, higher = row.split(" | ")[2:4]
        assert "pk-badge--" in local and "pk-badge--" in higher
        assert "数据核对" in local and "数据核对" in higher


def test_the_case_guide_knows_each_documents_validity(
        mini: tuple[KnowledgeBase, RenderedSite]) -> None:
    kb = mini[0]
    ctx = RenderContext(kb, build_graph(kb))
    data = routing.document_data(ctx, kb.document_by_id["jinhu-mini"])
    assert data["validity"] == "有效" and data["verified"] == VERIFIED
    other = json.loads(json.dumps(routing.document_data(ctx, kb.document_by_id["hostile-mini"])))
    assert other["verified"] == NOT_VERIFIED
