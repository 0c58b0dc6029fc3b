"""Secrets outside the database: SECRET_KEY rotates without logging anyone out; the escrow passphrase changes."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.conftest import ESCROW_PASSPHRASE, Cadre, Staff, _client, make_app, only_case_id

OLD, NEW = "old-secret-key-" + "o" * 32, "new-secret-key-" + "n" * 32


def moved(client, app):
    """The same browser (its cookies) talking to another app instance."""
    other = _client(app)
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


@pytest.fixture
def rotated(cadre_factory, schema):
    """An app signed with OLD and its cadre and staff; then a builder of apps after the rotation."""
    old_app, cadre, _client_ = cadre_factory(SECRET_KEY=OLD)
    made = []

    def after(**config):
        app = make_app(schema, SECRET_KEY=NEW, **config)
        made.append(app)
        return app

    yield old_app, cadre, after
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_a_rotated_key_keeps_cadres_and_staff_signed_in_with_the_old_key_as_fallback(rotated):
    old_app, cadre, after = rotated
    reviewer = Staff(old_app, "zhao.rev", "intake")  # new cases are sealed to intake
    assert reviewer.login().status_code == 303
    receipt = cadre.receipt_of(cadre.file_concern(description="ZM-ROTATION-CONCERN"))
    assert cadre.follow_up(receipt).status_code == 303
    case_id = only_case_id(old_app)
    assert "ZM-ROTATION-CONCERN" in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    reply_form = cadre.form("/followup/status")  # a form served before the rotation, sent after it

    rotated_app = after(SECRET_KEY_FALLBACKS=[OLD])
    browser = moved(cadre.client, rotated_app)
    assert "ZM-ROTATION-CONCERN" in browser.get("/followup/status").get_data(as_text=True)
    sent = browser.post("/followup/reply", data={**reply_form, "body": "Sent across the rotation."})
    assert sent.status_code == 303
    staff_browser = moved(reviewer.client, rotated_app)
    assert "ZM-ROTATION-CONCERN" in staff_browser.get(f"/review/cases/{case_id}").get_data(as_text=True)

    # Without the fallback the old signatures are worthless: that is what the fallback saves.
    bare_app = after()
    assert moved(cadre.client, bare_app).get("/followup/status").status_code == 401
    assert moved(reviewer.client, bare_app).get(f"/review/cases/{case_id}").status_code in (302, 303)


def test_sessions_signed_after_the_rotation_use_the_new_key(rotated):
    _old_app, _cadre, after = rotated
    rotated_app = after(SECRET_KEY_FALLBACKS=[OLD])
    cadre = Cadre(_client(rotated_app))
    receipt = cadre.receipt_of(cadre.file_concern())
    assert cadre.follow_up(receipt).status_code == 303
    # An instance that only knows the new key (the fallback dropped later) still reads it.
    assert moved(cadre.client, after()).get("/followup/status").status_code == 200


def test_fallbacks_come_from_the_environment_comma_separated(monkeypatch, schema):
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", f" {OLD} , older-key ,")
    app = make_app(schema)
    assert app.config["SECRET_KEY_FALLBACKS"] == [OLD, "older-key"]


def test_a_supervisor_changes_the_escrow_passphrase_and_old_cases_stay_recoverable(app, cadre, staff, runner):
    chief = staff("qian.sup", "supervisor")
    intake = staff("xin.fang", "intake")
    cadre.file_concern()
    case_id = only_case_id(app)
    with app.app_context():  # the case's only holder leaves: only the escrow opens it now
        from portal.models import User
        from portal.services import accounts, form_tokens, staff_admin

        admin_id = accounts.create_user("root.admin", "admin", "an admin password 1", confirmed=True).user_id
        staff_admin.set_disabled(db.session.get(User, admin_id), intake.user_id, True, form_tokens.issue())
    new = "a new escrow passphrase 2026"

    wrong = runner.invoke(args=["escrow", "passphrase"], input=f"not the passphrase\n{new}\n")
    assert wrong.exit_code != 0 and "wrong" in wrong.output
    short = runner.invoke(args=["escrow", "passphrase"], input=f"{ESCROW_PASSPHRASE}\nshort\n")
    assert short.exit_code != 0
    changed = runner.invoke(args=["escrow", "passphrase"], input=f"{ESCROW_PASSPHRASE}\n{new}\n")
    assert changed.exit_code == 0, changed.output
    assert ESCROW_PASSPHRASE not in changed.output and new not in changed.output

    newcomer = staff("new.rev", "reviewer")
    recovery = {"case_id": case_id, "user_id": str(newcomer.user_id), "reason": "承办人调离。"}
    old = chief.post("/review/recover", {**recovery, "passphrase": ESCROW_PASSPHRASE})
    assert old.status_code == 400  # the old passphrase opens nothing now
    right = chief.post("/review/recover", {**recovery, "passphrase": new})
    assert right.status_code == 303
    assert "Too many inspections" in newcomer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    audit_log = runner.invoke(args=["audit", "verify"])
    assert audit_log.exit_code == 0
    with app.app_context():
        from portal.models import AuditEntry

        actions = list(db.session.scalars(db.select(AuditEntry.action)))
    assert actions.count("escrow_passphrase_changed") == 1
