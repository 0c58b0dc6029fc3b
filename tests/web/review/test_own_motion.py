"""Clarification on the body's own motion (主动澄清) with a 部分失实 finding, through HTTP (issue 10)."""

from __future__ import annotations

import logging

from portal.extensions import db
from portal.models import AuditEntry, Case, CaseEvent, Notice
from tests.web.body_helpers import Member, holders, make_body
from tests.web.own_motion_helpers import FALSE_ITEMS, OPENING, OTHER_ITEM, PAGE, open_own_motion, receipt_on
from tests.web.review.test_clarification_plan import NOTICE, state, status, submitter_post


def _cases(app) -> list[Case]:
    with app.app_context():
        return list(db.session.scalars(db.select(Case)))


def test_own_motion_partly_false_to_a_notice_naming_only_the_false_items(app, staff, cadre, client, caplog):
    caplog.set_level(logging.DEBUG)
    intake = staff("xin.fang", "intake")
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    assert reviewer.get(PAGE).status_code == 200

    page = open_own_motion(reviewer, chief)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    receipt = receipt_on(page)
    assert page.headers["Cache-Control"] == "no-store"
    assert "澄清告知书" in html and "/followup" in html and all(item in html for item in FALSE_ITEMS)
    assert OTHER_ITEM not in html  # the grounds are for the approver, not for the 告知书

    (case,) = _cases(app)
    case_id = case.id
    assert (case.origin, case.state, case.proposer_id, case.assignee_id) == (
        "own_motion",
        "finding_proposed",
        reviewer.user_id,
        reviewer.user_id,
    )
    # Need to know: the opener, their supervisor (the approver); not the intake desk, which never handles it.
    held = holders(app, case_id)
    assert reviewer.user_id in held and chief.user_id in held and intake.user_id not in held
    assert intake.get(f"/review/cases/{case_id}").status_code == 403

    # It waits in the approver's queue, not in the opener's.
    assert case_id[:8] in chief.get("/review?queue=approval").get_data(as_text=True)
    assert case_id[:8] not in reviewer.get("/review?queue=approval").get_data(as_text=True)
    # Four eyes: the opener cannot approve their own finding; the supervisor does.
    assert reviewer.act(case_id, "approve_finding", reason="自己批准").status_code == 403
    assert chief.act(case_id, "approve_finding", reason="经核查，所列事项失实。").status_code == 303
    assert state(app, case_id) == "found_false"
    with app.app_context():
        assert db.session.get(Case, case_id).finding == "partly_false"

    # The plan page shows the items; the notice takes them, not the free-text allegation.
    plan_page = reviewer.get(f"/review/cases/{case_id}/plan").get_data(as_text=True)
    assert all(item in plan_page for item in FALSE_ITEMS)
    drafted = reviewer.post(
        f"/review/cases/{case_id}/plan", {**NOTICE, "allegation": f"全部反映：{OTHER_ITEM}", "naming": "surname"}
    )
    assert drafted.status_code == 303
    assert state(app, case_id) == "awaiting_consent"

    # The cadre follows up with the receipt handed over: their page starts with the body's own motion.
    cadre_page = status(cadre, receipt)
    steps = cadre_page.split('<ol class="steps">')[1].split("</ol>")[0]
    assert "主动澄清" in steps.split("</li>")[0] and "已提交" not in steps
    assert all(item in cadre_page for item in FALSE_ITEMS) and OTHER_ITEM not in cadre_page
    assert "部分失实" in cadre_page
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert state(app, case_id) == "plan_consented"
    assert chief.act(case_id, "approve_plan").status_code == 303
    assert state(app, case_id) == "plan_approved"

    with app.app_context():
        notice_id = db.session.scalar(db.select(Notice.id).where(Notice.case_id == case_id))
    public = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert all(item in public for item in FALSE_ITEMS)
    assert OTHER_ITEM not in public and "全部反映" not in public
    assert OTHER_ITEM not in status(cadre, receipt)

    # The receipt is in no URL, log line or audit detail.
    digits = receipt.replace(" ", "")
    assert digits not in caplog.text and receipt not in caplog.text
    with app.app_context():
        details = list(db.session.scalars(db.select(AuditEntry.detail)))
        actions = list(db.session.scalars(db.select(AuditEntry.action)))
        events = list(db.session.scalars(db.select(CaseEvent.detail)))
    assert "own_motion_opened" in actions
    assert all(digits not in (d or "") for d in details + events)


