"""Pages that grow with the knowledge base are split along the jurisdiction tree to fit the
page budget; small knowledge bases keep one page per topic and index."""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

import markdown
import pytest
from conftest import load_kb

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import synthesise  # noqa: E402
from generator.domain.graph import build_graph  # noqa: E402
from generator.domain.model import KnowledgeBase  # noqa: E402
from generator.domain.resolve import resolve  # noqa: E402
from generator.domain.wording import comparable_hours, limit_text  # noqa: E402
from generator.pipeline import check_policies  # noqa: E402
from generator.publish.graphviz import render_svgs  # noqa: E402
from generator.render import RenderedSite, diagram_placeholder, training  # noqa: E402
from generator.render.context import RenderContext  # noqa: E402
from generator.render.paging import CHROME_BYTES, PAGE_BUDGET, Size, plan  # noqa: E402
from generator.render.site import render_site  # noqa: E402
from generator.render.topic import LOOSEST, STRICTEST, TopicPages  # noqa: E402
from generator.render.validity import MAX_SOURCES  # noqa: E402

EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "admonition",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"]
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
SPLIT = ("topics/", "indexes/", "documents/index.md")


SLOW = pytest.mark.slow


@pytest.fixture(scope="module")
def synthetic_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "policies"
    synthesise(60, out, seed=3)
    return out


@pytest.fixture(scope="module")
def synthetic(synthetic_root: Path) -> KnowledgeBase:
    return load_kb(synthetic_root)


@pytest.fixture(scope="module")
def synthetic_site(synthetic: KnowledgeBase) -> RenderedSite:
    return render_site(synthetic)


def _html_bytes(page: str, svgs: dict[str, str]) -> int:
    html = markdown.markdown(FRONT_MATTER.sub("", page), extensions=EXTENSIONS)
    size = len(html.encode("utf-8")) + CHROME_BYTES
    for path, svg in svgs.items():
        if diagram_placeholder(path) in page:
            size += len(svg.encode("utf-8"))
    return size


@SLOW
def test_every_split_page_fits_the_budget(synthetic_site: RenderedSite) -> None:
    site = synthetic_site
    assert "topics/case-transfer.md" in site.pages
    parts = [p for p in site.pages if re.match(r"topics/[^/]+/[^/]+\.md$", p)
             and "/" not in p.removeprefix("topics/").split("/", 1)[1]
             and not p.startswith("topics/index")]
    assert parts, "60 documents do not fit one topic page: the topics are split"
    charts = [d for d in site.diagrams if d.path.startswith("diagrams/citations")]
    assert len(charts) > 1, "the citation graph is split too"
    svgs, problems = render_svgs(charts)
    assert not [p for p in problems if p.error]
    for path, page in site.pages.items():
        if path.startswith(SPLIT):
            assert _html_bytes(page, svgs) <= PAGE_BUDGET, path


@SLOW
def test_pooled_pages_count_their_documents_past_the_cap(synthetic_site: RenderedSite) -> None:
    """The matrix pools every document with duties: past MAX_SOURCES it counts them by status
    and links to the list of all documents instead of naming each (832 KB at 3,000)."""
    page = synthetic_site.pages["indexes/matrix.md"]
    block = page.split("**本页依据的文件及其效力：**", 1)[1].split("</div>", 1)[0]
    total = re.match(r"共 (\d+) 份文件（(.*?)）。", block)
    assert total and int(total.group(1)) > MAX_SOURCES, block[:200]
    counted = sum(int(n) for n in re.findall(r" (\d+) 份", total.group(2)))
    assert counted == int(total.group(1))
    assert "[全部文件](../documents/index.md)" in block and "\n- [" not in block


