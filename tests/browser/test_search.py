"""Search in a real browser (Debian's chromium) over the product site.

The oracle: a query must find exactly the pages whose indexed text contains it once both are
folded (traditional → simplified, full-width → half-width, punctuation ignored) — what Ctrl+F
would find.  ``expected_pages`` computes that from the built HTML with the indexer's own code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from conftest import Project, Server

from generator.publish.search import search_tokens, shadow_page

pytestmark = pytest.mark.browser

GUANYUN = "/documents/guanyun-2023-implementing-opinion/"


def tokens(text: str) -> str:
    return " ".join(search_tokens(text))


@lru_cache(maxsize=4)
def indexed_text(site: Path) -> dict[str, str]:
    """URL → folded tokens of what Pagefind indexed for that page."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/") or rel == "404.html":
            continue
        shadow = shadow_page(path.read_text(encoding="utf-8"))
        if shadow is None:
            continue
        body = re.sub(r"<p data-pagefind-(?:meta|filter)[^>]*>.*?</p>", "", shadow,
                      flags=re.DOTALL)
        body = re.sub(r"<[^>]+>", " ", body)
        out["/" + rel.removesuffix("index.html")] = " " + tokens(body) + " "
    return out


def expected_pages(site: Path, query: str) -> set[str]:
    """Pages holding every word of ``query``, a number in it written either way (24 / 二十四)."""
    found: set[str] = set()
    for form in numeral_forms(query):
        words = [tokens(w) for w in form.split() if tokens(w)]
        found |= {url for url, text in indexed_text(site).items()
                  if all(f" {w} " in text for w in words)}
    return found


def numeral_forms(query: str) -> set[str]:
    """``query`` and, when it holds a number in digits, the same with the number in Chinese."""
    from generator.deadlines.numerals import to_chinese

    text = unicodedata.normalize("NFKC", query)
    forms = {query}
    for digits in re.findall(r"[0-9]+", text):
        forms.add(text.replace(digits, to_chinese(int(digits)), 1))
    return forms


def search(page: Any, server: Server, query: str) -> tuple[list[str], str, int]:
    """Result URLs (all of them), the status line and the bytes fetched for the query."""
    if "/about/search/" not in page.url:
        page.goto(server.url + "about/search/")
        page.wait_for_selector("#pk-search[data-pk-state=idle]")
    mark = len(server.served)
    page.fill("#pk-search-input", query)
    page.press("#pk-search-input", "Enter")
    page.wait_for_selector("#pk-search[data-pk-state=done], #pk-search[data-pk-state=idle]")
    fetched = server.bytes_since(mark)
    while page.is_visible(".pk-search__more"):
        count = page.locator(".pk-result").count()
        page.click(".pk-search__more")
        page.wait_for_function(f"document.querySelectorAll('.pk-result').length > {count}")
    urls = page.eval_on_selector_all(".pk-result h2 a", "els => els.map(e => e.pathname)")
    return urls, page.text_content(".pk-search__status") or "", fetched


@pytest.mark.parametrize("query", [
    "移送", "首问负责", "24小时", "司法局", "联席会议",  # what officers type
    "规范", "執法", "首問負責",  # either script
    "２４小时", "镇（街道）", "镇(街道)",  # width and punctuation
    "移送 司法局",  # two words: both must occur
])
def test_query_finds_exactly_the_pages_containing_it(
    page: Any, product_site: Project, product_server: Server, query: str
) -> None:
    expected = expected_pages(product_site.site, query)
    assert expected, f"no page contains {query!r}: the oracle has nothing to check"
    urls, status, _ = search(page, product_server, query)
    assert len(urls) == len(set(urls))
    assert set(urls) == expected
    assert f"找到 {len(expected)} 个页面" in status
    assert page.console_problems == []


@pytest.mark.parametrize("query", ["规范", "联席会议", "执法"])
def test_a_simplified_query_finds_the_traditional_guanyun_document(
    page: Any, product_server: Server, query: str
) -> None:
    urls, _, _ = search(page, product_server, query)
    assert GUANYUN in urls


