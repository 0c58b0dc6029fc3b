"""A body's escrow key on the staff side: its supervisors set its passphrase, and change it.

The escrow key is what recovers a case whose holders are all gone (``grants.recover``). An admin
creates a body but never its escrow key: the passphrase is set and held by the body's
supervisors and leaders, so no single admin can open the body's cases with it. Until it is set,
the body receives no cases (it is not listed on the cadre's form, and no case is routed to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.extensions import db
from portal.models import User
from portal.services import accounts, audit, form_tokens
from portal.services.bodies import NoEscrowYet
from portal.services.errors import ServiceError, WrongPassphrase
from portal.services.grants import NotSupervising, supervises
from portal.services.transaction import use_case


class EscrowExists(ServiceError):
    """The body has an escrow key already: its passphrase is changed, not set again."""


class PassphrasesDiffer(ServiceError):
    """The new passphrase and its repetition differ."""


@dataclass(frozen=True)
class EscrowState:
    body_id: int
    exists: bool


def state(user: User) -> EscrowState:
    """Whether the user's body has its escrow key yet; NotSupervising for anyone but its supervisors."""
    if not supervises(user):
        raise NotSupervising(str(user.id))
    return EscrowState(user.body_id, accounts.escrow(user.body_id) is not None)


@use_case
def set_up(user: User, passphrase: str, repeat: str, form_token: str | None) -> None:
    """A supervisor or leader sets the escrow passphrase of their body, once; audited, no secret kept."""
    if state(user).exists:
        raise EscrowExists(str(user.body_id))
    if passphrase != repeat:
        raise PassphrasesDiffer("repeat")
    accounts.check_secret(passphrase)
    form_tokens.spend(form_token)
    accounts.create_escrow(passphrase, user.body_id, actor_id=user.id)


@use_case
def change(user: User, current: str, new: str, repeat: str, form_token: str | None) -> None:
    """Re-wrap the body's escrow key under a new passphrase; WrongPassphrase if ``current`` is wrong."""
    if not state(user).exists:
        raise NoEscrowYet(str(user.body_id))
    if new != repeat:
        raise PassphrasesDiffer("repeat")
    accounts.check_secret(new)
    form_tokens.spend(form_token)
    try:
        accounts.change_escrow_passphrase(current, new, user.body_id, actor_id=user.id)
    except WrongPassphrase:
        db.session.rollback()  # the form can be sent again; the refusal itself is recorded
        audit.record("escrow_passphrase_failed", actor_id=user.id, detail=f"body:{user.body_id}")
        db.session.commit()
        raise
