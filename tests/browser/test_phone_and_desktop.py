"""The site at a phone's width (390 px) and a desktop's (1366 px): the answer on screen first,
charts readable, every word Chinese, citations one tap away, nothing fetched from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import Project, Server

from generator.pipeline import load_knowledge_base

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)
HEIGHTS = {390: 844, 1366: 768}
LIMIT = re.compile(r"\d+个工作日|\d+小时|\d+日|立即|及时|当日|定期|每.{1,2}\d+次")


def at(browser: Any, width: int, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]},
                                  **options)
    page = context.new_page()
    page.on("pageerror", lambda e: pytest.fail(f"page error: {e}"))
    return context, page


def first_limit_box(page: Any) -> dict[str, float] | None:
    """Where the first cell of a 时限 column that states a limit is drawn, on first load."""
    return page.evaluate("""(pattern) => {
        const limit = new RegExp(pattern);
        for (const table of document.querySelectorAll('article table')) {
            if (!table.tHead) continue;
            const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
            const column = heads.findIndex(h => h.startsWith('时限'));
            if (column < 0) continue;
            for (const row of table.tBodies[0].rows) {
                const cell = row.cells[column];
                if (cell && limit.test(cell.textContent)) {
                    const r = cell.getBoundingClientRect();
                    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
                }
            }
        }
        return null;
    }""", LIMIT.pattern)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_limit_of_the_clocks_index_is_on_screen(
    browser: Any, product_server: Server, width: int
) -> None:
    context, page = at(browser, width)
    try:
        page.goto(product_server.url + "indexes/clocks/")
        box = first_limit_box(page)
        assert box is not None
        assert box["top"] >= 0 and box["bottom"] <= HEIGHTS[width], box
        assert box["left"] >= 0 and box["right"] <= width, box
        # no column is cut off at the desktop width: the table fits the window
        table = page.locator("article table").first.bounding_box()
        assert table["x"] + table["width"] <= width
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_answer_of_a_topic_page_is_on_screen(
    browser: Any, product_server: Server, width: int
) -> None:
    """An officer who opens a topic page sees the answers (place and limit) without scrolling:
    the list at the top gives each question's answers in brief."""
    context, page = at(browser, width)
    try:
        page.goto(product_server.url + "topics/case-transfer/")
        first = page.evaluate("""(pattern) => {
            const limit = new RegExp(pattern);
            for (const item of document.querySelectorAll('article li')) {
                if (!limit.test(item.textContent)) continue;
                const r = item.getBoundingClientRect();
                return {text: item.textContent, top: r.top, bottom: r.bottom,
                        left: r.left, right: r.right};
            }
            return null;
        }""", LIMIT.pattern)
        assert first is not None
        assert first["text"].startswith("移送时限：锡林浩特市 3个工作日内"), first
        assert first["top"] >= 0 and first["bottom"] <= HEIGHTS[width], first
        assert first["left"] >= 0 and first["right"] <= width, first
    finally:
        context.close()


def test_tables_become_labelled_cards_with_the_answer_first_on_a_phone(
    browser: Any, product_server: Server
) -> None:
    context, page = at(browser, 390)
    try:
        page.goto(product_server.url + "indexes/clocks/")
        row = page.locator("article table tbody tr").first
        cells = row.evaluate("""r => [...r.children]
            .filter(c => getComputedStyle(c).display !== 'none')
            .map(c => ({label: c.dataset.label || '', top: c.getBoundingClientRect().top,
                        head: c.tagName === 'TH'}))
            .sort((a, b) => a.top - b.top)""")
        assert cells[0]["head"]  # the jurisdiction, as the card's title
        assert cells[1]["label"] == "时限"  # then the answer
        assert {c["label"] for c in cells[2:]} >= {"文件", "条款"}
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("path", [
    "documents/jinhu-2021-coordination/case-transfer-township-to-county/",
    "documents/xilinhot-2024-coordination/complaint-handling/",
])
def test_chart_text_is_at_least_body_text_size_on_a_phone(
    browser: Any, product_server: Server, path: str
) -> None:
    context, page = at(browser, 390)
    try:
        page.goto(product_server.url + path)
        sizes = page.evaluate("""() => {
            const body = parseFloat(getComputedStyle(document.querySelector('article p'))
                                    .fontSize);
            const svg = document.querySelector('.pk-diagram svg');
            const scale = svg.getScreenCTM().a;
            const texts = [...svg.querySelectorAll('text')].map(
                t => parseFloat(t.getAttribute('font-size')) * scale);
            return {body, smallest: Math.min(...texts), count: texts.length};
        }""")
        assert sizes["count"] > 10
        assert sizes["smallest"] >= sizes["body"] - 0.01, sizes
    finally:
        context.close()


