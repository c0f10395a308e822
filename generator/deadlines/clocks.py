"""``DOCUMENT_ID/CLOCK_ID`` → the limit to compute: the clock's own, a variant's or its cap.

A variant (情况紧急 24小时) or an extension cap (最长不超过10个工作日) is a ``Limit`` like the
clock's, so the engine needs nothing else; this module only finds it and says, in one line,
what is wrong with a reference that names nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.deadlines.errors import UnknownClock
from generator.diagnostics import closest
from generator.domain.model import Clock, KnowledgeBase, Limit
from generator.domain.wording import limit_text


@dataclass(frozen=True)
class ClockLimit:
    """The limit picked from a clock, with what the clock is about (for the heading)."""

    reference: str
    document_title: str
    clock: Clock
    limit: Limit
    case: str | None  # the variant's condition, or 延长后 for an extension cap

    def heading(self) -> list[str]:
        lines = [
            f"时限：{self.reference}（{self.document_title}）",
            f"事项：{self.clock.trigger} → {self.clock.action}",
        ]
        if self.case:
            lines.append(f"情形：{self.case}")
        others = [f"--variant {i}：{v.when}，{limit_text(v.limit)}"
                  for i, v in enumerate(self.clock.variants)]
        if self.clock.extension is not None and self.clock.extension.max is not None:
            others.append(f"--extended：延长后最长{limit_text(self.clock.extension.max)}")
        if others:
            lines.append("其他情形：" + "；".join(others))
        return lines


def clock_limit(
    kb: KnowledgeBase, reference: str, *, variant: int | None = None, extended: bool = False
) -> ClockLimit:
    """Find the clock named by ``reference`` and the limit asked for."""
    document_id, sep, clock_id = reference.partition("/")
    if not sep or not document_id or not clock_id or "/" in clock_id:
        raise UnknownClock(f"“{reference}”不是“文件id/时限id”的形式，例如 "
                           "jinhu-2021-coordination/transfer-to-competent-party")
    document = kb.document_by_id.get(document_id)
    if document is None:
        raise UnknownClock(f"知识库中没有文件“{document_id}”" +
                           _suggest(document_id, list(kb.document_by_id)))
    clock = document.clock_by_id.get(clock_id)
    if clock is None:
        raise UnknownClock(f"文件 {document_id} 中没有时限“{clock_id}”" +
                           _suggest(clock_id, list(document.clock_by_id)))
    title = document.title
    if variant is not None:
        if not 0 <= variant < len(clock.variants):
            choices = "、".join(f"{i} {v.when}" for i, v in enumerate(clock.variants))
            raise UnknownClock(f"时限 {reference} 没有第 {variant} 种情形；" +
                               (f"可选 --variant {choices}" if choices else "它没有其他情形"))
        chosen = clock.variants[variant]
        return ClockLimit(reference, title, clock, chosen.limit, chosen.when)
    if extended:
        if clock.extension is None:
            raise UnknownClock(f"时限 {reference} 没有延长的规定")
        if clock.extension.max is None:
            raise UnknownClock(f"时限 {reference} 的延长没有规定上限"
                               f"（原文：{clock.extension.quote}），无法计算延长后的期限")
        return ClockLimit(reference, title, clock, clock.extension.max,
                          f"延长后（{clock.extension.condition}）")
    return ClockLimit(reference, title, clock, clock.limit, None)


def _suggest(name: str, known: list[str]) -> str:
    close = closest(name, sorted(known))
    if close is not None:
        return f"；是否要找 {close}？"
    return "；可选：" + "、".join(sorted(known)) if known else ""
