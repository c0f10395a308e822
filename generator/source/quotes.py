"""What counts as a verbatim quote: whole words from one provision's heading or from its text.

A quote is what lets a reviewer trust a fact, so three mistakes are refused: a quote that is not
in the provision (whitespace aside), one that runs from the heading into the text (the page shows
them apart, and the squashed pair would match words that are never printed together), and one too
short to prove anything (a single '，' is found in every provision).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.source.schema import MIN_QUOTE_ALNUM, MIN_QUOTE_HAN

_WHITESPACE = re.compile(r"\s+")
#: CJK unified ideographs (the basic block, extensions A to H and the compatibility block).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def squash(text: str) -> str:
    """The text without any whitespace: quotes are compared whitespace aside."""
    return _WHITESPACE.sub("", text)


def too_short(quote: str) -> bool:
    """True when ``quote`` has fewer Chinese characters and fewer letters/digits than required."""
    han = len(_HAN.findall(quote))
    return han < MIN_QUOTE_HAN and sum(ch.isalnum() for ch in quote) < MIN_QUOTE_ALNUM


@dataclass(frozen=True)
class QuoteProblem:
    """Why a quote fails: a diagnostic name, a message and a hint."""

    name: str
    message: str
    hint: str


_COPY_HINT = (
    "copy the excerpt from the provision's heading or text exactly (punctuation included; only "
    "whitespace is ignored), or name the right provision"
)


class ProvisionTexts:
    """Each provision id → its heading and its text, squashed.

    A duplicated id is reported elsewhere (PK201); quotes are checked against the first
    provision with that id, so the duplicate causes no second wave of errors.
    """

    def __init__(self, provisions: Iterable[tuple[str, str, str]]) -> None:
        self._parts: dict[str, tuple[str, str]] = {}
        for pid, heading, text in provisions:
            self._parts.setdefault(pid, (squash(heading), squash(text)))

    def __contains__(self, pid: object) -> bool:
        return pid in self._parts

    def ids(self) -> list[str]:
        return list(self._parts)

    def names(self, pid: str, words: Iterable[str]) -> bool:
        """True when one of ``words`` (an actor's name or aliases) appears in provision ``pid``
        (its heading or its text, whitespace aside)."""
        heading, text = self._parts[pid]
        return any(w and (w in heading or w in text) for w in map(squash, words))

    def problem(self, pid: str, quote: str) -> QuoteProblem | None:
        """What is wrong with ``quote`` as an excerpt of provision ``pid`` (known), or None."""
        wanted = squash(quote)
        shown = quote if len(quote) <= 40 else quote[:40] + "…"
        if not wanted:
            return QuoteProblem("quote-not-found", "quote is blank",
                                "copy the excerpt that proves the fact")
        if too_short(wanted):
            return QuoteProblem(
                "quote-too-short", f"quote {shown!r} is too short to prove a fact",
                f"quote the words that state the fact: at least {MIN_QUOTE_HAN} Chinese "
                f"characters or {MIN_QUOTE_ALNUM} letters and digits, usually a whole clause",
            )
        heading, text = self._parts[pid]
        if wanted in heading or wanted in text:
            return None
        if heading and text and wanted in heading + text:
            return QuoteProblem(
                "quote-not-found",
                f"quote runs from the heading into the text of provision {pid!r}: {shown!r}",
                "quote from the heading or from the text, not both; split it into the part "
                "that proves the fact",
            )
        return QuoteProblem(
            "quote-not-found", f"quote not found verbatim in provision {pid!r}: {shown!r}",
            _COPY_HINT,
        )