#: ASCII words a Chinese reader meets on purpose: formats, and the forms of ids in text.
ALLOWED_WORDS = {"CSV", "XLSX", "JSON", "Schema", "Excel", "WPS", "BOM", "UTF"}


def visible_words(page: Any) -> list[str]:
    """Latin words of three letters or more in what the page shows or says to a screen
    reader (text, title, aria-label, placeholder, alt), charts included."""
    text = page.evaluate("""() => {
        const parts = [document.querySelector('.md-container').innerText];
        for (const e of document.querySelectorAll('[title], [aria-label], [placeholder], [alt],'
                                                   + ' svg a')) {
            for (const name of ['title', 'aria-label', 'placeholder', 'alt', 'xlink:title']) {
                if (e.getAttribute(name)) parts.push(e.getAttribute(name));
            }
        }
        return parts.join('\\n');
    }""")
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text) if w not in ALLOWED_WORDS]


def data_prose(site: Project) -> list[str]:
    """User-facing prose that comes from the policy files (summaries, notes, descriptions):
    another change translates it and makes ``policykb check`` flag English there."""
    kb, _ = load_knowledge_base(site.policies)
    assert kb is not None
    texts = [t.description or "" for t in kb.topics]
    for doc in kb.documents:
        texts += [doc.summary or "", *doc.notes]
        texts += [p.description or "" for p in doc.procedures]
    return [t for t in texts if t]


def reader_pages(site: Project) -> list[str]:
    return sorted(
        p.parent.relative_to(site.site).as_posix() + "/"
        for root in ("documents", "topics", "training", "jurisdictions", "indexes")
        for p in (site.site / root).rglob("index.html"))


def test_no_english_on_the_pages_officers_read(
    browser: Any, product_site: Project, product_server: Server
) -> None:
    prose = data_prose(product_site)
    context, page = at(browser, 1366)
    found = {}
    try:
        for path in reader_pages(product_site):
            page.goto(product_server.url + path)
            page.evaluate("""(prose) => {
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                const skip = new Set(prose);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    if (skip.has(n.textContent.trim())) n.textContent = '';
                }
            }""", prose)
            words = visible_words(page)
            if words:
                found[path] = sorted(set(words))[:12]
    finally:
        context.close()
    assert found == {}


