"""Pages of the product site in a real browser: charts, topic pages, tables, no console errors."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Project, Server

from generator.pipeline import load_knowledge_base

pytestmark = pytest.mark.browser


#: Links of flowchart steps (nodes) to their clause on the document page (``../#<provision>``);
#: lane bands carry a tooltip but no link.
STEP_LINKS = (
    "xpath=//div[contains(@class,'pk-diagram')]"
    "//*[local-name()='g' and contains(concat(' ', @class, ' '), ' node ')]"
    "//*[local-name()='a'][starts-with(@*[local-name()='href'], '../#')]"
)


def document_pages(site: Project) -> list[str]:
    return sorted(
        p.parent.relative_to(site.site).as_posix() + "/"
        for p in (site.site / "documents").glob("*/index.html")
    )


def procedure_pages(site: Project) -> list[str]:
    """``documents/<doc>/<proc>/``: one page per procedure, with its chart."""
    return sorted(
        p.parent.relative_to(site.site).as_posix() + "/"
        for p in (site.site / "documents").glob("*/*/index.html")
    )


def test_clicking_a_flowchart_step_lands_on_its_clause(
    page: Any, product_site: Project, product_server: Server
) -> None:
    clicked = 0
    for path in procedure_pages(product_site):
        page.goto(product_server.url + path)
        steps = page.locator(STEP_LINKS)
        if steps.count() == 0:
            continue
        step = steps.first
        href = step.evaluate("a => a.getAttribute('xlink:href') || a.getAttribute('href')")
        assert href.startswith("../#"), href
        anchor = href.removeprefix("../")
        document = path.rstrip("/").rsplit("/", 1)[0] + "/"
        step.scroll_into_view_if_needed()
        step.click()
        page.wait_for_function(
            f"location.pathname.endsWith({'/' + document!r}) && location.hash === {anchor!r}")
        page.wait_for_load_state("domcontentloaded")
        target = page.locator(f"[id={anchor[1:]!r}]")
        assert target.count() == 1
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
        clicked += 1
        if clicked == 2:
            break
    assert clicked, "no procedure page has a flowchart with step links"
    assert page.console_problems == []


def test_document_page_lists_its_procedure_pages(
    page: Any, product_site: Project, product_server: Server
) -> None:
    procedures = procedure_pages(product_site)
    document = procedures[0].rstrip("/").rsplit("/", 1)[0] + "/"
    own = [p for p in procedures if p.startswith(document)]
    page.goto(product_server.url + document)
    links = page.locator("article a[href]")
    urls = [u.removeprefix(product_server.url).split("#")[0]
            for u in links.evaluate_all("as => as.map(a => a.href)")]
    assert sorted(set(own) & set(urls)) == own
    links.nth(urls.index(own[0])).click()
    page.wait_for_selector(".pk-diagram svg")
    assert page.url == product_server.url + own[0]
    assert page.console_problems == []


def test_every_topic_page_shows_every_jurisdiction_with_documents(
    page: Any, product_site: Project, product_server: Server
) -> None:
    kb, report = load_knowledge_base(product_site.policies)
    assert kb is not None, [d.format() for d in report.errors]
    names = sorted({d.jurisdiction.name for d in kb.documents})
    for topic in kb.topics:
        page.goto(f"{product_server.url}topics/{topic.id}/")
        text = page.inner_text("article")
        missing = [name for name in names if name not in text]
        assert missing == [], f"topics/{topic.id}/ lacks {missing}"
    assert page.console_problems == []


def test_pages_load_without_console_errors(
    page: Any, product_site: Project, product_server: Server
) -> None:
    paths = ["", "documents/", "topics/", "jurisdictions/", "indexes/", "indexes/clocks/",
             "indexes/matrix/", "indexes/citations/", "data/", "about/", "about/search/?q=移送",
             "404.html", *document_pages(product_site)[:3], *procedure_pages(product_site)[:2]]
    problems = []
    for path in paths:
        page.goto(product_server.url + path)
        if path.startswith("about/search/"):
            page.wait_for_selector("#pk-search[data-pk-state=done]")
        problems += [f"{path}: {p}" for p in page.console_problems]
        page.console_problems.clear()
    assert problems == []


def test_clock_table_sorts_and_filters(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "indexes/clocks/")
    table = page.locator("table[data-pk-enhanced]").first
    rows = table.locator("tbody tr")
    total = rows.count()
    assert total > 1
    page.locator(".pk-table-filter").first.fill("24小时")
    visible = table.locator("tbody tr:not([hidden])").count()
    assert 0 < visible < total
    assert f"显示 {visible} / {total} 行" in page.inner_text(".pk-table-count")
    page.locator(".pk-table-filter").first.fill("")
    header = table.locator("thead th").first
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    in_order = """(rows, sign) => rows.every((r, i) => i === 0 ||
        sign * rows[i - 1].cells[0].textContent.trim().localeCompare(
            r.cells[0].textContent.trim(), "zh-Hans-CN") <= 0)"""
    assert table.locator("tbody tr").evaluate_all(in_order, 1)
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody tr").evaluate_all(in_order, -1)


def test_print_layout_hides_navigation(page: Any, product_site: Project,
                                       product_server: Server) -> None:
    page.goto(product_server.url + document_pages(product_site)[0])
    page.emulate_media(media="print")
    assert not page.is_visible(".md-header")
    assert not page.is_visible(".md-sidebar--primary")
    assert page.is_visible("article")
