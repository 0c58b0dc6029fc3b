"""Supervisors vouch for new or reset case workers, and give them access to older cases.

A new or reset account receives no case key until a supervisor who holds keys confirms
it (`confirm`); the escrow passphrase then opens older cases to it (`grant_all`).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain import aad
from portal.domain.crypto import seal, unseal
from portal.domain.staff import StaffRole
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import accounts, audit
from portal.services.errors import ServiceError, WrongPassphrase
from portal.services.transaction import use_case

_BATCH = 500


class NotACaseWorker(ServiceError):
    """Only active reviewers and supervisors hold case keys."""


class NotConfirmable(ServiceError):
    """The confirmation is refused: who confirms, or whom, does not meet the rule."""


class NotConfirmed(ServiceError):
    """Older cases are granted only to an account a supervisor has confirmed."""


@dataclass(frozen=True)
class Gap:
    """A case worker and the number of cases they cannot open."""

    user: User
    missing: int


def gaps() -> list[Gap]:
    """Active case workers with the count of cases not yet sealed to them."""
    total = db.session.scalar(db.select(db.func.count()).select_from(Case)) or 0
    held = dict(db.session.execute(db.select(CaseKey.user_id, db.func.count()).group_by(CaseKey.user_id)).all())
    workers = db.session.scalars(accounts.may_receive_new_case_keys().order_by(User.username))
    return [Gap(user=u, missing=total - held.get(u.id, 0)) for u in workers]


def awaiting() -> list[User]:
    """Active case workers that no supervisor has confirmed yet (new, or reset since)."""
    query = db.select(User).where(
        User.public_key.is_not(None), User.disabled.is_(False), User.keys_confirmed.is_(False)
    )
    return list(db.session.scalars(query.order_by(User.username)))


@use_case
def confirm(supervisor: User, target_user_id: int) -> None:
    """A confirmed supervisor vouches for another signed-in case worker: new cases are sealed to it."""
    target = db.session.get(User, target_user_id)
    if supervisor.role != StaffRole.SUPERVISOR or not supervisor.keys_confirmed or supervisor.disabled:
        raise NotConfirmable("confirmer")
    if target is None or target.id == supervisor.id or target.public_key is None or target.disabled:
        raise NotConfirmable("target")
    if not target.totp_enrolled:
        raise NotConfirmable("not_signed_in")  # the person, not whoever holds the temporary password
    if target.keys_confirmed:
        return
    target.keys_confirmed = True
    audit.record("account_confirmed", actor_id=supervisor.id, target_user_id=target.id)
    db.session.commit()


@use_case
def grant_all(supervisor: User, passphrase: str, target_user_id: int) -> int:
    """Open every missing case with the escrow key and seal it to the target; one transaction."""
    target = db.session.get(User, target_user_id)
    if target is None or target.public_key is None or target.disabled:
        raise NotACaseWorker(str(target_user_id))
    if not target.keys_confirmed or not supervisor.keys_confirmed:
        raise NotConfirmed(str(target_user_id))
    try:
        escrow_private = accounts.unlock_escrow(passphrase)
    except WrongPassphrase:
        audit.record("escrow_passphrase_failed", actor_id=supervisor.id, target_user_id=target.id)
        db.session.commit()
        raise
    held = db.select(CaseKey.case_id).where(CaseKey.user_id == target.id)
    query = db.select(Case.id, Case.escrow_key).where(Case.id.not_in(held)).order_by(Case.id)
    granted = 0
    for case_id, escrow_key in db.session.execute(query).yield_per(_BATCH):
        dk = unseal(escrow_private, escrow_key, aad.escrow_key(case_id))
        sealed = seal(target.public_key, dk, aad.user_key(case_id, target.id))
        db.session.add(CaseKey(case_id=case_id, user_id=target.id, sealed_key=sealed))
        granted += 1
    audit.record("grant", actor_id=supervisor.id, target_user_id=target.id, detail=f"cases:{granted}")
    db.session.commit()
    return granted
