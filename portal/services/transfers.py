"""转办, 转送 and 报送上一级: a case moves to another body, its key with it; the source keeps a stub.

The case's data key does not change: the target body's intake officers and escrow key get a
copy, and every copy the source body's staff held is deleted in the same transaction. What the
source keeps is the :class:`~portal.models.Transfer` stub (date, target, reason) and the audit
trail, never content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain.bodies import DISCIPLINE_KINDS, LEVEL_ORDER, BodyKind, TransferReason
from portal.domain.cases import Kind
from portal.domain.clock import this_hour
from portal.domain.workflow import Action, WorkflowError
from portal.extensions import db
from portal.models import Body, Case, Transfer, User
from portal.services import accounts, audit, form_tokens, holdings
from portal.services.bodies import public_name
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, open_for_staff
from portal.services.transaction import use_case

__all__ = [
    "Moved",
    "NotAbove",
    "NotADepartment",
    "NotDiscipline",
    "NotReceiving",
    "TransferPage",
    "Stub",
    "Target",
    "TransferRefused",
    "UnknownReason",
    "UnknownTarget",
    "check",
    "moved_to",
    "page",
    "stubs",
    "targets",
    "transfer",
]


class TransferRefused(ServiceError):
    """A transfer the rules refuse; nothing was written."""


class UnknownReason(TransferRefused):
    """The reason is not 转办, 转送 or 报送上一级."""


class UnknownTarget(TransferRefused):
    """No such body, or the case's own body."""


class NotADepartment(TransferRefused):
    """转送 goes to a department (组织部, 人社, 编办…), never to a discipline body."""


class NotDiscipline(TransferRefused):
    """转办 and 报送上一级 go to a discipline body, and a clarification request only ever does."""


class NotAbove(TransferRefused):
    """报送上一级 goes to a body above the case's body in the tree."""


class NotReceiving(TransferRefused):
    """The target body has no escrow key or no confirmed intake officer: nobody there could open the case."""


@dataclass(frozen=True)
class Target:
    """A body a case may be sent to, as the transfer page lists it."""

    id: int
    name: str
    level: str
    kind: str


@dataclass(frozen=True)
class Stub:
    """What the source body keeps of a case it sent away: no content."""

    created_at: dt.datetime
    case_id: str
    to_body: str
    reason: str
    due_on: dt.date | None


@dataclass(frozen=True)
class Moved:
    """What the cadre's page says of a transferred case: the body now handling it, if public."""

    body_name: str | None  # None when that body's name is not public


def ancestor_ids(body_id: int) -> frozenset[int]:
    """The bodies above this one, up to the root."""
    parents = dict(db.session.execute(db.select(Body.id, Body.parent_id)).all())
    found: set[int] = set()
    current = parents.get(body_id)
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return frozenset(found)


def targets(case_body_id: int) -> list[Target]:
    """Every other body of the tree, highest level first: the page groups them by level."""
    bodies = db.session.scalars(db.select(Body).where(Body.id != case_body_id).order_by(Body.id))
    ordered = sorted(bodies, key=lambda b: (LEVEL_ORDER.index(b.level), b.id))
    return [Target(b.id, b.name, b.level, b.kind) for b in ordered]


def _reason(code: str | None) -> TransferReason:
    if code is None or code not in TransferReason.__members__.values():
        raise UnknownReason(str(code))
    return TransferReason(code)


def _target(case: Case, reason: TransferReason, to_body_id: int | None) -> Body:
    """The target body, checked against the reason, the kind of case and who could open it there."""
    target = db.session.get(Body, to_body_id) if to_body_id is not None else None
    if target is None or target.id == case.body_id:
        raise UnknownTarget(str(to_body_id))
    department = target.kind == BodyKind.DEPARTMENT
    if reason is TransferReason.NOT_DISCIPLINE:
        if not department:
            raise NotADepartment(str(target.id))
    elif target.kind not in DISCIPLINE_KINDS:
        raise NotDiscipline(str(target.id))
    if department and case.kind == Kind.CLARIFICATION:
        raise NotDiscipline(str(target.id))
    if reason is TransferReason.OUTSIDE_REMIT and target.id not in ancestor_ids(case.body_id):
        raise NotAbove(str(target.id))
    if accounts.escrow(target.id) is None or db.session.scalar(accounts.intake_desk(target.id).limit(1)) is None:
        raise NotReceiving(str(target.id))
    return target


