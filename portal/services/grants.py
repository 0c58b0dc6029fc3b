"""Who may hold a case beyond intake and assignment: confirmations, per-case grants, recovery.

A new or reset account receives no case key until a supervisor or leader of its body who
holds keys confirms it (`confirm`). A supervisor or leader holding a case adds one
colleague of the case's body to it with a reason (`grant`, 协办) and takes that copy away
again (`revoke`). A case whose holders are all gone is reopened from its body's escrow key,
one case per call, with the passphrase (`recover`). There is no bulk grant.

Reasons are free text, so they never go into the audit log: each is a staff-only timeline
step under the case key (action ``grant`` or ``recover``, its detail the new holder's id).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain import aad
from portal.domain.bodies import HoldReason
from portal.domain.crypto import unseal
from portal.domain.staff import CASE_WORKER_ROLES, SUPERVISING_ROLES
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import accounts, audit, form_tokens, holdings, timeline
from portal.services.case_keys import NoAccess
from portal.services.errors import ServiceError, WrongPassphrase
from portal.services.opened_case import NoSuchCase, open_for_staff
from portal.services.transaction import use_case

#: Timeline actions of this module (staff only; the reason is under the case key).
GRANTED, REVOKED, RECOVERED = "grant", "revoke_grant", "recover"
#: The audit detail of a step whose reason the case's timeline keeps: a code, never the text.
REASON_IN_TIMELINE = "reason_in_timeline"
_MAX_REASON = 2000


class NotConfirmable(ServiceError):
    """The confirmation is refused: who confirms, or whom, does not meet the rule."""


class NotSupervising(ServiceError):
    """Only a confirmed supervisor or leader of the case's body grants, revokes or recovers."""


class NotOfThisBody(ServiceError):
    """The person chosen belongs to another body than the case."""


class NotConfirmed(ServiceError):
    """The person chosen is not an active case worker a supervisor has confirmed."""


class AlreadyHolds(ServiceError):
    """The person chosen holds the case already."""


class NotAGrant(ServiceError):
    """Only a 协办 copy is revoked here; the assignee and their supervisor change by reassignment."""


class HoldersRemain(ServiceError):
    """The case still has an active holder: they can grant it, the escrow is not needed."""


class NotRecoverable(ServiceError):
    """No case with this number in the supervisor's body (one of another body reads the same)."""


class ReasonMissing(ServiceError):
    """A grant or a recovery needs its reason."""


@dataclass(frozen=True)
class Holder:
    """One person holding a case's key, why, and the reason a grant or recovery gave."""

    user: User
    reason: HoldReason
    given_reason: str | None


@dataclass(frozen=True)
class Holders:
    """A case's holders as its holders page shows them, and who could be added."""

    case: Case
    holders: list[Holder]
    candidates: list[User]
    may_change: bool  # the viewer supervises: they may grant and revoke


def awaiting(body_id: int) -> list[User]:
    """Case workers of a body that no supervisor has confirmed yet (new, or reset since)."""
    query = db.select(User).where(
        User.body_id == body_id,
        User.public_key.is_not(None),
        User.disabled.is_(False),
        User.keys_confirmed.is_(False),
    )
    return list(db.session.scalars(query.order_by(User.username)))


def supervises(user: User) -> bool:
    """A confirmed, active supervisor or leader: who vouches, grants and recovers."""
    return user.role in SUPERVISING_ROLES and user.keys_confirmed and not user.disabled


@use_case
def confirm(supervisor: User, target_user_id: int) -> None:
    """A confirmed supervisor or leader vouches for a signed-in case worker of the same body."""
    target = db.session.get(User, target_user_id)
    if not supervises(supervisor):
        raise NotConfirmable("confirmer")
    if target is None or target.id == supervisor.id or target.public_key is None or target.disabled:
        raise NotConfirmable("target")
    if target.body_id != supervisor.body_id:
        raise NotConfirmable("another body")
    if not target.totp_enrolled:
        raise NotConfirmable("not_signed_in")  # the person, not whoever holds the temporary password
    if target.keys_confirmed:
        return
    target.keys_confirmed = True
    audit.record("account_confirmed", actor_id=supervisor.id, target_user_id=target.id)
    db.session.commit()


def candidates(body_id: int):
    """Who may be added to a case of this body: its confirmed, active case workers."""
    return accounts.may_receive_new_case_keys().where(User.body_id == body_id, User.role.in_(sorted(CASE_WORKER_ROLES)))


def _target(case: Case, target_user_id: int) -> User:
    target = db.session.get(User, target_user_id)
    if target is None or target.role not in CASE_WORKER_ROLES:
        raise NotConfirmed(str(target_user_id))
    if target.body_id != case.body_id:
        raise NotOfThisBody(str(target_user_id))
    if target.public_key is None or target.disabled or not target.keys_confirmed:
        raise NotConfirmed(str(target_user_id))
    if holdings.holds(target.id, case.id):
        raise AlreadyHolds(str(target_user_id))
    return target


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ReasonMissing("reason")
    return text[:_MAX_REASON]


def _step(case: Case, dk: bytes | None, action: str, actor: User, target_id: int, reason: str | None) -> None:
    """The staff-only timeline step of a grant, revocation or recovery (reason under the case key)."""
    timeline.add_event(case, dk, case.state, action, actor.id, False, reason, str(target_id))


