"""The closed vocabularies of the knowledge base (levels, kinds, statuses, roles, units …).

Shared by the file schema (which parses them) and the domain model (which means them), so that
render and export never import the schema to name a unit or a role.  The Chinese words for them
are in ``generator.domain.wording``.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    COUNTRY = "country"
    PROVINCE = "province"
    PREFECTURE = "prefecture"  # 地级市, 盟, 自治州
    COUNTY = "county"  # 县, 县级市, 区, 旗
    TOWNSHIP = "township"  # 镇, 乡, 苏木, 街道


class Kind(StrEnum):
    MECHANISM = "mechanism"  # 工作机制 / 协调联动机制
    IMPLEMENTING_OPINION = "implementing-opinion"  # 实施意见
    GUIDING_OPINION = "guiding-opinion"  # 指导意见
    WORK_REPORT = "work-report"  # 工作报道 / 经验材料


class Status(StrEnum):
    TRIAL = "trial"  # 试行
    IN_FORCE = "in-force"  # 有效
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"


class Script(StrEnum):
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"


class Role(StrEnum):
    LEAD = "lead"  # 牵头
    RESPONSIBLE = "responsible"  # 负责 / 应当
    COOPERATES = "cooperates"  # 配合
    SUPPORTS = "supports"  # 支持 / 保障
    SUPERVISES = "supervises"  # 监督 / 考核
    INFORMED = "informed"  # 被告知 / 抄送


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    SAME_DAY = "same_day"  # 当日
    IMMEDIATELY = "immediately"  # 立即
    TIMELY = "timely"  # 及时 / 适时: no number given
    PERIODIC = "periodic"  # 定期: recurring, but the period is not stated
    RECURRING = "recurring"  # every period, value times
    BY_DATE = "by_date"  # a fixed deadline such as 2016年9月前


class Period(StrEnum):
    YEAR = "year"
    HALF_YEAR = "half_year"
    QUARTER = "quarter"
    MONTH = "month"


class StepKind(StrEnum):
    START = "start"
    TASK = "task"
    DECISION = "decision"
    END = "end"


NUMERIC_UNITS = frozenset({Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS})


class AnswerKind(StrEnum):
    """What kind of answer a codebook question takes (and so which facts may answer it)."""

    DURATION = "duration"  # how long: a clock's limit (3个工作日内, 24小时内, 立即, 及时, 当日)
    FREQUENCY = "frequency"  # how often: a recurring or periodic clock (每半年1次, 定期)
    DEADLINE = "deadline"  # by which calendar date: a by_date clock (2016年9月前)
    COUNT = "count"  # how many: a quota (不少于60学时, 不少于6人)
    ACTOR = "actor"  # who: a duty
    ESCALATION = "escalation"  # to whom, in turn: a procedure (协商 → 司法局 → 政府)
    YES_NO = "yes_no"  # whether: a duty stating the obligation or permission


class Stricter(StrEnum):
    """Which answers to a question count as stricter (the direction of 最严)."""

    SHORTER = "shorter"  # durations and deadlines: the shorter limit is stricter
    MORE = "more"  # quotas of 不少于 and frequencies: more (more often) is stricter
    FEWER = "fewer"  # quotas of 不超过: fewer is stricter
    NONE = "none"  # actors, chains, yes/no: answers are listed, not ranked


class Qualifier(StrEnum):
    """A word of the text that softens or bounds a rule; it travels with the fact."""

    IN_PRINCIPLE = "in_principle"  # 原则上
    GENERALLY = "generally"  # 一般
    MAY = "may"  # 可 / 可以
    AS_NEEDED = "as_needed"  # 视情 / 必要时 / 根据工作需要
    AT_MOST = "at_most"  # 不超过 / 最长不超过


class Attribution(StrEnum):
    """Whether the provision itself names who bears a fact, or the editors inferred it."""

    STATED = "stated"
    EDITORIAL = "editorial"


class Mark(StrEnum):
    """Where an answer stands among the answers to its question."""

    STRICTEST = "strictest"
    LOOSEST = "loosest"


class Relation(StrEnum):
    """A local answer against the answer of a jurisdiction above it."""

    STRICTER = "stricter"
    EQUAL = "equal"
    LOOSER = "looser"


#: The kinds of limit unit that answer each limit-kind question.
DURATION_UNITS = frozenset({Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS, Unit.SAME_DAY,
                            Unit.IMMEDIATELY, Unit.TIMELY})
FREQUENCY_UNITS = frozenset({Unit.RECURRING, Unit.PERIODIC})
DEADLINE_UNITS = frozenset({Unit.BY_DATE})
LIMIT_KINDS: dict[AnswerKind, frozenset[Unit]] = {
    AnswerKind.DURATION: DURATION_UNITS,
    AnswerKind.FREQUENCY: FREQUENCY_UNITS,
    AnswerKind.DEADLINE: DEADLINE_UNITS,
}
#: Which directions of "stricter" make sense for each kind of answer.
STRICTER_FOR_KIND: dict[AnswerKind, frozenset[Stricter]] = {
    AnswerKind.DURATION: frozenset({Stricter.SHORTER}),
    AnswerKind.FREQUENCY: frozenset({Stricter.MORE}),
    AnswerKind.DEADLINE: frozenset({Stricter.SHORTER}),
    AnswerKind.COUNT: frozenset({Stricter.MORE, Stricter.FEWER}),
    AnswerKind.ACTOR: frozenset({Stricter.NONE}),
    AnswerKind.ESCALATION: frozenset({Stricter.NONE}),
    AnswerKind.YES_NO: frozenset({Stricter.NONE}),
}
#: How each qualifier is spelled in the texts (simplified and traditional): the quote of a
#: qualified fact contains one of these, which is what the checker verifies.
QUALIFIER_SPELLINGS: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.IN_PRINCIPLE: ("原则上", "原則上"),
    Qualifier.GENERALLY: ("一般",),
    Qualifier.MAY: ("可",),
    Qualifier.AS_NEEDED: ("视", "視", "必要时", "必要時", "根据需要", "根據需要", "根据工作需要",
                          "根據工作需要"),
    Qualifier.AT_MOST: ("不超过", "不超過", "最长", "最長", "最多"),
}
