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
