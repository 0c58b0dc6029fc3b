"""Cases worked end to end through HTTP by reviewers, supervisors and the submitter."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import Case
from tests.conftest import confirming, only_case_id
from tests.web.referral_helpers import refer, today


def status_html(cadre, receipt: str) -> str:
    cadre.follow_up(receipt)
    return cadre.client.get("/followup/status").get_data(as_text=True)


def state(app, case_id: str) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).state


def test_concern_from_submission_to_close_with_a_question_and_an_objection(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert case_id[:8] in intake.get("/review?queue=new").get_data(as_text=True)
    assert case_id[:8] not in reviewer.get("/review?queue=all").get_data(as_text=True)  # sealed to intake only
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    assert reviewer.act(case_id, "ask", reason="Which three teams come every week?").status_code == 303
    assert state(app, case_id) == "awaiting_info"

    page = status_html(cadre, receipt)
    assert "Which three teams come every week?" in page
    assert cadre.reply("County office, township and the education bureau.").status_code == 303
    assert state(app, case_id) == "in_progress"  # the answer restarted the clock

    answer = "The county will merge the three inspections into one from next month."
    assert reviewer.act(case_id, "answer", reason=answer).status_code == 303
    page = status_html(cadre, receipt)
    assert answer in page and "/followup/object" in page
    tokens = cadre.form("/followup/status")
    objection = {
        "csrf_token": tokens["csrf_token"],
        "form_token": _token_of(page, "/followup/object"),
        "reason": "Nothing changed in practice.",
    }
    assert confirming(cadre.client, cadre.client.post("/followup/object", data=objection)).status_code == 303
    assert state(app, case_id) == "in_progress"
    assert "/followup/object" not in cadre.client.get("/followup/status").get_data(as_text=True)

    assert reviewer.act(case_id, "answer", reason="We checked again: merged from 1 March.").status_code == 303
    assert reviewer.act(case_id, "close").status_code == 303  # objection used: may close at once
    assert state(app, case_id) == "closed"
    page = status_html(cadre, receipt)
    assert "wang.rev" not in page


def _token_of(page: str, action: str) -> str:
    form = page.split(f'action="{action}"')[1].split("</form>")[0]
    return form.split('name="form_token" type="hidden" value="')[1].split('"')[0]


@pytest.mark.parametrize("finding", ["found_false", "substantiated", "unverifiable"])
def test_clarification_through_each_finding_with_four_eyes(intake, app, cadre, staff, finding):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    deputy = staff("sun.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    assert reviewer.get(f"/review/cases/{case_id}").status_code == 403  # not assigned yet: no key
    assert "王某某" in intake.get(f"/review/cases/{case_id}").get_data(as_text=True)
    intake.accept(case_id, reviewer)
    assert "王某某" in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    reviewer.act(case_id, "verify")
    assert state(app, case_id) == "verifying"
    # A supervisor proposes; the same supervisor may not approve (four eyes).
    assert chief.act(case_id, "propose_finding", finding=finding, reason="Witnesses and records.").status_code == 303
    refused = chief.act(case_id, "approve_finding", reason="Found false.")
    assert refused.status_code == 409 and state(app, case_id) == "finding_proposed"
    assert case_id[:8] not in chief.get("/review?queue=approval").get_data(as_text=True)
    assert case_id[:8] in deputy.get("/review?queue=approval").get_data(as_text=True)
    assert reviewer.act(case_id, "approve_finding", reason="Found false.").status_code == 403  # not a supervisor
    assert deputy.act(case_id, "approve_finding", reason="Found false.").status_code == 303
    assert state(app, case_id) == finding
    page = status_html(cadre, receipt)
    assert "Witnesses and records." not in page  # grounds are internal


def test_returned_finding_goes_back_to_verification_with_a_reason(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    cadre.file_clarification()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    reviewer.act(case_id, "propose_finding", finding="found_false", reason="grounds")
    assert chief.act(case_id, "return_finding").status_code == 400  # reason required
    assert chief.act(case_id, "return_finding", reason="Ask the village committee too.").status_code == 303
    assert state(app, case_id) == "verifying"
    assert "Ask the village committee too." in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)


def test_refused_clarification_tells_the_submitter_why(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    assert intake.act(case_id, "refuse", reason="The investigation is still open.").status_code == 400
    assert reviewer.act(case_id, "refuse", reason="x", refusal_reason="no_conclusion").status_code == 403
    response = intake.act(case_id, "refuse", reason="The investigation is still open.", refusal_reason="no_conclusion")
    assert response.status_code == 303
    assert state(app, case_id) == "not_accepted"
    assert "The investigation is still open." in status_html(cadre, receipt)


def test_malicious_accusation_is_flagged_and_referred_out_of_the_submitters_sight(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    referral = "County public security bureau, ref. 2026-117"
    assert refer(reviewer, case_id, body_name=referral, referred_on=today(app).isoformat()).status_code == 403
    assert refer(chief, case_id, body_name=referral, referred_on=today(app).isoformat()).status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.flag, case.referred) == ("suspected_malicious", True)
    page = status_html(cadre, receipt)
    assert referral not in page and "public security" not in page


def test_a_reviewer_cannot_act_on_someone_elses_case(intake, app, cadre, staff):
    first = staff("zhao.rev", "reviewer")
    second = staff("zhou.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    intake.accept(case_id, first)
    assert second.get(page).status_code == 403  # the case was sealed to its assignee, not to every reviewer
    for action in ("start", "take"):
        response = second.client.post(f"{page}/act", data={**second.tokens("/review"), "action": action})
        assert response.status_code == 403
    assert state(app, case_id) == "accepted"


def test_intake_assigns_and_a_supervisor_takes_the_case_over(intake, app, cadre, staff):
    chief = staff("qian.sup", "supervisor")
    reviewer = staff("zhao.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    assert reviewer.act(case_id, "assign", assignee=str(reviewer.user_id)).status_code == 403  # holds no key
    assert chief.act(case_id, "assign", assignee=str(reviewer.user_id)).status_code == 403  # nor does the chief
    assert intake.accept(case_id, reviewer).status_code == 303
    assert case_id[:8] in reviewer.get("/review?queue=mine").get_data(as_text=True)
    # The reviewer's supervisor received the key with the assignment, and takes the case over.
    assert chief.act(case_id, "take").status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).assignee_id == chief.user_id
    assert reviewer.get(f"/review/cases/{case_id}").status_code == 403  # the former assignee lost the key
    assert case_id[:8] not in reviewer.get("/review?queue=all").get_data(as_text=True)


def test_notes_stay_internal(intake, app, cadre, staff):
    reviewer = intake
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    assert (
        reviewer.post(f"{page}/notes", {"body": "Caller sounded like the deputy head."}, form_page=page).status_code
        == 303
    )
    assert "Caller sounded like the deputy head." in reviewer.get(page).get_data(as_text=True)
    assert "Caller sounded like the deputy head." not in status_html(cadre, receipt)


def test_overdue_cases_stand_out(intake, app, cadre, staff):
    reviewer = intake
    cadre.file_concern()
    case_id = only_case_id(app)
    assert case_id[:8] not in reviewer.get("/review?queue=overdue").get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.accept_due = case.due_on = dt.date(2020, 1, 2)
        db.session.commit()
    html = reviewer.get("/review?queue=overdue").get_data(as_text=True)
    assert case_id[:8] in html and 'class="overdue"' in html


def test_queue_pages_with_a_cursor_and_filters(intake, app, cadre, staff, monkeypatch):
    reviewer = intake
    app.config["QUEUE_PAGE_SIZE"] = 2
    for i in range(3):
        cadre.file_concern(subject=f"s{i}")
    cadre.file_clarification()
    assert "(4)" in reviewer.get("/review?queue=all").get_data(as_text=True)
    first = reviewer.get("/review?queue=all&kind=concern").get_data(as_text=True)
    assert "(3)" in first
    more = first.split('href="/review?')[-1]
    assert "after=" in first
    cursor = first.split("after=")[1].split("&")[0].split('"')[0]
    second = reviewer.get(f"/review?queue=all&kind=concern&after={cursor}").get_data(as_text=True)
    with app.app_context():
        ids = {c[:8] for c in db.session.scalars(db.select(Case.id).where(Case.kind == "concern"))}
    shown = {i for i in ids if i in first} | {i for i in ids if i in second}
    assert shown == ids and more


def test_queue_counts_stop_at_the_cap(intake, app, cadre, staff, monkeypatch):
    from portal.services import queues

    reviewer = intake
    for i in range(3):
        cadre.file_concern(subject=f"s{i}")
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    html = reviewer.get("/review?queue=all").get_data(as_text=True)
    assert "(2+)" in html
