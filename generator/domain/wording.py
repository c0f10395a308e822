"""Chinese wording of structured values: limits, quotas, roles, kinds, statuses, dates.

The site's wording for limits follows the texts themselves (3个工作日内, 立即, 及时, 定期, 当日,
每半年1次, 2016年9月前, 不少于60学时/年).  ``comparable_hours`` is the normalised duration used to
mark the strictest and loosest rule on a topic page: a working day counts as 24 h × 7/5, 立即 as
0 h, 当日 as 24 h; 及时 (no number), 定期, recurrences and fixed dates are not durations and are
left out of the comparison.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

from generator.domain.model import Limit
from generator.vocabulary import (
    NUMERIC_UNITS,
    AnswerKind,
    Kind,
    Level,
    Mark,
    Period,
    Qualifier,
    Relation,
    Role,
    Script,
    Status,
    Unit,
)

WORKING_DAY_HOURS = 24 * 7 / 5

ROLE_LABEL: dict[Role, str] = {
    Role.LEAD: "牵头",
    Role.RESPONSIBLE: "负责",
    Role.COOPERATES: "配合",
    Role.SUPPORTS: "支持保障",
    Role.SUPERVISES: "监督",
    Role.INFORMED: "知悉",
}
ROLE_ORDER: dict[Role, int] = {role: i for i, role in enumerate(ROLE_LABEL)}

KIND_LABEL: dict[Kind, str] = {
    Kind.MECHANISM: "工作机制",
    Kind.IMPLEMENTING_OPINION: "实施意见",
    Kind.GUIDING_OPINION: "指导意见",
    Kind.WORK_REPORT: "工作报道",
}

STATUS_LABEL: dict[Status, str] = {
    Status.TRIAL: "试行",
    Status.IN_FORCE: "有效",
    Status.SUPERSEDED: "失效",
    Status.UNKNOWN: "效力未知",
}

SCRIPT_LABEL: dict[Script, str] = {
    Script.SIMPLIFIED: "简体",
    Script.TRADITIONAL: "繁体",
}

LEVEL_LABEL: dict[Level, str] = {
    Level.COUNTRY: "国家",
    Level.PROVINCE: "省级",
    Level.PREFECTURE: "地市级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇级",
}

#: Units of a limit as a column of a table says them (CSV, XLSX).
UNIT_LABEL: dict[Unit, str] = {
    Unit.WORKING_DAYS: "工作日",
    Unit.CALENDAR_DAYS: "自然日",
    Unit.HOURS: "小时",
    Unit.SAME_DAY: "当日",
    Unit.IMMEDIATELY: "立即",
    Unit.TIMELY: "及时",
    Unit.PERIODIC: "定期",
    Unit.RECURRING: "周期",
    Unit.BY_DATE: "截止日期",
}

_PERIOD_EVERY = {
    Period.YEAR: "每年",
    Period.HALF_YEAR: "每半年",
    Period.QUARTER: "每季度",
    Period.MONTH: "每月",
}
_PERIOD_PER = {
    Period.YEAR: "年",
    Period.HALF_YEAR: "半年",
    Period.QUARTER: "季度",
    Period.MONTH: "月",
}
_COMPARATOR = {"at_least": "不少于", "at_most": "不超过", "exactly": ""}

NO_CLEAR_LIMIT = "无明确时限"
NOT_STATED = "未载明"
#: A document covers the topic but does not answer the question.
NOT_ANSWERED = "未规定"
#: A jurisdiction's documents do not cover the topic at all.
NOT_COVERED = "未涉及"
#: The site's mark on an actor the provision does not name (``attribution: editorial``).
EDITORIAL = "编者推定"
#: An extension the text allows without a cap.
NO_CAP = "未规定延长上限"

QUALIFIER_LABEL: dict[Qualifier, str] = {
    Qualifier.IN_PRINCIPLE: "原则上",
    Qualifier.GENERALLY: "一般",
    Qualifier.MAY: "可",
    Qualifier.AS_NEEDED: "视情",
    Qualifier.AT_MOST: "不超过",
}
#: What a qualifier means for a comparison, said once under each table that shows one.
QUALIFIER_MEANING: dict[Qualifier, str] = {
    Qualifier.IN_PRINCIPLE: "“原则上”是原则性要求，不是硬性期限",
    Qualifier.GENERALLY: "“一般”指通常情形，允许例外",
    Qualifier.MAY: "“可”是可选做法，不是义务",
    Qualifier.AS_NEEDED: "“视情”“必要时”视具体情况而定",
    Qualifier.AT_MOST: "“不超过”是上限",
}
MARK_LABEL: dict[Mark, str] = {Mark.STRICTEST: "最严", Mark.LOOSEST: "最宽"}
RELATION_LABEL: dict[Relation, str] = {
    Relation.STRICTER: "比上级规定严",
    Relation.EQUAL: "与上级规定相同",
    Relation.LOOSER: "比上级规定宽",
}
#: What a looser local rule is called: it may conflict with the higher rule (a reviewer checks).
POSSIBLE_CONFLICT = "可能冲突"
#: Said when two or more answers to a question compare and are all equal.
TIED = "并列（长短相同）"
ANSWER_KIND_LABEL: dict[AnswerKind, str] = {
    AnswerKind.DURATION: "时长",
    AnswerKind.FREQUENCY: "频次",
    AnswerKind.DEADLINE: "截止日期",
    AnswerKind.COUNT: "数量",
    AnswerKind.ACTOR: "主体",
    AnswerKind.ESCALATION: "逐级处理",
    AnswerKind.YES_NO: "是否",
}


def limit_text(limit: Limit) -> str:
    """``3个工作日内``, ``24小时内``, ``立即``, ``及时``, ``当日``, ``每半年1次``, ``2016年9月前``.

    A floor (``upper_bound: false``) reads ``不少于3个工作日`` / ``每半年至少1次``.
    """
    match limit.unit:
        case Unit.WORKING_DAYS | Unit.CALENDAR_DAYS | Unit.HOURS:
            amount = {
                Unit.WORKING_DAYS: f"{limit.value}个工作日",
                Unit.CALENDAR_DAYS: f"{limit.value}日",
                Unit.HOURS: f"{limit.value}小时",
            }[limit.unit]
            return f"{amount}内" if limit.upper_bound else f"不少于{amount}"
        case Unit.SAME_DAY:
            return "当日"
        case Unit.IMMEDIATELY:
            return "立即"
        case Unit.TIMELY:
            return "及时"
        case Unit.PERIODIC:
            return "定期"
        case Unit.RECURRING:
            assert limit.per is not None
            every = _PERIOD_EVERY[limit.per]
            return f"{every}{limit.value}次" if limit.upper_bound else f"{every}至少{limit.value}次"
        case Unit.BY_DATE:
            assert limit.date is not None
            return f"{month_text(limit.date)}前"
    assert_never(limit.unit)


def qualified_limit_text(limit: Limit, qualifier: Qualifier | None) -> str:
    """The limit with its qualifier, as the texts say it: ``原则上每半年1次``, ``一般3个工作日内``,
    ``不超过7个工作日``; without a qualifier, :func:`limit_text`."""
    text = limit_text(limit)
    if qualifier is None:
        return text
    if qualifier is Qualifier.AT_MOST and limit.unit in NUMERIC_UNITS:
        return "不超过" + text.removesuffix("内")
    return QUALIFIER_LABEL[qualifier] + text


def cap_text(limit: Limit | None) -> str:
    """``最长不超过10个工作日`` for an extension cap; :data:`NO_CAP` when the text sets none."""
    if limit is None:
        return NO_CAP
    if limit.unit in NUMERIC_UNITS:
        return "最长不超过" + limit_text(limit).removesuffix("内")
    return "延长至" + limit_text(limit)


def comparable_hours(limit: Limit) -> float | None:
    """Normalised duration in hours, or None when the limit is not a comparable deadline."""
    if not limit.upper_bound:
        return None
    match limit.unit:
        case Unit.WORKING_DAYS:
            return float(limit.value or 0) * WORKING_DAY_HOURS
        case Unit.CALENDAR_DAYS:
            return float(limit.value or 0) * 24
        case Unit.HOURS:
            return float(limit.value or 0)
        case Unit.SAME_DAY:
            return 24.0
        case Unit.IMMEDIATELY:
            return 0.0
        case _:
            return None


def not_comparable_reason(limit: Limit) -> str:
    """Why a limit has no normalised duration (shown instead of 最严/最宽)."""
    if not limit.upper_bound:
        return "下限，不参与比较"
    match limit.unit:
        case Unit.RECURRING | Unit.PERIODIC:
            return "周期要求，不参与比较"
        case Unit.BY_DATE:
            return "截止日期，不参与比较"
        case _:
            return NO_CLEAR_LIMIT


def unranked_reason(limit: Limit | None, extension: bool = False) -> str:
    """Why an answer to a ranked question takes no part in the ranking."""
    if limit is None:
        return "未规定上限，不参与比较" if extension else "不参与比较"
    match limit.unit:
        case Unit.PERIODIC:
            return "未写周期，不参与比较"
        case Unit.TIMELY:
            return "无明确时限，不参与比较"
        case _:
            return not_comparable_reason(limit)


def hours_text(hours: float | None) -> str:
    """``72``, ``33.6``; the comparison column of clock tables."""
    if hours is None:
        return "—"
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def sort_key_hours(limit: Limit) -> str:
    """Value for the ``data-sort`` hook: hours, with non-durations after every number."""
    hours = comparable_hours(limit)
    return hours_text(hours) if hours is not None else "999999"


def quota_text(comparator: str, value: int, unit: str, per: Period | None) -> str:
    """``不少于60学时/年``, ``不少于6人``."""
    text = f"{_COMPARATOR.get(comparator, '')}{value}{unit}"
    return f"{text}/{_PERIOD_PER[per]}" if per is not None else text


def date_text(value: dt.date | None) -> str:
    """``2021年6月17日`` or ``未载明``."""
    if value is None:
        return NOT_STATED
    return f"{value.year}年{value.month}月{value.day}日"


def month_text(value: str) -> str:
    """``2016-09`` → ``2016年9月``; ``2016-09-30`` → ``2016年9月30日``."""
    parts = value.split("-")
    text = f"{int(parts[0])}年{int(parts[1])}月"
    return text + f"{int(parts[2])}日" if len(parts) > 2 else text
