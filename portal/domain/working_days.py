"""Deadline arithmetic in Chinese working days (statutory holidays and make-up workdays).

The regulations count acceptance and carrying-out deadlines in working days, which
shift every year with the State Council's holiday notice; ``chinese_calendar`` holds
those notices. For a year it does not yet know, Monday to Friday is the honest
fallback: a deadline is still computed, and one warning says the package needs an update.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

import chinese_calendar

_log = logging.getLogger(__name__)
_warn_lock = threading.Lock()
_warned = False


def _warn_no_data(year: int) -> None:
    """Say once per process that deadlines are approximate, without flooding the log."""
    global _warned
    with _warn_lock:
        if _warned:
            return
        _warned = True
    _log.warning("chinese_calendar has no data for %d; counting weekends only", year)


def is_working_day(d: date) -> bool:
    """Whether people work on ``d`` in China, so deadlines skip holidays and count 调休."""
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
