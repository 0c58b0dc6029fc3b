"""Irreversible one-click steps ask for a confirmation first, without JavaScript.

The first POST changes nothing and shows what will happen with the text entered (escaped); the
confirmed POST does it; replaying the confirmed POST is refused; "go back" keeps the text.
"""

from __future__ import annotations

import re
from html import unescape

from markupsafe import escape

from portal.extensions import db
from portal.models import AuditEntry, Case, CaseEvent, Message, Notice, NoticeRevision, SpentFormToken, User
from tests.conftest import confirmation_form, only_case_id
from tests.html_checks import assert_unique_ids
from tests.web.review.test_clarification_plan import draft, found_false, status, submitter_post
from tests.web.review.test_correction_consent import propose, published

#: Entered text with markup in it: the confirmation page must show it as text.
TEXT = 'Checked <b>twice</b> & "closed" <script>alert(1)</script>'
MULTIPART = "multipart/form-data"


def snapshot(app) -> tuple:
    """Everything one of these steps could write."""
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        return (
            count(AuditEntry),
            count(CaseEvent),
            count(Message),
            count(SpentFormToken),
            count(NoticeRevision),
            tuple(db.session.execute(db.select(Case.id, Case.state, Case.flag, Case.objected).order_by(Case.id))),
            tuple(db.session.execute(db.select(Notice.id, Notice.status, Notice.post).order_by(Notice.id))),
            tuple(
                db.session.execute(
                    db.select(User.id, User.disabled, User.credential, User.session_epoch).order_by(User.id)
                )
            ),
        )


def confirmed_step(app, client, path: str, data: dict, *, shows: tuple[str, ...] = (), says: str = "", done: int = 303):
    """Post a step: it must stop at a confirmation page, then happen once on confirm, never on a replay."""
    before = snapshot(app)
    first = client.post(path, data=data, content_type=MULTIPART)
    page = first.get_data(as_text=True)
    assert first.status_code == 200, page[:1000]
    found = confirmation_form(page)
    assert found, "no confirmation page"
    assert snapshot(app) == before, "the unconfirmed post changed something"
    assert_unique_ids(first, f"confirmation of {path}")
    assert 'id="main"' in page and "<script>alert" not in page
    for text in shows:
        assert str(escape(text)) in page
    assert says in page
    action, fields = found
    assert action == path and fields["form_token"] == data["form_token"]  # the token was not spent

    response = client.post(action, data=fields, content_type=MULTIPART)
    assert response.status_code == done, response.get_data(as_text=True)[:1000]
    after = snapshot(app)
    assert after != before, "the confirmed post did nothing"

    replay = client.post(action, data=fields, content_type=MULTIPART)
    assert replay.status_code == 400, replay.status_code
    assert snapshot(app) == after, "a replayed confirmation changed something"
    return found


def going_back(client, path: str, data: dict):
    """The confirmation page's "go back" button, as the browser posts it."""
    page = client.post(path, data=data, content_type=MULTIPART).get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]*)" class="inline revise">(.*?)</form>', page, re.S)
    assert form, "no way back on the confirmation page"
    assert "返回修改" in form.group(2)
    fields = dict(re.findall(r'name="([^"]*)" value="([^"]*)"', form.group(2)))
    assert fields.get("revise") == "1" and "confirmed" not in fields
    return client.post(form.group(1), data={k: unescape(v) for k, v in fields.items()}, content_type=MULTIPART)


def case_form(member, case_id: str, action: str, **fields) -> dict:
    return {**member.tokens(f"/review/cases/{case_id}"), "action": action, **fields}


