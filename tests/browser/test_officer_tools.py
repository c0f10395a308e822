"""计算期限 and 案件去向 in a real browser, on a phone-sized screen (390 px wide).

The expected dates are worked out by hand from the State Council's notices (and agree with
tests/data/due-cases.yaml): 2025 春节 off 1月28日–2月4日, with 1月26日 (周日) and 2月8日 (周六)
worked; 2025 国庆节 and 中秋节 off 10月1日–8日, with 9月28日 (周日) and 10月11日 (周六) worked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    Project,
    Server,
    _shared_build,
    make_project,
    recording_page,
    serve_directory,
)
from routing_kb import routing_policies

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
GUIDE = "tools/case-routing/"
JINHU_ANSWER = (GUIDE + "#j=jinhu&e=jinhu-2021-coordination/case-transfer-township-to-county/0"
                "&c=0.1")


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A touch screen 390 px wide that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  accept_downloads=True)
    try:
        yield recording_page(context)
    finally:
        context.close()


@pytest.fixture(scope="session")
def route_site(shared_tmp: Path) -> Project:
    """kb-mini with a province document above 金湖县, a county without documents (盱眙县) and
    procedures of every shape (tests/routing_kb.py)."""
    def make(root: Path) -> Project:
        project = make_project(root / "project", policies=routing_policies(root / "policies"))
        return project
    built = _shared_build(shared_tmp, "route-site", make)
    return Project(built.root / "project")


@pytest.fixture(scope="session")
def route_server(route_site: Project) -> Iterator[Server]:
    with serve_directory(route_site.site) as server:
        yield server


def open_guide(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".pk-route__step")


def answer_text(page: Any) -> str:
    page.wait_for_selector("#pk-route-answer")
    text: str = page.locator(".pk-route__answer").inner_text()
    return text


def wait_result(page: Any, scope: str) -> str:
    result = page.locator(f"{scope} .pk-calc__result")
    result.locator(".pk-calc__due, .pk-calc__error").first.wait_for()
    text: str = result.inner_text()
    return text


def fill_start(page: Any, scope: str, date: str, time: str | None = None) -> str:
    page.locator(f"{scope} input[type=date]").fill(date)
    if time is not None:
        page.locator(f"{scope} input[type=time]").fill(time)
    return wait_result(page, scope)


# --- 案件去向 -----------------------------------------------------------------------------------


def test_new_officer_in_jinhu_reaches_the_answer_from_the_home_page(
    phone: Any, product_server: Server
) -> None:
    """The issue's walk-through: a township officer in 金湖县 found an ongoing, urgent violation
    that belongs to a county department.  Home page → 案件去向 → type 金湖 → three taps."""
    page = phone
    page.goto(product_server.url)
    # five taps and two characters typed
    page.locator("article").get_by_role("link", name="案件去向").first.tap()
    page.wait_for_selector("#pk-route-place-input")
    page.locator("#pk-route-place-input").fill("金湖")
    page.get_by_role("link", name="金湖县", exact=True).tap()
    page.get_by_role("link", name="发现属县级部门管辖的违法行为（镇（街道））").tap()
    page.get_by_role("list", name="违法行为正在进行？").get_by_role("link", name="是").tap()
    page.get_by_role("list", name="情况紧急？").get_by_role("link", name="是").tap()
    text = answer_text(page)
    to_whom = text.split("交给谁", 1)[1].split("以谁的名义", 1)[0]
    assert "县级执法业务主管部门" in to_whom
    within = text.split("多长时间内", 1)[1].split("之后", 1)[0]
    assert "情况紧急：24小时内" in within
    assert "三、（一）1.：“情况紧急的，应当在24小时内移送有管辖权的一方处理”" in within
    assert "发现违法行为正在进行：立即" in within and "3个工作日内" in within
    assert "以镇政府（办事处）名义移送" in text and "形成基本违法事实书面材料" in text
    basis = text.split("依据", 1)[1]  # the document, how far it binds, when it was checked
    assert "效力：效力未知" in basis and "数据核对于2026年12月5日" in basis
    assert page.url.endswith(JINHU_ANSWER)
    # the clause link lands on the clause
    page.locator(".pk-route__answer a", has_text="三、（一）1.").first.tap()
    page.wait_for_url(re.compile(r"/documents/jinhu-2021-coordination/#s3-1-1$"))
    assert page.locator("[id='s3-1-1']").count() == 1
    assert page.console_problems == []


def test_the_answer_computes_the_24_hours_and_marks_the_chart(
    phone: Any, product_server: Server
) -> None:
    page = phone
    open_guide(page, product_server.url + JINHU_ANSWER)  # a shared link opens the answer
    answer_text(page)
    page.get_by_role("button", name=re.compile("^计算期限：情况紧急，24小时内")).tap()
    result = fill_start(page, "dialog[open]", "2025-09-30", "22:30")
    assert "截止：2025年10月1日（周三）22:30" in result  # 24 hours run through 国庆节
    page.locator("dialog[open] .pk-calc__close").tap()
    # the chart: the steps and edges of the path are marked, the others not
    chart = page.locator(".pk-route__chart svg")
    chart.wait_for()
    marked = chart.locator(".pk-route-on")
    assert marked.count() >= 9
    ids = marked.evaluate_all("nodes => nodes.map(n => n.id)")
    prefix = "pk--case-transfer-township-to-county--"
    steps = chart.locator("g.node.pk-route-on").evaluate_all(
        "nodes => nodes.map(n => n.textContent)")
    assert any("情况紧急？" in t for t in steps) and any("告知" in t for t in steps)
    # edges by their index in the file: 1 正在进行 是, 3 告知 → 情况紧急？, 6 情况紧急 是; not 4
    # (正在进行 否) nor 5 (情况紧急 否): every edge is an arrow of its own
    assert {prefix + "e1", prefix + "e3", prefix + "e6", prefix + "e6l"} <= set(ids)
    assert not {prefix + "e4", prefix + "e5", prefix + "e5l"} & set(ids)
    unmarked = chart.locator("g.node:not(.pk-route-on)").evaluate_all(
        "nodes => nodes.map(n => n.textContent)")
    assert not any("情况紧急" in t for t in unmarked)
    assert page.console_problems == []


def test_xilinhot_transfer_with_an_extension(phone: Any, product_server: Server) -> None:
    page = phone
    open_guide(page, product_server.url + GUIDE)
    page.locator("#pk-route-place-input").fill("锡林浩特")
    page.locator("#pk-route-place-input").press("Enter")
    page.get_by_role("link", name="发现违法行为属市级部门管辖（苏木镇(街道)）").tap()
    page.get_by_role("list", name="违法行为正在进行?").get_by_role("link", name="否").tap()
    page.get_by_role("list", name="情况紧急?").get_by_role("link", name="否").tap()
    page.get_by_role("list", name="确需延长移送期限?").get_by_role("link", name="是").tap()
    text = answer_text(page)
    assert "市级业务主管部门" in text.split("交给谁", 1)[1].split("以谁的名义", 1)[0]
    assert "事先告知有管辖权的一方" in page.locator(".pk-route__steps").inner_text()
    page.get_by_role("button", name=re.compile("^计算期限：3个工作日内")).first.tap()
    # 3 working days from 9月30日: 10月1日–8日 off, then 9日, 10日 and the Saturday worked
    assert "截止：2025年10月11日（周六）24时" in fill_start(page, "dialog[open]", "2025-09-30")
    page.locator("dialog[open] label", has_text="延长后").tap()
    result = wait_result(page, "dialog[open]")
    assert "截止：2025年10月21日（周二）24时" in result  # at most 10 working days
    page.locator("dialog[open] summary").tap()
    working = page.locator("dialog[open] .pk-calc__working").inner_text()
    assert "10月11日（周六，调休上班" in working and "10月1日（周三，法定节假日·国庆节）" in working
    assert page.console_problems == []


def test_keyboard_only_through_the_guide(page: Any, product_server: Server) -> None:
    """Tab and Enter only, from the top of the page to the answer and its calculator."""
    page.set_viewport_size(PHONE)
    open_guide(page, product_server.url + GUIDE)

    def tab_to(condition: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            check = f"(() => {{ const a = document.activeElement; return {condition}; }})()"
            if page.evaluate(check):
                return
        raise AssertionError(f"Tab never reached: {condition}")

    tab_to("a.id === 'pk-route-place-input'")
    page.keyboard.type("金湖")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'pk-route-situation'")
    tab_to("a.textContent === '发现属县级部门管辖的违法行为（镇（街道））'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'pk-route-question'")
    assert page.locator("#pk-route-question").inner_text() == "违法行为正在进行？"
    tab_to("a.textContent === '是'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.textContent === '情况紧急？'")
    tab_to("a.textContent === '是'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'pk-route-answer'")
    assert "情况紧急：24小时内" in answer_text(page)
    tab_to("a.classList.contains('pk-due-button') && a.getAttribute('aria-label')"
           ".indexOf('24小时内') >= 0")
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog[open]")
    # the dialog has the focus, on the case the answer chose
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert page.evaluate("document.activeElement.checked") is True
    assert page.evaluate("document.activeElement.labels[0].textContent") == "情况紧急：24小时内"
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog[open]')")
    assert page.evaluate("document.activeElement.classList.contains('pk-due-button')")
    assert page.console_problems == []


def test_a_place_without_documents_says_so_and_points_below(
    phone: Any, product_server: Server
) -> None:
    page = phone
    open_guide(page, product_server.url + GUIDE)
    page.locator("#pk-route-place-input").fill("淮安")
    page.locator("#pk-route-place-input").press("Enter")
    box = page.locator(".pk-route__coverage")
    box.wait_for()
    assert "本站没有收录适用于淮安市的文件" in box.inner_text()
    assert page.locator("#pk-route-situation").count() == 0  # nothing to choose from
    box.get_by_role("link", name="金湖县").tap()
    page.wait_for_selector("#pk-route-situation")
    assert "金湖县有本级文件" in page.locator(".pk-route__coverage").inner_text()
    assert page.locator("#pk-route-place-input").count() == 0  # the place is chosen
    open_guide(page, product_server.url + GUIDE)
    page.locator("#pk-route-place-input").fill("不存在的县")
    assert "没有找到“不存在的县”" in page.locator(".pk-route__hint").inner_text()
    assert page.console_problems == []


def test_fallback_to_the_province_and_two_documents(phone: Any, route_server: Server) -> None:
    page = phone
    open_guide(page, route_server.url + GUIDE + "#j=xuyi")
    coverage = page.locator(".pk-route__coverage")
    coverage.wait_for()
    assert "盱眙县没有收录本级文件" in coverage.inner_text()
    assert "改用上级地区江苏省的文件" in coverage.inner_text()
    situation = page.get_by_role("link", name="发现违法行为（镇（街道））")
    assert situation.count() == 1
    assert "上级文件：江苏省" in page.locator(".pk-route__options li").first.inner_text()
    # 金湖县: its own document and the province's, the county's named the more specific
    open_guide(page, route_server.url + GUIDE + "#j=jinhu")
    # only the hash changes: wait for the new place, not for the old page's coverage
    page.locator(".pk-route__coverage", has_text="金湖县有本级文件").wait_for()
    text = coverage.inner_text()
    assert "金湖县有本级文件" in text and "上级地区江苏省的文件" in text
    assert "金湖县的文件适用范围更小、规定更具体" in text
    items = page.locator(".pk-route__options li", has_text="发现违法行为（镇（街道））")
    items.nth(1).wait_for()  # the situations come with the documents' scripts, after coverage
    assert items.count() == 2
    assert "本级文件" in items.nth(0).inner_text()
    assert "上级文件：江苏省" in items.nth(1).inner_text()
    items.nth(0).get_by_role("link").tap()
    page.get_by_role("list", name="情况紧急?").get_by_role("link", name="是").tap()
    answer_text(page)
    others = page.locator("#pk-route-answer ~ ul").last.inner_text()
    assert "江苏省" in others and "适用范围更大" in others
    assert page.console_problems == []


def test_procedures_without_questions_and_with_too_many(phone: Any, route_server: Server) -> None:
    page = phone
    open_guide(page, route_server.url + GUIDE + "#j=shandong")
    page.get_by_role("link", name="发现问题（镇街）").tap()
    page.wait_for_selector("#pk-route-answer")
    assert "这个流程没有需要判断的分支" in page.locator(".pk-route").inner_text()
    steps = page.locator(".pk-route__steps").inner_text()
    assert "县级部门接报" in steps and "县司法局接报" in steps  # both branches of the fan-out
    page.go_back()
    page.get_by_role("link", name="开始审查（镇街）").tap()
    page.wait_for_selector("#pk-route-answer")
    assert "分支较多，不逐一提问" in page.locator(".pk-route").inner_text()
    assert page.locator(".pk-route__steps > li").count() == 9
    # hostile-mini's labels are shown as the text they are
    open_guide(page, route_server.url + GUIDE + "#j=zhejiang")
    page.get_by_role("link", name="第1步:受理（镇街<b>|</b>）").tap()
    page.wait_for_selector("#pk-route-answer")
    assert "县级部门 [x](javascript:alert(1))" in answer_text(page)
    assert page.locator(".pk-route b, .pk-route script, .pk-route [onerror]").count() == 0
    assert page.console_problems == []


def test_the_guide_works_from_disk(page: Any, product_site: Project) -> None:
    """Opened as a file (no server): the data load as scripts; the chart is shown unmarked."""
    url = (product_site.site / "tools" / "case-routing" / "index.html").as_uri()
    page.goto(url + JINHU_ANSWER.removeprefix(GUIDE))
    assert "情况紧急：24小时内" in answer_text(page)
    image = page.locator(".pk-route__chart img")
    image.wait_for()
    assert image.get_attribute("src", timeout=1000).endswith(
        "diagrams/jinhu-2021-coordination/case-transfer-township-to-county.svg")
    assert page.console_problems == []


# --- 计算期限 ---------------------------------------------------------------------------------


def test_calculator_on_a_jinhu_document_page(phone: Any, product_server: Server) -> None:
    page = phone
    page.goto(product_server.url + "documents/jinhu-2021-coordination/")
    button = page.get_by_role("button", name="计算期限：5个工作日内，移送给有管辖权的一方处理")
    button.tap()
    dialog = "dialog[open]"
    assert page.locator(f"{dialog} legend").inner_text() == "情形"
    result = fill_start(page, dialog, "2025-01-24")
    assert "截止：2025年2月7日（周五）24时" in result  # 1月26日 worked, 春节 skipped
    page.locator(f"{dialog} summary").tap()
    working = page.locator(f"{dialog} .pk-calc__working").inner_text()
    assert "《中华人民共和国民法典》第二百零一条第一款" in working
    assert "1月28日（周二，法定节假日·春节）" in working
    assert "1月26日（周日，调休上班·春节）" in working
    with page.expect_download() as download:
        page.locator(f"{dialog} .pk-calc__ics").tap()
    ics = Path(download.value.path()).read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20250207" in ics
    assert "SUMMARY:期限截止：移送给有管辖权的一方处理（5个工作日内）" in ics
    assert "URL:" + product_server.url + "documents/jinhu-2021-coordination/#clock--" in ics
    # outside the holiday data: refused, naming the covered years
    assert "节假日数据仅覆盖" in fill_start(page, dialog, "2030-01-02")
    assert page.locator(f"{dialog} .pk-calc__ics").is_hidden()
    page.keyboard.press("Escape")
    assert page.locator(dialog).count() == 0
    assert page.console_problems == []


def test_the_button_stays_out_of_the_tables_text(page: Any, product_server: Server) -> None:
    """What policykb.js filters and sorts on is the cell's text: 计算期限 is not in it."""
    page.goto(product_server.url + "indexes/clocks/")
    button = page.locator(".pk-due-button").first
    button.wait_for()
    cell = button.locator("xpath=ancestor::td")
    assert "计算期限" not in cell.evaluate("td => td.textContent")
    assert button.get_attribute("aria-label").startswith("计算期限：")
    assert page.locator(".pk-due-button").count() == page.locator(".pk-due").count() > 0
    assert page.console_problems == []


