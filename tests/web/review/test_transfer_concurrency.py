"""Two intake officers send the same case to two bodies at once: it moves once (PostgreSQL only)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from portal.domain import aad
from portal.domain.crypto import decrypt, open_credential
from portal.extensions import db
from portal.models import Case, CaseKey, Transfer, User
from portal.services import accounts, bodies, form_tokens, transfers
from portal.services.case_keys import NoAccess
from tests.conftest import STAFF_PASSWORD, Cadre, only_case_id


def _private_key(user_id: int) -> bytes:
    """The private key as signing in opens it."""
    user = db.session.get(User, user_id)
    wrap_key = open_credential(STAFF_PASSWORD.encode(), user.credential)
    return decrypt(wrap_key, user.wrapped_private_key, aad.user_private_key(user.id))


def _officer(username: str, body_id: int) -> int:
    return accounts.create_user(username, "intake", STAFF_PASSWORD, body_id=body_id, confirmed=True).user_id


def test_two_simultaneous_transfers_move_the_case_once(app: Flask, cadre: Cadre) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite runs one transaction at a time: nothing to race")
        county = bodies.default().id
        senders = [_officer("liwei", county), _officer("liuyang", county)]
        targets = []
        for name, officer in (("甲县纪委监委", "jiaxian"), ("乙县纪委监委", "yixian")):
            body_id = bodies.create(name, name[:2], "commission", "county", ("general",))
            accounts.create_escrow("escrow passphrase of another county", body_id)
            _officer(officer, body_id)
            targets.append(body_id)
    cadre.file_concern()
    case_id = only_case_id(app)

    start = threading.Barrier(2)
    outcomes: list[object] = []

    def send(sender: int, target: int) -> None:
        with app.app_context():
            key, token = _private_key(sender), form_tokens.issue()
            user = db.session.get(User, sender)
            start.wait(30)
            try:
                outcomes.append(transfers.transfer(user, key, case_id, target, "other_body", token))
            except NoAccess as exc:
                outcomes.append(exc)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(senders, targets, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(type(o).__name__ for o in outcomes) == ["NoAccess", "int"]
    with app.app_context():
        case = db.session.get(Case, case_id)
        stubs = list(db.session.scalars(db.select(Transfer).where(Transfer.case_id == case_id)))
        assert len(stubs) == 1 and stubs[0].to_body_id == case.body_id
        holders = set(db.session.scalars(db.select(CaseKey.user_id).where(CaseKey.case_id == case_id)))
        assert holders and all(db.session.get(User, h).body_id == case.body_id for h in holders)
