"""Staff sign-in: password (Argon2id) and TOTP, the split session key, password change."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

import pyotp

from portal.domain import aad
from portal.domain.crypto import (
    CryptoError,
    KdfProfile,
    active_suite,
    decrypt,
    encrypt,
    new_credential,
    open_credential,
)
from portal.extensions import db
from portal.models import User
from portal.services import audit, key_sessions
from portal.services.accounts import check_secret
from portal.services.errors import ServiceError, SessionExpired
from portal.services.settings import argon2_profile, setting
from portal.services.transaction import use_case


class SignInFailed(ServiceError):
    """Wrong username, password or code, or a disabled account: one answer for all."""


class WrongCode(ServiceError):
    """The TOTP code does not match (or was already used)."""


class WrongPassword(ServiceError):
    """The current password given for a change is wrong."""


@dataclass(frozen=True)
class StaffAccess:
    """What the staff cookie carries: who, and the cookie half of the session key."""

    user_id: int
    session_secret: str  # the cookie half of the key session


@dataclass(frozen=True)
class Enrolment:
    """First sign-in: the password was right; a TOTP code must now be confirmed."""

    user_id: int
    session_secret: str  # the cookie half of the key session


@dataclass(frozen=True)
class Unlocked:
    """A signed-in staff member for this request: the account and the key it holds."""

    user: User
    private_key: bytes | None


@lru_cache(maxsize=4)
def _decoy(profile: KdfProfile, suite: str) -> bytes:
    """A credential no password opens, one per cost and cipher suite."""
    return new_credential(secrets.token_bytes(16), profile)[0]


def _matching_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step the code belongs to, if valid and newer than the last one used."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    drift = setting("TOTP_DRIFT_STEPS")
    for step in range(now_step - drift, now_step + drift + 1):
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _held_key(user: User, wrap_key: bytes) -> bytes:
    if user.wrapped_private_key is None:
        return secrets.token_bytes(32)  # admins hold no case key; the session still needs a key
    return decrypt(wrap_key, user.wrapped_private_key, aad.user_private_key(user.id))


def _fail(user: User | None, detail: str) -> SignInFailed:
    audit.record("sign_in_failed", actor_id=user.id if user else None, detail=detail)
    db.session.commit()
    return SignInFailed(detail)


@use_case
def sign_in(username: str, password: str, code: str) -> StaffAccess | Enrolment:
    """Check password and code; an account without TOTP yet goes to enrolment."""
    user = db.session.scalar(db.select(User).where(User.username == (username or "").strip().lower()))
    if user is None or user.disabled:
        try:  # spend the same time as a real check, so timing does not tell who exists
            open_credential(password.encode(), _decoy(argon2_profile(), active_suite()))
        except CryptoError:
            pass
        raise _fail(user, "disabled" if user else "unknown_account")
    try:
        wrap_key = open_credential(password.encode(), user.credential)
    except CryptoError:
        raise _fail(user, "password") from None
    if not user.totp_enrolled:
        pending = key_sessions.start(wrap_key, aad.staff_enrolment(user.id))
        db.session.commit()
        return Enrolment(user_id=user.id, session_secret=pending)
    secret = decrypt(wrap_key, user.totp_secret, aad.user_totp(user.id)).decode()
    step = _matching_step(secret, code, user.totp_last_step)
    if step is None:
        raise _fail(user, "totp")
    user.totp_last_step = step
    session_secret = key_sessions.start(_held_key(user, wrap_key), aad.staff_session(user.id, user.session_epoch))
    audit.record("sign_in", actor_id=user.id)
    db.session.commit()
    return StaffAccess(user_id=user.id, session_secret=session_secret)


@use_case
def enrolment_uri(enrolment: Enrolment) -> str:
    """The otpauth URI to show as a QR code during enrolment."""
    user = db.session.get(User, enrolment.user_id)
    if user is None:
        raise SessionExpired("account gone")
    wrap_key = key_sessions.resume(enrolment.session_secret, aad.staff_enrolment(enrolment.user_id))
    secret = decrypt(wrap_key, user.totp_secret, aad.user_totp(user.id)).decode()
    db.session.commit()
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Zhengming")


@use_case
def confirm_enrolment(enrolment: Enrolment, code: str) -> StaffAccess:
    """First code confirmed: TOTP becomes mandatory and a full session starts."""
    user = db.session.get(User, enrolment.user_id)
    if user is None or user.disabled:
        raise SessionExpired("account gone")
    wrap_key = key_sessions.resume(enrolment.session_secret, aad.staff_enrolment(user.id))
    secret = decrypt(wrap_key, user.totp_secret, aad.user_totp(user.id)).decode()
    step = _matching_step(secret, code, user.totp_last_step)
    if step is None:
        db.session.rollback()
        raise WrongCode()
    user.totp_enrolled, user.totp_last_step = True, step
    key_sessions.end(enrolment.session_secret)
    session_secret = key_sessions.start(_held_key(user, wrap_key), aad.staff_session(user.id, user.session_epoch))
    audit.record("totp_enrolled", actor_id=user.id, target_user_id=user.id)
    audit.record("sign_in", actor_id=user.id)
    db.session.commit()
    return StaffAccess(user_id=user.id, session_secret=session_secret)


@use_case
def resume(access: StaffAccess) -> Unlocked:
    """The signed-in user and held key, if the session is alive and the account active."""
    user = db.session.get(User, access.user_id)
    if user is None or user.disabled:
        raise SessionExpired("account gone")
    held = key_sessions.resume(access.session_secret, aad.staff_session(user.id, user.session_epoch))
    db.session.commit()
    return Unlocked(user=user, private_key=held if user.wrapped_private_key is not None else None)


@use_case
def sign_out(access: StaffAccess) -> None:
    """Delete the server half of the session."""
    key_sessions.end(access.session_secret)
    audit.record("sign_out", actor_id=access.user_id)
    db.session.commit()


@use_case
def change_password(user: User, current: str, new: str) -> None:
    """Re-wrap the private key and TOTP secret under the new password; nothing else changes."""
    try:
        old_wrap = open_credential(current.encode(), user.credential)
    except CryptoError:
        audit.record("password_change_failed", actor_id=user.id, target_user_id=user.id)
        db.session.commit()
        raise WrongPassword() from None
    check_secret(new)
    totp = decrypt(old_wrap, user.totp_secret, aad.user_totp(user.id))
    credential, wrap_key = new_credential(new.encode(), argon2_profile())
    user.credential = credential
    user.totp_secret = encrypt(wrap_key, totp, aad.user_totp(user.id))
    if user.wrapped_private_key is not None:
        private = decrypt(old_wrap, user.wrapped_private_key, aad.user_private_key(user.id))
        user.wrapped_private_key = encrypt(wrap_key, private, aad.user_private_key(user.id))
    audit.record("password_changed", actor_id=user.id, target_user_id=user.id)
    db.session.commit()