def test_stand_alone_calculator(phone: Any, product_server: Server) -> None:
    page = phone
    page.goto(product_server.url + "tools/due-dates/")
    scope = ".pk-calculator"
    limit = page.get_by_label("期限", exact=True)
    limit.fill("二十四小时")
    assert "截止：2025年10月1日（周三）23:00" in fill_start(page, scope, "2025-09-30", "23:00")
    limit.fill("5个工作日")
    assert "截止：2025年2月7日（周五）24时" in fill_start(page, scope, "2025-01-24")
    limit.fill("3周")
    assert "无法识别的期限“3周”" in wait_result(page, scope)
    limit.fill("及时")
    assert "及时：文件未规定具体期限，不计算日期" in wait_result(page, scope)
    assert page.locator(f"{scope} .pk-calc__ics").is_hidden()
    assert page.console_problems == []


# --- accessibility ---------------------------------------------------------------------------

AXE_RUN = """async (include) => {
  const result = await axe.run({include: include}, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


def axe_violations(page: Any, include: list[list[str]]) -> list[str]:
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    page.add_script_tag(path=str(script))
    found: list[str] = page.evaluate(AXE_RUN, include)
    return found


def test_axe_finds_nothing_in_the_tools(phone: Any, product_server: Server) -> None:
    """WCAG 2.1 A and AA on what these tools add (the theme around them is issue 12's)."""
    page = phone
    open_guide(page, product_server.url + GUIDE)
    assert axe_violations(page, [[".pk-route"]]) == []
    open_guide(page, product_server.url + JINHU_ANSWER)
    page.locator(".pk-route__chart svg").wait_for()
    assert axe_violations(page, [[".pk-route"]]) == []
    page.goto(product_server.url + "tools/due-dates/")
    wait_result(page, ".pk-calculator")
    assert axe_violations(page, [[".pk-calculator"]]) == []
    page.goto(product_server.url + "documents/jinhu-2021-coordination/")
    page.locator(".pk-due-button").first.tap()
    wait_result(page, "dialog[open]")
    assert axe_violations(page, [["dialog"], [".pk-due-button"]]) == []
    assert page.console_problems == []
