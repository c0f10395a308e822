"""The clocks table (indexes/clocks/) sorts and filters in a real browser; pages print cleanly.

Sorting by 时限 must follow the hours in each cell's ``<span class="pk-sortkey" data-sort>``
(a child of the cell), not the cell's text: "3个工作日内" and "24小时内" sort by duration.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from conftest import Project, Server

pytestmark = pytest.mark.browser

CLOCKS = "indexes/clocks/"
TABLE = ".pk-sortable table"


def open_clocks(page: Any, server: Server) -> None:
    page.goto(server.url + CLOCKS)
    page.wait_for_selector(f"{TABLE}[data-pk-enhanced]")


def column(page: Any, name: str) -> int:
    headers: list[str] = page.eval_on_selector_all(
        f"{TABLE} thead th", "els => els.map(e => e.textContent.trim())")
    return headers.index(name)


def sort_keys(page: Any, index: int) -> list[str]:
    """The data-sort of the given column in the rows' current order."""
    return page.eval_on_selector_all(
        f"{TABLE} tbody tr",
        f"rows => rows.map(r => r.cells[{index}].querySelector('[data-sort]')"
        ".getAttribute('data-sort'))")


def visible_rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        f"{TABLE} tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.textContent)")


def test_clocks_table_sorts_by_the_hours_inside_the_cell(
    page: Any, product_site: Project, product_server: Server
) -> None:
    open_clocks(page, product_server)
    limit = column(page, "时限")
    original = sort_keys(page, limit)
    assert len({float(k) for k in original}) > 2, "too few distinct limits to test sorting"
    header = page.locator(f"{TABLE} thead th").nth(limit)

    header.click()
    ascending = [float(k) for k in sort_keys(page, limit)]
    assert ascending == sorted(ascending)
    assert header.get_attribute("aria-sort") == "ascending"

    header.press("Enter")  # the keyboard works too
    descending = [float(k) for k in sort_keys(page, limit)]
    assert descending == sorted(descending, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    assert sorted(descending) == sorted(float(k) for k in original)  # no row lost
    others = page.eval_on_selector_all(f"{TABLE} thead th", "els => els.map(e => e.ariaSort)")
    assert others.count("none") == len(others) - 1
    assert page.console_problems == []


def test_clocks_table_sorts_text_columns_in_chinese_order(
    page: Any, product_server: Server
) -> None:
    open_clocks(page, product_server)
    index = column(page, "辖区")
    page.locator(f"{TABLE} thead th").nth(index).click()
    names = page.eval_on_selector_all(
        f"{TABLE} tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent.trim())")
    expected = page.evaluate(
        "names => names.slice().sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))", names)
    assert names == expected


def test_clocks_table_filter_keeps_rows_containing_every_word(
    page: Any, product_server: Server
) -> None:
    open_clocks(page, product_server)
    rows = visible_rows(page)
    total = len(rows)
    assert page.text_content(".pk-table-count") == f"显示 {total} / {total} 行"

    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).lower()

    for query in ("灌云县", "灌云县 及时", "２４小时", "没有这个词"):
        page.fill(".pk-table-filter", query)
        words = fold(query).split()
        expected = [r for r in rows if all(w in fold(r) for w in words)]
        assert visible_rows(page) == expected, query
        assert page.text_content(".pk-table-count") == f"显示 {len(expected)} / {total} 行"
    assert 0 < len([r for r in rows if "24小时" in r]) < total  # the width fold was exercised

    page.fill(".pk-table-filter", "")
    assert len(visible_rows(page)) == total
    assert page.console_problems == []


def test_filter_and_sort_work_together(page: Any, product_server: Server) -> None:
    open_clocks(page, product_server)
    page.fill(".pk-table-filter", "工作日")
    shown = len(visible_rows(page))
    limit = column(page, "时限")
    page.locator(f"{TABLE} thead th").nth(limit).click()
    assert len(visible_rows(page)) == shown  # sorting keeps the filter
    keys = page.eval_on_selector_all(
        f"{TABLE} tbody tr",
        f"rows => rows.filter(r => !r.hidden).map(r => "
        f"parseFloat(r.cells[{limit}].querySelector('[data-sort]').dataset.sort))")
    assert keys == sorted(keys)


def hidden_in_print(page: Any, selector: str) -> bool:
    return page.eval_on_selector_all(
        selector, "els => els.length > 0 && els.every(e => getComputedStyle(e).display === 'none')")


@pytest.mark.parametrize("path", [CLOCKS, "topics/case-transfer/", "training/case-transfer/",
                                  "documents/guanyun-2023-implementing-opinion/"])
def test_print_shows_the_content_only_at_full_width(
    page: Any, product_server: Server, path: str
) -> None:
    page.goto(product_server.url + path)
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".headerlink"):
        assert hidden_in_print(page, selector), selector
    if path == CLOCKS:
        assert hidden_in_print(page, ".pk-table-tools")
    widths = page.evaluate("""() => {
        const content = document.querySelector('.md-content__inner').getBoundingClientRect();
        const tables = [...document.querySelectorAll('.md-typeset table')];
        return [content.width, document.documentElement.clientWidth,
                tables.map(t => [t.getBoundingClientRect().width, t.scrollWidth,
                                 getComputedStyle(t.querySelector('tr')).breakInside])];
    }""")
    content, viewport, tables = widths
    assert content >= viewport * 0.9  # no sidebars, no margins eating the page
    for width, scroll, break_inside in tables:
        assert scroll <= width + 1  # nothing cut off on the right
        assert break_inside == "avoid"
    svgs = page.eval_on_selector_all(
        ".pk-diagram svg", "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(w <= content + 1 for w in svgs)


def test_print_opens_collapsed_details(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + CLOCKS)
    page.evaluate("""() => {
        const d = document.createElement('details');
        d.innerHTML = '<summary>更多</summary><p id="pk-hidden-text">折叠的内容</p>';
        document.querySelector('.md-content__inner').appendChild(d);
    }""")
    assert not page.is_visible("#pk-hidden-text")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.is_visible("#pk-hidden-text")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert not page.is_visible("#pk-hidden-text")


def test_a_training_sheet_prints_its_answers_on_a_page_of_their_own(
    page: Any, product_server: Server
) -> None:
    page.goto(product_server.url + "training/case-transfer/")
    page.wait_for_load_state("load")
    exercises = page.locator("#kb--exercises + ol > li").count()
    answers = page.locator(".pk-answers ol > li").count()
    assert exercises >= 5 and answers == exercises
    assert page.evaluate("() => getComputedStyle(document.querySelector('.pk-answers'))"
                         ".breakBefore") != "page"  # on screen, one page
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.pk-answers'))"
                         ".breakBefore") == "page"
    # every answer cites a clause that exists on its document page
    href = page.eval_on_selector(".pk-answers li a[href*='#s']", "a => a.href")
    page.goto(href)
    fragment = href.split("#", 1)[1]
    assert page.locator(f"[id='{fragment}']").count() == 1
    assert page.console_problems == []

