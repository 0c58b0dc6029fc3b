"""Every page the suite can reach has unique element ids (labels and aria references need them)."""

from __future__ import annotations

from tests.conftest import only_case_id
from tests.html_checks import assert_unique_ids, duplicate_ids
from tests.web.review.test_clarification_plan import draft, submitter_post
from tests.web.review.test_correction_consent import propose


def test_the_checker_finds_duplicates():
    assert duplicate_ids('<label for="body"></label><textarea id="body"></textarea><input id="body">') == ["body"]
    assert duplicate_ids('<p id="a"></p><br id="b"/>') == []


def seen(member, path: str) -> None:
    response = member.get(path)
    assert response.status_code == 200, path
    assert_unique_ids(response, path)


def test_no_page_has_duplicate_ids(intake, app, cadre, staff, client):
    for path in ("/", "/submit/concern", "/submit/clarification", "/followup", "/notices"):
        seen(client, path)
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    deputy = staff("sun.sup", "supervisor")
    admin = staff("root.admin", "admin")
    for path in ("/admin", "/admin/audit", "/review/account/password"):
        seen(admin, path)

    # A concern through each state, seen by the reviewer and the cadre.
    receipt = cadre.receipt_of(cadre.file_concern())
    concern = only_case_id(app)
    page = f"/review/cases/{concern}"
    seen(intake, page)
    assert intake.accept(concern, reviewer).status_code == 303
    for action, fields in (("start", {}), ("ask", {"reason": "Which teams?"})):
        seen(reviewer, page)
        assert reviewer.act(concern, action, **fields).status_code == 303
    cadre.follow_up(receipt)
    seen(cadre.client, "/followup/status")
    cadre.reply("County, township and bureau.")
    reviewer.act(concern, "answer", reason="Merged.")
    seen(reviewer, page)
    seen(cadre.client, "/followup/status")  # with the objection form
    for member in (reviewer, chief):
        seen(member, "/review")

    # A clarification through each state up to a published, corrected and withdrawn notice.
    receipt = cadre.receipt_of(cadre.file_clarification())
    with app.app_context():
        from portal.extensions import db
        from portal.models import Case, Notice

        case_id = db.session.scalar(db.select(Case.id).where(Case.kind == "clarification"))
    page = f"/review/cases/{case_id}"
    seen(intake, page)
    assert intake.accept(case_id, reviewer).status_code == 303
    for member, action, fields in (
        (reviewer, "verify", {}),
        (reviewer, "propose_finding", {"finding": "found_false", "reason": "Records."}),
        (chief, "approve_finding", {"reason": "Found false."}),
    ):
        seen(reviewer, page)
        seen(chief, page)
        assert member.act(case_id, action, **fields).status_code == 303
    seen(reviewer, page)
    seen(reviewer, f"{page}/plan")
    assert draft(reviewer, case_id).status_code == 303
    cadre.follow_up(receipt)
    seen(cadre.client, "/followup/status")  # consent and decline forms
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    seen(chief, page)
    assert chief.act(case_id, "approve_plan").status_code == 303
    seen(reviewer, page)  # record forms of the approved plan
    with app.app_context():
        notice_id = db.session.scalar(db.select(Notice.id))
    seen(client, f"/notices/{notice_id}")
    edit = f"/review/notices/{notice_id}/correct"
    seen(deputy, edit)
    seen(deputy, "/review/grants")
    assert propose(deputy, notice_id, post="党委书记").status_code == 303
    seen(deputy, edit)
    seen(cadre.client, "/followup/status")  # correction consent and decline forms
    assert (
        deputy.post(f"/review/notices/{notice_id}/withdraw", {"reason": "Withdrawn."}, form_page=edit).status_code
        == 303
    )
    seen(deputy, edit)
    seen(client, f"/notices/{notice_id}")
    seen(client, "/notices")
    seen(cadre.client, "/followup/status")
