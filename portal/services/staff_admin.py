"""What an admin does to accounts and bodies: create, disable, enable, reset; new bodies, routing.

An admin manages their own body and the bodies below it, and nothing else: every account
or body outside that subtree is refused (NotYourBody) before anything changes. Admins
never touch case keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp

from portal.domain import aad
from portal.domain.cases import Category
from portal.domain.crypto import KeyPair, encrypt, new_credential
from portal.domain.staff import SUPERVISING_ROLES
from portal.extensions import db
from portal.models import Body, EscrowKey, User
from portal.services import accounts, audit, bodies, form_tokens, holdings
from portal.services.bodies import NoEscrowYet
from portal.services.errors import ServiceError
from portal.services.settings import argon2_profile
from portal.services.transaction import use_case


class NoSuchAccount(ServiceError):
    """The account does not exist."""


class NotOnYourself(ServiceError):
    """An admin cannot disable or reset their own account."""


class NotYourBody(ServiceError):
    """The account or body is outside the admin's body and the bodies below it."""


@dataclass(frozen=True)
class BodyRow:
    """One body of the admin's tree, as the bodies page lists it."""

    body: Body
    depth: int
    has_escrow: bool


def managed(admin: User) -> frozenset[int]:
    """The bodies an admin manages: their own and every body below it."""
    return bodies.subtree_ids(admin.body_id)


def reads_audit_log(admin: User) -> bool:
    """The audit log spans every body (names, actions, case ids): only an admin of a top body reads it."""
    body = db.session.get(Body, admin.body_id)
    return body is not None and body.parent_id is None


def _within(admin: User, body_id: int | None) -> int:
    if body_id is None or body_id not in managed(admin):
        raise NotYourBody(str(body_id))
    return body_id


def temporary_password() -> str:
    """A one-time password for the admin to hand over; the user changes it."""
    return secrets.token_urlsafe(12)


def create(admin: User, username: str, role: str, body_id: int | None = None, supervisor_id: int | None = None) -> str:
    """Create an account in one of the admin's bodies (their own by default); returns its temporary
    password (TOTP is enrolled at first sign-in). ``accounts.create_user`` checks the supervisor."""
    body_id = _within(admin, admin.body_id if body_id is None else body_id)
    password = temporary_password()
    accounts.create_user(username, role, password, actor_id=admin.id, body_id=body_id, supervisor_id=supervisor_id)
    return password


def _account(user_id: int, admin: User) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NoSuchAccount(str(user_id))
    if user.id == admin.id:
        raise NotOnYourself()
    _within(admin, user.body_id)
    return user


def target(admin: User, user_id: int) -> User:
    """The account an admin may change, or what would refuse it, so a confirmation names a real account."""
    return _account(user_id, admin)


@use_case
def set_disabled(admin: User, user_id: int, disabled: bool, form_token: str | None) -> None:
    """Disable or enable; a disabled account's sessions stop working at the next request.

    Disabling is leaving the office: the account's copies of case keys are deleted, so an enable
    gives it no old case back (a supervisor grants what it needs again, case by case)."""
    user = _account(user_id, admin)
    form_tokens.spend(form_token)
    user.disabled = disabled
    left = None
    if disabled:
        user.session_epoch += 1  # sessions opened before do not come back with an enable
        left = f"cases:{holdings.leave(user.id)}"
    audit.record(
        "account_disabled" if disabled else "account_enabled", actor_id=admin.id, target_user_id=user.id, detail=left
    )
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
        holdings.leave(user.id)
    audit.record("account_reset", actor_id=admin.id, target_user_id=user.id)
    db.session.commit()
    return password


def all_accounts(admin: User) -> list[User]:
    """The accounts of the admin's bodies, by name, for the admin's list."""
    query = db.select(User).where(User.body_id.in_(sorted(managed(admin)))).order_by(User.username)
    return list(db.session.scalars(query))


def supervisor_choices(admin: User) -> list[User]:
    """Who a new reviewer of one of the admin's bodies may report to: its active supervisors and leaders."""
    query = (
        db.select(User)
        .where(
            User.body_id.in_(sorted(managed(admin))),
            User.role.in_(sorted(SUPERVISING_ROLES)),
            User.disabled.is_(False),
        )
        .order_by(User.body_id, User.username)
    )
    return list(db.session.scalars(query))


