"""The 诬告陷害 ledger through HTTP: a false accusation referred to 公安 with 一信双查, its 立案, the
feedback overdue in the queue, its 处理结果; a 错告 with its 提醒教育; and the refusals."""

from __future__ import annotations

import datetime as dt
import re

from portal.extensions import db
from portal.models import AuditEntry, Referral
from portal.services import referrals as referral_service
from tests.html_checks import assert_unique_ids
from tests.web.referral_helpers import educate, page_of, record_outcome, refer, today
from tests.web.review.test_clarification_plan import found_false, status

BODY = "某县公安局 ZM-REF-BODY-5521"
REFERENCE = "县纪移〔2026〕3号 ZM-REF-NO-7730"
CHECK = "检举人系与申请人有宿怨的前同事 ZM-REF-CHECK-1184"
DECIDED = "对检举人行政拘留十日 ZM-REF-RESULT-6603"


def audit_actions(app, case_id: str) -> list[str]:
    with app.app_context():
        query = db.select(AuditEntry.action).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
        return [a for a in db.session.scalars(query) if a != "case_view"]


def referral_rows(app, case_id: str) -> list[Referral]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(Referral).where(Referral.case_id == case_id)))
        db.session.expunge_all()
        return rows


def test_a_false_accusation_is_referred_to_the_police_filed_overdue_and_handled(intake, app, cadre, staff):
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    case_page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert page_of(case_id) in case_page  # the case page leads to the accusation page

    t = today(app)
    referred_on = t - dt.timedelta(days=200)
    fields = {
        "body_name": BODY,
        "reference": REFERENCE,
        "referred_on": referred_on.isoformat(),
        "double_check": "y",
        "checked_on": (referred_on - dt.timedelta(days=1)).isoformat(),
        "check_note": CHECK,
    }

    # Today's rule: a supervisor refers, not the reviewer; the refusal writes nothing.
    before = audit_actions(app, case_id)
    assert refer(reviewer, case_id, **fields).status_code == 403
    # Bad input: 一信双查 ticked with nothing recorded about the accuser, a referral dated tomorrow.
    assert refer(chief, case_id, **{**fields, "check_note": ""}).status_code == 400
    tomorrow = refer(chief, case_id, **{**fields, "referred_on": (t + dt.timedelta(days=1)).isoformat()})
    assert tomorrow.status_code == 400
    assert "日期不能晚于今天" in tomorrow.get_data(as_text=True)
    assert referral_rows(app, case_id) == [] and audit_actions(app, case_id) == before

    assert refer(chief, case_id, **fields).status_code == 303
    [row] = referral_rows(app, case_id)
    assert (row.target, row.outcome, row.double_check, row.checked_on) == ("police", None, True, fields_day(fields))
    assert row.feedback_due is not None and row.feedback_due < t  # the day to ask for feedback has passed
    page = chief.get(page_of(case_id)).get_data(as_text=True)
    assert BODY in page and REFERENCE in page and CHECK in page

    # 立案, recorded by the assignee: the next day to ask for feedback runs from it, and has passed too.
    filed_on = referred_on + dt.timedelta(days=10)
    assert record_outcome(reviewer, case_id, row.id, "filed", filed_on, "立案编号 2026-88").status_code == 303
    [row] = referral_rows(app, case_id)
    assert (row.outcome, row.filed_on) == ("filed", filed_on)
    assert filed_on < row.feedback_due < t

    # It stands out: on the queue, and in the supervisor's ledger.
    queue = chief.get("/review").get_data(as_text=True)
    assert "逾期未反馈的移送：1件" in queue and "/review/referrals" in queue
    ledger = chief.get("/review/referrals").get_data(as_text=True)
    assert f"{page_of(case_id)}" in ledger and 'class="overdue"' in ledger and "已立案" in ledger
    assert BODY not in ledger  # the ledger reads plain columns only: names are on the case's page

    # 处理结果, with what was decided; a final outcome takes no other after it.
    assert record_outcome(chief, case_id, row.id, "handled", t, "").status_code == 400  # what was decided?
    assert not referral_service_concluded(app, case_id)
    assert record_outcome(chief, case_id, row.id, "handled", t, DECIDED).status_code == 303
    [row] = referral_rows(app, case_id)
    assert (row.outcome, row.concluded_on, row.feedback_due) == ("handled", t, None)
    assert referral_service_concluded(app, case_id)
    assert record_outcome(chief, case_id, row.id, "not_pursued", t, "撤案").status_code == 409
    assert "逾期未反馈的移送" not in chief.get("/review").get_data(as_text=True)
    assert DECIDED in chief.get(page_of(case_id)).get_data(as_text=True)

    assert audit_actions(app, case_id)[len(before) :] == [
        "transition:refer",
        "accuser_checked",
        "transition:referral_filed",
        "transition:referral_handled",
    ]
    # None of it reaches the applicant.
    seen = status(cadre, receipt)
    for secret in (BODY, REFERENCE, CHECK, DECIDED, "公安"):
        assert secret not in seen