def test_script_width_and_punctuation_do_not_change_results(
    page: Any, product_server: Server
) -> None:
    def found(query: str) -> set[str]:
        return set(search(page, product_server, query)[0])

    assert found("执法协作") == found("執法協作")
    assert found("24小时") == found("２４小时")
    assert found("镇（街道）") == found("镇(街道)") == found("镇街道")


def test_results_highlight_the_query_and_link_to_sections(
    page: Any, product_server: Server
) -> None:
    search(page, product_server, "联席会议")
    marks = page.eval_on_selector_all(".pk-result mark", "els => els.map(e => e.textContent)")
    assert marks and all(tokens(m) == tokens("联席会议") for m in marks)
    sections = page.eval_on_selector_all(".pk-result__section", "els => els.map(e => e.hash)")
    assert sections and all(h.startswith("#") for h in sections)


@pytest.mark.parametrize("query", ["移送", "首问负责", "24小时", "司法局", "联席会议"])
def test_officer_queries_lead_with_policy_pages(
    page: Any, product_server: Server, query: str
) -> None:
    """The pages about the site (method, performance figures) never come first."""
    urls, _, _ = search(page, product_server, query)
    assert urls and not [u for u in urls[:5] if u.startswith("/about/")], urls[:5]
    assert "/about/performance/" not in urls


def test_no_match_says_so(page: Any, product_server: Server) -> None:
    urls, status, _ = search(page, product_server, "量子纠缠")
    assert urls == []
    assert "没有找到" in status


def test_header_search_box_leads_to_results(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "documents/")
    page.fill(".pk-header-search input", "首问负责")
    page.press(".pk-header-search input", "Enter")
    page.wait_for_url("**/about/search/?q=*")
    page.wait_for_selector("#pk-search[data-pk-state=done]")
    assert page.locator(".pk-result").count() > 0
    assert page.input_value("#pk-search-input") == "首问负责"


def test_bytes_per_query_stay_small(page: Any, product_server: Server) -> None:
    """Pagefind fetches index fragments per query; lunr would ship the whole index first."""
    _, _, first = search(page, product_server, "移送")
    assert 0 < first < 1_000_000


def result_texts(page: Any) -> dict[str, str]:
    """Result URL → the text the result shows (title, excerpts, section links)."""
    pairs = page.eval_on_selector_all(
        ".pk-result", "els => els.map(e => [e.querySelector('h2 a').pathname, e.innerText])")
    return dict(pairs)


def test_excerpts_show_the_traditional_original(page: Any, product_server: Server) -> None:
    """The index is simplified; what a result shows is the page's own (traditional) text."""
    urls, _, _ = search(page, product_server, "规范")
    assert GUANYUN in urls
    shown = result_texts(page)[GUANYUN]
    marks = page.eval_on_selector_all(
        f'.pk-result:has(h2 a[href$="{GUANYUN}"]) mark', "els => els.map(e => e.textContent)")
    assert marks[0] == "規范"  # the first place it occurs: the title, in traditional script
    assert "進一步規范基層綜合行政執法工作的實施意見" in shown
    assert "規 范" not in shown and "规范基层" not in shown  # no token spacing, not folded
    for text in result_texts(page).values():
        assert not re.search("[\ue000-\uf8ff]", text), "a private-use mark leaked into a result"
    assert page.console_problems == []


def test_excerpt_keeps_punctuation_width_and_spaces(page: Any, product_server: Server) -> None:
    search(page, product_server, "首问负责")
    excerpts = page.eval_on_selector_all(".pk-result__excerpt", "els => els.map(e => e.innerText)")
    joined = "".join(excerpts)
    assert "首问负责" in joined
    assert "，" in joined or "。" in joined  # full-width punctuation shown as on the page


def test_results_load_five_at_a_time(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "about/search/?q=" + "执法")
    page.wait_for_selector("#pk-search[data-pk-state=done]")
    assert page.locator(".pk-result").count() == 5
    mark = len(product_server.served)
    page.click(".pk-search__more")
    page.wait_for_function("document.querySelectorAll('.pk-result').length > 5")
    fragments = [p for p, _ in product_server.served[mark:] if "/fragment/" in p]
    assert page.locator(".pk-result").count() == 10
    assert 0 < len(fragments) <= 5



