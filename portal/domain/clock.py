"""Time, coarsened: the portal stores case times to the hour, never finer."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Naive UTC now (the database stores naive UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def this_hour() -> dt.datetime:
    """Now, truncated to the hour: what a case, message or event records."""
    return utcnow().replace(minute=0, second=0, microsecond=0)


def hour_ceiling(moment: dt.datetime) -> dt.datetime:
    """The first full hour at or after `moment`: a "delete after" that dates nothing finer."""
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(hours=1)
