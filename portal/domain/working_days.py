"""Deadline arithmetic in Chinese working days (statutory holidays and make-up workdays).

The regulations count acceptance and carrying-out deadlines in working days, which
shift every year with the State Council's holiday notice; ``chinese_calendar`` holds
those notices. A year the operator wrote down from the notice themselves
(``portal.domain.holiday_notices``, installed at start-up by ``use_notices``) is taken from
them first. For a year neither knows, Monday to Friday is the honest fallback: a deadline is
still computed, and one warning says the package needs an update or the notice writing down.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar

from portal.domain.holiday_notices import YearNotice, year_notice

_log = logging.getLogger(__name__)
_warn_lock = threading.Lock()
_warned = False
#: Years the operator wrote down from the State Council's notice (one calendar per process).
_notices: dict[int, YearNotice] = {}


class Source(StrEnum):
    """Where a year's working days come from."""

    NOTICE = "notice"  # the operator's notices file
    PACKAGE = "chinese_calendar"  # the package's data
    WEEKDAYS = "weekdays"  # neither: Monday to Friday, deadlines approximate


def use_notices(notices: dict[int, YearNotice]) -> None:
    """Install the operator's notices (replacing any earlier ones); an empty dict removes them."""
    global _notices
    _notices = dict(notices)


def package_notice(year: int) -> YearNotice:
    """The year as ``chinese_calendar`` knows it, written as a notice (weekdays off, weekend days worked)."""
    day, off, worked = date(year, 1, 1), set(), set()
    while day.year == year:
        works = bool(chinese_calendar.is_workday(day))  # NotImplementedError for a year it lacks
        if day.weekday() < 5 and not works:
            off.add(day)
        elif day.weekday() >= 5 and works:
            worked.add(day)
        day += timedelta(days=1)
    return year_notice(year, off, worked)


def source(year: int) -> Source:
    """Which calendar counts ``year``'s working days."""
    if year in _notices:
        return Source.NOTICE
    try:
        chinese_calendar.is_workday(date(year, 6, 30))
    except NotImplementedError:
        return Source.WEEKDAYS
    return Source.PACKAGE


def missing_years(today: date) -> list[int]:
    """Years an operator must write the notice down for now: this one if neither calendar knows
    it, and from November (when the State Council publishes it) the next one too."""
    years = [today.year, today.year + 1] if today.month >= 11 else [today.year]
    return [year for year in years if source(year) is Source.WEEKDAYS]


def _warn_no_data(year: int) -> None:
    """Say once per process that deadlines are approximate, without flooding the log."""
    global _warned
    with _warn_lock:
        if _warned:
            return
        _warned = True
    _log.warning(
        "chinese_calendar has no data for %d and ZM_HOLIDAY_NOTICES_FILE does not cover it; counting weekends only",
        year,
    )


def is_working_day(d: date) -> bool:
    """Whether people work on ``d`` in China, so deadlines skip holidays and count 调休."""
    notice = _notices.get(d.year)
    if notice is not None:
        return notice.is_working_day(d)
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        _warn_no_data(d.year)
        return d.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The day ``n`` working days after ``start`` (not counted), as regulations count deadlines."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_days(start: date, n: int) -> date:
    """The day ``n`` calendar days after ``start``: the 90-day answer deadline counts every day."""
    return start + timedelta(days=n)


def add_months(start: date, n: int) -> date:
    """The same day ``n`` months later, or that month's last day (31 August + 3 months: 30 November)."""
    if n < 0:
        raise ValueError("n must not be negative")
    months = start.month - 1 + n
    year, month = start.year + months // 12, months % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return min(
        start.replace(year=year, month=month, day=1) + timedelta(days=start.day - 1), following - timedelta(days=1)
    )


# -- h11s1: statistics --
def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after it):
    the count ``add_working_days`` inverts, so a step on its deadline day took exactly the allowed days."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
