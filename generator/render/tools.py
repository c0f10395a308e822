"""The two officer tools' pages: 案件去向 (the guide) and 期限计算 (the calculator's rules).

Both pages work in the browser (``docs/assets/route.js``, ``docs/assets/calculator.js``) and
say without JavaScript where to go instead.  The calculator page states its rules and the
holiday data's coverage from the engine itself (``generator.deadlines``): the page cannot say
one thing while the engine does another.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.deadlines import engine
from generator.deadlines.holidays import DayKind, HolidayCalendar, holiday_calendar
from generator.deadlines.result import Rule
from generator.render import escape, links
from generator.render.context import RenderContext
from generator.render.routing import INDEX_SCRIPT
from generator.vocabulary import Unit

ROUTE_PAGE = links.ROUTE_PAGE
DUE_PAGE = links.DUE_PAGE
ABOUT_PAGE = "about/tools.md"  # hand-written
#: The guide's script, loaded on its page only (by calculator.js, which is on every page).
ROUTE_SCRIPT = "assets/route.js"

#: The rules in the order a reader meets them.
RULES: tuple[Rule, ...] = (
    engine.START_NOT_COUNTED, engine.WORKING_DAYS, engine.CALENDAR_DAYS, engine.LAST_DAY_REST,
    engine.ENDS_AT_MIDNIGHT, engine.HOURS,
)
#: How the limits that are not counted are treated, each reading 写法：处理 (the engine's own
#: reasons, in the order a reader meets them).
TREATMENTS = (
    engine.NOT_COMPUTED[Unit.IMMEDIATELY], engine.NOT_COMPUTED[Unit.TIMELY],
    engine.SAME_DAY_REASON, engine.NOT_COMPUTED[Unit.PERIODIC],
    engine.NOT_COMPUTED[Unit.RECURRING], engine.NOT_COMPUTED[Unit.BY_DATE], engine.FLOOR,
)


@dataclass(frozen=True)
class RuleView:
    text: Markup
    source: Markup
    quote: Markup


@dataclass(frozen=True)
class TreatmentView:
    limit: Markup
    treatment: Markup


@dataclass(frozen=True)
class YearView:
    year: int
    holidays: Markup
    in_lieu: Markup
    makeup: Markup


@dataclass(frozen=True)
class DuePage:
    title: Markup
    front_title: Markup
    coverage: Markup
    source: Markup
    rules: list[RuleView]
    treatments: list[TreatmentView]
    years: list[YearView]
    route_link: Markup
    clocks_link: Markup
    about_link: Markup


@dataclass(frozen=True)
class RoutePage:
    title: Markup
    front_title: Markup
    index_script: Markup
    script: Markup
    due_link: Markup
    jurisdictions_link: Markup
    documents_link: Markup
    about_link: Markup


def _link(page: str, text: str, target: str, anchor: str | None = None) -> Markup:
    return escape.md_link(text, links.relative(page, target, anchor))


def _days(days: list[str]) -> Markup:
    return escape.md_cell("、".join(days) if days else "—")


def _years(calendar: HolidayCalendar) -> list[YearView]:
    """Per covered year: the statutory holidays (by festival), the weekdays off arranged by the
    notice, and the weekend days worked instead."""
    out = []
    for year in range(calendar.first_year, calendar.last_year + 1):
        festivals: dict[str, int] = {}
        in_lieu: list[str] = []
        makeup: list[str] = []
        for day, info in calendar.special.items():
            if day.year != year:
                continue
            label = f"{day.month}月{day.day}日"
            if info.kind is DayKind.HOLIDAY and info.holiday:
                for name in info.holiday.split("、"):
                    festivals[name] = festivals.get(name, 0) + 1
            elif info.kind is DayKind.IN_LIEU:
                in_lieu.append(label)
            elif info.kind is DayKind.MAKEUP:
                makeup.append(label)
        holidays = [f"{name}{count}天" for name, count in festivals.items()]
        out.append(YearView(year, _days(holidays), _days(in_lieu), _days(makeup)))
    return out


def due_page(ctx: RenderContext) -> DuePage:
    page = DUE_PAGE
    calendar = holiday_calendar()
    treatments = []
    for reason in TREATMENTS:
        limit, _, treatment = reason.partition("：")
        treatments.append(TreatmentView(escape.md_cell(limit), escape.md_cell(treatment)))
    return DuePage(
        title=escape.md_text("期限计算"),
        front_title=escape.front_matter("期限计算"),
        coverage=escape.md_text(calendar.coverage),
        source=escape.md_text(calendar.source),
        rules=[RuleView(escape.md_cell(r.text), escape.md_cell(r.source), escape.md_cell(r.quote))
               for r in RULES],
        treatments=treatments,
        years=_years(calendar),
        route_link=_link(page, "案件去向", ROUTE_PAGE),
        clocks_link=_link(page, "全部时限", links.CLOCKS_INDEX),
        about_link=_link(page, "期限计算与案件去向的说明", ABOUT_PAGE),
    )


def route_page(ctx: RenderContext) -> RoutePage:
    page = ROUTE_PAGE
    return RoutePage(
        title=escape.md_text("案件去向"),
        front_title=escape.front_matter("案件去向"),
        index_script=escape.html_attr(INDEX_SCRIPT),
        script=escape.html_attr(ROUTE_SCRIPT),
        due_link=_link(page, "期限计算", DUE_PAGE),
        jurisdictions_link=_link(page, "地区", links.JURISDICTIONS_INDEX),
        documents_link=_link(page, "文件", links.DOCUMENTS_INDEX),
        about_link=_link(page, "说明与局限", ABOUT_PAGE),
    )