def test_a_reload_of_the_opening_form_shows_no_receipt_again(app, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    tokens = reviewer.tokens(PAGE)
    data = {**tokens, **OPENING, "approver": str(chief.user_id)}
    first = reviewer.client.post(PAGE, data=data)
    receipt = receipt_on(first)
    second = reviewer.client.post(PAGE, data=data)
    assert second.status_code != 200 or "receipt" not in second.get_data(as_text=True)
    assert receipt not in second.get_data(as_text=True)
    assert len(_cases(app)) == 1


def test_bad_openings_are_refused_and_change_nothing(app, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    assert open_own_motion(reviewer, chief, false_items="").status_code == 400  # 部分失实 names its items
    assert open_own_motion(reviewer, chief, finding="substantiated").status_code == 400  # clears no one
    assert open_own_motion(reviewer, chief, origin_concluded_on="2999-01-01").status_code == 400
    assert open_own_motion(reviewer, chief, false_items="\n".join(f"item {i}" for i in range(21))).status_code == 400
    assert open_own_motion(reviewer, reviewer).status_code == 400  # not an approver of theirs
    assert open_own_motion(reviewer, chief, grounds="").status_code == 400
    assert _cases(app) == []
    intake = staff("xin.fang", "intake")
    assert intake.get(PAGE).status_code == 403  # intake registers filed cases; it opens none itself


def test_a_wholly_untrue_finding_on_the_body_s_own_motion(app, staff):
    leader = staff("zhou.lead", "leader")
    chief = staff("qian.sup", "supervisor")
    page = open_own_motion(leader, chief, finding="found_false", false_items="")
    assert page.status_code == 200
    (case,) = _cases(app)
    assert case.false_items is None and case.proposed_finding == "found_false"
    assert chief.user_id in holders(app, case.id)  # a leader has no supervisor: the approver they named holds it
    assert chief.act(case.id, "approve_finding", reason="失实。").status_code == 303
    assert state(app, case.id) == "found_false"


def test_a_reviewer_of_another_body_cannot_open_the_case(app, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    open_own_motion(reviewer, chief)
    (case,) = _cases(app)
    other_body = make_body(app, "某乡纪委")
    stranger = Member(app, "wu.rev", "reviewer", other_body)
    stranger_chief = Member(app, "wu.sup", "supervisor", other_body)
    for member in (stranger, stranger_chief):
        assert member.get(f"/review/cases/{case.id}").status_code == 403
        assert member.act(case.id, "approve_finding", reason="越权").status_code == 403
    assert state(app, case.id) == "finding_proposed"


def test_partly_false_finding_on_an_applied_case(app, cadre, staff):
    intake = staff("xin.fang", "intake")
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_clarification())
    (case,) = _cases(app)
    case_id = case.id
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    # 部分失实 without its items is refused, and nothing moves.
    refused = reviewer.act(case_id, "propose_finding", finding="partly_false", reason="账目核对。")
    assert refused.status_code == 400
    assert state(app, case_id) == "verifying"
    proposed = reviewer.act(
        case_id, "propose_finding", finding="partly_false", reason="账目核对。", false_items="\n".join(FALSE_ITEMS)
    )
    assert proposed.status_code == 303
    case_page = chief.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert all(item in case_page for item in FALSE_ITEMS)
    # Returned, the items go with the proposal; proposed again, they come back with it.
    assert chief.act(case_id, "return_finding", reason="再核。").status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).false_items is None
    reviewer.act(case_id, "propose_finding", finding="partly_false", reason="再核完毕。", false_items=FALSE_ITEMS[0])
    assert chief.act(case_id, "approve_finding", reason="所列事项失实。").status_code == 303
    assert state(app, case_id) == "found_false"
    page = status(cadre, receipt)
    assert "部分失实" in page and FALSE_ITEMS[0] in page and FALSE_ITEMS[1] not in page
    assert reviewer.post(f"/review/cases/{case_id}/plan", NOTICE).status_code == 303
    submitter_post(cadre, "/followup/consent")
    assert chief.act(case_id, "approve_plan").status_code == 303
    with app.app_context():
        notice = db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
        assert notice.clarified == [FALSE_ITEMS[0]] and notice.allegation == ""

    # A correction keeps to the items: it cannot add a free-text allegation (its history would publish it).
    edit = f"/review/notices/{notice.id}/correct"
    form = {
        "number": NOTICE["number"],
        "title": NOTICE["title"],
        "unit": NOTICE["unit"],
        "post": NOTICE["post"],
        "body_html": notice.body_html,
        "issuer": NOTICE["issuer"],
        "issued_on": NOTICE["issued_on"],
        "reason": "更正文号。",
    }
    assert chief.post(edit, {**form, "allegation": OTHER_ITEM}).status_code == 400
    assert chief.post(edit, {**form, "number": "X县纪委〔2026〕99号"}).status_code == 303
    public = cadre.client.get(f"/notices/{notice.id}").get_data(as_text=True)
    assert "〔2026〕99号" in public and OTHER_ITEM not in public and FALSE_ITEMS[0] in public


def test_a_lost_receipt_is_re_issued_and_the_old_one_stops_working(app, staff, cadre, caplog):
    caplog.set_level(logging.DEBUG)
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    bystander = staff("zhou.rev", "reviewer")
    old = receipt_on(open_own_motion(reviewer, chief))
    (case,) = _cases(app)
    path = f"/review/cases/{case.id}/receipt"
    page = f"/review/cases/{case.id}"
    assert reviewer.post(path, {}, form_page=page).status_code == 400  # not confirmed: nothing changes
    assert bystander.post(path, {"confirmed": "y"}, form_page="/review").status_code == 403
    assert _cases(app)[0].receipt_lookup == case.receipt_lookup
    assert cadre.follow_up(old).status_code == 303  # whoever found the lost notice is signed in
    assert cadre.client.get("/followup/status").status_code == 200

    reissued = reviewer.post(path, {"confirmed": "y"}, form_page=page)
    assert reissued.status_code == 200 and reissued.headers["Cache-Control"] == "no-store"
    new = receipt_on(reissued)
    assert new != old and all(item in reissued.get_data(as_text=True) for item in FALSE_ITEMS)
    ended = cadre.client.get("/followup/status")  # the session the lost receipt opened ends with it
    assert ended.status_code == 401 and FALSE_ITEMS[0] not in ended.get_data(as_text=True)
    assert cadre.follow_up(old).status_code != 303  # the lost receipt opens nothing now
    cadre_page = status(cadre, new)
    assert "已补发新的查询码" in cadre_page or "new receipt" in cadre_page
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEntry.action)))
        details = list(db.session.scalars(db.select(AuditEntry.detail)))
    assert "own_motion_receipt_reissued" in actions
    for receipt in (old, new):
        digits = receipt.replace(" ", "")
        assert digits not in caplog.text and all(digits not in (d or "") for d in details)


def test_an_applicant_s_receipt_is_not_re_issued(app, cadre, staff):
    intake = staff("xin.fang", "intake")
    reviewer = staff("zhao.rev", "reviewer")
    cadre.file_clarification()
    (case,) = _cases(app)
    intake.accept(case.id, reviewer)
    page = f"/review/cases/{case.id}"
    assert reviewer.post(f"{page}/receipt", {"confirmed": "y"}, form_page=page).status_code == 409
    assert _cases(app)[0].receipt_lookup == case.receipt_lookup