def body_tree(admin: User) -> list[BodyRow]:
    """The admin's body and those below it, each after its parent, indented by depth."""
    mine = managed(admin)
    found = [b for b in bodies.all_bodies() if b.id in mine]
    with_escrow = set(db.session.scalars(db.select(EscrowKey.body_id).where(EscrowKey.body_id.in_(sorted(mine)))))
    children: dict[int | None, list[Body]] = {}
    for body in found:
        children.setdefault(body.parent_id, []).append(body)
    rows: list[BodyRow] = []

    def walk(body: Body, depth: int) -> None:
        rows.append(BodyRow(body, depth, body.id in with_escrow))
        for child in children.get(body.id, []):
            walk(child, depth + 1)

    root = db.session.get(Body, admin.body_id)
    if root is not None:
        walk(root, 0)
    return rows


def create_body(
    admin: User, name: str, short_name: str, kind: str, level: str, ranks, parent_id: int, *, name_public: bool
) -> int:
    """A new body below one of the admin's; its supervisors set its escrow key (the admin cannot)."""
    _within(admin, parent_id)
    return bodies.create(name, short_name, kind, level, ranks, parent_id, name_public=name_public, actor_id=admin.id)


def routed_body(category: str) -> int | None:
    """The body a concern of this category goes to when the cadre chose none."""
    found = bodies.routes().get(category)
    if found is None:
        default = bodies.default()
        return default.id if default is not None else None
    return found


def route_category(admin: User, category: str, body_id: int) -> None:
    """Send new concerns of a category to one of the admin's bodies; only a route that leads to one
    of the admin's bodies now may be changed, so no admin takes another's concerns away."""
    if category not in Category.__members__.values():
        raise bodies.InvalidBody("category")
    _within(admin, routed_body(category))
    _within(admin, body_id)
    if accounts.escrow(body_id) is None:
        raise NoEscrowYet(str(body_id))
    bodies.route_category(category, body_id, actor_id=admin.id)


def username(user_id: int) -> str:
    """An account's name; NoSuchAccount if there is none."""
    found = db.session.scalar(db.select(User.username).where(User.id == user_id))
    if found is None:
        raise NoSuchAccount(str(user_id))
    return found


def names_by_id() -> dict[int, str]:
    """Every account's name by id, for the audit log."""
    return dict(db.session.execute(db.select(User.id, User.username)).all())


# -- h11x: the default body --


def may_change_default(admin: User) -> bool:
    """Whether the default body is one of the admin's, so they may move it (to another of theirs)."""
    current = bodies.default_id()
    return current is not None and current in managed(admin)


def receives(body_id: int) -> bool:
    """Whether a case sent to the body reaches someone: an escrow key and a confirmed intake officer
    (what a transfer's target needs; a route needs the escrow key, but the default catches every
    concern nothing else routes, so nobody reading it would lose them silently)."""
    if accounts.escrow(body_id) is None:
        return False
    return db.session.scalar(accounts.intake_desk(body_id).limit(1)) is not None


def _default_change(admin: User, body_id: int | None, old: Body | None) -> Body:
    """The body that would become the default, or the refusal (the admin's, able to receive, not it already)."""
    _within(admin, old.id if old is not None else None)
    target = db.session.get(Body, _within(admin, body_id))
    if target is None:  # a managed body always exists; kept for the type checker
        raise bodies.NoSuchBody(str(body_id))
    if old is not None and old.id == target.id:
        raise bodies.AlreadyDefault(str(target.id))
    if not receives(target.id):
        raise bodies.CannotReceive(str(target.id))
    return target


def default_change(admin: User, body_id: int | None) -> tuple[Body | None, Body]:
    """What make_default would do (the default now, the one after), or its refusal; writes nothing."""
    old = bodies.default()
    return old, _default_change(admin, body_id, old)


@use_case
def make_default(admin: User, body_id: int | None, form_token: str | None) -> None:
    """Make one of the admin's bodies the default, in place of the default if that is theirs too.

    An admin who does not manage the default cannot take it (and with it every concern no route
    names) away from its body, as with category routes. The new one must be able to receive.
    Concurrent changes are serialised by the lock; the partial unique index forbids two defaults.
    """
    old = bodies.lock_default()
    target = _default_change(admin, body_id, old)
    form_tokens.spend(form_token)
    bodies.set_default(old, target, admin.id)
    db.session.commit()
