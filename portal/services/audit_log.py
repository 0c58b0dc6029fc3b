"""Reading the audit log for admins: filtered, newest first, keyset-paginated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.extensions import db
from portal.models.audit import AuditEntry

PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    case_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def page(filters: AuditFilter, before_id: int | None = None) -> tuple[list[AuditEntry], int | None]:
    """One page of entries and the id to continue before (None at the end)."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PAGE + 1)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action))
    if filters.case_id:
        query = query.where(AuditEntry.case_id == filters.case_id)
    if filters.since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(filters.since, dt.time()))
    if filters.until:
        query = query.where(AuditEntry.at < dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time()))
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(db.session.scalars(query))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, rows[-1].id if more else None
