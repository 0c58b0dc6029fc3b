"""Staff accounts and the bodies' escrow keys: creation and unlocking."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import CryptoError, KeyPair, decrypt, encrypt, new_credential, open_credential
from portal.domain.staff import ASSIGNABLE_ROLES, CASE_WORKER_ROLES, SUPERVISING_ROLES, StaffRole
from portal.extensions import db
from portal.models import Body, EscrowKey, User
from portal.services import audit, bodies
from portal.services.errors import ServiceError, UsernameTaken, WrongPassphrase
from portal.services.settings import argon2_profile
from portal.services.transaction import use_case

ROLES = tuple(role.value for role in StaffRole)
CASE_WORKERS = tuple(sorted(CASE_WORKER_ROLES))
MIN_SECRET_LENGTH = 12
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")


class InvalidAccount(ServiceError):
    """Username, role or password does not meet the rules."""


@dataclass(frozen=True)
class NewAccount:
    """What the creator of an account must hand over once."""

    user_id: int
    totp_uri: str


def check_secret(secret: str) -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise InvalidAccount(f"at least {MIN_SECRET_LENGTH} characters")


def may_receive_new_case_keys():
    """The one rule of who may be given a case key: active case workers a supervisor confirmed."""
    return db.select(User).where(User.public_key.is_not(None), User.disabled.is_(False), User.keys_confirmed.is_(True))


def intake_desk(body_id: int):
    """Who a case arriving at a body is sealed to: the body's confirmed intake officers, no one else."""
    return may_receive_new_case_keys().where(User.body_id == body_id, User.role == StaffRole.INTAKE.value)


def assignable(body_id: int):
    """Who a case of this body may be assigned to (承办): its confirmed reviewers, supervisors, leaders."""
    return may_receive_new_case_keys().where(User.body_id == body_id, User.role.in_(sorted(ASSIGNABLE_ROLES)))


def approvers(body_id: int):
    """Who a 容错纠错 decision may be submitted to for approval: the body's confirmed leaders (issue 10)."""
    return may_receive_new_case_keys().where(User.body_id == body_id, User.role == StaffRole.LEADER.value)


def supervisors_of(user: User):
    """Who supervises an assignee's cases (审核人): the supervisor set on a reviewer's account, or,
    where none is set, the confirmed supervisors of the body; a supervisor or leader has none."""
    if user.role != StaffRole.REVIEWER:
        return may_receive_new_case_keys().where(db.false())
    query = may_receive_new_case_keys().where(User.body_id == user.body_id)
    if user.supervisor_id is not None:
        return query.where(User.id == user.supervisor_id)
    return query.where(User.role == StaffRole.SUPERVISOR.value)


def _check_placement(role: str, body_id: int, supervisor_id: int | None) -> None:
    if db.session.get(Body, body_id) is None:
        raise InvalidAccount("body")
    if supervisor_id is None:
        return
    chief = db.session.get(User, supervisor_id)
    if role != StaffRole.REVIEWER or chief is None or chief.body_id != body_id or chief.role not in SUPERVISING_ROLES:
        raise InvalidAccount("supervisor: a supervisor or leader of the same body, for a reviewer")


