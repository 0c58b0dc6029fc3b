"""Time, coarsened: the portal stores case times to the hour, never finer."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Naive UTC now (the database stores naive UTC)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def this_hour() -> dt.datetime:
    """Now, truncated to the hour: what a case, message or event records."""
    return utcnow().replace(minute=0, second=0, microsecond=0)