@pytest.mark.parametrize(("chinese", "digits"), [
    ("二十四小时", "24小时"), ("三个工作日", "3个工作日"), ("十个", "10个"),
    ("五个工作日", "5个工作日"),
])
def test_numbers_are_found_whichever_way_they_are_written(
    page: Any, product_site: Project, product_server: Server, chinese: str, digits: str
) -> None:
    by_chinese = set(search(page, product_server, chinese)[0])
    by_digits = set(search(page, product_server, digits)[0])
    expected = expected_pages(product_site.site, chinese) | \
        expected_pages(product_site.site, digits)
    assert by_chinese == by_digits == expected
    assert by_chinese


def test_numeral_rules_agree_with_the_due_date_engine(page: Any, product_server: Server) -> None:
    """docs/assets/policykb.js converts numerals as generator/deadlines/numerals.py does."""
    from generator.deadlines.numerals import parse_number, to_chinese

    page.goto(product_server.url)
    numbers = [*range(0, 10000, 7), 2, 10, 11, 20, 24, 100, 105, 110, 1000, 1050, 9999]
    written = page.evaluate("ns => ns.map(n => window.PolicykbSearch.toChinese(n))", numbers)
    assert written == [to_chinese(n) for n in numbers]
    read = page.evaluate("ws => ws.map(w => window.PolicykbSearch.fromChinese(w))", written)
    assert read == [parse_number(w) for w in written]
    assert page.evaluate("window.PolicykbSearch.fromChinese('二百五')") is None  # not a numeral
    assert page.evaluate("window.PolicykbSearch.numeralVariants('两个工作日')") == [
        "2个工作日", "二个工作日", "两个工作日"]


def test_result_titles_name_the_place(page: Any, product_server: Server) -> None:
    search(page, product_server, "发现案件不属于本部门管辖")
    titles = page.eval_on_selector_all(".pk-result h2 a", "els => els.map(e => e.textContent)")
    assert "【浙江省】发现案件不属于本部门管辖——移送与指定管辖流程" in titles
    # every document and procedure page names its place; overview pages of a topic need not
    hrefs = page.eval_on_selector_all(".pk-result h2 a", "els => els.map(e => e.pathname)")
    for href, title in zip(hrefs, titles, strict=True):
        if href.startswith("/documents/"):
            assert title.startswith("【"), title


def test_filters_narrow_results_to_a_place_topic_or_validity(
    page: Any, product_server: Server
) -> None:
    start = len(product_server.served)
    everything = set(search(page, product_server, "移送")[0])
    pages_file = "/pagefind/policykb-facet-pages.json"
    fetched = [path for path, _ in product_server.served[start:]]
    assert "/pagefind/policykb-facets.json" in fetched  # the menus and their counts
    assert pages_file not in fetched  # the facets of every page wait for a chosen filter
    page.select_option("select[name=place]", "金湖县")
    page.wait_for_selector("#pk-search[data-pk-state=done]")
    page.wait_for_function("!location.search.includes('place=') || "
                           "document.querySelector('#pk-search').dataset.pkState === 'done'")
    while page.is_visible(".pk-search__more"):
        count = page.locator(".pk-result").count()
        page.click(".pk-search__more")
        page.wait_for_function(f"document.querySelectorAll('.pk-result').length > {count}")
    titles = page.eval_on_selector_all(".pk-result h2 a", "els => els.map(e => e.textContent)")
    urls = set(page.eval_on_selector_all(".pk-result h2 a", "els => els.map(e => e.pathname)"))
    assert titles and all(t.startswith("【金湖县】") for t in titles)
    assert urls < everything
    assert "place=" in page.url
    assert pages_file in [path for path, _ in product_server.served[start:]]
    labels = page.eval_on_selector_all(".pk-filter", "els => els.map(e => e.textContent)")
    assert [label.split()[0] for label in labels] == ["辖区", "专题", "效力"]


@pytest.mark.parametrize("query", ["移送", "首问负责"])
def test_topic_words_lead_with_the_overview_pages(
    page: Any, product_server: Server, query: str
) -> None:
    """A topic or document page comes before any procedure or training page."""
    urls, _, _ = search(page, product_server, query)
    first = urls[0]
    assert first.startswith("/topics/") or first.count("/") == 3, urls[:5]