@use_case
def create_user(
    username: str,
    role: str,
    password: str,
    actor_id: int | None = None,
    *,
    body_id: int | None = None,
    supervisor_id: int | None = None,
    confirmed: bool = False,
) -> NewAccount:
    """An account with its TOTP secret and, for case workers, a key pair.

    `confirmed` is for the operator's command line only (the first supervisors of a
    deployment); an account an admin creates waits for a supervisor's confirmation.
    """
    if not _USERNAME.fullmatch(username):
        raise InvalidAccount("username: 3-64 of a-z 0-9 . _ -, starting with a letter or digit")
    if role not in ROLES:
        raise InvalidAccount(f"role must be one of {', '.join(ROLES)}")
    check_secret(password)
    if body_id is None:
        body_id = _only_body()
    _check_placement(role, body_id, supervisor_id)
    if db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
        raise UsernameTaken(username)
    credential, wrap_key = new_credential(password.encode(), argon2_profile())
    pair = KeyPair.generate() if role in CASE_WORKERS else None
    user = User(
        username=username,
        role=role,
        body_id=body_id,
        supervisor_id=supervisor_id,
        credential=credential,
        totp_secret=b"",
        public_key=pair.public if pair else None,
        wrapped_private_key=b"" if pair else None,
        keys_confirmed=confirmed and pair is not None,
        created_at=this_hour(),
    )
    db.session.add(user)
    db.session.flush()  # the id names the ciphertexts below
    totp_secret = pyotp.random_base32()
    user.totp_secret = encrypt(wrap_key, totp_secret.encode(), aad.user_totp(user.id))
    if pair:
        user.wrapped_private_key = encrypt(wrap_key, pair.private, aad.user_private_key(user.id))
    audit.record("account_created", actor_id=actor_id, target_user_id=user.id, detail=role)
    if user.keys_confirmed:
        audit.record("account_confirmed", actor_id=actor_id, target_user_id=user.id, detail="command_line")
    db.session.commit()
    uri = pyotp.TOTP(totp_secret).provisioning_uri(name=username, issuer_name="Zhengming")
    return NewAccount(user_id=user.id, totp_uri=uri)


def _only_body() -> int:
    """The body of an account created without one: the default body (the command line's case)."""
    body_id = bodies.default_id()
    if body_id is None:
        raise InvalidAccount("body: create a body first (flask init)")
    return body_id


def escrow(body_id: int | None = None) -> EscrowKey | None:
    """A body's escrow key (the default body's when none is named), if it has one yet."""
    if body_id is None:
        body_id = bodies.default_id()
    return db.session.scalar(db.select(EscrowKey).where(EscrowKey.body_id == body_id))


@use_case
def create_escrow(passphrase: str, body_id: int | None = None, actor_id: int | None = None) -> bool:
    """Make a body's escrow key pair once; False if it already has one. ``actor_id`` is the
    supervisor who set it on the staff page (None: the operator's command line)."""
    if body_id is None:
        body_id = _only_body()
    if escrow(body_id) is not None:
        return False
    check_secret(passphrase)
    credential, wrap_key = new_credential(passphrase.encode(), argon2_profile())
    pair = KeyPair.generate()
    row = EscrowKey(
        body_id=body_id,
        public_key=pair.public,
        credential=credential,
        wrapped_private_key=b"",
        created_at=this_hour(),
    )
    db.session.add(row)
    db.session.flush()
    row.wrapped_private_key = encrypt(wrap_key, pair.private, aad.escrow_private_key(row.id))
    audit.record("escrow_created", actor_id=actor_id, detail=f"body:{body_id}")
    db.session.commit()
    return True


def unlock_escrow(passphrase: str, body_id: int | None = None) -> bytes:
    """A body's escrow private key; WrongPassphrase on a wrong passphrase."""
    row = escrow(body_id)
    if row is None:
        raise ServiceError("no escrow key")
    try:
        wrap_key = open_credential(passphrase.encode(), row.credential)
    except CryptoError as exc:
        raise WrongPassphrase("passphrase") from exc
    return decrypt(wrap_key, row.wrapped_private_key, aad.escrow_private_key(row.id))


@use_case
def change_escrow_passphrase(current: str, new: str, body_id: int | None = None, actor_id: int | None = None) -> None:
    """Re-wrap the escrow private key under a new passphrase; WrongPassphrase if ``current`` is wrong.

    Only someone holding the passphrase can do it (the key is opened with it); the key pair does
    not change, so every case sealed to it stays recoverable. Audited, without either secret.
    """
    check_secret(new)
    found = escrow(body_id)
    if found is None:
        raise ServiceError("no escrow key")
    row = db.session.scalar(db.select(EscrowKey).where(EscrowKey.id == found.id).with_for_update())
    private = unlock_escrow(current, row.body_id)
    credential, wrap_key = new_credential(new.encode(), argon2_profile())
    row.credential = credential
    row.wrapped_private_key = encrypt(wrap_key, private, aad.escrow_private_key(row.id))
    audit.record(
        "escrow_passphrase_changed",
        actor_id=actor_id,
        detail=f"body:{row.body_id}" if actor_id else "command_line",
    )
    db.session.commit()