def test_not_accepting_a_concern_is_confirmed_and_going_back_keeps_the_reason(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # intake decides acceptance
    cadre.file_concern()
    case_id = only_case_id(app)
    path = f"/review/cases/{case_id}/act"

    back = going_back(reviewer.client, path, case_form(reviewer, case_id, "refuse", reason=TEXT))
    assert back.status_code == 200 and str(escape(TEXT)) in back.get_data(as_text=True)
    assert confirmation_form(back.get_data(as_text=True)) is None
    with app.app_context():
        assert db.session.get(Case, case_id).state == "submitted"

    confirmed_step(
        app,
        reviewer.client,
        path,
        case_form(reviewer, case_id, "refuse", reason=TEXT),
        shows=(TEXT, "不予受理"),
        says="此操作不能撤销",
    )
    with app.app_context():
        assert db.session.get(Case, case_id).state == "not_accepted"


def test_declining_to_clarify_is_confirmed_with_the_reason_chosen(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # intake decides acceptance
    cadre.file_clarification()
    case_id = only_case_id(app)
    confirmed_step(
        app,
        reviewer.client,
        f"/review/cases/{case_id}/act",
        case_form(reviewer, case_id, "refuse", reason=TEXT, refusal_reason="no_conclusion"),
        shows=(TEXT, "尚未作出核查结论"),
        says="申请人可在查询页面看到",
    )
    with app.app_context():
        assert db.session.get(Case, case_id).state == "not_accepted"


def test_an_answer_is_confirmed_first_and_going_back_keeps_it(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    path = f"/review/cases/{case_id}/act"
    back = going_back(reviewer.client, path, case_form(reviewer, case_id, "answer", reason=TEXT))
    assert str(escape(TEXT)) in back.get_data(as_text=True)

    confirmed_step(
        app,
        reviewer.client,
        path,
        case_form(reviewer, case_id, "answer", reason=TEXT),
        shows=(TEXT,),
        says="答复作出后不能撤回",
    )
    cadre.follow_up(receipt)
    assert str(escape(TEXT)) in cadre.client.get("/followup/status").get_data(as_text=True)


def test_the_cadres_one_objection_is_confirmed_and_said_to_be_once_only(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    for action, fields in (("start", {}), ("answer", {"reason": "Merged."})):
        assert reviewer.act(case_id, action, **fields).status_code == 303
    cadre.follow_up(receipt)

    back = going_back(cadre.client, "/followup/object", {**cadre.form("/followup/status"), "reason": TEXT})
    assert back.status_code == 200 and str(escape(TEXT)) in back.get_data(as_text=True)

    confirmed_step(
        app,
        cadre.client,
        "/followup/object",
        {**cadre.form("/followup/status"), "reason": TEXT},
        shows=(TEXT,),
        says="异议仅能提出一次",
    )
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.state, case.objected) == ("in_progress", True)


def test_consent_is_confirmed_and_says_the_notice_is_published_as_shown(app, cadre, staff):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    confirmed_step(app, cadre.client, "/followup/consent", cadre.form("/followup/status"), says="原样发布")
    with app.app_context():
        assert db.session.get(Case, case_id).state == "plan_consented"


def test_approving_the_plan_and_publishing_is_confirmed_first(app, cadre, staff, client):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    confirmed_step(
        app,
        chief.client,
        f"/review/cases/{case_id}/act",
        case_form(chief, case_id, "approve_plan"),
        shows=("批准方案并发布",),
        says="立即在公开网站",
    )
    with app.app_context():
        assert db.session.get(Case, case_id).state == "plan_approved"
        assert db.session.scalar(db.select(Notice.status).where(Notice.case_id == case_id)) == "published"


def test_the_judgement_of_the_accusation_has_no_default_and_is_confirmed(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    cadre.file_clarification()
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="flag"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r"<option[^>]*>", select)
    assert 'value=""' in options[0] and "请选择" in select
    assert not any("selected" in option for option in options)

    refused = reviewer.client.post(
        f"/review/cases/{case_id}/act", data=case_form(reviewer, case_id, "flag"), content_type=MULTIPART
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and confirmation_form(html) is None
    assert re.search(
        r'<select[^>]*aria-invalid="true"[^>]*name="flag"|<select[^>]*name="flag"[^>]*aria-invalid="true"', html
    )
    assert 'href="#flag"' in html and "请选择举报性质" in html  # the error summary points at the field
    with app.app_context():
        assert db.session.get(Case, case_id).flag == "none"

    confirmed_step(
        app,
        reviewer.client,
        f"/review/cases/{case_id}/act",
        case_form(reviewer, case_id, "flag", flag="suspected_malicious"),
        shows=("涉嫌诬告陷害",),
    )
    with app.app_context():
        assert db.session.get(Case, case_id).flag == "suspected_malicious"


def test_withdrawing_a_notice_is_confirmed_and_going_back_keeps_the_reason(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    edit, path = f"/review/notices/{notice_id}/correct", f"/review/notices/{notice_id}/withdraw"
    back = going_back(deputy.client, path, {**deputy.tokens(edit), "reason": TEXT})
    assert back.status_code == 200 and str(escape(TEXT)) in back.get_data(as_text=True)

    confirmed_step(
        app, deputy.client, path, {**deputy.tokens(edit), "reason": TEXT}, shows=(TEXT,), says="撤回后不能恢复"
    )
    with app.app_context():
        assert db.session.get(Notice, notice_id).status == "withdrawn"


def test_a_correction_the_cadre_consents_to_is_confirmed_first(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    assert propose(deputy, notice_id, post="党委书记").status_code == 303
    status(cadre, receipt)
    confirmed_step(
        app, cadre.client, "/followup/correction/consent", cadre.form("/followup/status"), says="立即替换已发布的公告"
    )
    with app.app_context():
        assert db.session.get(Notice, notice_id).post == "党委书记"


def test_disabling_an_account_is_confirmed_first(app, staff):
    admin = staff("root.admin", "admin")
    target = staff("target.rev", "reviewer", login=False)
    path = f"/admin/accounts/{target.user_id}/disable"
    back = going_back(admin.client, path, admin.tokens("/admin"))
    assert back.status_code == 303 and back.headers["Location"].endswith("/admin")
    confirmed_step(app, admin.client, path, admin.tokens("/admin"), shows=("target.rev",), says="会话立即结束")
    with app.app_context():
        assert db.session.get(User, target.user_id).disabled


def test_resetting_an_account_is_confirmed_first(app, staff):
    admin = staff("root.admin", "admin")
    target = staff("target.rev", "reviewer", login=False)
    path = f"/admin/accounts/{target.user_id}/reset"
    confirmed_step(
        app, admin.client, path, admin.tokens("/admin"), shows=("target.rev",), says="此操作不能撤销", done=200
    )
