"""No dead ends: staff and cadre pages say what the case waits for, from whom and until when."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import force_locale, format_date

from portal.extensions import db
from portal.models import Case
from portal.services import case_state
from tests.conftest import only_case_id
from tests.web.review.test_clarification_plan import draft, found_false, status, submitter_post


def box(page: str) -> str:
    """The text of the waiting box, tags dropped."""
    match = re.search(r'<section class="box waiting".*?</section>', page, re.S)
    assert match, "no waiting box on the page"
    return re.sub(r"<[^>]+>", "", match.group(0))


def steps(page: str) -> str:
    return page.split('<ol class="steps">')[1].split("</ol>")[0]


def zh(app, day: dt.date) -> str:
    with app.test_request_context(), force_locale("zh_CN"):
        return format_date(day, "long")


def en(app, day: dt.date) -> str:
    with app.test_request_context(), force_locale("en"):
        return format_date(day, "long")


def case_row(app, case_id: str) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def today(app) -> dt.date:
    with app.app_context():
        return case_state.today()


def test_a_new_case_says_who_decides_acceptance_and_by_when(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    due = case_row(app, case_id).accept_due
    assert f"等待决定是否受理，期限至{zh(app, due)}。" in box(
        reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    )
    assert f"将在7个工作日内（{zh(app, due)}前）决定是否受理。" in box(status(cadre, receipt))
    cadre.client.get("/lang/en")
    assert f"within 7 working days, by {en(app, due)}" in box(
        cadre.client.get("/followup/status").get_data(as_text=True)
    )


def test_a_question_to_the_cadre_says_since_when_and_offers_a_reminder(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "start")
    assert reviewer.act(case_id, "ask", reason="Which teams?").status_code == 303
    sent = zh(app, today(app))

    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert f"等待反映人补充材料（问题已于{sent}发出）。" in box(page) and "答复前办理期限暂停计算。" in box(page)
    # The reminder is a message to the cadre: the box leads to the form that sends it.
    assert '<a href="#message-body">可在下方留言提醒。</a>' in page and 'id="message-body"' in page

    cadre_page = status(cadre, receipt)
    assert f"等待您补充材料（问题已于{sent}发出）。" in box(cadre_page)
    assert "等待反映人" not in cadre_page


def test_clarification_question_names_the_applicant(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    cadre.file_clarification()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    reviewer.act(case_id, "ask", reason="Which project?")
    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert f"等待申请人补充材料（问题已于{zh(app, today(app))}发出）。" in box(page)


def test_after_an_answer_both_pages_say_when_the_objection_period_ends(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "start")
    reviewer.act(case_id, "answer", reason="Merged from next month.")
    ends = today(app) + dt.timedelta(days=15)

    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert f"异议期至{zh(app, ends)}，期满后可办结。" in box(page)
    assert 'value="close"' not in page  # the engine agrees: closing waits for the period's end
    assert f"可在{zh(app, ends)}（含当日）前提出一次" in box(status(cadre, receipt))
    reviewer.client.get("/lang/en")
    english = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert f"Objection period until {en(app, ends)}; the case can be closed after it ends." in box(english)


def test_a_concluded_case_says_nothing_more_is_awaited(intake, app, cadre, staff):
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    intake.act(case_id, "refuse", reason="Outside our remit.")
    assert "本件已办理完毕，无待办事项。" in box(intake.get(f"/review/cases/{case_id}").get_data(as_text=True))
    assert "此事项已办理完毕，无待办事项。" in box(status(cadre, receipt))


def test_the_cadre_sees_the_finding_the_plan_deadline_and_each_form_carried_out(app, cadre, staff):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    page = status(cadre, receipt)
    assert "核查结论：" in page and "反映问题失实（经核查失实）" in page
    assert "正在拟定澄清方案，拟定后将请您本人确认。" in box(page)
    staff_page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "经核查失实，等待拟定澄清方案并送申请人本人确认。" in box(staff_page)

    assert draft(reviewer, case_id).status_code == 303
    assert "等待您本人确认下方的澄清方案。" in box(status(cadre, receipt))
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert "拟定人以外的审核人审批澄清方案" in box(chief.get(f"/review/cases/{case_id}").get_data(as_text=True))
    assert chief.act(case_id, "approve_plan").status_code == 303
    due = case_row(app, case_id).carry_out_due
    assert f"将在5个工作日内（{zh(app, due)}前）实施。" in box(status(cadre, receipt))

    case_page = f"/review/cases/{case_id}"
    reviewer.post(f"{case_page}/plan/done", {"mode": "meeting", "record": "Township meeting."}, form_page=case_page)
    recorded = zh(app, today(app))
    page = status(cadre, receipt)
    assert f"已会议澄清（{recorded}）" in steps(page)
    assert "notice:" not in page
    assert f"已会议澄清（{recorded}）" in steps(reviewer.get(case_page).get_data(as_text=True))
    cadre.client.get("/lang/en")
    assert f"Clarified at a meeting ({en(app, today(app))})" in steps(
        cadre.client.get("/followup/status").get_data(as_text=True)
    )


def test_no_reply_is_no_dead_end_the_assignee_continues_and_the_cadre_reads_why(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    other = staff("li.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "start")
    assert reviewer.act(case_id, "ask", reason="Which teams?").status_code == 303
    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert 'value="resume"' in page and "未补充材料，继续办理" in page
    assert other.act(case_id, "resume", reason="x").status_code >= 400  # not the assignee
    assert reviewer.act(case_id, "resume").status_code >= 400  # the cadre is told why
    assert case_row(app, case_id).state == "awaiting_info"
    why = "逾期未补充材料，根据现有材料继续办理。"
    assert reviewer.act(case_id, "resume", reason=why).status_code == 303
    assert case_row(app, case_id).state == "in_progress"
    assert why in status(cadre, receipt)
