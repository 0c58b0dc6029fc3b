"""Who holds a case's key, and the only code that adds or removes a holder row.

Need-to-know, in the keys: a case arriving at a body is sealed to that body's intake
officers and escrow key, and to no one else; an assignment seals it to the assignee and
their supervisor (``accounts.supervisors_of``), and a reassignment deletes the previous
pair's copies. Every change here happens inside the caller's transaction. Queues find a
holder's cases through the same rows (``portal.services.queues``).
"""

from __future__ import annotations

from portal.domain import aad
from portal.domain.bodies import ASSIGNMENT_HOLDS, HoldReason
from portal.domain.crypto import seal
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import accounts
from portal.services.errors import NotInitialised, ServiceError


class NotACaseWorker(ServiceError):
    """Only accounts with a key pair (never an admin) hold a case's key."""


#: Holds an assignment takes over: a colleague added (协办) or recovered who becomes the assignee or
#: their supervisor holds the case for that reason from then on, so a reassignment removes it.
_SUPERSEDED = frozenset({HoldReason.GRANT, HoldReason.RECOVERY, HoldReason.LEGACY})


def seal_to(case: Case, dk: bytes, user: User, reason: HoldReason) -> bool:
    """Give ``user`` a copy of the case's key; False if they hold one already (an assignment then
    becomes its reason, in place of a grant, a recovery or a legacy hold; an intake hold stays)."""
    held = db.session.get(CaseKey, (case.id, user.id))
    if held is not None:
        if reason in ASSIGNMENT_HOLDS and held.reason in _SUPERSEDED:
            held.reason = reason.value
        return False
    if user.public_key is None:
        raise NotACaseWorker(user.username)  # an admin holds no key pair, so never a case
    sealed = seal(user.public_key, dk, aad.user_key(case.id, user.id))
    db.session.add(
        CaseKey(case_id=case.id, user_id=user.id, sealed_key=sealed, reason=reason.value, case_filed_at=case.created_at)
    )
    return True


def seal_for_body(case: Case, dk: bytes, body_id: int) -> int:
    """Seal a case arriving at a body to its escrow key and its intake officers; the number of boxes."""
    with db.session.no_autoflush:  # a new case is not complete until its escrow copy is set
        escrow = accounts.escrow(body_id)
        if escrow is None:
            raise NotInitialised("the body has no escrow key yet")
        case.body_id = body_id
        case.escrow_sealed_key = seal(escrow.public_key, dk, aad.escrow_key(case.id))
        officers = list(db.session.scalars(accounts.intake_desk(body_id)))
    boxes = 1
    for officer in officers:
        boxes += seal_to(case, dk, officer, HoldReason.INTAKE)
    return boxes


def assign(case: Case, dk: bytes, old_assignee_id: int | None, new_assignee_id: int | None) -> None:
    """Seal the case to the new assignee and their supervisor; delete the old pair's assignment copies."""
    if old_assignee_id == new_assignee_id:
        return
    keep: set[int] = set()
    new = db.session.get(User, new_assignee_id) if new_assignee_id is not None else None
    if new is not None:
        keep.add(new.id)
        seal_to(case, dk, new, HoldReason.ASSIGNED)
        for chief in db.session.scalars(accounts.supervisors_of(new)):
            keep.add(chief.id)
            seal_to(case, dk, chief, HoldReason.SUPERVISOR)
    old = db.session.get(User, old_assignee_id) if old_assignee_id is not None else None
    if old is None:
        return
    # The previous assignee leaves the case (a copy from before bodies existed included); their
    # supervisor loses the copy the assignment gave, not one held for another reason.
    leaving = {old.id: (*ASSIGNMENT_HOLDS, HoldReason.LEGACY)}
    for chief_id in db.session.scalars(accounts.supervisors_of(old).with_only_columns(User.id)):
        leaving.setdefault(chief_id, (HoldReason.SUPERVISOR,))
    for user_id, reasons in leaving.items():
        if user_id in keep:
            continue
        db.session.execute(
            db.delete(CaseKey).where(
                CaseKey.case_id == case.id, CaseKey.user_id == user_id, CaseKey.reason.in_(sorted(reasons))
            )
        )


def release(case_id: str, user_id: int, reason: HoldReason) -> bool:
    """Delete a holder's copy held for this reason (a revoked 协办); False if there was none."""
    row = db.session.get(CaseKey, (case_id, user_id))
    if row is None or row.reason != reason.value:
        return False
    db.session.delete(row)
    return True


def move_to_body(case: Case, dk: bytes, body_id: int) -> int:
    """A transfer (转办, 转送, 报送上一级): every staff copy of the case's key goes (the source body
    keeps none), then it is sealed to the target body's escrow and intake officers."""
    db.session.execute(db.delete(CaseKey).where(CaseKey.case_id == case.id))
    return seal_for_body(case, dk, body_id)


def leave(user_id: int) -> int:
    """Someone leaves the office (disabled) or starts anew (reset): every copy they hold is deleted,
    so enabling the account again opens no old case. Returns how many cases they held."""
    held = db.session.scalar(db.select(db.func.count()).select_from(CaseKey).where(CaseKey.user_id == user_id))
    db.session.execute(db.delete(CaseKey).where(CaseKey.user_id == user_id))
    return held or 0


def holder_ids(case_id: str) -> frozenset[int]:
    return frozenset(db.session.scalars(db.select(CaseKey.user_id).where(CaseKey.case_id == case_id)))


def holds(user_id: int, case_id: str) -> bool:
    return db.session.get(CaseKey, (case_id, user_id)) is not None


# -- clarification on the body's own motion (主动澄清) (issue 10) --


def seal_for_own_motion(case: Case, dk: bytes, opener: User, approver: User) -> None:
    """A clarification a body opens itself: its escrow, the opener (its assignee) with their
    supervisor as for any assignment, and the one approver the opener names. Not its intake
    officers: the case never passes their desk (it starts at the finding, assigned), so they have
    no need to know it."""
    with db.session.no_autoflush:  # a new case is not complete until its escrow copy is set
        escrow = accounts.escrow(opener.body_id)
        if escrow is None:
            raise NotInitialised("the body has no escrow key yet")
        case.body_id = opener.body_id
        case.escrow_sealed_key = seal(escrow.public_key, dk, aad.escrow_key(case.id))
    assign(case, dk, None, opener.id)
    seal_to(case, dk, approver, HoldReason.APPROVER)
