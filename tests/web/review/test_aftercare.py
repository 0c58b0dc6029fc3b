"""Issue 10 through HTTP: the filings of the plan (归入廉政档案, 抄送组织人事部门) shown to the cadre
and awaited by carrying out; the 回访 scheduled by carrying out, overdue in the queue, recorded;
the applicant's feedback through the receipt."""

from __future__ import annotations

import datetime as dt

from portal.domain.working_days import add_months
from portal.extensions import db
from portal.models import Case
from portal.services import case_state
from tests.web.aftercare_helpers import INTEGRITY_NUMBER, PERSONNEL_NUMBER, record_filings
from tests.web.review.test_clarification_plan import draft, found_false, state, status, submitter_post
from tests.web.test_confidentiality import every_stored_value

SUMMARY = "ZM-VISIT-SUMMARY-谈心谈话：情绪稳定，已正常履职。"
FEEDBACK = "ZM-FEEDBACK-澄清后单位同事态度已转变。"


def _approved(app, cadre, staff):
    """A clarification whose plan (notice and meeting) is approved and whose modes are recorded."""
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303
    page = f"/review/cases/{case_id}"
    reviewer.post(f"{page}/plan/done", {"mode": "written", "record": "Letter sent."}, form_page=page)
    reviewer.post(f"{page}/plan/done", {"mode": "meeting", "record": "Township meeting."}, form_page=page)
    return receipt, case_id, reviewer


def test_carrying_out_waits_for_both_filings_which_the_cadre_reads(app, cadre, staff):
    receipt, case_id, reviewer = _approved(app, cadre, staff)
    page = f"/review/cases/{case_id}"
    assert "登记： 归入廉政档案" in reviewer.get(page).get_data(as_text=True)
    refused = reviewer.act(case_id, "carry_out")
    assert refused.status_code == 409 and "归入廉政档案和抄送组织人事部门" in refused.get_data(as_text=True)

    with app.app_context():
        tomorrow = (case_state.today() + dt.timedelta(days=1)).isoformat()
    future = {"filing": "integrity_file", "filed_on": tomorrow, "number": "No. 9"}
    response = reviewer.post(f"{page}/plan/filing", future, form_page=page)
    assert response.status_code == 400 and "日期不能晚于今天" in response.get_data(as_text=True)
    unnumbered = {"filing": "integrity_file", "filed_on": "2026-11-30", "number": ""}
    assert reviewer.post(f"{page}/plan/filing", unnumbered, form_page=page).status_code == 400
    forged = {"filing": "a drawer", "filed_on": "2026-11-30", "number": "No. 9"}
    assert reviewer.post(f"{page}/plan/filing", forged, form_page=page).status_code == 400
    assert INTEGRITY_NUMBER not in status(cadre, receipt)  # nothing of the refused ones was kept

    record_filings(reviewer, case_id, on=dt.date(2026, 11, 30))
    assert state(app, case_id) == "plan_approved"
    html = status(cadre, receipt)
    assert "归入廉政档案" in html and "抄送组织人事部门" in html and "澄清材料已归档" in html
    assert f"2026年11月30日，文号：{INTEGRITY_NUMBER}" in html and PERSONNEL_NUMBER in html
    assert reviewer.act(case_id, "carry_out").status_code == 303
    assert state(app, case_id) == "carried_out"
    stored = every_stored_value(app)
    assert not any(n.encode() in blob for blob in stored for n in (INTEGRITY_NUMBER, PERSONNEL_NUMBER))


def test_the_visit_goes_overdue_in_the_queue_is_recorded_and_the_applicant_gives_feedback(
    app, cadre, staff, monkeypatch
):
    receipt, case_id, reviewer = _approved(app, cadre, staff)
    record_filings(reviewer, case_id)
    with app.app_context():
        carried_on = case_state.today()
    assert reviewer.act(case_id, "carry_out").status_code == 303
    with app.app_context():
        due = db.session.get(Case, case_id).visit_due
    assert due == add_months(carried_on, 3)
    html = status(cadre, receipt)
    assert "将于" in html and "前对您进行回访" in html and "您对回访的反馈" in html
    assert case_id[:8] not in reviewer.get("/review?queue=overdue").get_data(as_text=True)

    late = due + dt.timedelta(days=1)
    monkeypatch.setattr(case_state, "today", lambda: late)
    overdue = reviewer.get("/review?queue=overdue").get_data(as_text=True)
    assert case_id[:8] in overdue and "回访" in overdue and "overdue-row" in overdue

    page = f"/review/cases/{case_id}"
    visit = {"visited_on": late.isoformat(), "how": "talk", "summary": SUMMARY}
    assert reviewer.post(f"{page}/visit", {**visit, "how": "by pigeon"}, form_page=page).status_code == 400
    assert reviewer.post(f"{page}/visit", {**visit, "summary": ""}, form_page=page).status_code == 400
    assert reviewer.post(f"{page}/visit", visit, form_page=page).status_code == 303
    assert SUMMARY in reviewer.get(page).get_data(as_text=True)
    assert case_id[:8] not in reviewer.get("/review?queue=overdue").get_data(as_text=True)
    assert reviewer.post(f"{page}/visit", visit, form_page=page).status_code == 409  # recorded once

    html = status(cadre, receipt)
    assert "已回访" in html and "谈心谈话" in html and SUMMARY not in html  # the summary stays with staff
    assert submitter_post(cadre, "/followup/feedback", {"feedback": ""}).status_code == 400
    assert submitter_post(cadre, "/followup/feedback", {"feedback": FEEDBACK}).status_code == 303
    html = status(cadre, receipt)
    assert FEEDBACK in html and 'action="/followup/feedback"' not in html  # once
    assert FEEDBACK in reviewer.get(page).get_data(as_text=True)
    stored = every_stored_value(app)
    assert not any(s.encode() in blob for blob in stored for s in (SUMMARY, FEEDBACK))
