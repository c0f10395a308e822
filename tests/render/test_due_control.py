"""The 计算期限 control's data (generator/render/due_control.py) and where it lands: beside the
limit of every clock that can give a date, in every table that shows clocks."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import load_kb

from generator.domain.model import KnowledgeBase
from generator.render import RenderedSite, links
from generator.render.due_control import clock_data, marker
from generator.render.site import render_site

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"<span class=\"pk-due\" data-pk-due='([^']*)'></span>")


@pytest.fixture(scope="module")
def real() -> KnowledgeBase:
    return load_kb(ROOT / "policies")


@pytest.fixture(scope="module")
def mini() -> KnowledgeBase:
    return load_kb(ROOT / "tests" / "fixtures" / "kb-mini")


@pytest.fixture(scope="module")
def mini_site(mini: KnowledgeBase) -> RenderedSite:
    return render_site(mini)


def markers(page: str) -> list[dict[str, object]]:
    return [json.loads(html.unescape(m)) for m in MARKER.findall(page)]


def test_a_clock_with_variants(real: KnowledgeBase) -> None:
    clock = real.document_by_id["jinhu-2021-coordination"].clock_by_id[
        "transfer-to-competent-party"]
    assert clock_data(clock) == {
        "key": "jinhu-2021-coordination/transfer-to-competent-party",
        "url": "documents/jinhu-2021-coordination/#clock--transfer-to-competent-party",
        "trigger": "在执法或日常监管过程中发现违法行为属于对方管辖",
        "action": "移送给有管辖权的一方处理",
        "options": [
            {"case": "一般情形",
             "limit": {"unit": "working_days", "value": 5, "label": "5个工作日内"}},
            {"case": "情况紧急", "limit": {"unit": "hours", "value": 24, "label": "24小时内"}},
            {"case": "发现违法行为正在进行", "limit": {"unit": "immediately", "label": "立即"}},
        ],
    }


def test_an_extension_cap_is_an_option(real: KnowledgeBase) -> None:
    xilinhot = real.document_by_id["xilinhot-2024-coordination"].clock_by_id["case-transfer"]
    data = clock_data(xilinhot)
    assert data is not None
    assert data["options"][-1] == {  # type: ignore[index]
        "case": "延长后（因调查核实等客观原因确需延长移送期限）",
        "limit": {"unit": "working_days", "value": 10, "label": "10个工作日内"}}
    same_day = real.document_by_id["jinhu-2021-coordination"].clock_by_id[
        "information-sharing-same-day"]
    shared = clock_data(same_day)
    assert shared is not None
    assert [o["limit"]["unit"] for o in shared["options"]] == [  # type: ignore[index]
        "same_day", "working_days"]


def test_no_control_where_no_limit_gives_a_date(real: KnowledgeBase) -> None:
    """立即, 及时, 定期 …: the table already says what they are."""
    jinhu = real.document_by_id["jinhu-2021-coordination"]
    for clock_id in ("complaint-acceptance", "notify-other-department", "consultation-meeting"):
        assert clock_data(jinhu.clock_by_id[clock_id]) is None
        assert marker(jinhu.clock_by_id[clock_id]) == ""
    computed = [c for d in real.documents for c in d.clocks if clock_data(c) is not None]
    assert 0 < len(computed) < sum(len(d.clocks) for d in real.documents)


def test_every_table_of_clocks_carries_the_control(mini: KnowledgeBase,
                                                   mini_site: RenderedSite) -> None:
    """Document page, procedure page, topic page and the clocks index: the same data."""
    clock = mini.document_by_id["jinhu-mini"].clock_by_id["transfer-clock"]
    expected = clock_data(clock)
    pages = [links.document_page("jinhu-mini"), links.procedure_page("jinhu-mini", "transfer-flow"),
             links.topic_page("case-transfer"), links.CLOCKS_INDEX]
    for page in pages:
        found = markers(mini_site.pages[page])
        assert expected in found, page
    # one control per clock that gives a date, right after its limit
    document = mini_site.pages[links.document_page("jinhu-mini")]
    assert len(markers(document)) == sum(clock_data(c) is not None
                                         for c in mini.document_by_id["jinhu-mini"].clocks)
    assert "**3个工作日内**<span class=\"pk-due\"" in document
