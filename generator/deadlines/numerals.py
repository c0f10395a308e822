"""Chinese numerals ↔ integers (二十四 ↔ 24), 0–9999.

Self-contained (standard library only) because more than one part of the project reads numbers
written in Chinese: the limit parser here (二十四小时 → 24 hours) and search, where 二十四小时
must find 24小时.  Both directions are strict: a string that is not a well-formed numeral is an
error, never a guess (二百五 could be 205 or 250, so it is refused).
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
#: Every character a Chinese numeral may contain, for building regular expressions.
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
MAX_VALUE = 9999

_WRITE_DIGITS = "零一二三四五六七八九"
_WRITE_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def parse_number(text: str, *, digit_strings: bool = True) -> int:
    """``24``, ``２４``, ``二十四``, ``十``, ``两``, ``一百零五``, ``二〇二五`` → int.

    ``digit_strings=False`` refuses the year style (二〇二五, 二二) where a quantity is expected:
    nobody writes a limit that way, so 二二个工作日 is more likely a typo than 22.  Raises
    ``ValueError`` with a one-line message for anything else.
    """
    if text.isdecimal():  # ASCII and full-width digits alike
        return int(text)
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        raise ValueError(f"不是数字：{text!r}")
    if not any(c in UNITS for c in text):
        if len(text) > 1 and not digit_strings:
            raise ValueError(f"不是规范的数字：{text!r}")
        return _digit_string(text)
    return _positional(text)


def _digit_string(text: str) -> int:
    """二〇二五 → 2025: one digit per position, as years are written."""
    if len(text) > 1 and DIGITS[text[0]] == 0:
        raise ValueError(f"不是数字：{text!r}")
    return int("".join(str(DIGITS[c]) for c in text))


def _positional(text: str) -> int:
    """Digits with 十/百/千, read leniently, then accepted only in the written form.

    Comparing with ``to_chinese`` of the result keeps one definition of a well-formed numeral:
    一百十, 十十 or 二百五 read as some number but are not how that number is written.
    """
    total = digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        else:
            total += (digit or 1) * UNITS[char]
            digit = 0
    total += digit
    written = text.replace("两", "二").replace("〇", "零")
    canonical = to_chinese(total) if total <= MAX_VALUE else ""
    if written not in {canonical, "一" + canonical if canonical.startswith("十") else canonical}:
        raise ValueError(f"不是规范的数字：{text!r}")
    return total


def to_chinese(value: int) -> str:
    """24 → 二十四, 10 → 十, 105 → 一百零五, 1050 → 一千零五十 (the forms texts use)."""
    if not 0 <= value <= MAX_VALUE:
        raise ValueError(f"只支持0到{MAX_VALUE}：{value}")
    if value == 0:
        return "零"
    parts: list[str] = []
    rest = value
    pending_zero = False
    for unit, name in _WRITE_UNITS:
        digit, rest = divmod(rest, unit)
        if digit:
            if pending_zero:
                parts.append("零")
            parts.append(_WRITE_DIGITS[digit] + name)
            pending_zero = False
        elif parts:
            pending_zero = True
    if rest:
        if pending_zero:
            parts.append("零")
        parts.append(_WRITE_DIGITS[rest])
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text