@SLOW
def test_training_answers_name_a_bounded_number_of_tied_places(
        synthetic: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tie of hundreds (2小时内 in 162 places at 3,000) cites its first MAX_TIED places per
    side and counts the rest, so the sheet stays within the page budget (here one place per
    side, so that 60 documents tie beyond it)."""
    monkeypatch.setattr(training, "MAX_TIED", 1)
    site = render_site(synthetic)
    counted = 0
    for path, page in site.pages.items():
        if not path.startswith("training/") or path == "training/index.md":
            continue
        assert _html_bytes(page, {}) <= PAGE_BUDGET, path
        answers = page.split("{ #kb--answers }", 1)[1]
        for item in re.split(r"\n\d+\. ", answers)[1:]:
            answer, *lines = item.splitlines()
            if not answer.startswith("**最严："):
                continue
            basis = [line for line in lines if line.startswith("    - ")]
            more = [line for line in basis if "处相同的规定，见专题页的" in line]
            # one basis per place the answer names, the places it does not name counted
            assert len(basis) - len(more) == answer.count("](../jurisdictions/"), item[:200]
            assert len(more) == ("处）" in answer), item[:200]
            counted += len(more)
    assert counted, "ties beyond one place are counted, not cited"


@SLOW
def test_summary_names_every_part_and_the_extremes_of_each_question(
        synthetic: KnowledgeBase, synthetic_site: RenderedSite) -> None:
    ctx = RenderContext(synthetic, build_graph(synthetic))
    topic = synthetic.topic_by_id["case-transfer"]
    pages = TopicPages(ctx, topic)
    entry = pages.plan.parts[0]
    assert entry.key == "" and entry.children
    text = synthetic_site.pages["topics/case-transfer.md"]
    table = text.split("## 分区概览", 1)[1].split("## ", 1)[0]
    for item in pages.plan.entries(entry):
        name = synthetic.jurisdiction_by_id[item.jurisdiction].name
        assert f"| [{name}](case-transfer/{item.part}.md) |" in table
    # per question, over the whole topic: the extremes of that question's answers only
    summary = text.split("## 逐问概览", 1)[1].split("## ", 1)[0]
    checked = 0
    for question in ("transfer-deadline", "acceptance-notice-deadline"):
        times = _answer_limits(synthetic, question)
        row = next(line for line in summary.splitlines() if f'id="q--{question}"' in line)
        cells = [c.strip() for c in row.strip("| ").split(" | ")]
        if len({h for h, _ in times}) > 1:
            low, high = min(times)[1], max(times)[1]
            assert low in cells[2] and high in cells[3], (row, low, high)
            checked += 1
    assert checked == 2, "the synthetic documents vary both limits"
    # every part is linked from the page above it, so each is reachable from the entry page
    for part in pages.plan.parts[1:]:
        assert part.key in {c for p in pages.plan.parts for c in p.children}
    first = next(p for p in pages.plan.parts if p.key == entry.children[0])
    page = synthetic_site.pages[f"topics/case-transfer/{first.key}.md"]
    assert "[专题：案件移送](../case-transfer.md)" in page
    own = [s.jurisdiction for s in first.shares]
    transfer = page.split("{ #q--transfer-deadline }", 1)[1].split("\n### ", 1)[0]
    differ = len({h for h, _ in _answer_limits(synthetic, "transfer-deadline", own)}) > 1
    assert (STRICTEST in transfer and LOOSEST in transfer) == differ


def _answer_limits(kb: KnowledgeBase, question: str,
                   jurisdictions: list[str] | None = None) -> list[tuple[float, str]]:
    """(hours, limit) of every clock answering ``question``, from the facts themselves."""
    out = []
    for doc in kb.documents:
        if jurisdictions is not None and doc.jurisdiction.id not in jurisdictions:
            continue
        for c in doc.clocks:
            hours = comparable_hours(c.limit)
            if c.answers is not None and c.answers.id == question and hours is not None:
                out.append((hours, limit_text(c.limit)))
    return out


@SLOW
def test_split_is_deterministic(synthetic_root: Path, synthetic_site: RenderedSite) -> None:
    checked, _ = check_policies(synthetic_root)
    assert checked is not None
    shuffled = resolve(list(reversed(checked.documents)),
                       reversed(checked.jurisdictions), reversed(checked.actor_types),
                       reversed(checked.topics), reversed(checked.questions))
    again = render_site(shuffled)
    assert again.pages == synthetic_site.pages
    assert [d.dot for d in again.diagrams] == [d.dot for d in synthetic_site.diagrams]


def test_plan_splits_until_each_part_fits() -> None:
    tree = {"cn": ["a", "b"], "a": ["a1", "a2"], "b": [], "a1": [], "a2": []}
    sizes = {"a": Size(0, (30,)), "a1": Size(5, (40, 40)), "a2": Size(0, (10,)),
             "b": Size(0, (20,))}
    result = plan(["cn"], lambda j: tree[j], lambda j: sizes.get(j, Size()), 60, 1)
    by_key = {p.key: p for p in result.parts}
    # the root does not fit: a summary of a and b; a does not fit: its own rows beside a
    # summary of a1 (cut into two chunks of documents) and a2; b fits whole
    assert by_key[""].children == ("a", "b") and by_key[""].shares == ()
    assert by_key["a"].children == ("a1", "a2")
    assert [s.jurisdiction for s in by_key["a"].shares] == ["a"]
    assert by_key["a1"].children == ("a1--1", "a1--2")
    assert [(s.start, s.stop) for s in by_key["a1--2"].shares] == [(1, 2)]
    assert by_key["b"].whole and by_key["a2"].whole
    assert result.under["a"] == ("a", "a1", "a2")
    assert [e.jurisdiction for e in result.entries(by_key["a1"])] == ["a1", "a1"]
    assert result.ancestors("a1--2") == ["", "a", "a1"]
    whole = plan(["cn"], lambda j: tree[j], lambda j: sizes.get(j, Size()), 1_000, 1)
    assert [p.key for p in whole.parts] == [""]


def test_small_neighbours_share_a_part_but_keep_their_summary_rows() -> None:
    tree = {"cn": ["x", "y", "z"], "x": [], "y": [], "z": []}
    result = plan(["cn"], lambda j: tree[j], lambda j: Size(0, (20,)) if j != "cn" else Size(),
                  50, 1)
    assert [(p.key, p.members) for p in result.parts] == [
        ("", ()), ("x", ("x", "y")), ("z", ("z",))]
    entries = result.entries(result.parts[0])
    assert [(e.jurisdiction, e.part) for e in entries] == [("x", "x"), ("y", "x"), ("z", "z")]
    assert result.name("x", str.upper) == "X、Y"


@pytest.mark.parametrize("root", [ROOT / "tests" / "fixtures" / "kb-mini", ROOT / "policies"],
                         ids=["kb-mini", "real-documents"])
def test_small_knowledge_base_keeps_one_page_each(root: Path) -> None:
    site = render_site(load_kb(root))
    assert not [p for p in site.pages if re.match(r"(topics|indexes)/[^/]+/", p)]
    assert [d.path for d in site.diagrams if d.path.startswith("diagrams/citations")] == \
        ["diagrams/citations.svg"]
    assert "## 分区概览" not in "".join(site.pages[p] for p in site.pages
                                        if p.startswith("topics/"))


_MD_LINK = re.compile(r"\]\(([^)#\s]+\.md)#([^)\s]+)\)")
_ANCHOR = re.compile(r"\{ #([^ }]+)[^}]*\}|\bid=\"([^\"]+)\"")


@SLOW
def test_links_into_split_pages_land_on_existing_anchors(synthetic_site: RenderedSite) -> None:
    """Sheets and parts link to sections of pages that are split (the topic's gaps, say):
    every such anchor exists on the page the link names."""
    pages = synthetic_site.pages
    anchors = {path: {a or b for a, b in _ANCHOR.findall(text)} for path, text in pages.items()}
    checked = 0
    for path, text in pages.items():
        for target, anchor in _MD_LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved not in pages:
                continue  # hand-written pages are checked by mkdocs --strict
            assert anchor in anchors[resolved], f"{path} → {resolved}#{anchor}"
            checked += 1
    assert checked > 1000
    entry = pages["topics/case-transfer.md"]
    assert "## 空白 { #kb--gaps }" in entry and "## 分区概览" in entry
