"""Which dates are plausible: none before the People's Republic, none far in the future.

A typo such as ``issued: 2201-03-01`` is a valid date, so the format accepts it; it then puts the
year 2201 on the site and breaks mkdocs' sitemap writer.  These rules catch such typos at their
line.  They depend on today's date, so they run on the dates a document check collected
(``DatedField``) outside the check cache: a cached check stays valid from one day to the next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, SourceLocation, diag
from generator.source.schema import (
    DEADLINE_AHEAD_YEARS,
    EARLIEST_DATE,
    EFFECTIVE_AHEAD_DAYS,
    FUTURE_GRACE_DAYS,
)

#: Dates that record something that has already happened.
PAST_FIELDS = ("issued", "published", "retrieved", "verified")


@dataclass(frozen=True)
class DatedField:
    """One date of a document: where it is written, which field, its value and its spelling.

    ``field`` is ``issued``, ``published``, ``effective``, ``retrieved``, ``verified`` or
    ``deadline`` (the date of a ``by_date`` limit, whose ``text`` may be a month, YYYY-MM).
    """

    location: SourceLocation
    field: str
    value: dt.date
    text: str


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def implausible_dates(fields: list[DatedField], today: dt.date) -> list[Diagnostic]:
    """Every date of one document that cannot be right, each at its own line."""
    found: list[Diagnostic] = []
    stated = [f.value for f in fields if f.field in ("issued", "published")]
    anchor = max(stated, default=None)
    for f in fields:
        if f.value < EARLIEST_DATE:
            found.append(diag(
                "implausible-date", f.location,
                f"{f.field} {f.text} is before {EARLIEST_DATE}",
                f"check the year; no policy in this knowledge base is dated before "
                f"{EARLIEST_DATE}",
            ))
        elif f.field in PAST_FIELDS and f.value > today + dt.timedelta(days=FUTURE_GRACE_DAYS):
            found.append(diag(
                "implausible-date", f.location, f"{f.field} {f.text} is in the future",
                "check the year; issued, published, retrieved and verified dates cannot lie after "
                "today",
            ))
        elif f.field == "effective" and f.value > (anchor or today) + dt.timedelta(
            days=EFFECTIVE_AHEAD_DAYS
        ):
            since = f"the document's date ({anchor})" if anchor else "today"
            found.append(diag(
                "implausible-date", f.location,
                f"effective {f.text} is more than a year after {since}",
                "check the year; a document takes effect at most a year after it is issued or "
                "published (after today when neither date is stated)",
            ))
        elif f.field == "deadline" and f.value > _add_years(anchor or today,
                                                            DEADLINE_AHEAD_YEARS):
            since = f"the document's date ({anchor})" if anchor else "today"
            found.append(diag(
                "implausible-date", f.location,
                f"by_date deadline {f.text} is more than {DEADLINE_AHEAD_YEARS} years after "
                f"{since}",
                f"check the year; a deadline may lie at most {DEADLINE_AHEAD_YEARS} years after "
                "the document's issued or published date (after today when neither is stated)",
            ))
    return found
