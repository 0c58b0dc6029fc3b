"""What an admin does to accounts: create, disable, enable, reset. Admins never touch case keys."""

from __future__ import annotations

import secrets

import pyotp

from portal.domain import aad
from portal.domain.crypto import KeyPair, encrypt, new_credential
from portal.extensions import db
from portal.models import CaseKey, User
from portal.services import accounts, audit, form_tokens
from portal.services.errors import ServiceError
from portal.services.settings import argon2_profile
from portal.services.transaction import use_case


class NoSuchAccount(ServiceError):
    """The account does not exist."""


class NotOnYourself(ServiceError):
    """An admin cannot disable or reset their own account."""


def temporary_password() -> str:
    """A one-time password for the admin to hand over; the user changes it."""
    return secrets.token_urlsafe(12)


def create(admin: User, username: str, role: str) -> str:
    """Create an account; returns its temporary password (TOTP is enrolled at first sign-in)."""
    password = temporary_password()
    accounts.create_user(username, role, password, actor_id=admin.id)
    return password


def _account(user_id: int, admin: User) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NoSuchAccount(str(user_id))
    if user.id == admin.id:
        raise NotOnYourself()
    return user


def target(admin: User, user_id: int) -> User:
    """The account an admin may change, or what would refuse it, so a confirmation names a real account."""
    return _account(user_id, admin)


@use_case
def set_disabled(admin: User, user_id: int, disabled: bool, form_token: str | None) -> None:
    """Disable or enable; a disabled account's sessions stop working at the next request."""
    user = _account(user_id, admin)
    form_tokens.spend(form_token)
    user.disabled = disabled
    if disabled:
        user.session_epoch += 1  # sessions opened before do not come back with an enable
    audit.record("account_disabled" if disabled else "account_enabled", actor_id=admin.id, target_user_id=user.id)
    db.session.commit()


@use_case
def reset(admin: User, user_id: int, form_token: str | None) -> str:
    """New password, TOTP enrolment and key pair; no case keys until a supervisor confirms it again."""
    user = _account(user_id, admin)
    form_tokens.spend(form_token)
    password = temporary_password()
    credential, wrap_key = new_credential(password.encode(), argon2_profile())
    user.credential = credential
    user.totp_secret = encrypt(wrap_key, pyotp.random_base32().encode(), aad.user_totp(user.id))
    user.totp_enrolled, user.totp_last_step = False, 0
    user.session_epoch += 1  # a lost device's session ends with the reset
    user.keys_confirmed = False  # whoever holds the new password must be vouched for again
    if user.public_key is not None:
        pair = KeyPair.generate()
        user.public_key = pair.public
        user.wrapped_private_key = encrypt(wrap_key, pair.private, aad.user_private_key(user.id))
        db.session.execute(db.delete(CaseKey).where(CaseKey.user_id == user.id))
    audit.record("account_reset", actor_id=admin.id, target_user_id=user.id)
    db.session.commit()
    return password


def all_accounts() -> list[User]:
    """Every account, by name, for the admin's list."""
    return list(db.session.scalars(db.select(User).order_by(User.username)))


def username(user_id: int) -> str:
    """An account's name; NoSuchAccount if there is none."""
    found = db.session.scalar(db.select(User.username).where(User.id == user_id))
    if found is None:
        raise NoSuchAccount(str(user_id))
    return found


def names_by_id() -> dict[int, str]:
    """Every account's name by id, for the audit log."""
    return dict(db.session.execute(db.select(User.id, User.username)).all())
