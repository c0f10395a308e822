"""WCAG 2.1 A and AA in a real browser: axe-core on every page type at a phone's and a desktop's
width, and the keyboard alone: reach search, search, open a result, walk a chart.

axe-core comes from the PyPI package axe-playwright-python (its axe.min.js, injected into the
page here): nothing is downloaded at test time.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from conftest import Project, Server

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)
#: axe-core's tags for the WCAG 2.0 and 2.1 success criteria of levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
JINHU = "documents/jinhu-2021-coordination/"
PROCEDURE = JINHU + "case-transfer-township-to-county/"
#: One page of every type, the traditional-script document among them.
PAGE_TYPES = [
    "", "documents/", JINHU, "documents/guanyun-2023-implementing-opinion/", PROCEDURE,
    "topics/", "topics/case-transfer/", "training/", "training/case-transfer/",
    "jurisdictions/", "jurisdictions/jinhu/", "indexes/", "indexes/clocks/", "indexes/matrix/",
    "indexes/citations/", "data/", "about/", "about/method/", "about/search/?q=移送",
    "404.html",
]


def open_page(page: Any, server: Server, path: str) -> None:
    page.goto(server.url + path)
    page.wait_for_load_state("load")
    if path.startswith("about/search/"):
        page.wait_for_selector("#pk-search[data-pk-state=done]")


def axe_violations(page: Any) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']}"
            for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page_type(
    browser: Any, product_site: Project, product_server: Server, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for path in PAGE_TYPES:
            open_page(page, product_server, path)
            violations = axe_violations(page)
            if violations:
                found[path or "/"] = violations
    finally:
        context.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
        const e = document.activeElement;
        // the theme's palette switch is a hidden radio button shown by the label after it
        const shown = e.classList.contains('md-option') ? e.nextElementSibling : e;
        const r = shown.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), cls: e.getAttribute('class') || '',
                name: e.getAttribute('aria-label') || e.getAttribute('xlink:title') ||
                      (e.textContent || '').trim().slice(0, 40),
                id: e.closest('[id]') ? e.closest('[id]').id : '',
                inDrawer: !!e.closest('.md-sidebar--primary'),
                visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
                         r.left < innerWidth && r.top < innerHeight,
                outline: getComputedStyle(shown).outlineStyle !== 'none' &&
                         parseFloat(getComputedStyle(shown).outlineWidth) >= 2};
    }""")


def tab_until(page: Any, match: Any, limit: int = 60) -> list[dict[str, Any]]:
    """Press Tab until ``match(focused)``; every stop on the way, the last one matching."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if match(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} Tab presses: {stops}")


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_alone_reaches_search_opens_a_result_and_walks_a_chart(
    browser: Any, product_server: Server, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(product_server.url)
        # Reach the header search box: every stop on the way is on screen (none in the closed
        # drawer on a phone) and shows where the focus is.
        stops = tab_until(page, lambda f: f["tag"] == "input" and "搜索" in f["name"])
        assert [s for s in stops if s["inDrawer"] or not s["visible"]] == [], stops
        assert stops[-1]["outline"], "the search box shows no focus"
        page.keyboard.type("首问负责")
        page.keyboard.press("Enter")
        page.wait_for_selector("#pk-search[data-pk-state=done]")
        assert focused(page)["tag"] == "input"  # the search page's own box has the focus
        assert focused(page)["outline"]
        stop = tab_until(page, lambda f: "pk-result" in page.evaluate(
            "() => document.activeElement.closest('.pk-result') ? 'pk-result' : ''"))[-1]
        assert stop["tag"] == "a" and stop["outline"]
        href = page.evaluate("() => document.activeElement.href")
        page.keyboard.press("Enter")
        page.wait_for_url(href.split("#")[0] + "**")
        assert "about/search" not in page.url

        # Walk a chart: its links come in the order of the step numbers, limits before the
        # step they bound, and each link's name starts with its visible label (WCAG 2.5.3).
        page.goto(product_server.url + PROCEDURE)
        page.locator(".pk-diagram").first.evaluate(
            "d => { const a = document.createElement('a'); a.href = '#'; a.id = 'pk-before';"
            " a.textContent = '.'; d.before(a); a.focus(); }")
        walked = []
        for _ in range(40):
            page.keyboard.press("Tab")
            f = focused(page)
            inside = page.evaluate(
                "() => !!document.activeElement.closest('.pk-diagram')")
            if not inside:
                break
            walked.append(f)
        steps = [int(m.group(1)) for f in walked if (m := re.match(r"(\d+)\. ", f["name"]))]
        assert len(steps) >= 9 and steps == sorted(steps), walked
        limits = [f["name"] for f in walked if f["name"].startswith("时限")]
        assert limits, "no limit on the chart is reachable"
        assert [f for f in walked if not f["outline"]] == []  # a 3 px ring on every stop
    finally:
        context.close()


def test_chart_is_named_by_its_caption_and_described_by_the_step_list(
    page: Any, product_server: Server
) -> None:
    page.goto(product_server.url + PROCEDURE)
    svg = page.locator(".pk-diagram svg").first
    caption = page.locator("#" + svg.get_attribute("aria-labelledby"))
    steps = page.locator("#" + svg.get_attribute("aria-describedby"))
    assert "流程图" in caption.inner_text()
    assert steps.locator("li").count() >= 9
    assert svg.locator("title").count() == 0  # no Graphviz ids ("n0->n1") as tooltips
    names = svg.locator("a[href], a").evaluate_all(
        "as => as.map(a => a.getAttribute('xlink:title') || '').filter(Boolean)")
    assert not [n for n in names if re.fullmatch(r"[a-z]\d+(->[a-z]\d+)?", n)]


def test_traditional_originals_are_marked_zh_hant(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "documents/guanyun-2023-implementing-opinion/")
    assert page.locator("h1[lang=zh-Hant]").count() == 1
    marked = page.locator("[data-pk-clause][lang=zh-Hant], h3[lang=zh-Hant]").count()
    assert marked >= 20
    page.goto(product_server.url + JINHU)
    assert page.locator("[lang=zh-Hant]").count() == 0


def test_tables_have_row_headers_and_captions(page: Any, product_server: Server) -> None:
    for path in ("indexes/clocks/", "indexes/matrix/", JINHU):
        page.goto(product_server.url + path)
        tables = page.locator("article table")
        assert tables.count() > 0
        for i in range(tables.count()):
            table = tables.nth(i)
            assert table.locator("caption").inner_text().strip(), (path, i)
            rows = table.locator("tbody tr")
            assert rows.count() == table.locator("tbody tr > th[scope=row]:first-child").count()


def test_palette_toggle_switches_to_dark_and_back(page: Any, product_server: Server) -> None:
    page.goto(product_server.url)
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    before = page.evaluate(scheme)
    page.locator("label[title='切换到深色模式']:visible").click()
    assert page.evaluate(scheme) == "slate" != before
    page.locator("label[title='切换到浅色模式']:visible").click()
    assert page.evaluate(scheme) == before
