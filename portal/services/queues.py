"""Staff queues: filtered lists of the viewer's cases, keyset-paginated so page 1,000 costs what page 1 does.

Need-to-know holds here too: every queue and count lists only cases the viewer holds a key
for (their holder rows), whatever the deployment holds besides. Only plain metadata is read
(kind, state, category, dates, assignee): nothing is decrypted. A queue sorts newest first
(one bounded scan of the holder index, with a row-value comparison) or by the deadline that
applies now (soonest first, cases without one last); both orders page by keyset.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, replace

from portal.domain.cases import State
from portal.domain.workflow_rules import APPROVERS
from portal.domain.working_days import add_working_days
from portal.extensions import db
from portal.models import Body, Case, CaseKey, User
from portal.services import case_state

QUEUES = ("new", "mine", "approval", "overdue", "all")
#: The queue a desk opens on when none is asked for: the first of these with work in it.
DEFAULT_ORDER = ("mine", "approval", "new", "overdue")
SORTS = ("filed", "deadline")
#: A deadline this many working days away or closer is "soon" (amber in the list).
SOON_WORKING_DAYS = 2
#: Counts stop here ("1000+"), so a million cases cost what a thousand do.
COUNT_CAP = 1000
#: Up to this many holder rows, a deadline-ordered page sorts the viewer's cases rather than
#: walking the deployment's deadline index (bench/queue_scale.py: 2,000 of 1,000,000 held).
FEW_HELD = 10_000
APPROVAL_STATES = (State.FINDING_PROPOSED.value, State.PLAN_CONSENTED.value)


@dataclass(frozen=True)
class QueueFilters:
    kind: str | None = None
    state: str | None = None
    category: str | None = None
    #: Real-name concerns only (实名反映, 优先办理; issue 10): a filter, not an order, so paging stays keyset.
    real_name: bool = False


@dataclass(frozen=True)
class Row:
    """One line of the work list: the case, its deadline now and how urgent it is."""

    case: Case
    deadline: str | None  # which deadline applies now: accept, answer, carry_out (None: none runs)
    days_left: int | None  # calendar days to the deadline; negative when overdue
    urgency: str  # overdue, soon or "" (none or later)
    assignee: str | None  # username
    body: str = ""  # the short name of the body handling the case (青纪)


@dataclass(frozen=True)
class QueuePage:
    name: str  # the queue shown (the default one when none was asked for)
    sort: str
    rows: list[Row]
    next_cursor: str | None
    counts: dict[str, int]  # cap + 1 means "more than cap"
    cap: int
    today: dt.date  # the day "overdue" was judged against
    #: Real-name concerns waiting to be accepted, capped like the counts (issue 10; 0 unless asked).
    real_name_new: int = 0

    @property
    def cases(self) -> list[Case]:
        return [row.case for row in self.rows]


def _queue(name: str, user: User, today: dt.date):
    held = (CaseKey.case_id == Case.id) & (CaseKey.user_id == user.id)
    query = db.select(Case).join(CaseKey, held)
    if name == "new":
        query = query.where(Case.state == State.SUBMITTED.value)
    elif name == "mine":
        query = query.where(Case.assignee_id == user.id)
    elif name == "approval":
        # A collectively decided 容错纠错 decision waits only for the leader it was submitted to (issue 10).
        named = (Case.state == State.COLLECTIVELY_DECIDED.value) & (Case.approver_id == user.id)
        query = query.where(Case.state.in_(APPROVAL_STATES) | named)
        # Four eyes: what you proposed yourself never waits for *your* approval.
        query = query.where((Case.proposer_id.is_(None)) | (Case.proposer_id != user.id))
        if user.role not in APPROVERS:
            query = query.where(db.false())
    elif name == "overdue":
        query = query.where(Case.due_on < today)
    return query


def _filtered(query, filters: QueueFilters):
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.category:
        query = query.where(Case.category == filters.category)
    if filters.real_name:  # issue 10
        query = query.where(Case.real_name.is_(True))
    return query


def _capped_count(query) -> int:
    """Count up to COUNT_CAP + 1 rows: an exact count of a million rows is a full index scan."""
    capped = query.with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(db.select(db.func.count()).select_from(capped))


def encode_cursor(case: Case, sort: str = "filed") -> str:
    """The position after ``case`` in a queue sorted by ``sort``; opaque to the browser."""
    if sort == "deadline":
        raw = f"d|{case.due_on.isoformat() if case.due_on else ''}|{case.id}"
    else:
        raw = f"{case.created_at.isoformat()}|{case.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _unpack(cursor: str) -> list[str] | None:
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (ValueError, UnicodeDecodeError):
        return None
    if not (parts[-1].isascii() and parts[-1].isalnum()):
        return None  # not an id we issue (a NUL in it would even break PostgreSQL)
    return parts


def decode_cursor(cursor: str | None) -> tuple[dt.datetime, str] | None:
    """A newest-first position: (filed at, case id), or None for a cursor we did not issue."""
    parts = _unpack(cursor) if cursor else None
    if parts is None or len(parts) != 2:
        return None
    try:
        return dt.datetime.fromisoformat(parts[0]), parts[1]
    except ValueError:
        return None


def decode_deadline_cursor(cursor: str | None) -> tuple[dt.date | None, str] | None:
    """A deadline-order position: (deadline or None, case id), or None for a cursor we did not issue."""
    parts = _unpack(cursor) if cursor else None
    if parts is None or len(parts) != 3 or parts[0] != "d":
        return None
    try:
        return (dt.date.fromisoformat(parts[1]) if parts[1] else None), parts[2]
    except ValueError:
        return None


def _after_filed(query, cursor: str | None):
    after = decode_cursor(cursor)
    if after is not None:
        created, case_id = after
        query = query.where(db.tuple_(CaseKey.case_filed_at, CaseKey.case_id) < db.tuple_(created, case_id))
    return query.order_by(CaseKey.case_filed_at.desc(), CaseKey.case_id.desc())


def _after_deadline(query, cursor: str | None, limit: int, few: bool) -> list[Case]:
    """Soonest deadline first, then by id; cases with no deadline running come last.

    Two keyset scans: the cases with a deadline after the cursor, then, if the page is not
    full yet, those without one (one statement with "... OR due_on IS NULL" reads and sorts
    every held case on each page). A viewer holding many cases walks ``ix_cases_due_id``
    (due_on, id), or ``ix_cases_state_due_id`` in a queue of one state, until the page is full
    (the cases without a deadline are ordered by (due_on, id) too, though due_on is NULL
    throughout: ordered by id alone, the planner walks every holder row in case id order).
    One holding ``few`` has their holder rows read and sorted instead: the ``coalesce`` keeps
    the planner off the index walk, which would visit most of the deployment's cases to find a
    few of theirs.
    """
    if few:
        dated_order = (db.func.coalesce(Case.due_on, Case.due_on), Case.id)
        undated_order: tuple = (db.func.coalesce(Case.id, Case.id),)
    else:
        dated_order = undated_order = (Case.due_on, Case.id)
    after = decode_deadline_cursor(cursor)
    rows: list[Case] = []
    if after is None or after[0] is not None:
        dated = query.where(Case.due_on.is_not(None))
        if after is not None:
            dated = dated.where(db.tuple_(Case.due_on, Case.id) > db.tuple_(after[0], after[1]))
        rows = list(db.session.scalars(dated.order_by(*dated_order).limit(limit)))
        if len(rows) == limit:
            return rows
    undated = query.where(Case.due_on.is_(None))
    if after is not None and after[0] is None:
        undated = undated.where(Case.id > after[1])
    return rows + list(db.session.scalars(undated.order_by(*undated_order).limit(limit - len(rows))))


def _holds_few(user: User) -> bool:
    """Whether the viewer holds at most FEW_HELD cases (counted from their holder rows, capped)."""
    capped = db.select(CaseKey.case_id).where(CaseKey.user_id == user.id).limit(FEW_HELD + 1).subquery()
    return db.session.scalar(db.select(db.func.count()).select_from(capped)) <= FEW_HELD


def _rows(query, user: User, cursor: str | None, sort: str, limit: int) -> list[Case]:
    """Up to ``limit`` cases of the queue after the cursor, in the queue's order."""
    if sort == "deadline":
        return _after_deadline(query, cursor, limit, _holds_few(user))
    return list(db.session.scalars(_after_filed(query, cursor).limit(limit)))


