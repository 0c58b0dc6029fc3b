"""一信双查 after the referral, through HTTP: recorded once on a referral made without it, with its
own record (date, who, what was checked), audited, shown on the case's accusation page and in the ledger."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import Case
from tests.html_checks import assert_unique_ids
from tests.web.referral_helpers import page_of, refer, today
from tests.web.review.test_clarification_plan import found_false, status
from tests.web.review.test_referral_ledger import audit_actions, referral_rows

CHECK = "检举人与申请人有经济纠纷，已约谈核实 ZM-H11X-CHECK-4471"


def check(member, case_id: str, referral_id: str, checked_on: dt.date | None, note: str = CHECK):
    data = {
        "checked_referral": referral_id,
        "checked_on": checked_on.isoformat() if checked_on else "",
        "check_note": note,
    }
    return member.post(f"{page_of(case_id)}/check", data, form_page=page_of(case_id))


def filed_on(app, case_id: str) -> dt.date:
    with app.app_context():
        return db.session.get(Case, case_id).created_at.date()


def test_the_check_of_the_accuser_is_recorded_once_after_the_referral(intake, app, cadre, staff):
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    t = today(app)

    # A case without a referral: refused, nothing written.
    before = audit_actions(app, case_id)
    refused = check(reviewer, case_id, "none", t)
    assert refused.status_code == 409
    assert audit_actions(app, case_id) == before

    assert refer(chief, case_id, referred_on=t.isoformat()).status_code == 303
    [row] = referral_rows(app, case_id)
    assert not row.double_check
    page = reviewer.get(page_of(case_id))
    assert_unique_ids(page, "the accusation page with a referral to check")
    assert "登记该移送的一信双查" in page.get_data(as_text=True)

    # Bad input: each refused with its words, nothing changed.
    before = audit_actions(app, case_id)
    cases = [
        (row.id, None, CHECK, "请填写此项"),
        (row.id, t, "", "请填写此项"),
        (row.id, t + dt.timedelta(days=1), CHECK, "不能早于事项提交之日"),
        (row.id, filed_on(app, case_id) - dt.timedelta(days=1), CHECK, "不能早于事项提交之日"),
        ("not-a-referral", t, CHECK, "请选择所列的一次移送"),
    ]
    for referral_id, day, note, words in cases:
        response = check(reviewer, case_id, referral_id, day, note)
        assert response.status_code == 400, (referral_id, day, note, response.status_code)
        assert words in response.get_data(as_text=True), (referral_id, day, note)
    assert referral_rows(app, case_id)[0].double_check is False and audit_actions(app, case_id) == before

    # Someone who does not hold the case learns nothing and changes nothing.
    stranger = staff("lin.sup", "supervisor")
    assert check(stranger, case_id, row.id, t).status_code == 403

    checked = t
    assert check(reviewer, case_id, row.id, checked).status_code == 303
    [row] = referral_rows(app, case_id)
    assert (row.double_check, row.checked_on, row.checked_by_id) == (True, checked, reviewer.user_id)
    assert audit_actions(app, case_id)[len(before) :] == ["transition:check_accuser", "accuser_checked"]
    page = chief.get(page_of(case_id)).get_data(as_text=True)
    assert CHECK in page and reviewer.username in page
    assert 'name="checked_referral"' not in page  # recorded: no form any more
    ledger = chief.get("/review/referrals").get_data(as_text=True)
    assert f"{checked.year}年{checked.month}月{checked.day}日" in ledger or checked.isoformat() in ledger

    # Once: a second record is refused, and changes nothing.
    again = check(chief, case_id, row.id, t, "另一次核查")
    assert again.status_code == 409
    assert "已登记" in again.get_data(as_text=True)
    [after] = referral_rows(app, case_id)
    assert (after.checked_by_id, after.checked_on) == (reviewer.user_id, checked)
    assert "另一次核查" not in chief.get(page_of(case_id)).get_data(as_text=True)

    assert CHECK not in status(cadre, receipt)  # internal: the applicant never reads it


def test_a_referral_made_with_the_check_ticked_takes_no_second_record(intake, app, cadre, staff):
    _receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    t = today(app)
    ticked = {"double_check": "y", "checked_on": t.isoformat(), "check_note": "转办时已核查"}
    assert refer(chief, case_id, referred_on=t.isoformat(), **ticked).status_code == 303
    [row] = referral_rows(app, case_id)
    assert row.checked_by_id == chief.user_id  # who ticked it at the referral
    assert 'name="checked_referral"' not in reviewer.get(page_of(case_id)).get_data(as_text=True)
    assert check(reviewer, case_id, row.id, t).status_code == 409
    assert chief.username in chief.get(page_of(case_id)).get_data(as_text=True)
