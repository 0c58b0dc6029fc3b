"""Staff writes: a replayed form changes nothing; only the assignee or a supervisor writes on a case."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AuditEntry, Message, Note
from tests.conftest import only_case_id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def replay(member, path: str, page: str, data: dict):
    """Post the same filled-in form twice, as a resend or a double click would."""
    tokens = member.tokens(page)
    assert "form_token" in tokens
    first = member.client.post(path, data={**tokens, **data}, content_type="multipart/form-data")
    second = member.client.post(path, data={**tokens, **data}, content_type="multipart/form-data")
    return first, second


@pytest.mark.parametrize(("route", "model"), [("messages", Message), ("notes", Note)])
def test_a_replayed_staff_message_or_note_is_stored_once(app, cadre, staff, route, model):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    cadre.file_concern()
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    first, second = replay(reviewer, f"{page}/{route}", page, {"body": "Which three teams come every week?"})
    assert first.status_code == 303
    assert second.status_code == 400 and "表单已提交" in second.get_data(as_text=True)
    assert count(app, model) == 1


def test_a_replayed_workflow_action_changes_nothing(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "start")
    page = f"/review/cases/{case_id}"
    audit_before = count(app, AuditEntry)
    first, second = replay(reviewer, f"{page}/act", page, {"action": "ask", "reason": "Which teams?"})
    assert first.status_code == 303 and second.status_code == 400
    reviewer.act(case_id, "answer", reason="Merged.")  # the page's fresh tokens still work
    page_html = reviewer.get(page).get_data(as_text=True)
    assert page_html.count("Which teams?") == 1
    assert count(app, AuditEntry) > audit_before


def test_a_post_without_a_one_time_token_is_refused(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    cadre.file_concern()
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    tokens = reviewer.tokens(page)
    response = reviewer.client.post(f"{page}/notes", data={"csrf_token": tokens["csrf_token"], "body": "n"})
    assert response.status_code == 400 and count(app, Note) == 0


def test_only_the_assignee_or_a_supervisor_writes_on_an_assigned_case(intake, app, cadre, staff):
    owner = staff("wang.rev", "reviewer")
    other = staff("li.rev", "reviewer")  # holds the key too: created before the case was filed
    chief = staff("qian.sup", "supervisor")
    cadre.file_concern()
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    assert intake.accept(case_id, owner).status_code == 303  # now assigned to wang.rev

    html = other.get(page).get_data(as_text=True)
    assert "/messages" not in html and "/notes" not in html
    for route in ("messages", "notes"):
        refused = other.post(f"{page}/{route}", {"body": "Not my case."}, form_page=page)
        assert refused.status_code == 403
    assert count(app, Message) == 0 and count(app, Note) == 0

    for member in (owner, chief):
        assert member.post(f"{page}/messages", {"body": "From the case."}, form_page=page).status_code == 303
        assert member.post(f"{page}/notes", {"body": "Noted."}, form_page=page).status_code == 303
    assert count(app, Message) == 2 and count(app, Note) == 2