def _which_deadline(case: Case) -> str | None:
    if case.due_on is None:
        return None
    # -- real-name concerns and 回访 (issue 10): a clock still running, named before the state's --
    running = (
        ("tell_accept", case.tell_accept_due, case.told_accept_on),
        ("tell_result", case.tell_result_due, case.told_result_on),
        ("visit", case.visit_due, case.visited_on),
    )
    for name, due, met in running:
        if met is None and due == case.due_on and (name != "tell_accept" or case.accept_due != case.due_on):
            return name
    for name in ("accept", "carry_out", "answer"):
        if getattr(case, f"{name}_due") == case.due_on:
            return name
    return "answer"


def _row(case: Case, today: dt.date, soon: dt.date, names: dict[int, str], bodies: dict[int, str]) -> Row:
    due = case.due_on
    urgency = "" if due is None else ("overdue" if due < today else ("soon" if due <= soon else ""))
    return Row(
        case=case,
        deadline=_which_deadline(case),
        days_left=None if due is None else (due - today).days,
        urgency=urgency,
        assignee=names.get(case.assignee_id) if case.assignee_id else None,
        body=bodies.get(case.body_id, ""),
    )


def default_queue(counts: dict[str, int]) -> str:
    """The first queue with work in it, so a desk never opens on an empty tab while another has cases."""
    return next((q for q in DEFAULT_ORDER if counts.get(q)), "all" if counts.get("all") else "mine")


