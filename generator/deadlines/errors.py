"""Why a due date cannot be computed: one line of Chinese, shown as is by the command and the site.

Every refusal is a ``DeadlineError`` so a caller catches one type; the subclasses let tests and
callers tell a bad input from a date the holiday data does not cover.
"""

from __future__ import annotations


class DeadlineError(ValueError):
    """Base of every refusal; ``str(error)`` is the whole message."""


class LimitSyntaxError(DeadlineError):
    """A limit as written (``3个工作日``) that the parser does not understand."""


class StartSyntaxError(DeadlineError):
    """A start that is neither ``YYYY-MM-DD`` nor ``YYYY-MM-DDTHH:MM``."""


class NeedsStartTime(DeadlineError):
    """An hour limit given a start date without a time: inventing 00:00 would make up a date."""


class OutsideCoverage(DeadlineError):
    """The computation needs a day the holiday data does not cover."""


class UnknownClock(DeadlineError):
    """A ``DOCUMENT_ID/CLOCK_ID`` that names no clock, variant or extension cap."""
