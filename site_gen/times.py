"""Dates and times for the residents' outputs: the build date, meeting hours, time stamps.

The output never depends on the clock: the build date is SOURCE_DATE_EPOCH when set,
else the newest date in the protokoll, so two builds of the same sources give the same
files whenever they run. Only the checks' messages read it (`last_day_passed`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping

from site_gen.problems import SiteGenError

EPOCH_DAY = dt.date(1970, 1, 1)  # a site with no dated sources at all
BUILD_DATE_VARIABLE = "SOURCE_DATE_EPOCH"  # the reproducible-builds convention

# '08.30-12.00', '09.00', 'ca 14.00 – 15.00', 'kl. 13:15–16:00'
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d)")


def build_date(source_dates: Iterable[dt.date], environ: Mapping[str, str] = os.environ) -> dt.date:
    """The day the site is built for: the day in Sweden at SOURCE_DATE_EPOCH (seconds since
    1970-01-01 UTC) when set, else the
    newest of `source_dates` (meetings held, minutes checked, notices posted; not a
    meeting still to come, whose date would take notices off the board too early).

    Not today's date: the output would then change from one day to the next with the
    same sources. The notice board corrects itself in the browser with the day in Sweden
    at the moment it is read.
    The Swedish day, not the UTC one: `$(date +%s)` run just after midnight, or
    `$(date -d 2021-07-01 +%s)` on a machine on Swedish time, means that day, which in
    UTC is still the day before.
    """
    epoch = environ.get(BUILD_DATE_VARIABLE, "").strip()
    if not epoch:
        return max(source_dates, default=EPOCH_DAY)
    if not epoch.isdigit():
        raise SiteGenError(f"SOURCE_DATE_EPOCH is '{epoch}', but should be a whole number of "
                           "seconds since 1970-01-01 (for example $(date +%s))")
    try:
        return swedish_time(dt.datetime.fromtimestamp(int(epoch), dt.UTC)).date()
    except (OverflowError, OSError, ValueError):
        raise SiteGenError(f"SOURCE_DATE_EPOCH is {epoch}, seconds beyond any date site-gen can "
                           "build for (for today, write $(date +%s))") from None


def last_day_passed(source_dates: Iterable[dt.date], environ: Mapping[str, str] = os.environ) -> dt.date:
    """The last day that has happened, for the checks: a justering dated after it has not
    taken place. The build date when SOURCE_DATE_EPOCH sets it, else the day in Sweden by
    the clock; the build date without it is the newest date written, a justering typed
    ahead among them, so it could never tell."""
    if environ.get(BUILD_DATE_VARIABLE, "").strip():
        return build_date(source_dates, environ)
    return swedish_time(dt.datetime.now(dt.UTC)).date()


def time_span(text: str) -> tuple[dt.time, dt.time | None] | None:
    """Start and end of a meeting from its time as written; None when it gives no hour."""
    found = [dt.time(int(h), int(m)) for h, m in _CLOCK.findall(text or "")]
    if not found:
        return None
    end = found[1] if len(found) > 1 and found[1] > found[0] else None
    return found[0], end


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def swedish_offset(moment: dt.datetime) -> dt.timedelta:
    """UTC offset of Swedish local time: +2 h from the last Sunday of March 02:00 to the
    last Sunday of October 03:00 (the EU rule), else +1 h. Needs no time-zone database."""
    summer_starts = dt.datetime.combine(_last_sunday(moment.year, 3), dt.time(2))
    summer_ends = dt.datetime.combine(_last_sunday(moment.year, 10), dt.time(3))
    return dt.timedelta(hours=2 if summer_starts <= moment < summer_ends else 1)


def swedish_time(moment: dt.datetime) -> dt.datetime:
    """The Swedish local time (naive) of an aware moment. Summer time starts and ends at
    01:00 UTC on the last Sundays of March and October."""
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    summer_starts = dt.datetime.combine(_last_sunday(utc.year, 3), dt.time(1))
    summer_ends = dt.datetime.combine(_last_sunday(utc.year, 10), dt.time(1))
    return utc + dt.timedelta(hours=2 if summer_starts <= utc < summer_ends else 1)


def local_iso(day: dt.date, time: dt.time) -> str:
    """'2021-06-01T08:30:00+02:00': Swedish local time with its offset (RFC 3339)."""
    moment = dt.datetime.combine(day, time)
    return moment.replace(tzinfo=dt.timezone(swedish_offset(moment))).isoformat()


def day_stamp(day: dt.date) -> str:
    """A date as an RFC 3339 time stamp at midnight UTC, for Atom's required date-times."""
    return f"{day.isoformat()}T00:00:00Z"
