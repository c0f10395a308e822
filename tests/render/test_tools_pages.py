"""The officer tools' pages (generator/render/tools.py): the calculator's rules and coverage come
from the engine; the guide is one page, linked from the home page and the navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.deadlines import engine, holiday_calendar
from generator.pipeline import load_knowledge_base
from generator.render import RenderedSite, links
from generator.render.routing import INDEX_SCRIPT
from generator.render.site import render_site
from generator.render.tools import RULES, TREATMENTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site() -> RenderedSite:
    kb, report = load_knowledge_base(ROOT / "tests" / "fixtures" / "kb-mini")
    assert kb is not None, [d.format() for d in report.errors]
    return render_site(kb)


def rows(page: str, heading: str) -> list[list[str]]:
    table = page.split(heading, 1)[1].split("\n## ", 1)[0]
    return [[c.strip() for c in line.strip("| ").split(" | ")]
            for line in table.splitlines() if line.startswith("| ")][2:]


def test_the_rules_are_the_engines_with_their_legal_sources(site: RenderedSite) -> None:
    page = site.pages[links.DUE_PAGE]
    found = rows(page, "## 计算规则")
    assert [r[0] for r in found] == [rule.text for rule in RULES]
    sources = " ".join(r[1] for r in found)
    assert "民法典》第二百零一条第一款" in sources and "民法典》第二百零三条第一款" in sources
    assert {engine.START_NOT_COUNTED, engine.LAST_DAY_REST, engine.HOURS} <= set(RULES)
    words = {r[0]: r[1] for r in rows(page, "## 不计算日期的期限")}
    assert list(words)[:4] == ["立即", "及时", "当日", "定期"]
    assert len(words) == len(TREATMENTS)
    assert words["当日"] == engine.SAME_DAY_REASON.partition("：")[2]


def test_the_coverage_is_the_installed_datas(site: RenderedSite) -> None:
    page = site.pages[links.DUE_PAGE]
    calendar = holiday_calendar()
    assert f"**{calendar.coverage}**" in page
    years = rows(page, "## 节假日数据")
    assert [int(r[0]) for r in years] == list(range(calendar.first_year, calendar.last_year + 1))
    by_year = {r[0]: r for r in years}
    # the 2025 rules: 除夕 is a holiday (春节 4 days), 劳动节 2 days; 2024: 3 and 1
    assert "春节4天" in by_year["2025"][1] and "劳动节2天" in by_year["2025"][1]
    assert "春节3天" in by_year["2024"][1] and "劳动节1天" in by_year["2024"][1]
    assert "1月26日" in by_year["2025"][3]  # a Sunday worked before 春节 2025
    assert "data-pk-calculator" in page


def test_the_guide_page_mounts_the_guide_on_its_data(site: RenderedSite) -> None:
    page = site.pages[links.ROUTE_PAGE]
    assert f'data-pk-route="{INDEX_SCRIPT}"' in page
    assert INDEX_SCRIPT in site.binaries and links.HOLIDAYS_SCRIPT in site.binaries
    assert site.binaries[links.HOLIDAYS_SCRIPT].startswith(b"/* ")
    # without JavaScript, the page says where to go instead (links MkDocs checks)
    assert "(../jurisdictions/index.md)" in page and "(../documents/index.md)" in page


def test_home_page_and_navigation_lead_to_the_guide(site: RenderedSite) -> None:
    assert "[案件去向](tools/case-routing.md)" in site.pages[links.HOME]
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    nav = [next(iter(item.items())) for item in config["nav"]]
    assert [title for title, target in nav if target == links.ROUTE_PAGE] == ["案件去向"]
    assert len(nav) <= 10
    # the calculator on every page; the guide's script only on its page (loaded by the former)
    assert "assets/calculator.js" in config["extra_javascript"]
    assert "assets/route.js" not in config["extra_javascript"]
    assert 'data-pk-load="assets/route.js"' in site.pages[links.ROUTE_PAGE]
    assert (ROOT / "docs" / "assets" / "route.js").is_file()
    assert "assets/tools.css" in config["extra_css"]
    assert re.search(r"\[期限计算\]\(\.\./tools/due-dates\.md\)",
                     (ROOT / "docs" / "about" / "index.md").read_text(encoding="utf-8"))