@use_case
def grant(
    actor: User, actor_private_key: bytes | None, case_id: str, target_user_id: int, reason: str, form_token: str | None
) -> None:
    """Add one confirmed case worker of the case's body as a holder (协办), with a reason."""
    opened = open_for_staff(actor, actor_private_key, case_id, lock=True)  # NoAccess unless the actor holds it
    if not supervises(actor):
        raise NotSupervising(str(actor.id))
    case = opened.case
    target = _target(case, target_user_id)
    text = _reason(reason)
    form_tokens.spend(form_token)
    holdings.seal_to(case, opened.key, target, HoldReason.GRANT)
    _step(case, opened.key, GRANTED, actor, target.id, text)
    audit.record(
        "case_granted", actor_id=actor.id, case_id=case.id, target_user_id=target.id, detail=REASON_IN_TIMELINE
    )
    db.session.commit()


@use_case
def revoke(actor: User, case_id: str, target_user_id: int, form_token: str | None) -> None:
    """Take a 协办 copy away again; the assignee's and their supervisor's change by reassignment."""
    case = db.session.get(Case, case_id) if case_id else None
    if case is None:
        raise NoSuchCase(str(case_id))
    if not holdings.holds(actor.id, case.id):
        raise NoAccess(case.id)
    if not supervises(actor):
        raise NotSupervising(str(actor.id))
    row = db.session.get(CaseKey, (case.id, target_user_id))
    if row is None or row.reason != HoldReason.GRANT or target_user_id == case.assignee_id:
        raise NotAGrant(str(target_user_id))
    form_tokens.spend(form_token)
    holdings.release(case.id, target_user_id, HoldReason.GRANT)
    _step(case, None, REVOKED, actor, target_user_id, None)
    audit.record("case_grant_revoked", actor_id=actor.id, case_id=case.id, target_user_id=target_user_id)
    db.session.commit()


def active_holder_ids(case_id: str) -> frozenset[int]:
    """Holders who can still open the case: their account is active and confirmed."""
    query = (
        db.select(User.id)
        .join(CaseKey, CaseKey.user_id == User.id)
        .where(CaseKey.case_id == case_id, User.disabled.is_(False), User.keys_confirmed.is_(True))
    )
    return frozenset(db.session.scalars(query))


@use_case
def recover(
    supervisor: User, passphrase: str, case_id: str, target_user_id: int, reason: str, form_token: str | None
) -> None:
    """Reopen one case whose holders are all gone from its body's escrow key, for one person."""
    if not supervises(supervisor):
        raise NotSupervising(str(supervisor.id))
    case = db.session.get(Case, case_id) if case_id else None
    if case is None or case.body_id != supervisor.body_id:
        raise NotRecoverable("case")
    if active_holder_ids(case.id):
        raise HoldersRemain(case.id)
    target = _target(case, target_user_id)
    text = _reason(reason)
    form_tokens.spend(form_token)
    try:
        escrow_private = accounts.unlock_escrow(passphrase, case.body_id)
    except WrongPassphrase:
        audit.record("escrow_passphrase_failed", actor_id=supervisor.id, case_id=case.id, target_user_id=target.id)
        db.session.commit()
        raise
    dk = unseal(escrow_private, case.escrow_sealed_key, aad.escrow_key(case.id))
    holdings.seal_to(case, dk, target, HoldReason.RECOVERY)
    _step(case, dk, RECOVERED, supervisor, target.id, text)
    audit.record(
        "case_recovered", actor_id=supervisor.id, case_id=case.id, target_user_id=target.id, detail=REASON_IN_TIMELINE
    )
    db.session.commit()


@use_case
def holders_of(viewer: User, private_key: bytes | None, case_id: str) -> Holders:
    """Who holds the case and why, for a holder; the reasons of grants come from under the case key."""
    opened = open_for_staff(viewer, private_key, case_id)
    case = opened.case
    given: dict[str, str | None] = {}
    for step in timeline.read(case, opened.key, names={}):
        if step.action in (GRANTED, RECOVERED) and step.detail:
            given[step.detail] = step.reason
    rows = db.session.execute(
        db.select(User, CaseKey.reason)
        .join(CaseKey, CaseKey.user_id == User.id)
        .where(CaseKey.case_id == case.id)
        .order_by(User.username)
    ).all()
    holders = [
        Holder(
            user=user,
            reason=HoldReason(hold),
            given_reason=given.get(str(user.id)) if hold in (HoldReason.GRANT, HoldReason.RECOVERY) else None,
        )
        for user, hold in rows
    ]
    held = {h.user.id for h in holders}
    may_change = supervises(viewer)
    workers: list[User] = (
        list(db.session.scalars(candidates(case.body_id).order_by(User.username))) if may_change else []
    )
    opened.audit("case_view", detail="holders")
    db.session.commit()
    return Holders(
        case=case, holders=holders, candidates=[u for u in workers if u.id not in held], may_change=may_change
    )


def recovery_targets(body_id: int) -> list[User]:
    """Who a recovered case of this body may be sealed to."""
    return list(db.session.scalars(candidates(body_id).order_by(User.username)))
