"""Chinese script handling: traditional ↔ simplified, via OpenCC's dictionaries.

Used by validation (warn about traditional characters in a simplified document) and by search
(index a simplified rendition of traditional text, so 规范 finds 規范).
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified rendition of ``text`` (characters already simplified are unchanged)."""
    return str(_t2s().convert(text))


def traditional_characters(text: str) -> list[str]:
    """Distinct characters of ``text`` that OpenCC would simplify, in order of appearance."""
    converted = to_simplified(text)
    if converted == text:
        return []
    seen: list[str] = []
    if len(converted) == len(text):
        for original, simple in zip(text, converted, strict=True):
            if original != simple and original not in seen:
                seen.append(original)
        return seen
    for ch in text:  # phrase conversion changed the length: fall back to per character
        if to_simplified(ch) != ch and ch not in seen:
            seen.append(ch)
    return seen
