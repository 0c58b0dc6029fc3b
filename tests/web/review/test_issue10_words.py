"""Issue 10's steps in proper 纪检监察 Chinese where people read them (the 澄清告知书, the staff case
page, the admin audit log): 原案编号 and dates as 2026年11月20日 in running text, 核查结论,
申请复核 for a 容错纠错 application, and words in the audit log that hold for every kind of case."""

from __future__ import annotations

from portal.services import case_state
from tests.conftest import only_case_id
from tests.web.own_motion_helpers import open_own_motion
from tests.web.review.test_clarification_plan import submitter_post
from tests.web.tolerance_helpers import file_application, propose, record_collective


def test_the_notice_to_the_cadre_and_the_case_page_of_an_own_motion_clarification(app, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    notice = open_own_motion(reviewer, chief).get_data(as_text=True)
    assert (
        "经X县纪委监委第三审查调查室核查（原案编号X纪核〔2026〕88号，2026年11月20日办结），核查结论为：部分失实。"
        in notice
    )
    assert "需要您办理的事项" in notice and "您需要做的" not in notice
    case_id = only_case_id(app)
    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert (
        "本机关依据已办结的核查主动澄清正名：原案编号X纪核〔2026〕88号，X县纪委监委第三审查调查室，2026年11月20日办结。"
        in page
    )
    assert "2026-11-20" not in page.split("本机关依据")[1].split("</p>")[0]
    assert "登记主动澄清正名案件" in reviewer.get("/review").get_data(as_text=True)


def test_a_review_asked_of_a_fault_tolerance_decision_reads_so_in_the_audit_log(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    leader = staff("zhao.lead", "leader")
    admin = staff("zm.admin", "admin")
    receipt = cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    decision = reviewer.get(f"/review/cases/{case_id}/decision").get_data(as_text=True)
    assert "拟认定意见" in decision and "理由（申请人可查阅经审批的理由）" in decision
    assert propose(reviewer, case_id, "exempt", "No private gain.").status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    leader_page = leader.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "认定结果" in leader_page and "待指定领导审批容错纠错认定" in leader_page
    assert leader.act(case_id, "approve_decision", reason="No private gain.").status_code == 303
    assert cadre.follow_up(receipt).status_code == 303
    assert submitter_post(cadre, "/followup/object", {"reason": "The loss was the contractor's."}).status_code == 303

    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "办理步骤：当事干部提出异议或申请复核" in audit
    assert "反映人对答复提出异议" not in audit


def test_the_visit_reads_as_a_deadline_for_staff_and_the_feedback_as_the_cadre_s_own(app, cadre, staff, monkeypatch):
    import datetime as dt

    from portal.extensions import db
    from portal.models import Case
    from tests.web.aftercare_helpers import record_filings
    from tests.web.review.test_aftercare import _approved
    from tests.web.review.test_clarification_plan import status

    receipt, case_id, reviewer = _approved(app, cadre, staff)
    record_filings(reviewer, case_id)
    assert reviewer.act(case_id, "carry_out").status_code == 303
    with app.app_context():
        due = db.session.get(Case, case_id).visit_due
    monkeypatch.setattr(case_state, "today", lambda: due + dt.timedelta(days=1))
    assert "回访期限" in reviewer.get("/review?queue=overdue").get_data(as_text=True)

    assert submitter_post(cadre, "/followup/feedback", {"feedback": "同事态度已转变。"}).status_code == 303
    mine = status(cadre, receipt)
    assert "您已反馈回访意见" in mine and "申请人已反馈回访意见" not in mine
    assert "申请人已反馈回访意见" in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