def fields_day(fields: dict) -> dt.date:
    return dt.date.fromisoformat(fields["checked_on"])


def referral_service_concluded(app, case_id: str) -> bool:
    with app.app_context():
        return referral_service.concluded(case_id)


def test_a_case_may_be_referred_to_two_bodies_each_with_its_own_course(intake, app, cadre, staff):
    _receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    t = today(app)
    assert (
        refer(chief, case_id, target="discipline", body_name="县纪委监委", referred_on=t.isoformat()).status_code == 303
    )
    assert refer(chief, case_id, target="police", referred_on=t.isoformat()).status_code == 303
    first, second = sorted(referral_rows(app, case_id), key=lambda r: r.position)
    assert (first.target, second.target) == ("discipline", "police")
    assert record_outcome(chief, case_id, second.id, "not_pursued", t, "情节轻微，不予追究。").status_code == 303
    rows = {r.id: r for r in referral_rows(app, case_id)}
    assert rows[first.id].outcome is None and rows[second.id].outcome == "not_pursued"
    page = chief.get(page_of(case_id))
    assert_unique_ids(page, "the accusation page with two referrals")
    html = page.get_data(as_text=True)
    assert html.count('name="referral_id"') == 1  # only the open referral takes an outcome still
    # The judgement is final once referred.
    assert reviewer.act(case_id, "flag", flag="mistaken").status_code == 409


def test_a_mistaken_report_records_the_reminder_and_education_given(intake, app, cadre, staff):
    _receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    t = today(app)
    # Not yet judged 错告: nothing to record, and no referral of a mistaken report either.
    assert educate(reviewer, case_id, t, "谈话提醒").status_code == 409
    assert reviewer.act(case_id, "flag", flag="mistaken").status_code == 303
    assert refer(chief, case_id, referred_on=t.isoformat()).status_code == 409
    assert educate(reviewer, case_id, t, "").status_code == 400
    assert educate(reviewer, case_id, t + dt.timedelta(days=1), "谈话提醒").status_code == 400
    note = "约谈检举人，指出其反映失实 ZM-REF-REMIND-3391"
    assert educate(reviewer, case_id, t, note, form="talk").status_code == 303
    page = reviewer.get(page_of(case_id)).get_data(as_text=True)
    assert note in page and "谈话提醒" in page
    assert_unique_ids(reviewer.get(page_of(case_id)), "the accusation page of a mistaken report")
    assert audit_actions(app, case_id)[-1] == "transition:educate"


def test_a_non_holder_gets_nothing(intake, app, cadre, staff):
    _receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    assert refer(chief, case_id, body_name=BODY, referred_on=today(app).isoformat()).status_code == 303
    stranger = staff("lin.sup", "supervisor")  # of the same body, holding no key for the case
    assert stranger.get(page_of(case_id)).status_code == 403
    ledger = stranger.get("/review/referrals")
    assert ledger.status_code == 200 and case_id[:8] not in ledger.get_data(as_text=True)
    assert refer(stranger, case_id, body_name="x", referred_on=today(app).isoformat()).status_code == 403
    assert len(referral_rows(app, case_id)) == 1
    assert reviewer.get("/review/referrals").status_code == 403  # the ledger is for supervisors and leaders
    assert not re.search(r"ZM-REF-BODY", chief.get("/review/referrals").get_data(as_text=True))
