"""The audit chain: every staff action appends an entry; editing one breaks `audit verify` there."""

from __future__ import annotations

from portal.extensions import db
from portal.models import AuditEntry
from tests.conftest import only_case_id


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_actions_are_audited_without_content(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    cadre.file_concern(subject="ZM-AUDIT-CANARY")
    case_id = only_case_id(app)
    reviewer.get(f"/review/cases/{case_id}")
    intake.accept(case_id, reviewer)
    page = f"/review/cases/{case_id}"
    reviewer.post(f"{page}/notes", {"body": "ZM-AUDIT-NOTE"}, form_page=page)
    logged = actions(app)
    for expected in ("account_created", "sign_in", "case_view", "transition:accept", "note"):
        assert expected in logged
    with app.app_context():
        for entry in db.session.scalars(db.select(AuditEntry)):
            assert "ZM-AUDIT" not in f"{entry.action}{entry.detail}"
            assert (entry.at.second, entry.at.microsecond) == (0, 0)


def test_verify_passes_on_an_intact_chain(app, runner, staff):
    staff("zhao.rev", "reviewer")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_verify_names_the_first_edited_entry(app, runner, staff):
    staff("zhao.rev", "reviewer")
    staff("qian.sup", "supervisor")
    with app.app_context():
        ids = list(db.session.scalars(db.select(AuditEntry.id).order_by(AuditEntry.id)))
        victim = db.session.get(AuditEntry, ids[2])
        victim.action = "sign_out"
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry #{ids[2]}" in result.output


def test_verify_notices_a_removed_last_entry(app, runner, staff):
    staff("zhao.rev", "reviewer")
    with app.app_context():
        last = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        db.session.delete(last)
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "end of the log" in result.output


def test_verify_notices_a_removed_middle_entry(app, runner, staff):
    staff("zhao.rev", "reviewer")
    with app.app_context():
        ids = list(db.session.scalars(db.select(AuditEntry.id).order_by(AuditEntry.id)))
        db.session.delete(db.session.get(AuditEntry, ids[1]))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"entry #{ids[2]}" in result.output
