"""Reviewer queues: filtered lists of cases, keyset-paginated so page 1,000 costs what page 1 does.

Only plain metadata is read here (kind, state, category, dates, assignee): no key is needed
to list cases, and nothing is decrypted.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from portal.domain.cases import State
from portal.domain.workflow_rules import APPROVERS
from portal.extensions import db
from portal.models import Case, User
from portal.services import case_state

QUEUES = ("new", "mine", "approval", "overdue", "all")
#: Counts stop here ("1000+"), so a million cases cost what a thousand do.
COUNT_CAP = 1000
APPROVAL_STATES = (State.FINDING_PROPOSED.value, State.PLAN_CONSENTED.value)


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    state: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    next_cursor: str | None
    counts: dict[str, int]  # cap + 1 means "more than cap"
    cap: int
    today: dt.date  # the day "overdue" was judged against


def _queue(name: str, user: User, today: dt.date):
    query = db.select(Case)
    if name == "new":
        query = query.where(Case.state == State.SUBMITTED.value)
    elif name == "mine":
        query = query.where(Case.assignee_id == user.id)
    elif name == "approval":
        query = query.where(Case.state.in_(APPROVAL_STATES))
        # Four eyes: what you proposed yourself never waits for *your* approval.
        query = query.where((Case.proposer_id.is_(None)) | (Case.proposer_id != user.id))
        if user.role not in APPROVERS:
            query = query.where(db.false())
    elif name == "overdue":
        query = query.where(Case.due_on < today)
    return query


def _filtered(query, filters: Filters):
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.category:
        query = query.where(Case.category == filters.category)
    return query


def _capped_count(query) -> int:
    """Count up to COUNT_CAP + 1 rows: an exact count of a million rows is a full index scan."""
    capped = query.with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(db.select(db.func.count()).select_from(capped))


def encode_cursor(case: Case) -> str:
    raw = f"{case.created_at.isoformat()}|{case.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[dt.datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, case_id = raw.split("|", 1)
        if not (case_id.isascii() and case_id.isalnum()):
            return None  # not an id we issue (a NUL in it would even break PostgreSQL)
        return dt.datetime.fromisoformat(created), case_id
    except (ValueError, UnicodeDecodeError):
        return None


def page(name: str, user: User, filters: Filters, cursor: str | None, size: int) -> Page:
    """One page of a queue, newest first, plus the count of every queue under the same filters."""
    today = case_state.today()
    query = _filtered(_queue(name, user, today), filters)
    after = decode_cursor(cursor)
    if after is not None:
        created, case_id = after
        query = query.where((Case.created_at < created) | ((Case.created_at == created) & (Case.id < case_id)))
    rows = list(db.session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc()).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    counts = {q: _capped_count(_filtered(_queue(q, user, today), filters)) for q in QUEUES}
    return Page(
        cases=rows, next_cursor=encode_cursor(rows[-1]) if more else None, counts=counts, cap=COUNT_CAP, today=today
    )
