"""Secrets typed behind a staff session are throttled per account; sign-in locks are proportionate."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.models import AuditEntry
from tests.conftest import STAFF_PASSWORD, Staff, _client

ATTACKER = ("198.51.100.66", "AttackerAgent/1.0")
OWNER = ("192.0.2.10", "OwnerAgent/2.0")
LOCKED = "Too many failed sign-ins for this account name."


def entries(app: Flask, action: str) -> list[tuple[int | None, int | None]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEntry.actor_id, AuditEntry.target_user_id)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def at(app: Flask, member: Staff, address: str, agent: str = "SomeAgent/1.0") -> Staff:
    """The same person (or someone using their name) at another client."""
    member.client = _client(app)
    member.client.environ_base.update(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    member.client.set_cookie("zm_lang", "en")
    return member


def sign_in(member: Staff, username: str, password: str, code: str):
    tokens = member.tokens("/review/login")
    return member.client.post(
        "/review/login", data={**tokens, "username": username, "password": password, "code": code}
    )


def change_password(member: Staff, current: str):
    new = "a brand new password"
    return member.post("/review/account/password", {"current": current, "new": new, "repeat": new})


def test_wrong_current_passwords_are_throttled_per_account_and_audited(app, staff):
    member = staff("li.ming", "reviewer")
    colleague = staff("wang.fang", "reviewer")  # same client address as li.ming
    statuses = [change_password(member, f"wrong guess {i}").status_code for i in range(6)]
    assert statuses == [400] * 5 + [429]
    assert change_password(member, STAFF_PASSWORD).status_code == 429  # even the right one, for now
    assert entries(app, "password_change_failed") == [(member.user_id, member.user_id)] * 5
    assert change_password(colleague, STAFF_PASSWORD).status_code == 303  # per account, not per client


def test_an_attacker_at_one_client_cannot_lock_the_owner_out_at_theirs(app):
    owner = Staff(app, "li.ming", "reviewer")
    attacker = at(app, Staff(app, "someone.else", "reviewer"), *ATTACKER)
    attempts = [sign_in(attacker, "li.ming", "guessed password", "123456").status_code for _ in range(6)]
    assert attempts == [401] * 5 + [429]
    assert LOCKED in sign_in(attacker, "li.ming", STAFF_PASSWORD, "123456").get_data(as_text=True)
    at(app, owner, *OWNER)
    assert owner.login().status_code == 303  # the owner, at their own client, is not locked out
    assert owner.get("/review").status_code == 200


def test_a_distributed_attack_on_one_account_still_hits_a_ceiling(app):
    owner = Staff(app, "li.ming", "reviewer")
    ceiling = 30  # LIMIT_LOGIN_ACCOUNT_ALL_CLIENTS; each client stops at 5 (LIMIT_LOGIN_ACCOUNT)
    prober = Staff(app, "prober", "reviewer")
    statuses = []
    for client in range(ceiling // 5):
        at(app, prober, f"198.51.100.{client + 1}")
        statuses += [sign_in(prober, "li.ming", f"guess {client}-{i}", "123456").status_code for i in range(5)]
    assert statuses == [401] * ceiling
    at(app, prober, "198.51.100.250")  # a new client: the account name is now locked everywhere
    locked = sign_in(prober, "li.ming", "guess again", "123456")
    assert locked.status_code == 429 and LOCKED in locked.get_data(as_text=True)
    at(app, owner, *OWNER)
    assert owner.login().status_code == 429
    assert sign_in(prober, "ghost.name", "guess", "123456").status_code == 401  # other names are not
