"""Per-case grants (协办) and per-case recovery from the body's escrow key, through HTTP.

A grant gives one colleague of the case's body the key to one case; only a supervisor or
leader who holds the case gives it. Recovery opens one case whose holders are all gone,
with the body's escrow passphrase, for one person. Each leaves its audit entry; neither
passphrase nor reason reaches a log line or the audit log.
"""

from __future__ import annotations

import logging

import pyotp
import pytest
from flask import Flask

from portal.extensions import db
from portal.models import AuditEntry, CaseKey, User
from portal.services import accounts, bodies
from tests.conftest import ESCROW_PASSPHRASE, STAFF_PASSWORD, Staff, _client, only_case_id

OTHER_BODY = "邻县纪委监委"
OTHER_PASSPHRASE = "the other body's escrow passphrase"
GRANT_REASON = "协办理由：熟悉该镇情况 ZmGrantReason"
RECOVERY_REASON = "恢复理由：原承办人已调离 ZmRecoveryReason"


class BodyStaff(Staff):
    """A signed-in staff member of a named body (conftest's Staff belongs to the default body)."""

    def __init__(self, app: Flask, username: str, role: str, body_id: int, confirmed: bool = True) -> None:
        self.app, self.username, self.role, self.step = app, username, role, 0
        with app.app_context():
            created = accounts.create_user(username, role, STAFF_PASSWORD, body_id=body_id, confirmed=confirmed)
        self.user_id = created.user_id
        self.totp = pyotp.parse_uri(created.totp_uri)
        self.client = _client(app)


def member(app: Flask, username: str, role: str, body_id: int | None = None, confirmed: bool = True) -> Staff:
    """Signed in, in English (the tests read English words)."""
    if body_id is None:
        body_id = default_body(app)
    person = BodyStaff(app, username, role, body_id, confirmed)
    assert person.login().status_code == 303
    person.client.set_cookie("zm_lang", "en")
    return person


def default_body(app: Flask) -> int:
    with app.app_context():
        return bodies.default().id


def other_body(app: Flask) -> int:
    with app.app_context():
        body_id = bodies.create(OTHER_BODY, "邻纪", "commission", "county", ("general",))
        accounts.create_escrow(OTHER_PASSPHRASE, body_id)
        return body_id


def holders(app: Flask, case_id: str) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(db.select(CaseKey.user_id, CaseKey.reason).where(CaseKey.case_id == case_id))
        return dict(rows.all())


def audit_rows(app: Flask, action: str) -> list[tuple]:
    """(actor, case, target, detail) of each audit entry with this action, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEntry.actor_id, AuditEntry.case_id, AuditEntry.target_user_id, AuditEntry.detail)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def all_audit_details(app: Flask) -> str:
    with app.app_context():
        return " ".join(d or "" for d in db.session.scalars(db.select(AuditEntry.detail)))


def disable(app: Flask, *people: Staff) -> None:
    """They left the office: their accounts are disabled (their holder rows stay, unusable)."""
    with app.app_context():
        for person in people:
            db.session.get(User, person.user_id).disabled = True
        db.session.commit()


def opens(person: Staff, case_id: str, subject: str) -> bool:
    page = person.get(f"/review/cases/{case_id}")
    return page.status_code == 200 and subject in page.get_data(as_text=True)


def grant(by: Staff, case_id: str, target: Staff | int, reason: str = GRANT_REASON):
    target_id = target if isinstance(target, int) else target.user_id
    page = f"/review/cases/{case_id}/holders"
    return by.post(page, {"user_id": str(target_id), "reason": reason}, form_page=page)


def revoke(by: Staff, case_id: str, target: Staff):
    page = f"/review/cases/{case_id}/holders"
    return by.post(f"{page}/revoke", {"user_id": str(target.user_id)}, form_page=page)


def recover(by: Staff, case_id: str, target: Staff, passphrase: str = ESCROW_PASSPHRASE, reason: str = RECOVERY_REASON):
    data = {"case_id": case_id, "user_id": str(target.user_id), "reason": reason, "passphrase": passphrase}
    return by.post("/review/recover", data)


class Desk:
    """One body's staff: intake, an assignee with their supervisor, two colleagues holding nothing."""

    def __init__(self, app: Flask) -> None:
        self.intake = member(app, "xin.intake", "intake")
        self.supervisor = member(app, "qian.sup", "supervisor")
        self.assignee = member(app, "li.rev", "reviewer")
        self.colleague = member(app, "zhao.rev", "reviewer")
        self.bystander = member(app, "sun.rev", "reviewer")


def file_and_assign(app: Flask, cadre, desk: Desk, subject: str) -> str:
    known = set(holders_of_all(app))
    cadre.file_concern(subject=subject)
    case_id = (set(holders_of_all(app)) - known).pop()
    response = desk.intake.act(case_id, "accept", assignee=str(desk.assignee.user_id))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return case_id


