"""A notice date after today is refused, in the plan and in a correction: nothing is public early."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import Case, Notice
from portal.services import case_state
from tests.web.review.test_clarification_plan import draft, found_false
from tests.web.review.test_correction_consent import propose, public_page, published

REFUSED_ZH = "公告日期不得晚于今天：公告一经发布即公开。"
REFUSED_EN = "The date of the notice cannot be later than today"


def tomorrow(app) -> str:
    with app.app_context():
        return (case_state.today() + dt.timedelta(days=1)).isoformat()


def test_a_plan_with_a_future_notice_date_is_refused_on_the_date_field(app, cadre, staff):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    response = draft(reviewer, case_id, issued_on=tomorrow(app))
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and REFUSED_ZH in page and 'href="#issued_on"' in page
    with app.app_context():
        assert db.session.get(Case, case_id).state == "found_false"  # nothing went to the cadre
    reviewer.client.get("/lang/en")
    assert REFUSED_EN in draft(reviewer, case_id, issued_on=tomorrow(app)).get_data(as_text=True)
    with app.app_context():
        today = case_state.today().isoformat()
    assert draft(reviewer, case_id, issued_on=today).status_code == 303  # today is fine


def test_a_correction_to_a_future_date_is_refused_and_the_notice_keeps_its_date(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    response = propose(deputy, notice_id, issued_on=tomorrow(app), reason="Date moved.")
    assert response.status_code == 409 and REFUSED_ZH in response.get_data(as_text=True)
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.issued_on == dt.date(2026, 11, 30) and not db.session.get(Case, case_id).correction_pending
    assert "Date moved." not in public_page(client, notice_id)


def test_approval_never_publishes_a_notice_before_its_date(app, cadre, staff, monkeypatch):
    """A draft dated ahead (written on a clock that ran fast) waits; approving it early is refused."""
    from tests.web.review.test_clarification_plan import status, submitter_post

    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    with app.app_context():
        ahead = case_state.today() + dt.timedelta(days=1)
    monkeypatch.setattr(case_state, "today", lambda: ahead)
    assert draft(reviewer, case_id, issued_on=ahead.isoformat()).status_code == 303
    monkeypatch.undo()
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    response = deputy.act(case_id, "approve_plan")
    assert response.status_code == 409 and REFUSED_ZH in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).state == "plan_consented"
        assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0
