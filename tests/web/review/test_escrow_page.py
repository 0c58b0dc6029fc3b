"""A body's escrow key is set and changed by its supervisors on /review/escrow, never by an admin;
until it is set, the body receives no case."""

from __future__ import annotations

import pytest

from portal.domain.crypto import CryptoError
from portal.extensions import db
from portal.models import AuditEntry
from portal.services import accounts, bodies
from tests.web.body_helpers import Member, make_body

PASSPHRASE = "a township escrow passphrase"


def entries(app, action: str) -> list[tuple[int | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(db.select(AuditEntry.actor_id, AuditEntry.detail).where(AuditEntry.action == action))
        return [tuple(row) for row in rows]


def receiving(app) -> set[int]:
    with app.app_context():
        return {choice.id for choice in bodies.receiving()}


def test_a_supervisor_sets_the_escrow_passphrase_once_and_the_body_then_receives_cases(app, cadre):
    township = make_body(app, "南镇纪委", escrow=False)
    chief = Member(app, "nan.sup", "supervisor", township)
    assert township not in receiving(app)
    page = chief.get("/review/escrow").get_data(as_text=True)
    assert "has no escrow key yet" in page

    differ = chief.post(
        "/review/escrow", {"passphrase": PASSPHRASE, "repeat": PASSPHRASE + "!"}, form_page="/review/escrow"
    )
    assert differ.status_code == 400 and "The two passphrases differ" in differ.get_data(as_text=True)
    short = chief.post("/review/escrow", {"passphrase": "short", "repeat": "short"}, form_page="/review/escrow")
    assert short.status_code == 400
    with app.app_context():
        assert accounts.escrow(township) is None  # nothing was made

    done = chief.post("/review/escrow", {"passphrase": PASSPHRASE, "repeat": PASSPHRASE}, form_page="/review/escrow")
    assert done.status_code == 303
    with app.app_context():
        assert accounts.unlock_escrow(PASSPHRASE, township)
    assert entries(app, "escrow_created")[-1] == (chief.user_id, f"body:{township}")
    assert township in receiving(app)  # the cadre's form lists it now
    assert PASSPHRASE not in chief.get("/review/escrow").get_data(as_text=True)

    again = chief.client.post(
        "/review/escrow", data={**chief.tokens("/review/account/password"), "passphrase": "x" * 14, "repeat": "x" * 14}
    )
    assert again.status_code == 409  # the key exists: its passphrase is changed, not set again
    with app.app_context():
        assert accounts.unlock_escrow(PASSPHRASE, township)


def test_the_passphrase_is_changed_with_the_current_one_and_a_wrong_one_is_recorded(app):
    township = make_body(app, "北镇纪委", escrow=False)
    chief = Member(app, "bei.sup", "supervisor", township)
    chief.post("/review/escrow", {"passphrase": PASSPHRASE, "repeat": PASSPHRASE}, form_page="/review/escrow")
    new = "the new township passphrase"
    path = "/review/escrow/passphrase"
    wrong = chief.post(path, {"current": "not the passphrase", "new": new, "repeat": new}, form_page="/review/escrow")
    assert wrong.status_code == 400 and "The escrow passphrase is wrong." in wrong.get_data(as_text=True)
    assert entries(app, "escrow_passphrase_failed") == [(chief.user_id, f"body:{township}")]
    right = chief.post(path, {"current": PASSPHRASE, "new": new, "repeat": new}, form_page="/review/escrow")
    assert right.status_code == 303
    with app.app_context():
        assert accounts.unlock_escrow(new, township)
        with pytest.raises(Exception) as refused:
            accounts.unlock_escrow(PASSPHRASE, township)
        assert not isinstance(refused.value, CryptoError)  # refused as a wrong passphrase, in words
    assert entries(app, "escrow_passphrase_changed")[-1] == (chief.user_id, f"body:{township}")


@pytest.mark.parametrize("role", ["intake", "reviewer", "admin"])
def test_only_the_bodys_supervisors_and_leaders_set_it(app, role):
    township = make_body(app, "西镇纪委", escrow=False)
    member = Member(app, f"xi.{role}", role, township)
    assert member.get("/review/escrow").status_code == 403
    response = member.client.post(
        "/review/escrow",
        data={**member.tokens("/review/account/password"), "passphrase": PASSPHRASE, "repeat": PASSPHRASE},
    )
    assert response.status_code == 403
    with app.app_context():
        assert accounts.escrow(township) is None


def test_a_leader_sets_it_too(app):
    township = make_body(app, "东镇纪委", escrow=False)
    leader = Member(app, "dong.lead", "leader", township)
    assert (
        leader.post(
            "/review/escrow", {"passphrase": PASSPHRASE, "repeat": PASSPHRASE}, form_page="/review/escrow"
        ).status_code
        == 303
    )
    with app.app_context():
        assert accounts.escrow(township) is not None