def holders_of_all(app: Flask) -> list[str]:
    from portal.models import Case

    with app.app_context():
        return list(db.session.scalars(db.select(Case.id)))


@pytest.fixture
def desk(app: Flask) -> Desk:
    return Desk(app)


def test_a_grant_gives_exactly_that_colleague_the_key_and_revoking_takes_it_away(app, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Granted subject ZmOne")
    assert holders(app, case_id) == {
        desk.intake.user_id: "intake",
        desk.assignee.user_id: "assigned",
        desk.supervisor.user_id: "supervisor",
    }
    assert not opens(desk.colleague, case_id, "ZmOne")

    response = grant(desk.supervisor, case_id, desk.colleague)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/review/cases/{case_id}/holders")
    assert holders(app, case_id)[desk.colleague.user_id] == "grant"
    assert opens(desk.colleague, case_id, "ZmOne")
    assert not opens(desk.bystander, case_id, "ZmOne")  # exactly that person
    assert desk.bystander.get(f"/review/cases/{case_id}/holders").status_code == 403
    assert audit_rows(app, "case_granted") == [
        (desk.supervisor.user_id, case_id, desk.colleague.user_id, "reason_in_timeline")
    ]

    # The holders page names everyone and why, the grant's reason with it (staff holding the case).
    page = desk.assignee.get(f"/review/cases/{case_id}/holders").get_data(as_text=True)
    for words in ("xin.intake", "li.rev", "qian.sup", "zhao.rev", "Added to the case", "ZmGrantReason"):
        assert words in page
    assert "sun.rev" not in page
    assert "Remove from this case" not in page  # a reviewer changes nothing here

    response = revoke(desk.supervisor, case_id, desk.colleague)
    assert response.status_code == 303
    assert desk.colleague.user_id not in holders(app, case_id)
    assert desk.colleague.get(f"/review/cases/{case_id}").status_code == 403
    assert audit_rows(app, "case_grant_revoked") == [(desk.supervisor.user_id, case_id, desk.colleague.user_id, None)]


def test_the_grant_reason_stays_with_staff_never_the_submitter(app, cadre, desk):
    receipt = cadre.receipt_of(cadre.file_concern(subject="Seen by the cadre ZmTwo"))
    case_id = only_case_id(app)
    assert desk.intake.act(case_id, "accept", assignee=str(desk.assignee.user_id)).status_code == 303
    assert grant(desk.supervisor, case_id, desk.colleague).status_code == 303
    cadre.follow_up(receipt)
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "ZmGrantReason" not in status and "zhao.rev" not in status
    assert "ZmGrantReason" in desk.supervisor.get(f"/review/cases/{case_id}").get_data(as_text=True)


def test_only_a_supervisor_or_leader_who_holds_the_case_can_grant_or_revoke(app, staff, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Not theirs to share ZmThree")
    before = holders(app, case_id)
    admin = staff("root.admin", "admin")
    for outsider in (desk.assignee, desk.intake, admin):  # holders of the wrong role, and the admin
        assert grant(outsider, case_id, desk.colleague).status_code == 403
    latecomer = member(app, "zhou.sup", "supervisor")  # a supervisor who does not hold this case
    response = grant(latecomer, case_id, desk.colleague)
    assert response.status_code == 403 and "ZmThree" not in response.get_data(as_text=True)
    assert holders(app, case_id) == before
    assert audit_rows(app, "case_granted") == []

    leader = member(app, "wu.leader", "leader")
    assert grant(desk.supervisor, case_id, leader).status_code == 303
    assert grant(leader, case_id, desk.colleague).status_code == 303  # a leader holding it may grant
    for outsider in (desk.assignee, latecomer):
        assert revoke(outsider, case_id, desk.colleague).status_code == 403
    assert holders(app, case_id)[desk.colleague.user_id] == "grant"


def test_only_a_confirmed_colleague_of_the_case_body_who_does_not_hold_it_can_be_granted(app, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Stays in its body ZmFour")
    elsewhere = member(app, "wai.rev", "reviewer", body_id=other_body(app))
    response = grant(desk.supervisor, case_id, elsewhere)
    assert response.status_code == 400 and "belongs to another body" in response.get_data(as_text=True)
    assert "wai.rev" not in desk.supervisor.get(f"/review/cases/{case_id}/holders").get_data(as_text=True)

    unconfirmed = BodyStaff(app, "new.rev", "reviewer", default_body(app), confirmed=False)
    response = grant(desk.supervisor, case_id, unconfirmed.user_id)
    assert response.status_code == 400 and "not yet confirmed" in response.get_data(as_text=True)

    response = grant(desk.supervisor, case_id, desk.assignee)
    assert response.status_code == 409 and "already holds" in response.get_data(as_text=True)
    assert holders(app, case_id)[desk.assignee.user_id] == "assigned"

    response = grant(desk.supervisor, case_id, desk.colleague, reason="   ")
    assert response.status_code == 400
    assert set(holders(app, case_id)) == {desk.intake.user_id, desk.assignee.user_id, desk.supervisor.user_id}
    assert audit_rows(app, "case_granted") == []


def test_revoking_takes_only_a_grant_never_the_assignee(app, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Reassign instead ZmFive")
    response = revoke(desk.supervisor, case_id, desk.assignee)
    assert response.status_code == 409 and "reassign" in response.get_data(as_text=True)
    assert holders(app, case_id)[desk.assignee.user_id] == "assigned"
    assert revoke(desk.supervisor, case_id, desk.supervisor).status_code == 409  # the assignment's supervisor
    assert revoke(desk.supervisor, case_id, desk.intake).status_code == 409
    assert revoke(desk.supervisor, case_id, desk.bystander).status_code == 409  # holds nothing
    assert set(holders(app, case_id)) == {desk.intake.user_id, desk.assignee.user_id, desk.supervisor.user_id}
    assert audit_rows(app, "case_grant_revoked") == []


def test_recovery_opens_exactly_one_orphaned_case_with_the_right_passphrase(app, cadre, desk):
    first = file_and_assign(app, cadre, desk, "Orphaned first ZmSix")
    second = file_and_assign(app, cadre, desk, "Orphaned second ZmSeven")
    chief = member(app, "zhou.sup", "supervisor")  # came later: holds neither case

    response = recover(chief, first, desk.colleague)
    assert response.status_code == 409 and "Someone can still open this case" in response.get_data(as_text=True)
    assert audit_rows(app, "escrow_passphrase_failed") == []  # refused before the passphrase is tried

    disable(app, desk.intake, desk.assignee, desk.supervisor)
    response = recover(chief, first, desk.colleague, passphrase="not the passphrase")
    assert response.status_code == 400 and "The escrow passphrase is wrong." in response.get_data(as_text=True)
    assert audit_rows(app, "escrow_passphrase_failed") == [(chief.user_id, first, desk.colleague.user_id, None)]
    assert desk.colleague.user_id not in holders(app, first)

    response = recover(chief, first, desk.colleague)
    assert response.status_code == 303
    assert holders(app, first)[desk.colleague.user_id] == "recovery"
    assert opens(desk.colleague, first, "ZmSix")
    assert desk.colleague.get(f"/review/cases/{second}").status_code == 403  # one case per recovery
    assert desk.colleague.user_id not in holders(app, second)
    assert not opens(desk.bystander, first, "ZmSix")
    assert audit_rows(app, "case_recovered") == [(chief.user_id, first, desk.colleague.user_id, "reason_in_timeline")]
    page = desk.colleague.get(f"/review/cases/{first}/holders").get_data(as_text=True)
    assert "Recovered from the escrow key" in page and "ZmRecoveryReason" in page

    # Now someone holds it again: the escrow is not needed for that case any more.
    assert recover(chief, first, desk.bystander).status_code == 409


def test_recovery_is_for_supervisors_of_the_case_body_only(app, staff, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Only its body ZmEight")
    disable(app, desk.intake, desk.assignee, desk.supervisor)
    for outsider in (desk.colleague, staff("root.admin", "admin")):
        assert recover(outsider, case_id, desk.colleague).status_code == 403
    elsewhere = member(app, "wai.sup", "supervisor", body_id=other_body(app))
    response = recover(elsewhere, case_id, desk.colleague, passphrase=OTHER_PASSPHRASE)
    assert response.status_code == 404 and "Your body has no case with this number." in response.get_data(as_text=True)
    assert recover(member(app, "zhou.sup", "supervisor"), "0" * 32, desk.colleague).status_code == 404
    assert audit_rows(app, "case_recovered") == [] and audit_rows(app, "escrow_passphrase_failed") == []
    assert desk.colleague.user_id not in holders(app, case_id)


def test_wrong_escrow_passphrases_are_throttled_per_account(app, cadre, desk):
    case_id = file_and_assign(app, cadre, desk, "Throttled ZmNine")
    disable(app, desk.intake, desk.assignee, desk.supervisor)
    chief = member(app, "zhou.sup", "supervisor")
    statuses = [recover(chief, case_id, desk.colleague, passphrase=f"guess {i}").status_code for i in range(6)]
    assert statuses == [400] * 5 + [429]
    assert recover(chief, case_id, desk.colleague).status_code == 429  # even the right one, for now
    assert len(audit_rows(app, "escrow_passphrase_failed")) == 5
    assert desk.colleague.user_id not in holders(app, case_id)


def test_no_passphrase_or_reason_in_any_log_line_or_audit_entry(app, cadre, desk, caplog):
    caplog.set_level(logging.DEBUG)
    granted = file_and_assign(app, cadre, desk, "Logged ZmTen")
    orphan = file_and_assign(app, cadre, desk, "Logged orphan ZmEleven")
    assert grant(desk.supervisor, granted, desk.colleague).status_code == 303
    disable(app, desk.intake, desk.assignee, desk.supervisor)
    chief = member(app, "zhou.sup", "supervisor")
    assert recover(chief, orphan, desk.colleague, passphrase="a wrong one ZmWrongPass").status_code == 400
    response = recover(chief, orphan, desk.colleague)
    assert response.status_code == 303
    secrets = (ESCROW_PASSPHRASE, "ZmWrongPass", "ZmGrantReason", "ZmRecoveryReason", "协办理由", "恢复理由")
    recorded = caplog.text + all_audit_details(app) + response.headers["Location"]
    for secret in secrets:
        assert secret not in recorded
    with app.app_context():  # the reasons rest under the case key: no plain copy in the timeline rows
        from portal.models import CaseEvent

        stored = db.session.execute(db.select(CaseEvent.reason, CaseEvent.detail)).all()
    for reason, detail in stored:
        assert b"ZmGrantReason" not in (reason or b"") and b"ZmRecoveryReason" not in (reason or b"")
        assert "Zm" not in (detail or "")


def test_the_confirmation_page_lists_only_the_own_body(app, desk):
    elsewhere_body = other_body(app)
    BodyStaff(app, "new.here", "reviewer", default_body(app), confirmed=False)
    BodyStaff(app, "new.there", "reviewer", elsewhere_body, confirmed=False)
    page = desk.supervisor.get("/review/grants").get_data(as_text=True)
    assert "new.here" in page and "new.there" not in page
    assert "/review/recover" in page


def test_a_supervisor_confirms_only_accounts_of_their_own_body(app, desk):
    there = BodyStaff(app, "new.there", "reviewer", other_body(app), confirmed=False)
    assert there.login().status_code == 303  # signed in and enrolled: confirmable, but not by this body
    tokens = desk.supervisor.tokens("/review/grants")
    desk.supervisor.client.post(f"/review/grants/{there.user_id}/confirm", data=tokens)
    with app.app_context():
        assert not db.session.get(User, there.user_id).keys_confirmed
    assert [row for row in audit_rows(app, "account_confirmed") if row[0] == desk.supervisor.user_id] == []


def test_the_pages_speak_the_glossary_and_have_unique_ids(app, cadre, desk):
    from tests.html_checks import assert_unique_ids

    case_id = file_and_assign(app, cadre, desk, "Words ZmTwelve")
    assert grant(desk.supervisor, case_id, desk.colleague).status_code == 303
    desk.supervisor.client.set_cookie("zm_lang", "zh_CN")
    holders_page = desk.supervisor.get(f"/review/cases/{case_id}/holders")
    recover_page = desk.supervisor.get("/review/recover")
    refused = recover(desk.supervisor, case_id, desk.colleague)  # holders remain: the form again, in error
    for response, words in (
        (holders_page, ("知悉人员", "增加协办人员", "移除协办人员", "承办人", "本机关信访干部")),
        (recover_page, ("从托管密钥恢复案件", "事项编号", "托管口令")),
        (refused, ("仍有知悉人员可以查阅此事项",)),
    ):
        html = response.get_data(as_text=True)
        for word in words:
            assert word in html
        assert_unique_ids(response)


def test_the_service_itself_refuses_a_holder_who_does_not_supervise(app, cadre, desk):
    """Not only the route's role guard: grant() refuses a reviewer holding the case."""
    from portal.domain import aad
    from portal.domain.crypto import decrypt, open_credential
    from portal.services import grants

    case_id = file_and_assign(app, cadre, desk, "Guarded twice ZmThirteen")
    with app.app_context():
        reviewer = db.session.get(User, desk.assignee.user_id)
        wrap_key = open_credential(STAFF_PASSWORD.encode(), reviewer.credential)
        private = decrypt(wrap_key, reviewer.wrapped_private_key, aad.user_private_key(reviewer.id))
        with pytest.raises(grants.NotSupervising):
            grants.grant(reviewer, private, case_id, desk.colleague.user_id, GRANT_REASON, None)
        with pytest.raises(grants.NotSupervising):
            grants.revoke(reviewer, case_id, desk.colleague.user_id, None)
    assert desk.colleague.user_id not in holders(app, case_id)
