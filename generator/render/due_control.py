"""The 计算期限 control's data: a clock's limits as the site's JavaScript reads them.

Every clock a table shows carries an empty ``<span class="pk-due" data-pk-due='…'>`` right after
its limit (``facts.clock_row``, which every clock table uses), and the guide's answers carry the
same data.  ``docs/assets/calculator.js`` turns the span into a button that computes the due
date in the browser (``docs/assets/deadline.js``); without JavaScript the page is unchanged.

The data: the clock (``key`` = document/clock, for the calendar event's UID; ``url`` of its row,
from the site root), its trigger and action, and its options: the limit itself, each variant
(情况紧急 …) and the extension cap, each limit in the shape the browser engine takes (the
engine's ``limit_json`` without empty fields).  A clock none of whose limits gives a date
(立即, 及时, 定期 …) gets no control: the table already says what such a limit is.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.deadlines.result import limit_json
from generator.domain.model import Clock, Limit
from generator.render import escape, links
from generator.vocabulary import Unit

#: Units the engine turns into a date (or a date-time); the others are shown as what they are.
COMPUTED_UNITS = frozenset({Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS, Unit.SAME_DAY})
#: The case label of the clock's own limit, and the prefix of an extension cap's.
GENERAL_CASE = "一般情形"
EXTENDED_CASE = "延长后"


def computable(limit: Limit) -> bool:
    return limit.upper_bound and limit.unit in COMPUTED_UNITS


def limit_data(limit: Limit) -> dict[str, Any]:
    """``{"unit": "hours", "value": 24, "label": "24小时内"}``: ``limit_json`` without the fields
    that are empty (``per``, ``date``) or the default (``upper_bound: true``)."""
    return {key: value for key, value in limit_json(limit).items()
            if value is not None and not (key == "upper_bound" and value is True)}


def options(clock: Clock) -> list[tuple[str, Limit]]:
    """(case, limit): the clock's own limit, each variant, the extension cap when it has one."""
    out = [(GENERAL_CASE, clock.limit), *((v.when, v.limit) for v in clock.variants)]
    extension = clock.extension
    if extension is not None and extension.max is not None:
        out.append((f"{EXTENDED_CASE}（{extension.condition}）", extension.max))
    return out


def clock_data(clock: Clock) -> dict[str, Any] | None:
    """The control's data, or None when no option of the clock gives a date."""
    cases = options(clock)
    if not any(computable(limit) for _, limit in cases):
        return None
    doc = clock.document
    return {
        "key": f"{doc.id}/{clock.id}",
        "url": links.page_url(links.document_page(doc.id)) + "#" + links.clock_anchor(clock.id),
        "trigger": clock.trigger,
        "action": clock.action,
        "options": [{"case": case, "limit": limit_data(limit)} for case, limit in cases],
    }


def marker(clock: Clock) -> Markup:
    """The span the control attaches to (empty Markup when the clock gets no control)."""
    data = clock_data(clock)
    if data is None:
        return Markup("")
    return Markup(f"<span class=\"pk-due\" data-pk-due='{escape.json_attr(data)}'></span>")