def _lock(case_id: str) -> None:
    """Wait for any other transaction on the case, then read it afresh (PostgreSQL; SQLite runs one at a time).

    Two officers sending the same case at once must not both move it: the second finds its key gone.
    """
    db.session.execute(db.select(Case.id).where(Case.id == case_id).with_for_update())
    db.session.expire_all()  # the page may have read the case and the holder rows before the lock


def _checked(opened: OpenedCase, to_body_id: int | None, reason_code: str | None) -> tuple[TransferReason, Body]:
    opened.check(Action.TRANSFER)  # a role or state the engine refuses is said before the target
    reason = _reason(reason_code)
    return reason, _target(opened.case, reason, to_body_id)


@dataclass(frozen=True)
class TransferPage:
    """The transfer page of a case: its body, and why the engine refuses a transfer now, if it does."""

    case_id: str
    kind: str
    body_id: int
    refused: WorkflowError | None


def page(user: User, private_key: bytes | None, case_id: str) -> TransferPage:
    """What the transfer page needs; NoAccess or NoSuchCase as for the case page. Nothing is written."""
    opened = open_for_staff(user, private_key, case_id)
    try:
        opened.check(Action.TRANSFER)
    except WorkflowError as exc:
        refused: WorkflowError | None = exc
    else:
        refused = None
    return TransferPage(opened.case.id, opened.case.kind, opened.case.body_id, refused)


def check(
    user: User, private_key: bytes | None, case_id: str, to_body_id: int | None, reason_code: str | None
) -> tuple[Target, TransferReason]:
    """Raise what transfer() would refuse, writing nothing; the target and reason, for the confirmation."""
    reason, body = _checked(open_for_staff(user, private_key, case_id), to_body_id, reason_code)
    return Target(body.id, body.name, body.level, body.kind), reason


@use_case
def transfer(
    user: User,
    private_key: bytes | None,
    case_id: str,
    to_body_id: int | None,
    reason_code: str | None,
    form_token: str | None,
) -> int:
    """Send a case not yet accepted to another body; the id of the source's stub."""
    _lock(case_id)
    opened = open_for_staff(user, private_key, case_id)
    form_tokens.spend(form_token)  # first, so a replay is told so whatever else would be said
    case = opened.case
    source_id = case.body_id
    reason, target = _checked(opened, to_body_id, reason_code)
    # The step first: its timeline entry and audit entry are written with the key still in hand
    # (the entry is under the case key, which the target's holders will have: it does not change).
    outcome = opened.step(Action.TRANSFER)
    holdings.move_to_body(case, opened.key, target.id)
    stub = Transfer(
        case_id=case.id,
        from_body_id=source_id,
        to_body_id=target.id,
        reason=reason.value,
        actor_id=user.id,
        created_at=this_hour(),
        due_on=outcome.facts.accept_due,
    )
    db.session.add(stub)
    db.session.flush()
    audit.record(
        "case_transferred",
        actor_id=user.id,
        case_id=case.id,
        detail=f"{reason.value}:body:{source_id}>body:{target.id}",
    )
    db.session.commit()
    return stub.id


#: How many stubs the source's list shows, newest first.
STUB_LIMIT = 200


def stubs(body_id: int, limit: int = STUB_LIMIT) -> list[Stub]:
    """The cases this body sent away, newest first: date, case, target and reason, no content."""
    rows = db.session.execute(
        db.select(Transfer, Body.name)
        .join(Body, Body.id == Transfer.to_body_id)
        .where(Transfer.from_body_id == body_id)
        .order_by(Transfer.created_at.desc(), Transfer.id.desc())
        .limit(limit)
    )
    return [Stub(t.created_at, t.case_id, name, t.reason, t.due_on) for t, name in rows]


def moved_to(case: Case) -> Moved | None:
    """For the cadre's page: None if the case never moved, else the body handling it now if its name is public."""
    moved = db.session.scalar(db.select(Transfer.id).where(Transfer.case_id == case.id).limit(1))
    if moved is None:
        return None
    return Moved(public_name(case.body_id))
