"""The paper-archive copy holds the 诬告陷害 ledger (h11x): each referral with its outcomes over time and
its 一信双查, the 提醒教育 given, and the case's 典型案例通报, decrypted, under the export's one audit entry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Referral
from tests.conftest import only_case_id
from tests.web.bulletin_helpers import bulletin_form
from tests.web.referral_helpers import educate, record_outcome, refer, today
from tests.web.review.test_bulletins import page as bulletin_page
from tests.web.review.test_double_check_later import check

BODY = "某县公安局 ZM-ARC-BODY-2291"
REFERENCE = "县纪移〔2026〕7号 ZM-ARC-REF-5183"
FILED = "立案编号 ZM-ARC-FILED-3304"
DECIDED = "对检举人行政拘留十日 ZM-ARC-RESULT-8812"
REMINDED = "约谈检举人，指出其反映失实 ZM-ARC-REMIND-6620"
CHECKED = "检举人与申请人有宿怨 ZM-ARC-CHECK-7745"
NOTES = "移送时附核查报告 ZM-ARC-NOTES-1190"


def exports(app, case_id: str) -> list[int | None]:
    with app.app_context():
        query = select(AuditEntry.actor_id).where(AuditEntry.action == "case_exported", AuditEntry.case_id == case_id)
        return list(db.session.scalars(query))


def test_the_archive_copy_holds_referrals_with_two_outcomes_the_reminder_and_the_bulletin(app, cadre, staff, intake):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    leader = staff("sun.lead", "leader")
    cadre.file_clarification()
    case_id = only_case_id(app)
    case_page = f"/review/cases/{case_id}"
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303

    # First judged a mistaken report (错告), with its 提醒教育; then a suspected malicious one, referred.
    t = today(app)
    assert reviewer.act(case_id, "flag", flag="mistaken").status_code == 303
    assert educate(reviewer, case_id, t, REMINDED, form="written").status_code == 303
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    referred_on = t - dt.timedelta(days=20)
    fields = {"body_name": BODY, "reference": REFERENCE, "referred_on": referred_on.isoformat(), "notes": NOTES}
    assert refer(chief, case_id, **fields).status_code == 303
    with app.app_context():
        referral_id = db.session.scalar(db.select(Referral.id).where(Referral.case_id == case_id))
    filed_on = referred_on + dt.timedelta(days=5)
    assert record_outcome(reviewer, case_id, referral_id, "filed", filed_on, FILED).status_code == 303
    assert record_outcome(chief, case_id, referral_id, "handled", t, DECIDED).status_code == 303
    assert check(reviewer, case_id, referral_id, t, CHECKED).status_code == 303

    # The 典型案例通报, approved by a leader and so published.
    drafted = chief.post(bulletin_page(case_id), {**bulletin_form(), "approver": str(leader.user_id)})
    assert drafted.status_code == 303
    approve = bulletin_page(case_id) + "/approve"
    assert leader.post(approve, {}, form_page=bulletin_page(case_id)).status_code == 303

    # Concluded unverifiable: closed, so it may be exported.
    reviewer.act(case_id, "propose_finding", finding="unverifiable", reason="无法查实。")
    assert chief.act(case_id, "approve_finding", reason="经核查，无法查实。").status_code == 303
    before = exports(app, case_id)
    copy = reviewer.get(f"{case_page}/archive")
    assert copy.status_code == 200
    html = copy.get_data(as_text=True)
    for expected in (BODY, REFERENCE, FILED, DECIDED, REMINDED, CHECKED, NOTES, "ZM-BUL-TITLE", "ZM-BUL-FACTS"):
        assert expected in html, expected
    assert "ZM-BUL-TREAT" in html
    ledger = html.split('id="ledger"')[1].split('id="bulletin"')[0]
    for words in ("公安机关", "立案日期", "处理结果", "书面提醒", "一信双查", "涉嫌诬告陷害"):
        assert words in ledger, words
    day = f"{filed_on.year}年{filed_on.month}月{filed_on.day}日"
    assert day in ledger and f"{t.year}年{t.month}月{t.day}日" in ledger  # each outcome with its date
    assert ledger.index(FILED) < ledger.index(DECIDED)  # in the order they came
    assert reviewer.username in ledger and chief.username in ledger  # who checked, who referred
    bulletin = html.split('id="bulletin"')[1]
    assert "已发布" in bulletin and "ZM-BUL-TREAT" in bulletin  # published, with its public history
    assert bulletin.index("已发布") < bulletin.index("ZM-BUL-TITLE")
    assert exports(app, case_id) == [*before, reviewer.user_id]  # the one entry the export always wrote

    outsider = staff("new.rev", "reviewer")
    refused = outsider.get(f"{case_page}/archive")
    assert refused.status_code == 403 and BODY not in refused.get_data(as_text=True)
    assert exports(app, case_id) == [*before, reviewer.user_id]


def test_a_closed_case_without_a_judgement_has_no_ledger_section(app, cadre, staff, intake):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    cadre.file_clarification()
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    reviewer.act(case_id, "propose_finding", finding="unverifiable", reason="无法查实。")
    assert chief.act(case_id, "approve_finding", reason="经核查，无法查实。").status_code == 303
    html = reviewer.get(f"/review/cases/{case_id}/archive").get_data(as_text=True)
    assert 'id="ledger"' not in html and 'id="bulletin"' not in html
