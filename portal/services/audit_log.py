"""Reading the audit log for admins: filtered, newest first, keyset-paginated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from portal.extensions import db
from portal.models.audit import AuditEntry
from portal.models.user import User
from portal.services.settings import setting

PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    #: The username of the staff member who acted.
    actor: str | None = None
    #: One action code, exactly.
    action: str | None = None
    case_id: str | None = None
    #: Calendar days in China (the admin's days), inclusive.
    since: dt.date | None = None
    until: dt.date | None = None


def _utc_midnight(day: dt.date) -> dt.datetime | None:
    """The start of a day in China as the stored naive UTC; None past the calendar's ends."""
    zone = ZoneInfo(setting("BABEL_DEFAULT_TIMEZONE"))
    try:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        return None


def action_codes() -> list[str]:
    """Every action code the log holds, so the filter offers each and no one types a code."""
    return list(db.session.scalars(db.select(AuditEntry.action).distinct()))


def page(filters: AuditFilter, before_id: int | None = None) -> tuple[list[AuditEntry], int | None]:
    """One page of entries and the id to continue before (None at the end)."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PAGE + 1)
    if filters.actor:
        actor_id = db.select(User.id).where(User.username == filters.actor).scalar_subquery()
        query = query.where(AuditEntry.actor_id == actor_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.case_id:
        query = query.where(AuditEntry.case_id == filters.case_id)
    start = _utc_midnight(filters.since) if filters.since else None
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    end = _utc_midnight(filters.until + dt.timedelta(days=1)) if filters.until and filters.until < dt.date.max else None
    if end is not None:
        query = query.where(AuditEntry.at < end)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(db.session.scalars(query))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, rows[-1].id if more else None
