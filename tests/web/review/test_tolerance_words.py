"""The applicant's and the staff pages of a 容错纠错 application speak of 容错纠错认定 and 复核,
never of "the answer" or "your request" (issue 10), and the leader approves the reasons
that were collectively decided."""

from __future__ import annotations

import re

from portal.services import case_state
from tests.conftest import only_case_id
from tests.web.tolerance_helpers import file_application, propose, record_collective

REASONS = "Emergency repair ordered by the county; no private gain."


def _status(cadre, receipt: str) -> str:
    assert cadre.follow_up(receipt).status_code == 303
    return cadre.client.get("/followup/status").get_data(as_text=True)


def test_the_applicant_reads_the_words_of_a_fault_tolerance_application(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    leader = staff("zhao.lead", "leader")
    receipt = cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()

    assert intake.accept(case_id, reviewer).status_code == 303
    accepted = _status(cadre, receipt)
    assert "您的容错纠错申请正在核实" in accepted
    assert "您的申请正在核查" not in accepted

    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id, "reduced", REASONS).status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303

    # The leader's reasons start from the proposed ones: what the applicant reads is what was decided.
    page = leader.get(f"/review/cases/{case_id}").get_data(as_text=True)
    textarea = re.search(r'<textarea id="reason-approve_decision"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None and textarea.group(1).strip() == REASONS
    assert "认定理由（申请人可见）" in page
    assert leader.act(case_id, "approve_decision", reason=REASONS).status_code == 303

    decided = _status(cadre, receipt)
    assert "容错纠错认定结果" in decided and REASONS in decided
    assert "对容错纠错认定有异议的，可在" in decided and "申请复核一次" in decided
    assert "答复" not in decided  # no "answer" to object to in a fault-tolerance application
    assert "提出异议" not in decided
    assert "已作出容错纠错认定" in decided

    staff_page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "申请人可在" in staff_page and "前申请复核" in staff_page
    assert "异议期至" not in staff_page