def test_policy_prose_is_chinese(product_site: Project) -> None:
    english = [t[:60] for t in data_prose(product_site)
               if re.search(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", t)]
    assert english == []


def test_copy_citation_puts_a_formal_citation_on_the_clipboard(
    browser: Any, product_server: Server
) -> None:
    context, page = at(browser, 390, permissions=["clipboard-read", "clipboard-write"])
    try:
        url = product_server.url + "documents/guanyun-2023-implementing-opinion/"
        page.goto(url)
        clause = page.locator("#s2-1-1")
        clause.locator("button.pk-cite").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == ("《進一步規范基層綜合行政執法工作的實施意見》（灌政辦〔2023〕32號）"
                          f"二、(一)1.，{url}#s2-1-1")
        assert "已复制引用" in page.inner_text("#pk-live")
        # every provision has its control and a visible permalink
        assert page.locator("button.pk-cite").count() == page.locator("[data-pk-clause]").count()
        link = clause.locator("p a").first
        assert link.get_attribute("href") == "#s2-1-1" and link.is_visible()
    finally:
        context.close()


def test_the_clause_a_link_leads_to_is_highlighted(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "documents/jinhu-2021-coordination/#s3-1-1")
    colours = page.evaluate("""() => [document.getElementById('s3-1-1'),
                                      document.getElementById('s3-1-2')]
        .map(e => getComputedStyle(e).backgroundColor)""")
    assert colours[0] != colours[1] and colours[1] in ("rgba(0, 0, 0, 0)", "transparent")


def test_validity_is_shown_where_facts_are(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "documents/yantai-work-report/")
    card = page.inner_text("article table")
    assert "效力未知" in card and "工作报道" in card  # why it is unknown, in one sentence
    page.goto(product_server.url + "documents/jinhu-2021-coordination/"
              "case-transfer-township-to-county/")
    assert "效力：" in page.inner_text(".pk-validity")
    page.goto(product_server.url + "indexes/clocks/")
    headers = page.eval_on_selector_all("article table thead th",
                                        "e => e.map(x => x.textContent.trim())")
    assert any(h.startswith("效力") for h in headers)
    for path in ("indexes/matrix/", "indexes/citations/"):
        page.goto(product_server.url + path)
        assert "本页依据的文件及其效力" in page.inner_text("article")


PAGES_TO_LOAD = ["", "documents/jinhu-2021-coordination/",
                 "documents/jinhu-2021-coordination/case-transfer-township-to-county/",
                 "topics/case-transfer/", "indexes/clocks/", "data/", "about/search/?q=移送"]


def test_no_request_leaves_the_host(browser: Any, product_server: Server) -> None:
    """Fonts, scripts, images, search: everything comes from the site's own host."""
    host = urlsplit(product_server.url).netloc
    elsewhere: list[str] = []
    context, page = at(browser, 1366)

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == host:
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", guard)
    try:
        for path in PAGES_TO_LOAD:
            page.goto(product_server.url + path)
            page.wait_for_load_state("networkidle")
            if path.startswith("about/search/"):
                page.wait_for_selector("#pk-search[data-pk-state=done]")
    finally:
        context.close()
    assert elsewhere == []


def test_printed_page_says_where_and_when(page: Any, product_server: Server) -> None:
    page.goto(product_server.url + "topics/case-transfer/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    info = page.locator(".pk-print-info")
    assert info.is_visible()
    text = info.inner_text()
    assert "执法协作知识库" in text and product_server.url + "topics/case-transfer/" in text
    assert re.search(r"打印于\d{4}年\d{1,2}月\d{1,2}日", text)
    assert "条款" in text  # the source line
    page.emulate_media(media="screen")
    assert not info.is_visible()


def test_offline_bundle_holds_the_site_and_its_server(product_site: Project) -> None:
    import zipfile

    bundle = product_site.site / "data" / "policykb-offline.zip"
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
    site_files = {f"site/{p.relative_to(product_site.site).as_posix()}"
                  for p in product_site.site.rglob("*") if p.is_file() and p != bundle}
    site_files -= {f"site/{p}" for p in (".policykb-site.json",)}
    assert {"serve.py", "使用说明.txt", "启动本地服务.bat"} <= names
    assert site_files - names == set()
    assert "site/data/policykb-offline.zip" not in names


def test_offline_bundle_serves_pages_and_search(browser: Any, tmp_path: Path,
                                               product_site: Project) -> None:
    """Unpacked on a machine of its own: ``python3 serve.py`` serves pages and search."""
    import socket
    import subprocess
    import sys
    import zipfile

    with zipfile.ZipFile(product_site.site / "data" / "policykb-offline.zip") as archive:
        archive.extractall(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with subprocess.Popen([sys.executable, "serve.py", str(port), "--no-browser"],
                          cwd=tmp_path, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            assert "127.0.0.1" in server.stdout.readline()
            context, page = at(browser, 390)
            try:
                page.goto(f"http://127.0.0.1:{port}/about/search/?q=二十四小时")
                page.wait_for_selector("#pk-search[data-pk-state=done]")
                assert page.locator(".pk-result").count() > 0
                page.goto(f"http://127.0.0.1:{port}/documents/")
                assert "全部文件" in page.inner_text("h1")
            finally:
                context.close()
        finally:
            server.terminate()
            server.wait(10)