def page(
    name: str | None, user: User, filters: QueueFilters, cursor: str | None, size: int, sort: str = "filed"
) -> QueuePage:
    """One page of a queue (the default one when ``name`` is None), plus every queue's count under the same filters."""
    today = case_state.today()
    counts = {q: _capped_count(_filtered(_queue(q, user, today), filters)) for q in QUEUES}
    name = name or default_queue(counts)
    sort = sort if sort in SORTS else "filed"
    query = _filtered(_queue(name, user, today), filters)
    cases = _rows(query, user, cursor, sort, size + 1)
    more = len(cases) > size
    cases = cases[:size]
    ids = {c.assignee_id for c in cases if c.assignee_id}
    who = db.select(User.id, User.username).where(User.id.in_(ids))
    names: dict[int, str] = {row.id: row.username for row in db.session.execute(who)} if ids else {}
    body_ids = {c.body_id for c in cases}
    short = db.select(Body.id, Body.short_name).where(Body.id.in_(body_ids))
    bodies = {row.id: row.short_name for row in db.session.execute(short)} if body_ids else {}
    soon = add_working_days(today, SOON_WORKING_DAYS)
    # -- real-name concerns (issue 10): how many of the new ones have priority, for the intake desk --
    real_name_new = 0
    if name == "new" and not filters.real_name:
        real_name_new = _capped_count(_filtered(_queue("new", user, today), replace(filters, real_name=True)))
    return QueuePage(
        name=name,
        sort=sort,
        rows=[_row(c, today, soon, names, bodies) for c in cases],
        next_cursor=encode_cursor(cases[-1], sort) if more else None,
        counts=counts,
        cap=COUNT_CAP,
        today=today,
        real_name_new=real_name_new,
    )
